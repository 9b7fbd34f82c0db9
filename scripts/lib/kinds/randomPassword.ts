import { fakeRandomPassword } from "./fake";
import { IssuerKind } from "./kind";

export const randomPassword: IssuerKind = {
    id: "randomPassword",
    role: "issuer",
    types: ["random:index/randomPassword:RandomPassword"],
    words: "random password",
    secretInputs: [],
    secretOutputs: ["result", "bcryptHash"],
    fakeOutputs: (name) => ({ result: fakeRandomPassword(name), bcryptHash: `fake-bcrypt-hash-of-${name}` }),
    physicalIds: () => [],
    describe: (reg, ctx) => `${ctx.input("length")} random ${reg.inputs.special === false ? "letters and digits" : "characters"}`,
    adoption: {
        how: "successor",
        why: "A RandomPassword can be imported only by its value, which would put the live password in the import file; the stack makes a new one instead.",
        then: () => "The first `pulumi up` adopts the existing user without writing its password; the first rotation of the slot writes the stack's.",
    },
};
