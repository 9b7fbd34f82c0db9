// The few GitHub REST calls the workflow scripts make, over Node's fetch, with
// the workflow's own token. Kept thin: the decisions live in the scripts' pure
// functions, which tests/workflows.test.ts covers.

export interface GithubContext {
    readonly token: string;
    /** `owner/name`. */
    readonly repository: string;
    readonly apiUrl: string;
}

/** An environment variable a script cannot run without; a missing or empty one is an error naming it. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
    const value = env[name];
    if (!value) throw new Error(`${name} must be set`);
    return value;
}

/** The context GitHub Actions gives every step (GITHUB_REPOSITORY, GITHUB_API_URL) and the token the step passes. */
export function githubContextFromEnv(env: NodeJS.ProcessEnv = process.env): GithubContext {
    const token = env.GITHUB_TOKEN;
    const repository = env.GITHUB_REPOSITORY;
    if (!token || !repository) throw new Error("GITHUB_TOKEN and GITHUB_REPOSITORY must be set");
    return { token, repository, apiUrl: env.GITHUB_API_URL ?? "https://api.github.com" };
}

export interface IssueComment {
    readonly id: number;
    readonly body: string;
    readonly user: { readonly login: string; readonly type: string } | null;
    readonly created_at: string;
}

export interface Issue {
    readonly number: number;
    readonly title: string;
    readonly body: string | null;
    readonly state: string;
    readonly html_url: string;
    readonly pull_request?: unknown;
}

export class Github {
    constructor(private readonly ctx: GithubContext) {}

    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
        const response = await fetch(`${this.ctx.apiUrl}${path}`, {
            method,
            headers: {
                Accept: "application/vnd.github+json",
                Authorization: `Bearer ${this.ctx.token}`,
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "raxx-platform-workflows",
                ...(body === undefined ? {} : { "Content-Type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) {
            // The response body names the problem; it never holds the token.
            throw new Error(`GitHub ${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
        }
        return (response.status === 204 ? undefined : await response.json()) as T;
    }

    /** Every page of a list endpoint, 100 at a time. */
    async paginate<T>(path: string): Promise<T[]> {
        const all: T[] = [];
        const sep = path.includes("?") ? "&" : "?";
        for (let page = 1; ; page++) {
            const items = await this.request<T[]>("GET", `${path}${sep}per_page=100&page=${page}`);
            all.push(...items);
            if (items.length < 100) return all;
        }
    }

    private repo(path: string): string {
        return `/repos/${this.ctx.repository}${path}`;
    }

    listIssueComments(issue: number): Promise<IssueComment[]> {
        return this.paginate<IssueComment>(this.repo(`/issues/${issue}/comments`));
    }

    createIssueComment(issue: number, body: string): Promise<IssueComment> {
        return this.request("POST", this.repo(`/issues/${issue}/comments`), { body });
    }

    updateIssueComment(id: number, body: string): Promise<IssueComment> {
        return this.request("PATCH", this.repo(`/issues/comments/${id}`), { body });
    }

    deleteIssueComment(id: number): Promise<void> {
        return this.request("DELETE", this.repo(`/issues/comments/${id}`));
    }

    /** Open issues (not pull requests) opened by `creator`. */
    async listOpenIssues(creator: string): Promise<Issue[]> {
        const items = await this.paginate<Issue>(this.repo(`/issues?state=open&creator=${encodeURIComponent(creator)}`));
        return items.filter((i) => i.pull_request === undefined);
    }

    createIssue(title: string, body: string, labels: string[]): Promise<Issue> {
        return this.request("POST", this.repo("/issues"), { title, body, labels });
    }

    updateIssue(issue: number, fields: { body?: string; state?: "open" | "closed"; state_reason?: "completed" }): Promise<Issue> {
        return this.request("PATCH", this.repo(`/issues/${issue}`), fields);
    }
}

/** The bot that `github.token` acts as. */
export const ACTIONS_BOT = "github-actions[bot]";

/**
 * A workflow command line (`::error title=…::message`), escaped as the runner
 * unescapes it (actions/toolkit `command.ts`): a newline in a message from
 * the CLI or an API would otherwise end the command, and the runner would
 * obey the next line as a command of its own (`::add-mask::`, a forged
 * `::error::`). GitHub shows `%0A` in an annotation as a line break.
 */
export function workflowCommand(command: "error" | "warning" | "notice", message: string, properties: Readonly<Record<string, string>> = {}): string {
    const props = Object.entries(properties)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(",");
    return `::${command}${props === "" ? "" : ` ${props}`}::${escapeData(message)}`;
}

function escapeData(s: string): string {
    return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
    return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
