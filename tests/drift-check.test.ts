// Issue 12, item 2: the drift check never closes an issue or passes when the
// check itself failed, and what it writes into workflow commands cannot inject
// commands of its own. The JSON below has the shapes the real CLI (3.276)
// prints; tests/engine/drift.test.ts feeds the check the CLI's own output.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MASK, Outcome, PreviewDigest, PreviewStep, classify, interpret, issueBody, runCheck, summary } from "../.github/scripts/drift";
import { Issue, workflowCommand } from "../.github/scripts/github";
import { FakeGithub } from "./fakeGithub";

const ROOT = path.resolve(__dirname, "..");
const urn = (type: string, name: string) => `urn:pulumi:prod::raxx-platform::${type}::${name}`;
const STACK_URN = urn("pulumi:pulumi:Stack", "raxx-platform-prod");
const GH_SECRET = urn("raxx:deploy:DeployToken$raxx:github:ActionsValues$github:index/actionsSecret:ActionsSecret", "platform-token-github-secret-HEROKU_API_KEY");
const VARS = urn("raxx:deploy:DeployToken$pulumi-nodejs:dynamic/heroku:ConfigVars", "platform-token-raxx-api-prod");
const SPF = urn("raxx:cloudflare:MailDns$cloudflare:index/dnsRecord:DnsRecord", "mail-dns-txt-spf");

/** An update whose only changed property is a secret on both sides: not drift (pulumi/pulumi#18957). */
const SECRET_ONLY: PreviewStep = {
    op: "update",
    urn: GH_SECRET,
    oldState: { type: "github:index/actionsSecret:ActionsSecret", inputs: { value: MASK }, outputs: { value: MASK } },
    newState: { type: "github:index/actionsSecret:ActionsSecret", inputs: { value: MASK } },
    diffReasons: ["value"],
    detailedDiff: { value: { kind: "update", inputDiff: false } },
};

const DRIFT: PreviewStep = {
    op: "update",
    urn: SPF,
    oldState: { type: "cloudflare:index/dnsRecord:DnsRecord", inputs: { content: "v=spf1 ~all" }, outputs: { content: "v=spf1 -all" } },
    newState: { type: "cloudflare:index/dnsRecord:DnsRecord", inputs: { content: "v=spf1 ~all" } },
    detailedDiff: { content: { kind: "update", inputDiff: false } },
};

/** As the CLI words a Heroku 401 met by the refresh, and the failed preview's own line. */
const REFRESH_401 =
    "error: Preview failed: Heroku rejected the API key (HEROKU_API_KEY) on GET /apps/raxx-api-prod/config-vars: 401 unauthorized: Invalid credentials provided. " +
    "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.\n";
const PREVIEW_FAILED = "error: preview failed\n";

/** A finished preview with one secret-only update (what --expect-no-changes answers with exit code 7). */
function secretOnlyPreview(extra: Partial<PreviewDigest> = {}): PreviewDigest {
    return {
        steps: [{ op: "same", urn: STACK_URN }, { op: "refresh", urn: GH_SECRET }, SECRET_ONLY],
        changeSummary: { same: 17, update: 1 },
        ...extra,
    };
}

const EXIT_CODE_PROBLEM = (code: number) => `the preview exited with code ${code}; a preview that ran exits 0 (no changes) or 7 (changes)`;
const UNFINISHED = "the preview JSON has no steps or no change summary: the preview did not finish";
const NO_JSON = "the preview printed no JSON document; see its output in the log";

const RUN_URL = "https://github.com/MooseQuest/raxx-platform/actions/runs/9";

/** The stack's open drift issue, as an earlier check opened it. */
function openDriftIssue(): Issue {
    const body = issueBody(classify({ steps: [DRIFT] }), { stack: "prod", date: "2026-11-19", runUrl: RUN_URL });
    return { number: 41, title: "Drift in stack prod", body, state: "open", html_url: "https://github.com/MooseQuest/raxx-platform/issues/41" };
}

describe("drift check: a failed check never closes an issue or passes (issue 12)", () => {
    let github: FakeGithub;
    let dir: string;

    beforeEach(async () => {
        github = await new FakeGithub([openDriftIssue()]).start();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-check-"));
    });
    afterEach(async () => {
        await github.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The workflow step's environment, with the preview's JSON and exit code. */
    function env(json: string, exitCode: string | undefined): NodeJS.ProcessEnv {
        fs.writeFileSync(path.join(dir, "preview.json"), json);
        return {
            STACK: "prod",
            PREVIEW_JSON: path.join(dir, "preview.json"),
            ...(exitCode === undefined ? {} : { PREVIEW_EXIT_CODE: exitCode }),
            RUN_URL,
            GITHUB_TOKEN: "test-token",
            GITHUB_REPOSITORY: "MooseQuest/raxx-platform",
            GITHUB_API_URL: github.url,
            GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
        };
    }

    async function check(json: string, exitCode: string | undefined): Promise<{ code: number; log: string[]; summary: string }> {
        const log: string[] = [];
        const file = path.join(dir, "summary.md");
        fs.rmSync(file, { force: true });
        const code = await runCheck(env(json, exitCode), (line) => log.push(line));
        return { code, log, summary: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "" };
    }

    /** A failed check: exit 1, GitHub not called at all, the problems in the summary and in one annotation line. */
    async function assertFailed(json: string, exitCode: string | undefined, problems: string[]): Promise<void> {
        const r = await check(json, exitCode);
        assert.equal(r.code, 1);
        assert.deepEqual(github.requests, [], "a failed check must not read, comment on, update or close any issue");
        assert.deepEqual(r.log, [workflowCommand("error", problems.join("\n"), { title: "Drift check of prod failed" }), "the drift check of stack prod failed; no issue was changed"]);
        assert.ok(r.summary.startsWith("### Drift check of stack `prod` failed\n"), r.summary);
        assert.ok(r.summary.endsWith(`\n\`\`\`\n${problems.join("\n")}\n\`\`\`\n`), r.summary);
    }

    it("the issue's run: exit 255, a 401, a mandatory policy violation and one secret-only update fail the check, and the open issue stays open", async () => {
        const json = JSON.stringify(
            secretOnlyPreview({
                diagnostics: [
                    { urn: VARS, message: "HerokuApiError: Heroku rejected the API key (HEROKU_API_KEY) on GET /apps/raxx-api-prod/config-vars: 401 unauthorized", severity: "info#err" },
                    { urn: VARS, message: REFRESH_401, severity: "error" },
                    // All the JSON says of a mandatory policy violation: it has no policy events.
                    { message: PREVIEW_FAILED, severity: "error" },
                ],
            }),
        );
        const problems = [EXIT_CODE_PROBLEM(255), `error diagnostic: ${REFRESH_401.trim()}`, "error diagnostic: error: preview failed"];
        await assertFailed(json, "255", problems);
        const r = await check(json, "255");
        assert.equal(
            r.summary.split("### ").pop(),
            "Drift check of stack `prod` failed\n\n" +
                "The check failed, so it says nothing about drift: the stack's drift issue, if one is open, was left as it is. " +
                'Fix the cause, then run the drift workflow again. A mandatory policy violation shows here only as "preview failed": ' +
                "the preview JSON carries no policy results, so run `pulumi preview --policy-pack policy` on the stack to see it.\n\n" +
                `\`\`\`\n${problems.join("\n")}\n\`\`\`\n`,
        );
    });

    it("the issue's run, through the workflow's own command: exit code 1, and no request to GitHub", async () => {
        const json = JSON.stringify(secretOnlyPreview({ diagnostics: [{ urn: VARS, message: REFRESH_401, severity: "error" }, { message: PREVIEW_FAILED, severity: "error" }] }));
        // `npx ts-node --transpile-only .github/scripts/drift.ts`, as drift.yml runs it, without npx's start-up.
        const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", ".github/scripts/drift.ts"], {
            cwd: ROOT,
            env: { PATH: process.env.PATH, ...env(json, "255") },
        });
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.equal(status, 1, stdout);
        assert.deepEqual(github.requests, []);
        assert.equal(stdout.split("\n").filter((l) => l.startsWith("::")).length, 1, stdout);
    });

    it("an error diagnostic alone fails the check, even with exit code 7 and a secret-only update", async () => {
        const json = JSON.stringify(secretOnlyPreview({ diagnostics: [{ urn: VARS, message: REFRESH_401, severity: "error" }] }));
        await assertFailed(json, "7", [`error diagnostic: ${REFRESH_401.trim()}`]);
    });

    it("a mandatory policy violation alone (exit code 1, \"preview failed\", as the CLI reports it) fails the check", async () => {
        // Measured: a violation leaves the steps and the change summary, and adds only this diagnostic.
        const json = JSON.stringify(secretOnlyPreview({ diagnostics: [{ message: PREVIEW_FAILED, severity: "error" }] }));
        await assertFailed(json, "1", [EXIT_CODE_PROBLEM(1), "error diagnostic: error: preview failed"]);
    });

    for (const code of [1, 2, 3, 4, 5, 6, 8, 9, 10, 127, 255]) {
        it(`exit code ${code} alone fails the check, even with a finished preview and only a secret-only update`, async () => {
            await assertFailed(JSON.stringify(secretOnlyPreview()), String(code), [EXIT_CODE_PROBLEM(code)]);
        });
    }

    it("a missing or empty exit code is no exit code 0", async () => {
        const clean = JSON.stringify({ steps: [{ op: "same", urn: STACK_URN }], changeSummary: { same: 18 } });
        const unknown = "the preview's exit code is unknown (PREVIEW_EXIT_CODE is not a number)";
        await assertFailed(clean, undefined, [unknown]);
        await assertFailed(clean, "", [unknown]);
        await assertFailed(clean, "0x0", [unknown]);
    });

    for (const [what, json] of [
        ["empty", ""],
        ["garbled", '{"steps": [{"op": "same", "urn": '],
        ["null", "null"],
        ["an array", "[]"],
        ["a number", "7"],
        ["a string", '"error: preview failed"'],
    ] as const) {
        it(`${what} JSON fails the check`, async () => {
            await assertFailed(json, "7", [NO_JSON]);
        });
    }

    it("a preview that did not finish (no change summary) fails the check, even with exit code 7", async () => {
        await assertFailed(JSON.stringify({ steps: [SECRET_ONLY] }), "7", [UNFINISHED]);
        await assertFailed("{}", "0", [UNFINISHED]);
    });

    it("an exit code that contradicts the JSON fails the check", async () => {
        await assertFailed(JSON.stringify(secretOnlyPreview()), "0", ["the preview exited with code 0, but its JSON lists changes: the check's output cannot be trusted"]);
        await assertFailed(JSON.stringify({ steps: [{ op: "same", urn: STACK_URN }], changeSummary: { same: 18 } }), "7", [
            "the preview exited with code 7, but its JSON lists no change: the check's output cannot be trusted",
        ]);
    });

    it("a check that ran still closes the issue when only a secret-only update remains (exit code 7), and when nothing changed (exit code 0)", async () => {
        const r = await check(JSON.stringify(secretOnlyPreview()), "7");
        assert.equal(r.code, 0);
        assert.deepEqual(r.log, ["closed issue #41"]);
        assert.deepEqual(
            github.writes().map((w) => [w.method, w.path, w.body]),
            [
                ["POST", "/repos/MooseQuest/raxx-platform/issues/41/comments", { body: `No drift found on ${new Date().toISOString().slice(0, 10)} (1 secret-only update(s) remain, not counted: pulumi/pulumi#18957): closing. [Run](${RUN_URL}).` }],
                ["PATCH", "/repos/MooseQuest/raxx-platform/issues/41", { state: "closed", state_reason: "completed" }],
            ],
        );
        github.requests.splice(0);
        const clean = await check(JSON.stringify({ steps: [{ op: "same", urn: STACK_URN }, { op: "refresh", urn: GH_SECRET }], changeSummary: { same: 18 } }), "0");
        assert.equal(clean.code, 0);
        assert.deepEqual(
            github.writes().map((w) => [w.method, w.body]),
            [
                ["POST", { body: `No drift found on ${new Date().toISOString().slice(0, 10)}: closing. [Run](${RUN_URL}).` }],
                ["PATCH", { state: "closed", state_reason: "completed" }],
            ],
        );
    });

    it("a check that ran opens an issue for drift when none is open, and writes every finding to the run summary", async () => {
        github.openIssues.splice(0);
        const preview: PreviewDigest = { steps: [{ op: "same", urn: STACK_URN }, DRIFT, SECRET_ONLY], changeSummary: { same: 17, update: 2 } };
        const run = { stack: "prod", date: new Date().toISOString().slice(0, 10), runUrl: RUN_URL };
        const r = await check(JSON.stringify(preview), "7");
        assert.equal(r.code, 0);
        assert.deepEqual(
            github.writes().map((w) => [w.method, w.path, w.body]),
            [["POST", "/repos/MooseQuest/raxx-platform/issues", { title: "Drift in stack prod", body: issueBody(classify(preview), run), labels: ["drift"] }]],
        );
        assert.deepEqual(r.log, [`opened ${github.url}/issues/100`]);
        assert.equal(r.summary, summary(classify(preview), "prod"));
    });

    it("a check that ran updates the open issue, commenting only when the drift changed; strict counts a secret-only update as drift", async () => {
        const date = new Date().toISOString().slice(0, 10);
        const same = await check(JSON.stringify({ steps: [DRIFT], changeSummary: { update: 1 } }), "7");
        assert.equal(same.code, 0);
        assert.deepEqual(
            github.writes().map((w) => [w.method, w.path, w.body]),
            [["PATCH", "/repos/MooseQuest/raxx-platform/issues/41", { body: issueBody(classify({ steps: [DRIFT] }), { stack: "prod", date, runUrl: RUN_URL }) }]],
        );
        assert.deepEqual(same.log, ["updated issue #41"]);
        github.requests.splice(0);
        // STRICT=true, and no run summary to write to.
        fs.rmSync(path.join(dir, "summary.md"), { force: true });
        const log: string[] = [];
        const code = await runCheck({ ...env(JSON.stringify(secretOnlyPreview()), "7"), STRICT: "true", GITHUB_STEP_SUMMARY: undefined }, (line) => log.push(line));
        assert.equal(code, 0);
        assert.deepEqual(
            github.writes().map((w) => [w.method, w.path, w.body]),
            [
                ["PATCH", "/repos/MooseQuest/raxx-platform/issues/41", { body: issueBody(classify(secretOnlyPreview(), true), { stack: "prod", date, runUrl: RUN_URL }) }],
                ["POST", "/repos/MooseQuest/raxx-platform/issues/41/comments", { body: `The drift changed on ${date}: the description shows it as of this [run](${RUN_URL}).` }],
            ],
        );
        assert.deepEqual(log, ["updated issue #41 (the drift changed)"]);
        assert.ok(!fs.existsSync(path.join(dir, "summary.md")));
    });

    it("a check that ran and found nothing, with no issue open, changes nothing", async () => {
        github.openIssues.splice(0);
        const r = await check(JSON.stringify({ steps: [{ op: "same", urn: STACK_URN }], changeSummary: { same: 18 } }), "0");
        assert.equal(r.code, 0);
        assert.deepEqual(github.writes(), []);
        assert.deepEqual(r.log, ["no drift in stack prod"]);
        assert.equal(r.summary, "### Drift check of stack `prod`\n\n0 resource(s) drifted; 0 secret-only update(s) not counted (pulumi/pulumi#18957).\n");
    });

    it("caps what it quotes: ten error diagnostics of at most 500 characters each", () => {
        const long = `error: ${"x".repeat(600)}`;
        const outcome: Outcome = interpret(JSON.stringify(secretOnlyPreview({ diagnostics: Array.from({ length: 12 }, () => ({ message: long, severity: "error" })) })), 7);
        assert.deepEqual(outcome, { ok: false, problems: [...Array.from({ length: 10 }, () => `error diagnostic: ${long.slice(0, 499)}…`), "and 2 more error diagnostic(s)"] });
    });
});

describe("drift check: text from the CLI cannot inject workflow commands", () => {
    it("a diagnostic holding workflow commands comes out as one error command line", async () => {
        const evil = "error: boom\n::add-mask::x\n::error::forged\r\n%0A";
        const log: string[] = [];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-check-"));
        try {
            fs.writeFileSync(path.join(dir, "preview.json"), JSON.stringify(secretOnlyPreview({ diagnostics: [{ message: evil, severity: "error" }] })));
            const code = await runCheck({ STACK: "prod", PREVIEW_JSON: path.join(dir, "preview.json"), PREVIEW_EXIT_CODE: "7" }, (line) => log.push(line));
            assert.equal(code, 1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        const printed = log.join("\n").split(/\r?\n|\r/);
        assert.deepEqual(printed, [
            "::error title=Drift check of prod failed::error diagnostic: error: boom%0A::add-mask::x%0A::error::forged%0D%0A%250A",
            "the drift check of stack prod failed; no issue was changed",
        ]);
    });
});
