// npm run plan -- --stack <prod|staging> [--json | --markdown] [--diff-config <file> | --diff-base <file>]
//
// Runs the real program (index.ts) offline, under Pulumi's mock runtime with
// the stack's checked-in config (secret config replaced by placeholders), and
// prints what the stack declares: the resource tree with each resource's
// physical name, and the secrets map (every credential, who issues it, every
// place it is written, its rotation state). No cloud is called and no value is
// printed: secret inputs are `[secret]`, values that come from another resource
// or a lookup are named by their source. `--diff-config` runs the program a
// second time with the file's config on top and says what would be created,
// replaced, updated and deleted (see scripts/lib/plan/diff.ts for its limits).
// In that file, `null` removes a key and a `secure:` value stays a secret
// placeholder that is never printed. `--diff-base` turns it around, for pull
// requests: the file is the stack file the change started from (the base
// branch's `Pulumi.<stack>.yaml`), taken whole, so a key it has and the
// checked-in file lacks counts as removed; the plan shows what the checked-in
// config changes against it. A key config.ts holds secret
// (raxx-platform:herokuApiKey) given in plain text is a config problem, and
// its value is never printed either.
//
// Before it prints a plan it checks ownership, as tests/stacks.test.ts does: if
// the stack (with --diff-config, as changed) declares a physical thing that
// another of its resources or another checked-in stack (every other
// Pulumi.<stack>.yaml, evaluated offline with its own config) declares too, for
// example one Heroku app's config var, it refuses and names each thing and
// every stack and resource that declares it.
//
// Exit codes: 0 done; 2 bad arguments, a bad config (every problem listed), a
// physical thing declared twice (every one listed) or a program error.
//
// `--json` schema, version 1 (fields are added, never renamed or removed,
// without a new version):
//   {
//     "version": 1,
//     "project": "raxx-platform", "stack": "prod", "environment": "production",
//     "today": "YYYY-MM-DD",                      // rotation ages are computed as of this date (UTC)
//     "resources": [{                             // every registration, sorted by urn
//       "urn": string,                            // the URN the engine gives it
//       "type": string, "name": string,           // type token and logical name
//       "parent": string | null,                  // parent URN; null at the top
//       "group": string,                          // top-level component name, or "providers"
//       "custom": boolean,                        // false for components
//       "provider": string | null,                // explicit provider URN; null for the default provider
//       "physical": string,                       // e.g. "IAM user raxx-billing-readonly", "SSM SecureString /raxx/..."
//       "slot": "a" | "b" | null, "generation": string | null,   // rotation slot and date of an issuer
//       "protect": boolean, "retainOnDelete": boolean, "deleteBeforeReplace": boolean,
//       "importId": string | null,                // the `import` option (adopted, never created)
//       "ignoreChanges": string[],
//       "dependsOn": string[],                    // URNs whose outputs its inputs take
//       "inputs": object                          // secrets are "[secret]"; values from other resources or
//     }],                                         //   lookups are "[output of <name>.<field>]" / "[looked up by ...]"
//     "secrets": [{                               // the secrets map
//       "id": string,                             // credential id (config `<id>Rotation`), or an adopted SSM path
//       "kind": "issued" | "adopted",
//       "description": string, "issuedBy": string,
//       "stack": string, "scope": "shared" | "environment",
//       "issuers": [{ "slot", "resource", "urn", "physical", "generation", "active": boolean }],
//       "placements": [{ "place", "kind": "ssm" | "github-secret" | "github-variable" | "heroku-config-var",
//                        "slot": "a" | "b" | null, "resource", "urn" }],
//       "outputs": [{ "output", "what", "slot" }],   // stack outputs that record it (never its value)
//       "rotation": null | { "entry", "active", "previous", "dates": { "a"?, "b"? },
//                            "ageDays", "maxAgeDays", "daysLeft", "state": "ok" | "due" | "overdue" }
//     }],
//     "diff"?: {                                  // only with --diff-config or --diff-base; then "resources" and
//                                                 //   "secrets" describe the stack with the changed config
//       "file": string,                           // --diff-base: "Pulumi.<stack>.yaml"
//       "against"?: string,                       // only with --diff-base: its file
//       "config": [{ "key", "before": string | null, "after": string | null }],   // secret values "[secret]"
//       "changes": { "create": Change[], "replace": Change[], "update": Change[], "delete": Change[],
//                    "unchanged": number },       // Change = { "urn", "type", "name", "physical", "reasons": string[] }
//       "limits": string[]
//     }
//   }
// A bad config prints { "version": 1, "stack", "problems": string[] } with --json, and exits 2;
// so does a physical thing declared twice.
import { Io, Tool, UsageError, parseCli, runMain } from "./lib/cli";
import { readConfigOverrides } from "./lib/plan/configFile";
import { DIFF_LIMITS, configChanges, diffRuns } from "./lib/plan/diff";
import { PROJECT } from "../config";
import { ConfigOverrides, OfflineRun, OwnershipCheckOptions, PLAN_VERSION, Plan, buildPlan, checkConfig, checkOwnership, runOffline } from "./lib/plan/model";
import { readStackConfig } from "./lib/offline/stack";
import { COLOUR, DiffReport, PLAIN, renderMarkdown, renderText } from "./lib/plan/render";

const USAGE = `usage: npm run plan -- --stack <stack> [--json | --markdown] [--diff-config <file> | --diff-base <file>]
  --stack         the stack whose checked-in config to use (Pulumi.<stack>.yaml)
  --json          print JSON (schema at the top of scripts/plan.ts) instead of text
  --markdown      print Markdown tables, for a pull request comment
  --diff-config   a YAML file shaped like Pulumi.<stack>.yaml; show what its config would change
  --diff-base     the Pulumi.<stack>.yaml the change started from (a pull request's base branch);
                  show what the checked-in config changes against it
exit codes: 0 done, 2 bad arguments or config`;

export interface PlanOutput extends Plan {
    readonly diff?: DiffReport;
}

/** What to compare the plan with: a config file on top of the checked-in one, or the stack file the change started from. */
export type DiffAgainst = { readonly config: string } | { readonly base: string };

/**
 * Overrides that turn the checked-in config of `stack` into the stack file
 * `file`, taken whole: its keys set, and every checked-in key it lacks removed.
 */
export function baseOverrides(stack: string, file: string): ConfigOverrides {
    const read = readConfigOverrides(file, PROJECT, "--diff-base");
    const removed = Object.keys(readStackConfig(stack).values).filter((key) => !Object.hasOwn(read.values, key));
    return { values: { ...Object.fromEntries(removed.map((key) => [key, undefined])), ...read.values }, secretKeys: read.secretKeys };
}

/** The plan of `stack`, and what changes against `diff`, if given; `ownership` is for tests. */
export async function planOf(stack: string, diff?: DiffAgainst, ownership: OwnershipCheckOptions = {}): Promise<PlanOutput> {
    if (diff === undefined) {
        const run = await runOffline(stack);
        await checkOwnership(run, ownership);
        return buildPlan(run);
    }
    let base: OfflineRun;
    let changed: OfflineRun;
    if ("config" in diff) {
        const overrides = readConfigOverrides(diff.config, PROJECT);
        checkConfig(stack, overrides); // a bad file fails before any run
        base = await runOffline(stack);
        changed = await runOffline(stack, overrides);
    } else {
        const overrides = baseOverrides(stack, diff.base);
        checkConfig(stack); // the checked-in config is the change; the base is only compared with
        base = await runOffline(stack, overrides);
        changed = await runOffline(stack);
    }
    await checkOwnership(changed, ownership);
    const file = "config" in diff ? diff.config : `Pulumi.${stack}.yaml`;
    return {
        ...buildPlan(changed),
        diff: {
            file,
            ...("base" in diff ? { against: diff.base } : {}),
            config: configChanges(base, changed),
            changes: await diffRuns(base, changed),
            limits: DIFF_LIMITS,
        },
    };
}

export const planTool: Tool = async (argv: string[], io: Io) => {
    const args = parseCli(
        argv,
        { stack: { type: "string" }, json: { type: "boolean" }, markdown: { type: "boolean" }, "diff-config": { type: "string" }, "diff-base": { type: "string" } },
        USAGE,
    );
    if (args.json && args.markdown) throw new UsageError(`--json and --markdown exclude each other\n${USAGE}`);
    if (args["diff-config"] !== undefined && args["diff-base"] !== undefined) throw new UsageError(`--diff-config and --diff-base exclude each other\n${USAGE}`);
    const stack = args.stack as string;
    const diff: DiffAgainst | undefined =
        args["diff-config"] !== undefined ? { config: args["diff-config"] as string } : args["diff-base"] !== undefined ? { base: args["diff-base"] as string } : undefined;
    let out: PlanOutput;
    try {
        out = await planOf(stack, diff);
    } catch (e) {
        const problems = (e as { problems?: unknown }).problems;
        if (e instanceof Error && (e.name === "ConfigError" || e.name === "OwnershipError") && Array.isArray(problems)) {
            const what = e.name === "ConfigError" ? "invalid config" : "declared twice";
            if (args.json) io.out(JSON.stringify({ version: PLAN_VERSION, stack, problems }, null, 2));
            else if (args.markdown) io.out([`## Offline plan: stack \`${stack}\`: ${what}`, "", ...problems.map((p) => `- ${p}`)].join("\n"));
        }
        throw e;
    }
    if (args.json) io.out(JSON.stringify(out, null, 2));
    else if (args.markdown) io.out(renderMarkdown(out, out.diff));
    else io.out(renderText(out, out.diff, io.tty ? COLOUR : PLAIN));
    return 0;
};

if (require.main === module) runMain(planTool);
