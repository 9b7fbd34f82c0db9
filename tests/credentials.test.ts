// The secrets map's attribution (scripts/lib/credentials.ts) on registrations made here:
// which component owns a credential, which slot each issuer is, and which slot's value
// each place holds. tests/rotation.test.ts checks the same on the whole program.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { credentialEntries } from "../scripts/lib/credentials";
import { fakeCloud } from "../scripts/lib/offline/fakeCloud";
import { MockRunResult, Registration } from "../scripts/lib/offline/mocks";

const BYTES = "random:index/randomBytes:RandomBytes";
const SECRET = "github:index/actionsSecret:ActionsSecret";
const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

function reg(type: string, name: string, parent: string, custom: boolean, inputs: Record<string, unknown> = {}): Registration {
    return { type, name, urn: `urn:pulumi:prod::raxx-platform::${type}::${name}`, parent, custom, provider: "", inputs, options: {} as Registration["options"] };
}
const run = (...registrations: Registration[]) => ({ registrations, outputs: {}, secretOutputs: [], calls: [], error: undefined }) as MockRunResult;
const hex = (name: string) => fakeCloud(reg(BYTES, name, "", true, { length: 32 }))!.hex as string;

describe("the secrets map's attribution", () => {
    const owner = reg("raxx:random:RotatingToken", "audit", "", false, { credential: "auditIngestToken" });
    const slotA = reg(BYTES, "audit-bytes-a", owner.urn, true, { length: 32 });
    const slotB = reg(BYTES, "audit-bytes-b", owner.urn, true, { length: 32 });
    const writes = (value: string, name = "TOKEN") => reg(SECRET, `gh-${name}`, "", true, { repository: "raxx", secretName: name, value: secret(value) });

    it("lists both slots' issuers in slot order, and each place under the slot whose value it holds", () => {
        const entries = credentialEntries(run(owner, slotB, slotA, writes(hex("audit-bytes-b")), writes(hex("audit-bytes-a"), "OLD")));
        assert.deepEqual(
            entries.map((e) => ({ id: e.id, issuedBy: e.issuedBy, issuers: e.issuers, placements: e.placements })),
            [
                {
                    id: "auditIngestToken",
                    issuedBy: "random bytes",
                    issuers: [
                        { slot: "a", resource: "audit-bytes-a", type: BYTES },
                        { slot: "b", resource: "audit-bytes-b", type: BYTES },
                    ],
                    placements: [
                        { place: "github secret raxx/OLD", kind: "github-secret", slot: "a", resource: "gh-OLD" },
                        { place: "github secret raxx/TOKEN", kind: "github-secret", slot: "b", resource: "gh-TOKEN" },
                    ],
                },
            ],
        );
    });

    it("refuses an issuer that is not named for a slot", () => {
        const unnamed = reg(BYTES, "audit-bytes", owner.urn, true, { length: 32 });
        assert.throws(() => credentialEntries(run(owner, unnamed)), { message: "issuer audit-bytes is not named for a slot" });
    });

    it("takes only a component as a credential's owner, and only by a credential id given as a string", () => {
        // A check is a custom resource with a `credential` input too; what it parents is no issuer of that credential.
        const check = reg("pulumi-nodejs:dynamic/verify:CredentialCheck", "audit-check", "", true, { credential: "auditIngestToken" });
        const numbered = reg("raxx:random:RotatingToken", "n", "", false, { credential: 7 });
        // A list reads as its one id where a key is expected; it is no id either.
        const listed = reg("raxx:random:RotatingToken", "l", "", false, { credential: ["auditIngestToken"] });
        assert.deepEqual(credentialEntries(run(check, reg(BYTES, "c-bytes-a", check.urn, true), numbered, reg(BYTES, "n-bytes-a", numbered.urn, true), listed, reg(BYTES, "l-bytes-a", listed.urn, true))), []);
        // A place holding no issuer's value is no placement.
        assert.deepEqual(credentialEntries(run(owner, slotA, writes("some-other-value-entirely")))[0].placements, []);
    });
});
