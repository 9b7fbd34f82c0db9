// npm run adoption-check: the adoption previews are derived from the program and
// the import file, and a real `pulumi preview --json` that creates what exists
// (a DNS record above all), replaces or deletes anything, failed, or is of
// another stack or program, is refused with each problem named.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { adoptionCheckTool } from "../scripts/adoption-check";
import { captureIo, invoke } from "../scripts/lib/cli";
import { AdoptionExpectation, checkPreview, expectedPreview } from "../scripts/lib/plan/adoptionCheck";
import { ImportFile, importPlan } from "../scripts/lib/plan/importPlan";
import { OfflineRun, runOffline } from "../scripts/lib/plan/model";

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const STACK_URN = "urn:pulumi:prod::raxx-platform::pulumi:pulumi:Stack::raxx-platform-prod";
/** `--json` does not list default providers (internal steps), but one listed is no problem. */
const DEFAULT_RANDOM = "urn:pulumi:prod::raxx-platform::pulumi:providers:random::default_4_21_2";

interface Step {
    op: string;
    urn: string;
}

/** A finished preview in the shape `pulumi preview --json` prints (pkg/display/json.go): the expected op of each resource. */
function previewOf(expect: AdoptionExpectation, edit: (steps: Step[]) => Step[] = (s) => s, extra: object = {}): string {
    const steps: Step[] = expect.resources.filter((e) => e.required).map((e) => ({ op: e.allowed[0], urn: e.urn }));
    return JSON.stringify({ steps: edit([...steps, { op: "create", urn: DEFAULT_RANDOM }]), changeSummary: { create: 1 }, ...extra });
}

function urnOf(expect: AdoptionExpectation, name: string): string {
    return expect.resources.find((e) => e.name === name)!.urn;
}

describe("npm run adoption-check", () => {
    let prod: OfflineRun;
    let file: ImportFile;
    let apply: AdoptionExpectation;
    let providers: AdoptionExpectation;
    /** The stack's DNS records, and an id for each, as the operator's ids file holds them. */
    let RECORDS: string[];
    let IDS: Record<string, string>;
    before(async () => {
        prod = await runOffline("prod");
        RECORDS = prod.run.registrations.filter((r) => r.type === DNS).map((r) => r.name);
        IDS = Object.fromEntries(RECORDS.map((name, k) => [name, `${k}`.padStart(32, "c")]));
        assert.equal(RECORDS.length, 8);
        file = importPlan(prod, { dnsRecordIds: IDS }).file!;
        apply = expectedPreview(prod, "apply", file);
        providers = expectedPreview(prod, "providers", null);
    });

    it("derives the first up's preview from the program and the import file: imports stay, FreeScout's parameters are imported, the rest is new", () => {
        const by = (allowed: string) => apply.resources.filter((e) => e.allowed.join(" ") === allowed).map((e) => e.name);
        const imported = file.resources.map((r) => r.name).sort();
        assert.deepEqual(
            by("same update").sort(),
            [...imported, "aws", "cloudflare", "github", "raxx-platform-prod"].sort(),
        );
        // Imported by step 2 already: the engine imports before it checks targets (tests/engine/adoption.test.ts).
        assert.deepEqual(by("same import"), ["raxx-freescout-db_password-parameter", "raxx-freescout-ssh_key-parameter"]);
        assert.deepEqual(by(""), []);
        for (const name of RECORDS) assert.ok(imported.includes(name), name);
        // Everything else: what the import-plan lists as new, not importable, adopted on create, its checks, and components.
        const plan = importPlan(prod, { dnsRecordIds: IDS });
        const fresh = [...plan.notImportable, ...plan.created, ...plan.adoptedOnCreate, ...plan.checkFirst].map((l) => l.name);
        const created = by("create same");
        for (const name of fresh) assert.ok(created.includes(name), name);
        const components = prod.run.registrations.filter((r) => !r.custom).map((r) => r.name);
        assert.deepEqual(created.filter((n) => !fresh.includes(n)).sort(), components.filter((c) => !imported.includes(c)).sort());
        assert.equal(apply.resources.length, prod.run.registrations.length + 1);
    });

    it("accepts a preview that is as expected", () => {
        const r = checkPreview(apply, previewOf(apply));
        assert.deepEqual(r.problems, []);
        assert.equal(r.ok, true);
        // Imported resources may update (the program's tags and descriptions), and a refresh step changes nothing.
        const updated = previewOf(apply, (steps) => [...steps.map((s) => (s.urn === urnOf(apply, "mail-dns-txt-spf") ? { ...s, op: "update" } : s)), { op: "refresh", urn: urnOf(apply, "mail-dns-txt-spf") }]);
        assert.deepEqual(checkPreview(apply, updated).problems, []);
    });

    it("refuses a create of a DNS record, or of anything the import should have brought in", () => {
        const spf = urnOf(apply, "mail-dns-txt-spf");
        const user = urnOf(apply, "freescout-backup-aws-user");
        const r = checkPreview(apply, previewOf(apply, (steps) => steps.map((s) => (s.urn === spf || s.urn === user ? { ...s, op: "create" } : s))));
        assert.equal(r.ok, false);
        assert.deepEqual([...r.problems].sort(), [
            "freescout-backup-aws-user (aws:iam/user:User): a create of what exists; expected same or update: imported in step 3: the program's settings may update it; a create would make a second one",
            "mail-dns-txt-spf (cloudflare:index/dnsRecord:DnsRecord): a create of what exists; expected same or update: imported in step 3: the program's settings may update it; a create would make a second one",
        ]);
        // An import file without the DNS records (one written by hand, or an old one): every record is refused, whatever its op.
        const withoutDns = expectedPreview(prod, "apply", { ...file, resources: file.resources.filter((e) => !RECORDS.includes(e.name)) });
        const problems = checkPreview(withoutDns, previewOf(apply, (steps) => steps.map((s) => (RECORDS.some((n) => s.urn.endsWith(`::${n}`)) ? { ...s, op: "create" } : s)))).problems;
        assert.equal(problems.filter((p) => /^mail-dns-.*: a create of what exists; expected nothing of it: a DNS record that the import file does not import: the up would create it beside the live one/.test(p)).length, 8);
    });

    it("refuses any replacement or delete, named as such", () => {
        const policy = urnOf(apply, "freescout-backup-aws-policy");
        const secret = urnOf(apply, "platform-token-github-secret-HEROKU_API_KEY");
        const r = checkPreview(
            apply,
            previewOf(apply, (steps) => [
                ...steps.filter((s) => s.urn !== policy && s.urn !== secret),
                { op: "create-replacement", urn: policy },
                { op: "replace", urn: policy },
                { op: "delete-replaced", urn: policy },
                { op: "delete", urn: secret },
            ]),
        );
        assert.deepEqual([...r.problems].sort(), [
            "freescout-backup-aws-policy (aws:iam/policy:Policy): a replacement; expected same or update: imported in step 3: the program's settings may update it; a create would make a second one",
            "platform-token-github-secret-HEROKU_API_KEY (github:index/actionsSecret:ActionsSecret): a delete; expected same or update: imported in step 3: the program's settings may update it; a create would make a second one",
        ]);
        assert.equal(r.counts.replace, 1);
    });

    it("refuses a failed, unfinished, foreign or partial preview: it cannot report green for what it did not see", () => {
        const failed = checkPreview(apply, previewOf(apply, undefined, { diagnostics: [{ severity: "error", message: "preview failed\n" }] }));
        assert.deepEqual(failed.problems, ["the preview reported an error: preview failed"]);
        assert.deepEqual(checkPreview(apply, JSON.stringify({ steps: [] })).problems.slice(0, 1), ["the preview did not finish (no steps or no change summary): its result cannot be checked"]);
        assert.deepEqual(checkPreview(apply, "").problems, ["the file holds no JSON document of `pulumi preview --json`"]);
        const staging = checkPreview(apply, previewOf(apply, (steps) => [...steps, { op: "create", urn: "urn:pulumi:staging::raxx-platform::pulumi:pulumi:Stack::raxx-platform-staging" }]));
        assert.deepEqual(staging.problems, ["urn:pulumi:staging::raxx-platform::pulumi:pulumi:Stack::raxx-platform-staging: of another stack: this preview is not of stack prod"]);
        const missing = checkPreview(apply, previewOf(apply, (steps) => steps.filter((s) => !s.urn.endsWith("::raxx-freescout-ssh_key-parameter"))));
        assert.deepEqual(missing.problems, [
            "raxx-freescout-ssh_key-parameter (aws:ssm/parameter:Parameter): not in the preview; expected same or import: adopted by the program's `import` option (id /raxx/freescout/ssh_key) in step 2; every property ignored, so an update would write it",
        ]);
        // Without --show-sames the CLI leaves out what does not change, the explicit providers among it: one problem says so.
        const unchanged = new Set(apply.resources.filter((e) => e.allowed[0] === "same").map((e) => e.urn));
        const noSames = checkPreview(apply, previewOf(apply, (steps) => steps.filter((s) => !unchanged.has(s.urn))));
        assert.deepEqual(noSames.problems, [
            `${unchanged.size} resources of the program are not in the preview, the explicit providers among them: run it with --show-sames (\`pulumi preview --json\` leaves out what does not change), so that every resource can be checked`,
        ]);
        const stranger = checkPreview(apply, previewOf(apply, (steps) => [...steps, { op: "create", urn: "urn:pulumi:prod::raxx-platform::aws:iam/user:User::someone" }]));
        assert.match(stranger.problems[0], /^urn:pulumi:prod::raxx-platform::aws:iam\/user:User::someone: create of a resource the program does not declare offline/);
    });

    it("allows step 2 to create only the stack and the providers, and to import the FreeScout parameters", () => {
        const params = ["raxx-freescout-db_password-parameter", "raxx-freescout-ssh_key-parameter"].map((n) => urnOf(providers, n));
        const ok = JSON.stringify({
            steps: [
                { op: "create", urn: STACK_URN },
                ...["aws", "github", "cloudflare"].map((p) => ({ op: "create", urn: `urn:pulumi:prod::raxx-platform::pulumi:providers:${p}::${p}` })),
                ...params.map((urn) => ({ op: "import", urn })),
            ],
            changeSummary: { create: 4, import: 2, same: 100 },
        });
        assert.deepEqual(checkPreview(providers, ok).problems, []);
        const bad = JSON.parse(ok) as { steps: Step[] };
        bad.steps = bad.steps.filter((s) => s.urn !== params[1]);
        bad.steps.push({ op: "create", urn: urnOf(providers, "mail-dns-txt-spf") }, { op: "update", urn: urnOf(providers, "freescout-backup-aws-user") });
        assert.deepEqual(checkPreview(providers, JSON.stringify(bad)).problems, [
            "mail-dns-txt-spf (cloudflare:index/dnsRecord:DnsRecord): a create; expected same: not targeted: untouched in step 2",
            "freescout-backup-aws-user (aws:iam/user:User): update; expected same: not targeted: untouched in step 2",
            "raxx-freescout-ssh_key-parameter (aws:ssm/parameter:Parameter): not in the preview; expected import or same: adopted by the program's `import` option (id /raxx/freescout/ssh_key): the engine imports it even in a targeted up, and writes nothing to it",
        ]);
    });

    it("reads the preview the real CLI printed for step 2 (captured by the engine tier), and fails it on a changed op", () => {
        // tests/engine/fixtures/adoption-step2-preview.json: its `_source` says how the engine tier made it.
        const text = fs.readFileSync(path.join(__dirname, "engine", "fixtures", "adoption-step2-preview.json"), "utf8");
        const urn = (t: string, n: string) => `urn:pulumi:step2::raxx-platform::${t}::${n}`;
        const variable = "github:index/actionsVariable:ActionsVariable";
        const expect: AdoptionExpectation = {
            stack: "step2",
            step: "providers",
            resources: [
                { urn: urn("pulumi:pulumi:Stack", "raxx-platform-step2"), name: "raxx-platform-step2", type: "pulumi:pulumi:Stack", allowed: ["create", "same"], why: "the stack", required: true },
                { urn: urn("pulumi:providers:github", "github"), name: "github", type: "pulumi:providers:github", allowed: ["create", "same"], why: "provider", required: true },
                ...["db-password", "ssh-key"].map((n) => ({ urn: urn(variable, n), name: n, type: variable, allowed: ["import", "same"], why: "import option", required: true })),
            ],
        };
        const r = checkPreview(expect, text);
        assert.deepEqual([r.problems, r.counts], [[], { create: 2, import: 2 }]);
        // With --show-sames the CLI lists each import followed by the `same` of the imported state
        // (tests/engine/adoption.test.ts): the import counts.
        const shown = JSON.parse(text) as { steps: Step[] };
        shown.steps.push(...["db-password", "ssh-key"].map((n) => ({ op: "same", urn: urn(variable, n) })));
        assert.deepEqual(checkPreview(expect, JSON.stringify(shown)).counts, { create: 2, import: 2 });
        assert.deepEqual(checkPreview(expect, JSON.stringify(shown)).problems, []);
        const edited = JSON.parse(text) as { steps: Step[] };
        edited.steps[3].op = "create";
        assert.deepEqual(checkPreview(expect, JSON.stringify(edited)).problems, ["ssh-key (github:index/actionsVariable:ActionsVariable): a create; expected import or same: import option"]);
    });

    it("runs as a tool: exit 0 when as expected, 1 with each problem, 2 without the import file; --expected prints the groups", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-adoption-check-"));
        try {
            const importFile = path.join(dir, "import.json");
            fs.writeFileSync(importFile, JSON.stringify(file));
            const good = path.join(dir, "good.json");
            fs.writeFileSync(good, previewOf(apply));
            const io = captureIo();
            assert.equal(await invoke(adoptionCheckTool, ["--stack", "prod", "--step", "apply", "--preview", good, "--import-file", importFile], io), 0, io.stderr);
            assert.match(io.stdout, /^The preview of step apply is as the program expects \(\d+ create, \d+ same\)\. Nothing is replaced or deleted, and nothing that exists is created again\.$/m);

            const bad = path.join(dir, "bad.json");
            const spf = urnOf(apply, "mail-dns-txt-spf");
            fs.writeFileSync(bad, previewOf(apply, (steps) => steps.map((s) => (s.urn === spf ? { ...s, op: "create" } : s))));
            const no = captureIo();
            assert.equal(await invoke(adoptionCheckTool, ["--stack", "prod", "--step", "apply", "--preview", bad, "--import-file", importFile], no), 1);
            assert.match(no.stdout, /^The preview of step apply is NOT as the program expects: do not run `pulumi up`\. 1 problem:\n {2}- mail-dns-txt-spf \(cloudflare:index\/dnsRecord:DnsRecord\): a create of what exists/);

            const absent = captureIo();
            assert.equal(await invoke(adoptionCheckTool, ["--stack", "prod", "--step", "apply", "--preview", good, "--import-file", path.join(dir, "none.json")], absent), 2);
            assert.match(absent.stderr, /^--import-file: cannot read .*none\.json as JSON: .*; write it with npm run import-plan/);
            const both = captureIo();
            assert.equal(await invoke(adoptionCheckTool, ["--stack", "prod", "--step", "apply", "--expected", "--preview", good, "--import-file", importFile], both), 2);
            assert.match(both.stderr, /^give either --preview <file> or --expected/);

            const expected = captureIo();
            assert.equal(await invoke(adoptionCheckTool, ["--stack", "prod", "--step", "apply", "--expected", "--import-file", importFile], expected), 0);
            assert.match(expected.stdout, /\nsame or import: adopted by the program's `import` option \(id \/raxx\/freescout\/db_password\) in step 2; every property ignored, so an update would write it \(1\)\n {4}aws:ssm\/parameter:Parameter {2}raxx-freescout-db_password-parameter\n/);
            assert.match(expected.stdout, /\nNowhere a replacement or a delete\.\n$/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
