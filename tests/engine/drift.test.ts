// Drift under the real engine: config vars changed and deleted by hand at
// Heroku show in `preview --refresh --expect-no-changes`, the drift script
// classifies the CLI's own JSON as drift naming the app and the var (never the
// value), and an `up --refresh` puts them back.
import { strict as assert } from "node:assert";
import { Classification, PreviewDigest, classify, interpret, issueBody, summary } from "../../.github/scripts/drift";
import { ENGINE_HEROKU_KEY, Engine, EngineStack, matchFixture } from "./harness";
import { APPS, VARS, auditIngest, deployToken, program } from "./programs";

const HAND = "HRKU-set-by-hand-in-the-dashboard-5e0c";

/**
 * The drift check's JSON, kept for tests/workflows.test.ts (tests/engine/fixtures/drift-heroku-preview.json),
 * which classifies it without the CLI. Each run of this tier compares its own output with it, and its
 * classification too; RAXX_WRITE_ENGINE_FIXTURES=1 rewrites it.
 */
function driftFixture(stdout: string, cliVersion: string): void {
    const source = {
        cli: `pulumi v${cliVersion} (the engine tier's CLI, built from Go modules)`,
        command: "pulumi preview --stack prod --refresh --expect-no-changes --json, run by the Automation API (LocalWorkspace adds its own --client/--exec-kind flags), as .github/workflows/drift.yml runs it",
        program: "tests/engine/drift.test.ts: the deploy token on four apps and the audit ingest token; then, by hand at the fake Heroku, raxx-api-prod's HEROKU_API_KEY changed and raxx-console-staging's FLAG_CONSOLE_DEPLOY_AUDIT_INGEST deleted",
        backend: "file:// state, passphrase secrets; the fake Heroku API on 127.0.0.1",
        how: "RAXX_WRITE_ENGINE_FIXTURES=1 npx mocha --no-config --require ts-node/register/transpile-only --extension ts --timeout 300000 tests/engine/drift.test.ts",
        note: "The CLI's stdout, parsed and written back with 4-space indentation, plus this _source key; the only other change: each __provider text (a provider's bundled code, some 100 kB each) is replaced by its length. Test values only; the CLI masks each secret as [secret].",
    };
    const shorten = (key: string, value: unknown) => (key === "__provider" && typeof value === "string" ? `<the provider's bundled text, ${value.length} characters, left out>` : value);
    const { run, fixture } = matchFixture<PreviewDigest>("drift-heroku-preview.json", stdout, source, Boolean(process.env.RAXX_WRITE_ENGINE_FIXTURES), shorten);
    assert.deepEqual(classify(fixture), classify(run), "the fixture no longer classifies as this run does: RAXX_WRITE_ENGINE_FIXTURES=1 rewrites it");
}

describe("engine: drift of Heroku config vars, as the daily check sees it", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;

    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app);
        stack = await engine.stack("prod", program(deployToken({ entry: "active=a a=2026-11-28", apps: APPS }), auditIngest({ entry: "active=a a=2026-11-28" })));
        await stack.up();
    });
    after(async () => engine?.stop());

    /** The drift check's own command, as .github/workflows/drift.yml runs it. */
    async function driftCheck() {
        return stack.outcome(["--json"], (s) => s.preview({ refresh: true, expectNoChanges: true }));
    }

    let result: Classification;
    let secrets: string[];

    it("preview --refresh --expect-no-changes exits 7 after a var is changed and another deleted by hand", async () => {
        const token = engine.heroku.apps.get("raxx-api-prod")!.HEROKU_API_KEY;
        const ingest = engine.heroku.apps.get("raxx-console-staging")!.CONSOLE_AUDIT_INGEST_TOKEN;
        secrets = [token, ingest, HAND, ENGINE_HEROKU_KEY];
        engine.heroku.apps.get("raxx-api-prod")!.HEROKU_API_KEY = HAND;
        delete engine.heroku.apps.get("raxx-console-staging")!.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST;
        const o = await driftCheck();
        // ExitNoChanges (pkg cmd/pulumi/cmd/exit_codes.go): the only non-zero code of a check that ran.
        assert.equal(o.code, 7, o.stderr);
        const outcome = interpret(o.stdout, o.code);
        assert.ok(outcome.ok, JSON.stringify(outcome));
        result = outcome.result;
        driftFixture(o.stdout, engine.cli.version);
    });

    it("is drift, naming each app's resource and the var, and neither secret-only nor a failed check", () => {
        assert.deepEqual(
            result.drift.map((f) => [f.type, f.name, f.op, f.changes]),
            [
                [VARS, "audit-ingest-raxx-console-staging", "update", [{ path: "vars.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST", kind: "missing", from: undefined, to: '"on"' }]],
                [VARS, "platform-token-raxx-api-prod", "update", [{ path: "secretVars.HEROKU_API_KEY", kind: "changed", from: "[secret]", to: "[secret]" }]],
            ],
        );
        assert.deepEqual(result.secretOnly, []);
    });

    it("never shows a value in the issue or the run summary", () => {
        const text = issueBody(result, { stack: "prod", date: "2026-11-29", runUrl: "https://example.invalid/run" }) + summary(result, "prod");
        for (const s of secrets) assert.ok(!text.includes(s), "a secret value reached the drift report");
        assert.match(text, /`secretVars\.HEROKU_API_KEY` changed: \[secret\] → \[secret\]/);
    });

    it("wrote nothing to state, whose checkpoint holds no var value in plain text", async () => {
        const held = (await stack.resources(VARS)).map((r) => [r.urn.split("::").pop(), r.outputs?.drift ?? null]);
        assert.ok(held.every(([, drift]) => drift === null), JSON.stringify(held));
        const checkpoint = await stack.exportText();
        for (const s of secrets) assert.ok(!checkpoint.includes(s), "a secret value is in the checkpoint in plain text");
        // The check can fail: decrypted, the checkpoint holds the audit ingest token.
        assert.ok((await stack.exportText(true)).includes(secrets[1]));
    });

    it("is gone after an up --refresh, and the check passes again", async () => {
        await stack.up({ refresh: true });
        assert.equal(engine.heroku.apps.get("raxx-api-prod")!.HEROKU_API_KEY, secrets[0]);
        assert.equal(engine.heroku.apps.get("raxx-console-staging")!.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST, "on");
        const o = await driftCheck();
        assert.equal(o.code, 0, o.stderr);
        const outcome = interpret(o.stdout, o.code);
        assert.ok(outcome.ok);
        assert.deepEqual(outcome.result, { drift: [], secretOnly: [] });
    });
});
