// apply.yml under the real engine: the preview job records the operations of
// the CLI's own JSON, the approved `pulumi up` job previews again and goes on
// only if it proposes exactly those, and a change made by hand in between
// stops it, naming what the approver never saw.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../.github/scripts/approved-change";
import { ENGINE_HEROKU_KEY, Engine, EngineStack } from "./harness";
import { APPS, D1, D2, DeployTokenState, deployTokenProgram } from "./programs";

describe("engine: apply holds the update to the change approved", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    let dir: string;
    const state: DeployTokenState = { entry: `active=a a=${D1}`, apps: APPS };

    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app);
        stack = await engine.stack("prod", deployTokenProgram(state));
        await stack.up();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-approved-"));
        // The change to approve: a rotation to slot b.
        state.entry = `active=b a=${D1} b=${D2}`;
    });
    after(async () => {
        await engine?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** apply.yml's preview command, then the script in `mode`, as the workflow runs them; the script's exit code and log. */
    async function step(mode: "record" | "check", extra: Record<string, string> = {}): Promise<{ code: number; log: string[]; env: Record<string, string> }> {
        const o = await stack.outcome(["--json", "--suppress-outputs"], (s) => s.preview({ refresh: true, expectNoChanges: true }));
        const env = {
            STACK: "prod",
            GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
            PREVIEW_JSON: path.join(dir, `${mode}.json`),
            PREVIEW_EXIT_CODE: String(o.code),
            GITHUB_OUTPUT: path.join(dir, "output"),
            GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
            ...extra,
        };
        fs.writeFileSync(env.PREVIEW_JSON, o.stdout);
        fs.writeFileSync(env.GITHUB_OUTPUT, "");
        const log: string[] = [];
        return { code: run(mode, env, (l) => log.push(l)), log, env };
    }

    let approved: string[];

    it("records the rotation's operations from the CLI's JSON, names no value, and hands them to the next job", async () => {
        const r = await step("record");
        assert.equal(r.code, 0, r.log.join("\n"));
        const output = fs.readFileSync(r.env.GITHUB_OUTPUT, "utf8");
        assert.match(output, /^change=\[.*\]\n$/);
        approved = JSON.parse(output.slice("change=".length)) as string[];
        const token = "urn:pulumi:prod::raxx-platform::raxx:deploy:DeployToken";
        assert.deepEqual(approved, [
            `create ${token}$raxx:heroku:RotatingAuthorization$pulumi-nodejs:dynamic/heroku:Authorization::platform-token-heroku-authorization-b`,
            `create ${token}$raxx:heroku:RotatingAuthorization$pulumi-nodejs:dynamic/verify:CredentialCheck::platform-token-heroku-check-b`,
            ...[...APPS].sort().map((app) => `update ${token}$pulumi-nodejs:dynamic/heroku:ConfigVars::platform-token-${app}`),
            ...[...APPS].sort().map((app) => `update ${token}$pulumi-nodejs:dynamic/verify:ConsumerCheck::platform-token-${app}-check`),
            `update ${token}$raxx:github:ActionsValues$github:index/actionsSecret:ActionsSecret::platform-token-github-secret-HEROKU_API_KEY`,
            `update ${token}$raxx:github:ActionsValues$pulumi-nodejs:dynamic/verify:ConsumerCheck::platform-token-github-secret-HEROKU_API_KEY-check`,
        ]);
        const summary = fs.readFileSync(r.env.GITHUB_STEP_SUMMARY, "utf8");
        for (const app of APPS) assert.ok(!summary.includes(engine.heroku.apps.get(app)!.HEROKU_API_KEY), "a token reached the summary");
        assert.ok(!summary.includes(ENGINE_HEROKU_KEY));
        assert.match(summary, /### The change to approve: stack `prod`, commit `0123456789abcdef0123456789abcdef01234567`/);
    });

    it("lets the approved job go on when its preview proposes the same", async () => {
        const r = await step("check", { APPROVED_CHANGE: JSON.stringify(approved) });
        assert.equal(r.code, 0, r.log.join("\n"));
        assert.match(r.log[0], new RegExp(`^stack prod: the preview proposes exactly the approved change \\(${approved.length} operation\\(s\\), change id [0-9a-f]{12}\\)$`));
    });

    it("stops it when a var was changed by hand after the approval, naming the operation nobody approved", async () => {
        const hand = "HRKU-changed-by-hand-after-approval-77";
        engine.heroku.apps.get("raxx-api-prod")!.HEROKU_API_KEY = hand;
        const r = await step("check", { APPROVED_CHANGE: JSON.stringify(approved) });
        assert.equal(r.code, 1);
        assert.match(r.log[0], /^::error::stack prod: the preview now proposes another change than the one approved \(1 operation\(s\) not approved, 1 no longer proposed\); nothing was applied\. Run apply again\.$/);
        const vars = "urn:pulumi:prod::raxx-platform::raxx:deploy:DeployToken$pulumi-nodejs:dynamic/heroku:ConfigVars::platform-token-raxx-api-prod";
        assert.deepEqual(r.log.slice(1), [`+ not approved: update ${vars} [secretVars.HEROKU_API_KEY]`, `- approved, no longer proposed: update ${vars}`]);
        const all = r.log.join("\n") + fs.readFileSync(r.env.GITHUB_STEP_SUMMARY, "utf8");
        assert.ok(!all.includes(hand), "the value set by hand reached the log or summary");
    });

    it("stops it when the approved change was not handed over", async () => {
        engine.heroku.apps.get("raxx-api-prod")!.HEROKU_API_KEY = "HRKU-another-hand-value-8";
        const r = await step("check", { APPROVED_CHANGE: "" });
        assert.deepEqual([r.code, r.log], [1, ["::error::no approved change was handed over for stack prod; run apply again"]]);
    });
});
