// A small Heroku Platform API (v3) client for the dynamic providers in this folder.
//
// The engine runs the providers in its provider host from the `__provider` text: the
// bundle of their module (providers/bundle.ts), or, for a provider object passed straight
// to a dynamic resource, Pulumi's closure serialization of it. Everything here works
// either way: no `#private` fields, no captured `Output`s, only global
// `fetch`/`AbortController`/`setTimeout`, and credentials read from `process.env` (or
// from `configure`) at call time, never at module load.

import { ApiError, ApiErrorFields, HttpKnobs, RUN_AGAIN, apiError, baseUrlOr, clean, isApiError, maskSecrets, nonEmpty, parseJson, resolveKnobs, sendWithRetries, sentence } from "../http";

export { RUN_AGAIN };

/** Environment variable holding the Heroku API key or OAuth token (the Heroku CLI's name). */
export const HEROKU_API_KEY_ENV = "HEROKU_API_KEY";
/** Environment variable overriding the Platform API base URL (tests point it at 127.0.0.1). */
export const HEROKU_API_URL_ENV = "HEROKU_API_URL";
/** Stack config key (project namespace) that overrides `HEROKU_API_KEY`; set it with `--secret`. */
export const HEROKU_API_KEY_CONFIG = "herokuApiKey";
/** Stack config key (project namespace) that overrides `HEROKU_API_URL`. */
export const HEROKU_API_URL_CONFIG = "herokuApiUrl";
/** Default Platform API base URL. */
export const DEFAULT_HEROKU_API_URL = "https://api.heroku.com";

/** Retry and timeout knobs. Each field falls back to its env var `HEROKU_HTTP_*` (see HttpKnobs), then to the default. */
export type HttpOptions = Partial<HttpKnobs>;

/** Credentials a provider's `configure` read from stack config, if any. */
export interface ConfiguredCredentials {
    readonly apiKey?: string;
    readonly apiUrl?: string;
    /** Stack config verifyCredentials: "false" turns off the revocation check of a deleted authorization. */
    readonly verify?: string;
}

/** Everything one request needs, resolved at call time. */
export interface ClientSettings extends HttpKnobs {
    /** Undefined when no key is set: every request then fails, naming HEROKU_API_KEY. */
    readonly apiKey: string | undefined;
    /** Where the key came from, for error messages: an env var name or a stack config key. */
    readonly apiKeySource: string;
    readonly baseUrl: string;
    /**
     * Why no request can be sent (no key, a malformed URL or knob), and what to do; unset
     * when all is well. Reported by the first request, so the error names the call.
     */
    readonly unusable?: string;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface RequestSpec {
    readonly method: HttpMethod;
    /** Path under the base URL, already URL-encoded, e.g. `/apps/raxx-api-prod/config-vars`. */
    readonly path: string;
    readonly body?: unknown;
    /** Secret strings (tokens, secret var values) that must never appear in an error; masked wherever found. */
    readonly secrets?: readonly string[];
    /** Non-secret values also kept out of errors (plain config var values); masked as whole words only. */
    readonly values?: readonly string[];
    /**
     * What to do when a write failed in a way that leaves its effect unknown (no response,
     * a 5xx, an unreadable success); a sentence, in place of the generic advice.
     */
    readonly unknownOutcomeHint?: string;
    /** A `Range` header, for a list endpoint (e.g. `id ..; max=1000`). */
    readonly range?: string;
}

export interface HerokuResponse<T> {
    readonly status: number;
    readonly body: T;
    /** On a 206 (a partial list), the `Range` that asks for the next page. */
    readonly nextRange?: string;
}

/**
 * A Platform API call that failed for good. The message names the method, path, status
 * (or "no response") and what to do, with every known secret masked.
 */
export interface HerokuApiError extends ApiError<"HerokuApiError"> {
    /** Heroku's error id, e.g. `not_found`, `unauthorized`, `rate_limit`. */
    readonly herokuId: string | undefined;
}

export interface HerokuErrorFields extends ApiErrorFields {
    readonly herokuId?: string;
}

/** Builds a HerokuApiError (see `apiError`). */
export function herokuError(message: string, fields: HerokuErrorFields): HerokuApiError {
    return apiError("HerokuApiError", message, fields, { herokuId: fields.herokuId });
}

export function isHerokuApiError(e: unknown): e is HerokuApiError {
    return isApiError(e, "HerokuApiError");
}

/** True when `e` is a Heroku 404 (the app or authorization does not exist, or this key cannot see it). */
export function isNotFound(e: unknown): boolean {
    return isHerokuApiError(e) && e.status === 404;
}

/** How messages name the base URL setting. */
export const API_URL_WORDS = "the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com)";

/**
 * Resolves credentials and HTTP knobs now, from (highest first) stack config read by
 * `configure`, then the environment, then defaults. Never throws: what makes requests
 * impossible is kept in `unusable` and reported by the first request.
 */
export function resolveSettings(configured: ConfiguredCredentials = {}, http: HttpOptions = {}): ClientSettings {
    const problems: string[] = [];
    const fromConfig = nonEmpty(configured.apiKey);
    const fromEnv = nonEmpty(process.env[HEROKU_API_KEY_ENV]);
    const apiKey = fromConfig ?? fromEnv;
    if (apiKey === undefined) {
        problems.push(
            `${HEROKU_API_KEY_ENV} is not set). Export a Heroku API key or OAuth token in ${HEROKU_API_KEY_ENV} ` +
                `(for example from \`heroku authorizations:create\`), or set the secret stack config with ` +
                `\`pulumi config set --secret ${HEROKU_API_KEY_CONFIG} <token>\`.`,
        );
    }
    const apiKeySource = fromConfig !== undefined ? `stack config ${HEROKU_API_KEY_CONFIG}` : HEROKU_API_KEY_ENV;
    const baseUrl = baseUrlOr(
        nonEmpty(configured.apiUrl) ?? nonEmpty(process.env[HEROKU_API_URL_ENV]) ?? DEFAULT_HEROKU_API_URL,
        DEFAULT_HEROKU_API_URL,
        `${API_URL_WORDS} is not an http(s) URL). Set it to the Platform API's base URL, such as ${DEFAULT_HEROKU_API_URL}, or unset it.`,
        problems,
    );
    const settings: ClientSettings = { apiKey, apiKeySource, baseUrl, ...resolveKnobs("HEROKU", http, problems) };
    // Only the first problem: each one reads "(not sent: <reason>). <what to do>".
    return problems.length === 0 ? settings : { ...settings, unusable: problems[0] };
}

/**
 * Sends one Platform API request, retrying 429 always, and 5xx, timeouts and network
 * errors for idempotent methods (GET, PATCH, DELETE), with capped exponential backoff
 * that honours `Retry-After`.
 * Resolves with any 2xx whose body is JSON (or empty); throws a sanitized HerokuApiError otherwise.
 */
export async function herokuRequest<T>(settings: ClientSettings, spec: RequestSpec): Promise<HerokuResponse<T>> {
    const where = `${spec.method} ${spec.path}`;
    const write = spec.method !== "GET";
    const secrets = [...(settings.apiKey === undefined ? [] : [settings.apiKey]), ...(spec.secrets ?? [])];
    // Our own wording is masked for secrets only; Heroku's text also for plain values,
    // whole words, so a value like "on" cannot mangle "on GET /apps/...".
    const mask = (text: string) => redact(text, secrets);
    const fail = (message: string, f: { status: number; herokuId?: string; attempts: number; outcomeUnknown?: boolean; summary: string }) =>
        herokuError(mask(message), { method: spec.method, path: spec.path, ...f, summary: mask(f.summary) });

    if (settings.unusable !== undefined || settings.apiKey === undefined) {
        const summary = `Heroku API ${where} failed: no response (not sent: ${settings.unusable ?? `${HEROKU_API_KEY_ENV} is not set).`}`;
        throw fail(summary, { status: 0, attempts: 0, summary });
    }
    const idempotent = spec.method !== "POST";
    const headers: Record<string, string> = {
        Accept: "application/vnd.heroku+json; version=3",
        Authorization: `Bearer ${settings.apiKey}`,
        "Content-Type": "application/json",
        "User-Agent": "raxx-platform-pulumi-heroku",
        ...(spec.range === undefined ? {} : { Range: spec.range }),
    };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    // A POST that got a 5xx may have been applied: retrying could mint a second token.
    return sendWithRetries<HerokuResponse<T>>(settings, {
        url: settings.baseUrl + spec.path,
        init: { method: spec.method, headers, body },
        retryable: idempotent,
        label: `Heroku API ${where}`,
        baseUrl: settings.baseUrl,
        server: "the Heroku API",
        noReply: ({ timedOut, summary, attempt }) => {
            const todo =
                write && spec.unknownOutcomeHint
                    ? spec.unknownOutcomeHint
                    : timedOut
                      ? `Check the network and https://status.heroku.com, ${RUN_AGAIN} (HEROKU_HTTP_TIMEOUT_MS sets the timeout of each attempt).`
                      : `Check the network and ${API_URL_WORDS}, ${RUN_AGAIN}.`;
            return fail(`${summary} ${todo}`, { status: 0, attempts: attempt, outcomeUnknown: write, summary });
        },
        read: ({ res, text, attempt, tries }) => {
            if (res.status >= 200 && res.status < 300) {
                const parsed = parseJson(text);
                const nextRange = res.status === 206 ? res.headers.get("next-range") : null;
                if (parsed.ok) return { done: { status: res.status, body: parsed.value as T, ...(nextRange ? { nextRange } : {}) } };
                const summary = `Heroku API ${where} returned ${res.status} with a body that is not JSON.`;
                const todo = write && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Something other than the Platform API answered: check ${API_URL_WORDS} and any proxy on the way, ${RUN_AGAIN}.`;
                throw fail(`${summary} ${todo}`, { status: res.status, herokuId: "not_json", attempts: attempt, outcomeUnknown: write, summary });
            }

            const { herokuId, herokuMessage } = errorBody(text, (t) => redact(t, secrets, spec.values));
            const detail = `${res.status}${herokuId ? ` ${herokuId}` : ""}${herokuMessage ? `: ${herokuMessage}` : ""}`;
            const summary = sentence(`Heroku API ${where} failed${tries}: ${detail}`);
            const unknown = write && res.status >= 500;
            let message: string;
            if (res.status === 401) {
                message =
                    `Heroku rejected the API key (${settings.apiKeySource}) on ${where}: ${sentence(detail)} ` +
                    `Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in ${HEROKU_API_KEY_ENV} or the secret stack config ${HEROKU_API_KEY_CONFIG}.`;
            } else if (res.status === 403) {
                message =
                    `The Heroku API key (${settings.apiKeySource}) lacks access for ${where}: ${sentence(detail)} ` +
                    "Use a key whose account can manage this resource (scope global, or a collaborator or team member with access to the app).";
            } else if (res.status === 429) {
                message = `${summary} Heroku's rate limit for this API key is used up: wait a few minutes for it to refill, ${RUN_AGAIN}.`;
            } else if (res.status >= 500) {
                message = `${summary} ${unknown && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Heroku is failing: check https://status.heroku.com, ${RUN_AGAIN}.`}`;
            } else {
                message = `${summary} Heroku refused the request: correct what its message names, ${RUN_AGAIN}.`;
            }
            throw fail(message, { status: res.status, herokuId, attempts: attempt, outcomeUnknown: unknown, summary });
        },
    });
}

/** Heroku error bodies look like `{"id":"not_found","message":"Couldn't find that app."}`. */
export function errorBody(text: string, mask: (t: string) => string): { herokuId: string | undefined; herokuMessage: string | undefined } {
    try {
        const parsed = JSON.parse(text) as { id?: unknown; message?: unknown };
        const herokuId = typeof parsed.id === "string" ? clean(mask(parsed.id), 60) : undefined;
        const herokuMessage = typeof parsed.message === "string" ? clean(mask(parsed.message), 300) : undefined;
        return { herokuId, herokuMessage };
    } catch {
        // Not JSON (an HTML error page from a proxy, say): the status alone is safer than echoing it.
        return { herokuId: undefined, herokuMessage: undefined };
    }
}

/** Masks secrets anywhere they occur, Heroku-style `HRKU-` tokens, and plain values as whole words. */
export function redact(text: string, secrets: readonly string[], values?: readonly string[]): string {
    let out = maskSecrets(text, secrets).replace(/HRKU-[A-Za-z0-9_-]+/g, "[redacted]");
    if (values === undefined) return out;
    for (const v of [...values].filter((x) => typeof x === "string" && x !== "").sort((a, b) => b.length - a.length)) {
        const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, "g"), "[redacted]");
    }
    return out;
}

