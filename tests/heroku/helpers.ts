// Shared set-up for the Heroku provider tests: a fake Heroku on 127.0.0.1, the env
// vars pointing at it, and fast retry settings so no test sleeps for real seconds.
import type { HttpOptions } from "../../providers/heroku";
import { restoreEnvAfterEach } from "../harness/env";
import { DEFAULT_USER, FakeHeroku, FakeUser } from "./fakeHeroku";

export { assertNoSecrets, rejection } from "../harness/assertions";

/** Recognizable, so a leak into any message or serialized text is easy to spot. */
export const API_KEY = "HRKU-test-api-key-0b7e4c2d-do-not-leak";
/**
 * An API key in Heroku's older format, a bare UUID: redact()'s generic `HRKU-` pattern
 * cannot hide it, so a message that leaks it fails the test.
 */
export const UUID_API_KEY = "7c1e2a9b-4d3f-4e5a-9b8c-0d1e2f3a4b5c";
/** The user of API_KEY (and of UUID_API_KEY, where a test registers it). */
export const OPS: FakeUser = DEFAULT_USER;
/** A second Heroku user, who owns nothing of the stack's. */
export const OTHER: FakeUser = { id: "fedcba98-7654-3210-fedc-ba9876543210", email: "someone-else@example.com", fullName: "Someone Else" };
export const OTHER_API_KEY = "HRKU-other-users-key-51f0-do-not-leak";

/**
 * Fast but still real: backoff and Retry-After caps in milliseconds. The timeout is
 * generous, so that a busy machine never turns a slow answer into a retry and an extra
 * request in a pinned call list; tests of a request that hangs set HANG_TIMEOUT_MS.
 */
export const FAST: HttpOptions = { timeoutMs: 2000, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 60 };

/** The timeout of each attempt in tests whose request hangs on purpose. */
export const HANG_TIMEOUT_MS = 300;

/** FAST as HEROKU_HTTP_* env vars: the only way to reach a provider rebuilt from its serialized text. */
export const FAST_ENV: Record<string, string> = {
    HEROKU_HTTP_TIMEOUT_MS: "2000",
    HEROKU_HTTP_MAX_ATTEMPTS: "3",
    HEROKU_HTTP_BACKOFF_MS: "1",
    HEROKU_HTTP_MAX_BACKOFF_MS: "4",
    HEROKU_HTTP_MAX_RETRY_AFTER_MS: "60",
};

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

export interface UseFakeHerokuOptions {
    readonly hideTokenOnGet?: boolean;
    /** Set FAST_ENV, for providers rebuilt from their serialized text. Default: false. */
    readonly fastEnv?: boolean;
}

/**
 * Registers mocha hooks: a fresh fake Heroku per test (API_KEY is OPS, OTHER_API_KEY is
 * OTHER), env pointing at it, and the original env restored afterwards. Returns a holder
 * filled in before each test.
 */
export function useFakeHeroku(opts: UseFakeHerokuOptions = {}): FakeContext {
    const ctx = {} as FakeContext;
    restoreEnvAfterEach(ENV_KEYS);
    // Node loads fetch's implementation on first use, which can take longer than a
    // short test timeout on a busy machine; load it before any timed request.
    before(async () => {
        await (await fetch("data:,warm-up")).text();
    });
    beforeEach(async () => {
        for (const k of ENV_KEYS) delete process.env[k];
        ctx.heroku = await new FakeHeroku({ apiKey: API_KEY, hideTokenOnGet: opts.hideTokenOnGet }).start();
        ctx.heroku.addUser(OTHER_API_KEY, OTHER);
        process.env.HEROKU_API_KEY = API_KEY;
        process.env.HEROKU_API_URL = ctx.heroku.url;
        if (opts.fastEnv) Object.assign(process.env, FAST_ENV);
    });
    afterEach(async () => {
        await ctx.heroku.stop();
    });
    return ctx;
}

/** What check says of an Authorization with scope "globl", a blank description and expiresIn 1.5, in process and serialized alike. */
export const BAD_AUTHORIZATION_FAILURES = [
    {
        property: "scope",
        reason: '"globl" is not a Heroku OAuth scope; use one of global, identity, read, write, read-protected, write-protected (e.g. ["global"])',
    },
    {
        property: "description",
        reason: 'description must be a non-empty string that names the token and its rotation, e.g. "raxx-platform-token-2026-05-06"',
    },
    {
        property: "expiresIn",
        reason: "expiresIn must be a whole number of seconds greater than 0 (e.g. 2592000 for 30 days), or unset for a token that does not expire",
    },
];

// Words the tests expect in messages, and values several test files share.
export const OWNED = { ownerId: OPS.id, ownerEmail: OPS.email };
export const LOST = "Heroku API POST /oauth/authorizations failed: 503 service_unavailable: Try later.";
export const TOKEN_A = "0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a5b";
export const TOKEN_B = "0a1b2c3d-2222-4e5f-8a9b-0c1d2e3f4a5b";
