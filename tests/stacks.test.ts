// Both stacks together: no physical thing is declared twice, and no output
// carries a secret.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIAL_IDS, credentialSpec } from "../config";
import { RegistrationLike, describeDoubleDeclaration, doubleDeclarations, physicalIds, writes } from "../scripts/lib/inventory";
import { MockRunResult } from "../scripts/lib/offline/mocks";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, SECRETS_PROVIDER, STACKS, readStackConfig, secretsProviderProblems, stacksInRepo } from "../scripts/lib/offline/stack";
import { PINNED_DATE, okRun, runPinned } from "./harness/query";

/** The ownership check: every physical thing declared once, across `stacks`; its failure names each thing and who declares it. */
function assertDeclaredOnce(stacks: ReadonlyMap<string, readonly RegistrationLike[]>): void {
    const problems = doubleDeclarations(stacks).map(describeDoubleDeclaration);
    if (problems.length > 0) assert.fail(`declared twice:\n${problems.join("\n")}`);
}

describe("the two stacks", () => {
    const results = new Map<string, MockRunResult>();
    before(async () => {
        for (const stack of STACKS) results.set(stack, await okRun(runPinned(stack)));
    });

    function owners(): Map<string, string[]> {
        const owner = new Map<string, string[]>();
        for (const [stack, result] of results) {
            for (const reg of result.registrations) {
                for (const id of physicalIds(reg)) owner.set(id, [...(owner.get(id) ?? []), `${stack}:${reg.name}`]);
            }
        }
        return owner;
    }

    it("are every stack in the repository", () => {
        assert.deepEqual([...STACKS], stacksInRepo());
    });

    it("never declare one physical thing twice, within a stack or across the two", () => {
        assertDeclaredOnce(new Map([...results].map(([stack, result]) => [stack, result.registrations])));
    });

    it("fail the ownership check when staging declares prod's HEROKU_API_KEY on raxx-console-staging, naming app, key and both stacks", async () => {
        // Config alone can do it: staging's file made a copy of prod's.
        const issued = CREDENTIAL_IDS.filter((id) => credentialSpec(id).issuedWhen === undefined);
        const pinned = Object.fromEntries(issued.map((id) => [`raxx-platform:${id}Rotation`, `active=a a=${PINNED_DATE}`]));
        const stagingAsProd = await okRun(runPinned("staging", { config: { ...readStackConfig("prod").values, ...pinned } }));
        const stacks = new Map([
            ["prod", results.get("prod")!.registrations],
            ["staging", stagingAsProd.registrations],
        ]);
        const heroku =
            "Heroku app raxx-console-staging, config var HEROKU_API_KEY: declared by stack prod (resource platform-token-raxx-console-staging) and stack staging (resource platform-token-raxx-console-staging); each would overwrite or remove the other's on update or delete, so declare it in one stack only";
        const err = (() => {
            try {
                assertDeclaredOnce(stacks);
            } catch (e) {
                return e as Error;
            }
            return assert.fail("the ownership check passed");
        })();
        const lines = err.message.split("\n");
        assert.equal(lines[0], "declared twice:");
        assert.ok(lines.includes(heroku), err.message);
        // Everything prod declares, each by prod and by staging under the same resource name.
        const twice = doubleDeclarations(stacks);
        assert.equal(twice.length, [...owners()].filter(([, by]) => by[0].startsWith("prod:")).length);
        for (const d of twice) assert.deepEqual(d.by.map((x) => x.stack), ["prod", "staging"], d.id);
    });

    it("name one Heroku app and key declared by two stacks, and by three", () => {
        const vars = (app: string, vars: Record<string, string>, secretVars: Record<string, string> = {}) => ({
            type: "pulumi-nodejs:dynamic/heroku:ConfigVars",
            name: `audit-ingest-${app}`,
            inputs: { app, vars, secretVars },
        });
        const prod = [{ ...vars("raxx-console-staging", {}, { HEROKU_API_KEY: "x" }), name: "platform-token-raxx-console-staging" }];
        const staging = [vars("raxx-console-staging", { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" }, { CONSOLE_AUDIT_INGEST_TOKEN: "y", HEROKU_API_KEY: "z" })];
        assert.throws(() => assertDeclaredOnce(new Map([["prod", prod], ["staging", staging]])), {
            message:
                "declared twice:\nHeroku app raxx-console-staging, config var HEROKU_API_KEY: declared by stack prod (resource platform-token-raxx-console-staging) and stack staging (resource audit-ingest-raxx-console-staging); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
        });
        assert.deepEqual(doubleDeclarations(new Map([["prod", prod], ["staging", staging], ["qa", staging]])), [
            {
                id: "heroku config var raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN",
                by: [
                    { stack: "staging", resource: "audit-ingest-raxx-console-staging" },
                    { stack: "qa", resource: "audit-ingest-raxx-console-staging" },
                ],
            },
            {
                id: "heroku config var raxx-console-staging/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST",
                by: [
                    { stack: "staging", resource: "audit-ingest-raxx-console-staging" },
                    { stack: "qa", resource: "audit-ingest-raxx-console-staging" },
                ],
            },
            {
                id: "heroku config var raxx-console-staging/HEROKU_API_KEY",
                by: [
                    { stack: "prod", resource: "platform-token-raxx-console-staging" },
                    { stack: "staging", resource: "audit-ingest-raxx-console-staging" },
                    { stack: "qa", resource: "audit-ingest-raxx-console-staging" },
                ],
            },
        ]);
        assert.equal(
            describeDoubleDeclaration(doubleDeclarations(new Map([["prod", prod], ["staging", staging], ["qa", staging]]))[2]),
            "Heroku app raxx-console-staging, config var HEROKU_API_KEY: declared by stack prod (resource platform-token-raxx-console-staging), stack staging (resource audit-ingest-raxx-console-staging) and stack qa (resource audit-ingest-raxx-console-staging); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
        );
    });

    it("split the physical things between them exactly as the README's ownership table says", () => {
        const byStack = (stack: string) =>
            [...owners()]
                .filter(([, by]) => by[0].startsWith(`${stack}:`))
                .map(([id]) => id)
                .sort();
        assert.deepEqual(byStack("staging"), [
            "github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN",
            "github variable raxx (staging)/CONSOLE_INTERNAL_URL",
            "heroku config var raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN",
            "heroku config var raxx-console-staging/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST",
        ]);
        const zone = "f12dbb5cac57d5591a5058874498a6d1";
        assert.deepEqual(byStack("prod"), [
            "aws iam attachment raxx-billing-readonly arn:aws:iam::521228113048:policy/raxx-billing-readonly-policy",
            "aws iam attachment raxx-freescout-backup arn:aws:iam::521228113048:policy/raxx-freescout-backup-policy",
            "aws iam policy raxx-billing-readonly-policy",
            "aws iam policy raxx-freescout-backup-policy",
            "aws iam user raxx-billing-readonly",
            "aws iam user raxx-freescout-backup",
            "aws ssm parameter /raxx/billing-readonly/aws_access_key_id",
            "aws ssm parameter /raxx/billing-readonly/aws_secret_access_key",
            "aws ssm parameter /raxx/billing-readonly/cloudflare_billing_token",
            "aws ssm parameter /raxx/billing-readonly/heroku_billing_api_key",
            "aws ssm parameter /raxx/billing-readonly/heroku_billing_auth_id",
            "aws ssm parameter /raxx/freescout/db_password",
            "aws ssm parameter /raxx/freescout/ssh_key",
            "cloudflare access policy 00000000-0000-4000-8000-00000000a001 raxx-platform-automation",
            `cloudflare dns ${zone} MX raxx.app alt1.aspmx.l.google.com`,
            `cloudflare dns ${zone} MX raxx.app alt2.aspmx.l.google.com`,
            `cloudflare dns ${zone} MX raxx.app alt3.aspmx.l.google.com`,
            `cloudflare dns ${zone} MX raxx.app alt4.aspmx.l.google.com`,
            `cloudflare dns ${zone} MX raxx.app aspmx.l.google.com`,
            `cloudflare dns ${zone} TXT _dmarc.raxx.app "v=DMARC1; p=quarantine; rua=mailto:kris@moosequest.net; fo=1"`,
            `cloudflare dns ${zone} TXT raxx.app "google-site-verification=Ss0o0uHmeJNe-iafrf8DzI3ajM0SusH9JyUxEEl5DFY"`,
            `cloudflare dns ${zone} TXT raxx.app "v=spf1 include:_spf.google.com include:spf.mtasv.net ~all"`,
            "github secret raxx (production)/CONSOLE_AUDIT_INGEST_TOKEN",
            "github secret raxx/AWS_BACKUP_ACCESS_KEY_ID",
            "github secret raxx/AWS_BACKUP_SECRET_ACCESS_KEY",
            "github secret raxx/CF_ACCESS_CLIENT_ID",
            "github secret raxx/CF_ACCESS_CLIENT_SECRET",
            "github secret raxx/HEROKU_API_KEY",
            "github variable raxx (production)/CONSOLE_INTERNAL_URL",
            "google workspace address billing@raxx.app",
            "google workspace address no-reply@raxx.app",
            "google workspace address ops@raxx.app",
            "google workspace member billing@raxx.app kris@moosequest.net",
            "google workspace member no-reply@raxx.app kris@moosequest.net",
            "google workspace member ops@raxx.app kris@moosequest.net",
            "heroku config var raxx-api-prod/HEROKU_API_KEY",
            "heroku config var raxx-api-staging/HEROKU_API_KEY",
            "heroku config var raxx-console-prod/CONSOLE_AUDIT_INGEST_TOKEN",
            "heroku config var raxx-console-prod/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST",
            "heroku config var raxx-console-prod/HEROKU_API_KEY",
            "heroku config var raxx-console-staging/HEROKU_API_KEY",
            "infisical secret 00000000-0000-4000-8000-00000000a003 prod /MooseQuest/heroku/HEROKU_API_KEY__AUTH_ID",
            "infisical secret 00000000-0000-4000-8000-00000000a003 prod /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN",
            "infisical secret 00000000-0000-4000-8000-00000000a003 prod /Raxx/Console/Billing/CLOUDFLARE_BILLING_TOKEN",
            "infisical secret 00000000-0000-4000-8000-00000000a003 prod /Raxx/Console/Billing/HEROKU_BILLING_API_KEY",
        ]);
    });

    it("catch one thing declared twice, whether its name arrives plain or secret", () => {
        const plainReg = { type: "aws:ssm/parameter:Parameter", name: "x", inputs: { name: "/raxx/x" } };
        const secretReg = {
            type: "aws:ssm/parameter:Parameter",
            name: "y",
            inputs: { name: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "/raxx/x" } },
        };
        assert.deepEqual(physicalIds(plainReg), physicalIds(secretReg));
        const vars = (app: string, secretVars: Record<string, string>) => ({ type: "pulumi-nodejs:dynamic/heroku:ConfigVars", name: app, inputs: { app, vars: {}, secretVars } });
        assert.deepEqual(physicalIds(vars("raxx-api-prod", { A: "1", B: "2" })), ["heroku config var raxx-api-prod/A", "heroku config var raxx-api-prod/B"]);
    });

    it("export exactly these outputs, none of them secret", () => {
        const prod = results.get("prod")!;
        assert.deepEqual(prod.outputs, {
            environment: "production",
            herokuPlatformTokenAuthorizations: { a: "fake-authorization-id-of-platform-token-heroku-authorization-a" },
            iamUsers: ["arn:aws:iam::521228113048:user/raxx-billing-readonly", "arn:aws:iam::521228113048:user/raxx-freescout-backup"],
            ssmParameters: [
                "/raxx/billing-readonly/heroku_billing_api_key",
                "/raxx/billing-readonly/heroku_billing_auth_id",
                "/raxx/billing-readonly/aws_access_key_id",
                "/raxx/billing-readonly/aws_secret_access_key",
                "/raxx/billing-readonly/cloudflare_billing_token",
                "/raxx/freescout/db_password",
                "/raxx/freescout/ssh_key",
            ],
            workspaceAddresses: ["ops@raxx.app", "billing@raxx.app", "no-reply@raxx.app"],
        });
        assert.deepEqual(results.get("staging")!.outputs, { environment: "staging", herokuPlatformTokenAuthorizations: {}, iamUsers: [], ssmParameters: [], workspaceAddresses: [] });
        for (const result of results.values()) assert.deepEqual(result.secretOutputs, []);
    });

    it("hand every credential to consumers only as a secret, and put none in an output", () => {
        for (const [stack, result] of results) {
            const credentials = result.registrations
                .flatMap(writes)
                .filter((w) => w.kind !== "github-variable" && !w.place.endsWith("/FLAG_CONSOLE_DEPLOY_AUDIT_INGEST"));
            assert.ok(credentials.length > 0);
            const outputs = JSON.stringify(result.outputs);
            for (const w of credentials) {
                assert.equal(w.secret, true, `${stack}: ${w.place} receives its credential as plain text`);
                // An authorization id names a token, and is an output on purpose (herokuPlatformTokenAuthorizations).
                if (/(__AUTH_ID|_auth_id)$/.test(w.place)) continue;
                assert.ok(!outputs.includes(String(w.value)), `${stack}: an output holds the value of ${w.place}`);
            }
        }
    });

    it("name one secrets provider, the KMS key every workflow reaches, or none until `pulumi stack init`", () => {
        for (const stack of STACKS) assert.deepEqual(secretsProviderProblems(stack, fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")), [], stack);
        const config = "config:\n  raxx-platform:environment: production\n";
        assert.deepEqual(secretsProviderProblems("prod", `secretsprovider: ${SECRETS_PROVIDER}\nencryptedkey: AQICAHh...\n${config}`), []);
        assert.deepEqual(secretsProviderProblems("prod", `encryptionsalt: v1:abc:def\n${config}`), [
            `Pulumi.prod.yaml: encryptionsalt is a passphrase secrets provider's, and no workflow has PULUMI_CONFIG_PASSPHRASE; change it with \`pulumi stack change-secrets-provider --stack prod "${SECRETS_PROVIDER}"\``,
        ]);
        assert.deepEqual(secretsProviderProblems("staging", `secretsprovider: passphrase\nencryptedkey: x\n${config}`), [
            `Pulumi.staging.yaml: secretsprovider is "passphrase"; Raxx's is ${SECRETS_PROVIDER} (\`pulumi stack change-secrets-provider --stack staging "${SECRETS_PROVIDER}"\`)`,
        ]);
        assert.deepEqual(secretsProviderProblems("prod", `secretsprovider: ${SECRETS_PROVIDER}\n${config}`), [
            `Pulumi.prod.yaml: secretsprovider without encryptedkey; commit both lines that \`pulumi stack init prod --secrets-provider "${SECRETS_PROVIDER}"\` writes`,
        ]);
    });
});
