// npm run import-plan: the `pulumi import --file` file imports what exists, by
// each provider's documented import id, at the URNs the program registers, and
// lists what needs a lookup, what is adopted otherwise and what cannot be
// imported. No value is ever in it or in the report.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { captureIo, invoke } from "../scripts/lib/cli";
import { FAKE_BILLING_READ_GROUP_ID, FAKE_CLOUDFLARE_ACCOUNT_ID, fakeCloud } from "../scripts/lib/offline/fakeCloud";
import { checkOf } from "../scripts/lib/kinds";
import { githubEnvironment } from "../scripts/lib/kinds/github";
import { ImportFile, ImportPlan, importPlan } from "../scripts/lib/plan/importPlan";
import { OfflineRun, buildPlan, runOffline } from "../scripts/lib/plan/model";
import { PLAIN } from "../scripts/lib/plan/render";
import { importPlanTool, renderImportPlan } from "../scripts/import-plan";

const ZONE = "f12dbb5cac57d5591a5058874498a6d1";
const ACCOUNT = "521228113048";
const RECORDS = [
    "mail-dns-mx-alt1.aspmx.l.google.com",
    "mail-dns-mx-alt2.aspmx.l.google.com",
    "mail-dns-mx-alt3.aspmx.l.google.com",
    "mail-dns-mx-alt4.aspmx.l.google.com",
    "mail-dns-mx-aspmx.l.google.com",
    "mail-dns-txt-dmarc",
    "mail-dns-txt-site-verification",
    "mail-dns-txt-spf",
];

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
/** A looked-up id per record, as the operator's ids file holds them. */
const IDS: Record<string, string> = Object.fromEntries(RECORDS.map((name, k) => [name, `${k}`.padStart(32, "a")]));
const DKIM = `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + "q".repeat(342) + "IDAQAB"}`;

/** The URN the engine gives each entry of an import file: from its parent's URN (file or nameTable), its type and name. */
function urnsOf(file: ImportFile, stack: string): Map<string, string> {
    const entries = new Map(file.resources.map((r) => [r.name, r]));
    const urns = new Map<string, string>(Object.entries(file.nameTable));
    const urnOf = (name: string): string => {
        const known = urns.get(name);
        if (known !== undefined) return known;
        const e = entries.get(name)!;
        const type = e.parent === undefined ? e.type : `${urnOf(e.parent).split("::")[2]}$${e.type}`;
        const urn = `urn:pulumi:${stack}::raxx-platform::${type}::${e.name}`;
        urns.set(name, urn);
        return urn;
    };
    return new Map(file.resources.map((r) => [r.name, urnOf(r.name)]));
}

/** Every fake value of a run but ARNs: an import id is an ARN built from config, which the fake ARNs copy by construction. */
function fakes(r: OfflineRun): string[] {
    const values = new Set([FAKE_CLOUDFLARE_ACCOUNT_ID, FAKE_BILLING_READ_GROUP_ID]);
    for (const reg of r.run.registrations) {
        for (const [field, v] of Object.entries(fakeCloud(reg) ?? {})) if (typeof v === "string" && field !== "arn") values.add(v);
    }
    return [...values];
}

describe("npm run import-plan", () => {
    let prod: OfflineRun;
    let staging: OfflineRun;
    /** With every DNS record's id: the plan that writes a file. */
    let plan: ImportPlan;
    /** Without: the first run, which lists the lookups and writes nothing. */
    let bare: ImportPlan;
    before(async () => {
        prod = await runOffline("prod");
        staging = await runOffline("staging");
        plan = importPlan(prod, { dnsRecordIds: IDS });
        bare = importPlan(prod);
    });

    it("imports each resource by its provider's documented import id", () => {
        const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
        assert.deepEqual(
            plan.imports
                .filter((i) => i.type !== DNS)
                .map((i) => [i.type, i.name, i.id, i.format])
                .sort((a, b) => a[1].localeCompare(b[1])),
            [
                ["github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret", "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN", "raxx:production:CONSOLE_AUDIT_INGEST_TOKEN", "<repository>:<environment>:<secret name>"],
                ["github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable", "audit-ingest-github-variable-CONSOLE_INTERNAL_URL", "raxx:production:CONSOLE_INTERNAL_URL", "<repository>:<environment>:<variable name>"],
                ["aws:iam/policy:Policy", "billing-readonly-aws-policy", arn("raxx-billing-readonly-policy"), "<policy ARN>"],
                ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "billing-readonly-aws-policy-attachment", `raxx-billing-readonly/${arn("raxx-billing-readonly-policy")}`, "<user name>/<policy ARN>"],
                ["aws:iam/user:User", "billing-readonly-aws-user", "raxx-billing-readonly", "<user name>"],
                ["aws:iam/policy:Policy", "freescout-backup-aws-policy", arn("raxx-freescout-backup-policy"), "<policy ARN>"],
                ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "freescout-backup-aws-policy-attachment", `raxx-freescout-backup/${arn("raxx-freescout-backup-policy")}`, "<user name>/<policy ARN>"],
                ["aws:iam/user:User", "freescout-backup-aws-user", "raxx-freescout-backup", "<user name>"],
                ["github:index/actionsSecret:ActionsSecret", "freescout-backup-github-secret-AWS_BACKUP_ACCESS_KEY_ID", "raxx:AWS_BACKUP_ACCESS_KEY_ID", "<repository>:<secret name>"],
                ["github:index/actionsSecret:ActionsSecret", "freescout-backup-github-secret-AWS_BACKUP_SECRET_ACCESS_KEY", "raxx:AWS_BACKUP_SECRET_ACCESS_KEY", "<repository>:<secret name>"],
                ["github:index/actionsSecret:ActionsSecret", "platform-token-github-secret-HEROKU_API_KEY", "raxx:HEROKU_API_KEY", "<repository>:<secret name>"],
                ["aws:ssm/parameter:Parameter", "raxx-billing-readonly-aws_access_key_id-parameter", "/raxx/billing-readonly/aws_access_key_id", "<parameter name>"],
                ["aws:ssm/parameter:Parameter", "raxx-billing-readonly-aws_secret_access_key-parameter", "/raxx/billing-readonly/aws_secret_access_key", "<parameter name>"],
                ["aws:ssm/parameter:Parameter", "raxx-billing-readonly-heroku_billing_api_key-parameter", "/raxx/billing-readonly/heroku_billing_api_key", "<parameter name>"],
                ["aws:ssm/parameter:Parameter", "raxx-billing-readonly-heroku_billing_auth_id-parameter", "/raxx/billing-readonly/heroku_billing_auth_id", "<parameter name>"],
            ],
        );
        assert.deepEqual(
            importPlan(staging).imports.map((i) => [i.name, i.id]),
            [
                ["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN", "raxx:staging:CONSOLE_AUDIT_INGEST_TOKEN"],
                ["audit-ingest-github-variable-CONSOLE_INTERNAL_URL", "raxx:staging:CONSOLE_INTERNAL_URL"],
            ],
        );
        // GitHub writes ":" in an environment name as "??" in import ids.
        assert.equal(githubEnvironment("eu:prod"), "eu??prod");
    });

    it("lands every import at the URN the program registers, through its parents and providers", () => {
        const programUrns = new Map(buildPlan(prod).resources.map((r) => [r.name, r.urn]));
        const file = plan.file!;
        assert.deepEqual(file.nameTable, {
            aws: "urn:pulumi:prod::raxx-platform::pulumi:providers:aws::aws",
            cloudflare: "urn:pulumi:prod::raxx-platform::pulumi:providers:cloudflare::cloudflare",
            github: "urn:pulumi:prod::raxx-platform::pulumi:providers:github::github",
        });
        for (const [name, urn] of urnsOf(file, "prod")) assert.equal(urn, programUrns.get(name), name);
        // Parents come first, and are components; every imported resource has an id and an explicit provider.
        file.resources.forEach((r, k) => {
            if (r.parent !== undefined) assert.ok(file.resources.slice(0, k).some((p) => p.name === r.parent && p.component), r.name);
            if (r.component) assert.equal(r.id, undefined);
            else assert.ok(r.id !== undefined && r.provider !== undefined && r.provider in file.nameTable, r.name);
        });
        assert.deepEqual(
            file.resources.filter((r) => r.component).map((r) => r.name),
            [
                "audit-ingest",
                "billing-readonly",
                "freescout-backup",
                "mail-dns",
                "platform-token",
                "audit-ingest-github",
                "billing-readonly-aws",
                "freescout-backup-aws",
                "freescout-backup-github",
                "platform-token-github",
                "raxx-billing-readonly-aws_access_key_id",
                "raxx-billing-readonly-aws_secret_access_key",
                "raxx-billing-readonly-heroku_billing_api_key",
                "raxx-billing-readonly-heroku_billing_auth_id",
            ],
        );
        assert.deepEqual(
            plan.prerequisites.map((p) => p.urn),
            ["cloudflare", "github", "aws"].map((p) => `urn:pulumi:prod::raxx-platform::pulumi:providers:${p}::${p}`),
        );
    });

    it("lists the DNS lookups, the adopted, the not importable and the new, and imports nothing twice", () => {
        assert.deepEqual(bare.lookups.map((l) => l.name).sort(), RECORDS);
        assert.deepEqual(plan.lookups, []);
        for (const l of bare.lookups) {
            assert.equal(l.idTemplate, `${ZONE}/<dns record id>`);
            assert.match(l.commands[0], new RegExp(`^curl -sS -H "Authorization: Bearer \\$CLOUDFLARE_API_TOKEN" 'https://api\\.cloudflare\\.com/client/v4/zones/${ZONE}/dns_records\\?type=(TXT|MX)&name=`));
        }
        assert.match(
            bare.lookups.find((l) => l.name === "mail-dns-txt-spf")!.commands[0],
            /dns_records\?type=TXT&name=raxx\.app' \| jq -r '\.result\[\] \| select\(\.content \| contains\("v=spf1 include:_spf\.google\.com include:spf\.mtasv\.net ~all"\)\) \| \.id' {3}# exactly one id$/,
        );
        assert.deepEqual(
            plan.checkFirst.map((c) => [c.name, c.idTemplate, c.commands[0]]),
            [
                [
                    "raxx-billing-readonly-cloudflare_billing_token-parameter",
                    "/raxx/billing-readonly/cloudflare_billing_token",
                    "aws ssm describe-parameters --region us-east-1 --parameter-filters 'Key=Name,Values=/raxx/billing-readonly/cloudflare_billing_token' --query 'Parameters[].Name' --output text",
                ],
                ["vault-access-github-secret-CF_ACCESS_CLIENT_ID", "raxx:CF_ACCESS_CLIENT_ID", "gh secret list -R MooseQuest/raxx --json name --jq '.[].name' | grep -x CF_ACCESS_CLIENT_ID"],
                ["vault-access-github-secret-CF_ACCESS_CLIENT_SECRET", "raxx:CF_ACCESS_CLIENT_SECRET", "gh secret list -R MooseQuest/raxx --json name --jq '.[].name' | grep -x CF_ACCESS_CLIENT_SECRET"],
            ],
        );
        // The FreeScout parameters carry the `import` option: the program imports them, the file does not.
        assert.deepEqual(
            plan.adoptedInCode.map((a) => a.name),
            ["raxx-freescout-db_password-parameter", "raxx-freescout-ssh_key-parameter"],
        );
        const inFile = new Set(plan.file!.resources.map((r) => r.name));
        for (const l of [...plan.adoptedInCode, ...plan.adoptedOnCreate, ...plan.notImportable, ...plan.created, ...plan.lookups, ...plan.checkFirst]) {
            assert.ok(!inFile.has(l.name), `${l.name} is in the file and listed`);
        }
        assert.deepEqual(plan.adoptedOnCreate.map((a) => a.name).sort(), [
            "audit-ingest-raxx-console-prod",
            "billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN",
            "billing-readonly-vault-HEROKU_BILLING_API_KEY",
            "platform-token-raxx-api-prod",
            "platform-token-raxx-api-staging",
            "platform-token-raxx-console-prod",
            "platform-token-raxx-console-staging",
            "platform-token-vault-HEROKU_API_KEY__AUTH_ID",
            "platform-token-vault-HEROKU_PLATFORM_API_TOKEN",
            "workspace-billing",
            "workspace-billing-member-kris@moosequest.net",
            "workspace-no-reply",
            "workspace-no-reply-member-kris@moosequest.net",
            "workspace-ops",
            "workspace-ops-member-kris@moosequest.net",
        ]);
        assert.match(plan.adoptedOnCreate.find((a) => a.name === "workspace-ops")!.note, /^not importable \(pulumi\/pulumi#16175.*ops@raxx\.app should not exist; if it does, the provider's create adopts it \(never deletes it\)/);
        assert.equal(
            plan.adoptedOnCreate.find((a) => a.name === "workspace-ops-member-kris@moosequest.net")!.note,
            "not importable (pulumi/pulumi#16175). The provider's create adds kris@moosequest.net to ops@raxx.app as OWNER, or adopts the membership and sets its role",
        );
        assert.match(plan.adoptedOnCreate.find((a) => a.name === "audit-ingest-raxx-console-prod")!.note, /pulumi\/pulumi#16175.*FLAG_CONSOLE_DEPLOY_AUDIT_INGEST=on \(no write if the app has it already\); CONSOLE_AUDIT_INGEST_TOKEN \[secret\] from audit-ingest-token-bytes-a \(a new value: written\)/);
        assert.deepEqual(plan.notImportable.map((n) => n.name).sort(), [
            "audit-ingest-token-bytes-a",
            "billing-readonly-aws-access-key-a",
            "billing-readonly-heroku-authorization-a",
            "freescout-backup-aws-access-key-a",
            "platform-token-heroku-authorization-a",
        ]);
        const steps = (name: string) => plan.notImportable.find((n) => n.name === name)!.commands.join("\n");
        // Revoked last, the older token first, and only after the evidence that no holder is left.
        assert.match(
            steps("platform-token-heroku-authorization-a"),
            /\n# before: every holder of HEROKU_API_KEY, in every repository, environment and organization secret \(docs\/adoption\.md, step 0, item 6\); last: each one written after the `up`\nfor app in raxx-console-prod raxx-console-staging raxx-api-prod raxx-api-staging; do heroku ps -a \$app; done .*\nheroku authorizations .*\nheroku authorizations:revoke <id of ba6a2961-…-7866b505a3a6> {3}# last \(docs\/adoption\.md, step 7\): only when every holder holds the stack's token and the vault does too\nheroku authorizations:revoke <id of 9d5ec3c4-…-408b9cb3720f> {3}# a day later$/,
        );
        assert.match(steps("billing-readonly-heroku-authorization-a"), /heroku authorizations:revoke <id of 99f3c0a4-…-dfc5842ef9a8>$/);
        assert.match(steps("freescout-backup-aws-access-key-a"), /^aws iam list-access-keys --user-name raxx-freescout-backup {3}# before `pulumi up`: at most one key \(IAM allows two per user\)/);
        // What the first `up` creates in the world, then the checks, which have nothing outside the state: each by URN.
        // The Workspace preconditions are such a check too, with a note of their own.
        const checks = [...prod.run.registrations.filter((reg) => checkOf(reg.type) !== undefined).map((reg) => reg.name), "workspace-preconditions"];
        assert.equal(checks.length, 28);
        assert.match(plan.created.find((c) => c.name === "workspace-preconditions")!.note, /^the preconditions of the Workspace addresses, nothing outside the state: the first `pulumi up` checks that raxx\.app is a verified secondary domain/);
        assert.deepEqual(plan.created.slice(0, 3).map((c) => c.name), ["billing-readonly-cloudflare-token-a", "vault-access-policy", "vault-access-service-token-a"]);
        assert.deepEqual(plan.created.slice(3).map((c) => c.name).sort(), checks.sort());
        const urns = plan.created.slice(3).map((c) => c.urn);
        assert.deepEqual(urns, [...urns].sort());
        for (const c of plan.created.slice(0, 3)) assert.match(c.note, /^never made by hand: /, c.name);
        for (const c of plan.created.slice(3).filter((c) => c.name !== "workspace-preconditions")) {
            assert.deepEqual([c.note, c.commands], ["A check has nothing outside the state: the first `pulumi up` runs it, after what it checks.", []], c.name);
        }
        assert.deepEqual(
            importPlan(staging).created.map((c) => [c.name, c.physical]),
            [
                ["audit-ingest-raxx-console-staging-check", "check of heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write"],
                ["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", "check of github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN (auditIngestToken), after the write"],
                ["audit-ingest-token-check-a", "check of auditIngestToken slot a (randomBytes), before any consumer gets it"],
            ],
        );
    });

    it("is the same plan whatever order the resources register in, which depends on when their inputs resolve", () => {
        for (const r of [prod, staging]) {
            // The explicit providers register first, in the order the program declares them; what follows, as it resolves.
            const provider = (reg: { type: string }) => reg.type.startsWith("pulumi:providers:");
            const registrations = [...r.run.registrations.filter(provider), ...r.run.registrations.filter((reg) => !provider(reg)).reverse()];
            assert.deepEqual(importPlan({ ...r, run: { ...r.run, registrations } }), importPlan(r), r.stack);
        }
    });

    it("writes the file, with looked-up DNS ids and included resources, and shows no value", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-import-plan-"));
        try {
            const ids = Object.fromEntries(RECORDS.map((name, k) => [name, `${k}`.padStart(32, "a")]));
            fs.writeFileSync(path.join(dir, "ids.json"), JSON.stringify(ids));
            const out = path.join(dir, "import.json");
            const io = captureIo();
            const argv = ["--stack", "prod", "--out", out, "--dns-record-ids", path.join(dir, "ids.json"), "--include", "raxx-billing-readonly-cloudflare_billing_token-parameter"];
            assert.equal(await invoke(importPlanTool, argv, io), 0, io.stderr);
            const file = JSON.parse(fs.readFileSync(out, "utf8")) as ImportFile;
            const entry = (name: string) => file.resources.find((r) => r.name === name);
            for (const name of RECORDS) {
                assert.deepEqual(entry(name), { type: "cloudflare:index/dnsRecord:DnsRecord", name, id: `${ZONE}/${ids[name]}`, parent: "mail-dns", provider: "cloudflare" });
            }
            assert.equal(file.nameTable.cloudflare, "urn:pulumi:prod::raxx-platform::pulumi:providers:cloudflare::cloudflare");
            assert.deepEqual(entry("raxx-billing-readonly-cloudflare_billing_token-parameter"), {
                type: "aws:ssm/parameter:Parameter",
                name: "raxx-billing-readonly-cloudflare_billing_token-parameter",
                id: "/raxx/billing-readonly/cloudflare_billing_token",
                parent: "raxx-billing-readonly-cloudflare_billing_token",
                provider: "aws",
            });
            const programUrns = new Map(buildPlan(prod).resources.map((r) => [r.name, r.urn]));
            for (const [name, urn] of urnsOf(file, "prod")) assert.equal(urn, programUrns.get(name), name);
            assert.match(io.stdout, new RegExp(`^Adoption plan of raxx-platform, stack prod .*\n\nWrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: 24 resources to import, with 15 components as their parents\\.`));

            const values = fakes(prod);
            assert.ok(values.includes("fake-secret-access-key-of-freescout-backup-aws-access-key-a"));
            const outputs = { report: io.stdout, file: fs.readFileSync(out, "utf8"), json: JSON.stringify(plan), text: renderImportPlan(plan, "import.json", PLAIN) };
            for (const [what, text] of Object.entries(outputs)) for (const v of values) assert.ok(!text.includes(v), `${what} shows ${v}`);

            fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ "mail-dns-txt-spf": "not-an-id" }));
            const bad = captureIo();
            assert.equal(await invoke(importPlanTool, ["--stack", "prod", "--out", out, "--dns-record-ids", path.join(dir, "bad.json")], bad), 2);
            assert.match(bad.stderr, /^--dns-record-ids: the id of mail-dns-txt-spf is not a Cloudflare record id \(32 lowercase hex characters\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("writes no file while a declared DNS record has no id, and removes one left from an earlier run", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-import-plan-"));
        try {
            const out = path.join(dir, "import.json");
            const { "mail-dns-txt-dmarc": _dmarc, ...partial } = IDS;
            fs.writeFileSync(path.join(dir, "partial.json"), JSON.stringify(partial));
            fs.writeFileSync(path.join(dir, "all.json"), JSON.stringify(IDS));
            assert.equal(await invoke(importPlanTool, ["--stack", "prod", "--out", out, "--dns-record-ids", path.join(dir, "all.json")], captureIo()), 0);
            assert.ok(fs.existsSync(out));

            const io = captureIo();
            assert.equal(await invoke(importPlanTool, ["--stack", "prod", "--out", out, "--dns-record-ids", path.join(dir, "partial.json")], io), 3);
            assert.equal(fs.existsSync(out), false, "a complete file from an earlier run stays to be imported");
            assert.match(io.stdout, new RegExp(`Removed ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, written by an earlier run\\.`));
            assert.match(
                io.stdout,
                /\n\nNo file written: 1 DNS record of the stack has no id \(mail-dns-txt-dmarc\)\. Left out of the import, a record would be created a second time\./,
            );
            assert.deepEqual(importPlan(prod, { dnsRecordIds: partial }).file, null);
            assert.deepEqual(importPlan(prod, { dnsRecordIds: partial }).missingDnsRecordIds, ["mail-dns-txt-dmarc"]);

            // None at all, as on the first run; to stdout, the file part stays empty.
            const none = captureIo();
            assert.equal(await invoke(importPlanTool, ["--stack", "prod", "--out", "-"], none), 3);
            assert.equal(none.stdout, "");
            assert.match(none.stderr, /No file written: 8 DNS records of the stack have no id \(mail-dns-mx-alt1\.aspmx\.l\.google\.com, /);
            const json = captureIo();
            assert.equal(await invoke(importPlanTool, ["--stack", "prod", "--out", out, "--json"], json), 3);
            const parsed = JSON.parse(json.stdout) as ImportPlan;
            assert.deepEqual([parsed.version, parsed.file, parsed.missingDnsRecordIds], [2, null, RECORDS]);

            // Staging declares no DNS record: it needs no ids.
            assert.equal(await invoke(importPlanTool, ["--stack", "staging", "--out", out], captureIo()), 0);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("asks for the DKIM record's id too once it is declared: the up must not create it beside a live one", async () => {
        const withDkim = await runOffline("prod", { values: { "raxx-platform:dkimRecord": DKIM }, secretKeys: [] });
        const p = importPlan(withDkim, { dnsRecordIds: IDS });
        assert.deepEqual([p.file, p.missingDnsRecordIds], [null, ["mail-dns-txt-dkim-google"]]);
        assert.match(p.lookups[0].note, /^SPEC 5: missing on 2026-05-06, and declared because raxx-platform:dkimRecord is set\. If the command prints nothing, the record does not exist: unset raxx-platform:dkimRecord/);
        assert.deepEqual(p.checkFirst.map((c) => c.name).filter((n) => n.includes("dkim")), []);
        const complete = importPlan(withDkim, { dnsRecordIds: { ...IDS, "mail-dns-txt-dkim-google": "b".repeat(32) } });
        assert.equal(complete.file!.resources.find((r) => r.name === "mail-dns-txt-dkim-google")!.id, `${ZONE}/${"b".repeat(32)}`);
    });

    it("prints each --include command with the DNS ids file and what is included already, so running it keeps the DNS imports", () => {
        const p = importPlan(prod, { dnsRecordIds: IDS, dnsRecordIdsFile: "my ids.json", include: ["vault-access-github-secret-CF_ACCESS_CLIENT_ID"] });
        assert.deepEqual(
            p.checkFirst.map((c) => c.commands[1]),
            [
                "npm run import-plan -- --stack prod --dns-record-ids 'my ids.json' --include vault-access-github-secret-CF_ACCESS_CLIENT_ID --include raxx-billing-readonly-cloudflare_billing_token-parameter   # only if the command above printed the name",
                "npm run import-plan -- --stack prod --dns-record-ids 'my ids.json' --include vault-access-github-secret-CF_ACCESS_CLIENT_ID --include vault-access-github-secret-CF_ACCESS_CLIENT_SECRET   # only if the command above printed the name",
            ],
        );
        assert.match(bare.checkFirst[0].commands[1], /^npm run import-plan -- --stack prod --dns-record-ids <ids file> --include raxx-billing-readonly-cloudflare_billing_token-parameter {3}#/);
        assert.match(importPlan(staging).checkFirst.map((c) => c.commands[1]).join("\n") || "none", /^none$|^npm run import-plan -- --stack staging --include /);
    });

    it("backs out only with the saved value: a failed read writes nothing, a good one writes exactly it (run in bash, with stub CLIs)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-backout-"));
        try {
            // Stubs: `aws ssm get-parameter` prints $SAVED or fails when it is unset; every other call records its arguments and stdin.
            const stub = (name: string, read: boolean) =>
                fs.writeFileSync(
                    path.join(dir, name),
                    `#!/bin/bash\n${read ? 'if [ "$2" = get-parameter ]; then [ -n "$SAVED" ] || { echo "expired" >&2; exit 254; }; printf "%s\\n" "$SAVED"; exit 0; fi\n' : ""}` +
                        `{ printf "${name}"; printf " %s" "$@"; [ -t 0 ] || printf " <%s>" "$(cat)"; echo; } >> "${dir}/calls"\n`,
                    { mode: 0o755 },
                );
            stub("aws", true);
            stub("heroku", false);
            stub("gh", false);
            const backOuts = plan.backups.flatMap((b) => b.commands.filter((c) => c.endsWith("# back out")));
            assert.equal(backOuts.length, 13);
            const run = (command: string, saved: string | undefined): string => {
                fs.rmSync(path.join(dir, "calls"), { force: true });
                const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}`, ...(saved === undefined ? {} : { SAVED: saved }) };
                execFileSync("bash", ["-c", command], { env, stdio: ["ignore", "pipe", "pipe"] });
                return fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8") : "";
            };
            for (const command of backOuts) {
                assert.throws(() => run(command, undefined), Error, command);
                assert.equal(fs.existsSync(path.join(dir, "calls")), false, `a failed read still wrote: ${command}`);
                const calls = run(command, "old-value-7");
                assert.equal(calls.split("\n").filter(Boolean).length, 1, command);
                assert.ok(/(=old-value-7 | old-value-7( |$)|<old-value-7>)/.test(calls), `${command}\n${calls}`);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lists what the first up overwrites, with the commands that save it as a secret outside /raxx/* and restore it", () => {
        assert.deepEqual(
            plan.backups.map((b) => [b.physical, b.commands.map((c) => c.slice(c.lastIndexOf("#")))]),
            [
                ["aws iam access key of raxx-billing-readonly", ["# save"]],
                ["aws iam access key of raxx-freescout-backup", ["# save"]],
                ["aws iam policy raxx-billing-readonly-policy", ["# save", "# back out"]],
                ["aws iam policy raxx-freescout-backup-policy", ["# save", "# back out"]],
                ["github secret raxx (production)/CONSOLE_AUDIT_INGEST_TOKEN", ["# back out"]],
                ["github secret raxx/AWS_BACKUP_ACCESS_KEY_ID", []],
                ["github secret raxx/AWS_BACKUP_SECRET_ACCESS_KEY", []],
                ["github secret raxx/HEROKU_API_KEY", ["# back out"]],
                ...["raxx-api-prod", "raxx-api-staging"].map((app) => [`heroku ${app}/HEROKU_API_KEY`, ["# save", "# back out"]]),
                ["heroku raxx-console-prod/CONSOLE_AUDIT_INGEST_TOKEN", ["# save", "# back out"]],
                ...["raxx-console-prod", "raxx-console-staging"].map((app) => [`heroku ${app}/HEROKU_API_KEY`, ["# save", "# back out"]]),
                ...["aws_access_key_id", "aws_secret_access_key", "heroku_billing_api_key", "heroku_billing_auth_id"].map((p) => [`ssm /raxx/billing-readonly/${p}`, ["# save", "# back out"]]),
            ],
        );
        const byPlace = new Map(plan.backups.map((b) => [b.physical, b]));
        assert.deepEqual(byPlace.get("heroku raxx-console-prod/HEROKU_API_KEY")!.commands, [
            "heroku config:get HEROKU_API_KEY -a raxx-console-prod | tr -d '\\n' | aws ssm put-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/heroku/raxx-console-prod/HEROKU_API_KEY --type SecureString --value file:///dev/stdin >/dev/null   # save",
            'v="$(aws ssm get-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/heroku/raxx-console-prod/HEROKU_API_KEY --with-decryption --query Parameter.Value --output text)" && [ -n "$v" ] && heroku config:set -a raxx-console-prod HEROKU_API_KEY="$v" >/dev/null   # back out',
        ]);
        assert.deepEqual(byPlace.get("ssm /raxx/billing-readonly/aws_access_key_id")!.commands, [
            "aws ssm get-parameter --region us-east-1 --name /raxx/billing-readonly/aws_access_key_id --with-decryption --query Parameter.Value --output text | tr -d '\\n' | aws ssm put-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/ssm/raxx/billing-readonly/aws_access_key_id --type SecureString --value file:///dev/stdin >/dev/null   # save",
            'v="$(aws ssm get-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/ssm/raxx/billing-readonly/aws_access_key_id --with-decryption --query Parameter.Value --output text)" && [ -n "$v" ] && aws ssm put-parameter --region us-east-1 --name /raxx/billing-readonly/aws_access_key_id --type SecureString --overwrite --value "$v" >/dev/null   # back out',
        ]);
        assert.deepEqual(byPlace.get("github secret raxx/HEROKU_API_KEY")!.commands, [
            'v="$(aws ssm get-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/heroku/raxx-api-prod/HEROKU_API_KEY --with-decryption --query Parameter.Value --output text)" && [ -n "$v" ] && printf %s "$v" | gh secret set HEROKU_API_KEY -R MooseQuest/raxx   # back out',
        ]);
        assert.deepEqual(byPlace.get("aws iam policy raxx-freescout-backup-policy")!.commands, [
            "aws iam get-policy --policy-arn arn:aws:iam::521228113048:policy/raxx-freescout-backup-policy --query Policy.DefaultVersionId --output text | tr -d '\\n' | aws ssm put-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/iam/raxx-freescout-backup-policy/default-version-id --type SecureString --value file:///dev/stdin >/dev/null   # save",
            'v="$(aws ssm get-parameter --region us-east-1 --name /adoption-backup/raxx-platform/prod/iam/raxx-freescout-backup-policy/default-version-id --with-decryption --query Parameter.Value --output text)" && [ -n "$v" ] && aws iam set-default-policy-version --policy-arn arn:aws:iam::521228113048:policy/raxx-freescout-backup-policy --version-id "$v"   # back out',
        ]);
        assert.match(byPlace.get("github secret raxx/AWS_BACKUP_SECRET_ACCESS_KEY")!.note, /no readable copy exists .*The back-out is forward/);
        for (const b of plan.backups) {
            for (const c of b.commands) {
                // Nothing is printed, a save never overwrites, and nothing lands under /raxx/*, which the preview roles read.
                assert.match(c, /(>\/dev\/null|\| gh secret set .*|set-default-policy-version .*) {3}# (save|back out)$/, c);
                // A back-out goes on only with a value read: an empty credential is never written.
                if (c.endsWith("# back out")) assert.match(c, /^v="\$\(aws ssm get-parameter .* --with-decryption --query Parameter\.Value --output text\)" && \[ -n "\$v" \] && /, c);
                if (c.endsWith("# save")) assert.ok(!c.includes("--overwrite") && / --name \/adoption-backup\/raxx-platform\/prod\//.test(c), c);
            }
        }
        assert.deepEqual(
            importPlan(staging).backups.map((b) => b.physical),
            ["github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN", "heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN"],
        );
    });
});
