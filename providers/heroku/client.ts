// A small Heroku Platform API (v3) client for the dynamic providers in this folder.
//
// Pulumi serializes the providers' closures into the `__provider` input and runs
// them in its provider host, so everything here must survive that: no `#private`
// fields, no captured `Output`s, only global `fetch`/`AbortController`/`setTimeout`,
// and credentials read from `process.env` (or from `configure`) at call time,
// never at module load.

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

/** Retry and timeout knobs. Each field falls back to its env var, then to the default. */
export interface HttpOptions {
    /** Per-attempt timeout in ms. Env `HEROKU_HTTP_TIMEOUT_MS`; default 30000. */
    readonly timeoutMs?: number;
    /** Attempts per request, the first included. Env `HEROKU_HTTP_MAX_ATTEMPTS`; default 5. */
    readonly maxAttempts?: number;
    /** First backoff delay in ms, doubled per retry. Env `HEROKU_HTTP_BACKOFF_MS`; default 500. */
    readonly baseDelayMs?: number;
    /** Cap on one backoff delay in ms. Env `HEROKU_HTTP_MAX_BACKOFF_MS`; default 8000. */
    readonly maxDelayMs?: number;
    /** Cap on a server's `Retry-After` in ms. Env `HEROKU_HTTP_MAX_RETRY_AFTER_MS`; default 60000. */
    readonly maxRetryAfterMs?: number;
}

/** Credentials a provider's `configure` read from stack config, if any. */
export interface ConfiguredCredentials {
    readonly apiKey?: string;
    readonly apiUrl?: string;
}

/** Everything one request needs, resolved at call time. */
export interface ClientSettings {
    readonly apiKey: string;
    /** Where the key came from, for error messages: an env var name or a stack config key. */
    readonly apiKeySource: string;
    readonly baseUrl: string;
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxRetryAfterMs: number;
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
    /** Added to the error when a write failed in a way that leaves its effect unknown (timeout, 5xx, reset). */
    readonly unknownOutcomeHint?: string;
}

export interface HerokuResponse<T> {
    readonly status: number;
    readonly body: T;
}

/**
 * A Platform API call that failed for good. The message names the method, path,
 * status and Heroku's error `id`/`message`, with every known secret masked.
 * (No `id` property: the dynamic provider host would read `e.id` as a half-created resource.)
 */
export class HerokuApiError extends Error {
    readonly method: string;
    readonly path: string;
    /** HTTP status, or 0 when no response arrived (timeout, network error). */
    readonly status: number;
    /** Heroku's error id, e.g. `not_found`, `unauthorized`, `rate_limit`. */
    readonly herokuId: string | undefined;
    /** Attempts made before giving up. */
    readonly attempts: number;

    constructor(message: string, method: string, path: string, status: number, herokuId: string | undefined, attempts: number) {
        super(message);
        this.name = "HerokuApiError";
        this.method = method;
        this.path = path;
        this.status = status;
        this.herokuId = herokuId;
        this.attempts = attempts;
    }
}

/** True when `e` is a Heroku 404 (the app or authorization does not exist, or this key cannot see it). */
export function isNotFound(e: unknown): boolean {
    return e instanceof HerokuApiError && e.status === 404;
}

const DEFAULTS = {
    timeoutMs: 30_000,
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    maxRetryAfterMs: 60_000,
};

const HTTP_ENV: Record<keyof typeof DEFAULTS, string> = {
    timeoutMs: "HEROKU_HTTP_TIMEOUT_MS",
    maxAttempts: "HEROKU_HTTP_MAX_ATTEMPTS",
    baseDelayMs: "HEROKU_HTTP_BACKOFF_MS",
    maxDelayMs: "HEROKU_HTTP_MAX_BACKOFF_MS",
    maxRetryAfterMs: "HEROKU_HTTP_MAX_RETRY_AFTER_MS",
};

/**
 * Resolves credentials and HTTP knobs now, from (highest first) stack config read by
 * `configure`, then the environment, then defaults. Throws if no API key is set.
 */
export function resolveSettings(configured: ConfiguredCredentials = {}, http: HttpOptions = {}): ClientSettings {
    const fromConfig = nonEmpty(configured.apiKey);
    const fromEnv = nonEmpty(process.env[HEROKU_API_KEY_ENV]);
    const apiKey = fromConfig ?? fromEnv;
    if (apiKey === undefined) {
        throw new Error(
            `${HEROKU_API_KEY_ENV} is not set: export a Heroku API key or OAuth token in ${HEROKU_API_KEY_ENV} ` +
                `(for example from \`heroku authorizations:create\`), or set the secret stack config ` +
                `\`pulumi config set --secret ${HEROKU_API_KEY_CONFIG} <token>\``,
        );
    }
    const apiKeySource = fromConfig !== undefined ? `stack config ${HEROKU_API_KEY_CONFIG}` : HEROKU_API_KEY_ENV;
    const rawUrl = nonEmpty(configured.apiUrl) ?? nonEmpty(process.env[HEROKU_API_URL_ENV]) ?? DEFAULT_HEROKU_API_URL;
    const baseUrl = rawUrl.replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
        throw new Error(`${HEROKU_API_URL_ENV} must be an http(s) URL such as ${DEFAULT_HEROKU_API_URL}`);
    }
    const knob = (k: keyof typeof DEFAULTS, min: number): number => {
        const given = http[k];
        if (given !== undefined) return given;
        const raw = process.env[HTTP_ENV[k]];
        if (raw === undefined || raw === "") return DEFAULTS[k];
        const n = Number(raw);
        if (!Number.isInteger(n) || n < min) {
            throw new Error(`${HTTP_ENV[k]} must be an integer of at least ${min}, got "${raw}"`);
        }
        return n;
    };
    return {
        apiKey,
        apiKeySource,
        baseUrl,
        timeoutMs: knob("timeoutMs", 1),
        maxAttempts: knob("maxAttempts", 1),
        baseDelayMs: knob("baseDelayMs", 0),
        maxDelayMs: knob("maxDelayMs", 0),
        maxRetryAfterMs: knob("maxRetryAfterMs", 0),
    };
}

function nonEmpty(s: string | undefined): string | undefined {
    return s === undefined || s.trim() === "" ? undefined : s.trim();
}

/**
 * Sends one Platform API request, retrying 429 always, and 5xx, timeouts and network
 * errors for idempotent methods (GET, PATCH, DELETE), with capped exponential backoff
 * that honours `Retry-After`.
 * Resolves with any 2xx; throws a sanitized `HerokuApiError` otherwise.
 */
export async function herokuRequest<T>(settings: ClientSettings, spec: RequestSpec): Promise<HerokuResponse<T>> {
    const url = settings.baseUrl + spec.path;
    const idempotent = spec.method !== "POST";
    const headers: Record<string, string> = {
        Accept: "application/vnd.heroku+json; version=3",
        Authorization: `Bearer ${settings.apiKey}`,
        "Content-Type": "application/json",
        "User-Agent": "raxx-platform-pulumi-heroku",
    };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const secrets = [settings.apiKey, ...(spec.secrets ?? [])];
    // Our own wording is masked for secrets only; Heroku's text also for plain values,
    // whole words, so a value like "on" cannot mangle "on GET /apps/...".
    const mask = (text: string) => redact(text, secrets);
    const where = `${spec.method} ${spec.path}`;

    let attempt = 0;
    for (;;) {
        attempt++;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
        let res: Response | undefined;
        let text = "";
        let failure: "timeout" | "network" | undefined;
        let networkCode = "";
        try {
            res = await fetch(url, { method: spec.method, headers, body, signal: controller.signal });
            text = await res.text();
        } catch (e) {
            if (controller.signal.aborted) {
                failure = "timeout";
            } else {
                failure = "network";
                networkCode = networkErrorCode(e);
            }
        } finally {
            clearTimeout(timer);
        }

        if (failure !== undefined || res === undefined) {
            const retryable = idempotent && attempt < settings.maxAttempts;
            if (retryable) {
                await sleep(backoff(settings, attempt));
                continue;
            }
            const what =
                failure === "timeout"
                    ? `timed out after ${settings.timeoutMs} ms`
                    : `could not reach ${originOf(settings.baseUrl)}${networkCode ? ` (${networkCode})` : ""}`;
            const tries = attempt === 1 ? "" : ` (${attempt} attempts)`;
            const unknown = spec.method !== "GET" && spec.unknownOutcomeHint ? `; ${spec.unknownOutcomeHint}` : "";
            throw new HerokuApiError(mask(`Heroku API ${where} ${what}${tries}${unknown}`), spec.method, spec.path, 0, undefined, attempt);
        }

        if (res.status >= 200 && res.status < 300) {
            return { status: res.status, body: parseJson(text) as T };
        }

        // A POST that got a 5xx may have been applied: retrying could mint a second token.
        const retryableStatus = res.status === 429 || (idempotent && res.status >= 500);
        if (retryableStatus && attempt < settings.maxAttempts) {
            const after = retryAfterMs(res.headers.get("retry-after"));
            const delay = after === undefined ? backoff(settings, attempt) : Math.min(after, settings.maxRetryAfterMs);
            await sleep(delay);
            continue;
        }

        const { herokuId, herokuMessage } = errorBody(text, (t) => redact(t, secrets, spec.values ?? []));
        const detail = `${res.status}${herokuId ? ` ${herokuId}` : ""}${herokuMessage ? `: ${herokuMessage}` : ""}`;
        const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;
        let message: string;
        if (res.status === 401) {
            message = `Heroku rejected the API key (${settings.apiKeySource}) on ${where}: ${sentence(detail)} Check that it is a valid, unrevoked Heroku API key or OAuth token.`;
        } else if (res.status === 403) {
            message = `The Heroku API key (${settings.apiKeySource}) lacks access for ${where}: ${sentence(detail)} Use a key whose account can manage this resource (scope global, or a team member with access).`;
        } else {
            message = `Heroku API ${where} failed${tries}: ${detail}`;
            if (spec.method !== "GET" && res.status >= 500 && spec.unknownOutcomeHint) {
                message = `${message.replace(/\.$/, "")}; ${spec.unknownOutcomeHint}`;
            }
        }
        throw new HerokuApiError(mask(message), spec.method, spec.path, res.status, herokuId, attempt);
    }
}

function sentence(s: string): string {
    return /[.!?]$/.test(s) ? s : `${s}.`;
}

function parseJson(text: string): unknown {
    if (text === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        throw new Error("Heroku API returned a success status with a body that is not JSON");
    }
}

/** Heroku error bodies look like `{"id":"not_found","message":"Couldn't find that app."}`. */
function errorBody(text: string, mask: (t: string) => string): { herokuId: string | undefined; herokuMessage: string | undefined } {
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

function clean(s: string, max: number): string {
    // eslint-disable-next-line no-control-regex
    const flat = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Masks secrets anywhere they occur, Heroku-style `HRKU-` tokens, and plain values as whole words. */
export function redact(text: string, secrets: readonly string[], values: readonly string[] = []): string {
    let out = text;
    const bySize = (a: string, b: string) => b.length - a.length;
    for (const s of [...secrets].filter((x) => typeof x === "string" && x !== "").sort(bySize)) {
        out = out.split(s).join("[redacted]");
    }
    out = out.replace(/HRKU-[A-Za-z0-9_-]+/g, "[redacted]");
    for (const v of [...values].filter((x) => typeof x === "string" && x !== "").sort(bySize)) {
        const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, "g"), "[redacted]");
    }
    return out;
}

function backoff(settings: ClientSettings, attempt: number): number {
    const exp = settings.baseDelayMs * 2 ** (attempt - 1);
    // Half fixed, half jitter, so parallel resources hitting a 5xx do not retry in lockstep.
    const capped = Math.min(exp, settings.maxDelayMs);
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
    if (header === null || header.trim() === "") return undefined;
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function networkErrorCode(e: unknown): string {
    const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
    const code = cause?.code ?? (e as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "";
}

function originOf(baseUrl: string): string {
    try {
        return new URL(baseUrl).origin;
    } catch {
        return "the Heroku API";
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
