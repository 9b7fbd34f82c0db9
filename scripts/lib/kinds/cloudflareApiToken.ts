import { IssuerKind } from "./kind";

export const cloudflareApiToken: IssuerKind = {
    id: "cloudflareApiToken",
    role: "issuer",
    types: ["cloudflare:index/apiToken:ApiToken"],
    words: "Cloudflare API token",
    secretInputs: [],
    secretOutputs: ["value"],
    fakeOutputs: (name) => ({ id: `fake-token-id-of-${name}`, value: `fake-cloudflare-token-of-${name}` }),
    physicalIds: () => [],
    describe: (_reg, ctx) => `Cloudflare API token "${ctx.input("name")}"`,
    adoption: { how: "created", why: "the log's item 2 was blocked (no Cloudflare token could mint it): the first `pulumi up` creates it" },
};
