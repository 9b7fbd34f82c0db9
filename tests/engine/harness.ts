// The engine tier: the real Pulumi CLI runs the project's own components,
// through the Automation API (inline programs), against fakes on 127.0.0.1.
//
// - State: a `file://` backend in a temporary folder, the passphrase secrets
//   provider and a test passphrase. No Pulumi Cloud, no network beyond 127.0.0.1.
// - Heroku: the fake Platform API (tests/heroku/fakeHeroku.ts) in this process;
//   the engine's dynamic-provider host reaches it through HEROKU_API_URL.
// - GitHub, random and Cloudflare Access: tests/engine/fakePlugin.ts, started
//   by the engine as `pulumi-resource-github` / `-random` / `-cloudflare`.
//
// The stacks' work folders live under `.engine/` in the repository, so that the
// plugins (which resolve `@pulumi/pulumi` from their working directory, as the
// shipped launchers do) find the project's node_modules.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { ConfigMap, LocalWorkspace, PreviewResult, PulumiCommand, Stack, UpResult } from "@pulumi/pulumi/automation";
import { Cli, ROOT, findCli } from "../../scripts/lib/engine/cli";
import { FakeHeroku } from "../heroku/fakeHeroku";
import { FakeCloudFile, readCloud } from "./fakePlugin";

export const PASSPHRASE = "engine-tier-test-passphrase";
export const PROJECT = "raxx-platform";
/** The Heroku key the engine tier's provider host uses. */
export const ENGINE_HEROKU_KEY = "HRKU-engine-tier-key-3f9a1c7e-do-not-leak";
const FAKE_PACKAGES = ["github", "random", "cloudflare"];

export function requireCli(): Cli {
    const cli = findCli();
    if (cli === undefined) {
        throw new Error("no Pulumi CLI for the engine tier: run `npm run install-cli` (builds it from Go modules once), then `npm run test:engine`");
    }
    return cli;
}

/**
 * Fast, bounded retries for the provider host, so a fault storm ends in seconds. The
 * timeout stays generous: the files run in parallel on a busy machine, and a slow
 * answer must not turn into a retry. A test of a hanging request sets its own.
 */
export const FAST_HTTP_ENV: Record<string, string> = {
    HEROKU_HTTP_TIMEOUT_MS: "5000",
    HEROKU_HTTP_MAX_ATTEMPTS: "3",
    HEROKU_HTTP_BACKOFF_MS: "10",
    HEROKU_HTTP_MAX_BACKOFF_MS: "40",
    HEROKU_HTTP_MAX_RETRY_AFTER_MS: "50",
};

/** One engine environment: a CLI, a state backend, a fake Heroku, and fake plugins. */
export class Engine {
    readonly dir: string;
    readonly stateDir: string;
    readonly cloudDir: string;
    private constructor(
        readonly cli: Cli,
        readonly heroku: FakeHeroku,
        readonly command: PulumiCommand,
    ) {
        fs.mkdirSync(path.join(ROOT, ".engine"), { recursive: true });
        this.dir = fs.mkdtempSync(path.join(ROOT, ".engine", "run-"));
        this.stateDir = path.join(this.dir, "state");
        this.cloudDir = path.join(this.dir, "cloud");
        for (const d of [this.stateDir, this.cloudDir, path.join(this.dir, "home")]) fs.mkdirSync(d);
        this.writeFakePlugins();
    }

    static async start(): Promise<Engine> {
        const cli = requireCli();
        const heroku = await new FakeHeroku({ apiKey: ENGINE_HEROKU_KEY }).start();
        const command = await PulumiCommand.get({ root: path.dirname(cli.binDir), skipVersionCheck: false });
        return new Engine(cli, heroku, command);
    }

    /**
     * Installs the fake plugins into this run's plugin cache, under the versions
     * the SDKs ask for, as `pulumi plugin install` would: the engine then loads
     * them like any installed plugin (one on PATH would draw a warning each run).
     */
    private writeFakePlugins(): void {
        // Transpiled once per run: a plugin starts on every preview and up, and ts-node would add half a second to each.
        const source = fs.readFileSync(path.join(__dirname, "fakePlugin.ts"), "utf8");
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
        const main = path.join(this.dir, "fakePlugin.js");
        fs.writeFileSync(main, js.outputText);
        for (const pkg of FAKE_PACKAGES) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const version = (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
            const dir = path.join(this.dir, "home", "plugins", `resource-${pkg}-v${version}`);
            fs.mkdirSync(dir, { recursive: true });
            const file = path.join(dir, `pulumi-resource-${pkg}`);
            fs.writeFileSync(file, `#!/bin/sh\nexec node ${JSON.stringify(main)} ${pkg} "$@"\n`, { mode: 0o755 });
        }
    }

    /**
     * The project's policy pack, as the engine tier runs it: an executable that
     * the CLI starts as a binary analyzer plugin (`--policy-pack <file>`). It
     * does what the CLI's own launcher for Node.js policy packs does: starts
     * `@pulumi/pulumi/cmd/run-policy-pack` in the pack's folder. (A pack folder
     * would need the pulumi-language-nodejs plugin, which cannot be built here.)
     */
    policyPack(dir = path.join(ROOT, "policy")): string {
        const file = path.join(this.dir, `policy-pack-${path.basename(dir)}`);
        fs.writeFileSync(
            file,
            [
                "#!/bin/sh",
                `cd ${JSON.stringify(dir)} || exit 1`,
                `script=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run-policy-pack'))") || exit 1`,
                'exec node "$script" "$1" .',
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
        return file;
    }

    /** What every CLI run sees. */
    env(extra: Record<string, string> = {}): Record<string, string> {
        return {
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_HOME: path.join(this.dir, "home"),
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            RAXX_FAKE_CLOUD_DIR: this.cloudDir,
            HEROKU_API_KEY: ENGINE_HEROKU_KEY,
            HEROKU_API_URL: this.heroku.url,
            ...FAST_HTTP_ENV,
            ...extra,
        };
    }

    /** A new stack of an inline program, in its own work folder. */
    async stack(name: string, program: pulumi.automation.PulumiFn, opts: { config?: ConfigMap; env?: Record<string, string> } = {}): Promise<EngineStack> {
        const workDir = path.join(this.dir, `work-${name}`);
        fs.mkdirSync(workDir, { recursive: true });
        const extraArgs: string[] = [];
        const command = withExtraArgs(this.command, extraArgs);
        const stack = await LocalWorkspace.createStack(
            { stackName: name, projectName: PROJECT, program },
            {
                workDir,
                pulumiCommand: command,
                secretsProvider: "passphrase",
                projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: `file://${this.stateDir}` } },
                envVars: this.env(opts.env),
            },
        );
        if (opts.config) await stack.setAllConfig(opts.config);
        return new EngineStack(stack, extraArgs, this);
    }

    /** What the fake GitHub or random provider holds now. */
    cloud(pkg: string): FakeCloudFile {
        return readCloud(this.cloudDir, pkg);
    }

    async stop(): Promise<void> {
        await this.heroku.stop();
        if (!process.env.RAXX_ENGINE_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** `PulumiCommand.run`, which the Automation API calls for every CLI run; its typings leave it out. */
interface Runnable {
    run(args: string[], cwd: string, env: Record<string, string>, ...rest: unknown[]): Promise<{ stdout: string; stderr: string; code: number }>;
}

function runnable(command: PulumiCommand): Runnable {
    return command as unknown as Runnable;
}

/** The command, with `extra` (filled in per call) added to the next preview/up/refresh/destroy. */
function withExtraArgs(command: PulumiCommand, extra: string[]): PulumiCommand {
    const wrapped = Object.create(command) as Runnable;
    wrapped.run = (args, ...rest) => {
        const out = ["preview", "up", "update", "refresh", "destroy"].includes(args[0]) ? [...args, ...extra] : args;
        return runnable(command).run(out, ...rest);
    };
    return wrapped as unknown as PulumiCommand;
}

/** The outcome of a CLI run that may fail: its exit code and output, never a thrown error. */
export interface Outcome {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export class EngineStack {
    constructor(
        readonly stack: Stack,
        private readonly extraArgs: string[],
        readonly engine: Engine,
    ) {}

    get name(): string {
        return this.stack.name;
    }

    async up(opts: Parameters<Stack["up"]>[0] = {}): Promise<UpResult> {
        return this.stack.up(opts);
    }

    async preview(opts: Parameters<Stack["preview"]>[0] = {}): Promise<PreviewResult> {
        return this.stack.preview(opts);
    }

    /** Runs `op` with extra CLI flags (e.g. `--json`), and returns its exit code and output instead of throwing. */
    async outcome(flags: string[], op: (s: Stack) => Promise<{ stdout: string; stderr: string }>): Promise<Outcome> {
        this.extraArgs.splice(0, this.extraArgs.length, ...flags);
        try {
            const r = await op(this.stack);
            return { code: 0, stdout: r.stdout, stderr: r.stderr };
        } catch (e) {
            // The Automation API runs the CLI with execa, which rejects on a non-zero exit; the
            // CommandResult then carries execa's error, which has the real exit code and output.
            const result = (e as { commandResult?: { err?: unknown } }).commandResult;
            const run = result?.err as { exitCode?: number; stdout?: string; stderr?: string } | undefined;
            if (run?.exitCode === undefined) throw e;
            return { code: run.exitCode, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
        } finally {
            this.extraArgs.splice(0);
        }
    }

    /**
     * What a preview proposes, from the CLI's `--json` output: every step that
     * is not `same`, as `<op> <type> <name>`, sorted. Fails if the preview fails.
     */
    async planned(opts: Parameters<Stack["preview"]>[0] = {}): Promise<string[]> {
        const o = await this.outcome(["--json"], (s) => s.preview(opts));
        if (o.code !== 0) throw new Error(`preview failed (exit ${o.code}):\n${o.stderr}\n${o.stdout.slice(0, 2000)}`);
        return stepsOf(o.stdout)
            .filter((s) => s.op !== "same")
            .map((s) => `${s.op} ${s.type} ${s.name}`)
            .sort();
    }

    /**
     * The checkpoint as `pulumi stack export` prints it: secrets encrypted, or
     * decrypted with `showSecrets` (`--show-secrets`). (The Automation API's own
     * `exportStack` always passes `--show-secrets`.)
     */
    async exportText(showSecrets = false): Promise<string> {
        const args = ["stack", "export", "--stack", this.stack.name, ...(showSecrets ? ["--show-secrets"] : [])];
        const r = await runnable(this.engine.command).run(args, (this.stack.workspace as LocalWorkspace).workDir, this.engine.env());
        return r.stdout;
    }

    /** Resources in state, of `type` if given, secrets encrypted unless `showSecrets`. */
    async resources(type?: string, showSecrets = false): Promise<StateResource[]> {
        const deployment = (JSON.parse(await this.exportText(showSecrets)) as { deployment: { resources?: StateResource[] } }).deployment;
        return (deployment.resources ?? []).filter((r) => type === undefined || r.type === type);
    }

    async pendingOperations(): Promise<unknown[]> {
        const deployment = (JSON.parse(await this.exportText()) as { deployment: { pending_operations?: unknown[] } }).deployment;
        return deployment.pending_operations ?? [];
    }
}

export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly delete?: boolean;
    readonly pendingReplacement?: boolean;
    readonly protect?: boolean;
}

export interface Step {
    readonly op: string;
    readonly type: string;
    readonly name: string;
    readonly urn: string;
}

/** The steps of a `pulumi preview --json` document. */
export function stepsOf(json: string): Step[] {
    const doc = JSON.parse(json) as { steps?: { op: string; urn: string }[] };
    return (doc.steps ?? []).map((s) => {
        const parts = s.urn.split("::");
        return { op: s.op, urn: s.urn, type: parts[2].split("$").pop()!, name: parts[3] };
    });
}

/** A scratch folder outside the repository, removed by the caller. */
/**
 * The CLI's JSON `stdout` of a run against its kept copy, tests/engine/fixtures/`name`, which unit
 * tests read in place of the CLI: when `rewrite`, the copy is written first from the run (with
 * `source`, saying how it was made, as `_source`; `replacer` as JSON.stringify's). Then the run's
 * steps (op and URN) and change summary must be the copy's.
 */
export function matchFixture<T extends { readonly steps?: readonly { op: string; urn: string }[]; readonly changeSummary?: unknown }>(
    name: string,
    stdout: string,
    source: Record<string, string>,
    rewrite: boolean,
    replacer?: (key: string, value: unknown) => unknown,
): { run: T; fixture: T } {
    const file = path.join(__dirname, "fixtures", name);
    const run = JSON.parse(stdout) as T;
    if (rewrite) fs.writeFileSync(file, `${JSON.stringify({ _source: source, ...run }, replacer, 4)}\n`);
    const fixture = JSON.parse(fs.readFileSync(file, "utf8")) as T;
    const ops = (d: T) => (d.steps ?? []).map((x) => `${x.op} ${x.urn}`).sort();
    assert.deepEqual(ops(run), ops(fixture), `the run's steps differ from ${name}`);
    assert.deepEqual(run.changeSummary, fixture.changeSummary, `the run's change summary differs from ${name}`);
    return { run, fixture };
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
