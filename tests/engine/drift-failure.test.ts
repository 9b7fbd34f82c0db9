// A drift check that fails under the real engine (issue 12): the CLI's own
// JSON and exit code, fed to the drift script with a drift issue open. The
// script fails the job and leaves the issue alone, where it used to pass and
// report what it saw. The measured shapes are pinned here: a failed preview
// exits 1, says so in error diagnostics, and its JSON carries no policy result.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PreviewDigest, classify, issueBody, runCheck } from "../../.github/scripts/drift";
import { ConfigVarsProvider } from "../../providers/heroku";
import { FakeGithub } from "../fakeGithub";
import { ENGINE_HEROKU_KEY, Engine, EngineStack, Outcome, tempDir } from "./harness";
import { APPS, auditIngest, deployToken, program } from "./programs";

const TODO_401 = "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.";
const REFRESH_401 = `error: Preview failed: Heroku rejected the API key (HEROKU_API_KEY) on GET /apps/raxx-api-prod/config-vars: 401 unauthorized: Invalid credentials provided. ${TODO_401}`;
const LEAKY_VALUE = "value-that-must-stay-secret-7c1e";

/** A ConfigVars built by hand without the secret output its class declares: the pack's secret-values-encrypted-in-state rejects it. */
class LeakyVars extends pulumi.dynamic.Resource {
    constructor(name: string) {
        const secretVars = pulumi.secret({ LEAKY: LEAKY_VALUE });
        const owner = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
        super(new ConfigVarsProvider(), name, { app: "raxx-console-prod", owner, vars: {}, secretVars }, {}, "heroku", "ConfigVars");
    }
}

describe("engine: a drift check that fails, as the daily check sees it", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    let leaky = false;
    let dir: string;

    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app);
        const base = program(deployToken({ entry: "active=a a=2026-11-28", apps: APPS }), auditIngest({ entry: "active=a a=2026-11-28" }));
        stack = await engine.stack("prod", async () => {
            const outputs = await base();
            if (leaky) new LeakyVars("leaky-vars");
            return outputs;
        });
        await stack.up();
        dir = tempDir("drift-failure-");
    });
    after(async () => {
        await engine?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The drift check's own command, as .github/workflows/drift.yml runs it, with the policy pack. */
    async function driftCheck(): Promise<Outcome> {
        return stack.outcome(["--json"], (s) => s.preview({ refresh: true, expectNoChanges: true, policyPacks: [engine.policyPack()] }));
    }

    /** drift.ts on the CLI's output, with the stack's drift issue open: its exit code, what it printed and summed up, and every GitHub request. */
    async function script(o: Outcome) {
        const issue = { number: 41, title: "Drift in stack prod", state: "open", html_url: "u/41" };
        const body = issueBody(classify({ steps: [] }), { stack: "prod", date: "2026-11-28", runUrl: "https://example.invalid/run/1" });
        const github = await new FakeGithub([{ ...issue, body }]).start();
        fs.writeFileSync(path.join(dir, "preview.json"), o.stdout);
        fs.rmSync(path.join(dir, "summary.md"), { force: true });
        const log: string[] = [];
        try {
            const code = await runCheck(
                {
                    STACK: "prod",
                    PREVIEW_JSON: path.join(dir, "preview.json"),
                    PREVIEW_EXIT_CODE: String(o.code),
                    RUN_URL: "https://example.invalid/run/2",
                    GITHUB_TOKEN: "test-token",
                    GITHUB_REPOSITORY: "MooseQuest/raxx-platform",
                    GITHUB_API_URL: github.url,
                    GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
                },
                (line) => log.push(line),
            );
            return { code, log, summary: fs.readFileSync(path.join(dir, "summary.md"), "utf8"), requests: github.requests };
        } finally {
            await github.stop();
        }
    }

    function errorsOf(doc: PreviewDigest): string[] {
        return (doc.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message);
    }

    it("a refresh that meets a Heroku 401: exit code 1, the provider's message as an error diagnostic, no change summary; the check fails and touches no issue", async () => {
        engine.heroku.inject({ path: "/apps/raxx-api-prod/config-vars", status: 401, times: 1000, body: { id: "unauthorized", message: "Invalid credentials provided." } });
        let o: Outcome;
        try {
            o = await driftCheck();
        } finally {
            engine.heroku.clearFaults();
        }
        assert.equal(o.code, 1, o.stderr);
        const doc = JSON.parse(o.stdout) as PreviewDigest;
        assert.deepEqual(errorsOf(doc), [`${REFRESH_401}\n`, "error: preview failed\n"]);
        assert.equal(doc.changeSummary, undefined);

        const r = await script(o);
        assert.equal(r.code, 1);
        assert.deepEqual(r.requests, []);
        assert.ok(
            r.summary.endsWith(
                "```\n" +
                    [
                        "the preview exited with code 1; a preview that ran exits 0 (no changes) or 7 (changes)",
                        `error diagnostic: ${REFRESH_401}`,
                        "error diagnostic: error: preview failed",
                        "the preview JSON has no steps or no change summary: the preview did not finish",
                    ].join("\n") +
                    "\n```\n",
            ),
            r.summary,
        );
        assert.equal(r.log.filter((l) => l.startsWith("::")).length, 1);
        assert.ok(!(r.summary + r.log.join("\n")).includes(ENGINE_HEROKU_KEY), "the API key reached the run summary or the log");
    });

    it("a mandatory policy violation, with drift besides: exit code 1 and only \"preview failed\" in the JSON; the check fails instead of reporting the drift", async () => {
        leaky = true;
        await stack.up(); // without the pack, as a change merged before the policy existed would be
        engine.heroku.apps.get("raxx-api-prod")!.FLAG_BY_HAND = "on";
        delete engine.heroku.apps.get("raxx-console-staging")!.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST;
        const o = await driftCheck();
        assert.equal(o.code, 1, o.stderr);
        const doc = JSON.parse(o.stdout) as PreviewDigest & Record<string, unknown>;
        assert.deepEqual(errorsOf(doc), ["error: preview failed\n"]);
        // The drift is there, and nothing in the document names the policy or its pack.
        assert.ok((doc.changeSummary?.update ?? 0) >= 1, JSON.stringify(doc.changeSummary));
        assert.deepEqual(Object.keys(doc).filter((k) => !["steps", "diagnostics", "duration", "changeSummary", "config"].includes(k)), []);
        assert.doesNotMatch(o.stdout, /secret-values-encrypted-in-state|mandatory|raxx-platform@v/);

        const r = await script(o);
        assert.equal(r.code, 1);
        assert.deepEqual(r.requests, []);
        assert.ok(r.summary.endsWith("```\nthe preview exited with code 1; a preview that ran exits 0 (no changes) or 7 (changes)\nerror diagnostic: error: preview failed\n```\n"), r.summary);
        // The unmarked value is in the preview JSON (that is the violation), never in what the check writes.
        assert.ok(!(r.summary + r.log.join("\n")).includes(LEAKY_VALUE));
    });
});
