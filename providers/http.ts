// What the dynamic providers' HTTP clients share: bounded backoff, Retry-After,
// the reading of a reply, and message hygiene. Plain functions only: each
// provider's serialized text captures them by value, as it captures its own.

/** The last words of an error that a second run can fix. */
export const RUN_AGAIN = "then run Pulumi again";

/** Backoff knobs, as each client resolves them. */
export interface BackoffSettings {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
}

/** The delay before attempt `attempt + 1`: doubling from baseDelayMs, capped, half fixed and half jitter, so parallel resources do not retry in lockstep. */
export function backoff(settings: BackoffSettings, attempt: number): number {
    const capped = Math.min(settings.baseDelayMs * 2 ** (attempt - 1), settings.maxDelayMs);
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
    if (header === null || header.trim() === "") return undefined;
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The code of a network error (`ECONNREFUSED`, ...), or "" when it has none worth showing. */
export function networkErrorCode(e: unknown): string {
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
 * `fallback`. A malformed env value is added to `problems` (the first request
 * reports it) and the fallback is used.
 */
export function knob(given: number | undefined, env: string, fallback: number, min: number, problems: string[]): number {
    if (given !== undefined) return given;
    const raw = process.env[env];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
        problems.push(`${env} is "${raw.slice(0, 40)}", not an integer of at least ${min}). Set it to a whole number, or unset it for the default ${fallback}.`);
        return fallback;
    }
    return n;
}

/** `s` trimmed, or undefined when it is unset or blank. */
export function nonEmpty(s: string | undefined): string | undefined {
    return s === undefined || s.trim() === "" ? undefined : s.trim();
}
