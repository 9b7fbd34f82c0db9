// Posts the offline plan that plan.yml made for a pull request, one comment per
// stack, edited in place on every push. It runs in plan-comment.yml, on
// `workflow_run`, with the default branch's code and a token that may write
// pull request comments.
//
//   npx ts-node --transpile-only .github/scripts/plan-comment.ts
//
// Environment: PLAN_DIR (where `gh run download` put the artifacts
// `offline-plan-<stack>`), and from the workflow_run event HEAD_SHA (the
// commit plan.yml ran on), HEAD_BRANCH and HEAD_REPOSITORY (the branch and
// the repository it came from); RUN_URL, GITHUB_TOKEN, GITHUB_REPOSITORY.
//
// Everything in PLAN_DIR was written by the pull request's code, so it is data
// and nothing more. The pull request to comment on comes from GitHub, not from
// the artifact: the one open pull request whose head is that branch of that
// repository at HEAD_SHA (the run's own record, which the pull request cannot
// forge). When two open pull requests share that head, it comments on neither:
// a second pull request with the same head and a base branch of its own could
// otherwise put its plan on the first. The number the artifact gives must
// agree. Each stack's text is cut to fit a comment; the stack name comes from
// the artifact's folder name and must be one of the known stacks. A stack the
// run left no plan for keeps its old comment, marked as not describing the
// pull request's head.
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

/** What the pull request API says of a pull request, as far as this script reads it. */
export interface PullRequestHead {
    readonly number: number;
    readonly head: { readonly sha: string; readonly ref: string; readonly repo: { readonly full_name: string } | null };
}

/** The one open pull request whose head is `branch` of `repository` at `sha`; otherwise why there is none to comment on. */
export function pullRequestOf(
    open: readonly PullRequestHead[],
    head: { sha: string; branch: string; repository: string },
    claimed: number | null,
): { number: number } | { refused: string } {
    const at = open.filter((pr) => pr.head.sha === head.sha && pr.head.ref === head.branch && pr.head.repo?.full_name === head.repository);
    if (at.length === 0) return { refused: `no open pull request has ${head.repository}:${head.branch} at ${head.sha.slice(0, 12)} as its head (it moved on; a newer run will comment)` };
    if (at.length > 1) return { refused: `pull requests ${at.map((pr) => `#${pr.number}`).join(", ")} share the head ${head.sha.slice(0, 12)}; not commenting on any of them` };
    if (claimed !== null && claimed !== at[0].number) return { refused: `the plan names pull request #${claimed}, but the run was for #${at[0].number}; not commenting` };
    return { number: at[0].number };
}

/** The comment of a stack this run made no plan for: the old one, marked as describing an older commit. */
export function staleBody(body: string, stack: string, headSha: string, runUrl: string): string {
    const notice = `> [!WARNING]\n> Stale: the [offline plan run](${runUrl}) for commit ${headSha.slice(0, 12)} made no plan for \`${stack}\`; what follows describes an earlier commit.\n\n`;
    const rest = body.slice(`${marker(stack)}\n`.length).replace(/^> \[!WARNING\]\n> Stale: [^\n]*\n\n/, "");
    return `${marker(stack)}\n${notice}${rest}`;
}

/** Which of the bot's comments is this stack's: the newest one that starts with its marker; older ones are duplicates. */
export function stackComments(comments: readonly IssueComment[], stack: string): { current?: IssueComment; duplicates: IssueComment[] } {
    const mine = comments
        .filter((c) => c.user?.login === ACTIONS_BOT && c.body.startsWith(`${marker(stack)}\n`))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    return { current: mine[mine.length - 1], duplicates: mine.slice(0, -1) };
}


async function main(): Promise<void> {
    const head = { sha: requiredEnv("HEAD_SHA"), branch: requiredEnv("HEAD_BRANCH"), repository: requiredEnv("HEAD_REPOSITORY") };
    const runUrl = requiredEnv("RUN_URL");
    const artifacts = readArtifacts(requiredEnv("PLAN_DIR"));
    const github = new Github(githubContextFromEnv());
    const owner = head.repository.split("/")[0];
    const open = await github.paginate<PullRequestHead>(`/repos/${requiredEnv("GITHUB_REPOSITORY")}/pulls?state=open&head=${encodeURIComponent(`${owner}:${head.branch}`)}`);
    const pr = pullRequestOf(open, head, artifacts.prNumber);
    if ("refused" in pr) {
        console.log(pr.refused);
        return;
    }
    const comments = await github.listIssueComments(pr.number);
    for (const stack of STACKS) {
        const plan = artifacts.plans.find((p) => p.stack === stack);
        const { current, duplicates } = stackComments(comments, stack);
        const body = plan !== undefined ? commentBody(plan, head.sha, runUrl) : current !== undefined ? staleBody(current.body, stack, head.sha, runUrl) : undefined;
        if (body === undefined) continue;
        if (current === undefined) await github.createIssueComment(pr.number, body);
        else if (current.body !== body) await github.updateIssueComment(current.id, body);
        for (const d of duplicates) await github.deleteIssueComment(d.id);
        console.log(`stack ${stack}: ${plan === undefined ? "marked stale" : current === undefined ? "created" : "updated"} the offline plan comment on #${pr.number}`);
    }
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    });
}
