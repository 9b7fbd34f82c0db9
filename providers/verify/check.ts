// What every credential and consumer check shares: how a failure is worded, the bounded
// retry loop, and the hash that compares values without showing them. Plain functions:
// the checks' serialized text captures them by value (see providers/http.ts).
import { createHash } from "node:crypto";

import { maskSecrets } from "../http";

/** One check of one credential or consumer, as its messages name it. */
export interface CheckContext {
    /** The credential or consumer, e.g. `herokuPlatformToken slot b` or `heroku app raxx-api-prod HEROKU_API_KEY (herokuPlatformToken)`. */
    readonly subject: string;
    /** The check, e.g. `GET /account with the new token`. */
    readonly check: string;
    /** The whole check's time budget in ms, retries included. */
    readonly deadlineMs: number;
    /** Values no message may contain; masked wherever they occur. */
    readonly secrets: readonly string[];
}

/** The name every check failure carries, so callers can tell it from a bug. */
export const CHECK_FAILED = "CredentialCheckFailed";

/**
 * The error of a check that failed: `<subject>: <check> failed: <answer>. <advice>`, every
 * secret masked. A factory, not a class (see apiError in providers/http.ts).
 */
export function checkFailed(ctx: CheckContext, answer: string, advice = ""): Error {
    const tail = advice === "" ? "" : ` ${advice}`;
    const text = `${ctx.subject}: ${ctx.check} failed: ${answer.replace(/[.\s]+$/, "")}.${tail}`;
    return Object.assign(new Error(maskSecrets(text, ctx.secrets)), { name: CHECK_FAILED });
}

export function isCheckFailed(e: unknown): boolean {
    return typeof e === "object" && e !== null && (e as { name?: unknown }).name === CHECK_FAILED;
}

/** One try of a check: done with a result, not yet (why, in words, for the final message), or failed for good. */
export type Attempt<T> = { readonly done: T } | { readonly retry: string } | { readonly fail: string; readonly advice?: string };

/** First delay between tries in ms, doubled per try. Env `VERIFY_BACKOFF_MS`; default 1000. */
export const VERIFY_BACKOFF_ENV = "VERIFY_BACKOFF_MS";

/**
 * Runs `attempt` until it is done or fails for good, or until `ctx.deadlineMs` has passed:
 * then throws, naming the last reason to retry and how long it tried. Each try's own
 * timeout is the client's; the wait between tries doubles from VERIFY_BACKOFF_MS (default
 * 1000 ms), capped at 8 s and at the time left.
 */
export async function retryUntil<T>(ctx: CheckContext, attempt: () => Promise<Attempt<T>>): Promise<T> {
    const started = Date.now();
    const base = backoffMs();
    for (let n = 1; ; n++) {
        const a = await attempt();
        if ("done" in a) return a.done;
        if ("fail" in a) throw checkFailed(ctx, a.fail, a.advice);
        const left = ctx.deadlineMs - (Date.now() - started);
        if (left <= 0) {
            throw checkFailed(ctx, `${a.retry} (${n} ${n === 1 ? "try" : "tries"} within the check's limit of ${duration(ctx.deadlineMs)})`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(base * 2 ** (n - 1), 8000, left)));
    }
}

/** VERIFY_BACKOFF_MS when it is a whole number of at least 0, else 1000. */
export function backoffMs(): number {
    const raw = process.env[VERIFY_BACKOFF_ENV];
    const n = Number(raw);
    return raw !== undefined && raw.trim() !== "" && Number.isInteger(n) && n >= 0 ? n : 1000;
}

/** `ms` in words: milliseconds under a second, whole seconds above. */
export function duration(ms: number): string {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

/** The SHA-256 of `value`, hex: what a consumer check compares, so no value is ever shown. */
export function sha256(value: string): string {
    // A string is hashed as its UTF-8 bytes.
    return createHash("sha256").update(value).digest("hex");
}
