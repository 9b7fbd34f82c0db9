import { IssuerKind } from "./kind";

/** A Cloudflare Access service token: a client id and secret a machine presents to an Access application. */
export const accessServiceToken: IssuerKind = {
    id: "accessServiceToken",
    role: "issuer",
    types: ["cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken"],
    words: "Cloudflare Access service token",
    secretInputs: [],
    secretOutputs: ["clientSecret"],
    fakeOutputs: (name) => ({
        id: `fake-access-service-token-id-of-${name}`,
        clientId: `fake-access-client-id-of-${name}`,
        clientSecret: `fake-access-client-secret-of-${name}`,
    }),
    physicalIds: () => [],
    describe: (_reg, ctx) => `Cloudflare Access service token "${ctx.input("name")}"`,
    // Cloudflare imports one by <account id>/<token id>, but its client secret is readable only at creation.
    adoption: { how: "created", why: "no Access service token was made in the 2026-05-06 session: the first `pulumi up` creates it" },
};
