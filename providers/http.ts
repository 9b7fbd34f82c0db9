// What the dynamic providers' HTTP clients share: their knobs, the attempt loop with
// bounded backoff and Retry-After, the reading of a reply, and message hygiene; and the
// providers' `configure` and what their check and diff share. Plain functions and one plain
// base class: each provider's bundle (providers/bundle.ts) holds its own copy, and they still
// survive Pulumi's closure serializer, which a provider object passed straight to a dynamic
// resource goes through (the engine tier does that).

import type * as pulumi from "@pulumi/pulumi";

/** The last words of an error that a second run can fix. */
export const RUN_AGAIN = "then run Pulumi again";

/** Backoff knobs, as each client resolves them. */
export interface BackoffSettings {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
}

/**
 * Retry and timeout knobs, resolved. As options (`Partial<HttpKnobs>`), each unset field
 * falls back to the env var `<PREFIX>_HTTP_<NAME>` named below, PREFIX being the
 * provider's (HEROKU, INFISICAL, CLOUDFLARE), then to the default.
 */
export interface HttpKnobs extends BackoffSettings {
    /** Per-attempt timeout in ms. Env `<PREFIX>_HTTP_TIMEOUT_MS`; default 30000. */
    readonly timeoutMs: number;
    /** Attempts per request, the first included. Env `<PREFIX>_HTTP_MAX_ATTEMPTS`; default 5. */
    readonly maxAttempts: number;
    /** First backoff delay in ms, doubled per retry. Env `<PREFIX>_HTTP_BACKOFF_MS`; default 500. */
    readonly baseDelayMs: number;
    /** Cap on one backoff delay in ms. Env `<PREFIX>_HTTP_MAX_BACKOFF_MS`; default 8000. */
    readonly maxDelayMs: number;
    /** Cap on a server's `Retry-After` in ms. Env `<PREFIX>_HTTP_MAX_RETRY_AFTER_MS`; default 60000. */
    readonly maxRetryAfterMs: number;
}

const KNOBS: { readonly [K in keyof HttpKnobs]: { readonly env: string; readonly fallback: number; readonly min: number } } = {
    timeoutMs: { env: "TIMEOUT_MS", fallback: 30_000, min: 1 },
    maxAttempts: { env: "MAX_ATTEMPTS", fallback: 5, min: 1 },
    baseDelayMs: { env: "BACKOFF_MS", fallback: 500, min: 0 },
    maxDelayMs: { env: "MAX_BACKOFF_MS", fallback: 8_000, min: 0 },
    maxRetryAfterMs: { env: "MAX_RETRY_AFTER_MS", fallback: 60_000, min: 0 },
};

/** The knobs now: `given`, else `<prefix>_HTTP_<NAME>`, else the default; a malformed env value goes to `problems` (see `knob`). */
export function resolveKnobs(prefix: string, given: Partial<HttpKnobs>, problems: string[]): HttpKnobs {
    const setting = (k: keyof HttpKnobs): number => knob(given[k], `${prefix}_HTTP_${KNOBS[k].env}`, KNOBS[k].fallback, KNOBS[k].min, problems);
    // In this order, which decides the problem the first request reports.
    return {
        timeoutMs: setting("timeoutMs"),
        maxAttempts: setting("maxAttempts"),
        baseDelayMs: setting("baseDelayMs"),
        maxDelayMs: setting("maxDelayMs"),
        maxRetryAfterMs: setting("maxRetryAfterMs"),
    };
}

/** `raw` without trailing slashes when it is an http(s) URL; otherwise `problem` goes to `problems` and `fallback` is used. */
export function baseUrlOr(raw: string, fallback: string, problem: string, problems: string[]): string {
    const url = raw.replace(/\/+$/, "");
    // Stryker disable next-line Regex: unanchored at the end, one character not a slash matches exactly when one or more do
    if (/^https?:\/\/[^/]+/.test(url)) return url;
    problems.push(problem);
    return fallback;
}

/** One request as `sendWithRetries` sends it; the client keeps its own wording and errors in `noReply` and `read`. */
export interface Exchange<T> {
    readonly url: string;
    /** The fetch options, all but `signal`. */
    readonly init: RequestInit;
    /** False when sending twice could do a write twice: a 5xx or a lost reply is then final, a 429 (never processed) is still retried. */
    readonly retryable: boolean;
    /** How messages name the request, e.g. `Heroku API GET /account`. */
    readonly label: string;
    /** The base URL, whose origin a network error names; `server` (e.g. "the vault") when it is not a URL. */
    readonly baseUrl: string;
    readonly server: string;
    /** The error to throw when the last attempt got no reply. */
    readonly noReply: (x: NoReply) => Error;
    /** What a reply that is not retried for its status means: the result, or `{ again: true }` to send it again after backoff. Throws the client's error for a failure. */
    readonly read: (x: Reply) => Verdict<T>;
}

/** The last attempt, which got no reply. */
export interface NoReply {
    readonly timedOut: boolean;
    /** `<label> failed[ after <n> attempts]: no response (timed out after <ms> ms | network error reaching <origin>[: <code>]).` */
    readonly summary: string;
    readonly attempt: number;
}

export interface Reply {
    readonly res: Response;
    readonly text: string;
    /** Attempts made, this one included. */
    readonly attempt: number;
    /** ` after <n> attempts`, or "" on the first, for `<label> failed<tries>: …`. */
    readonly tries: string;
}

export type Verdict<T> = { readonly done: T } | { readonly again: true };

/**
 * Sends `x` at most `knobs.maxAttempts` times, each attempt bounded by `knobs.timeoutMs`:
 * retries 429 always, after `Retry-After` (capped) or backoff, and 5xx, timeouts and
 * network errors when `x.retryable`, after backoff. Any other reply goes to `x.read`.
 */
export async function sendWithRetries<T>(knobs: HttpKnobs, x: Exchange<T>): Promise<T> {
    let attempt = 0;
    for (;;) {
        attempt++;
        const got = await attemptOnce(x.url, x.init, knobs.timeoutMs);
        const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;

        if (!("res" in got)) {
            if (x.retryable && attempt < knobs.maxAttempts) {
                await sleep(backoff(knobs, attempt));
                continue;
            }
            const what = got.timedOut ? `timed out after ${knobs.timeoutMs} ms` : `network error reaching ${originOf(x.baseUrl, x.server)}${got.code ? `: ${got.code}` : ""}`;
            throw x.noReply({ timedOut: got.timedOut, summary: `${x.label} failed${tries}: no response (${what}).`, attempt });
        }
        const { res, text } = got;

        // A write that got a 5xx may have been applied: retrying it could do it twice.
        if ((res.status === 429 || (x.retryable && res.status >= 500)) && attempt < knobs.maxAttempts) {
            const after = retryAfterMs(res.headers.get("retry-after"));
            await sleep(after === undefined ? backoff(knobs, attempt) : Math.min(after, knobs.maxRetryAfterMs));
            continue;
        }

        const verdict = x.read({ res, text, attempt, tries });
        if ("done" in verdict) return verdict.done;
        await sleep(backoff(knobs, attempt));
    }
}

/** One attempt, bounded by `timeoutMs`: the reply and its body, or how it got none (`code`: see `networkErrorCode`). */
async function attemptOnce(url: string, init: RequestInit, timeoutMs: number): Promise<{ readonly res: Response; readonly text: string } | { readonly timedOut: boolean; readonly code: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
        const res = await fetch(url, { ...init, signal: controller.signal });
        return { res, text: await res.text() };
    } catch (e) {
        return { timedOut: controller.signal.aborted, code: networkErrorCode(e) };
    } finally {
        clearTimeout(timer);
    }
}

/** Masks each secret wherever it occurs, longest first, so one that contains another is masked whole. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
    let out = text;
    // Neither an undefined nor "" is a secret ("" would split the text at every character).
    const given = secrets.filter((x): x is string => Boolean(x));
    for (const s of given.sort((a, b) => b.length - a.length)) {
        out = out.split(s).join("[redacted]");
    }
    return out;
}

/** The delay before attempt `attempt + 1`: doubling from baseDelayMs, capped, half fixed and half jitter, so parallel resources do not retry in lockstep. */
export function backoff(settings: BackoffSettings, attempt: number): number {
    const capped = Math.min(settings.baseDelayMs * 2 ** (attempt - 1), settings.maxDelayMs);
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined;
    // Blank reads as no date below: Date.parse("") is NaN.
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The code of a network error (`ECONNREFUSED`, ...), or "" when it has none worth showing. */
function networkErrorCode(e: unknown): string {
    const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
    const code = cause?.code ?? (e as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "";
}

/** The origin of `baseUrl` (never its path or credentials), or `fallback` when it is not a URL. */
export function originOf(baseUrl: string, fallback: string): string {
    try {
        return new URL(baseUrl).origin;
    } catch {
        return fallback;
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A reply body as JSON: undefined for an empty one, not ok for one that is not JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
    if (text === "") return { ok: true, value: undefined };
    try {
        return { ok: true, value: JSON.parse(text) };
    } catch {
        return { ok: false };
    }
}

/** `s` on one line, without control characters, at most `max` characters. */
export function clean(s: string, max: number): string {
    // eslint-disable-next-line no-control-regex
    const flat = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `s`, ending with a full stop unless it ends a sentence already. */
export function sentence(s: string): string {
    return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * An integer knob: `given` by the caller, else the env var `env`, else
 * `fallback`. A malformed value, given or from the env, is added to `problems`
 * (the first request reports it, and nothing is sent) and the fallback is used.
 */
export function knob(given: number | undefined, env: string, fallback: number, min: number, problems: string[]): number {
    if (given !== undefined) {
        if (Number.isInteger(given) && given >= min) return given;
        // NaN would abort every request at once; a negative delay, spin: refuse it like a bad env value.
        problems.push(`${env} given in code is ${String(given)}, not an integer of at least ${min}). Pass a whole number, or leave it out for the default ${fallback}.`);
        return fallback;
    }
    const raw = process.env[env];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
        problems.push(`${env} is "${raw.slice(0, 40)}", not an integer of at least ${min}). Set it to a whole number, or unset it for the default ${fallback}.`);
        return fallback;
    }
    return n;
}

/** What every provider's API error carries; each provider adds its own fields. */
export interface ApiError<Name extends string> extends Error {
    readonly name: Name;
    readonly method: string;
    readonly path: string;
    /** HTTP status, or 0 when no response arrived (not sent, timeout, network error). */
    readonly status: number;
    /** Attempts made before giving up. */
    readonly attempts: number;
    /** True when a write may have been applied although it failed (no response, a 5xx, an unreadable success). */
    readonly outcomeUnknown: boolean;
    /** The message's first sentence, `<API> <method> <path> failed…: <status>.`, for callers that add their own advice. */
    readonly summary: string;
}

export interface ApiErrorFields {
    readonly method: string;
    readonly path: string;
    readonly status: number;
    readonly attempts?: number;
    readonly outcomeUnknown?: boolean;
    readonly summary?: string;
}

/**
 * Builds an API error named `name`, with the provider's own fields `own`. A factory, not a
 * class: the serialized provider would turn a `class extends Error` into a function that
 * calls Error on `this`, which sets no message, so the operator would read `undefined`.
 * Never give it an `id`: the provider host reads `e.id` as "created, but failed to initialize".
 */
export function apiError<Name extends string, Own extends object>(name: Name, message: string, fields: ApiErrorFields, own: Own): ApiError<Name> & Own {
    return Object.assign(new Error(message), {
        name,
        method: fields.method,
        path: fields.path,
        status: fields.status,
        ...own,
        attempts: fields.attempts ?? 1,
        outcomeUnknown: fields.outcomeUnknown ?? false,
        summary: fields.summary ?? message,
    });
}

/** Duck-typed, since a class test would fail on errors made by serialized code. */
export function isApiError(e: unknown, name: string): boolean {
    const x = e as { name?: unknown; status?: unknown } | null | undefined;
    return typeof x === "object" && x !== null && x.name === name && typeof x.status === "number";
}

/** The engine's placeholder for a value not known until apply (`pulumi preview`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * True when the engine runs new provider code against state written by other code. The
 * engine keeps `__provider` (the serialized provider) in each resource's state from its
 * last create or update and runs read and delete with that text, so a resource sees new
 * code only through an update: every provider reports this as a change.
 */
export function codeChanged(olds: object | undefined, news: object | undefined): boolean {
    const text = (x: object | undefined) => (x as { __provider?: unknown } | undefined)?.__provider;
    return text(olds) !== text(news);
}

/** True when `a` and `b` hold the same strings, ignoring order and repeats (scopes, token ids). */
export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    const norm = (x: readonly string[] | undefined) => JSON.stringify([...new Set(x ?? [])].sort());
    return norm(a) === norm(b);
}

/** `s` trimmed, or undefined when it is unset or blank. */
export function nonEmpty(s: string | undefined): string | undefined {
    return s === undefined || s.trim() === "" ? undefined : s.trim();
}

/**
 * What the dynamic providers share: HTTP knobs (plain numbers, safe to serialize) and the
 * credentials `configure` reads from stack config in the provider host. Nothing secret is
 * set while the program runs, so nothing secret is serialized.
 */
export abstract class ConfiguredProvider<Options extends object, Configured extends object> {
    /** Retry/timeout overrides; unset fields fall back to env vars, then defaults. */
    readonly httpOptions: Options;
    /** Filled by `configure` in the provider host only; empty in the program. */
    configured: Configured;

    constructor(httpOptions: Options) {
        this.httpOptions = { ...httpOptions };
        this.configured = {} as Configured;
    }

    /** The stack config key each field of `configured` is read from. */
    protected abstract configKeys(): { readonly [K in keyof Configured]-?: string };

    /** Called once by the dynamic provider host after it rebuilds the provider: reads `configKeys()`, secrets unwrapped. */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const keys: Record<string, string> = this.configKeys();
        this.configured = Object.fromEntries(Object.entries(keys).map(([field, key]) => [field, req.config.get(key)])) as Configured;
    }
}
