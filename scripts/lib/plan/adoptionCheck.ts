// What the adoption's previews must show, derived from the program and the
// import file, and the check of a real `pulumi preview --json` against it
// (`npm run adoption-check`, docs/adoption.md). The doc names no operation by
// hand: the expectation is computed here, so the two cannot drift apart.
//
// The rules, per resource of the program:
// - what the import file imported (and its component parents): `same` or
//   `update`, never `create`: a create would make a second one, and for a DNS
//   record a second SPF or DMARC record breaks mail;
// - what the program adopts with its `import` option: imported by step 2's
//   targeted up already (the engine imports before it checks targets), so
//   `same` after it;
// - the explicit providers: in state since step 2;
// - everything else is new to the world: `create`;
// - nowhere a replacement or a delete: nothing made by hand may be replaced or
//   removed on adoption day.
// The engine's own no-change steps (`refresh`, `read`) are allowed everywhere.
import { PreviewStep, readPreview } from "../../../.github/scripts/drift";
import { DNS_RECORD, ImportFile } from "./importPlan";
import { OfflineRun } from "./model";

export const ADOPTION_STEPS = ["providers", "apply"] as const;
export type AdoptionStep = (typeof ADOPTION_STEPS)[number];

/** Steps that change nothing outside the state. */
const NO_CHANGE = ["refresh", "read"];

export interface Expectation {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    /** The operations the preview may show for it; the first is the one expected. */
    readonly allowed: readonly string[];
    /** Why, in words. */
    readonly why: string;
    /**
     * Whether a finished preview must list it: with `--show-sames` the CLI lists every resource the program
     * registers, but a targeted preview (step 2) lists only what it touches and what it skips.
     */
    readonly required: boolean;
}

export interface AdoptionExpectation {
    readonly stack: string;
    readonly step: AdoptionStep;
    readonly resources: readonly Expectation[];
}

/** The engine's URN of the stack resource. */
function stackUrn(r: OfflineRun): string {
    return `urn:pulumi:${r.stack}::${r.project}::pulumi:pulumi:Stack::${r.project}-${r.stack}`;
}

/**
 * A default provider's URN (the engine makes one per package a resource uses without an explicit provider).
 * `--json` does not list them (their steps are internal events), but a CLI that did would not be wrong.
 */
function isDefaultProvider(urn: string): boolean {
    return /::pulumi:providers:[^:]+::default(_[0-9_]+)?$/.test(urn);
}

/**
 * What the preview of `step` must show. `file` is the import file that `pulumi import` ran (step 3);
 * the `providers` step (2) comes before it and needs none.
 */
export function expectedPreview(r: OfflineRun, step: AdoptionStep, file: ImportFile | null): AdoptionExpectation {
    const imported = new Set<string>();
    const components = new Set<string>();
    if (step === "apply") {
        if (file === null) throw new Error("the apply step needs the import file that `pulumi import` ran (import-plan.<stack>.json)");
        for (const e of file.resources) (e.component ? components : imported).add(`${e.type}::${e.name}`);
    }
    const resources: Expectation[] = [
        {
            urn: stackUrn(r),
            name: `${r.project}-${r.stack}`,
            type: "pulumi:pulumi:Stack",
            allowed: step === "providers" ? ["create", "same"] : ["same", "update"],
            why: step === "providers" ? "the stack, new" : "the stack, made in step 2",
            required: true,
        },
    ];
    for (const reg of r.run.registrations) {
        const urn = r.urns.engineUrn(reg.urn);
        if (urn === undefined) continue;
        const key = `${reg.type}::${reg.name}`;
        const base = { urn, name: reg.name, type: reg.type };
        if (reg.type.startsWith("pulumi:providers:")) {
            resources.push({
                ...base,
                allowed: step === "providers" ? ["create", "same"] : ["same", "update"],
                why: step === "providers" ? "an explicit provider: step 2 puts it in the state" : "an explicit provider, in the state since step 2",
                required: true,
            });
            continue;
        }
        if (step === "providers") {
            // The engine decides on an `import` option before it checks targets: the targeted up imports these
            // (reads them, writes their values into the state, nothing to the cloud). Everything else it
            // leaves as it is, and does not list (tests/engine/adoption.test.ts).
            resources.push(
                reg.options.importId !== ""
                    ? {
                          ...base,
                          allowed: ["import", "same"],
                          why: `adopted by the program's \`import\` option (id ${reg.options.importId}): the engine imports it even in a targeted up, and writes nothing to it`,
                          required: true,
                      }
                    : { ...base, allowed: ["same"], why: "not targeted: untouched in step 2", required: false },
            );
            continue;
        }
        if (imported.has(key)) {
            resources.push({
                ...base,
                allowed: ["same", "update"],
                why: "imported in step 3: the program's settings may update it; a create would make a second one",
                required: true,
            });
        } else if (components.has(key)) {
            resources.push({ ...base, allowed: ["same", "update"], why: "a component imported in step 3 as a parent", required: true });
        } else if (reg.options.importId !== "") {
            resources.push({
                ...base,
                allowed: ["same", "import"],
                why: `adopted by the program's \`import\` option (id ${reg.options.importId}) in step 2; every property ignored, so an update would write it`,
                required: true,
            });
        } else if (reg.type === DNS_RECORD) {
            // import-plan writes no file without every record's id; a file without this one was edited, or is old.
            resources.push({
                ...base,
                allowed: [],
                why: "a DNS record that the import file does not import: the up would create it beside the live one. Write the import file again (npm run import-plan) and import",
                required: true,
            });
        } else {
            resources.push({
                ...base,
                allowed: ["create", "same"],
                why: reg.custom ? "new: never made by hand, or not importable (docs/adoption.md)" : "a component nothing was imported under",
                required: true,
            });
        }
    }
    return { stack: r.stack, step, resources: resources.sort((a, b) => a.urn.localeCompare(b.urn)) };
}

export interface AdoptionCheckResult {
    readonly ok: boolean;
    readonly problems: readonly string[];
    /** Operations counted over the preview's steps, a replacement's steps as one `replace`. */
    readonly counts: Readonly<Record<string, number>>;
}

const REPLACEMENT = new Set(["replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement", "discard-replaced", "remove-pending-replace"]);

/** Checks a `pulumi preview --json` document against the expectation; every problem is named. */
export function checkPreview(expect: AdoptionExpectation, jsonText: string): AdoptionCheckResult {
    const { digest, errors, finished } = readPreview(jsonText);
    if (digest === undefined) return { ok: false, problems: ["the file holds no JSON document of `pulumi preview --json`"], counts: {} };
    const problems: string[] = [];
    for (const e of errors) problems.push(`the preview reported an error: ${e.split("\n")[0]}`);
    if (!finished) problems.push("the preview did not finish (no steps or no change summary): its result cannot be checked");

    const byUrn = new Map<string, PreviewStep[]>();
    for (const s of Array.isArray(digest.steps) ? digest.steps : []) byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);
    const expected = new Map(expect.resources.map((e) => [e.urn, e]));
    const counts: Record<string, number> = {};
    for (const [urn, steps] of byUrn) {
        // One resource may have several steps: a replacement's, or an import followed by the `same` of the
        // imported state in a targeted preview (tests/engine/adoption.test.ts). The one that changes most counts.
        const ops = steps.map((s) => s.op).filter((op) => !NO_CHANGE.includes(op));
        const op = ops.some((o) => REPLACEMENT.has(o)) ? "replace" : (ops.find((o) => o !== "same") ?? "same");
        counts[op] = (counts[op] ?? 0) + 1;
        const e = expected.get(urn);
        if (e === undefined) {
            if (isDefaultProvider(urn)) {
                if (!["create", "same"].includes(op)) problems.push(`${urn}: ${op}; a default provider may only be created`);
            } else if (!urn.startsWith(`urn:pulumi:${expect.stack}::`)) {
                problems.push(`${urn}: of another stack: this preview is not of stack ${expect.stack}`);
            } else if (op !== "same") {
                problems.push(`${urn}: ${op} of a resource the program does not declare offline with this stack's config: is the checkout or Pulumi.${expect.stack}.yaml another than the one previewed?`);
            }
            continue;
        }
        if (e.allowed.includes(op)) continue;
        const what = op === "replace" ? "a replacement" : op === "delete" ? "a delete" : op === "create" ? (e.allowed.length === 0 || e.allowed.includes("update") ? "a create of what exists" : "a create") : op;
        problems.push(`${e.name} (${e.type}): ${what}; expected ${e.allowed.length === 0 ? "nothing of it" : e.allowed.join(" or ")}: ${e.why}`);
    }
    if (finished) {
        const missing = expect.resources.filter((e) => e.required && !byUrn.has(e.urn));
        // In step 4 the explicit providers are in the state and unchanged: only --show-sames lists them.
        const providers = expect.resources.filter((e) => e.type.startsWith("pulumi:providers:"));
        if (expect.step === "apply" && providers.length > 0 && providers.every((p) => missing.includes(p))) {
            problems.push(
                `${missing.length} resources of the program are not in the preview, the explicit providers among them: run it with --show-sames (\`pulumi preview --json\` leaves out what does not change), so that every resource can be checked`,
            );
        } else {
            for (const e of missing) problems.push(`${e.name} (${e.type}): not in the preview; expected ${e.allowed.join(" or ") || "nothing"}: ${e.why}`);
        }
    }
    return { ok: problems.length === 0, problems, counts };
}
