// The change an operator approves in apply.yml is the change applied: the
// preview job records what its preview proposes, as a list of operations; the
// `pulumi up` job, once approved, previews again and refuses to go on if the
// list differs.
//
//   npx ts-node --transpile-only .github/scripts/approved-change.ts record
//   npx ts-node --transpile-only .github/scripts/approved-change.ts check
//
// Environment: STACK, PREVIEW_JSON (the file `pulumi preview --refresh
// --expect-no-changes --json` wrote), PREVIEW_EXIT_CODE, GITHUB_SHA,
// GITHUB_STEP_SUMMARY; `record` writes the output `change` to GITHUB_OUTPUT,
// and `check` reads it back from APPROVED_CHANGE.
//
// A preview is read as the drift check reads it (.github/scripts/drift.ts): a
// failed preview is never a change to approve. An operation is its kind, its
// resource's URN and the names of the properties it changes; never a value. Two
// previews of the same commit against the same cloud and state propose the
// same list, so a difference means the cloud or the state moved in between
// (a change by hand, an up from a laptop), and the approver did not see it.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { Classification, exitCodeOf, fenced, interpret, table } from "./drift";
import { requiredEnv, workflowCommand } from "./github";

/** The operations a preview proposes, one line each, sorted: `<op> <urn>` and the changed properties. */
export function operations(result: Classification): string[] {
    return [...result.drift, ...result.secretOnly]
        .map((f) => `${f.op} ${f.urn}${f.changes.length > 0 ? ` [${f.changes.map((c) => c.path).join(", ")}]` : ""}`)
        .sort();
}

/** A short name for a list of operations, for people to compare at a glance. */
export function changeId(ops: readonly string[]): string {
    return crypto.createHash("sha256").update(ops.join("\n")).digest("hex").slice(0, 12);
}

/** What differs between the approved operations and the ones proposed now. */
export function differences(approved: readonly string[], now: readonly string[]): { added: string[]; gone: string[] } {
    return { added: now.filter((op) => !approved.includes(op)), gone: approved.filter((op) => !now.includes(op)) };
}

/** The approved list as the preview job handed it over; anything else is no approval. */
export function parseApproved(text: string | undefined): string[] | undefined {
    try {
        const parsed: unknown = JSON.parse(text ?? "");
        return Array.isArray(parsed) && parsed.every((op) => typeof op === "string") ? parsed : undefined;
    } catch {
        return undefined;
    }
}


/** Runs `record` or `check`; returns the exit code. */
export function run(mode: string, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): number {
    if (mode !== "record" && mode !== "check") throw new Error(`usage: approved-change.ts record|check (not ${JSON.stringify(mode)})`);
    const stack = requiredEnv("STACK", env);
    const commit = requiredEnv("GITHUB_SHA", env);
    const file = requiredEnv("PREVIEW_JSON", env);
    const summary = (text: string) => env.GITHUB_STEP_SUMMARY && fs.appendFileSync(env.GITHUB_STEP_SUMMARY, text);
    const outcome = interpret(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "", exitCodeOf(env.PREVIEW_EXIT_CODE), true);
    if (!outcome.ok) {
        summary(
            [
                `### The preview of stack \`${stack}\` failed`,
                "",
                `Nothing was ${mode === "record" ? "recorded to approve" : "applied"}. A mandatory policy violation shows here only as "preview failed": ` +
                    "the preview JSON carries no policy results; the step's log has the CLI's own messages.",
                "",
                ...fenced(outcome.problems.join("\n")),
                "",
            ].join("\n"),
        );
        log(workflowCommand("error", `the preview of stack ${stack} failed, so there is nothing to ${mode === "record" ? "approve" : "apply"}: ${outcome.problems.join("; ")}`));
        return 1;
    }
    const ops = operations(outcome.result);
    const id = changeId(ops);
    const findings = [...outcome.result.drift, ...outcome.result.secretOnly];
    if (mode === "record") {
        fs.appendFileSync(requiredEnv("GITHUB_OUTPUT", env), `change=${JSON.stringify(ops)}\n`);
        summary(
            [
                `### The change to approve: stack \`${stack}\`, commit \`${commit}\``,
                "",
                `${ops.length} operation(s), change id \`${id}\`. The \`pulumi up\` job previews again once approved, and stops unless it proposes exactly these.`,
                ...(findings.length > 0 ? ["", ...table(findings, 500)] : []),
                "",
            ].join("\n"),
        );
        log(`stack ${stack}: recorded ${ops.length} operation(s), change id ${id}`);
        return 0;
    }
    const approved = parseApproved(env.APPROVED_CHANGE);
    if (approved === undefined) {
        log(workflowCommand("error", `no approved change was handed over for stack ${stack}; run apply again`));
        return 1;
    }
    const { added, gone } = differences(approved, ops);
    if (added.length === 0 && gone.length === 0) {
        summary(`### Applying the approved change: stack \`${stack}\`, commit \`${commit}\`, change id \`${id}\`\n\n`);
        log(`stack ${stack}: the preview proposes exactly the approved change (${ops.length} operation(s), change id ${id})`);
        return 0;
    }
    const lines = [...added.map((op) => `+ not approved: ${op}`), ...gone.map((op) => `- approved, no longer proposed: ${op}`)];
    summary(
        [
            `### Not applied: stack \`${stack}\` would not get the change approved`,
            "",
            `Approved change id \`${changeId(approved)}\`, proposed now \`${id}\`. The cloud or the state changed after the preview was approved; run apply again, and approve what its preview shows.`,
            "",
            ...fenced(lines.join("\n")),
            "",
        ].join("\n"),
    );
    log(workflowCommand("error", `stack ${stack}: the preview now proposes another change than the one approved (${added.length} operation(s) not approved, ${gone.length} no longer proposed); nothing was applied. Run apply again.`));
    for (const line of lines) log(line);
    return 1;
}

if (require.main === module) {
    try {
        process.exitCode = run(process.argv[2] ?? "");
    } catch (e) {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 1;
    }
}
