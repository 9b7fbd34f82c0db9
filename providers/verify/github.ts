// What the GitHub API shows of an Actions secret: that it exists, and when it was last
// written. It never returns a value, so this is all a check can learn of one.
import { HttpKnobs, clean, parseJson, sendWithRetries } from "../http";
import { CheckContext, checkFailed } from "./check";

/** Environment variable with the token the checks read GitHub with (the GitHub provider's). */
export const GITHUB_TOKEN_ENV = "GITHUB_TOKEN";
/** Stack config key with that token; it wins over the environment. */
export const GITHUB_TOKEN_CONFIG = "github:token";
/** Environment variable overriding the API's base URL (tests point it at 127.0.0.1). */
export const GITHUB_API_URL_ENV = "GITHUB_API_URL";
export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

export interface GithubSecretPlace {
    readonly owner: string;
    readonly repository: string;
    /** A deployment environment; unset for a repository secret. */
    readonly environment?: string;
    readonly name: string;
}

export function secretApiPath(p: GithubSecretPlace): string {
    const repo = `/repos/${encodeURIComponent(p.owner)}/${encodeURIComponent(p.repository)}`;
    // https://docs.github.com/rest/actions/secrets: a repository's under /actions, an environment's under its environment.
    const scope = p.environment === undefined ? `${repo}/actions` : `${repo}/environments/${encodeURIComponent(p.environment)}`;
    return `${scope}/secrets/${encodeURIComponent(p.name)}`;
}

/** The secret's `updated_at`, with the stack's token; a 404 or any refusal fails the check. */
export async function githubSecretUpdatedAt(ctx: CheckContext, knobs: HttpKnobs, token: string | undefined, place: GithubSecretPlace): Promise<string> {
    const path = secretApiPath(place);
    const c = { ...ctx, check: `GET ${path}`, secrets: [...ctx.secrets, ...(token ? [token] : [])] };
    if (token === undefined || token === "") {
        throw checkFailed(
            c,
            `no GitHub token to read it with (${GITHUB_TOKEN_ENV} is not set, nor the secret stack config ${GITHUB_TOKEN_CONFIG})`,
            `Set ${GITHUB_TOKEN_ENV} to a token that can read the repository's Actions secrets, as the apply workflow does.`,
        );
    }
    const baseUrl = (process.env[GITHUB_API_URL_ENV] || DEFAULT_GITHUB_API_URL).replace(/\/+$/, "");
    const updatedAt = await sendWithRetries<string>(knobs, {
        url: baseUrl + path,
        init: { method: "GET", headers: { Accept: "application/vnd.github+json", Authorization: `Bearer ${token}`, "User-Agent": "raxx-platform-verify", "X-GitHub-Api-Version": "2022-11-28" } },
        retryable: true,
        label: `GitHub API GET ${path}`,
        baseUrl,
        server: "the GitHub API",
        noReply: (x) => checkFailed(c, x.summary),
        read: ({ res, text }) => {
            const parsed = parseJson(text);
            const body = (parsed.ok ? parsed.value : undefined) as { updated_at?: unknown; message?: unknown } | undefined;
            if (res.status === 200 && typeof body?.updated_at === "string") return { done: body.updated_at };
            const said = typeof body?.message === "string" ? `: ${clean(body.message, 200)}` : "";
            throw checkFailed(
                c,
                `GitHub answered ${res.status}${said}`,
                res.status === 404 ? "The secret is missing, or the token cannot see it: check the token's repository access." : "",
            );
        },
    });
    return updatedAt;
}
