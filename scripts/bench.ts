// npm run bench: how long the program takes to evaluate under mocks, against
// the bare cost of importing the provider SDKs, and what the test suite costs.
//
// Targets on a 2-core machine (checked, and the exit code says so):
//   - each stack's evaluation <= 1.5 x the SDK import time;
//   - `npm run plan` per stack (the whole process, as the npm script runs it) < 3 s;
//   - the whole `npm test` <= 30 s;
//   - peak memory of any process <= 1 GiB.
import { spawnSync } from "node:child_process";
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

/** Wall time of one evaluation of the program for `stack`, in a fresh process that has already loaded the SDKs. */
function evaluation(stack: string): Sample & { resources: number } {
    const out = node(["-r", "ts-node/register/transpile-only", __filename, "--child-evaluate", stack]);
    return { ms: out.ms, rssBytes: out.rss, resources: out.resources };
}

async function childEvaluate(stack: string): Promise<void> {
    for (const m of SDKS) require(m);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runStack } = require("./lib/offline/stack") as typeof import("./lib/offline/stack");
    const t = process.hrtime.bigint();
    const result = await runStack(stack);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (result.error) throw result.error;
    console.log(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS * 1024, resources: result.registrations.length }));
}

/**
 * Wall time of `npm run plan -- --stack <stack> --json` without npm itself: the
 * process the npm script starts (ts-node), from spawn to exit. `uncached` turns
 * off the plan's transpile cache, as on the very first run after a clone.
 */
function plan(stack: string, uncached = false): Sample {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bench-plan-"));
    const reporter = path.join(dir, "rss.js");
    fs.writeFileSync(reporter, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(path.join(dir, "rss.txt"))}, String(process.resourceUsage().maxRSS * 1024)));`);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${reporter}` };
    if (uncached) env.RAXX_NO_TRANSPILE_CACHE = "1";
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

async function main(): Promise<void> {
    const i = process.argv.indexOf("--child-evaluate");
    if (i >= 0) return childEvaluate(process.argv[i + 1]);

    const failures: string[] = [];
    const imports = Array.from({ length: RUNS }, sdkImport);
    const importMs = median(imports.map((s) => s.ms));
    console.log(`SDK import (${SDKS.length} packages), median of ${RUNS}: ${fmt(importMs)}, peak ${mib(Math.max(...imports.map((s) => s.rssBytes)))}`);
    let peak = Math.max(...imports.map((s) => s.rssBytes));

    for (const stack of ["prod", "staging"]) {
        const evals = Array.from({ length: RUNS }, () => evaluation(stack));
        const evalMs = median(evals.map((s) => s.ms));
        const ratio = evalMs / importMs;
        peak = Math.max(peak, ...evals.map((s) => s.rssBytes));
        console.log(
            `${stack}: evaluation under mocks (${evals[0].resources} resources), median of ${RUNS}: ${fmt(evalMs)} = ${ratio.toFixed(2)} x SDK import; peak ${mib(Math.max(...evals.map((s) => s.rssBytes)))}`,
        );
        if (ratio > 1.5) failures.push(`${stack}: evaluation is ${ratio.toFixed(2)} x the SDK import time (target <= 1.5)`);
    }

    for (const stack of ["prod", "staging"]) {
        const uncached = plan(stack, true);
        const runs = Array.from({ length: RUNS }, () => plan(stack));
        const planMs = median(runs.map((s) => s.ms));
        peak = Math.max(peak, uncached.rssBytes, ...runs.map((s) => s.rssBytes));
        console.log(
            `${stack}: npm run plan --json, median of ${RUNS}: ${fmt(planMs)} (without the transpile cache, as on a first run: ${fmt(uncached.ms)}); peak ${mib(Math.max(...runs.map((s) => s.rssBytes)))}`,
        );
        if (planMs >= 3000) failures.push(`${stack}: npm run plan took ${fmt(planMs)} (target < 3 s)`);
    }

    if (!process.argv.includes("--no-test")) {
        const test = npmTest();
        peak = Math.max(peak, test.rssBytes);
        console.log(`npm test: ${fmt(test.ms)}, peak ${mib(test.rssBytes)} (largest single process)`);
        if (test.ms > 30_000) failures.push(`npm test took ${fmt(test.ms)} (target <= 30 s)`);
    }
    console.log(`peak memory of any process: ${mib(peak)}`);
    if (peak > GIB) failures.push(`peak memory ${mib(peak)} (target <= 1 GiB)`);

    if (failures.length > 0) {
        console.error(`\nmissed targets:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
        process.exitCode = 1;
    } else {
        console.log("all targets met");
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
