// StrykerJS's options for `npm run mutate` (scripts/mutate.ts, docs/mutation.md).
// The runner picks a group of files and the tests written for them
// (scripts/lib/mutation/groups.ts) and hands them over in RAXX_MUTATION_RUN;
// run it rather than `npx stryker run`.
//
// Equivalent mutants: a mutant that cannot change behaviour is marked where it
// is, with Stryker's directive and a one-line reason, for example
//   // Stryker disable next-line StringLiteral: <why no behaviour can change>
// (a config file cannot name one mutant). `npm run mutate` lists every such
// directive with its reason, and refuses one that names no mutator or gives no reason.
const run = process.env.RAXX_MUTATION_RUN;
if (run === undefined) {
    throw new Error("stryker.config.mjs: run `npm run mutate` (it picks the files and their tests), not `stryker run`");
}
const { mutate, spec, incrementalFile, reportFile, concurrency } = JSON.parse(run);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    testRunner: "mocha",
    // Each mutant runs only the tests that reached it.
    coverageAnalysis: "perTest",
    concurrency,
    mutate,
    mochaOptions: {
        spec,
        // .mocharc.json gives the rest (ts-node, the timeout). A test that reads a guarded file's
        // text (not its behaviour) skips itself under Stryker, which rewrites that text: see
        // STRYKER_MUTATOR_WORKER in tests/.
    },
    // Code that runs at module load (tables, patterns) is reached before any test, so Stryker
    // would run every test of the group for each such mutant, in a fresh process. Ignored here;
    // docs/mutation.md says what covers them.
    ignoreStatic: true,
    incremental: true,
    incrementalFile,
    // A mutant that loops runs into this; the providers' tests use millisecond knobs.
    timeoutMS: 10_000,
    reporters: ["progress-append-only", "json"],
    jsonReporter: { fileName: reportFile },
    ignorePatterns: [".pulumi-cli", ".engine", ".ci/.node", ".bench", "reports", ".git"],
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
};
