// npm run plan: the offline plan lists exactly what the program registers, the
// secrets map has every row of the session's "where secrets live" table
// (docs/session-2026-05-06.md), a config diff names exactly the issuer and its
// consumers, and no format ever shows a value: no fake credential, no
// looked-up id, no secret config placeholder.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { CREDENTIALS, CREDENTIAL_IDS } from "../config";
import { captureIo, invoke } from "../scripts/lib/cli";
import { credentialEntries } from "../scripts/lib/credentials";
import { physicalIds } from "../scripts/lib/inventory";
import { FAKE_BILLING_READ_GROUP_ID, FAKE_CLOUDFLARE_ACCOUNT_ID } from "../scripts/lib/offline/fakeCloud";
import { checkOf } from "../scripts/lib/kinds";
import { MockRunResult, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { ROOT, secretPlaceholder } from "../scripts/lib/offline/stack";
import { DIFF_LIMITS, PlanDiff, configChanges, diffRuns } from "../scripts/lib/plan/diff";
import { ConfigOverrides, OfflineRun, Plan, buildPlan, checkConfig, checkOwnership, runOffline } from "../scripts/lib/plan/model";
import { Redactor } from "../scripts/lib/plan/redact";
import { COLOUR, DiffReport, PLAIN, renderMarkdown, renderText } from "../scripts/lib/plan/render";
import { planOf, planTool } from "../scripts/plan";
import { tree } from "./harness/query";

const D1 = "2026-05-06";
const D2 = "2026-08-04";
const D3 = "2026-11-02";
const PLATFORM = "raxx-platform:herokuPlatformTokenRotation";
/** A `secure:` value in a diff-config file; neither it nor its placeholder may ever be printed. */
const CIPHERTEXT = "v1:AAAAAbm90LWEtcmVhbC1jaXBoZXJ0ZXh0";

/** Every credential of `stack` at `active=a a=<D1>`, so that rotations in the checked-in config never break these tests. */
function pinned(stack: "prod" | "staging", extra: Record<string, string> = {}): ConfigOverrides {
    const ids = CREDENTIAL_IDS.filter((id) => (stack === "prod" || CREDENTIALS[id].scope === "environment") && !("issuedWhen" in CREDENTIALS[id]));
    return { values: { ...Object.fromEntries(ids.map((id) => [`raxx-platform:${id}Rotation`, `active=a a=${D1}`])), ...extra }, secretKeys: [] };
}

async function planJson(stack: string): Promise<Plan> {
    const io = captureIo();
    assert.equal(await invoke(planTool, ["--stack", stack, "--json"], io), 0, io.stderr);
    return JSON.parse(io.stdout) as Plan;
}

/**
 * Every value no output may contain: each string the program sends inside a secret input (what the
 * engine would encrypt), each lookup answer, placeholder and ciphertext. Found from the registrations
 * themselves, not from fakeCloud, which the redactor reads too: a credential the redactor does not
 * know of is still here.
 */
function forbidden(runs: MockRunResult[], secretKeys: string[]): string[] {
    const values = new Set<string>([FAKE_CLOUDFLARE_ACCOUNT_ID, FAKE_BILLING_READ_GROUP_ID, CIPHERTEXT, ...secretKeys.map(secretPlaceholder)]);
    const strings = (v: unknown): string[] =>
        typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(strings) : typeof v === "object" && v !== null ? Object.values(v).flatMap(strings) : [];
    const visit = (v: unknown): void => {
        if (isSecretValue(v)) for (const x of strings(plain(v))) values.add(x);
        else if (Array.isArray(v)) v.forEach(visit);
        else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
    };
    for (const run of runs) for (const reg of run.registrations) visit(reg.inputs);
    return [...values];
}

function assertNoneIn(text: string, values: string[], what: string) {
    for (const v of values) assert.ok(!text.includes(v), `${what} shows ${v}`);
}

const names = (entries: readonly { name: string }[]) => entries.map((e) => e.name);

describe("npm run plan", () => {
    const plans = new Map<string, Plan>();
    const runs = new Map<string, MockRunResult>();
    before(async () => {
        for (const stack of ["prod", "staging"]) {
            const offline = await runOffline(stack);
            plans.set(stack, JSON.parse(JSON.stringify(buildPlan(offline))) as Plan);
            runs.set(stack, offline.run);
        }
    });

    it("--json prints the plan; the README's `npm run plan -- --stack staging` prints it as text", async () => {
        assert.deepEqual(await planJson("prod"), plans.get("prod"));
        const io = captureIo();
        assert.equal(await invoke(planTool, ["--stack", "staging"], io), 0, io.stderr);
        assert.match(io.stdout, /^raxx-platform · stack staging \(staging\) · 8 resources in 3 components\n/);
        assert.match(io.stdout, /\nSecrets map \(where every secret lives; values are never shown\)\n {2}auditIngestToken: /);
        assert.match(io.stdout, /written to {2}github secret raxx \(staging\)\/CONSOLE_AUDIT_INGEST_TOKEN/);
        assert.ok(!io.stdout.includes("\u001b["), "no colour off a terminal");
    });

    it("lists exactly the program's registrations, each at the URN the engine gives it", () => {
        for (const [stack, plan] of plans) {
            const run = runs.get(stack)!;
            assert.equal(plan.version, 1);
            assert.equal(plan.stack, stack);
            const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
            const parentName = (urn: string | null) => (urn === null ? `raxx-platform-${stack}` : byUrn.get(urn)!.name);
            assert.deepEqual(plan.resources.map((r) => `${r.type} ${r.name} < ${parentName(r.parent)}`).sort(), tree(run));
            for (const r of plan.resources) {
                // The engine qualifies a type with its parent's whole qualified type, never with the root stack's.
                const qualified = r.parent === null ? r.type : `${byUrn.get(r.parent)!.urn.split("::")[2]}$${r.type}`;
                assert.equal(r.urn, `urn:pulumi:${stack}::raxx-platform::${qualified}::${r.name}`);
                const reg = run.registrations.find((x) => x.name === r.name)!;
                assert.equal(r.custom, reg.custom, r.name);
                assert.equal(r.protect, reg.options.protect, r.name);
                assert.equal(r.importId, reg.options.importId === "" ? null : reg.options.importId, r.name);
                assert.equal(r.provider === null, reg.provider === "", r.name);
            }
        }
        const prod = plans.get("prod")!;
        const user = prod.resources.find((r) => r.name === "billing-readonly-aws-user")!;
        assert.equal(user.urn, "urn:pulumi:prod::raxx-platform::raxx:billing:BillingReadonly$raxx:iam:ServiceUser$aws:iam/user:User::billing-readonly-aws-user");
        assert.equal(user.provider, "urn:pulumi:prod::raxx-platform::pulumi:providers:aws::aws");
        assert.equal(user.physical, "IAM user raxx-billing-readonly");
    });

    it("names each resource's physical thing: user, policy, SSM path, secret, Heroku vars, DNS record, token", () => {
        const physical = Object.fromEntries(plans.get("prod")!.resources.map((r) => [r.name, r.physical]));
        assert.deepEqual(
            {
                attachment: physical["billing-readonly-aws-policy-attachment"],
                ssm: physical["raxx-billing-readonly-aws_access_key_id-parameter"],
                adopted: physical["raxx-freescout-ssh_key-parameter"],
                repoSecret: physical["platform-token-github-secret-HEROKU_API_KEY"],
                envSecret: physical["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN"],
                envVariable: physical["audit-ingest-github-variable-CONSOLE_INTERNAL_URL"],
                heroku: physical["audit-ingest-raxx-console-prod"],
                mx: physical["mail-dns-mx-aspmx.l.google.com"],
                spf: physical["mail-dns-txt-spf"],
                cloudflareToken: physical["billing-readonly-cloudflare-token-a"],
                randomBytes: physical["audit-ingest-token-bytes-a"],
            },
            {
                attachment: "IAM user raxx-billing-readonly ← IAM policy raxx-billing-readonly-policy",
                ssm: "SSM SecureString /raxx/billing-readonly/aws_access_key_id",
                adopted: "SSM SecureString /raxx/freescout/ssh_key (adopted: imported, never written)",
                repoSecret: "GitHub secret MooseQuest/raxx HEROKU_API_KEY",
                envSecret: "GitHub secret MooseQuest/raxx environment production: CONSOLE_AUDIT_INGEST_TOKEN",
                envVariable: "GitHub variable MooseQuest/raxx environment production: CONSOLE_INTERNAL_URL = https://console.raxx.app",
                heroku: "Heroku raxx-console-prod: FLAG_CONSOLE_DEPLOY_AUDIT_INGEST=on, CONSOLE_AUDIT_INGEST_TOKEN [secret]",
                mx: "DNS MX raxx.app 1 aspmx.l.google.com",
                spf: 'DNS TXT raxx.app "v=spf1 include:_spf.google.com include:spf.mtasv.net ~all"',
                cloudflareToken: 'Cloudflare API token "raxx-billing-readonly"',
                randomBytes: "32 random bytes",
            },
        );
        const token = plans.get("prod")!.resources.find((r) => r.name === "billing-readonly-cloudflare-token-a")!;
        assert.deepEqual(token.inputs.policies, [
            {
                effect: "allow",
                permissionGroups: [{ id: "7cf72faf220841aabcfdfab81c43c4f6" }],
                resources: '{"com.cloudflare.api.account.[looked up by getZone (account.id)]":"*"}',
            },
        ]);
        const parameter = plans.get("prod")!.resources.find((r) => r.name === "raxx-billing-readonly-aws_secret_access_key-parameter")!;
        assert.equal(parameter.inputs.value, "[secret]");
    });

    it("shows the Workspace addresses (SPEC 9): the preconditions, each group with its settings, each member; and the no-reply password's row in the user form", async () => {
        const physical = Object.fromEntries(plans.get("prod")!.resources.filter((r) => r.name.startsWith("workspace")).map((r) => [r.name, r.physical]));
        const team =
            "allowExternalMembers=false, whoCanJoin=INVITED_CAN_JOIN, whoCanModerateMembers=OWNERS_AND_MANAGERS, whoCanPostMessage=ALL_IN_DOMAIN_CAN_POST, whoCanViewGroup=ALL_IN_DOMAIN_CAN_VIEW, whoCanViewMembership=ALL_IN_DOMAIN_CAN_VIEW";
        assert.deepEqual(physical, {
            workspace: "",
            "workspace-preconditions": "preconditions of Workspace addresses on raxx.app: a verified secondary domain, DKIM NOT declared (the up stops here)",
            "workspace-ops": `Workspace group ops@raxx.app "Raxx Ops": ${team}`,
            "workspace-billing": `Workspace group billing@raxx.app "Raxx Billing": ${team}`,
            "workspace-no-reply":
                'Workspace group no-reply@raxx.app "No Reply Raxx": allowExternalMembers=false, allowWebPosting=false, archiveOnly=true, defaultMessageDenyNotificationText=This address does not accept replies. For support, email support@raxx.app., includeInGlobalAddressList=false, sendMessageDenyNotification=true, whoCanJoin=INVITED_CAN_JOIN, whoCanViewGroup=ALL_MANAGERS_CAN_VIEW, whoCanViewMembership=ALL_MANAGERS_CAN_VIEW',
            "workspace-ops-member-kris@moosequest.net": "member of Workspace group ops@raxx.app: kris@moosequest.net, owner",
            "workspace-billing-member-kris@moosequest.net": "member of Workspace group billing@raxx.app: kris@moosequest.net, owner",
            "workspace-no-reply-member-kris@moosequest.net": "member of Workspace group no-reply@raxx.app: kris@moosequest.net, owner",
        });
        assert.equal(plans.get("prod")!.secrets.find((s) => s.id === "workspaceNoReplyPassword"), undefined, "the group form issues no password");
        const user = buildPlan(
            await runOffline("prod", pinned("prod", { "raxx-platform:workspaceNoReplyForm": "user", "raxx-platform:workspaceNoReplyPasswordRotation": `active=a a=${D1}` })),
        );
        assert.equal(
            user.resources.find((r) => r.name === "workspace-no-reply-user")!.physical,
            'Workspace user no-reply@raxx.app "No Reply Raxx", suspended: no sign-in, no mail',
        );
        const row = user.secrets.find((s) => s.id === "workspaceNoReplyPassword")!;
        assert.deepEqual(
            row.placements.map((p) => [p.place, p.slot]),
            [["workspace user no-reply@raxx.app", "a"]],
        );
        assert.equal(user.resources.find((r) => r.name === "workspace-no-reply-user")!.inputs.password, "[secret]");
    });

    it("has every row of the log's secrets table, with exactly its places, in the stack that owns it", () => {
        const places = (plan: Plan) =>
            Object.fromEntries(
                plan.secrets.map((s) => {
                    for (const p of s.placements) assert.equal(p.slot, s.rotation === null ? null : s.rotation.active, `${s.id}: ${p.place}`);
                    return [s.id, { kind: s.kind, scope: s.scope, issuedBy: s.issuedBy, places: s.placements.map((p) => p.place) }];
                }),
            );
        const ssm = (...paths: string[]) => paths.map((p) => `ssm ${p}`);
        assert.deepEqual(places(plans.get("prod")!), {
            // "CONSOLE_AUDIT_INGEST_TOKEN: GH env secrets (production + staging) + Heroku config vars": production's half.
            auditIngestToken: {
                kind: "issued",
                scope: "environment",
                issuedBy: "random bytes",
                places: ["github secret raxx (production)/CONSOLE_AUDIT_INGEST_TOKEN", "heroku raxx-console-prod/CONSOLE_AUDIT_INGEST_TOKEN"],
            },
            // "AWS billing access key: SSM aws_access_key_id + aws_secret_access_key".
            awsBillingKey: {
                kind: "issued",
                scope: "shared",
                issuedBy: "AWS IAM access key",
                places: ssm("/raxx/billing-readonly/aws_access_key_id", "/raxx/billing-readonly/aws_secret_access_key"),
            },
            // SPEC 2's Cloudflare token, which the log could not mint; and the vault row it left for later (SPEC 7).
            cloudflareBillingToken: {
                kind: "issued",
                scope: "shared",
                issuedBy: "Cloudflare API token",
                places: [...ssm("/raxx/billing-readonly/cloudflare_billing_token"), "vault prod /Raxx/Console/Billing/CLOUDFLARE_BILLING_TOKEN"],
            },
            // "FreeScout backup IAM access key: GH repo secrets AWS_BACKUP_ACCESS_KEY_ID + AWS_BACKUP_SECRET_ACCESS_KEY".
            freescoutBackupKey: {
                kind: "issued",
                scope: "shared",
                issuedBy: "AWS IAM access key",
                places: ["github secret raxx/AWS_BACKUP_ACCESS_KEY_ID", "github secret raxx/AWS_BACKUP_SECRET_ACCESS_KEY"],
            },
            // "Heroku billing token: SSM heroku_billing_api_key + heroku_billing_auth_id".
            herokuBillingToken: {
                kind: "issued",
                scope: "shared",
                issuedBy: "Heroku OAuth authorization",
                places: [...ssm("/raxx/billing-readonly/heroku_billing_api_key", "/raxx/billing-readonly/heroku_billing_auth_id"), "vault prod /Raxx/Console/Billing/HEROKU_BILLING_API_KEY"],
            },
            // "Heroku Platform API token: Heroku config vars (4 apps) + GH repo secret HEROKU_API_KEY".
            herokuPlatformToken: {
                kind: "issued",
                scope: "shared",
                issuedBy: "Heroku OAuth authorization",
                places: [
                    "github secret raxx/HEROKU_API_KEY",
                    "heroku raxx-api-prod/HEROKU_API_KEY",
                    "heroku raxx-api-staging/HEROKU_API_KEY",
                    "heroku raxx-console-prod/HEROKU_API_KEY",
                    "heroku raxx-console-staging/HEROKU_API_KEY",
                    // The log's two vault rows for item 1, "NEEDS OPERATOR WRITE".
                    "vault prod /MooseQuest/heroku/HEROKU_API_KEY__AUTH_ID",
                    "vault prod /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN",
                ],
            },
            // SPEC 7: the key to the vault, which the log did not have.
            vaultAccessToken: {
                kind: "issued",
                scope: "shared",
                issuedBy: "Cloudflare Access service token",
                // Written to these two; the vault secrets carry it too, as the headers of their requests (tests/vault.test.ts).
                places: ["github secret raxx/CF_ACCESS_CLIENT_ID", "github secret raxx/CF_ACCESS_CLIENT_SECRET"],
            },
            // "FreeScout DB password" and "FreeScout SSH key": live, adopted, never written.
            "/raxx/freescout/db_password": {
                kind: "adopted",
                scope: "shared",
                issuedBy: "written by hand; adopted (imported), never written, replaced or deleted by the stack",
                places: ssm("/raxx/freescout/db_password"),
            },
            "/raxx/freescout/ssh_key": {
                kind: "adopted",
                scope: "shared",
                issuedBy: "written by hand; adopted (imported), never written, replaced or deleted by the stack",
                places: ssm("/raxx/freescout/ssh_key"),
            },
        });
        // The audit token's staging half.
        assert.deepEqual(places(plans.get("staging")!), {
            auditIngestToken: {
                kind: "issued",
                scope: "environment",
                issuedBy: "random bytes",
                places: ["github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN", "heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN"],
            },
        });
        // SPEC 1: the deploy token's authorization id is kept, as a stack output.
        const deploy = plans.get("prod")!.secrets.find((s) => s.id === "herokuPlatformToken")!;
        assert.deepEqual(
            deploy.outputs.map((o) => o.output),
            deploy.issuers.map((i) => `herokuPlatformTokenAuthorizations.${i.slot}`),
        );
        for (const s of plans.get("prod")!.secrets.filter((x) => x.kind === "issued")) {
            assert.equal(s.stack, "prod");
            assert.equal(s.rotation!.entry, s.rotation!.entry.trim());
            assert.ok(s.issuers.some((i) => i.active), s.id);
        }
    });

    describe("checks", () => {
        const OFF = "off: verifyCredentials is false";
        const urn = (path: string) => `urn:pulumi:staging::raxx-platform::raxx:audit:AuditIngest$${path}`;
        /** The staging plan's one secret, with the checks on and off. */
        let on: Plan;
        let off: Plan;
        let offRun: MockRunResult;
        before(async () => {
            on = buildPlan(await runOffline("staging", pinned("staging")));
            const disabled = await runOffline("staging", pinned("staging", { "raxx-platform:verifyCredentials": "false" }));
            off = buildPlan(disabled);
            offRun = disabled.run;
        });

        /** The cell of the secrets map's row of `id` in the column `column` of the Markdown. */
        const markdownCell = (markdown: string, id: string, column: string): string => {
            const rows = markdown.split("\n").filter((l) => l.startsWith("| "));
            const header = rows.find((l) => l.startsWith("| Credential |"))!.split(" | ");
            return rows.find((l) => l.startsWith(`| \`${id}\` |`))!.split(" | ")[header.indexOf(column)];
        };

        it("lists in the secrets map each check of a credential: its slots' and its places', in JSON, text and Markdown", () => {
            const checks = [
                { of: "credential", what: "slot a", resource: "audit-ingest-token-check-a", urn: urn("raxx:random:RotatingToken$pulumi-nodejs:dynamic/verify:CredentialCheck::audit-ingest-token-check-a"), enabled: true },
                { of: "consumer", what: "github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN", resource: "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", urn: urn("raxx:github:ActionsValues$pulumi-nodejs:dynamic/verify:ConsumerCheck::audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check"), enabled: true },
                { of: "consumer", what: "heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN", resource: "audit-ingest-raxx-console-staging-check", urn: urn("pulumi-nodejs:dynamic/verify:ConsumerCheck::audit-ingest-raxx-console-staging-check"), enabled: true },
            ];
            assert.deepEqual(JSON.parse(JSON.stringify(on.secrets.map((s) => [s.id, s.checks]))), [["auditIngestToken", checks]]);
            const text = renderText(on, undefined, PLAIN);
            assert.ok(
                text.includes(
                    [
                        "    written to  github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN (slot a)",
                        "                heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN (slot a)",
                        "    checked by  audit-ingest-token-check-a: slot a, before any consumer gets it",
                        "                audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check: github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN, after the write",
                        "                audit-ingest-raxx-console-staging-check: heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN, after the write",
                    ].join("\n"),
                ),
                text,
            );
            assert.equal(
                markdownCell(renderMarkdown(on, undefined), "auditIngestToken", "Checked"),
                "slot a, before any consumer gets it<br>github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN, after the write<br>heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN, after the write",
            );
            assert.match(renderMarkdown(on, undefined), /\n\| Credential \| What \| Issued by \| Written to \| Checked \| Rotation \| Stack \|\n\|---\|---\|---\|---\|---\|---\|---\|\n/);
        });

        it("puts every check the program declares in the row of its credential, and none in an adopted secret's", () => {
            const prod = plans.get("prod")!;
            const run = runs.get("prod")!;
            const declared = run.registrations.filter((r) => checkOf(r.type) !== undefined);
            assert.equal(declared.length, 27);
            assert.deepEqual(prod.secrets.flatMap((s) => s.checks.map((c) => c.resource)).sort(), declared.map((r) => r.name).sort());
            for (const s of prod.secrets) {
                for (const c of s.checks) assert.equal(declared.find((r) => r.name === c.resource)!.inputs.credential, s.id, c.resource);
                if (s.kind === "adopted") assert.deepEqual(s.checks, [], s.id);
            }
            const text = renderText(prod, undefined, PLAIN);
            assert.ok(
                text.includes(
                    "    checked by  billing-readonly-cloudflare-check-a: slot a, before any consumer gets it\n" +
                        "                raxx-billing-readonly-cloudflare_billing_token-check: ssm /raxx/billing-readonly/cloudflare_billing_token, after the write\n" +
                        "                billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN-check: vault prod /Raxx/Console/Billing/CLOUDFLARE_BILLING_TOKEN, after the write\n",
                ),
                text,
            );
        });

        it(`says "${OFF}" of every check, in every format, and changes nothing else`, () => {
            assert.deepEqual(
                JSON.parse(JSON.stringify(off.secrets)),
                JSON.parse(JSON.stringify(on.secrets.map((s) => ({ ...s, checks: s.checks.map((c) => ({ ...c, enabled: false })) })))),
            );
            const changed = (a: string, b: string) => {
                const [x, y] = [a.split("\n"), b.split("\n")];
                assert.equal(x.length, y.length);
                return x.flatMap((line, k) => (line === y[k] ? [] : [[line, y[k]]]));
            };
            const resource = (name: string, type: string, words: string) => `${name}  pulumi-nodejs:dynamic/verify:${type}  ${words}`;
            const text = (plan: Plan) => renderText(plan, undefined, PLAIN);
            assert.deepEqual(
                changed(text(on), text(off)).map(([a, b]) => [a.trim(), b.trim()]),
                [
                    [
                        resource("audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", "ConsumerCheck", "check of github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write"),
                        resource("audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", "ConsumerCheck", `check of github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write, ${OFF}`),
                    ],
                    [
                        resource("audit-ingest-raxx-console-staging-check", "ConsumerCheck", "check of heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write"),
                        resource("audit-ingest-raxx-console-staging-check", "ConsumerCheck", `check of heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write, ${OFF}`),
                    ],
                    [
                        resource("audit-ingest-token-check-a", "CredentialCheck", "check of auditIngestToken slot a (randomBytes), before any consumer gets it"),
                        resource("audit-ingest-token-check-a", "CredentialCheck", `check of auditIngestToken slot a (randomBytes), before any consumer gets it, ${OFF}`),
                    ],
                    ["checked by  audit-ingest-token-check-a: slot a, before any consumer gets it", `checked by  audit-ingest-token-check-a: slot a, before any consumer gets it (${OFF})`],
                    [
                        "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check: github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN, after the write",
                        `audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check: github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN, after the write (${OFF})`,
                    ],
                    [
                        "audit-ingest-raxx-console-staging-check: heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN, after the write",
                        `audit-ingest-raxx-console-staging-check: heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN, after the write (${OFF})`,
                    ],
                ],
            );
            const markdown = renderMarkdown(off, undefined);
            assert.equal(
                markdownCell(markdown, "auditIngestToken", "Checked"),
                `slot a, before any consumer gets it (${OFF})<br>github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN, after the write (${OFF})<br>heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN, after the write (${OFF})`,
            );
            assert.deepEqual(
                // The secrets map's row, and each check's row of the resources.
                changed(renderMarkdown(on, undefined), markdown).map(([a]) => /`([^`]+)`/.exec(a)![1]),
                ["auditIngestToken", "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", "audit-ingest-raxx-console-staging-check", "audit-ingest-token-check-a"],
            );
            const values = forbidden([offRun], []);
            for (const [what, shown] of Object.entries({ text: text(off), colour: renderText(off, undefined, COLOUR), markdown, json: JSON.stringify(off) })) assertNoneIn(shown, values, what);
        });
    });

    it("takes only own keys for credential ids, issuer types and secret config keys", () => {
        const component = (credential: string) => ({
            type: "raxx:test:Slots",
            name: `slots-${credential}`,
            urn: `urn:pulumi:prod::raxx-platform::raxx:test:Slots::slots-${credential}`,
            parent: "",
            custom: false,
            inputs: { credential },
        });
        const issuer = (parent: { urn: string }, type = "random:index/randomBytes:RandomBytes") => ({ type, name: "bytes-a", urn: `${parent.urn}-bytes-a`, parent: parent.urn, custom: true, inputs: { length: 32 } });
        const entries = (...registrations: object[]) =>
            credentialEntries({ registrations, outputs: {}, secretOutputs: [], calls: [], error: undefined } as unknown as MockRunResult);
        const audit = component("auditIngestToken");
        assert.deepEqual(entries(audit, issuer(audit)).map((e) => e.id), ["auditIngestToken"]);
        for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
            const c = component(name);
            assert.deepEqual(entries(c, issuer(c)), [], name);
            assert.deepEqual(entries(audit, issuer(audit, name)), [], name);
        }
        assert.deepEqual(checkConfig("staging", { values: {}, secretKeys: ["toString", "constructor", "hasOwnProperty"] }).secretKeys, []);
    });

    describe("--diff-config", () => {
        let base: OfflineRun;
        let rotated: OfflineRun;
        let rotation: PlanDiff;
        const consumers = [
            "platform-token-github-secret-HEROKU_API_KEY",
            "platform-token-raxx-api-prod",
            "platform-token-raxx-api-staging",
            "platform-token-raxx-console-prod",
            "platform-token-raxx-console-staging",
            "platform-token-vault-HEROKU_API_KEY__AUTH_ID",
            "platform-token-vault-HEROKU_PLATFORM_API_TOKEN",
        ];
        /** The checks of the places the consumers write, which check the new value too: each named after its place. */
        const consumerChecks = consumers.map((c) => `${c}-check`);
        before(async () => {
            base = await runOffline("prod", pinned("prod"));
            rotated = await runOffline("prod", {
                values: { ...pinned("prod").values, [PLATFORM]: `active=b a=${D1} b=${D2}`, "raxx-platform:herokuApiKey": secretPlaceholder("raxx-platform:herokuApiKey") },
                secretKeys: ["raxx-platform:herokuApiKey"],
            });
            rotation = await diffRuns(base, rotated);
        });

        it("a rotation creates exactly the new slot's issuer and its check, and updates exactly its consumers and their checks", () => {
            assert.deepEqual(names(rotation.create), ["platform-token-heroku-authorization-b", "platform-token-heroku-check-b"]);
            assert.deepEqual(names(rotation.replace), []);
            assert.deepEqual(names(rotation.delete), []);
            assert.deepEqual(names(rotation.update), [...consumers, ...consumerChecks].sort());
            const change = (field: string, output: string) => [`${field}: [secret] changes (now from platform-token-heroku-authorization-b.${output}, was platform-token-heroku-authorization-a.${output})`];
            for (const u of rotation.update) {
                const expected = u.name.startsWith("platform-token-vault-HEROKU_API_KEY__AUTH_ID") ? change("value", "id") : change(/-raxx-(api|console)-[a-z]+$/.test(u.name) ? "secretVars" : "value", "token");
                assert.deepEqual(u.reasons, expected, u.name);
            }
            // Slot a's check is not among them: it checks slot a's credential, which the rotation leaves alone.
            assert.equal(rotation.unchanged, rotated.run.registrations.length - 2 - consumers.length - consumerChecks.length);
        });

        it("a new date for the active slot replaces exactly its issuer and updates exactly its check, its consumers and theirs", async () => {
            const redated = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=a a=${D2}` }));
            const d = await diffRuns(base, redated);
            assert.deepEqual(names(d.create), []);
            assert.deepEqual(names(d.delete), []);
            assert.deepEqual(names(d.replace), ["platform-token-heroku-authorization-a"]);
            assert.deepEqual(d.replace[0].reasons, [
                `replacementTrigger "${D1}" → "${D2}"`,
                "the Heroku provider replaces on description",
                `description: "raxx-platform-token-${D1}" → "raxx-platform-token-${D2}"`,
                "WARNING: replaces herokuPlatformToken's active slot a, the credential consumers hold now; date the inactive slot and make it active instead (docs/rotation.md)",
            ]);
            // The replaced slot's check runs again on the new credential, and so do the consumers' checks.
            assert.deepEqual(names(d.update), [...consumers, ...consumerChecks, "platform-token-heroku-check-a"].sort());
            for (const u of d.update) assert.deepEqual(u.reasons, ["takes outputs of platform-token-heroku-authorization-a, which is replaced"], u.name);
        });

        it("warns as well when slot b is active and gets a new date, and names slot b", async () => {
            // After a rotation to b, slot a holds the previous generation and b the one consumers read.
            const onB = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=b a=${D1} b=${D2}` }));
            const redated = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=b a=${D1} b=${D3}` }));
            const d = await diffRuns(onB, redated);
            assert.deepEqual(names(d.replace), ["platform-token-heroku-authorization-b"]);
            assert.deepEqual(d.replace[0].reasons, [
                `replacementTrigger "${D2}" → "${D3}"`,
                "the Heroku provider replaces on description",
                `description: "raxx-platform-token-${D2}" → "raxx-platform-token-${D3}"`,
                "WARNING: replaces herokuPlatformToken's active slot b, the credential consumers hold now; date the inactive slot and make it active instead (docs/rotation.md)",
            ]);
            // Re-dating the previous generation (a) is how the next rotation starts: no warning.
            const next = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=b a=${D3} b=${D2}` }));
            const quiet = await diffRuns(onB, next);
            assert.deepEqual(names(quiet.replace), ["platform-token-heroku-authorization-a"]);
            assert.deepEqual(quiet.replace[0].reasons.filter((r) => r.startsWith("WARNING")), []);
        });

        it("does not warn when the re-dated slot becomes active, as a rotation does", async () => {
            const rotatedB = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=b a=${D1} b=${D2}` }));
            const again = await runOffline("prod", pinned("prod", { [PLATFORM]: `active=a a=${D3} b=${D2}` }));
            const d = await diffRuns(rotatedB, again);
            assert.deepEqual(names(d.replace), ["platform-token-heroku-authorization-a"]);
            assert.ok(!d.replace[0].reasons.some((r) => r.startsWith("WARNING")), d.replace[0].reasons.join("; "));
        });

        it("shows a secret key's value as [secret], even where it is given in plain text", () => {
            // Validation refuses such a config before any run; this holds even without it.
            const run = (values: Record<string, string>) => ({ values, secretKeys: [], redactor: new Redactor(new Map()) }) as unknown as OfflineRun;
            const key = "raxx-platform:herokuApiKey";
            assert.deepEqual(configChanges(run({ [key]: "" }), run({ [key]: "HRKU-plaintext-canary-123" })), [{ key, before: null, after: "[secret]" }]);
            assert.deepEqual(configChanges(run({ [key]: "HRKU-plaintext-canary-123" }), run({ [key]: "HRKU-plaintext-canary-456" })), [
                { key, before: "[secret]", after: "[secret]" },
            ]);
        });

        it("shows no value in any format: text, colour, Markdown, JSON and the diff", async () => {
            const diff: DiffReport = { file: "rotation.yaml", config: configChanges(base, rotated), changes: rotation, limits: DIFF_LIMITS };
            assert.deepEqual(diff.config, [
                { key: "raxx-platform:herokuApiKey", before: null, after: "[secret]" },
                { key: PLATFORM, before: `active=a a=${D1}`, after: `active=b a=${D1} b=${D2}` },
            ]);
            const plan = { ...buildPlan(rotated), diff };
            // And once through the tool, from a file with a `secure:` value.
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
            const file = path.join(dir, "rotation.yaml");
            fs.writeFileSync(file, ["config:", `  ${PLATFORM}: active=b a=${D1} b=${D2}`, "  raxx-platform:herokuApiKey:", `    secure: ${CIPHERTEXT}`, ""].join("\n"));
            const io = captureIo();
            const code = await invoke(planTool, ["--stack", "prod", "--markdown", "--diff-config", file], io);
            fs.rmSync(dir, { recursive: true, force: true });
            assert.equal(code, 0, io.stderr);
            assert.match(io.stdout, /\| `raxx-platform:herokuApiKey` \| `\(unset\)` \| `\[secret\]` \|/);
            assert.match(io.stdout, /\| create \| `platform-token-heroku-authorization-b` \|/);
            const outputs = {
                tool: io.stdout,
                text: renderText(plan, diff, PLAIN),
                colour: renderText(plan, diff, COLOUR),
                markdown: renderMarkdown(plan, diff),
                json: JSON.stringify(plan),
                prodJson: JSON.stringify(plans.get("prod")),
                stagingJson: JSON.stringify(plans.get("staging")),
            };
            const values = forbidden([base.run, rotated.run, ...runs.values()], ["raxx-platform:herokuApiKey"]);
            for (const v of ["fake-heroku-token-of-platform-token-heroku-authorization-b", "fake-secret-access-key-of-billing-readonly-aws-access-key-a"]) {
                assert.ok(values.includes(v), v);
            }
            for (const [what, text] of Object.entries(outputs)) {
                assertNoneIn(text, values, what);
                assert.match(text, /\[secret\]/, what);
            }
            assert.match(outputs.markdown, /\| update \| `platform-token-raxx-api-prod` \|/);
            assert.match(outputs.text, /create \(2\):\n {4}\+ platform-token-heroku-authorization-b  .*\n {4}\+ platform-token-heroku-check-b  /);
        });
    });

    it("--diff-base: shows what the checked-in config changes against the base branch's stack file, a key only the base has as removed", async () => {
        const checkedIn = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        const head = String(checkedIn.config[PLATFORM]);
        const base = { config: { ...checkedIn.config, [PLATFORM]: "active=a a=2026-02-01", "raxx-platform:rotationMaxAgeDays": 30 } };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
        const file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(file, YAML.stringify(base));
        try {
            const io = captureIo();
            assert.equal(await invoke(planTool, ["--stack", "prod", "--json", "--diff-base", file], io), 0, io.stderr);
            const diff = (JSON.parse(io.stdout) as { diff: DiffReport }).diff;
            assert.equal(diff.file, "Pulumi.prod.yaml");
            assert.equal(diff.against, file);
            assert.deepEqual(diff.config, [
                { key: PLATFORM, before: "active=a a=2026-02-01", after: head },
                { key: "raxx-platform:rotationMaxAgeDays", before: "30", after: "90" },
            ]);
            assert.deepEqual(names(diff.changes.replace), ["platform-token-heroku-authorization-a"]);
            assert.deepEqual(names(diff.changes.create), []);
            assert.deepEqual(names(diff.changes.delete), []);
            const md = captureIo();
            assert.equal(await invoke(planTool, ["--stack", "prod", "--markdown", "--diff-base", file], md), 0, md.stderr);
            assert.ok(md.stdout.includes(`### What \`Pulumi.prod.yaml\` changes against \`${file}\``), md.stdout);
            const both = captureIo();
            assert.equal(await invoke(planTool, ["--stack", "prod", "--diff-base", file, "--diff-config", file], both), 2);
            assert.match(both.stderr, /^--diff-config and --diff-base exclude each other\n/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a secret key that --diff-config gives in plain text, exit 2, never printing its value", async () => {
        const canary = "HRKU-plaintext-canary-123";
        const problem = "raxx-platform:herokuApiKey: is set in plain text, but it is a secret; set it with `pulumi config set --secret herokuApiKey <value>`";
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
        const file = path.join(dir, "plain-secret.yaml");
        fs.writeFileSync(file, ["config:", `  ${PLATFORM}: active=b a=${D1} b=${D2}`, `  raxx-platform:herokuApiKey: ${canary}`, ""].join("\n"));
        try {
            for (const format of [[], ["--json"], ["--markdown"]]) {
                const io = captureIo();
                assert.equal(await invoke(planTool, ["--stack", "prod", ...format, "--diff-config", file], io), 2, format.join(" "));
                assert.equal(
                    io.stderr,
                    `Invalid stack config (1 problem):\n  - ${problem}\nSet a value with \`pulumi config set <key> <value>\`; Pulumi.yaml describes every key.\n`,
                );
                if (format[0] === "--json") assert.deepEqual(JSON.parse(io.stdout), { version: 1, stack: "prod", problems: [problem] });
                else if (format[0] === "--markdown") assert.equal(io.stdout, `## Offline plan: stack \`prod\`: invalid config\n\n- ${problem}\n`);
                else assert.equal(io.stdout, "");
                assertNoneIn(io.stdout + io.stderr, [canary], `plan ${format.join(" ")}`);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("ownership", () => {
        const heroku = (first: string, second: string) =>
            `Heroku app raxx-console-staging, config var HEROKU_API_KEY: declared by ${first} and ${second}; each would overwrite or remove the other's on update or delete, so declare it in one stack only`;

        it("refuses a --diff-config that makes staging declare what prod declares, naming app, key, stacks and resources", async () => {
            // Staging's config made a copy of prod's: the one config-only way to declare prod's HEROKU_API_KEY on raxx-console-staging again.
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
            const file = path.join(dir, "copy-of-prod.yaml");
            fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), file);
            const line = heroku("stack staging (resource platform-token-raxx-console-staging)", "stack prod (resource platform-token-raxx-console-staging)");
            const count = new Set(runs.get("prod")!.registrations.flatMap(physicalIds)).size;
            try {
                const text = captureIo();
                assert.equal(await invoke(planTool, ["--stack", "staging", "--diff-config", file], text), 2);
                assert.equal(text.stdout, "");
                const lines = text.stderr.split("\n");
                assert.equal(lines[0], `Declared twice (${count} problems):`);
                assert.ok(lines.includes(`  - ${line}`), text.stderr);
                assert.equal(lines.at(-2), 'Every physical thing belongs to exactly one stack and one resource; see "Stacks and who owns what" in README.md.');
                const json = captureIo();
                assert.equal(await invoke(planTool, ["--stack", "staging", "--json", "--diff-config", file], json), 2);
                const out = JSON.parse(json.stdout) as { version: number; stack: string; problems: string[] };
                assert.deepEqual([out.version, out.stack, out.problems.length], [1, "staging", count]);
                assert.ok(out.problems.includes(line));
                const markdown = captureIo();
                assert.equal(await invoke(planTool, ["--stack", "staging", "--markdown", "--diff-config", file], markdown), 2);
                assert.ok(markdown.stdout.startsWith(`## Offline plan: stack \`staging\`: declared twice\n\n- `), markdown.stdout);
                assert.ok(markdown.stdout.includes(`\n- ${line}\n`));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("compares with every other stack, and refuses what another stack declares too", async () => {
            const staging = await runOffline("staging");
            const evaluated: string[] = [];
            await checkOwnership(staging, {
                evaluate: (stack) => {
                    evaluated.push(stack);
                    return Promise.resolve(runs.get(stack)!);
                },
            });
            assert.deepEqual(evaluated, ["prod"]);
            // A third stack that is a copy of staging: the plan of staging refuses, as the check does.
            const copy = { stacks: ["qa"], evaluate: () => Promise.resolve(staging.run) };
            await assert.rejects(planOf("staging", undefined, copy), { name: "OwnershipError", message: /^Declared twice \(4 problems\):\n/ });
            await assert.rejects(checkOwnership(staging, copy), {
                name: "OwnershipError",
                message: [
                    "Declared twice (4 problems):",
                    "  - github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN: declared by stack staging (resource audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN) and stack qa (resource audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
                    "  - github variable raxx (staging)/CONSOLE_INTERNAL_URL: declared by stack staging (resource audit-ingest-github-variable-CONSOLE_INTERNAL_URL) and stack qa (resource audit-ingest-github-variable-CONSOLE_INTERNAL_URL); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
                    "  - Heroku app raxx-console-staging, config var CONSOLE_AUDIT_INGEST_TOKEN: declared by stack staging (resource audit-ingest-raxx-console-staging) and stack qa (resource audit-ingest-raxx-console-staging); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
                    "  - Heroku app raxx-console-staging, config var FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: declared by stack staging (resource audit-ingest-raxx-console-staging) and stack qa (resource audit-ingest-raxx-console-staging); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
                    'Every physical thing belongs to exactly one stack and one resource; see "Stacks and who owns what" in README.md.',
                ].join("\n"),
            });
        });

        it("refuses to plan when another stack's config is invalid, since what it declares is unknown", async () => {
            const staging = await runOffline("staging");
            const invalid = { registrations: [], outputs: {}, secretOutputs: [], calls: [], error: Object.assign(new Error("Invalid stack config"), { name: "ConfigError" }) };
            await assert.rejects(checkOwnership(staging, { evaluate: () => Promise.resolve(invalid) }), {
                message:
                    "Cannot check what stack staging declares against stack prod: the checked-in config of prod is invalid, so what it declares is unknown; `npm run plan -- --stack prod` lists its problems",
            });
        });
    });

    it("exits 2 on a bad --stack, and on a bad --diff-config with every problem and no secret", async () => {
        const io = captureIo();
        assert.equal(await invoke(planTool, ["--stack", "production"], io), 2);
        assert.match(io.stderr, /--stack must be one of prod, staging \(not "production"\)/);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
        const file = path.join(dir, "bad.yaml");
        fs.writeFileSync(
            file,
            ["config:", "  raxx-platform:environment: prodution", `  ${PLATFORM}: active=c a=2026-13-01`, "  raxx-platform:herokuApiKey:", `    secure: ${CIPHERTEXT}`, ""].join("\n"),
        );
        // The real CLI, as `npm run plan` runs it.
        const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "scripts/plan.ts", "--stack", "prod", "--diff-config", file], {
            cwd: ROOT,
            encoding: "utf8",
        });
        fs.rmSync(dir, { recursive: true, force: true });
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^Invalid stack config \(3 problems\):\n/);
        assert.match(r.stderr, /raxx-platform:environment: "prodution" is not one of production, staging/);
        assert.match(r.stderr, /herokuPlatformTokenRotation: a=2026-13-01 is not a date written YYYY-MM-DD/);
        assert.match(r.stderr, /herokuPlatformTokenRotation: active=c is not a or b/);
        assertNoneIn(r.stderr, [CIPHERTEXT, secretPlaceholder("raxx-platform:herokuApiKey")], "the config error");
    });
});
