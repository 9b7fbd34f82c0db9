// Reads GitHub workflows as an attacker with write access to a branch would,
// and names every way pull request code could reach a credential:
//   - a job reachable from an event a pull request can cause that holds a
//     credential (a secret other than the job token, `id-token: write`, a
//     cloud login step) outside an environment whose reviewers approve each run;
//   - a `pull_request_target` or `workflow_run` job that checks out the pull
//     request's code (it would run with the base branch's privileges);
//   - `${{ }}` of untrusted data inside `run:`, where it becomes shell code;
//   - a credential outside the environments of .github/scripts/trust.ts, or, in
//     a workflow no pull request can start, outside a default-branch-only one.
import { EnvironmentRule } from "../../.github/scripts/trust";

export interface AuditStep {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
}

export interface AuditJob {
    readonly environment?: string | { name: string };
    readonly permissions?: Record<string, string> | string;
    readonly strategy?: { matrix?: Record<string, unknown> };
    readonly env?: Record<string, unknown>;
    readonly steps?: AuditStep[];
    readonly uses?: string;
    readonly secrets?: unknown;
}

export interface AuditWorkflow {
    readonly on: string | string[] | Record<string, unknown>;
    readonly permissions?: Record<string, string> | string;
    readonly env?: Record<string, unknown>;
    readonly jobs: Record<string, AuditJob>;
}

/** Events that a pull request, or a comment or review on one, can cause; `workflow_run` follows them. */
export const UNTRUSTED_EVENTS = ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment", "issue_comment", "workflow_run", "workflow_call"];

/** Actions that log in to a cloud with the job's OIDC token or a stored key. */
export const LOGIN_ACTIONS = ["aws-actions/configure-aws-credentials", "google-github-actions/auth", "azure/login", "pulumi/auth-actions"];

/** Contexts whose values an outsider, a pull request or an earlier step can choose. */
const UNTRUSTED_CONTEXT = /\b(github\.event\b|github\.head_ref\b|github\s*\[|inputs\s*[.[]|steps\s*[.[]|needs\s*[.[]|env\s*[.[])|toJSON\(\s*github\s*\)/;

const PR_CODE = /github\.event\.pull_request\.head|github\.head_ref|github\.event\.workflow_run\.head|refs\/pull\//;

function events(on: AuditWorkflow["on"]): string[] {
    return typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on);
}

function permissionsOf(wf: AuditWorkflow, job: AuditJob): Record<string, string> {
    const p = job.permissions ?? wf.permissions ?? "write-all"; // GitHub's default may be write-all
    if (p === "write-all") return { "id-token": "write" };
    if (p === "read-all" || typeof p === "string") return {};
    return p;
}

/** Every `${{ }}` expression in `text`. */
function expressions(text: string): string[] {
    return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

/** The environment names a job's `environment:` can resolve to, over its matrix. */
export function environmentNames(job: AuditJob, inputs: Record<string, string[]> = {}): string[] {
    const raw = typeof job.environment === "object" ? job.environment.name : job.environment;
    if (raw === undefined) return [];
    const m = /^(.*)\$\{\{\s*(matrix|inputs)\.(\w+)\s*\}\}(.*)$/.exec(raw);
    if (!m) return [raw];
    const values = m[2] === "matrix" ? job.strategy?.matrix?.[m[3]] : inputs[m[3]];
    if (!Array.isArray(values)) return [raw]; // unresolvable: matches no environment
    return values.map((v) => `${m[1]}${String(v)}${m[4]}`);
}

/** What credentials a job holds, each described. */
export function credentialsOf(wf: AuditWorkflow, job: AuditJob): string[] {
    const held: string[] = [];
    const text = JSON.stringify({ env: wf.env, job });
    for (const e of expressions(text)) {
        // Any use of the secrets context but the job token: secrets.X, secrets[...], toJSON(secrets).
        for (const m of e.matchAll(/\bsecrets\b(?:\.([A-Za-z0-9_]+)|\s*\[)?/g)) {
            if (m[1] !== "GITHUB_TOKEN") held.push(m[1] ? `secrets.${m[1]}` : m[0].includes("[") ? "secrets[…]" : "the whole secrets context");
        }
    }
    if (job.secrets !== undefined) held.push("secrets passed to a reusable workflow");
    if (permissionsOf(wf, job)["id-token"] === "write") held.push("id-token: write");
    for (const step of job.steps ?? []) {
        const action = step.uses?.split("@")[0];
        if (action !== undefined && LOGIN_ACTIONS.includes(action)) held.push(`login step ${action}`);
    }
    return [...new Set(held)];
}

/** Every finding for one workflow file; none means it is safe by these rules. */
export function auditWorkflow(file: string, wf: AuditWorkflow, environments: readonly EnvironmentRule[]): string[] {
    const findings: string[] = [];
    const on = events(wf.on);
    const untrusted = on.filter((e) => UNTRUSTED_EVENTS.includes(e));
    const inputs: Record<string, string[]> = {};
    const dispatch = !Array.isArray(wf.on) && typeof wf.on === "object" ? (wf.on.workflow_dispatch as { inputs?: Record<string, { options?: string[] }> } | null) : null;
    for (const [k, v] of Object.entries(dispatch?.inputs ?? {})) if (v.options) inputs[k] = v.options;
    for (const [name, job] of Object.entries(wf.jobs)) {
        const where = `${file} job ${name}`;
        const held = credentialsOf(wf, job);
        const envs = environmentNames(job, inputs).map((n) => ({ name: n, rule: environments.find((e) => e.name === n) }));
        if (held.length > 0) {
            if (envs.length === 0) findings.push(`${where} holds ${held.join(", ")} outside any environment`);
            for (const e of envs) {
                if (e.rule === undefined) findings.push(`${where} holds ${held.join(", ")} in ${e.name}, which is not an environment of .github/scripts/trust.ts`);
                else if (untrusted.length > 0 && !e.rule.reviewers) {
                    findings.push(`${where} is reachable from ${untrusted.join(", ")} and holds ${held.join(", ")} in ${e.name}, which has no required reviewers`);
                } else if (untrusted.length === 0 && e.rule.branches !== "default branch only") {
                    findings.push(`${where} holds ${held.join(", ")} in ${e.name}, which admits any branch; a workflow no pull request starts must use a default-branch-only environment`);
                }
            }
        }
        if (on.includes("pull_request_target") || on.includes("workflow_run")) {
            for (const step of job.steps ?? []) {
                const checkout = step.uses?.split("@")[0] === "actions/checkout" && PR_CODE.test(JSON.stringify(step.with ?? {}));
                const fetches = /\bgh pr checkout\b|\bgit (fetch|checkout|pull)\b[^\n]*(pull\/|\$\{\{)/.test(step.run ?? "") && PR_CODE.test(step.run ?? "");
                if (checkout || fetches || /\bgh pr checkout\b/.test(step.run ?? "")) {
                    findings.push(`${where} checks out the pull request's code (step ${step.name ?? step.uses ?? "run"}) in a ${on.filter((e) => e === "pull_request_target" || e === "workflow_run").join("/")} workflow`);
                }
            }
        }
        for (const step of job.steps ?? []) {
            // Shell code, and the JavaScript of actions/github-script.
            const code: [string, string][] = [["run:", step.run ?? ""]];
            if (step.uses?.split("@")[0] === "actions/github-script") code.push(["script:", String(step.with?.script ?? "")]);
            for (const [where_, text] of code) {
                for (const e of expressions(text)) {
                    if (UNTRUSTED_CONTEXT.test(e)) findings.push(`${where} step ${step.name ?? "run"} puts \${{ ${e} }} inside ${where_}; pass it through env: instead`);
                }
            }
        }
    }
    return findings;
}
