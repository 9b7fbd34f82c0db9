// SPEC 1-4 (docs/session-2026-05-06.md): every consumer receives exactly the
// credential the SPEC names, as a secret. The mocks give each credential a
// distinct fake value, so a consumer wired to the wrong credential (or to the
// previous slot) fails here.
import { strict as assert } from "node:assert";
import { Write, writes } from "../scripts/lib/inventory";
import { FAKE_BILLING_READ_GROUP_ID, fakeCloud, fakeRandomHex, listPermissionGroups, permissionGroupsQuery } from "../scripts/lib/offline/fakeCloud";
import { MockRunResult, plain } from "../scripts/lib/offline/mocks";
import { byName, ofType, okRun, runPinned } from "./harness/query";

function writesOf(result: MockRunResult): Omit<Write, "resource">[] {
    return result.registrations
        .flatMap(writes)
        .map(({ resource: _resource, ...w }) => w)
        .sort((a, b) => a.place.localeCompare(b.place));
}

const secret = (kind: Write["kind"], place: string, value: string) => ({ kind, place, value, secret: true });

const GROUP_ID_KEY = "raxx-platform:cloudflareBillingReadPermissionGroupId";
const PERMISSION_GROUPS_LIST = "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList";

describe("wiring: who holds which credential", () => {
    let prod: MockRunResult;
    let staging: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        staging = await okRun(runPinned("staging"));
    });

    it("writes each prod credential to exactly the SPEC's consumers, as secrets", () => {
        const deployToken = "fake-heroku-token-of-platform-token-heroku-authorization-a";
        const audit = fakeRandomHex("audit-ingest-token-bytes-a");
        assert.deepEqual(writesOf(prod), [
            secret("github-secret", "github secret raxx (production)/CONSOLE_AUDIT_INGEST_TOKEN", audit),
            secret("github-secret", "github secret raxx/AWS_BACKUP_ACCESS_KEY_ID", "fake-access-key-id-of-freescout-backup-aws-access-key-a"),
            secret("github-secret", "github secret raxx/AWS_BACKUP_SECRET_ACCESS_KEY", "fake-secret-access-key-of-freescout-backup-aws-access-key-a"),
            secret("github-secret", "github secret raxx/CF_ACCESS_CLIENT_ID", "fake-access-client-id-of-vault-access-service-token-a"),
            secret("github-secret", "github secret raxx/CF_ACCESS_CLIENT_SECRET", "fake-access-client-secret-of-vault-access-service-token-a"),
            secret("github-secret", "github secret raxx/HEROKU_API_KEY", deployToken),
            { kind: "github-variable", place: "github variable raxx (production)/CONSOLE_INTERNAL_URL", value: "https://console.raxx.app", secret: false },
            secret("heroku-config-var", "heroku raxx-api-prod/HEROKU_API_KEY", deployToken),
            secret("heroku-config-var", "heroku raxx-api-staging/HEROKU_API_KEY", deployToken),
            secret("heroku-config-var", "heroku raxx-console-prod/CONSOLE_AUDIT_INGEST_TOKEN", audit),
            { kind: "heroku-config-var", place: "heroku raxx-console-prod/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST", value: "on", secret: false },
            secret("heroku-config-var", "heroku raxx-console-prod/HEROKU_API_KEY", deployToken),
            secret("heroku-config-var", "heroku raxx-console-staging/HEROKU_API_KEY", deployToken),
            secret("ssm", "ssm /raxx/billing-readonly/aws_access_key_id", "fake-access-key-id-of-billing-readonly-aws-access-key-a"),
            secret("ssm", "ssm /raxx/billing-readonly/aws_secret_access_key", "fake-secret-access-key-of-billing-readonly-aws-access-key-a"),
            secret("ssm", "ssm /raxx/billing-readonly/cloudflare_billing_token", "fake-cloudflare-token-of-billing-readonly-cloudflare-token-a"),
            secret("ssm", "ssm /raxx/billing-readonly/heroku_billing_api_key", "fake-heroku-token-of-billing-readonly-heroku-authorization-a"),
            secret("ssm", "ssm /raxx/billing-readonly/heroku_billing_auth_id", "fake-authorization-id-of-billing-readonly-heroku-authorization-a"),
            secret("vault-secret", "vault prod /MooseQuest/heroku/HEROKU_API_KEY__AUTH_ID", "fake-authorization-id-of-platform-token-heroku-authorization-a"),
            secret("vault-secret", "vault prod /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN", deployToken),
            secret("vault-secret", "vault prod /Raxx/Console/Billing/CLOUDFLARE_BILLING_TOKEN", "fake-cloudflare-token-of-billing-readonly-cloudflare-token-a"),
            secret("vault-secret", "vault prod /Raxx/Console/Billing/HEROKU_BILLING_API_KEY", "fake-heroku-token-of-billing-readonly-heroku-authorization-a"),
        ]);
    });

    it("writes the staging audit token to the staging environment and console only", () => {
        const audit = fakeRandomHex("audit-ingest-token-bytes-a");
        assert.deepEqual(writesOf(staging), [
            secret("github-secret", "github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN", audit),
            {
                kind: "github-variable",
                place: "github variable raxx (staging)/CONSOLE_INTERNAL_URL",
                value: "https://raxx-console-staging.herokuapp.com",
                secret: false,
            },
            secret("heroku-config-var", "heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN", audit),
            { kind: "heroku-config-var", place: "heroku raxx-console-staging/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST", value: "on", secret: false },
        ]);
    });

    it("sends the deploy workflow the very value the console verifies, in each environment", () => {
        for (const [result, env, app] of [
            [prod, "production", "raxx-console-prod"],
            [staging, "staging", "raxx-console-staging"],
        ] as const) {
            const sent = writesOf(result).find((w) => w.place === `github secret raxx (${env})/CONSOLE_AUDIT_INGEST_TOKEN`);
            const verified = writesOf(result).find((w) => w.place === `heroku ${app}/CONSOLE_AUDIT_INGEST_TOKEN`);
            assert.ok(sent !== undefined && verified !== undefined);
            assert.equal(sent.value, verified.value);
        }
    });

    it("makes the audit token 32 random bytes, and hands both places their hex form (64 lowercase hex characters), never base64", () => {
        for (const result of [prod, staging]) {
            const bytes = ofType(result, "random:index/randomBytes:RandomBytes");
            assert.deepEqual(
                bytes.map((b) => [b.name, plain(b.inputs.length)]),
                [["audit-ingest-token-bytes-a", 32]],
            );
            assert.deepEqual(bytes[0].options.additionalSecretOutputs, ["base64", "hex"]);
            // The fake answers both forms, distinct, as the provider does: the places must hold the hex one.
            const outputs = fakeCloud(bytes[0])!;
            assert.notEqual(outputs.hex, outputs.base64);
            const held = writesOf(result).filter((w) => w.place.endsWith("/CONSOLE_AUDIT_INGEST_TOKEN"));
            assert.deepEqual(
                held.map((w) => [w.value, w.secret]),
                [
                    [outputs.hex, true],
                    [outputs.hex, true],
                ],
            );
        }
    });

    it("describes the Heroku authorizations as the SPEC does, with the slot's date, scope global", () => {
        assert.deepEqual(
            ofType(prod, "pulumi-nodejs:dynamic/heroku:Authorization").map((a) => ({
                name: a.name,
                description: plain(a.inputs.description),
                scope: plain(a.inputs.scope),
                secretOutputs: a.options.additionalSecretOutputs,
            })),
            [
                {
                    name: "billing-readonly-heroku-authorization-a",
                    description: "billing-collector-readonly-2026-11-28",
                    scope: ["global"],
                    secretOutputs: ["token"],
                },
                {
                    name: "platform-token-heroku-authorization-a",
                    description: "raxx-platform-token-2026-11-28",
                    scope: ["global"],
                    secretOutputs: ["token"],
                },
            ],
        );
    });

    it("gives each Heroku ConfigVars its owner in the apps' RAXX_PLATFORM_OWNERS ledger: project, stack and name", () => {
        const owners = (r: MockRunResult) => ofType(r, "pulumi-nodejs:dynamic/heroku:ConfigVars").map((v) => [plain(v.inputs.app), plain(v.inputs.owner)]);
        assert.deepEqual(owners(prod), [
            ["raxx-console-prod", "raxx-platform/prod/audit-ingest-raxx-console-prod"],
            ["raxx-api-prod", "raxx-platform/prod/platform-token-raxx-api-prod"],
            ["raxx-api-staging", "raxx-platform/prod/platform-token-raxx-api-staging"],
            ["raxx-console-prod", "raxx-platform/prod/platform-token-raxx-console-prod"],
            ["raxx-console-staging", "raxx-platform/prod/platform-token-raxx-console-staging"],
        ]);
        // Both stacks write raxx-console-staging, each its own keys (see "writes the staging audit token ...").
        assert.deepEqual(owners(staging), [["raxx-console-staging", "raxx-platform/staging/audit-ingest-raxx-console-staging"]]);
    });

    it("describes each rotation slot's authorization differently, so create can tell a slot's own from the other's", async () => {
        // After a create whose outcome is unknown, the provider finds its authorization again by its
        // description (docs/heroku-provider.md); config refuses equal a and b dates, so the two slots never share one.
        const both = await okRun(
            runPinned("prod", {
                config: {
                    "raxx-platform:herokuPlatformTokenRotation": "active=b a=2026-08-04 b=2026-11-28",
                    "raxx-platform:herokuBillingTokenRotation": "active=b a=2026-08-04 b=2026-11-28",
                },
            }),
        );
        assert.deepEqual(
            ofType(both, "pulumi-nodejs:dynamic/heroku:Authorization").map((a) => [a.name, plain(a.inputs.description)]),
            [
                ["billing-readonly-heroku-authorization-a", "billing-collector-readonly-2026-08-04"],
                ["billing-readonly-heroku-authorization-b", "billing-collector-readonly-2026-11-28"],
                ["platform-token-heroku-authorization-a", "raxx-platform-token-2026-08-04"],
                ["platform-token-heroku-authorization-b", "raxx-platform-token-2026-11-28"],
            ],
        );
    });

    it("gives the Cloudflare billing token exactly one policy: Billing Read (the id Pulumi.prod.yaml pins) on the account", () => {
        const token = byName(prod, "billing-readonly-cloudflare-token-a");
        assert.equal(plain(token.inputs.name), "raxx-billing-readonly");
        assert.deepEqual(plain(token.inputs.policies), [
            {
                effect: "allow",
                permissionGroups: [{ id: "7cf72faf220841aabcfdfab81c43c4f6" }],
                resources: JSON.stringify({ "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9": "*" }),
            },
        ]);
        assert.ok(token.options.additionalSecretOutputs.includes("value"));
    });

    it("takes the Cloudflare account and permission group from config when set, without a lookup", async () => {
        const result = await okRun(
            runPinned("prod", {
                config: {
                    "raxx-platform:cloudflareAccountId": "00000000000000000000000000000abc",
                    "raxx-platform:cloudflareBillingReadPermissionGroupId": "00000000000000000000000000000def",
                },
            }),
        );
        assert.deepEqual(result.calls, []);
        assert.equal(plain(byName(result, "vault-access-policy").inputs.accountId), "00000000000000000000000000000abc");
        assert.deepEqual(plain(byName(result, "billing-readonly-cloudflare-token-a").inputs.policies), [
            {
                effect: "allow",
                permissionGroups: [{ id: "00000000000000000000000000000def" }],
                resources: JSON.stringify({ "com.cloudflare.api.account.00000000000000000000000000000abc": "*" }),
            },
        ]);
    });

    it("looks Billing Read up by its plain name, which the provider encodes once on the wire, and finds the one group", async () => {
        const inputs: Record<string, unknown>[] = [];
        const result = await okRun(
            runPinned("prod", {
                config: { [GROUP_ID_KEY]: undefined },
                call: (args) => {
                    if (args.token === PERMISSION_GROUPS_LIST) inputs.push(args.inputs);
                    return undefined;
                },
            }),
        );
        assert.deepEqual(inputs, [{ name: "Billing Read", scope: "com.cloudflare.api.account" }]);
        assert.equal(permissionGroupsQuery(inputs[0]), "name=Billing+Read&scope=com.cloudflare.api.account");
        assert.deepEqual(plain(byName(result, "billing-readonly-cloudflare-token-a").inputs.policies), [
            {
                effect: "allow",
                permissionGroups: [{ id: FAKE_BILLING_READ_GROUP_ID }],
                resources: JSON.stringify({ "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9": "*" }),
            },
        ]);
    });

    it("the fake Cloudflare, like the real one, decodes the query once: a name encoded before the provider encodes it finds nothing", async () => {
        const encoded = { name: encodeURIComponent("Billing Read"), scope: "com.cloudflare.api.account" };
        assert.equal(permissionGroupsQuery(encoded), "name=Billing%2520Read&scope=com.cloudflare.api.account");
        assert.deepEqual(listPermissionGroups(permissionGroupsQuery(encoded)), []);
        assert.deepEqual(
            listPermissionGroups(permissionGroupsQuery({ name: "Billing Read", scope: "com.cloudflare.api.account" })).map((g) => g.id),
            [FAKE_BILLING_READ_GROUP_ID],
        );
        // And the program then says what to do, instead of minting a token without permissions.
        const result = await runPinned("prod", {
            config: { [GROUP_ID_KEY]: undefined },
            call: (args) => (args.token === PERMISSION_GROUPS_LIST ? { results: listPermissionGroups(permissionGroupsQuery(encoded)) } : undefined),
        });
        assert.match(
            String(result.error?.message),
            /Cloudflare lists 0 account permission groups named "Billing Read", not one; set raxx-platform:cloudflareBillingReadPermissionGroupId to the right id/,
        );
    });

    it("fails with a clear message when the permission group lookup is ambiguous", async () => {
        const result = await runPinned("prod", {
            config: { [GROUP_ID_KEY]: undefined },
            call: (args) =>
                args.token.endsWith("getApiTokenPermissionGroupsList")
                    ? {
                          results: [
                              { id: "1", name: "Billing Read", scopes: ["com.cloudflare.api.account"] },
                              { id: "2", name: "Billing Read", scopes: ["com.cloudflare.api.account"] },
                          ],
                      }
                    : undefined,
        });
        assert.match(
            String(result.error?.message),
            /Cloudflare lists 2 account permission groups named "Billing Read", not one; set raxx-platform:cloudflareBillingReadPermissionGroupId to the right id/,
        );
    });

    it("gives no consumer a replace trigger, a delete-before-replace or a replace-on-change", () => {
        const consumers = new Set(prod.registrations.concat(staging.registrations).filter((r) => writes(r).length > 0));
        // 18, and the two CF_ACCESS_* secrets and the four vault secrets of SPEC 7.
        assert.equal(consumers.size, 24);
        for (const r of consumers) {
            assert.equal(r.options.replacementTrigger, undefined, r.name);
            assert.equal(r.options.deleteBeforeReplace, false, r.name);
            assert.deepEqual(r.options.replaceOnChanges, [], r.name);
        }
    });
});
