// Reading Stryker's JSON report (mutation-testing-report-schema): the score per
// file, the survivors, and which of them fall in a critical area.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

import { CRITICAL, CriticalArea } from "./groups";

export type MutantStatus = "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";

export interface Mutant {
    readonly id: string;
    readonly mutatorName: string;
    readonly status: MutantStatus;
    readonly replacement?: string;
    readonly statusReason?: string;
    readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
}

export interface StrykerReport {
    readonly files: Record<string, { readonly source: string; readonly mutants: readonly Mutant[] }>;
}

export interface FileScore {
    readonly file: string;
    readonly killed: number;
    readonly timeout: number;
    readonly survived: number;
    readonly noCoverage: number;
    readonly ignored: number;
    readonly errors: number;
    /** Detected over valid, in percent; null when nothing valid was mutated. */
    readonly score: number | null;
}

/** What Stryker counts: killed and timed out are detected; survived and not covered are not; the rest is not valid. */
export function scoreOf(file: string, mutants: readonly Mutant[]): FileScore {
    const count = (...s: MutantStatus[]) => mutants.filter((m) => s.includes(m.status)).length;
    const killed = count("Killed");
    const timeout = count("Timeout");
    const survived = count("Survived");
    const noCoverage = count("NoCoverage");
    const valid = killed + timeout + survived + noCoverage;
    return {
        file,
        killed,
        timeout,
        survived,
        noCoverage,
        ignored: count("Ignored"),
        errors: count("CompileError", "RuntimeError"),
        score: valid === 0 ? null : (100 * (killed + timeout)) / valid,
    };
}

/** The scores of several files together. */
export function total(scores: readonly FileScore[]): FileScore {
    const sum = (k: "killed" | "timeout" | "survived" | "noCoverage" | "ignored" | "errors") => scores.reduce((n, s) => n + s[k], 0);
    const t = { killed: sum("killed"), timeout: sum("timeout"), survived: sum("survived"), noCoverage: sum("noCoverage"), ignored: sum("ignored"), errors: sum("errors") };
    const valid = t.killed + t.timeout + t.survived + t.noCoverage;
    return { file: "all", ...t, score: valid === 0 ? null : (100 * (t.killed + t.timeout)) / valid };
}

/** `*` within a path segment, `**` across segments. */
export function globMatch(glob: string, file: string): boolean {
    const re = glob
        .split("**/")
        .map((part) => part.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))
        .join("(?:.*/)?");
    return new RegExp(`^${re}$`).test(file);
}

/** The 1-based line ranges of the named functions and methods in `source`. */
export function functionLines(file: string, source: string, names: readonly string[]): [number, number][] {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const found: [number, number][] = [];
    const visit = (node: ts.Node) => {
        const named = (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name !== undefined && names.includes(node.name.getText(sf));
        if (named) {
            found.push([sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1]);
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return found;
}

/** Where in one file (path `file`, text `source`) mutants are critical: `areaOf` a mutant, each area's functions parsed once. */
export function criticalAreas(file: string, source: string, areas: readonly CriticalArea[] = CRITICAL): { areaOf(mutant: Mutant): CriticalArea | undefined } {
    const lines = source.split("\n");
    const mine = areas.filter((a) => globMatch(a.file, file)).map((a) => ({ a, ranges: a.functions === undefined ? undefined : functionLines(file, source, a.functions) }));
    return {
        areaOf(mutant) {
            const { start, end } = mutant.location;
            return mine.find(({ a, ranges }) => {
                if (ranges !== undefined && !ranges.some(([from, to]) => start.line >= from && end.line <= to)) return false;
                return a.lines === undefined || lines.slice(start.line - 1, end.line).some((l) => a.lines!.test(l));
            })?.a;
        },
    };
}

/** The critical area a mutant of `file` (whose text is `source`) falls in, if any. */
export function criticalAreaOf(file: string, source: string, mutant: Mutant, areas: readonly CriticalArea[] = CRITICAL): CriticalArea | undefined {
    return criticalAreas(file, source, areas).areaOf(mutant);
}

export interface Survivor {
    readonly file: string;
    readonly line: number;
    readonly mutator: string;
    readonly replacement: string;
    readonly status: "Survived" | "NoCoverage";
    readonly area?: CriticalArea["area"];
}

/** Every mutant that was not detected, with its critical area. */
export function survivors(report: StrykerReport): Survivor[] {
    return Object.entries(report.files).flatMap(([file, f]) => {
        const critical = criticalAreas(file, f.source);
        return f.mutants
            .filter((m): m is Mutant & { status: "Survived" | "NoCoverage" } => m.status === "Survived" || m.status === "NoCoverage")
            .map((m) => ({
                file,
                line: m.location.start.line,
                mutator: m.mutatorName,
                replacement: (m.replacement ?? "").split("\n")[0].slice(0, 100),
                status: m.status,
                area: critical.areaOf(m)?.area,
            }));
    });
}

/** Folders no guarded file or test is in. */
const NOT_SOURCE = new Set(["node_modules", ".git", ".stryker-tmp", "reports", ".pulumi-cli", ".engine", ".ci"]);

/** Every file under `root` that one of `globs` names, relative to `root`, sorted. */
export function filesOf(root: string, globs: readonly string[]): string[] {
    const all = (dir: string): string[] =>
        fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
            const rel = dir === "" ? e.name : `${dir}/${e.name}`;
            return e.isDirectory() ? (NOT_SOURCE.has(e.name) ? [] : all(rel)) : [rel];
        });
    return all("").filter((f) => globs.some((g) => globMatch(g, f))).sort();
}

export function readReport(file: string): StrykerReport {
    return JSON.parse(fs.readFileSync(file, "utf8")) as StrykerReport;
}

export interface Directive {
    readonly file: string;
    readonly line: number;
    readonly text: string;
    /** What is wrong with it: no mutator named, or no reason. */
    readonly problem?: string;
}

/** Every `// Stryker disable` directive in `files` (paths from `root`), and what is wrong with each. */
export function directives(root: string, files: readonly string[]): Directive[] {
    return files.flatMap((file) =>
        fs
            .readFileSync(path.join(root, file), "utf8")
            .split("\n")
            .flatMap((l, i) => {
                const m = /\/\/\s*Stryker (disable|restore)(?: (next-line|all))?\s*([^:]*?)(?::\s*(.*))?$/.exec(l);
                if (m === null) return [];
                const [, verb, , mutators, reason] = m;
                const text = l.trim();
                if (verb === "restore") return [{ file, line: i + 1, text }];
                const problem =
                    mutators.trim() === "" || mutators.trim() === "all"
                        ? "names no mutator: disable the one that is equivalent, not all"
                        : reason === undefined || reason.trim().length < 10
                          ? "gives no reason: say in one line why the code behaves the same"
                          : undefined;
                return [{ file, line: i + 1, text, problem }];
            }),
    );
}
