// What the npm-run tools share: argument parsing, the stack's config, and
// how they fail.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { ConfigError, StackConfig, parseConfig } from "../../config";
import { ROOT, readStackConfig } from "./offline/stack";

/** A usage or input problem: printed as is, exit code 2. */
export class UsageError extends Error {}

export function stacksInRepo(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Parses `argv` with `options`; `--stack` must name a checked-in stack. */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string) {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, allowPositionals: false, strict: true });
    } catch (e) {
        throw new UsageError(`${(e as Error).message}\n${usage}`);
    }
    if ((parsed.values as Record<string, unknown>).help) {
        console.log(usage);
        process.exit(0);
    }
    const stack = (parsed.values as Record<string, unknown>).stack;
    if ("stack" in options) {
        const stacks = stacksInRepo();
        if (typeof stack !== "string" || !stacks.includes(stack)) {
            throw new UsageError(`--stack must be one of ${stacks.join(", ")}${typeof stack === "string" ? ` (not ${JSON.stringify(stack)})` : ""}\n${usage}`);
        }
    }
    return parsed.values;
}

/** The checked-in config of `stack`, validated; a ConfigError lists every problem. */
export function stackConfig(stack: string, today?: string): StackConfig {
    const { values } = readStackConfig(stack);
    return parseConfig((k) => values[k], today);
}

/** Runs a tool's main: a UsageError or ConfigError exits 2 with its message, anything else exits 2 with the error. */
export function runCli(main: () => Promise<number>): void {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            if (e instanceof UsageError || (e instanceof Error && e.name === "ConfigError")) {
                console.error(e.message);
            } else {
                console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
            }
            process.exitCode = 2;
        },
    );
}

export { ConfigError, ROOT, path };
