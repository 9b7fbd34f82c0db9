// Shared set-up for the Heroku provider tests: a fake Heroku on 127.0.0.1, the env
// vars pointing at it, and fast retry settings so no test sleeps for real seconds.
import * as assert from "node:assert/strict";

import type { HttpOptions } from "../../providers/heroku";
import { FakeHeroku } from "./fakeHeroku";

/** Recognizable, so a leak into any message or serialized text is easy to spot. */
export const API_KEY = "HRKU-test-api-key-0b7e4c2d-do-not-leak";

/** Fast but still real: backoff and Retry-After caps in milliseconds. */
export const FAST: HttpOptions = { timeoutMs: 150, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 60 };

const ENV_KEYS = [
    "HEROKU_API_KEY",
    "HEROKU_API_URL",
    "HEROKU_HTTP_TIMEOUT_MS",
    "HEROKU_HTTP_MAX_ATTEMPTS",
    "HEROKU_HTTP_BACKOFF_MS",
    "HEROKU_HTTP_MAX_BACKOFF_MS",
    "HEROKU_HTTP_MAX_RETRY_AFTER_MS",
];

export interface FakeContext {
    heroku: FakeHeroku;
}

/**
 * Registers mocha hooks: a fresh fake Heroku per test, env pointing at it, and the
 * original env restored afterwards. Returns a holder filled in before each test.
 */
export function useFakeHeroku(opts: { hideTokenOnGet?: boolean } = {}): FakeContext {
    const ctx = {} as FakeContext;
    let saved: Record<string, string | undefined> = {};
    beforeEach(async () => {
        saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
        for (const k of ENV_KEYS) delete process.env[k];
        ctx.heroku = await new FakeHeroku({ apiKey: API_KEY, hideTokenOnGet: opts.hideTokenOnGet }).start();
        process.env.HEROKU_API_KEY = API_KEY;
        process.env.HEROKU_API_URL = ctx.heroku.url;
    });
    afterEach(async () => {
        await ctx.heroku.stop();
        for (const k of ENV_KEYS) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
    return ctx;
}

/** Awaits a promise that must reject, and returns its error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
        return e;
    }
    assert.fail("expected the call to fail, but it succeeded");
}

/** Fails if any secret occurs in the text (message, stack, or anything else). */
export function assertNoSecrets(text: string, secrets: readonly string[]): void {
    for (const s of secrets) {
        assert.ok(!text.includes(s), `a secret leaked into: ${text.replace(s, "<<LEAK>>")}`);
    }
}
