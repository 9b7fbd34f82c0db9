// npm test: the strict type check and the mocha suite side by side (one core
// each), then one closing line with the counts. Fails if either fails. The
// engine tier (tests/engine) runs apart, with `npm run test:engine`: it needs
// the Pulumi CLI and takes minutes; this says whether it can run here.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { findCli } from "./lib/engine/cli";

const ROOT = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

function run(cmd: string, args: string[], live: boolean): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: ROOT, env: process.env });
        let output = "";
        const take = (chunk: Buffer) => {
            output += chunk.toString();
            if (live) process.stdout.write(chunk);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
}

async function main(): Promise<void> {
    const typecheck = run(bin("tsc"), ["--noEmit", "-p", "."], false);
    const mocha = await run(bin("mocha"), process.argv.slice(2), true);
    const tsc = await typecheck;
    console.log(tsc.code === 0 ? "typecheck: tsc --noEmit passed" : `typecheck: tsc --noEmit failed\n${tsc.output}`);
    const passed = Number(/(\d+) passing/.exec(mocha.output)?.[1] ?? 0);
    const failed = Number(/(\d+) failing/.exec(mocha.output)?.[1] ?? 0) + (mocha.code !== 0 && !/failing/.test(mocha.output) ? 1 : 0);
    console.log(`tests: ${passed} passed, ${failed + (tsc.code === 0 ? 0 : 1)} failed`);
    const cli = findCli();
    console.log(
        cli === undefined
            ? "engine tier: skipped, no Pulumi CLI here; `npm run test:engine` builds one from Go modules (once, several minutes) and runs it"
            : `engine tier: not part of npm test; run \`npm run test:engine\` (Pulumi CLI v${cli.version}, ${cli.source === "path" ? "on PATH" : "built in .pulumi-cli"})`,
    );
    process.exitCode = tsc.code !== 0 || mocha.code !== 0 ? 1 : 0;
}

void main();
