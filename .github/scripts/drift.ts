// Reads the JSON of `pulumi preview --refresh --expect-no-changes --json` for
// one stack, sorts its steps into drift and known false positives, and opens,
// updates or closes that stack's drift issue.
//
//   npx ts-node --transpile-only .github/scripts/drift.ts
//
// Environment: STACK, PREVIEW_JSON (a file), PREVIEW_EXIT_CODE, RUN_URL,
// STRICT ("true" counts secret-only updates as drift), GITHUB_TOKEN,
// GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY.
//
// A failed check says nothing about drift (issue 12): an error diagnostic, an
// exit code other than 0 (no changes) or 7 (changes), JSON that is missing,
// unfinished or contradicts the exit code. Then the script touches no issue,
// writes the failure to the run summary and an annotation, and exits 1, so
// the job fails. An open drift issue stays open as the last good check left it.
//
// False positives (pulumi/pulumi#18957): a preview may show a resource as
// updated although only secret properties "changed" and their values are the
// same. The preview JSON masks every secret as "[secret]" (the CLI never shows
// secrets in it), so such a step cannot be told from a real change to a secret
// by value. An update whose every changed property is masked on both sides is
// therefore "secret-only": listed in the run summary and in the issue, but it
// never opens an issue or changes its fingerprint on its own, so it pages
// nobody. A manual run with `strict` counts them as drift.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { ACTIONS_BOT, Github, Issue, githubContextFromEnv, requiredEnv, workflowCommand } from "./github";

/**
 * The parts of a `pulumi preview --json` document this script reads
 * (pkg/display/json.go, written by pkg/backend/display/json.go). Every key is
 * left out when empty. The CLI prints the document even when the preview
 * fails; only a finished preview has a `changeSummary`. Policy results are
 * never in it (json.go skips policy events): a mandatory violation shows only
 * as the error diagnostic "error: preview failed" and exit code 1.
 */
export interface PreviewDigest {
    readonly steps?: readonly PreviewStep[];
    /** Severity "error", "warning", "info" or "info#err" (a provider's stderr, not an error). */
    readonly diagnostics?: readonly { readonly urn?: string; readonly message: string; readonly severity: string }[];
    readonly changeSummary?: Readonly<Record<string, number>>;
}

export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly oldState?: ResourceState;
    readonly newState?: ResourceState;
    readonly diffReasons?: readonly string[];
    readonly replaceReasons?: readonly string[];
    readonly detailedDiff?: Readonly<Record<string, { readonly kind: string; readonly inputDiff?: boolean }>>;
}

interface ResourceState {
    readonly type?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
}

/** How the CLI writes a secret value in preview JSON. */
export const MASK = "[secret]";

/**
 * Steps that change nothing in the cloud: no drift. Wider than NOT_A_CHANGE
 * (below), which is the engine's own test of a summary for --expect-no-changes.
 */
const NO_CHANGE = new Set(["same", "read", "refresh", "read-replacement", "discard", "discard-replaced"]);

export interface PropertyChange {
    readonly path: string;
    readonly kind: string;
    /** Shown values; never a secret (masked, or withheld for credential-like names). */
    readonly from?: string;
    readonly to?: string;
}

export interface Finding {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The step's operation; a replacement's several steps are one `replace`. */
    readonly op: string;
    readonly changes: readonly PropertyChange[];
}

export interface Classification {
    readonly drift: Finding[];
    /** Updates whose every changed property is a secret on both sides (pulumi/pulumi#18957). */
    readonly secretOnly: Finding[];
}

/** `a.b[0]["c.d"]` as `["a", "b", "0", "c.d"]`: an index is read as a key between brackets. */
export function propertyPath(path: string): string[] {
    const out: string[] = [];
    const re = /([^.[\]]+)|\["((?:[^"\\]|\\.)*)"\]/g;
    for (let m = re.exec(path); m !== null; m = re.exec(path)) out.push(m[1] ?? m[2]);
    return out;
}

/** The value at `path`, or MASK when the path runs into a secret. */
function at(obj: unknown, path: readonly string[]): unknown {
    let v: unknown = obj;
    for (const key of path) {
        if (v === MASK) return MASK;
        if (typeof v !== "object" || v === null) return undefined;
        v = (v as Record<string, unknown>)[key];
    }
    return v;
}

// Values of properties named like credentials are withheld even when the
// provider did not mark them secret.
const CREDENTIAL_NAME = /secret|token|password|passwd|private|key|value|credential/i;

function show(v: unknown, path: readonly string[]): string | undefined {
    if (v === undefined) return undefined;
    if (v === MASK) return MASK;
    // Stryker disable next-line StringLiteral: only an empty path has no last key, and no other text in its place names a credential either
    if (CREDENTIAL_NAME.test(path[path.length - 1] ?? "")) return "(withheld)";
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function typeOf(step: PreviewStep): string {
    return step.newState?.type ?? step.oldState?.type ?? urnType(step.urn);
}

function urnType(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? qualified;
}

function changesOf(step: PreviewStep): { changes: PropertyChange[]; allMasked: boolean } {
    const detailed = Object.entries(step.detailedDiff ?? {});
    const keys: [string, { kind: string; inputDiff?: boolean }][] =
        detailed.length > 0 ? detailed : [...(step.diffReasons ?? []), ...(step.replaceReasons ?? [])].map((k) => [k, { kind: "update" }]);
    // A refresh that names what drifted is proof of a real change, even where the values are masked.
    if (keys.length === 0) return { changes: [...driftMarkers(step), ...workspaceGroupDrift(step)], allMasked: false };
    let allMasked = true;
    const changes = [...new Map(keys).entries()].map(([key, diff]) => {
        const path = propertyPath(key);
        const before = at(diff.inputDiff ? step.oldState?.inputs : (step.oldState?.outputs ?? step.oldState?.inputs), path);
        const after = at(step.newState?.inputs, path);
        if (before !== MASK || after !== MASK) allMasked = false;
        return { path: key, kind: diff.kind, from: show(before, path), to: show(after, path) };
    });
    return { changes, allMasked };
}

/**
 * What a refresh found changed on a Workspace group (providers/google-workspace/group.ts):
 * each declared setting whose value differs, and the members nobody declared, which it
 * lists in the plain output `undeclared` (the group shows as an update until they are
 * declared in config or removed by hand). Settings and addresses, never secrets.
 */
function workspaceGroupDrift(step: PreviewStep): PropertyChange[] {
    if (typeOf(step) !== "pulumi-nodejs:dynamic/google-workspace:Group") return [];
    const held = step.oldState?.outputs?.settings;
    const declared = step.newState?.inputs?.settings;
    const settings =
        typeof held === "object" && held !== null && typeof declared === "object" && declared !== null
            ? Object.keys(declared)
                  .sort()
                  .filter((k) => (held as Record<string, unknown>)[k] !== (declared as Record<string, unknown>)[k])
                  .map((k) => ({ path: `settings.${k}`, kind: "changed", from: show((held as Record<string, unknown>)[k], [k]), to: show((declared as Record<string, unknown>)[k], [k]) }))
            : [];
    const undeclared = step.oldState?.outputs?.undeclared;
    const members = Array.isArray(undeclared) && undeclared.length > 0 ? [{ path: "members", kind: "undeclared", from: JSON.stringify(undeclared.filter((m) => typeof m === "string")) }] : [];
    return [...settings, ...members];
}

/**
 * Dynamic providers report no property diff, so a Heroku ConfigVars update
 * names no property, and its values are secret. Its refresh records, in the
 * plain output `drift`, each var whose value on Heroku is not what it wrote
 * ("changed" or "missing"): that names the var, and never its value.
 */
function driftMarkers(step: PreviewStep): PropertyChange[] {
    const drift = step.oldState?.outputs?.drift;
    if (typeof drift !== "object" || drift === null || Array.isArray(drift)) return [];
    const plainVars = step.newState?.inputs?.vars;
    return Object.entries(drift as Record<string, unknown>)
        .filter((entry): entry is [string, string] => typeof entry[1] === "string")
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, kind]) => {
            const plain = typeof plainVars === "object" && plainVars !== null && Object.hasOwn(plainVars, key);
            const path = [plain ? "vars" : "secretVars", key];
            // Stryker disable next-line OptionalChaining: the drift markers are read from step.oldState, so it is there
            const from = plain ? show(at(step.oldState?.outputs, path), path) : MASK;
            // Stryker disable next-line OptionalChaining: a plain var is one in step.newState.inputs.vars, so step.newState is there
            const to = plain ? show(at(step.newState?.inputs, path), path) : MASK;
            return { path: `${path[0]}.${key}`, kind, from: kind === "missing" ? undefined : from, to };
        });
}

/** A replacement's steps: any one of them makes the resource's finding one `replace`. */
const REPLACEMENT_STEPS = new Set([
    // Stryker disable next-line StringLiteral: a URN's "replace" step is its main step, whose op is then "replace" anyway
    "replace",
    "create-replacement",
    "delete-replaced",
]);

/** Sorts a preview's steps into drift and secret-only updates; `strict` counts the latter as drift. */
export function classify(digest: PreviewDigest, strict = false): Classification {
    const byUrn = new Map<string, PreviewStep[]>();
    for (const step of digest.steps ?? []) {
        if (NO_CHANGE.has(step.op) || step.urn.includes("::pulumi:pulumi:Stack::")) continue;
        byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
    }
    const drift: Finding[] = [];
    const secretOnly: Finding[] = [];
    for (const [urn, steps] of byUrn) {
        const replacing = steps.some((s) => REPLACEMENT_STEPS.has(s.op));
        const main = steps.find((s) => s.op === "replace") ?? steps[0];
        const { changes, allMasked } = changesOf(main);
        const finding = { urn, type: typeOf(main), name: nameOf(urn), op: replacing ? "replace" : main.op, changes };
        if (!strict && !replacing && main.op === "update" && allMasked) secretOnly.push(finding);
        else drift.push(finding);
    }
    const order = (a: Finding, b: Finding) => a.urn.localeCompare(b.urn);
    return { drift: drift.sort(order), secretOnly: secretOnly.sort(order) };
}

/**
 * The exit codes of `pulumi preview --expect-no-changes` when the preview ran
 * to the end (CLI 3.226 and later, which Pulumi.yaml requires: pkg
 * cmd/pulumi/cmd/exit_codes.go). Any other code is a failure: 1 for an error
 * or a mandatory policy violation, 2 to 6 and 8 to 10 for configuration,
 * login, stack or cancellation problems, 255 from older CLIs.
 */
export const EXIT_NO_CHANGES = 0;
export const EXIT_CHANGES = 7;

/** Summary operations that are no change to the engine (engine.HasChanges); NO_CHANGE, above, is about steps. */
const NOT_A_CHANGE = new Set(["same", "read", "discard", "read-replacement"]);

/** At most this many error diagnostics are quoted, each at most MESSAGE_LIMIT characters. */
const ERRORS_SHOWN = 10;
const MESSAGE_LIMIT = 500;

export type Outcome = { readonly ok: true; readonly result: Classification } | { readonly ok: false; readonly problems: readonly string[] };

/** A `pulumi preview --json` document as read, for every check of one. */
export interface ReadPreview {
    /** Undefined when the text holds no JSON object. */
    readonly digest: PreviewDigest | undefined;
    /** The messages of its error diagnostics, trimmed. */
    readonly errors: readonly string[];
    /** Whether the preview finished: it has steps and a change summary. */
    readonly finished: boolean;
}

export function readPreview(jsonText: string): ReadPreview {
    let digest: PreviewDigest | undefined;
    try {
        const parsed: unknown = JSON.parse(jsonText);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) digest = parsed as PreviewDigest;
    } catch {
        // digest stays undefined
    }
    if (digest === undefined) return { digest, errors: [], finished: false };
    // Stryker disable next-line ArrayDeclaration: any text in the empty list's place is no diagnostic of severity "error", so filtered out
    const errors = (Array.isArray(digest.diagnostics) ? digest.diagnostics : []).filter((d) => d?.severity === "error").map((d) => String(d.message ?? "").trim());
    const summary = digest.changeSummary;
    const finished = Array.isArray(digest.steps) && typeof summary === "object" && summary !== null && !Array.isArray(summary);
    return { digest, errors, finished };
}

/**
 * What the preview run means: drift to report, or a failed check, with every
 * reason it failed. A check passes only if the exit code is 0 or 7, the JSON
 * is a finished preview with no error diagnostic, and the two agree on
 * whether anything changed.
 */
export function interpret(jsonText: string, exitCode: number, strict = false): Outcome {
    const problems: string[] = [];
    if (exitCode !== EXIT_NO_CHANGES && exitCode !== EXIT_CHANGES) {
        problems.push(
            Number.isInteger(exitCode)
                ? `the preview exited with code ${exitCode}; a preview that ran exits ${EXIT_NO_CHANGES} (no changes) or ${EXIT_CHANGES} (changes)`
                : "the preview's exit code is unknown (PREVIEW_EXIT_CODE is not a number)",
        );
    }
    const { digest, errors, finished } = readPreview(jsonText);
    if (digest === undefined) return { ok: false, problems: [...problems, "the preview printed no JSON document; see its output in the log"] };

    problems.push(...errors.slice(0, ERRORS_SHOWN).map((e) => `error diagnostic: ${clip(e)}`));
    if (errors.length > ERRORS_SHOWN) problems.push(`and ${errors.length - ERRORS_SHOWN} more error diagnostic(s)`);
    if (!finished) problems.push("the preview JSON has no steps or no change summary: the preview did not finish");
    if (problems.length > 0) return { ok: false, problems };

    const result = classify(digest, strict);
    const changed = Object.entries(digest.changeSummary ?? {}).some(([op, n]) => !NOT_A_CHANGE.has(op) && n > 0) || result.drift.length + result.secretOnly.length > 0;
    if (changed !== (exitCode === EXIT_CHANGES)) {
        return {
            ok: false,
            problems: [`the preview exited with code ${exitCode}, but its JSON lists ${changed ? "changes" : "no change"}: the check's output cannot be trusted`],
        };
    }
    return { ok: true, result };
}

function clip(message: string): string {
    return message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message;
}

export function fingerprint(drift: readonly Finding[]): string {
    const lines = drift.map((f) => `${f.urn} ${f.op} ${f.changes.map((c) => `${c.path}:${c.kind}:${c.from ?? ""}>${c.to ?? ""}`).join(",")}`);
    return crypto.createHash("sha256").update(lines.sort().join("\n")).digest("hex").slice(0, 16);
}

export function marker(stack: string): string {
    return `<!-- raxx-platform:drift:${stack} -->`;
}

function fingerprintOf(body: string | null): string | undefined {
    // Stryker disable next-line StringLiteral: planIssue passes only a body holding the marker, never null, and no other text holds a fingerprint either
    return /<!-- raxx-platform:drift-fingerprint:([0-9a-f]+) -->/.exec(body ?? "")?.[1];
}

const md = (s: string) => s.replace(/\|/g, "\\|").replace(/`/g, "'");

function changeText(f: Finding): string {
    if (f.changes.length === 0) return f.op === "update" ? "(no property listed)" : "";
    return f.changes
        .slice(0, 10)
        .map((c) => `\`${md(c.path)}\` ${c.kind}${c.from !== undefined || c.to !== undefined ? `: ${md(c.from ?? "∅")} → ${md(c.to ?? "∅")}` : ""}`)
        .concat(f.changes.length > 10 ? [`and ${f.changes.length - 10} more`] : [])
        .join("<br>");
}

export function table(findings: readonly Finding[], limit: number): string[] {
    const rows = findings.slice(0, limit).map((f) => `| \`${md(f.type)}\` \`${md(f.name)}\` | ${f.op} | ${changeText(f)} |`);
    if (findings.length > limit) rows.push(`| and ${findings.length - limit} more | | see the run log |`);
    return ["| resource | operation | what differs |", "|---|---|---|", ...rows];
}

export interface RunContext {
    readonly stack: string;
    readonly date: string;
    readonly runUrl: string;
}

/** The drift issue's body: the stack's marker, the drift's fingerprint, and a table without secret values. */
export function issueBody(result: Classification, run: RunContext): string {
    const lines = [
        marker(run.stack),
        `<!-- raxx-platform:drift-fingerprint:${fingerprint(result.drift)} -->`,
        `The daily drift check found that the live resources of stack \`${run.stack}\` differ from what the default branch declares. ` +
            `It runs \`pulumi preview --refresh\`, which reads the cloud and writes no state. Last checked ${run.date} ([run](${run.runUrl})).`,
        "",
        ...table(result.drift, 100),
        "",
        "Either apply the default branch to put the stack back (see “Operator apply” in docs/operations.md), or change the program and its config to match what was changed by hand. " +
            "This issue is updated by every check, and closes itself when a check finds no drift. Secret values are never shown.",
    ];
    if (result.secretOnly.length > 0) {
        lines.push(
            "",
            `<details><summary>${result.secretOnly.length} secret-only update(s) not counted as drift (pulumi/pulumi#18957)</summary>`,
            "",
            ...table(result.secretOnly, 50),
            "",
            "</details>",
        );
    }
    return lines.join("\n");
}

export type IssueAction =
    | { readonly kind: "none" }
    | { readonly kind: "create"; readonly title: string; readonly body: string }
    | { readonly kind: "update"; readonly issue: number; readonly body: string; readonly comment?: string }
    | { readonly kind: "close"; readonly issue: number; readonly comment: string };

export function issueTitle(stack: string): string {
    return `Drift in stack ${stack}`;
}

/** Opens one issue per stack, updates it (commenting only when the drift itself changed), and closes it when the drift clears. */
export function planIssue(open: readonly Issue[], result: Classification, run: RunContext): IssueAction {
    // Stryker disable next-line StringLiteral: no text in the place of a missing body holds the stack's marker either
    const existing = open.filter((i) => (i.body ?? "").includes(marker(run.stack))).sort((a, b) => a.number - b.number)[0];
    if (result.drift.length === 0) {
        if (existing === undefined) return { kind: "none" };
        const note = result.secretOnly.length > 0 ? ` (${result.secretOnly.length} secret-only update(s) remain, not counted: pulumi/pulumi#18957)` : "";
        return { kind: "close", issue: existing.number, comment: `No drift found on ${run.date}${note}: closing. [Run](${run.runUrl}).` };
    }
    const body = issueBody(result, run);
    if (existing === undefined) return { kind: "create", title: issueTitle(run.stack), body };
    const changed = fingerprintOf(existing.body) !== fingerprint(result.drift);
    return {
        kind: "update",
        issue: existing.number,
        body,
        comment: changed ? `The drift changed on ${run.date}: the description shows it as of this [run](${run.runUrl}).` : undefined,
    };
}

/** The run summary: every finding, drift and secret-only, for whoever opens the run. */
export function summary(result: Classification, stack: string): string {
    const lines = [`### Drift check of stack \`${stack}\``, "", `${result.drift.length} resource(s) drifted; ${result.secretOnly.length} secret-only update(s) not counted (pulumi/pulumi#18957).`];
    if (result.drift.length > 0) lines.push("", ...table(result.drift, 200));
    if (result.secretOnly.length > 0) lines.push("", "Secret-only updates:", "", ...table(result.secretOnly, 200));
    return lines.join("\n") + "\n";
}

/** The run summary of a failed check: why it failed, and that no issue was touched. */
export function failureSummary(problems: readonly string[], stack: string): string {
    return [
        `### Drift check of stack \`${stack}\` failed`,
        "",
        "The check failed, so it says nothing about drift: the stack's drift issue, if one is open, was left as it is. " +
            "Fix the cause, then run the drift workflow again. A mandatory policy violation shows here only as \"preview failed\": " +
            "the preview JSON carries no policy results, so run `pulumi preview --policy-pack policy` on the stack to see it.",
        "",
        ...fenced(problems.join("\n")),
    ].join("\n") + "\n";
}

/** `text` in a Markdown code fence that no run of backticks inside it can close. */
export function fenced(text: string): string[] {
    const fence = "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return [fence, text, fence];
}

/** The annotation of a failed check: one workflow command line, whatever the diagnostics hold. */
export function failureAnnotation(problems: readonly string[], stack: string): string {
    return workflowCommand("error", problems.join("\n"), { title: `Drift check of ${stack} failed` });
}


/** PREVIEW_EXIT_CODE as a number; NaN unless it is one (an empty value is no exit code 0). */
export function exitCodeOf(text: string | undefined): number {
    // Stryker disable next-line StringLiteral: "" and any other text with a letter in it are no number
    return /^\d+$/.test(text?.trim() ?? "") ? Number(text) : Number.NaN;
}

/** The drift check of one stack, as the workflow step runs it: the exit code of the step. */
export async function runCheck(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<number> {
    const stack = requiredEnv("STACK", env);
    const strict = env.STRICT === "true";
    const file = requiredEnv("PREVIEW_JSON", env);
    // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as UTF-8 text, and no JSON document in place of "" is an object either
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const outcome = interpret(text, exitCodeOf(env.PREVIEW_EXIT_CODE), strict);
    if (!outcome.ok) {
        if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, failureSummary(outcome.problems, stack));
        log(failureAnnotation(outcome.problems, stack));
        log(`the drift check of stack ${stack} failed; no issue was changed`);
        return 1;
    }
    const run = { stack, date: new Date().toISOString().slice(0, 10), runUrl: requiredEnv("RUN_URL", env) };
    if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summary(outcome.result, stack));

    const github = new Github(githubContextFromEnv(env));
    const action = planIssue(await github.listOpenIssues(ACTIONS_BOT), outcome.result, run);
    switch (action.kind) {
        case "create": {
            const issue = await github.createIssue(action.title, action.body, ["drift"]);
            log(`opened ${issue.html_url}`);
            break;
        }
        case "update":
            await github.updateIssue(action.issue, { body: action.body });
            if (action.comment) await github.createIssueComment(action.issue, action.comment);
            log(`updated issue #${action.issue}${action.comment ? " (the drift changed)" : ""}`);
            break;
        case "close":
            await github.createIssueComment(action.issue, action.comment);
            await github.updateIssue(action.issue, { state: "closed", state_reason: "completed" });
            log(`closed issue #${action.issue}`);
            break;
        case "none":
            log(`no drift in stack ${stack}`);
    }
    return 0;
}

if (require.main === module) {
    runCheck().then(
        (code) => process.exit(code),
        (e: unknown) => {
            console.error(e instanceof Error ? e.message : String(e));
            process.exit(1);
        },
    );
}
