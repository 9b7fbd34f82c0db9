// A small Cloudflare API v4 client for the dynamic provider in this folder.
//
// Like providers/heroku/client.ts and providers/infisical/client.ts, everything here must
// survive Pulumi's serialization of the provider: no classes with `#private` fields, no
// captured `Output`s, only global `fetch`/`AbortController`/`setTimeout`, the token read at
// call time (env, or what `configure` read from stack config), and errors built with
// `Object.assign(new Error())`.
//
// Every v4 reply is the envelope `{success, errors: [{code, message}], messages, result}`
// (and `result_info` on lists); a failure carries Cloudflare's codes in `errors`
// (cloudflare-go access_policy.go AccessPolicyListResponse/AccessPolicyDetailResponse; the
// `cloudflare` npm SDK's error shape, resources/zero-trust/access/applications/policies.ts's
// 4XX schema: `{errors: [{code, message, documentation_url, source}], messages, result, success}`).

import { ApiError, ApiErrorFields, HttpKnobs, RUN_AGAIN, apiError, baseUrlOr, clean, isApiError, maskSecrets, nonEmpty, parseJson, resolveKnobs, sendWithRetries, sentence } from "../http";

export { RUN_AGAIN };

/** Env var with the Cloudflare API token (the name @pulumi/cloudflare and wrangler read). */
export const CLOUDFLARE_API_TOKEN_ENV = "CLOUDFLARE_API_TOKEN";
/** Stack config key with the token; set it with `--secret`. Read through `configure`, as the Cloudflare provider's own key. */
export const CLOUDFLARE_API_TOKEN_CONFIG = "cloudflare:apiToken";
/** Env var overriding the API base URL (tests point it at 127.0.0.1). */
export const CLOUDFLARE_API_BASE_URL_ENV = "CLOUDFLARE_API_BASE_URL";
export const DEFAULT_CLOUDFLARE_API_BASE_URL = "https://api.cloudflare.com/client/v4";

/** Retry and timeout knobs. Each field falls back to its env var `CLOUDFLARE_HTTP_*` (see HttpKnobs), then to the default. */
export type HttpOptions = Partial<HttpKnobs>;

/** What `configure` read from stack config, if anything. */
export interface ConfiguredCredentials {
    readonly apiToken?: string;
}

/** Everything a request needs, resolved at call time. */
export interface ClientSettings extends HttpKnobs {
    readonly apiToken: string | undefined;
    /** Where the token came from, for messages: the env var or the stack config key. */
    readonly tokenSource: string;
    readonly baseUrl: string;
    /** Why no request can be sent, and what to do; reported by the first request. */
    readonly unusable?: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestSpec {
    readonly method: HttpMethod;
    /** Path under the base URL, already URL-encoded, e.g. `/accounts/<id>/access/apps/<id>`. */
    readonly path: string;
    readonly query?: Record<string, string>;
    readonly body?: unknown;
    /** False for a create that must not be repeated after a 5xx or a lost reply. Default true. */
    readonly retryable?: boolean;
    /** Replaces the generic advice when a write's outcome is unknown (no response, a 5xx). */
    readonly unknownOutcomeHint?: string;
}

/** A v4 reply that succeeded: the envelope's `result` and `result_info`. */
export interface CloudflareResponse<T> {
    readonly status: number;
    readonly result: T | undefined;
    readonly resultInfo: ResultInfo | undefined;
}

/** The envelope's `result_info` on a list (cloudflare-go ResultInfo). */
export interface ResultInfo {
    readonly page?: number;
    readonly per_page?: number;
    readonly count?: number;
    readonly total_count?: number;
    readonly total_pages?: number;
}

/** One entry of the envelope's `errors`. */
export interface CloudflareErrorEntry {
    readonly code: number | undefined;
    readonly message: string;
}

/** A Cloudflare call that failed for good. Its message names the method, path, status and what to do. */
export interface CloudflareApiError extends ApiError<"CloudflareApiError"> {
    /** The envelope's `errors`, messages masked. */
    readonly errors: readonly CloudflareErrorEntry[];
}

interface CloudflareErrorFields extends ApiErrorFields {
    readonly errors?: readonly CloudflareErrorEntry[];
}

/** Builds a CloudflareApiError (see `apiError`). */
export function cloudflareError(message: string, fields: CloudflareErrorFields): CloudflareApiError {
    return apiError("CloudflareApiError", message, fields, { errors: fields.errors ?? [] });
}

export function isCloudflareApiError(e: unknown): e is CloudflareApiError {
    return isApiError(e, "CloudflareApiError");
}

export function isNotFound(e: unknown): e is CloudflareApiError {
    return isCloudflareApiError(e) && e.status === 404;
}

const TOKEN_TODO =
    `Set an API token with the account permission "Access: Apps and Policies Edit" in ${CLOUDFLARE_API_TOKEN_ENV}, ` +
    `or in the secret stack config (\`pulumi config set --secret ${CLOUDFLARE_API_TOKEN_CONFIG} <token>\`).`;
export const URL_WORDS = `the API base URL (${CLOUDFLARE_API_BASE_URL_ENV}; default ${DEFAULT_CLOUDFLARE_API_BASE_URL})`;

/** The token and knobs now: stack config (via `configure`), then env, then defaults. Never throws. */
export function resolveSettings(configured: ConfiguredCredentials = {}, http: HttpOptions = {}): ClientSettings {
    const problems: string[] = [];
    const fromConfig = nonEmpty(configured.apiToken);
    const apiToken = fromConfig ?? nonEmpty(process.env[CLOUDFLARE_API_TOKEN_ENV]);
    if (apiToken === undefined) problems.push(`${CLOUDFLARE_API_TOKEN_ENV} is not set). ${TOKEN_TODO}`);
    const tokenSource = fromConfig !== undefined ? `stack config ${CLOUDFLARE_API_TOKEN_CONFIG}` : CLOUDFLARE_API_TOKEN_ENV;
    const baseUrl = baseUrlOr(
        nonEmpty(process.env[CLOUDFLARE_API_BASE_URL_ENV]) ?? DEFAULT_CLOUDFLARE_API_BASE_URL,
        DEFAULT_CLOUDFLARE_API_BASE_URL,
        `${URL_WORDS} is not an http(s) URL). Set it to ${DEFAULT_CLOUDFLARE_API_BASE_URL}, or unset it.`,
        problems,
    );
    const settings: ClientSettings = { apiToken, tokenSource, baseUrl, ...resolveKnobs("CLOUDFLARE", http, problems) };
    return problems.length === 0 ? settings : { ...settings, unusable: problems[0] };
}

/**
 * Sends one v4 request with `Authorization: Bearer <token>`, retrying 429 always (after
 * `Retry-After`: Cloudflare's rate limiter did not process the request), and 5xx, timeouts
 * and network errors unless `retryable` is false, with capped exponential backoff; at most
 * `maxAttempts` in all. Resolves with a 2xx envelope whose `success` is not false; throws a
 * masked CloudflareApiError otherwise.
 */
export async function cfRequest<T>(settings: ClientSettings, spec: RequestSpec): Promise<CloudflareResponse<T>> {
    const where = `${spec.method} ${spec.path}`;
    const write = spec.method !== "GET";
    const mask = (text: string) => maskSecrets(text, [settings.apiToken]);
    const fail = (message: string, f: Omit<CloudflareErrorFields, "method" | "path"> & { summary: string }) =>
        cloudflareError(mask(message), { method: spec.method, path: spec.path, ...f, summary: mask(f.summary) });

    if (settings.unusable !== undefined || settings.apiToken === undefined) {
        const summary = `Cloudflare API ${where} failed: no response (not sent: ${settings.unusable ?? `${CLOUDFLARE_API_TOKEN_ENV} is not set). ${TOKEN_TODO}`}`;
        throw fail(summary, { status: 0, attempts: 0, summary });
    }
    const query = spec.query === undefined ? "" : `?${new URLSearchParams(spec.query).toString()}`;
    const headers: Record<string, string> = {
        Accept: "application/json",
        Authorization: `Bearer ${settings.apiToken}`,
        "User-Agent": "raxx-platform-pulumi-cloudflare-access",
        ...(spec.body === undefined ? {} : { "Content-Type": "application/json" }),
    };
    // No body: JSON.stringify(undefined) is undefined.
    const body = JSON.stringify(spec.body) as string | undefined;

    return sendWithRetries<CloudflareResponse<T>>(settings, {
        url: settings.baseUrl + spec.path + query,
        init: { method: spec.method, headers, body, redirect: "manual" },
        retryable: spec.retryable ?? true,
        label: `Cloudflare API ${where}`,
        baseUrl: settings.baseUrl,
        server: "the Cloudflare API",
        noReply: ({ timedOut, summary, attempt }) => {
            const todo =
                write && spec.unknownOutcomeHint
                    ? spec.unknownOutcomeHint
                    : timedOut
                      ? `Check the network, ${RUN_AGAIN} (CLOUDFLARE_HTTP_TIMEOUT_MS sets the timeout of each attempt).`
                      : `Check the network and ${URL_WORDS}, ${RUN_AGAIN}.`;
            return fail(`${summary} ${todo}`, { status: 0, attempts: attempt, outcomeUnknown: write, summary });
        },
        read: ({ res, text, attempt, tries }) => {
            const parsed = parseJson(text);
            const envelope = parsed.ok && isEnvelope(parsed.value) ? parsed.value : undefined;
            const errors = envelope === undefined ? [] : errorEntries(envelope.errors, mask);

            if (res.status >= 200 && res.status < 300 && envelope !== undefined && envelope.success !== false) {
                return { done: { status: res.status, result: envelope.result as T | undefined, resultInfo: isObject(envelope.result_info) ? (envelope.result_info as ResultInfo) : undefined } };
            }
            if (res.status >= 200 && res.status < 300) {
                const summary = `Cloudflare API ${where} returned ${res.status} ${envelope === undefined ? "without a v4 envelope" : "with success false"}${errorWords(errors)}.`;
                const todo = write && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, ${RUN_AGAIN}.`;
                throw fail(`${summary} ${todo}`, { status: res.status, errors, attempts: attempt, outcomeUnknown: write, summary });
            }

            const summary = sentence(`Cloudflare API ${where} failed${tries}: ${res.status}${errorWords(errors)}`);
            const unknown = write && res.status >= 500;
            const fields = { status: res.status, errors, attempts: attempt, outcomeUnknown: unknown, summary };
            let message: string;
            if (res.status === 401 || res.status === 403) {
                message =
                    `${summary} Cloudflare refused the API token (${settings.tokenSource}): it is invalid, expired or revoked, or it lacks the account permission ` +
                    `"Access: Apps and Policies Edit" on this account. ${TOKEN_TODO}`;
            } else if (res.status === 429) {
                message = `${summary} Cloudflare's API rate limit is used up: wait five minutes for it to refill, ${RUN_AGAIN} (CLOUDFLARE_HTTP_MAX_ATTEMPTS sets how often a request is tried).`;
            } else if (res.status >= 500) {
                message = `${summary} ${unknown && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Cloudflare is failing: check https://www.cloudflarestatus.com, ${RUN_AGAIN}.`}`;
            } else {
                message = `${summary} Cloudflare refused the request: correct what its message names, ${RUN_AGAIN}.`;
            }
            throw fail(message, fields);
        },
    });
}

interface Envelope {
    success?: unknown;
    errors?: unknown;
    messages?: unknown;
    result?: unknown;
    result_info?: unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The v4 envelope: an object with a boolean `success` (and `errors`, `messages`, `result`). */
function isEnvelope(x: unknown): x is Envelope {
    return isObject(x) && typeof x.success === "boolean";
}

/** Up to five of the envelope's errors, each message masked, flattened and cut to 200 characters. */
export function errorEntries(errors: unknown, mask: (s: string) => string): CloudflareErrorEntry[] {
    if (!Array.isArray(errors)) return [];
    return errors.slice(0, 5).map((e) => {
        const entry = isObject(e) ? e : {};
        const code = typeof entry.code === "number" ? entry.code : undefined;
        const message = clean(mask(typeof entry.message === "string" ? entry.message : JSON.stringify(e ?? "")), 200);
        return { code, message };
    });
}

/** ` (10000 Authentication error; ...)`, or "" without errors. */
function errorWords(errors: readonly CloudflareErrorEntry[]): string {
    if (errors.length === 0) return "";
    return ` (${errors.map((e) => `${e.code === undefined ? "" : `${e.code} `}${e.message}`).join("; ")})`;
}
