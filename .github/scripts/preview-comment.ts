// Completes the pull request comment that pulumi/actions writes for a stack's
// preview: adds the stack's rotation status (from `npm run rotation-status --
// --json`) and which commit and run it describes, keeps the whole comment under
// GitHub's 65,536-character limit, and keeps exactly one such comment per stack.
//
//   npx ts-node --transpile-only .github/scripts/preview-comment.ts
//
// Environment: STACK, PR_NUMBER, ROTATION_JSON (a file), PREVIEW_OUTCOME (the
// preview step's outcome), COMMIT_SHA, RUN_URL, GITHUB_TOKEN,
// GITHUB_REPOSITORY; PROJECT defaults to raxx-platform.
//
// Why edit the action's comment rather than post a second one: the issue asks
// for one comment per stack, and pulumi/actions finds its comment again by its
// heading and `<summary>Pulumi report</summary>` (src/libs/pr.ts, v7.0.0),
// replacing the whole body on every push. This script runs after it, so it
// re-inserts its section each time; a comment it has to create itself (when the
// preview failed before the action commented) uses the same heading, so the
// action adopts it on the next push.
import * as fs from "node:fs";
import { ACTIONS_BOT, Github, IssueComment, githubContextFromEnv, requiredEnv, workflowCommand } from "./github";

/** GitHub rejects comment bodies longer than this (pulumi/actions#482). */
export const COMMENT_LIMIT = 65_536;

/** The heading pulumi/actions v7.0.0 starts its comment with (src/libs/pr.ts). */
export function actionHeading(project: string, stack: string, command = "preview"): string {
    return `#### :tropical_drink: \`${command}\` on ${project}/${stack}`;
}

export const ACTION_SUMMARY = "<summary>Pulumi report</summary>";

const START = "<!-- raxx-platform:preview-status:start -->";
const END = "<!-- raxx-platform:preview-status:end -->";

/** True for the comment pulumi/actions keeps for this stack (its heading, then a newline). */
export function isStackComment(body: string, project: string, stack: string): boolean {
    return body.startsWith(`${actionHeading(project, stack)}\n`) && body.includes(ACTION_SUMMARY);
}

/** The parts of `npm run rotation-status -- --json` this script reads. */
export interface RotationReport {
    readonly stack: string;
    readonly today: string;
    readonly dueWindowDays: number;
    readonly credentials: readonly {
        readonly id: string;
        readonly description: string;
        readonly state: "ok" | "due" | "overdue";
        readonly active: string;
        readonly dates: Readonly<Record<string, string>>;
        readonly ageDays: number;
        readonly maxAgeDays: number;
        readonly daysLeft: number;
        readonly heldBy: readonly string[];
    }[];
    readonly due: number;
    readonly overdue: number;
    /** Absent in a report from before the checks. */
    readonly checks?: { readonly enabled: boolean; readonly declared: number; readonly off?: number };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");

/** The rotation part of the comment: a line when nothing is due, a table of what is due or overdue otherwise. */
export function rotationSection(report: RotationReport | undefined): string {
    if (report === undefined) {
        return "**Rotation:** the rotation status could not be computed; see the run log.";
    }
    const checksOff =
        report.checks?.enabled === false
            ? `> [!CAUTION]\n> **Checks off:** ${report.checks.off ?? report.checks.declared} of the ${report.checks.declared} checks are off (\`verifyCredentials\` is false in \`Pulumi.${report.stack}.yaml\`, or the code turns them off), so this apply hands out credentials unchecked and confirms no write or revocation. Break-glass only: see docs/rotation.md, "Checks".\n\n`
            : "";
    return checksOff + rotationBody(report);
}

function rotationBody(report: RotationReport): string {
    const pending = report.credentials.filter((c) => c.state !== "ok");
    if (pending.length === 0) {
        return `**Rotation:** all ${report.credentials.length} credentials of stack \`${report.stack}\` are within their maximum age (as of ${report.today}).`;
    }
    const counts = [report.overdue > 0 ? `${report.overdue} overdue` : "", report.due > 0 ? `${report.due} due` : ""].filter(Boolean).join(", ");
    const lines = [
        report.overdue > 0 ? "> [!WARNING]" : "> [!NOTE]",
        `> **Rotation:** ${counts} in stack \`${report.stack}\` as of ${report.today} (due ${report.dueWindowDays} days before the maximum age). Rotate by changing the slot dates in \`Pulumi.${report.stack}.yaml\`: see docs/rotation.md.`,
        "",
        "| credential | state | active slot | age | held by |",
        "|---|---|---|---|---|",
    ];
    for (const c of pending) {
        const left = c.daysLeft >= 0 ? `${c.daysLeft} days left` : `${-c.daysLeft} days over`;
        const state = c.state === "overdue" ? "**overdue**" : "due";
        const held = `${c.heldBy.length} place${c.heldBy.length === 1 ? "" : "s"}`;
        lines.push(`| \`${c.id}\`: ${cell(c.description)} | ${state} | ${c.active} (${c.dates[c.active] ?? "?"}) | ${c.ageDays} of ${c.maxAgeDays} days, ${left} | ${held} |`);
    }
    return lines.join("\n");
}

export interface RunInfo {
    readonly commitSha: string;
    readonly runUrl: string;
    /** The preview step's outcome: success, failure, cancelled or skipped. */
    readonly previewOutcome: string;
}

/** Which commit and run the comment describes; says so when the report below is older than this push. */
export function statusLine(run: RunInfo): string {
    const commit = run.commitSha.slice(0, 7);
    if (run.previewOutcome === "success") return `Preview of commit ${commit}: [run log](${run.runUrl}).`;
    return `> [!CAUTION]\n> The preview of commit ${commit} did not succeed (${run.previewOutcome}): see the [run log](${run.runUrl}) for the error or the policy violations. The report below is from an earlier commit, if any.`;
}

/** `body` with this script's section right after the heading line, replacing the one it had. */
export function withSection(body: string, section: string): string {
    let rest = body;
    const start = rest.indexOf(START);
    const end = rest.indexOf(END);
    if (start >= 0 && end > start) rest = rest.slice(0, start) + rest.slice(end + END.length).replace(/^\n+/, "");
    const newline = rest.indexOf("\n");
    const heading = newline < 0 ? rest : rest.slice(0, newline);
    const tail = newline < 0 ? "" : rest.slice(newline + 1).replace(/^\n+/, "");
    return `${heading}\n\n${START}\n${section}\n${END}\n\n${tail}`;
}

const TRIM_NOTE = "[… trimmed from the front to fit GitHub's comment limit; the full output is in the run log]\n";

/**
 * Keeps the comment within `limit` characters by trimming the start of the
 * preview output in `<pre>`, as `always-include-summary` does, so the
 * resource summary at its end stays.
 */
export function fitComment(body: string, limit = COMMENT_LIMIT): string {
    if (body.length <= limit) return body;
    const open = body.indexOf("<pre>");
    const close = body.indexOf("</pre>", open);
    const excess = body.length - limit + TRIM_NOTE.length;
    if (open < 0 || close < 0 || close - (open + 5) < excess) {
        return body.slice(0, limit - 1) + "…";
    }
    const from = open + "<pre>".length;
    const pre = body.slice(from, close);
    return body.slice(0, from) + "\n" + TRIM_NOTE + pre.slice(excess + 1) + body.slice(close);
}

/** The body to start from when the action has not commented (its format, so it adopts the comment). */
export function placeholderBody(project: string, stack: string): string {
    return `${actionHeading(project, stack)}\n\n<details>\n${ACTION_SUMMARY}\n\nNo preview has succeeded on this pull request yet.\n</details>\n`;
}

export interface CommentPlan {
    readonly update?: { readonly id: number; readonly body: string };
    readonly create?: string;
    /** Older duplicates, which the action made when it could not see the first one. */
    readonly remove: number[];
}

/**
 * What to do with the pull request's comments. The newest stack comment by
 * the workflow's bot is the current one: pulumi/actions looks only at the
 * first page of comments, and makes a new one when its own is not on it.
 */
export function planComment(comments: readonly IssueComment[], project: string, stack: string, section: string): CommentPlan {
    const mine = comments
        .filter((c) => c.user?.login === ACTIONS_BOT && isStackComment(c.body, project, stack))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    const current = mine[mine.length - 1];
    if (current === undefined) {
        return { create: fitComment(withSection(placeholderBody(project, stack), section)), remove: [] };
    }
    const body = fitComment(withSection(current.body, section));
    return {
        update: body === current.body ? undefined : { id: current.id, body },
        remove: mine.slice(0, -1).map((c) => c.id),
    };
}

/** The run's annotation when credentials are overdue: a workflow command, escaped like every other. */
export function overdueWarning(report: RotationReport, stack: string): string {
    return workflowCommand("warning", `${report.overdue} credential(s) of stack ${stack} are overdue for rotation; see docs/rotation.md`, { title: "Rotation overdue" });
}

function readReport(file: string | undefined): RotationReport | undefined {
    if (!file || !fs.existsSync(file)) return undefined;
    try {
        const report = JSON.parse(fs.readFileSync(file, "utf8")) as RotationReport;
        return Array.isArray(report.credentials) ? report : undefined;
    } catch {
        return undefined;
    }
}


async function main(): Promise<void> {
    const stack = requiredEnv("STACK");
    const project = process.env.PROJECT || "raxx-platform";
    const pr = Number(requiredEnv("PR_NUMBER"));
    const report = readReport(process.env.ROTATION_JSON);
    const run = { commitSha: requiredEnv("COMMIT_SHA"), runUrl: requiredEnv("RUN_URL"), previewOutcome: process.env.PREVIEW_OUTCOME || "unknown" };
    const section = `${statusLine(run)}\n\n${rotationSection(report)}`;

    const github = new Github(githubContextFromEnv());
    const plan = planComment(await github.listIssueComments(pr), project, stack, section);
    if (plan.update) await github.updateIssueComment(plan.update.id, plan.update.body);
    if (plan.create !== undefined) await github.createIssueComment(pr, plan.create);
    for (const id of plan.remove) await github.deleteIssueComment(id);
    console.log(
        `stack ${stack}: ${plan.create !== undefined ? "created" : plan.update ? "updated" : "kept"} the preview comment, removed ${plan.remove.length} duplicate(s); ` +
            `rotation: ${report ? `${report.overdue} overdue, ${report.due} due` : "unknown"}`,
    );
    if (report && report.overdue > 0) {
        console.log(overdueWarning(report, stack));
    }
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    });
}
