// SPEC 7 (docs/session-2026-05-06.md): the stack's key to the vault, and the
// vault as a consumer. What the engine cannot show under mocks (the order of
// a rotation's steps against a vault that enforces Access) the engine tier
// shows in tests/engine/vault.test.ts.
import { strict as assert } from "node:assert";
import { KEPT_APPLICATION_ARGS, LiveApplication, VAULT_ACCESS_NAME, adoptionProblems } from "../components/vaultAccess";
import { MockRunResult, Registration, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { fakeVaultApplication } from "../scripts/lib/offline/fakeCloud";
import { byName, ofType, okRun, runPinned } from "./harness/query";

const APP = "3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e";
const STAFF = "0e2f7c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b";
const CONTRACTORS = "7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a";
const OURS = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

const SERVICE_TOKEN = "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken";
const POLICY = "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy";
const APPLICATION = "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication";
const VAULT_SECRET = "pulumi-nodejs:dynamic/infisical:Secret";
const APP_LOOKUP = "cloudflare:index/getZeroTrustAccessApplication:getZeroTrustAccessApplication";

function app(domain: string, ...policies: [string, string, number][]): LiveApplication {
    return { domain, policies: policies.map(([id, name, precedence]) => ({ id, name, precedence })) };
}

describe("the vault: adopting its Access application", () => {
    it("accepts exactly the live policies, the stack's own aside, in any order", () => {
        const live = app("vault.raxx.app", [STAFF, "Raxx staff", 1], [CONTRACTORS, "Contractors", 2], [OURS, VAULT_ACCESS_NAME, 3]);
        assert.deepEqual(adoptionProblems(APP, live, [CONTRACTORS, STAFF]), []);
        assert.deepEqual(adoptionProblems(APP, app("vault.raxx.app", [STAFF, "Raxx staff", 1]), [STAFF]), []);
    });

    it("refuses a list that would drop a live policy or attach one, and an application for another host", () => {
        const live = app("console.raxx.app", [STAFF, "Raxx staff", 1], [CONTRACTORS, "Contractors", 4]);
        assert.deepEqual(adoptionProblems(APP, live, [STAFF, OURS]), [
            `raxx-platform:vaultAccessApplicationId: Access application ${APP} guards "console.raxx.app", not vault.raxx.app; set the id of the vault's application`,
            `raxx-platform:vaultAccessPolicyIds: the application has policy ${CONTRACTORS} ("Contractors"), which the list leaves out, so the update would drop it; add it to the list, or detach it by hand first`,
            `raxx-platform:vaultAccessPolicyIds: ${OURS} is not a policy of the application today, so the update would attach it; remove it from the list, or attach it by hand first`,
        ]);
    });

    it("lists every application argument but the account and the policies as kept, so an update sends the imported values", () => {
        assert.equal(KEPT_APPLICATION_ARGS.length, 38);
        for (const arg of ["domain", "name", "type", "allowedIdps", "sessionDuration", "selfHostedDomains", "destinations"]) {
            assert.ok(KEPT_APPLICATION_ARGS.includes(arg), arg);
        }
        assert.ok(!KEPT_APPLICATION_ARGS.includes("policies"));
        assert.ok(!KEPT_APPLICATION_ARGS.includes("accountId"));
    });
});

describe("the vault: what the prod stack declares", () => {
    const BOTH = { "raxx-platform:vaultAccessTokenRotation": "active=b a=2026-08-04 b=2026-11-28" };
    let prod: MockRunResult;
    let rotated: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        rotated = await okRun(runPinned("prod", { config: BOTH }));
    });

    const keptIds = (r: MockRunResult) => (fakeVaultApplicationOf(r).policies as { id: string }[]).map((p) => p.id);
    function fakeVaultApplicationOf(r: MockRunResult): Record<string, unknown> {
        const reg = ofType(r, APPLICATION)[0];
        return { policies: (plain(reg.inputs.policies) as { id: string; precedence: number }[]).slice(0, -1) };
    }

    it("admits exactly the dated slots' service tokens, with a non-identity policy", () => {
        const tokens = ofType(rotated, SERVICE_TOKEN);
        assert.deepEqual(
            tokens.map((t) => [t.name, plain(t.inputs.name), plain(t.inputs.duration)]),
            [
                ["vault-access-service-token-a", "raxx-platform-automation-2026-08-04", "8760h"],
                ["vault-access-service-token-b", "raxx-platform-automation-2026-11-28", "8760h"],
            ],
        );
        const [policy] = ofType(rotated, POLICY);
        assert.equal(plain(policy.inputs.name), VAULT_ACCESS_NAME);
        assert.equal(plain(policy.inputs.decision), "non_identity");
        assert.deepEqual(plain(policy.inputs.includes), [
            { serviceToken: { tokenId: "fake-access-service-token-id-of-vault-access-service-token-a" } },
            { serviceToken: { tokenId: "fake-access-service-token-id-of-vault-access-service-token-b" } },
        ]);
        assert.deepEqual(plain(ofType(prod, POLICY)[0].inputs.includes), [{ serviceToken: { tokenId: "fake-access-service-token-id-of-vault-access-service-token-a" } }]);
    });

    it("adopts the application: its kept policies with their precedence, its own after them, protected and never deleted", () => {
        const [application] = ofType(prod, APPLICATION);
        assert.equal(application.name, "vault-access-application");
        assert.deepEqual(plain(application.inputs.policies), [
            { id: "00000000-0000-4000-8000-00000000a002", precedence: 1 },
            { id: "vault-access-policy-id", precedence: 2 },
        ]);
        assert.deepEqual(Object.keys(application.inputs).sort(), ["accountId", "policies"]);
        assert.equal(application.options.protect, true);
        assert.equal(application.options.retainOnDelete, true);
        assert.equal(application.options.deleteBeforeReplace, false);
        assert.equal(application.options.replacementTrigger, undefined);
        assert.deepEqual(application.options.ignoreChanges, [...KEPT_APPLICATION_ARGS]);
        assert.deepEqual(keptIds(prod), ["00000000-0000-4000-8000-00000000a002"]);
    });

    it("refuses to run, registering no application, while the list and the live application differ", async () => {
        const extra = (args: { token: string; inputs: Record<string, unknown> }) => {
            if (args.token !== APP_LOOKUP) return undefined;
            const live = fakeVaultApplication(args.inputs.appId);
            return { ...live, policies: [...(live.policies as unknown[]), { id: CONTRACTORS, name: "Contractors", precedence: 2 }] };
        };
        const run = await runPinned("prod", { call: extra });
        assert.match(String(run.error), /The vault's Access application cannot be adopted as configured \(1 problem\):/);
        assert.match(String(run.error), new RegExp(`the application has policy ${CONTRACTORS} \\("Contractors"\\), which the list leaves out`));
        assert.deepEqual(ofType(run, APPLICATION), []);
    });

    it("writes the four vault paths from the active slots, as secrets, each after the policy and the application", () => {
        const policy = ofType(prod, POLICY)[0].urn;
        const application = ofType(prod, APPLICATION)[0].urn;
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
            assert.ok(s.options.dependsOn.includes(policy) && s.options.dependsOn.includes(application), `${s.name} waits for the policy and the application`);
            assert.equal(s.options.replacementTrigger, undefined);
        }
    });

    it("hands every consumer the active slot's token, and each waits for the policy that admits it", () => {
        const policy = ofType(rotated, POLICY)[0].urn;
        const active = { clientId: "fake-access-client-id-of-vault-access-service-token-b", clientSecret: "fake-access-client-secret-of-vault-access-service-token-b" };
        for (const s of ofType(rotated, VAULT_SECRET)) assert.deepEqual(plain(s.inputs.access), active, s.name);
        const github = (name: string): Registration => byName(rotated, `vault-access-github-secret-${name}`);
        assert.equal(plain(github("CF_ACCESS_CLIENT_ID").inputs.value), active.clientId);
        assert.equal(plain(github("CF_ACCESS_CLIENT_SECRET").inputs.value), active.clientSecret);
        for (const name of ["CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"]) {
            assert.ok(isSecretValue(github(name).inputs.value), name);
            assert.ok(github(name).options.dependsOn.includes(policy), `${name} waits for the policy`);
        }
    });
});
