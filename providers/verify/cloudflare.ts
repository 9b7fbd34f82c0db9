// Checks of a Cloudflare API token (made with the token itself, and with the stack's
// token for its policies) and of an Access service token (a request through Access).
import { sameSet } from "../http";
import { ClientSettings, CloudflareResponse, HttpOptions, cfRequest, isCloudflareApiError, resolveSettings } from "../cloudflare/client";
import { Attempt, CheckContext, checkFailed, retryUntil } from "./check";

/** One allow or deny policy of a token, as the program declares it. */
export interface TokenPolicy {
    readonly effect: string;
    readonly permissionGroupIds: readonly string[];
    readonly resources: Readonly<Record<string, string>>;
}

/** Client settings that send `token` instead of the stack's; messages name it as the credential. */
export function settingsWithToken(token: string, http: HttpOptions, source: string): ClientSettings {
    return { ...resolveSettings({ apiToken: token }, http), tokenSource: source };
}

/**
 * Before distribution: `GET /user/tokens/verify` with the new token answers it active and
 * with the issued id; then `GET /user/tokens/{id}`, with the stack's own token, shows
 * exactly the declared policies.
 */
export async function verifyApiToken(
    ctx: CheckContext,
    withToken: ClientSettings,
    stack: ClientSettings,
    expect: { tokenId: string; policies: readonly TokenPolicy[] },
): Promise<void> {
    // A token Cloudflare has just made may not be known everywhere yet: a refusal is asked
    // again until the deadline, any other failure is final.
    const verifyCtx = { ...ctx, check: "GET /user/tokens/verify with the new token" };
    const verified = await retryUntil(verifyCtx, async (): Promise<Attempt<CloudflareResponse<{ id?: unknown; status?: unknown }>>> => {
        try {
            return { done: await cfRequest<{ id?: unknown; status?: unknown }>({ ...withToken, maxAttempts: 1 }, { method: "GET", path: "/user/tokens/verify" }) };
        } catch (e) {
            if (isCloudflareApiError(e) && (e.status === 401 || e.status === 429 || e.status >= 500 || e.status === 0)) return { retry: `Cloudflare answered ${e.summary}` };
            return { fail: isCloudflareApiError(e) ? `Cloudflare answered ${e.summary}` : String(e) };
        }
    });
    const status = String(verified.result?.status ?? "unknown");
    const id = String(verified.result?.id ?? "none");
    if (status !== "active" || id !== expect.tokenId) {
        throw checkFailed(
            { ...ctx, check: "GET /user/tokens/verify with the new token" },
            `Cloudflare answered token ${id}, status ${status}; expected token ${expect.tokenId}, status active`,
            "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).",
        );
    }
    const path = `/user/tokens/${encodeURIComponent(expect.tokenId)}`;
    const read = await ask({ ...ctx, check: `GET ${path} with the stack's token` }, () =>
        cfRequest<{ policies?: unknown }>(stack, { method: "GET", path }),
    );
    const found = normalize(Array.isArray(read.result?.policies) ? read.result.policies : []);
    const declared = expect.policies.map((p) => JSON.stringify({ effect: p.effect, groups: [...p.permissionGroupIds].sort(), resources: sortKeys(p.resources) })).sort();
    if (!sameSet(found, declared) || found.length !== declared.length) {
        throw checkFailed(
            { ...ctx, check: `GET ${path} with the stack's token` },
            `its policies are ${found.join(", ") || "none"}; declared: ${declared.join(", ")}`,
            "Something changed the token after it was made: run `pulumi up` to put its policies back.",
        );
    }
}

/** After revocation: `GET /user/tokens/verify` with the old token is refused, or answers it no longer active. */
export async function confirmApiTokenRevoked(ctx: CheckContext, withOldToken: ClientSettings): Promise<void> {
    await retryUntil<void>(ctx, async (): Promise<Attempt<void>> => {
        try {
            // One request per try: the loop owns the retries, so the deadline bounds them all.
            const res = await cfRequest<{ status?: unknown }>({ ...withOldToken, maxAttempts: 1 }, { method: "GET", path: "/user/tokens/verify" });
            const status = String(res.result?.status ?? "unknown");
            return status === "active" ? { retry: "Cloudflare still answers the revoked token active" } : { done: undefined };
        } catch (e) {
            if (isCloudflareApiError(e) && (e.status === 401 || e.status === 403)) return { done: undefined };
            return { retry: `no clear answer: ${isCloudflareApiError(e) ? e.summary : String(e)}` };
        }
    });
}

/** A service token as the vault's Access application sees it. */
export interface ServiceToken {
    readonly clientId: string;
    readonly clientSecret: string;
}

/**
 * `GET <url>/api/status` with the service token's headers, redirects not followed: Access
 * admits it when the vault answers 2xx. A policy change takes seconds to reach every
 * Cloudflare location, so a refusal is asked again until the deadline.
 */
export async function confirmAccessAdmits(ctx: CheckContext, url: string, token: ServiceToken, timeoutMs: number): Promise<void> {
    await retryUntil<void>(ctx, async () => {
        const answer = await throughAccess(url, token, timeoutMs);
        return answer.admitted ? { done: undefined } : { retry: answer.words };
    });
}

async function throughAccess(url: string, token: ServiceToken, timeoutMs: number): Promise<{ admitted: boolean; words: string }> {
    const target = `${url.replace(/\/+$/, "")}/api/status`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
        const res = await fetch(target, {
            method: "GET",
            headers: { "CF-Access-Client-Id": token.clientId, "CF-Access-Client-Secret": token.clientSecret, "User-Agent": "raxx-platform-verify" },
            redirect: "manual",
            signal: controller.signal,
        });
        await res.arrayBuffer();
        return { admitted: res.status >= 200 && res.status < 300, words: `GET ${new URL(target).origin}/api/status answered ${res.status}` };
    } catch (e) {
        const code = (e as { cause?: { code?: unknown } }).cause?.code;
        const why = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : `network error${typeof code === "string" ? ` ${code}` : ""}`;
        return { admitted: false, words: `GET ${originOf(target)}/api/status got no answer (${why})` };
    } finally {
        clearTimeout(timer);
    }
}

function originOf(url: string): string {
    try {
        return new URL(url).origin;
    } catch {
        return "the vault";
    }
}

/** A token's policies as Cloudflare returns them, one comparable string each. */
function normalize(policies: unknown[]): string[] {
    return policies
        .map((p) => {
            const x = (p ?? {}) as { effect?: unknown; permission_groups?: unknown; resources?: unknown };
            const groups = Array.isArray(x.permission_groups) ? x.permission_groups.map((g) => String((g as { id?: unknown })?.id)).sort() : [];
            const resources = typeof x.resources === "object" && x.resources !== null ? sortKeys(x.resources as Record<string, unknown>) : {};
            return JSON.stringify({ effect: String(x.effect), groups, resources });
        })
        .sort();
}

function sortKeys(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

async function ask<T>(ctx: CheckContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (e) {
        throw checkFailed(ctx, isCloudflareApiError(e) ? `Cloudflare answered ${e.summary}` : String(e));
    }
}
