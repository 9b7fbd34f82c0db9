// The Pulumi CLI for the engine test tier: found on PATH, reused from an
// earlier build, or built from Go modules (tools/pulumi/go.mod).
//
// The CLI ships no binary this machine can download, but it is a Go module.
// `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@<v>` refuses it
// because pkg's own go.mod has `replace` lines, so tools/pulumi/go.mod pins
// pkg and sdk at one version and repeats them. The build goes to
// `.pulumi-cli/v<version>/bin` (ignored), next to the small launchers the CLI
// distribution ships for Node.js, which the engine starts as plugins.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
const TOOLS = path.join(ROOT, "tools", "pulumi");
const PKG = "github.com/pulumi/pulumi/pkg/v3";
/** Where builds go, one folder per version. Ignored by git. */
export const CLI_CACHE = path.join(ROOT, ".pulumi-cli");

export interface Cli {
    /** The folder that holds `pulumi` and the Node.js launchers. */
    readonly binDir: string;
    /** The `pulumi` executable. */
    readonly pulumi: string;
    readonly version: string;
    /** How it was found. */
    readonly source: "path" | "cache" | "built";
}

/** `major.minor.patch` as numbers; undefined for anything else. */
export function parseVersion(v: string): [number, number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function atLeast(version: string, minimum: string): boolean {
    const a = parseVersion(version);
    const b = parseVersion(minimum);
    if (!a || !b) return false;
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
}

/** The oldest CLI the project accepts: `requiredPulumiVersion` in Pulumi.yaml (`>=x.y.z`). */
export function minimumVersion(): string {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { requiredPulumiVersion?: string };
    const m = /^>=\s*(\d+\.\d+\.\d+)$/.exec(doc.requiredPulumiVersion ?? "");
    if (!m) throw new Error('Pulumi.yaml must declare requiredPulumiVersion as ">=<major>.<minor>.<patch>"');
    return m[1];
}

/** The version tools/pulumi/go.mod pins for pkg/v3 (and sdk/v3 alongside). */
export function pinnedVersion(): string {
    const mod = fs.readFileSync(path.join(TOOLS, "go.mod"), "utf8");
    const pin = (module: string) => new RegExp(`^\\s*${module.replace(/[./]/g, "\\$&")}\\s+v(\\d+\\.\\d+\\.\\d+)\\s*(//.*)?$`, "m").exec(mod)?.[1];
    const pkg = pin(PKG);
    const sdk = pin("github.com/pulumi/pulumi/sdk/v3");
    if (pkg === undefined || sdk === undefined) throw new Error(`tools/pulumi/go.mod must require ${PKG} and github.com/pulumi/pulumi/sdk/v3 at plain versions`);
    if (pkg !== sdk) throw new Error(`tools/pulumi/go.mod pins pkg/v3 at ${pkg} but sdk/v3 at ${sdk}; pin both at one version`);
    return pkg;
}

/** The version a `pulumi` executable reports, or undefined if it cannot run. */
export function versionOf(pulumi: string): string | undefined {
    const r = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    if (r.status !== 0) return undefined;
    const v = parseVersion(r.stdout);
    return v ? v.join(".") : undefined;
}

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir === "") continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** The cached build of `version`, if a complete one exists. */
function cached(version: string): Cli | undefined {
    const binDir = path.join(CLI_CACHE, `v${version}`, "bin");
    const pulumi = path.join(binDir, "pulumi");
    const complete = [pulumi, ...Object.keys(LAUNCHERS).map((n) => path.join(binDir, n))].every((f) => fs.existsSync(f));
    if (!complete || versionOf(pulumi) !== version) return undefined;
    return { binDir, pulumi, version, source: "cache" };
}

/**
 * A CLI to run the engine tier with, without building one: a `pulumi` on PATH
 * of at least the project's minimum version, else a cached build of the pinned
 * version. Undefined when neither exists.
 */
export function findCli(): Cli | undefined {
    const min = minimumVersion();
    const ambient = onPath("pulumi");
    if (ambient !== undefined) {
        const version = versionOf(ambient);
        if (version !== undefined && atLeast(version, min)) return { binDir: path.dirname(ambient), pulumi: ambient, version, source: "path" };
    }
    return cached(pinnedVersion());
}

/**
 * The plugins the CLI distribution ships for Node.js that the engine tier
 * needs, as launchers that run the entry points of the project's own
 * `@pulumi/pulumi`. Like the shipped ones, they resolve it from the plugin's
 * working directory, which the engine sets to the program's folder.
 *
 * - `pulumi-resource-pulumi-nodejs`: the dynamic-provider host.
 *
 * Policy packs need no launcher here: CLI 3.276 starts a policy pack folder
 * only through the `pulumi-language-nodejs` plugin (its RunPlugin), which
 * cannot be built here (its Go module is not served). The engine tier runs the
 * pack as a binary analyzer instead (tests/engine/harness.ts, `policyPack`).
 */
export const LAUNCHERS: Readonly<Record<string, string>> = {
    "pulumi-resource-pulumi-nodejs": "@pulumi/pulumi/cmd/dynamic-provider",
};

function launcher(entry: string): string {
    return [
        "#!/bin/sh",
        "# Written by scripts/install-cli.ts, like the launcher the Pulumi CLI ships for Node.js.",
        `script=$(node -e "process.stdout.write(require.resolve('${entry}'))") || exit 1`,
        'exec node "$script" "$@"',
        "",
    ].join("\n");
}

export function writeLaunchers(binDir: string): string[] {
    return Object.entries(LAUNCHERS).map(([name, entry]) => {
        const file = path.join(binDir, name);
        fs.writeFileSync(file, launcher(entry), { mode: 0o755 });
        return file;
    });
}

/**
 * `go build` of the pinned pkg/v3's CLI into `out`, reporting `reportedVersion`
 * (the linker sets the version string the CLI prints and checks).
 */
function goBuild(out: string, reportedVersion: string, env: NodeJS.ProcessEnv = {}): void {
    const go = onPath("go");
    if (go === undefined) throw new Error("go is not on PATH: the engine tier builds the Pulumi CLI from Go modules (Go 1.26 or later)");
    const r = spawnSync(
        go,
        ["build", "-trimpath", "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${reportedVersion}`, "-o", out, `${PKG}/cmd/pulumi`],
        // GOTOOLCHAIN=local: never fetch another Go; go.mod's `go` line says which one is needed.
        { cwd: TOOLS, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -buildvcs=false", ...env } },
    );
    if (r.status !== 0) throw new Error(`go build of the Pulumi CLI failed (exit ${r.status ?? r.signal})`);
}

/** What `buildCli` records next to the build: how long it took, and with which Go. */
export interface BuildRecord {
    readonly seconds: number;
    readonly go: string;
    readonly at: string;
}

export function buildRecord(version = pinnedVersion()): BuildRecord | undefined {
    const file = path.join(CLI_CACHE, `v${version}`, "build.json");
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as BuildRecord) : undefined;
}

/**
 * A build from nothing: empty Go module and build caches (so every module is
 * fetched from the proxy again), into a scratch folder that is removed. For
 * `npm run bench -- --cold-cli`. Returns its wall time in seconds.
 */
export function coldBuildSeconds(scratch: string): number {
    const started = Date.now();
    try {
        goBuild(path.join(scratch, "pulumi"), pinnedVersion(), { GOCACHE: path.join(scratch, "gocache"), GOMODCACHE: path.join(scratch, "gomod") });
        return (Date.now() - started) / 1000;
    } finally {
        // The module cache is read-only on disk.
        spawnSync("chmod", ["-R", "u+w", scratch]);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** Builds the pinned CLI with Go into the cache and writes its launchers. */
export function buildCli(log: (line: string) => void): Cli {
    const version = pinnedVersion();
    const goVersion = execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
    const target = path.join(CLI_CACHE, `v${version}`);
    const staging = fs.mkdtempSync(path.join(CLI_CACHE, `.building-v${version}-`));
    const binDir = path.join(staging, "bin");
    fs.mkdirSync(binDir, { recursive: true });
    log(`building the Pulumi CLI v${version} from Go modules (${goVersion}, tools/pulumi/go.mod); a first build takes several minutes`);
    const started = Date.now();
    try {
        goBuild(path.join(binDir, "pulumi"), version);
    } catch (e) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw e;
    }
    writeLaunchers(binDir);
    const record: BuildRecord = { seconds: Math.round((Date.now() - started) / 100) / 10, go: goVersion, at: new Date().toISOString() };
    fs.writeFileSync(path.join(staging, "build.json"), `${JSON.stringify(record, null, 2)}\n`);
    // Whole or not at all: a concurrent or interrupted build never leaves half a folder in place.
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    const pulumi = path.join(target, "bin", "pulumi");
    const built = versionOf(pulumi);
    if (built !== version) throw new Error(`the built CLI reports version ${built ?? "(none)"}, not ${version}`);
    return { binDir: path.join(target, "bin"), pulumi, version, source: "built" };
}

/**
 * The pinned CLI's code, relinked to report an older `version`: what the
 * engine tier runs to see that Pulumi.yaml's requiredPulumiVersion refuses an
 * older CLI. With the Go build cache warm (after buildCli) it only relinks.
 */
export function olderCliProbe(version: string): string {
    const out = path.join(CLI_CACHE, `probe-v${version}`, "pulumi");
    if (versionOf(out) === version) return out;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    goBuild(`${out}.tmp`, version);
    fs.renameSync(`${out}.tmp`, out);
    return out;
}

/** Finds a CLI, or builds the pinned one. */
export function installCli(log: (line: string) => void): Cli {
    fs.mkdirSync(CLI_CACHE, { recursive: true });
    return findCli() ?? buildCli(log);
}
