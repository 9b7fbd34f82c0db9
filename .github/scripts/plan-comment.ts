// Posts the offline plan that plan.yml made for a pull request, one comment per
// stack, edited in place on every push. It runs in plan-comment.yml, on
// `workflow_run`, with the default branch's code and a token that may write
// pull request comments.
//
//   npx ts-node --transpile-only .github/scripts/plan-comment.ts
//
// Environment: PLAN_DIR (where `gh run download` put the artifacts
// `offline-plan-<stack>`), HEAD_SHA (the commit plan.yml ran on, from the
// workflow_run event), RUN_URL, GITHUB_TOKEN, GITHUB_REPOSITORY.
//
// Everything in PLAN_DIR was written by the pull request's code, so it is data
// and nothing more: the pull request number it names is believed only if that
// pull request's head is HEAD_SHA (GitHub's own record of the run, which the
// pull request cannot forge), so it can only ever comment on the pull request
// that produced it; each stack's text is cut to fit a comment; the stack name
// comes from the artifact's folder name and must be one of the known stacks.
import * as fs from "node:fs";
import * as path from "node:path";
import { STACKS } from "../../scripts/lib/offline/stack";
import { ACTIONS_BOT, Github, IssueComment, githubContextFromEnv, requiredEnv } from "./github";
import { COMMENT_LIMIT } from "./preview-comment";

export const marker = (stack: string) => `<!-- raxx-platform:offline-plan:${stack} -->`;

/** One stack's plan as the artifact holds it. */
export interface StackPlan {
    readonly stack: string;
    /** What `npm run plan -- --markdown` printed (untrusted). */
    readonly markdown: string;
    /** Its exit code, or null when the artifact does not say. */
    readonly exitCode: number | null;
}

export interface PlanArtifacts {
    /** The pull request number the artifact claims (untrusted until checked against HEAD_SHA). */
    readonly prNumber: number | null;
    readonly plans: readonly StackPlan[];
}

/** Reads what plan.yml uploaded; anything unexpected is left out, never trusted. */
export function readArtifacts(dir: string): PlanArtifacts {
    let prNumber: number | null = null;
    const plans: StackPlan[] = [];
    for (const stack of STACKS) {
        const folder = path.join(dir, `offline-plan-${stack}`);
        const md = path.join(folder, `${stack}.md`);
        if (!fs.existsSync(md)) continue;
        const exit = path.join(folder, `${stack}.exit`);
        const code = fs.existsSync(exit) ? fs.readFileSync(exit, "utf8").trim() : "";
        plans.push({ stack, markdown: fs.readFileSync(md, "utf8"), exitCode: /^\d{1,3}$/.test(code) ? Number(code) : null });
        const pr = path.join(folder, "pr-number");
        const n = fs.existsSync(pr) ? fs.readFileSync(pr, "utf8").trim() : "";
        if (prNumber === null && /^[1-9]\d{0,9}$/.test(n)) prNumber = Number(n);
    }
    return { prNumber, plans };
}

/** The comment for one stack: a heading this script recognises, the run it came from, and the plan, cut to fit. */
export function commentBody(plan: StackPlan, headSha: string, runUrl: string): string {
    const outcome =
        plan.exitCode === 0 ? "" : `\n\n> [!WARNING]\n> The offline plan failed (exit ${plan.exitCode ?? "unknown"}): what it printed is below; the [run](${runUrl}) has the rest.`;
    const head = `${marker(plan.stack)}\n#### Offline plan: \`${plan.stack}\`\n\nCommit ${headSha.slice(0, 12)}, [run](${runUrl}). No credential was used: this is what the program declares, under mocks.${outcome}\n\n`;
    const room = COMMENT_LIMIT - head.length - 200;
    const text = plan.markdown.length <= room ? plan.markdown : `${plan.markdown.slice(0, room)}\n\n… cut to fit a comment; the run's summary has all of it.`;
    return head + text;
}

/** Which of the bot's comments is this stack's: the newest one that starts with its marker; older ones are duplicates. */
export function stackComments(comments: readonly IssueComment[], stack: string): { current?: IssueComment; duplicates: IssueComment[] } {
    const mine = comments
        .filter((c) => c.user?.login === ACTIONS_BOT && c.body.startsWith(`${marker(stack)}\n`))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    return { current: mine[mine.length - 1], duplicates: mine.slice(0, -1) };
}


async function main(): Promise<void> {
    const headSha = requiredEnv("HEAD_SHA");
    const runUrl = requiredEnv("RUN_URL");
    const artifacts = readArtifacts(requiredEnv("PLAN_DIR"));
    if (artifacts.prNumber === null || artifacts.plans.length === 0) {
        console.log("no offline plan to post (the plan run uploaded none)");
        return;
    }
    const github = new Github(githubContextFromEnv());
    const pr = await github.request<{ head: { sha: string }; state: string }>("GET", `/repos/${requiredEnv("GITHUB_REPOSITORY")}/pulls/${artifacts.prNumber}`);
    if (pr.head.sha !== headSha) {
        // Either the pull request moved on (a newer run will comment) or the artifact names another pull request.
        console.log(`pull request #${artifacts.prNumber} is not at ${headSha.slice(0, 12)} (its head is ${pr.head.sha.slice(0, 12)}); not commenting`);
        return;
    }
    const comments = await github.listIssueComments(artifacts.prNumber);
    for (const plan of artifacts.plans) {
        const body = commentBody(plan, headSha, runUrl);
        const { current, duplicates } = stackComments(comments, plan.stack);
        if (current === undefined) await github.createIssueComment(artifacts.prNumber, body);
        else if (current.body !== body) await github.updateIssueComment(current.id, body);
        for (const d of duplicates) await github.deleteIssueComment(d.id);
        console.log(`stack ${plan.stack}: ${current === undefined ? "created" : "updated"} the offline plan comment on #${artifacts.prNumber}`);
    }
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    });
}
