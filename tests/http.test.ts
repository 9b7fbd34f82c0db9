// providers/http.ts, the retry arithmetic every provider shares, with the clock and the
// jitter pinned: the fakes' tests (tests/<provider>/errors.test.ts) run it on real time,
// where a delay of 0 or a date read as nothing still passes.
import { strict as assert } from "node:assert";

import type * as pulumi from "@pulumi/pulumi";

import {
    ConfiguredProvider,
    Exchange,
    HttpKnobs,
    apiError,
    backoff,
    baseUrlOr,
    clean,
    codeChanged,
    isApiError,
    knob,
    maskSecrets,
    nonEmpty,
    originOf,
    parseJson,
    resolveKnobs,
    retryAfterMs,
    sameSet,
    sendWithRetries,
    sentence,
} from "../providers/http";
import { freshCopy, withEnv } from "./harness/serializedProvider";

/** providers/http.ts loaded anew, inside the calling test (freshCopy). */
const freshHttp = () => freshCopy<typeof import("../providers/http")>(require.resolve("../providers/http"));

/** Runs `run` with `obj[key]` replaced by `value`, then puts it back. */
function withStub<O extends object, K extends keyof O, T>(obj: O, key: K, value: O[K], run: () => T): T {
    const saved = obj[key];
    obj[key] = value;
    try {
        return run();
    } finally {
        obj[key] = saved;
    }
}

/** Runs `run` with Math.random answering `r`. */
const withRandom = <T>(r: number, run: () => T): T => withStub(Math, "random", () => r, run);

/** Runs `run` with Date.now answering `now`. */
const withNow = <T>(now: number, run: () => T): T => withStub(Date, "now", () => now, run);

/** What the fake fetch does on one call: answer, throw, or act on the request's abort signal. */
type Answer = Response | { readonly throws: unknown } | ((signal: AbortSignal) => Promise<Response>);

/** What `sendWithRetries` did under `withFetch`: its result or error, the URLs it fetched, and every delay it gave setTimeout (each attempt's timer, each wait). */
interface Run {
    readonly result?: string;
    readonly error?: unknown;
    readonly urls: string[];
    readonly delays: number[];
}

/**
 * Runs `sendWithRetries(knobs, x)` with fetch answering `answers` in turn (one more call
 * fails the test), setTimeout noting its delays, and Math.random answering 0.5: with
 * baseDelayMs 8, the waits after attempts 1, 2 and 3 are 6, 12 and 24 ms.
 */
async function withFetch(knobs: HttpKnobs, x: Exchange<string>, answers: Answer[]): Promise<Run> {
    const saved = { fetch: globalThis.fetch, setTimeout: globalThis.setTimeout, random: Math.random };
    const urls: string[] = [];
    const delays: number[] = [];
    globalThis.fetch = (async (url: string, init: RequestInit) => {
        urls.push(url);
        const answer = answers[urls.length - 1];
        if (answer === undefined) throw new Error(`fetch called ${urls.length} times`);
        if (typeof answer === "function") return answer(init.signal as AbortSignal);
        if ("throws" in answer) throw answer.throws;
        return answer;
    }) as typeof fetch;
    globalThis.setTimeout = ((run: () => void, ms: number) => {
        delays.push(ms);
        return saved.setTimeout(run, ms);
    }) as typeof setTimeout;
    Math.random = () => 0.5;
    try {
        return { result: await sendWithRetries(knobs, x), urls, delays };
    } catch (error) {
        return { error, urls, delays };
    } finally {
        globalThis.fetch = saved.fetch;
        globalThis.setTimeout = saved.setTimeout;
        Math.random = saved.random;
    }
}

const KNOBS: HttpKnobs = { timeoutMs: 5_000, maxAttempts: 3, baseDelayMs: 8, maxDelayMs: 1_000, maxRetryAfterMs: 20 };

/** A request as a client sends it: `read` answers with what it was given, `noReply` with an error carrying what it was given. */
function exchange(fields: Partial<Exchange<string>> = {}): Exchange<string> {
    return {
        url: "https://api.example.com/v1/things?page=2",
        init: { method: "GET" },
        retryable: true,
        label: "Example API GET /things",
        baseUrl: "https://user:hunter2@api.example.com/v1",
        server: "the example API",
        noReply: ({ timedOut, summary, attempt }) => Object.assign(new Error(summary), { timedOut, attempt }),
        read: ({ res, text, attempt, tries }) => ({ done: `${res.status} ${text} (attempt ${attempt}, tries "${tries}")` }),
        ...fields,
    };
}

function reply(status: number, text = "", headers: Record<string, string> = {}): Response {
    return new Response(text, { status, headers });
}

/** A network error as Node's fetch throws it: a TypeError whose cause has the code. */
function networkError(code: unknown): { throws: unknown } {
    return { throws: new TypeError("fetch failed", { cause: { code } }) };
}

/** The error a run ended with, as the message and the fields noReply was given. */
function noReply(run: Run): { message: string; timedOut: boolean; attempt: number } {
    assert.ok(run.error instanceof Error, String(run.error));
    const { message, timedOut, attempt } = run.error as Error & { timedOut: boolean; attempt: number };
    return { message, timedOut, attempt };
}

describe("providers/http.ts: retries", () => {
    describe("sendWithRetries", () => {
        it("sends once when the first reply is read as done, its timer cleared: the request's signal never aborts", async () => {
            let signal: AbortSignal | undefined;
            const run = await withFetch({ ...KNOBS, timeoutMs: 20 }, exchange(), [
                async (s) => {
                    signal = s;
                    return reply(200, "ok");
                },
            ]);
            assert.deepEqual(run, { result: '200 ok (attempt 1, tries "")', urls: ["https://api.example.com/v1/things?page=2"], delays: [20] });
            await new Promise((resolve) => setTimeout(resolve, 60));
            assert.equal(signal?.aborted, false);
        });

        it("retries a 429 even when the request is not retryable, after its Retry-After capped at maxRetryAfterMs", async () => {
            const run = await withFetch(KNOBS, exchange({ retryable: false }), [reply(429, "slow", { "retry-after": "1" }), reply(429, "slow", { "retry-after": "0" }), reply(200, "ok")]);
            assert.deepEqual(run.result, '200 ok (attempt 3, tries " after 3 attempts")');
            assert.deepEqual(run.delays, [5_000, 20, 5_000, 0, 5_000]);
        });

        it("waits the backoff after a 429 without a usable Retry-After", async () => {
            const run = await withFetch(KNOBS, exchange({ retryable: false }), [reply(429, "slow"), reply(429, "slow", { "retry-after": "soon" }), reply(200, "ok")]);
            assert.deepEqual(run.result, '200 ok (attempt 3, tries " after 3 attempts")');
            assert.deepEqual(run.delays, [5_000, 6, 5_000, 12, 5_000]);
        });

        it("retries a 5xx (500 included) only when the request is retryable, and reads a 499 at once", async () => {
            const retried = await withFetch(KNOBS, exchange(), [reply(500, "down"), reply(503, "busy", { "retry-after": "0" }), reply(201, "made")]);
            assert.deepEqual(retried.result, '201 made (attempt 3, tries " after 3 attempts")');
            assert.deepEqual(retried.delays, [5_000, 6, 5_000, 0, 5_000]);
            const write = await withFetch(KNOBS, exchange({ retryable: false }), [reply(503, "busy")]);
            assert.deepEqual([write.result, write.urls.length], ['503 busy (attempt 1, tries "")', 1]);
            const client = await withFetch(KNOBS, exchange(), [reply(499, "gone")]);
            assert.deepEqual([client.result, client.urls.length], ['499 gone (attempt 1, tries "")', 1]);
        });

        it("gives the last attempt's reply to read, whatever its status, after maxAttempts attempts", async () => {
            const run = await withFetch(KNOBS, exchange(), [reply(429, "slow"), reply(502, "bad"), reply(429, "still slow")]);
            assert.deepEqual(run.result, '429 still slow (attempt 3, tries " after 3 attempts")');
            assert.equal(run.urls.length, 3);
            const once = await withFetch({ ...KNOBS, maxAttempts: 1 }, exchange(), [reply(503, "busy")]);
            assert.deepEqual([once.result, once.urls.length], ['503 busy (attempt 1, tries "")', 1]);
        });

        it("sends again after the backoff when read asks for it", async () => {
            let reads = 0;
            const run = await withFetch(KNOBS, exchange({ read: ({ text }) => (++reads === 1 ? { again: true } : { done: text }) }), [reply(200, "not yet"), reply(200, "ready")]);
            assert.deepEqual(run, { result: "ready", urls: ["https://api.example.com/v1/things?page=2", "https://api.example.com/v1/things?page=2"], delays: [5_000, 6, 5_000] });
        });

        it("retries a network error when the request is retryable, then names the origin only (no path, no credentials) and the error's code", async () => {
            const run = await withFetch(KNOBS, exchange(), [networkError("ECONNREFUSED"), networkError("ECONNREFUSED"), networkError("ECONNREFUSED")]);
            assert.deepEqual(noReply(run), {
                message: "Example API GET /things failed after 3 attempts: no response (network error reaching https://api.example.com: ECONNREFUSED).",
                timedOut: false,
                attempt: 3,
            });
            assert.deepEqual(run.delays, [5_000, 6, 5_000, 12, 5_000]);
        });

        it("sends a write that got no reply once: it may have been applied", async () => {
            const run = await withFetch(KNOBS, exchange({ retryable: false }), [networkError("ECONNRESET")]);
            assert.deepEqual(noReply(run), { message: "Example API GET /things failed: no response (network error reaching https://api.example.com: ECONNRESET).", timedOut: false, attempt: 1 });
            assert.deepEqual(run.delays, [5_000]);
        });

        it("counts a reply whose body breaks off as no reply", async () => {
            const broken = new Response(
                new ReadableStream({
                    pull(c) {
                        c.error(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
                    },
                }),
            );
            const run = await withFetch({ ...KNOBS, maxAttempts: 2 }, exchange(), [broken, reply(200, "ok")]);
            assert.deepEqual(run.result, '200 ok (attempt 2, tries " after 2 attempts")');
            const write = await withFetch(KNOBS, exchange({ retryable: false }), [
                new Response(
                    new ReadableStream({
                        pull(c) {
                            c.error(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
                        },
                    }),
                ),
            ]);
            assert.deepEqual(noReply(write), { message: "Example API GET /things failed: no response (network error reaching https://api.example.com: ECONNRESET).", timedOut: false, attempt: 1 });
        });

        it("shows a network error's code only when it is one (upper case and underscores), from its cause or itself", async () => {
            const shown = async (answer: Answer) => noReply(await withFetch({ ...KNOBS, maxAttempts: 1 }, exchange(), [answer])).message.replace(/^.*reaching /, "");
            assert.deepEqual(
                [
                    await shown(networkError("UND_ERR_SOCKET")),
                    await shown({ throws: Object.assign(new Error("connect"), { code: "ENOTFOUND" }) }),
                    await shown({ throws: new TypeError("fetch failed") }),
                    await shown({ throws: undefined }),
                    await shown(networkError(42)),
                    await shown(networkError(["ECONNRESET"])),
                    await shown(networkError("token abc rejected")),
                    await shown(networkError("x_ECONNRESET")),
                    await shown(networkError("ECONNRESET x")),
                ],
                [
                    "https://api.example.com: UND_ERR_SOCKET).",
                    "https://api.example.com: ENOTFOUND).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                    "https://api.example.com).",
                ],
            );
        });

        it("names the server when the base URL is not a URL", async () => {
            const run = await withFetch({ ...KNOBS, maxAttempts: 1 }, exchange({ baseUrl: "vault", server: "the vault" }), [{ throws: new TypeError("fetch failed") }]);
            assert.equal(noReply(run).message, "Example API GET /things failed: no response (network error reaching the vault).");
        });

        it("aborts an attempt after timeoutMs, retries it when retryable, and says it timed out", async () => {
            const hang = (signal: AbortSignal) => new Promise<Response>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
            const run = await withFetch({ ...KNOBS, timeoutMs: 30, maxAttempts: 2 }, exchange(), [hang, hang]);
            assert.deepEqual(noReply(run), { message: "Example API GET /things failed after 2 attempts: no response (timed out after 30 ms).", timedOut: true, attempt: 2 });
            assert.deepEqual(run.delays, [30, 6, 30]);
            const write = await withFetch({ ...KNOBS, timeoutMs: 30 }, exchange({ retryable: false }), [hang]);
            assert.deepEqual(noReply(write), { message: "Example API GET /things failed: no response (timed out after 30 ms).", timedOut: true, attempt: 1 });
        });
    });

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
            assert.deepEqual([null, "", "   ", "soon", "-5 seconds", "x5", "5x"].map(retryAfterMs), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
        });
    });

    describe("knobs", () => {
        const NAMES = ["TIMEOUT_MS", "MAX_ATTEMPTS", "BACKOFF_MS", "MAX_BACKOFF_MS", "MAX_RETRY_AFTER_MS"].map((n) => `TESTPROVIDER_HTTP_${n}`);
        const unset = Object.fromEntries(NAMES.map((n) => [n, ""]));

        it("default to 30 s per attempt, 5 attempts, 500 ms doubling to 8 s, and a 60 s cap on Retry-After", async () => {
            await withEnv(unset, async () => {
                const problems: string[] = [];
                assert.deepEqual(freshHttp().resolveKnobs("TESTPROVIDER", {}, problems), { timeoutMs: 30_000, maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 });
                assert.deepEqual(problems, []);
            });
        });

        it("read each from its own env var, <PREFIX>_HTTP_<NAME>", async () => {
            const env = Object.fromEntries(NAMES.map((n, i) => [n, String(i + 1)]));
            await withEnv(env, async () => {
                const problems: string[] = [];
                assert.deepEqual(freshHttp().resolveKnobs("TESTPROVIDER", {}, problems), { timeoutMs: 1, maxAttempts: 2, baseDelayMs: 3, maxDelayMs: 4, maxRetryAfterMs: 5 });
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
            await withEnv({ X_HTTP_TIMEOUT_MS: `${"9".repeat(39)}.5 and more` }, async () => {
                const problems: string[] = [];
                assert.equal(knob(undefined, "X_HTTP_TIMEOUT_MS", 30_000, 1, problems), 30_000);
                assert.deepEqual(problems, [`X_HTTP_TIMEOUT_MS is "${"9".repeat(39)}.", not an integer of at least 1). Set it to a whole number, or unset it for the default 30000.`]);
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

    describe("what messages show", () => {
        it("originOf: the scheme, host and port of a URL, never its path, query or credentials; the fallback for anything else", () => {
            assert.deepEqual(
                ["https://user:hunter2@api.example.com/v1/apps?key=abc", "http://127.0.0.1:8080/", "https://api.cloudflare.com/client/v4", "the vault", ""].map((u) => originOf(u, "the API")),
                ["https://api.example.com", "http://127.0.0.1:8080", "https://api.cloudflare.com", "the API", "the API"],
            );
        });

        it("parseJson: an empty body is no value, a body that is not JSON is not ok", () => {
            assert.deepEqual(
                ["", '{"id":"a1"}', "null", "<html>", " "].map(parseJson),
                [{ ok: true, value: undefined }, { ok: true, value: { id: "a1" } }, { ok: true, value: null }, { ok: false }, { ok: false }],
            );
        });

        it("clean: one line, each run of control characters one space, trimmed, cut at max with an ellipsis", () => {
            assert.deepEqual(
                [clean("  line one\r\n\tline two\u0007\u007f ", 100), clean("abcdef", 3), clean("abc", 3), clean(" ab \n", 2)],
                ["line one line two", "abc…", "abc", "ab"],
            );
        });

        it("sentence: a full stop unless the text ends one already", () => {
            assert.deepEqual(["Not found", "Not found.", "Slow down!", "Who?", "v1.2 failed", ""].map(sentence), ["Not found.", "Not found.", "Slow down!", "Who?", "v1.2 failed.", "."]);
        });
    });

    describe("inputs", () => {
        it("baseUrlOr: an http(s) URL with a host, without its trailing slashes; anything else is a problem and the fallback", () => {
            const problems: string[] = [];
            const urls = ["https://api.example.com//", "http://127.0.0.1:9/v1/", "https://api.example.com", "see https://api.example.com", "https:///path", "ftp://x", "api.example.com"].map((u) =>
                baseUrlOr(u, "https://fallback.example", `bad ${u}`, problems),
            );
            assert.deepEqual(urls, [
                "https://api.example.com",
                "http://127.0.0.1:9/v1",
                "https://api.example.com",
                "https://fallback.example",
                "https://fallback.example",
                "https://fallback.example",
                "https://fallback.example",
            ]);
            assert.deepEqual(problems, ["bad see https://api.example.com", "bad https:///path", "bad ftp://x", "bad api.example.com"]);
        });

        it("nonEmpty: trimmed, or undefined when unset or blank", () => {
            assert.deepEqual([undefined, "", " \t\n", " key ", "key"].map(nonEmpty), [undefined, undefined, undefined, "key", "key"]);
        });

        it("sameSet: the same strings whatever their order and repeats; unset is empty", () => {
            assert.deepEqual(
                [
                    sameSet(["read", "write"], ["write", "read", "read"]),
                    sameSet(undefined, []),
                    sameSet(undefined, undefined),
                    sameSet(["read"], ["read", "write"]),
                    sameSet(undefined, ["read"]),
                ],
                [true, true, true, false, false],
            );
        });

        it("codeChanged: the provider text in the state differs from the new one", () => {
            assert.deepEqual(
                [
                    codeChanged({ __provider: "a" }, { __provider: "a" }),
                    codeChanged({ __provider: "a" }, { __provider: "b" }),
                    codeChanged(undefined, { __provider: "a" }),
                    codeChanged({ __provider: "a" }, undefined),
                    codeChanged(undefined, undefined),
                    codeChanged({}, { __provider: undefined }),
                ],
                [false, true, true, true, false, false],
            );
        });
    });

    describe("API errors", () => {
        it("apiError: the message, the fields, and defaults of one attempt, outcome known, the message as summary", () => {
            const e = apiError("TestApiError", "Test API GET /x failed: 404.", { method: "GET", path: "/x", status: 404 }, { code: "not_found" });
            assert.ok(e instanceof Error);
            assert.deepEqual(
                { ...e, message: e.message },
                { message: "Test API GET /x failed: 404.", name: "TestApiError", method: "GET", path: "/x", status: 404, code: "not_found", attempts: 1, outcomeUnknown: false, summary: "Test API GET /x failed: 404." },
            );
            const given = apiError("TestApiError", "long", { method: "PUT", path: "/y", status: 0, attempts: 3, outcomeUnknown: true, summary: "short" }, {});
            assert.deepEqual({ ...given }, { name: "TestApiError", method: "PUT", path: "/y", status: 0, attempts: 3, outcomeUnknown: true, summary: "short" });
        });

        it("isApiError: an object of that name with a numeric status, however it was made", () => {
            function TestApiError() {}
            assert.deepEqual(
                [
                    apiError("TestApiError", "m", { method: "GET", path: "/", status: 500 }, {}),
                    { name: "TestApiError", status: 0 },
                    Object.assign(TestApiError, { status: 500 }),
                    { name: "OtherApiError", status: 500 },
                    { name: "TestApiError", status: "500" },
                    { name: "TestApiError" },
                    new Error("TestApiError"),
                    null,
                    undefined,
                    "TestApiError",
                ].map((e) => isApiError(e, "TestApiError")),
                [true, true, false, false, false, false, false, false, false, false],
            );
        });
    });

    describe("ConfiguredProvider", () => {
        it("keeps its own copy of the HTTP options, and configure reads each field from its config key", async () => {
            class TestProvider extends ConfiguredProvider<Partial<HttpKnobs>, { apiKey?: string; apiUrl?: string }> {
                protected configKeys() {
                    return { apiKey: "test:apiKey", apiUrl: "test:apiUrl" };
                }
            }
            const options = { maxAttempts: 2 };
            const provider = new TestProvider(options);
            options.maxAttempts = 9;
            assert.deepEqual([provider.httpOptions, provider.configured], [{ maxAttempts: 2 }, {}]);
            const config = new Map([["test:apiKey", "key from config"]]);
            await provider.configure({ config: { get: (k: string) => config.get(k) } } as unknown as pulumi.dynamic.ConfigureRequest);
            assert.deepEqual(provider.configured, { apiKey: "key from config", apiUrl: undefined });
        });
    });

    describe("maskSecrets", () => {
        it("masks every occurrence of each secret, longest first, and ignores empty ones", () => {
            assert.equal(maskSecrets("key abc123 and abc123xyz, again abc123", ["abc123", "abc123xyz", "", undefined]), "key [redacted] and [redacted], again [redacted]");
            assert.equal(maskSecrets("nothing here", []), "nothing here");
        });
    });
});
