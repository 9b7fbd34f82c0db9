// providers/http.ts, the retry arithmetic every provider shares, with the clock and the
// jitter pinned: the fakes' tests (tests/<provider>/errors.test.ts) run it on real time,
// where a delay of 0 or a date read as nothing still passes.
import { strict as assert } from "node:assert";

import { backoff, knob, maskSecrets, resolveKnobs, retryAfterMs } from "../providers/http";
import { withEnv } from "./harness/serializedProvider";

/** Runs `run` with Math.random answering `r`. */
function withRandom<T>(r: number, run: () => T): T {
    const saved = Math.random;
    Math.random = () => r;
    try {
        return run();
    } finally {
        Math.random = saved;
    }
}

/** Runs `run` with Date.now answering `now`. */
function withNow<T>(now: number, run: () => T): T {
    const saved = Date.now;
    Date.now = () => now;
    try {
        return run();
    } finally {
        Date.now = saved;
    }
}

describe("providers/http.ts: retries", () => {
    describe("backoff", () => {
        const knobs = { baseDelayMs: 500, maxDelayMs: 8_000 };

        it("doubles from the base delay per attempt, half fixed and half jitter", () => {
            // attempt n: the capped delay d = 500 * 2^(n-1); the wait is d/2 + random * d/2.
            assert.deepEqual(
                [1, 2, 3, 4].map((n) => withRandom(0, () => backoff(knobs, n))),
                [250, 500, 1_000, 2_000],
            );
            assert.deepEqual(
                [1, 2, 3, 4].map((n) => withRandom(0.999_999, () => backoff(knobs, n))),
                [500, 1_000, 2_000, 4_000],
            );
            assert.equal(withRandom(0.5, () => backoff(knobs, 2)), 750);
        });

        it("never waits more than the cap, however many attempts", () => {
            assert.deepEqual(
                [5, 6, 30].map((n) => withRandom(0.999_999, () => backoff(knobs, n))),
                [8_000, 8_000, 8_000],
            );
            assert.equal(withRandom(0, () => backoff(knobs, 30)), 4_000);
            assert.equal(withRandom(0.999_999, () => backoff({ baseDelayMs: 500, maxDelayMs: 300 }, 1)), 300);
        });

        it("waits nothing only when told to: a base delay of 0", () => {
            assert.equal(withRandom(0.5, () => backoff({ baseDelayMs: 0, maxDelayMs: 8_000 }, 3)), 0);
        });
    });

    describe("Retry-After", () => {
        it("reads delay-seconds", () => {
            assert.deepEqual(["0", "1", "30", " 5 ", "120"].map(retryAfterMs), [0, 1_000, 30_000, 5_000, 120_000]);
        });

        it("reads an HTTP date as the time left until it, and a date past as no wait", () => {
            const now = Date.parse("2026-11-30T12:00:00Z");
            withNow(now, () => {
                assert.equal(retryAfterMs("Mon, 30 Nov 2026 12:00:07 GMT"), 7_000);
                assert.equal(retryAfterMs("Mon, 30 Nov 2026 12:01:00 GMT"), 60_000);
                assert.equal(retryAfterMs("Mon, 30 Nov 2026 11:59:00 GMT"), 0);
            });
        });

        it("is no answer when absent, blank or unreadable, so backoff decides", () => {
            assert.deepEqual([null, "", "   ", "soon", "-5 seconds"].map(retryAfterMs), [undefined, undefined, undefined, undefined, undefined]);
        });
    });

    describe("knobs", () => {
        const NAMES = ["TIMEOUT_MS", "MAX_ATTEMPTS", "BACKOFF_MS", "MAX_BACKOFF_MS", "MAX_RETRY_AFTER_MS"].map((n) => `TESTPROVIDER_HTTP_${n}`);
        const unset = Object.fromEntries(NAMES.map((n) => [n, ""]));

        it("default to 30 s per attempt, 5 attempts, 500 ms doubling to 8 s, and a 60 s cap on Retry-After", async () => {
            await withEnv(unset, async () => {
                const problems: string[] = [];
                assert.deepEqual(resolveKnobs("TESTPROVIDER", {}, problems), { timeoutMs: 30_000, maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 });
                assert.deepEqual(problems, []);
            });
        });

        it("read each from its own env var, <PREFIX>_HTTP_<NAME>", async () => {
            const env = Object.fromEntries(NAMES.map((n, i) => [n, String(i + 1)]));
            await withEnv(env, async () => {
                const problems: string[] = [];
                assert.deepEqual(resolveKnobs("TESTPROVIDER", {}, problems), { timeoutMs: 1, maxAttempts: 2, baseDelayMs: 3, maxDelayMs: 4, maxRetryAfterMs: 5 });
                assert.deepEqual(problems, []);
                // What code passes wins over the env.
                assert.equal(resolveKnobs("TESTPROVIDER", { maxRetryAfterMs: 70 }, problems).maxRetryAfterMs, 70);
            });
        });

        it("refuse a value that is not a whole number at or above the knob's minimum, and keep the default", async () => {
            await withEnv({ ...unset, TESTPROVIDER_HTTP_MAX_ATTEMPTS: "0", TESTPROVIDER_HTTP_MAX_RETRY_AFTER_MS: "1.5" }, async () => {
                const problems: string[] = [];
                const knobs = resolveKnobs("TESTPROVIDER", {}, problems);
                assert.deepEqual([knobs.maxAttempts, knobs.maxRetryAfterMs], [5, 60_000]);
                assert.deepEqual(problems, [
                    'TESTPROVIDER_HTTP_MAX_ATTEMPTS is "0", not an integer of at least 1). Set it to a whole number, or unset it for the default 5.',
                    'TESTPROVIDER_HTTP_MAX_RETRY_AFTER_MS is "1.5", not an integer of at least 0). Set it to a whole number, or unset it for the default 60000.',
                ]);
            });
            const problems: string[] = [];
            assert.equal(knob(Number.NaN, "X_HTTP_BACKOFF_MS", 500, 0, problems), 500);
            assert.equal(knob(-1, "X_HTTP_BACKOFF_MS", 500, 0, problems), 500);
            assert.equal(knob(0, "X_HTTP_BACKOFF_MS", 500, 0, problems), 0);
            assert.deepEqual(problems, [
                "X_HTTP_BACKOFF_MS given in code is NaN, not an integer of at least 0). Pass a whole number, or leave it out for the default 500.",
                "X_HTTP_BACKOFF_MS given in code is -1, not an integer of at least 0). Pass a whole number, or leave it out for the default 500.",
            ]);
        });
    });

    describe("maskSecrets", () => {
        it("masks every occurrence of each secret, longest first, and ignores empty ones", () => {
            assert.equal(maskSecrets("key abc123 and abc123xyz, again abc123", ["abc123", "abc123xyz", "", undefined]), "key [redacted] and [redacted], again [redacted]");
            assert.equal(maskSecrets("nothing here", []), "nothing here");
        });
    });
});
