import { FAKE_HEROKU_OWNER } from "./fake";
import { IssuerKind, list } from "./kind";
import { successorThen } from "./successor";

export const herokuAuthorization: IssuerKind = {
    id: "herokuAuthorization",
    role: "issuer",
    types: ["pulumi-nodejs:dynamic/heroku:Authorization"],
    words: "Heroku OAuth authorization",
    secretInputs: [],
    secretOutputs: ["token"],
    // `id` and `authorizationId` are one value under two names, as the provider returns them.
    fakeOutputs: (name) => ({
        id: `fake-authorization-id-of-${name}`,
        authorizationId: `fake-authorization-id-of-${name}`,
        token: `fake-heroku-token-of-${name}`,
        ...FAKE_HEROKU_OWNER,
    }),
    physicalIds: () => [],
    describe: (reg, ctx) => `Heroku OAuth authorization "${ctx.input("description")}", scope ${list(reg.inputs.scope).join(" ")}`,
    adoption: {
        how: "successor",
        why: "Not importable (a dynamic provider: pulumi/pulumi#16175), and a hand-made authorization's token is not in config.",
        then: successorThen,
    },
};
