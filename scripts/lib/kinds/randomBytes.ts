import { fakeRandomHex } from "./fake";
import { IssuerKind } from "./kind";

export const randomBytes: IssuerKind = {
    id: "randomBytes",
    role: "issuer",
    types: ["random:index/randomBytes:RandomBytes"],
    words: "random bytes",
    secretInputs: [],
    secretOutputs: ["base64", "hex"],
    fakeOutputs: (name) => {
        const hex = fakeRandomHex(name);
        return { hex, base64: Buffer.from(hex, "hex").toString("base64") };
    },
    physicalIds: () => [],
    describe: (_reg, ctx) => `${ctx.input("length")} random bytes`,
    adoption: {
        how: "successor",
        why: "A RandomBytes can be imported only by its value (base64), which would put the live token in the import file; the stack makes a new one instead.",
        then: () =>
            "The first `pulumi up` writes the new token to the GitHub environment secret and the console's config var in one update (the two always hold the same value); the deploy workflow and the console switch together.",
    },
};
