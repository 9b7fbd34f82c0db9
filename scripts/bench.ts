// npm run bench: how long the program takes to evaluate as the Pulumi language
// host runs it, against the bare cost of importing the provider SDKs, and what
// the tools and the test suite cost.
//
// Evaluation runs @pulumi/pulumi's own cmd/run, as the host starts it for this
// project: Pulumi.yaml's runtime options (its tsconfig, so transpile only),
// the stack's config in PULUMI_CONFIG, stack traces and source maps as cmd/run
// sets them up; only the resource monitor is a mock (scripts/lib/host/evaluate.js).
//
// Targets on a 2-core machine (checked, and the exit code says so); each ratio to the SDK
// import is taken pair by pair, each run against an import timed just before it:
//   - each stack's evaluation <= 2 x the SDK import time, and transpile only;
//   - peak memory of the evaluation (a preview's program) <= 300 MiB;
//   - `npm run plan` per stack (the whole process, as the npm script runs it) <= 2 x the SDK import time,
//     and under 3 s in any case;
//   - the whole `npm test` <= 30 s;
//   - peak memory of any process <= 1 GiB;
//   - the engine tier (`npm run test:engine`, without installing the CLI) <= 120 s;
//   - the mutation score of the last full `npm run mutate` >= 85%, with no survivor in a
//     critical area (read from the record that run left; docs/mutation.md).
//
// With a Pulumi CLI (npm run install-cli), it also times the engine on the
// Heroku side: one real preview of the deploy token on four apps, and one
// rotation (preview and up); and reports how long the CLI took to build.
// `--no-engine` skips all of that; `--cold-cli` also builds the CLI once with
// empty Go caches (every module fetched again; several minutes).
import { spawnSync } from "node:child_process";
import { buildRecord, coldBuildSeconds, findCli, installCli } from "./lib/engine/cli";
import { languageHostEnv } from "./lib/host/env";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/github", "@pulumi/cloudflare", "@pulumi/random"];
const RUNS = 5;
const GIB = 1024 * 1024 * 1024;

interface Sample {
    ms: number;
    rssBytes: number;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

/** Runs `node` with `args` and returns the JSON line it prints last. */
function node(args: string[], env: NodeJS.ProcessEnv = {}): Record<string, number> {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
    if (r.status !== 0) {
        throw new Error(`node ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
    }
    const lines = r.stdout.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as Record<string, number>;
}

/** Wall time of requiring every provider SDK in a fresh process. */
function sdkImport(): Sample {
    const code = `const t = process.hrtime.bigint(); for (const m of ${JSON.stringify(SDKS)}) require(m);
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, rss: process.resourceUsage().maxRSS * 1024 }));`;
    const out = node(["-e", code]);
    return { ms: out.ms, rssBytes: out.rss };
}

/**
 * Wall time of one evaluation of the program for `stack` as the language host
 * runs it, in a fresh process that has already loaded the SDKs (they are the floor).
 */
function evaluation(stack: string, program?: string): Sample & { resources: number; transpileOnly: boolean; transpiler: string } {
    const out = node([path.join(ROOT, "scripts", "lib", "host", "evaluate.js"), stack, SDKS.join(","), ...(program === undefined ? [] : [program])], languageHostEnv(stack));
    return { ms: out.ms, rssBytes: out.rss, resources: out.resources, transpileOnly: (out.transpileOnly as unknown) === true, transpiler: String(out.transpiler ?? "TypeScript") };
}

/**
 * Wall time of `npm run plan -- --stack <stack> --json` without npm itself: the
 * process the npm script starts (ts-node), from spawn to exit.
 */
function plan(stack: string): Sample {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bench-plan-"));
    const reporter = path.join(dir, "rss.js");
    fs.writeFileSync(reporter, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(path.join(dir, "rss.txt"))}, String(process.resourceUsage().maxRSS * 1024)));`);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${reporter}` };
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "scripts/plan.ts", "--stack", stack, "--json"], {
        cwd: ROOT,
        encoding: "utf8",
        env,
    });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`npm run plan -- --stack ${stack} failed (${r.status}):\n${r.stderr}`);
    const rssBytes = Number(fs.readFileSync(path.join(dir, "rss.txt"), "utf8"));
    fs.rmSync(dir, { recursive: true, force: true });
    return { ms, rssBytes };
}

/** Wall time of `npm test`, and the peak memory of every node process it starts. */
function npmTest(): Sample {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bench-"));
    const reporter = path.join(dir, "rss.js");
    fs.writeFileSync(
        reporter,
        `process.on("exit", () => require("fs").appendFileSync(${JSON.stringify(path.join(dir, "rss.txt"))}, process.resourceUsage().maxRSS * 1024 + "\\n"));`,
    );
    const t = process.hrtime.bigint();
    const r = spawnSync("npm", ["test"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: `--require ${reporter}` },
    });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`npm test failed:\n${r.stdout}\n${r.stderr}`);
    const rss = fs.readFileSync(path.join(dir, "rss.txt"), "utf8").trim().split("\n").map(Number);
    fs.rmSync(dir, { recursive: true, force: true });
    return { ms, rssBytes: Math.max(...rss) };
}

function fmt(ms: number): string {
    return `${(ms / 1000).toFixed(2)} s`;
}

function mib(bytes: number): string {
    return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/**
 * `run`, RUNS times, each run paired with an SDK import just before it: the machine's speed
 * drifts over a bench, and a ratio taken pair by pair follows it, where a floor measured once
 * at the start does not. The ratio is the median of the pairs' ratios.
 */
function pairedWithFloor<S extends Sample>(run: () => S): { runs: S[]; floors: Sample[]; ms: number; ratio: number } {
    const pairs = Array.from({ length: RUNS }, () => {
        const floor = sdkImport();
        return { floor, run: run() };
    });
    return {
        runs: pairs.map((p) => p.run),
        floors: pairs.map((p) => p.floor),
        ms: median(pairs.map((p) => p.run.ms)),
        ratio: median(pairs.map((p) => p.run.ms / p.floor.ms)),
    };
}

async function main(): Promise<void> {
    const failures: string[] = [];
    const imports = Array.from({ length: RUNS }, sdkImport);
    const importMs = median(imports.map((s) => s.ms));
    console.log(`SDK import (${SDKS.length} packages), median of ${RUNS}: ${fmt(importMs)}, peak ${mib(Math.max(...imports.map((s) => s.rssBytes)))}`);
    console.log(`(each ratio below is the median of ${RUNS} runs, each divided by an SDK import timed just before it)`);
    let peak = Math.max(...imports.map((s) => s.rssBytes));

    // Not a target: what the host costs before any program (cmd/run, ts-node, its inspector session), for reading the ratios below.
    const empty = pairedWithFloor(() => evaluation("prod", "scripts/lib/host/empty.ts"));
    console.log(`the language host with an empty program: ${fmt(empty.ms)} = ${empty.ratio.toFixed(2)} x SDK import`);

    for (const stack of ["prod", "staging"]) {
        const { runs: evals, ms: evalMs, ratio, floors } = pairedWithFloor(() => evaluation(stack));
        const evalPeak = Math.max(...evals.map((s) => s.rssBytes));
        peak = Math.max(peak, evalPeak, ...floors.map((s) => s.rssBytes));
        console.log(
            `${stack}: evaluation as the language host runs it (${evals[0].resources} resources, ${evals.every((s) => s.transpileOnly) ? `transpile only, by ${evals[0].transpiler}` : "TYPE-CHECKING"}): ` +
                `${fmt(evalMs)} = ${ratio.toFixed(2)} x SDK import (target <= 2); peak ${mib(evalPeak)} (target <= 300 MiB)`,
        );
        if (ratio > 2) failures.push(`${stack}: evaluation is ${ratio.toFixed(2)} x the SDK import time (target <= 2)`);
        if (evalPeak > 300 * 1024 * 1024) failures.push(`${stack}: the evaluation's peak memory is ${mib(evalPeak)} (target <= 300 MiB)`);
        if (!evals.every((s) => s.transpileOnly)) failures.push(`${stack}: the language host type-checks the program (Pulumi.yaml's runtime tsconfig must set noCheck)`);
    }

    for (const stack of ["prod", "staging"]) {
        const { runs, ms: planMs, ratio: planRatio } = pairedWithFloor(() => plan(stack));
        peak = Math.max(peak, ...runs.map((s) => s.rssBytes));
        console.log(
            `${stack}: npm run plan --json: ${fmt(planMs)} = ${planRatio.toFixed(2)} x SDK import (target <= 2); ` +
                `peak ${mib(Math.max(...runs.map((s) => s.rssBytes)))}`,
        );
        if (planRatio > 2) failures.push(`${stack}: npm run plan is ${planRatio.toFixed(2)} x the SDK import time (target <= 2)`);
        if (planMs >= 3_000) failures.push(`${stack}: npm run plan took ${fmt(planMs)} (target < 3 s)`);
    }

    if (!process.argv.includes("--no-test")) {
        const test = npmTest();
        peak = Math.max(peak, test.rssBytes);
        console.log(`npm test: ${fmt(test.ms)}, peak ${mib(test.rssBytes)} (largest single process)`);
        if (test.ms > 30_000) failures.push(`npm test took ${fmt(test.ms)} (target <= 30 s)`);
    }
    console.log(`peak memory of any process: ${mib(peak)}`);
    if (peak > GIB) failures.push(`peak memory ${mib(peak)} (target <= 1 GiB)`);

    if (!process.argv.includes("--no-engine")) await engineFigures(failures);
    mutationFigures(failures);

    if (failures.length > 0) {
        console.error(`\nmissed targets:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
        process.exitCode = 1;
    } else {
        console.log("all targets met");
    }
}

/**
 * The mutation score of the last full `npm run mutate` here (docs/mutation.md): it takes too long
 * to run inside the bench, so the bench reports what that run recorded, and its date.
 */
function mutationFigures(failures: string[]): void {
    const file = path.join(ROOT, "reports", "mutation", "summary.json");
    if (!fs.existsSync(file)) {
        console.log("mutation testing: no full `npm run mutate` here yet (docs/mutation.md: Node 22, about an hour on 2 cores)");
        return;
    }
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as MutationSummary;
    const seconds = s.groups.reduce((n, g) => n + g.seconds, 0);
    console.log(
        `mutation testing, last full run (${s.date.slice(0, 10)}): score ${s.total.score?.toFixed(1)}% (target >= ${s.target}%), ` +
            `${s.critical} survivors in critical areas (target 0), ${Math.round(seconds / 60)} min${s.cores === undefined ? "" : ` on ${s.cores} cores`}`,
    );
    for (const g of s.groups) console.log(`  ${g.group}: ${g.score === null ? "n/a" : `${g.score.toFixed(1)}%`} in ${g.seconds} s`);
    if (s.total.score !== null && s.total.score < s.target) failures.push(`mutation score ${s.total.score.toFixed(1)}% (target >= ${s.target}%)`);
    if (s.critical > 0) failures.push(`${s.critical} mutants survive in critical areas (target 0)`);
}

/** What `npm run mutate` records of a full run (scripts/mutate.ts). */
interface MutationSummary {
    readonly date: string;
    readonly target: number;
    readonly cores?: number;
    readonly groups: { readonly group: string; readonly seconds: number; readonly score: number | null }[];
    readonly total: { readonly score: number | null };
    readonly critical: number;
}

/** The engine on the Heroku side: a preview, and a rotation across four apps. */
async function engineOperations(): Promise<{ previewMs: number; previews: number[]; rotationMs: number; upMs: number }> {
    // Test code, loaded only when a CLI is there to run it.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Engine } = require("../tests/engine/harness") as typeof import("../tests/engine/harness");
    const { APPS, deployTokenProgram } = require("../tests/engine/programs") as typeof import("../tests/engine/programs");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const engine = await Engine.start();
    try {
        for (const app of APPS) engine.heroku.addApp(app);
        const state = { entry: "active=a a=2026-08-04", apps: APPS };
        const stack = await engine.stack("bench", deployTokenProgram(state));
        await stack.up();
        const previews: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const t = process.hrtime.bigint();
            await stack.preview();
            previews.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        state.entry = "active=b a=2026-08-04 b=2026-11-02";
        const t = process.hrtime.bigint();
        await stack.preview();
        const u = process.hrtime.bigint();
        await stack.up();
        const end = process.hrtime.bigint();
        return { previewMs: median(previews), previews, rotationMs: Number(end - t) / 1e6, upMs: Number(end - u) / 1e6 };
    } finally {
        await engine.stop();
    }
}

/** Wall time of the engine tier's tests, as `npm run test:engine` runs them once the CLI is installed. */
function engineTier(): number {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js"), "--config", "tests/engine/.mocharc.json"], { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`the engine tier failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
    return ms;
}

async function engineFigures(failures: string[]): Promise<void> {
    const cli = findCli();
    if (cli === undefined) {
        console.log("engine: skipped, no Pulumi CLI here (npm run install-cli builds one)");
        return;
    }
    const t = process.hrtime.bigint();
    installCli(() => undefined);
    const reuseMs = Number(process.hrtime.bigint() - t) / 1e6;
    const record = buildRecord();
    const built = record === undefined ? "not built here" : `built in ${record.seconds.toFixed(0)} s on ${record.at.slice(0, 10)} (${record.go})`;
    console.log(`Pulumi CLI v${cli.version} (${cli.source}): ${built}; found again (cached) in ${fmt(reuseMs)}`);
    if (process.argv.includes("--cold-cli")) {
        const seconds = coldBuildSeconds(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-cold-cli-")));
        console.log(`Pulumi CLI, cold build (empty Go module and build caches): ${seconds.toFixed(0)} s`);
    }
    const ops = await engineOperations();
    console.log(
        `engine: one real preview of the deploy token on 4 apps (11 resources), median of ${RUNS}: ${fmt(ops.previewMs)} (${ops.previews.map((ms) => fmt(ms)).join(", ")})`,
    );
    console.log(`engine: one rotation across 4 apps, preview then up: ${fmt(ops.rotationMs)} (the up: ${fmt(ops.upMs)})`);
    const tierMs = engineTier();
    console.log(`engine tier (npm run test:engine, CLI installed): ${fmt(tierMs)}`);
    if (tierMs > 120_000) failures.push(`the engine tier took ${fmt(tierMs)} (target <= 120 s)`);
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
