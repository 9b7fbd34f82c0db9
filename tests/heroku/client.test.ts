import { strict as assert } from "node:assert";

import { ConfigVarsProvider } from "../../providers/heroku";
import { herokuRequest, resolveSettings } from "../../providers/heroku/client";
import { ACCEPT_V3, FakeHeroku } from "./fakeHeroku";
import { API_KEY, FAST, HANG_TIMEOUT_MS, assertNoSecrets, rejection, useFakeHeroku } from "./helpers";

const APP = "raxx-api-prod";
const PATH = `/apps/${APP}/config-vars`;
const TODO_5XX = "Heroku is failing: check https://status.heroku.com, then run Pulumi again.";

/** The fields a caller may test an error by. */
function pick(e: Error): Record<string, unknown> {
    const x = e as unknown as Record<string, unknown>;
    return { name: x.name, method: x.method, path: x.path, status: x.status, attempts: x.attempts, outcomeUnknown: x.outcomeUnknown };
}

describe("Heroku Platform API client", () => {
    const ctx = useFakeHeroku();
    beforeEach(() => ctx.heroku.addApp(APP, { FLAG_X: "on" }));

    it("sends the v3 Accept header, the Bearer key and a JSON content type to HEROKU_API_URL", async () => {
        const res = await herokuRequest(resolveSettings({}, FAST), { method: "PATCH", path: PATH, body: { FLAG_Y: "off" } });
        assert.deepEqual(res, { status: 200, body: { FLAG_X: "on", FLAG_Y: "off" } });
        assert.equal(ctx.heroku.requests.length, 1);
        const [req] = ctx.heroku.requests;
        assert.equal(req.method, "PATCH");
        assert.equal(req.path, PATH);
        assert.equal(req.headers.accept, ACCEPT_V3);
        assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
        assert.equal(req.headers["content-type"], "application/json");
        assert.deepEqual(req.body, { FLAG_Y: "off" });
    });

    it("defaults to https://api.heroku.com and the documented retry settings", () => {
        delete process.env.HEROKU_API_URL;
        assert.deepEqual(resolveSettings(), {
            apiKey: API_KEY,
            apiKeySource: "HEROKU_API_KEY",
            baseUrl: "https://api.heroku.com",
            timeoutMs: 30000,
            maxAttempts: 5,
            baseDelayMs: 500,
            maxDelayMs: 8000,
            maxRetryAfterMs: 60000,
        });
    });

    it("reads the retry settings from HEROKU_HTTP_* env vars, and rejects a malformed one", async () => {
        process.env.HEROKU_HTTP_MAX_ATTEMPTS = "2";
        process.env.HEROKU_HTTP_BACKOFF_MS = "0";
        process.env.HEROKU_HTTP_TIMEOUT_MS = "5000";
        ctx.heroku.inject({ path: PATH, status: 503, times: 10, body: { id: "service_unavailable", message: "Try again." } });
        const err = await rejection(herokuRequest(resolveSettings(), { method: "GET", path: PATH }));
        assert.equal(err.message, `Heroku API GET ${PATH} failed after 2 attempts: 503 service_unavailable: Try again. ${TODO_5XX}`);
        assert.equal(ctx.heroku.requests.length, 2);

        process.env.HEROKU_HTTP_TIMEOUT_MS = "soon";
        const bad = await rejection(herokuRequest(resolveSettings(), { method: "GET", path: PATH }));
        assert.equal(
            bad.message,
            `Heroku API GET ${PATH} failed: no response (not sent: HEROKU_HTTP_TIMEOUT_MS is "soon", not an integer of at least 1). ` +
                "Set it to a whole number, or unset it for the default 30000.",
        );
        assert.equal(ctx.heroku.requests.length, 2, "nothing is sent with a malformed setting");

        process.env.HEROKU_HTTP_TIMEOUT_MS = "5000";
        const nan = await rejection(herokuRequest(resolveSettings({}, { timeoutMs: Number.NaN }), { method: "GET", path: PATH }));
        assert.equal(
            nan.message,
            `Heroku API GET ${PATH} failed: no response (not sent: HEROKU_HTTP_TIMEOUT_MS given in code is NaN, not an integer of at least 1). ` +
                "Pass a whole number, or leave it out for the default 30000.",
        );
        assert.equal(ctx.heroku.requests.length, 2, "nothing is sent with a malformed setting given in code");
    });

    it("fails with a message naming HEROKU_API_KEY when no key is set", async () => {
        delete process.env.HEROKU_API_KEY;
        const err = await rejection(new ConfigVarsProvider(FAST).read(`${APP}:FLAG_X`));
        assert.equal(
            err.message,
            `Heroku API GET ${PATH} failed: no response (not sent: HEROKU_API_KEY is not set). Export a Heroku API key or OAuth token in HEROKU_API_KEY (for example from ` +
                "`heroku authorizations:create`), or set the secret stack config with `pulumi config set --secret herokuApiKey <token>`.",
        );
        assert.equal(ctx.heroku.requests.length, 0);
    });

    it("lets secret stack config read by configure override HEROKU_API_KEY and HEROKU_API_URL", async () => {
        const other = await new FakeHeroku({ apiKey: "HRKU-from-stack-config" }).start();
        try {
            other.addApp(APP, { FLAG_X: "from-config" });
            process.env.HEROKU_API_KEY = "HRKU-stale-env-key";
            const provider = new ConfigVarsProvider(FAST);
            const config: Record<string, string> = { herokuApiKey: "HRKU-from-stack-config", herokuApiUrl: other.url };
            await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
            assert.equal(provider.settings().apiKeySource, "stack config herokuApiKey");
            const read = await provider.read(`${APP}:FLAG_X`);
            assert.deepEqual(read.props?.secretVars, { FLAG_X: "from-config" });
            assert.equal(other.requests[0].headers.authorization, "Bearer HRKU-from-stack-config");
            assert.equal(ctx.heroku.requests.length, 0);
        } finally {
            await other.stop();
        }
    });

    it("on 401, says the key was rejected and where it came from, without the key", async () => {
        process.env.HEROKU_API_KEY = "HRKU-revoked-key-7d1f";
        const err = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH }));
        assert.equal(
            err.message,
            `Heroku rejected the API key (HEROKU_API_KEY) on GET ${PATH}: 401 unauthorized: Invalid credentials provided. ` +
                "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.",
        );
        assert.equal(ctx.heroku.requests.length, 1, "a 401 is not retried");
        assertNoSecrets(`${err.message}\n${err.stack}`, ["HRKU-revoked-key-7d1f", API_KEY]);
    });

    it("on 403, says the key lacks access", async () => {
        ctx.heroku.inject({ path: PATH, status: 403, body: { id: "forbidden", message: `You do not have access to the app ${APP}.` } });
        const err = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH }));
        assert.equal(
            err.message,
            `The Heroku API key (HEROKU_API_KEY) lacks access for GET ${PATH}: 403 forbidden: You do not have access to the app ${APP}. ` +
                "Use a key whose account can manage this resource (scope global, or a collaborator or team member with access to the app).",
        );
        assert.equal(ctx.heroku.requests.length, 1);
    });

    it("on 429 with Retry-After, waits (capped) and then succeeds", async () => {
        ctx.heroku.inject({
            path: PATH,
            status: 429,
            headers: { "Retry-After": "30" },
            body: { id: "rate_limit", message: "Your account reached the API rate limit" },
        });
        const res = await herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH });
        assert.deepEqual(res, { status: 200, body: { FLAG_X: "on" } });
        const [first, second] = ctx.heroku.requests;
        assert.equal(ctx.heroku.requests.length, 2);
        const waited = second.at - first.at;
        assert.ok(waited >= 50, `waited ${waited} ms; Retry-After (capped at 60 ms) must be honoured`);
        assert.ok(waited < 1000, `waited ${waited} ms; the cap on Retry-After must apply`);
    });

    it("on a 503 storm, gives up after maxAttempts with the status and Heroku's id and message", async () => {
        ctx.heroku.inject({ path: PATH, status: 503, times: 100, body: { id: "service_unavailable", message: "API is temporarily unavailable." } });
        const err = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH }));
        assert.equal(err.message, `Heroku API GET ${PATH} failed after 3 attempts: 503 service_unavailable: API is temporarily unavailable. ${TODO_5XX}`);
        assert.equal(ctx.heroku.requests.length, 3);
    });

    it("times out a hung GET, retries it, and reports the timeout", async () => {
        ctx.heroku.inject({ path: PATH, hang: true, times: 100 });
        const err = await rejection(herokuRequest(resolveSettings({}, { ...FAST, timeoutMs: HANG_TIMEOUT_MS }), { method: "GET", path: PATH }));
        assert.equal(
            err.message,
            `Heroku API GET ${PATH} failed after 3 attempts: no response (timed out after ${HANG_TIMEOUT_MS} ms). ` +
                "Check the network and https://status.heroku.com, then run Pulumi again (HEROKU_HTTP_TIMEOUT_MS sets the timeout of each attempt).",
        );
        assert.equal(ctx.heroku.requests.length, 3);
    });

    it("never retries a POST after a timeout or a 5xx, and says the outcome is unknown", async () => {
        const spec = { method: "POST" as const, path: "/oauth/authorizations", body: { scope: ["global"] }, unknownOutcomeHint: "Check before retrying." };
        ctx.heroku.inject({ path: "/oauth/authorizations", hang: true });
        const timedOut = await rejection(herokuRequest(resolveSettings({}, { ...FAST, timeoutMs: HANG_TIMEOUT_MS }), spec));
        assert.equal(timedOut.message, `Heroku API POST /oauth/authorizations failed: no response (timed out after ${HANG_TIMEOUT_MS} ms). Check before retrying.`);
        assert.deepEqual(pick(timedOut), { name: "HerokuApiError", method: "POST", path: "/oauth/authorizations", status: 0, attempts: 1, outcomeUnknown: true });
        assert.equal(ctx.heroku.requests.length, 1);

        ctx.heroku.inject({ path: "/oauth/authorizations", status: 502, body: { id: "bad_gateway", message: "Bad gateway." } });
        const failed = await rejection(herokuRequest(resolveSettings({}, FAST), spec));
        assert.equal(failed.message, "Heroku API POST /oauth/authorizations failed: 502 bad_gateway: Bad gateway. Check before retrying.");
        assert.deepEqual(pick(failed), { name: "HerokuApiError", method: "POST", path: "/oauth/authorizations", status: 502, attempts: 1, outcomeUnknown: true });
        assert.equal(ctx.heroku.requests.length, 2);

        ctx.heroku.inject({ path: "/oauth/authorizations", status: 422, body: { id: "invalid_params", message: "Bad scope." } });
        const refused = await rejection(herokuRequest(resolveSettings({}, FAST), spec));
        assert.equal(refused.message, "Heroku API POST /oauth/authorizations failed: 422 invalid_params: Bad scope. Heroku refused the request: correct what its message names, then run Pulumi again.");
        assert.deepEqual(pick(refused), { name: "HerokuApiError", method: "POST", path: "/oauth/authorizations", status: 422, attempts: 1, outcomeUnknown: false });
    });

    it("reports an unreachable API by origin and error code", async () => {
        const gone = await new FakeHeroku({ apiKey: API_KEY }).start();
        const url = gone.url;
        await gone.stop();
        process.env.HEROKU_API_URL = url;
        const err = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH }));
        assert.equal(
            err.message,
            `Heroku API GET ${PATH} failed after 3 attempts: no response (network error reaching ${url}: ECONNREFUSED). ` +
                "Check the network and the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com), then run Pulumi again.",
        );
    });

    it("masks the key, tokens and secret values that an error body echoes, and never echoes a non-JSON body", async () => {
        const secret = "s3cr3t-ingest-token-value";
        ctx.heroku.inject({
            path: PATH,
            status: 422,
            body: {
                id: "invalid_params",
                message: `Rejected ${secret} for key ${API_KEY}; token HRKU-11111111-2222-3333-4444-555555555555; FLAG_X=on\nline2`,
            },
        });
        const err = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "PATCH", path: PATH, body: {}, secrets: [secret], values: ["on"] }));
        assert.equal(
            err.message,
            `Heroku API PATCH ${PATH} failed: 422 invalid_params: Rejected [redacted] for key [redacted]; token [redacted]; FLAG_X=[redacted] line2. ` +
                "Heroku refused the request: correct what its message names, then run Pulumi again.",
        );
        assertNoSecrets(`${err.message}\n${err.stack}`, [secret, API_KEY, "HRKU-1111"]);

        ctx.heroku.inject({ path: PATH, status: 500, times: 100, body: `<html>${API_KEY} ${secret}</html>` });
        const html = await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH, secrets: [secret] }));
        assert.equal(html.message, `Heroku API GET ${PATH} failed after 3 attempts: 500. ${TODO_5XX}`);
    });
});
