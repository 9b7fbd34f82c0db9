// npm run adoption-check -- --stack <stack> --step <providers|apply> (--preview <file> | --expected)
//                           [--import-file <file>]
//
// Checks a real `pulumi preview --json` of an adoption step against what the
// program says it must show (scripts/lib/plan/adoptionCheck.ts): in step 2
// (`providers`), only the stack and the providers are created, and the
// FreeScout parameters imported (the engine imports before it checks targets); in step 4
// (`apply`), what the import file imported is never created again (a DNS record
// least of all), the FreeScout parameters are imported, the rest is new, and
// nothing anywhere is replaced or deleted. docs/adoption.md runs it before each
// `up`.
//
//   --preview      the JSON that `pulumi preview --json --show-sames` printed (the preview's own exit code does not matter: an error in
//                  it is a problem here; without --show-sames the CLI leaves out what does not change, and step 4's check refuses it)
//   --expected     print what the preview must show, resource by resource, and check nothing
//   --import-file  the file that `pulumi import` ran; default import-plan.<stack>.json (the apply step only)
//
// Exit codes: 0 the preview is as expected; 1 it is not (each problem is named); 2 bad arguments or config.
import * as fs from "node:fs";
import { Io, Tool, UsageError, parseCli, runMain } from "./lib/cli";
import { ADOPTION_STEPS, AdoptionStep, checkPreview, expectedPreview } from "./lib/plan/adoptionCheck";
import { ImportFile } from "./lib/plan/importPlan";
import { runOffline } from "./lib/plan/model";

const USAGE = `usage: npm run adoption-check -- --stack <stack> --step <${ADOPTION_STEPS.join("|")}> (--preview <file> | --expected) [--import-file <file>]
  --stack        the stack whose checked-in config to use (Pulumi.<stack>.yaml)
  --step         providers: step 2 of docs/adoption.md; apply: step 4, the preview of the first up
  --preview      the output of \`pulumi preview --json --show-sames\` for that step
  --expected     print what the preview must show, and check nothing
  --import-file  the file \`pulumi import\` ran (apply only); default import-plan.<stack>.json
exit codes: 0 as expected, 1 not as expected, 2 bad arguments or config`;

function readImportFile(file: string): ImportFile {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--import-file: cannot read ${file} as JSON: ${(e as Error).message}; write it with npm run import-plan`);
    }
    const f = parsed as Partial<ImportFile> | null;
    if (typeof f !== "object" || f === null || !Array.isArray(f.resources) || typeof f.nameTable !== "object") {
        throw new UsageError(`--import-file: ${file} is not a \`pulumi import --file\` file ({ "nameTable", "resources" })`);
    }
    return f as ImportFile;
}

export const adoptionCheckTool: Tool = async (argv: string[], io: Io) => {
    const args = parseCli(
        argv,
        { stack: { type: "string" }, step: { type: "string" }, preview: { type: "string" }, expected: { type: "boolean" }, "import-file": { type: "string" } },
        USAGE,
    );
    const stack = args.stack as string;
    const step = args.step as string | undefined;
    if (step === undefined || !(ADOPTION_STEPS as readonly string[]).includes(step)) throw new UsageError(`--step: one of ${ADOPTION_STEPS.join(", ")}`);
    if ((args.preview === undefined) === (args.expected !== true)) throw new UsageError("give either --preview <file> or --expected");
    const file = step === "apply" ? readImportFile((args["import-file"] as string | undefined) ?? `import-plan.${stack}.json`) : null;
    const expectation = expectedPreview(await runOffline(stack), step as AdoptionStep, file);

    if (args.expected) {
        io.out(`What the preview of step ${step} must show, stack ${stack} (derived offline from the program${file === null ? "" : " and the import file"}):`);
        const groups = new Map<string, string[]>();
        for (const e of expectation.resources) {
            const head = `${e.allowed.join(" or ") || "nothing"}: ${e.why}${e.required ? "" : " (listed or not)"}`;
            groups.set(head, [...(groups.get(head) ?? []), `${e.type}  ${e.name}`]);
        }
        for (const [head, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
            io.out(`\n${head} (${members.length})`);
            for (const m of members) io.out(`    ${m}`);
        }
        io.out("\nNot listed by `--json`: the default providers (pulumi:providers:<package>::default…), which the engine makes as internal steps");
        io.out("\nNowhere a replacement or a delete.");
        return 0;
    }
    let text: string;
    try {
        text = fs.readFileSync(args.preview as string, "utf8");
    } catch (e) {
        throw new UsageError(`--preview: cannot read ${args.preview as string}: ${(e as Error).message}`);
    }
    const result = checkPreview(expectation, text);
    const counts = Object.entries(result.counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, n]) => `${n} ${op}`)
        .join(", ");
    if (result.ok) {
        io.out(`The preview of step ${step} is as the program expects (${counts}). Nothing is replaced or deleted, and nothing that exists is created again.`);
        return 0;
    }
    io.out(`The preview of step ${step} is NOT as the program expects: do not run \`pulumi up\`. ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}:`);
    for (const p of result.problems) io.out(`  - ${p}`);
    if (counts !== "") io.out(`(the preview: ${counts})`);
    return 1;
};

if (require.main === module) runMain(adoptionCheckTool);
