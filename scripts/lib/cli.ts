// What the npm-run tools share: argument parsing, the stack's config, and
// how they report and fail. A tool is a function of its arguments that writes
// through `Io` and returns its exit code, so tests run it in-process.
import { parseArgs, ParseArgsConfig } from "node:util";
import { StackConfig, configSource, parseConfig } from "../../config";
import { readStackConfig, stacksInRepo, withOverrides } from "./offline/stack";

/** A usage or input problem: printed as is, exit code 2. */
export class UsageError extends Error {}

/** Where a tool writes. */
export interface Io {
    out(text: string): void;
    err(text: string): void;
    /** Whether `out` is a terminal (colour is allowed). */
    readonly tty: boolean;
}

export type Tool = (argv: string[], io: Io) => Promise<number>;

class HelpRequested extends Error {}

/** Parses `argv` with `options` (plus `--help`); a `stack` option must name a checked-in stack. */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, usage: string) {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, allowPositionals: false, strict: true });
    } catch (e) {
        throw new UsageError(`${(e as Error).message}\n${usage}`);
    }
    const values = parsed.values as Record<string, unknown>;
    if (values.help) throw new HelpRequested(usage);
    if ("stack" in options) {
        const stacks = stacksInRepo();
        if (typeof values.stack !== "string" || !stacks.includes(values.stack)) {
            const given = typeof values.stack === "string" ? ` (not ${JSON.stringify(values.stack)})` : "";
            throw new UsageError(`--stack must be one of ${stacks.join(", ")}${given}\n${usage}`);
        }
    }
    return parsed.values;
}

/** The checked-in config of `stack`, validated; a ConfigError lists every problem. */
export function stackConfig(stack: string, today?: string, config: Readonly<Record<string, string>> = {}): StackConfig {
    const { values, secretKeys } = withOverrides(readStackConfig(stack), { values: config, secretKeys: [] });
    return parseConfig(configSource(values, secretKeys), today);
}

/** Runs `tool`: `--help` exits 0; a UsageError, ConfigError or OwnershipError prints its message and exits 2; any other error exits 2 with its stack. */
export async function invoke(tool: Tool, argv: string[], io: Io): Promise<number> {
    try {
        return await tool(argv, io);
    } catch (e) {
        if (e instanceof HelpRequested) {
            io.out(e.message);
            return 0;
        }
        if (e instanceof UsageError || (e instanceof Error && (e.name === "ConfigError" || e.name === "OwnershipError"))) {
            io.err(e.message);
        } else {
            io.err(e instanceof Error ? (e.stack ?? e.message) : String(e));
        }
        return 2;
    }
}

/** Runs `tool` as the process's main. */
export function runMain(tool: Tool): void {
    const io: Io = {
        out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
        err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
        tty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    };
    void invoke(tool, process.argv.slice(2), io).then((code) => {
        process.exitCode = code;
    });
}

/** An `Io` that keeps what a tool writes, for tests. */
export function captureIo(): Io & { stdout: string; stderr: string } {
    const io = {
        stdout: "",
        stderr: "",
        tty: false,
        out(t: string) {
            io.stdout += t.endsWith("\n") ? t : `${t}\n`;
        },
        err(t: string) {
            io.stderr += t.endsWith("\n") ? t : `${t}\n`;
        },
    };
    return io;
}
