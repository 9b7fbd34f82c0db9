// Pulumi.yaml and the stack files against the real CLI: it accepts them, it
// reads each stack's checked-in config with the project's defaults exactly as
// the offline tools do, and it refuses a CLI older than the minimum.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, atLeast, minimumVersion, olderCliProbe, pinnedVersion } from "../../scripts/lib/engine/cli";
import { loadConfig } from "../../config";
import { readStackConfig } from "../../scripts/lib/offline/stack";
import { Engine, tempDir } from "./harness";

const STACKS = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

describe("engine: Pulumi.yaml and the stack files under the real CLI", function () {
    this.timeout(600_000);
    let engine: Engine;
    let project: string;

    /** Runs the CLI in the copied project. */
    function pulumi(args: string[], cli = engine.cli.pulumi): { code: number; stdout: string; stderr: string } {
        const r = spawnSync(cli, [...args, "--non-interactive"], { cwd: project, encoding: "utf8", env: { ...process.env, ...engine.env() } });
        return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }

    before(async () => {
        engine = await Engine.start();
        // A copy: `stack init` writes the passphrase salt into the stack file.
        project = tempDir("raxx-project-");
        for (const f of ["Pulumi.yaml", ...STACKS.map((s) => `Pulumi.${s}.yaml`)]) fs.copyFileSync(path.join(ROOT, f), path.join(project, f));
        for (const stack of STACKS) {
            const r = pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
            assert.equal(r.code, 0, r.stderr);
        }
    });
    after(async () => {
        fs.rmSync(project, { recursive: true, force: true });
        await engine?.stop();
    });

    it("covers both checked-in stacks", () => {
        assert.deepEqual(STACKS.sort(), ["prod", "staging"]);
    });

    for (const stack of ["prod", "staging"]) {
        it(`reads ${stack}'s config with the project defaults exactly as the offline tools do`, () => {
            const r = pulumi(["config", "--json", "--stack", stack]);
            assert.equal(r.code, 0, r.stderr);
            const cli = JSON.parse(r.stdout) as Record<string, { value?: string; objectValue?: unknown; secret: boolean }>;
            const fromCli = Object.fromEntries(Object.entries(cli).map(([k, v]) => [k, v.value]));
            assert.deepEqual(fromCli, readStackConfig(stack).values);
            assert.deepEqual(Object.entries(cli).filter(([, v]) => v.secret), []);
        });

        it(`validates ${stack}'s config against Pulumi.yaml's declarations before it looks for a language host`, () => {
            const r = pulumi(["preview", "--stack", stack]);
            // The engine tier has no pulumi-language-nodejs; getting that far means the config passed.
            assert.notEqual(r.code, 0);
            assert.doesNotMatch(r.stderr + r.stdout, /validating stack config/);
            assert.match(r.stderr + r.stdout, /no language plugin 'pulumi-language-nodejs' found/);
        });
    }

    it("refuses a stack value of the wrong type, so the check above can fail", () => {
        const r1 = pulumi(["config", "set", "--stack", "staging", "rotationMaxAgeDays", "ninety"]);
        assert.equal(r1.code, 0, r1.stderr);
        const r = pulumi(["preview", "--stack", "staging"]);
        assert.match(r.stderr + r.stdout, /validating stack config: Stack 'staging' with configuration key 'rotationMaxAgeDays' must be of type 'integer'/);
        assert.equal(pulumi(["config", "rm", "--stack", "staging", "rotationMaxAgeDays"]).code, 0);
    });

    it("a secret key set in plain text fails the program's config check, naming the key; set as a secret, it passes", async () => {
        const staging = readStackConfig("staging").values;
        const config = Object.fromEntries(Object.entries(staging).map(([k, v]) => [k, { value: v }]));
        const stack = await engine.stack("plain-secret", async () => {
            loadConfig();
        });
        await stack.stack.setAllConfig({ ...config, "raxx-platform:herokuApiKey": { value: "HRKU-plain-text-canary-5a1c" } });
        const plain = await stack.outcome([], (s) => s.preview());
        assert.notEqual(plain.code, 0);
        const output = plain.stdout + plain.stderr;
        assert.match(output, /raxx-platform:herokuApiKey: is set in plain text, but it is a secret; set it with `pulumi config set --secret herokuApiKey <value>`/);
        assert.ok(!output.includes("HRKU-plain-text-canary-5a1c"));
        await stack.stack.setConfig("raxx-platform:herokuApiKey", { value: "HRKU-secret-canary-8b2d", secret: true });
        const secret = await stack.outcome([], (s) => s.preview());
        assert.equal(secret.code, 0, secret.stdout + secret.stderr);
    });

    it("declares requiredPulumiVersion >=3.226.0, which the pinned CLI meets", () => {
        assert.equal(minimumVersion(), "3.226.0");
        assert.ok(atLeast(pinnedVersion(), minimumVersion()), `pinned ${pinnedVersion()}`);
        assert.ok(atLeast(engine.cli.version, minimumVersion()), `running ${engine.cli.version}`);
    });

    it("is refused by an older CLI", () => {
        // The same code, relinked to report 3.225.0.
        const older = olderCliProbe("3.225.0");
        const r = pulumi(["preview", "--stack", "prod"], older);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /error: Pulumi CLI version 3\.225\.0 does not satisfy the version range ">=3\.226\.0"/);
    });
});
