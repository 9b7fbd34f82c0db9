// What `npm run mutate` mutates, and with which tests: the code that guards
// credentials (docs/mutation.md), in groups. Each group is one Stryker run over
// its files with only the tests written for them, so that a mutant is tried
// against the tests that should kill it and not against every program-level
// test that happens to load the file (those re-run whole offline evaluations
// per mutant: the first full run, with the whole suite, was heading for five
// hours on 2 cores). A developer runs the group, or the one file, they changed.

/** One Stryker run: the files it mutates, and the mocha spec files that should kill their mutants. */
export interface MutationGroup {
    readonly name: string;
    /** Globs of files to mutate, as Stryker's `mutate`. */
    readonly mutate: readonly string[];
    /** Globs of mocha test files, as mocha's `spec`. */
    readonly spec: readonly string[];
    readonly why: string;
}

const SHARED_HTTP_TESTS = ["tests/http.test.ts"];

export const GROUPS: readonly MutationGroup[] = [
    {
        name: "config",
        mutate: ["config.ts", "components/rotation.ts"],
        spec: ["tests/config.test.ts", "tests/rotation.test.ts", "tests/stacks.test.ts"],
        why: "stack config validation and the rotation entries",
    },
    {
        name: "components",
        mutate: ["components/random/rotating*.ts", "components/heroku/rotatingAuthorization.ts", "components/cloudflare/rotating*.ts", "components/iam/serviceUser.ts"],
        spec: ["tests/components.test.ts", "tests/rotation.test.ts", "tests/checks.test.ts", "tests/wiring.test.ts", "tests/aws.test.ts", "tests/vault.test.ts", "tests/workspace.test.ts"],
        why: "the rotating components: two slots, their replace triggers and secret outputs",
    },
    {
        name: "consumers",
        mutate: ["components/github/actions.ts", "components/ssm/parameters.ts", "components/infisical/vaultSecrets.ts", "components/verification.ts"],
        spec: ["tests/consumers.test.ts", "tests/secret-marking.test.ts", "tests/vault.test.ts", "tests/aws.test.ts", "tests/checks.test.ts", "tests/wiring.test.ts"],
        why: "the places a credential is written, each marking it secret itself, and the checks between",
    },
    {
        name: "secrets-map",
        mutate: ["scripts/lib/credentials.ts", "scripts/lib/inventory.ts", "scripts/lib/rotationStatus.ts", "scripts/lib/plan/redact.ts"],
        spec: ["tests/redact.test.ts", "tests/credentials.test.ts", "tests/inventory.test.ts", "tests/plan.test.ts", "tests/rotation.test.ts", "tests/checks.test.ts", "tests/kinds.test.ts"],
        why: "the secrets map (which slot each place holds), rotation status and the plan's redaction",
    },
    {
        name: "policy",
        mutate: ["policy/*.ts"],
        spec: ["tests/policy/**/*.test.ts"],
        why: "the policy pack",
    },
    {
        name: "drift",
        mutate: [".github/scripts/drift.ts"],
        spec: ["tests/workflows.test.ts", "tests/drift-check.test.ts"],
        why: "the daily drift check's classifier and issue",
    },
    {
        name: "providers-shared",
        mutate: ["providers/http.ts", "providers/bundle.ts"],
        spec: [...SHARED_HTTP_TESTS, "tests/bundle.test.ts", "tests/heroku/client.test.ts", "tests/heroku/errors.test.ts", "tests/cloudflare/errors.test.ts", "tests/cloudflare/edges.test.ts", "tests/infisical/errors.test.ts", "tests/infisical/edges.test.ts"],
        why: "retries, timeouts and message hygiene every provider shares, and the provider bundle",
    },
    {
        name: "heroku",
        mutate: ["providers/heroku/*.ts"],
        spec: ["tests/heroku/**/*.test.ts", "tests/secret-marking.test.ts"],
        why: "the Heroku dynamic providers",
    },
    {
        name: "cloudflare",
        mutate: ["providers/cloudflare/*.ts"],
        spec: ["tests/cloudflare/**/*.test.ts"],
        why: "the Cloudflare Access policy dynamic provider",
    },
    {
        name: "infisical",
        mutate: ["providers/infisical/*.ts"],
        spec: ["tests/infisical/**/*.test.ts", "tests/secret-marking.test.ts"],
        why: "the Infisical (vault) dynamic provider",
    },
    {
        name: "google-workspace",
        mutate: ["providers/google-workspace/*.ts"],
        spec: ["tests/google-workspace/**/*.test.ts", "tests/secret-marking.test.ts"],
        why: "the Google Workspace dynamic providers",
    },
    {
        name: "verify",
        mutate: ["providers/verify/*.ts"],
        spec: ["tests/verify/**/*.test.ts", "tests/secret-marking.test.ts"],
        why: "the credential and consumer checks",
    },
];

/**
 * Code where no mutant may survive, whatever the score: a survivor there is a way to
 * leak a credential or hand out the wrong one with CI green. `functions` narrows a
 * shared file to the named functions; `lines` to the lines that match.
 */
export interface CriticalArea {
    readonly area: "redaction" | "secret marking" | "slot attribution" | "config validation";
    readonly file: string;
    readonly functions?: readonly string[];
    readonly lines?: RegExp;
}

export const CRITICAL: readonly CriticalArea[] = [
    { area: "redaction", file: "scripts/lib/plan/redact.ts" },
    { area: "redaction", file: "providers/http.ts", functions: ["maskSecrets"] },
    { area: "redaction", file: "providers/heroku/client.ts", functions: ["redact", "errorBody"] },
    { area: "redaction", file: "providers/cloudflare/client.ts", functions: ["errorEntries"] },
    { area: "secret marking", file: "providers/**/*.ts", lines: /additionalSecretOutputs|pulumi\.secret\(/ },
    { area: "secret marking", file: "components/**/*.ts", lines: /additionalSecretOutputs|pulumi\.secret\(/ },
    { area: "slot attribution", file: "scripts/lib/credentials.ts" },
    { area: "slot attribution", file: "components/rotation.ts", functions: ["otherSlot", "previousSlot", "slotOfName", "declareSlots"] },
    { area: "config validation", file: "config.ts" },
];

/** The score every guarded file must reach together, in percent. */
export const SCORE_TARGET = 85;
