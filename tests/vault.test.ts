// SPEC 7 (docs/session-2026-05-06.md): the stack's key to the vault, and the
// vault as a consumer. What the engine cannot show under mocks (the order of
// a rotation's steps against a vault that enforces Access) the engine tier
// shows in tests/engine/vault.test.ts.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { VaultSecrets } from "../components/infisical/vaultSecrets";
import { VAULT_ACCESS_NAME } from "../components/vaultAccess";
import { MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../scripts/lib/offline/mocks";
import { byName, ofType, okRun, runPinned } from "./harness/query";

const SERVICE_TOKEN = "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken";
const POLICY = "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy";
const VAULT_SECRET = "pulumi-nodejs:dynamic/infisical:Secret";
const CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";

/**
 * What a consumer of the Access token waits for: the active slot's CredentialCheck, through
 * its `field`; and that check waits for the policy, through its `expect`. Never the policy directly.
 */
function assertWaitsForPolicy(run: MockRunResult, consumer: Registration, field: string, slot: string) {
    const policy = ofType(run, POLICY)[0];
    const token = byName(run, `vault-access-service-token-${slot}`);
    const check = byName(run, `vault-access-check-${slot}`);
    assert.equal(check.type, CHECK);
    assert.deepEqual([...consumer.options.propertyDependencies[field]].sort(), [check.urn, token.urn].sort(), `${consumer.name}.${field} waits for ${check.name}`);
    assert.deepEqual([...check.options.propertyDependencies.expect].sort(), [policy.urn, token.urn].sort(), `${check.name} waits for the policy`);
    assert.ok(!consumer.options.dependsOn.includes(policy.urn), `${consumer.name} waits for the policy through the check only`);
}

describe("the vault: bad component input", () => {
    const target = { projectId: "p", environment: "prod", access: pulumi.secret({ clientId: "id", clientSecret: "secret" }) };
    for (const [what, args, message] of [
        ["a relative path", { target, path: "MooseQuest/heroku", secrets: { A: "x" } }, `vault path "MooseQuest/heroku" is not "/" or folders of letters, digits, '-' and '_', each after a '/'; for example /Raxx/Console/Billing`],
        ["a path with a trailing slash", { target, path: "/Raxx/", secrets: { A: "x" } }, `vault path "/Raxx/" is not "/" or folders of letters, digits, '-' and '_', each after a '/'; for example /Raxx/Console/Billing`],
        ["a name with a dot", { target, path: "/Raxx", secrets: { "A.B": "x" } }, `vault secret name "A.B" is not letters, digits and '_', not starting with a digit; for example HEROKU_PLATFORM_API_TOKEN`],
    ] as const) {
        it(`refuses ${what}, naming it, and registers no secret`, async () => {
            const run = await runWithMocks(() => new VaultSecrets("v", args));
            assert.equal(run.error?.message, message);
            assert.deepEqual(ofType(run, VAULT_SECRET), []);
        });
    }
});

describe("the vault: what the prod stack declares", () => {
    const BOTH = { "raxx-platform:vaultAccessTokenRotation": "active=b a=2026-08-04 b=2026-11-28" };
    const tokenId = (slot: string) => `fake-access-service-token-id-of-vault-access-service-token-${slot}`;
    let prod: MockRunResult;
    let rotated: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        rotated = await okRun(runPinned("prod", { config: BOTH }));
    });

    it("issues a service token per dated slot, valid 365 days, named for its date", () => {
        assert.deepEqual(
            ofType(rotated, SERVICE_TOKEN).map((t) => [t.name, plain(t.inputs.name), plain(t.inputs.duration), t.options.replacementTrigger]),
            [
                ["vault-access-service-token-a", "raxx-platform-automation-2026-08-04", "8760h", "2026-08-04"],
                ["vault-access-service-token-b", "raxx-platform-automation-2026-11-28", "8760h", "2026-11-28"],
            ],
        );
    });

    it("adds one policy to the vault's application that admits exactly the dated slots' tokens, and declares no application", () => {
        const [policy] = ofType(rotated, POLICY);
        assert.equal(policy.name, "vault-access-policy");
        assert.deepEqual(
            Object.fromEntries(["applicationId", "domain", "policyName", "serviceTokenIds"].map((k) => [k, plain(policy.inputs[k])])),
            { applicationId: "00000000-0000-4000-8000-00000000a001", domain: "vault.raxx.app", policyName: VAULT_ACCESS_NAME, serviceTokenIds: [tokenId("a"), tokenId("b")] },
        );
        assert.deepEqual(plain(ofType(prod, POLICY)[0].inputs.serviceTokenIds), [tokenId("a")]);
        assert.deepEqual(prod.registrations.filter((r) => /AccessApplication:|accessApplication:/.test(r.type)), []);
        assert.equal(policy.options.replacementTrigger, undefined);
    });

    it("writes the four vault paths from the active slots, as secrets, each after the check that the policy admits the token", () => {
        const secrets = ofType(prod, VAULT_SECRET);
        assert.deepEqual(
            secrets.map((s) => [s.name, plain(s.inputs.projectId), plain(s.inputs.environment), plain(s.inputs.path), plain(s.inputs.key), plain(s.inputs.value)]),
            [
                ["billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN", "00000000-0000-4000-8000-00000000a003", "prod", "/Raxx/Console/Billing", "CLOUDFLARE_BILLING_TOKEN", "fake-cloudflare-token-of-billing-readonly-cloudflare-token-a"],
                ["billing-readonly-vault-HEROKU_BILLING_API_KEY", "00000000-0000-4000-8000-00000000a003", "prod", "/Raxx/Console/Billing", "HEROKU_BILLING_API_KEY", "fake-heroku-token-of-billing-readonly-heroku-authorization-a"],
                ["platform-token-vault-HEROKU_API_KEY__AUTH_ID", "00000000-0000-4000-8000-00000000a003", "prod", "/MooseQuest/heroku", "HEROKU_API_KEY__AUTH_ID", "fake-authorization-id-of-platform-token-heroku-authorization-a"],
                ["platform-token-vault-HEROKU_PLATFORM_API_TOKEN", "00000000-0000-4000-8000-00000000a003", "prod", "/MooseQuest/heroku", "HEROKU_PLATFORM_API_TOKEN", "fake-heroku-token-of-platform-token-heroku-authorization-a"],
            ],
        );
        for (const s of secrets) {
            assert.ok(isSecretValue(s.inputs.value), `${s.name}: value`);
            assert.ok(isSecretValue(s.inputs.access), `${s.name}: access`);
            assert.deepEqual(plain(s.inputs.access), { clientId: "fake-access-client-id-of-vault-access-service-token-a", clientSecret: "fake-access-client-secret-of-vault-access-service-token-a" });
            assertWaitsForPolicy(prod, s, "access", "a");
            assert.equal(s.options.replacementTrigger, undefined);
        }
    });

    it("hands every consumer the active slot's token, and each waits for the check that the policy admits it", () => {
        const active = { clientId: "fake-access-client-id-of-vault-access-service-token-b", clientSecret: "fake-access-client-secret-of-vault-access-service-token-b" };
        for (const s of ofType(rotated, VAULT_SECRET)) {
            assert.deepEqual(plain(s.inputs.access), active, s.name);
            assertWaitsForPolicy(rotated, s, "access", "b");
        }
        const github = (name: string): Registration => byName(rotated, `vault-access-github-secret-${name}`);
        assert.equal(plain(github("CF_ACCESS_CLIENT_ID").inputs.value), active.clientId);
        assert.equal(plain(github("CF_ACCESS_CLIENT_SECRET").inputs.value), active.clientSecret);
        for (const name of ["CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"]) {
            assert.ok(isSecretValue(github(name).inputs.value), name);
            assertWaitsForPolicy(rotated, github(name), "value", "b");
        }
    });
});
