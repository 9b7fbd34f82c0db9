// providers/google-workspace/client.ts in process: the settings it resolves (and the secrets it
// masks), the session's interceptors, and callApi's decisions against a stubbed `send` that
// fails as gaxios does (an HTTP reply, a timeout, a network error, a client-side error): what
// is retried, how long it waits, and the exact message and fields of the final error.
import { strict as assert } from "node:assert";

import type { Apis, CallSpec, Session, WorkspaceSettings } from "../../providers/google-workspace/client";
import { DIRECTORY_ROOT_URL, GOOGLE_TOKEN_URL, SCOPES, callApi, getWorkspaceUser, openSession, resolveWorkspaceSettings } from "../../providers/google-workspace/client";
import { restoreEnvAfterEach } from "../harness/env";
import { freshCopy } from "../harness/serializedProvider";
import { FakeWorkspace } from "./fakeWorkspace";
import { ADMIN, ADMIN_TODO, ALL_SCOPES, AUTH, CLIENT_EMAIL, CLIENT_ID, DELEGATION, fails, KEY_TODO, PASSWORD, RETRY, serviceAccountKey, WHO } from "./helpers";

const SCOPE_LIST = [SCOPES.group, SCOPES.groupsSettings];
const SCOPE_WORDS = `${AUTH}admin.directory.group, ${AUTH}apps.groups.settings`;
const GET = "Directory API GET groups/ops@raxx.app";
const API_URL = "https://admin.googleapis.com/admin/directory/v1/groups/ops%40raxx.app";
const KNOBS = { timeoutMs: 100, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 50 };
const ENV_KEYS = ["GOOGLE_WORKSPACE_CREDENTIALS", "GOOGLE_WORKSPACE_ADMIN_USER", "GOOGLE_WORKSPACE_API_URL"];

/** The key of helpers.ts as JSON, `over` on top (undefined removes a field). */
function keyJson(over: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...JSON.parse(serviceAccountKey().json), ...over });
}

/** Settings from the helpers' key and the admin user, Google's own endpoints (no seam), fast knobs. */
function settingsWith(over: Partial<WorkspaceSettings> = {}, knobs: Partial<typeof KNOBS> = {}): WorkspaceSettings {
    for (const k of ENV_KEYS) delete process.env[k];
    return { ...resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN }, { ...KNOBS, ...knobs }), ...over };
}

function stubSession(settings: WorkspaceSettings, secrets: string[] = []): Session {
    return { settings, scopes: SCOPE_LIST, apis: {} as Apis, secrets };
}

/** What gaxios throws for an HTTP reply. */
function reply(status: number, data: unknown, headers: Record<string, string> = {}, url = API_URL): Error {
    return Object.assign(new Error(`Request failed with status code ${status}`), { config: { url }, response: { status, data, headers: new Headers(headers) } });
}

/** What gaxios (or node) throws when no reply came. */
function noReply(code: string | undefined, url?: string): Error {
    return Object.assign(new Error("request to the API failed"), { ...(code === undefined ? {} : { code }), ...(url === undefined ? {} : { config: { url } }) });
}

/** client.ts loaded anew inside the calling test, so that its module-level tables and patterns (EMAIL, the roots, the rate-limit reasons) are evaluated there (docs/mutation.md). */
const freshClient = () => freshCopy<typeof import("../../providers/google-workspace/client")>(require.resolve("../../providers/google-workspace/client"));

function googleBody(code: number, message: string, reason?: string): unknown {
    return { error: { code, message, ...(reason === undefined ? {} : { errors: [{ message, domain: "global", reason }] }) } };
}

interface Outcome {
    readonly error?: Error & Record<string, unknown>;
    readonly data?: unknown;
    readonly attempts: number;
    readonly ms: number;
}

/** Calls callApi with `spec`; the n-th attempt throws failures[n], or succeeds once they run out. */
async function run(failures: unknown[], spec: Partial<CallSpec<unknown>> = {}, settings: WorkspaceSettings = settingsWith(), session?: Session, call: typeof callApi = callApi): Promise<Outcome> {
    let attempts = 0;
    const t0 = Date.now();
    try {
        const data = await call(session ?? stubSession(settings), {
            api: "Directory API",
            method: "GET",
            path: "groups/ops@raxx.app",
            ...spec,
            send: async () => {
                const f = failures[attempts++];
                if (attempts > failures.length) return { data: { id: "00abc" } };
                throw f;
            },
        });
        return { data, attempts, ms: Date.now() - t0 };
    } catch (e) {
        return { error: e as Error & Record<string, unknown>, attempts, ms: Date.now() - t0 };
    }
}

function fieldsOf(e: Record<string, unknown> | undefined): Record<string, unknown> {
    assert.ok(e !== undefined, "the call failed");
    const { method, path, status, attempts, summary, reason, googleMessage, tokenRefused, outcomeUnknown } = e;
    return { method, path, status, attempts, summary, reason, googleMessage, tokenRefused, outcomeUnknown };
}

describe("Google Workspace client: settings", () => {
    restoreEnvAfterEach(ENV_KEYS);

    it("without the seam: Google's endpoints, every field resolved, and the key's text and its PEM lines as secrets", () => {
        const key = serviceAccountKey();
        const s = settingsWith();
        const body = key.privateKey.split("\n").filter((l) => /^[A-Za-z0-9+/=]+$/.test(l));
        assert.ok(body.length > 20);
        assert.deepStrictEqual(s, {
            clientEmail: CLIENT_EMAIL,
            clientId: CLIENT_ID,
            privateKey: key.privateKey,
            adminUser: ADMIN,
            credentialsSource: "stack config workspaceCredentials",
            adminUserSource: "stack config workspaceAdminUser",
            apiRoot: undefined,
            ...KNOBS,
            secrets: [key.json, ...body],
        });
    });

    it("a PEM line of 16 characters or more is a secret, a shorter one is not, nor the BEGIN and END lines", () => {
        const pem = serviceAccountKey().privateKey;
        const b64 = pem.split("\n").filter((l) => /^[A-Za-z0-9+/=]+$/.test(l)).join("");
        const rest = b64.slice(31).match(/.{1,64}/g)!;
        const reflowed = ["-----BEGIN PRIVATE KEY-----", b64.slice(0, 16), b64.slice(16, 31), ...rest, "-----END PRIVATE KEY-----", ""].join("\n");
        const json = keyJson({ private_key: reflowed });
        const s = resolveWorkspaceSettings({ credentials: json, adminUser: ADMIN }, KNOBS);
        assert.equal(s.unusable, undefined);
        assert.deepStrictEqual(s.secrets, [json, b64.slice(0, 16), ...rest.filter((l) => l.length >= 16)]);
    });

    it("the seam's URL, without its trailing slash; one that is not http(s) is refused, saying to unset it", () => {
        for (const k of ENV_KEYS) delete process.env[k];
        process.env.GOOGLE_WORKSPACE_API_URL = "http://127.0.0.1:4100/";
        assert.equal(resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN }, KNOBS).apiRoot, "http://127.0.0.1:4100");
        process.env.GOOGLE_WORKSPACE_API_URL = "ftp://127.0.0.1:4100";
        const s = resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN }, KNOBS);
        assert.equal(s.apiRoot, undefined);
        assert.deepStrictEqual(s.unusable, ["GOOGLE_WORKSPACE_API_URL is not an http(s) URL). Unset it: it is a test seam, and Google's endpoints are the default."]);
    });

    it("an admin user with anything before or after the address is not an email", () => {
        const fresh = freshClient();
        for (const admin of ["kris kris@raxx.app", "kris@raxx.app kris"]) {
            const s = fresh.resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: admin }, KNOBS);
            assert.deepStrictEqual(s.unusable, [`stack config workspaceAdminUser is "${admin}", not an email address). ${ADMIN_TODO}`], admin);
        }
    });

    it("no key: no fields, no secrets; a key that is not JSON: its text is still a secret", () => {
        for (const k of ENV_KEYS) delete process.env[k];
        const none = resolveWorkspaceSettings({ adminUser: ADMIN }, KNOBS);
        assert.deepStrictEqual(
            { ...none, unusable: undefined },
            {
                clientEmail: undefined,
                clientId: undefined,
                privateKey: undefined,
                adminUser: ADMIN,
                credentialsSource: "GOOGLE_WORKSPACE_CREDENTIALS",
                adminUserSource: "stack config workspaceAdminUser",
                apiRoot: undefined,
                ...KNOBS,
                secrets: [],
                unusable: undefined,
            },
        );
        const text = `not json ${PASSWORD}`;
        const bad = resolveWorkspaceSettings({ credentials: text, adminUser: ADMIN }, KNOBS);
        assert.deepStrictEqual([bad.secrets, bad.clientEmail, bad.privateKey], [[text], undefined, undefined]);
        assert.deepStrictEqual(bad.unusable, [`stack config workspaceCredentials is not JSON). ${KEY_TODO}`]);
    });

    it("a key's client_email must be an email string, and its client_id all digits; each unusable field is named", () => {
        const cases: [Record<string, unknown>, string | undefined, string | undefined, string | undefined][] = [
            [{ client_email: "raxx-platform" }, undefined, CLIENT_ID, "client_email"],
            [{ client_email: 42, private_key: undefined }, undefined, CLIENT_ID, "client_email or private_key"],
            [{ private_key: 42 }, CLIENT_EMAIL, CLIENT_ID, "private_key"],
            [{ client_id: 104729388312345 }, CLIENT_EMAIL, undefined, undefined],
            [{ client_id: "x104729" }, CLIENT_EMAIL, undefined, undefined],
            [{ client_id: "104729x" }, CLIENT_EMAIL, undefined, undefined],
        ];
        for (const [over, clientEmail, clientId, missing] of cases) {
            const s = resolveWorkspaceSettings({ credentials: keyJson(over), adminUser: ADMIN }, KNOBS);
            const unusable = missing === undefined ? undefined : [`stack config workspaceCredentials has no usable ${missing}: it is not a service account's JSON key, or not all of it). ${KEY_TODO}`];
            assert.deepStrictEqual([s.clientEmail, s.clientId, s.unusable], [clientEmail, clientId, unusable], JSON.stringify(over));
        }
    });
});

describe("Google Workspace client: the session", () => {
    restoreEnvAfterEach(ENV_KEYS);

    it("unusable settings build no client and no secrets", () => {
        const s = openSession(settingsWith({ unusable: ["x). y"] }), SCOPE_LIST);
        assert.deepStrictEqual([s.apis, s.secrets, s.scopes], [undefined, [], SCOPE_LIST]);
    });

    it("without the seam: Google's roots, gaxios' retries off, each attempt's timeout; the token request stays at Google's endpoint", async () => {
        const fresh = freshClient();
        const session = fresh.openSession(settingsWith(), SCOPE_LIST);
        assert.deepStrictEqual(session.secrets, []);
        const options = (session.apis.directory as unknown as { context: { _options: Record<string, unknown> } }).context._options;
        assert.deepStrictEqual([options.rootUrl, options.retry, options.timeout], [DIRECTORY_ROOT_URL, false, KNOBS.timeoutMs]);
        const jwt = options.auth as { transporter: { interceptors: { request: Set<{ resolved(o: unknown): Promise<Record<string, unknown>> }> } } };
        const ours = [...jwt.transporter.interceptors.request].at(-1)!;
        const opts = await ours.resolved({ url: GOOGLE_TOKEN_URL, body: new URLSearchParams({ grant_type: "x" }), retry: true, retryConfig: { retry: 3 } });
        assert.equal(String(opts.url), GOOGLE_TOKEN_URL);
        assert.deepStrictEqual([opts.retry, "retryConfig" in opts], [false, false]);
        assert.deepStrictEqual(session.secrets, [], "no assertion in the body: nothing to mask");
    });

    it("with the seam: the token request goes to <root>/token, and its assertion and the access token replied become secrets of the session", async () => {
        process.env.GOOGLE_WORKSPACE_API_URL = "http://127.0.0.1:4100";
        const session = openSession(resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN }, KNOBS), SCOPE_LIST);
        const options = (session.apis.directory as unknown as { context: { _options: Record<string, unknown> } }).context._options;
        assert.equal(options.rootUrl, "http://127.0.0.1:4100/");
        type Interceptor = { resolved(o: unknown): Promise<Record<string, unknown>> };
        const interceptors = (options.auth as { transporter: { interceptors: { request: Set<Interceptor>; response: Set<Interceptor> } } }).transporter.interceptors;
        const request = [...interceptors.request].at(-1)!;
        const response = [...interceptors.response].at(-1)!;
        const token = await request.resolved({ url: GOOGLE_TOKEN_URL, body: new URLSearchParams({ assertion: "eyJhbGciOi.fake-assertion.sig" }) });
        assert.equal(String(token.url), "http://127.0.0.1:4100/token");
        const api = await request.resolved({ url: "http://127.0.0.1:4100/admin/directory/v1/groups/x", body: new URLSearchParams({ assertion: "not-a-token-request" }) });
        assert.equal(String(api.url), "http://127.0.0.1:4100/admin/directory/v1/groups/x");
        for (const res of [{ data: { access_token: "ya29.fake-access-token" } }, { data: { access_token: "" } }, { data: { access_token: 42 } }, { data: {} }, {}, undefined]) {
            assert.equal(await response.resolved(res), res);
        }
        assert.deepStrictEqual(session.secrets, ["eyJhbGciOi.fake-assertion.sig", "ya29.fake-access-token"]);
    });
});

describe("Google Workspace client: callApi", () => {
    restoreEnvAfterEach(ENV_KEYS);

    it("settings that cannot send: each reason's first part, the distinct advice once, nothing sent", async () => {
        const s = settingsWith({ unusable: ["a is wrong). Fix a.", "b is wrong", "c is wrong). Fix a."] });
        const out = await run([], {}, s);
        assert.equal(out.attempts, 0);
        assert.equal(out.error?.message, `${GET} failed: no response (not sent: a is wrong; b is wrong; c is wrong). Fix a.`);
        assert.deepStrictEqual(fieldsOf(out.error), {
            method: "GET",
            path: "groups/ops@raxx.app",
            status: 0,
            attempts: 0,
            summary: `${GET} failed: no response (not sent: a is wrong; b is wrong; c is wrong).`,
            reason: undefined,
            googleMessage: undefined,
            tokenRefused: false,
            outcomeUnknown: false,
        });
    });

    it("a reply's data is the result", async () => {
        const out = await run([]);
        assert.deepStrictEqual([out.data, out.attempts, out.error], [{ id: "00abc" }, 1, undefined]);
    });

    it("403 with each rate-limit reason is retried; another 403, and one from the token endpoint, are not", async () => {
        const fresh = freshClient();
        for (const reason of ["userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded"]) {
            const out = await run([reply(403, googleBody(403, "Slow down.", reason))], {}, settingsWith(), undefined, fresh.callApi);
            assert.deepStrictEqual([out.error, out.attempts], [undefined, 2], reason);
        }
        const other = await run([reply(403, googleBody(403, "Request had insufficient authentication scopes.", "insufficientPermissions")), reply(403, {})]);
        assert.equal(other.attempts, 1);
        assert.equal(
            other.error?.message,
            `${GET} failed: 403 insufficientPermissions: Request had insufficient authentication scopes. Google refused ${WHO} acting as ${ADMIN}: ` +
                `check its delegated scopes (${SCOPE_WORDS}) in the ${DELEGATION}, and the admin user's role, ${RETRY}.`,
        );
        const token = await run([reply(403, googleBody(403, "Slow down.", "rateLimitExceeded"), {}, GOOGLE_TOKEN_URL), reply(403, {})]);
        assert.equal(token.attempts, 1);
        assert.deepStrictEqual(fieldsOf(token.error), {
            method: "GET",
            path: "groups/ops@raxx.app",
            status: 403,
            attempts: 1,
            summary: `${GET} was not sent: Google's OAuth token endpoint refused ${WHO} acting as ${ADMIN}: 403 rateLimitExceeded: Slow down.`,
            reason: "rateLimitExceeded",
            googleMessage: "Slow down.",
            tokenRefused: true,
            outcomeUnknown: false,
        });
        const notFound = await run([reply(400, googleBody(400, "Invalid Input: email", "invalid")), reply(400, {})]);
        assert.equal(notFound.attempts, 1);
    });

    it("a throttled call waits for Retry-After (capped), or backs off without it; a 5xx backs off whatever its Retry-After says", async () => {
        const slowBackoff = { baseDelayMs: 400, maxDelayMs: 400, maxRetryAfterMs: 5000 };
        const told = await run([reply(429, {}, { "Retry-After": "0" })], {}, settingsWith({}, slowBackoff));
        assert.ok(told.ms < 150, `Retry-After 0: waited ${told.ms} ms, not the 200+ ms backoff`);
        const untold = await run([reply(429, {}, {})], {}, settingsWith({}, slowBackoff));
        assert.ok(untold.ms >= 195, `no Retry-After: backed off ${untold.ms} ms`);
        const failing = await run([reply(503, {}, { "Retry-After": "3" })], {}, settingsWith({}, { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 2000 }));
        assert.deepStrictEqual([failing.error, failing.attempts], [undefined, 2]);
        assert.ok(failing.ms < 1000, `a 5xx backs off (${failing.ms} ms), never waits its Retry-After`);
    });

    it("a reply without headers, or with headers that cannot be asked, is read like one without Retry-After", async () => {
        const plain = Object.assign(new Error("x"), { config: { url: API_URL }, response: { status: 429, data: {}, headers: {} } });
        const bare = Object.assign(new Error("x"), { config: { url: API_URL }, response: { status: 503, data: {} } });
        const out = await run([plain, bare]);
        assert.deepStrictEqual([out.error, out.attempts], [undefined, 3]);
    });

    it("a final 500 says Google is failing, a GET's outcome is known, and a write's hint is for writes only", async () => {
        const out = await run([reply(500, ""), reply(500, ""), reply(500, "")], { unknownOutcomeHint: "HINT" });
        assert.equal(out.error?.message, `${GET} failed after 3 attempts: 500. Google is failing: ${RETRY}.`);
        assert.deepStrictEqual([out.error?.outcomeUnknown, out.error?.attempts, out.error?.status], [false, 3, 500]);
        const write = await run([reply(500, "")], { method: "POST", path: "groups", retryable: false, unknownOutcomeHint: "The insert may or may not have been applied." });
        assert.equal(write.error?.message, "Directory API POST groups failed: 500. The insert may or may not have been applied.");
        assert.equal(write.error?.outcomeUnknown, true);
        const lost = await run([noReply("ECONNRESET", API_URL)], { method: "PATCH", retryable: false });
        assert.equal(
            lost.error?.message,
            `Directory API PATCH groups/ops@raxx.app failed: no response (network error reaching https://admin.googleapis.com: ECONNRESET). Check the network, ${RETRY} (GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS sets each attempt's timeout).`,
        );
        assert.deepStrictEqual(fieldsOf(lost.error), {
            method: "PATCH",
            path: "groups/ops@raxx.app",
            status: 0,
            attempts: 1,
            summary: "Directory API PATCH groups/ops@raxx.app failed: no response (network error reaching https://admin.googleapis.com: ECONNRESET).",
            reason: undefined,
            googleMessage: undefined,
            tokenRefused: false,
            outcomeUnknown: true,
        });
        const getLost = await run([noReply("ECONNRESET", API_URL), noReply("ECONNRESET", API_URL), noReply("ECONNRESET", API_URL)], { unknownOutcomeHint: "HINT" });
        assert.equal(getLost.error?.outcomeUnknown, false);
        assert.ok(getLost.error?.message.endsWith(`Check the network, ${RETRY} (GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS sets each attempt's timeout).`));
    });

    it("a 403 that is not the admin's role: the API disabled in the project, or refused; a 401: the key; a 404: not there", async () => {
        const disabled = await run([reply(403, googleBody(403, "Admin SDK API has not been used in project 123 before or it is disabled.", "accessNotConfigured"))]);
        assert.equal(
            disabled.error?.message,
            `${GET} failed: 403 accessNotConfigured: Admin SDK API has not been used in project 123 before or it is disabled. ` +
                `Enable the Admin SDK API and the Groups Settings API in the service account's Google Cloud project (APIs & Services > Library), ${RETRY}.`,
        );
        const badRequest = await run([reply(400, googleBody(400, "SERVICE_DISABLED here is a value, not a state", "invalid"))]);
        assert.equal(badRequest.error?.message, `${GET} failed: 400 invalid: SERVICE_DISABLED here is a value, not a state. Google refused the request: correct what its message names, ${RETRY}.`);
        const unauthenticated = await run([reply(401, googleBody(401, "Not Authorized to access this resource/api", "authError"))]);
        assert.equal(
            unauthenticated.error?.message,
            `${GET} failed: 401 authError: Not Authorized to access this resource/api. Google did not take the access token: check that the key (stack config workspaceCredentials) is live, ${RETRY}.`,
        );
        const gone = await run([reply(404, googleBody(404, "Resource Not Found: groupKey", "notFound"))]);
        assert.equal(gone.error?.message, `${GET} failed: 404 notFound: Resource Not Found: groupKey. It does not exist, or the admin user cannot see it: ${RETRY} once it does.`);
    });

    it("a key without client_id: the messages say where to find it", async () => {
        const s = settingsWith({ clientId: undefined });
        const notAdmin = await run([reply(403, googleBody(403, "Not Authorized to access this resource/api", "forbidden"))], {}, s);
        assert.equal(
            notAdmin.error?.message,
            `${GET} failed: 403 forbidden: Not Authorized to access this resource/api. The admin user ${ADMIN} (stack config workspaceAdminUser) may not make this call: it must be a super admin ` +
                `(Admin console > Account > Admin roles), and the delegation of client id (see the service account's Unique ID) must grant ${SCOPE_WORDS} (${DELEGATION}), ${RETRY}.`,
        );
        const refused = await run([reply(403, googleBody(403, "Forbidden", "forbidden"))], {}, s);
        assert.ok(refused.error?.message.includes(`Google refused the service account ${CLIENT_EMAIL} (client_id not in the key: see the account's Unique ID in Google Cloud) acting as ${ADMIN}:`), refused.error?.message);
        const denied = await run([reply(400, { error: "access_denied" }, {}, GOOGLE_TOKEN_URL)], {}, s);
        assert.equal(
            denied.error?.message,
            `${GET} was not sent: Google's OAuth token endpoint refused the service account ${CLIENT_EMAIL} (client_id not in the key: see the account's Unique ID in Google Cloud) acting as ${ADMIN}: 400 access_denied. ` +
                `Client id (see the service account's Unique ID) has no domain-wide delegation for these scopes: ${SCOPE_WORDS}. In the ${DELEGATION}, add the numeric client id (not the account's email) ` +
                `with these scopes, or add the missing ones to its entry (the stack's resources use ${ALL_SCOPES.join(", ")}); a change there can take up to 24 hours to apply. Then run Pulumi again.`,
        );
    });

    it("the token endpoint: another OAuth error says to check the key and the admin user; a 429 or a 500 is failing, and retried", async () => {
        const other = await run([reply(400, { error: "invalid_request", error_description: 42 }, {}, GOOGLE_TOKEN_URL)]);
        assert.equal(
            other.error?.message,
            `${GET} was not sent: Google's OAuth token endpoint refused ${WHO} acting as ${ADMIN}: 400 invalid_request. ` +
                `Check the key (stack config workspaceCredentials) and the admin user (stack config workspaceAdminUser), ${RETRY}.`,
        );
        for (const status of [429, 500]) {
            const failing = await run([1, 2, 3].map(() => reply(status, "", {}, GOOGLE_TOKEN_URL)), { method: "POST", retryable: false });
            assert.equal(
                failing.error?.message,
                `Directory API POST groups/ops@raxx.app was not sent: Google's OAuth token endpoint failed after 3 attempts: ${status}. Google's token endpoint is failing or rate limited: wait a minute, ${RETRY}.`,
            );
            assert.deepStrictEqual([failing.attempts, failing.error?.tokenRefused, failing.error?.outcomeUnknown], [3, true, false]);
        }
    });

    it("no reply from the token endpoint: Google's token URL named, with the code when there is one; a timeout names the knob's value", async () => {
        const network = await run([1, 2, 3].map(() => noReply("ENOTFOUND", GOOGLE_TOKEN_URL)));
        assert.equal(
            network.error?.message,
            `${GET} was not sent: Google's OAuth token endpoint gave no token after 3 attempts: no response (network error reaching ${GOOGLE_TOKEN_URL}: ENOTFOUND). Check the network, ${RETRY}.`,
        );
        assert.deepStrictEqual(fieldsOf(network.error), {
            method: "GET",
            path: "groups/ops@raxx.app",
            status: 0,
            attempts: 3,
            summary: `${GET} was not sent: Google's OAuth token endpoint gave no token after 3 attempts: no response (network error reaching ${GOOGLE_TOKEN_URL}: ENOTFOUND).`,
            reason: undefined,
            googleMessage: undefined,
            tokenRefused: true,
            outcomeUnknown: false,
        });
        const codeless = await run([noReply(undefined, GOOGLE_TOKEN_URL)], {}, settingsWith({}, { maxAttempts: 1 }));
        assert.equal(codeless.error?.message, `${GET} was not sent: Google's OAuth token endpoint gave no token: no response (network error reaching ${GOOGLE_TOKEN_URL}). Check the network, ${RETRY}.`);
    });

    it("how a failure without a reply is read: timeouts, aborts, system error codes, and client-side errors", async () => {
        const once = settingsWith({}, { maxAttempts: 1 });
        const fresh = freshClient();
        const message = async (e: unknown, api: "Directory API" | "Groups Settings API" = "Directory API", s = once) => (await run([e], { api }, s, undefined, fresh.callApi)).error?.message;
        const label = (api: string) => `${api} GET groups/ops@raxx.app`;
        const timedOut = `${GET} failed: no response (timed out after 100 ms). Check the network, ${RETRY} (GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS sets each attempt's timeout).`;
        assert.equal(await message(noReply("TimeoutError")), timedOut);
        assert.equal(await message(noReply("AbortError", API_URL)), timedOut);
        const network = (origin: string, code: string, api = "Directory API") =>
            `${label(api)} failed: no response (network error reaching ${origin}${code}). Check the network, ${RETRY} (GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS sets each attempt's timeout).`;
        assert.equal(await message(noReply("ECONNRESET")), network("https://admin.googleapis.com", ": ECONNRESET"));
        assert.equal(await message(noReply("ECONNRESET"), "Groups Settings API"), network("https://www.googleapis.com", ": ECONNRESET", "Groups Settings API"));
        assert.equal(await message(noReply("EAI_AGAIN"), "Directory API", settingsWith({ apiRoot: "http://127.0.0.1:4100" }, { maxAttempts: 1 })), network("http://127.0.0.1:4100", ": EAI_AGAIN"));
        // A code that is not a system error's is not shown, and without a URL it is no request at all.
        assert.equal(await message(noReply("UND_ERR_SOCKET", API_URL)), network("https://admin.googleapis.com", ""));
        assert.equal(await message(noReply("ERR_HTTP2_STREAM_ERROR", API_URL)), network("https://admin.googleapis.com", ""));
        const local = (what: string) => `${GET} failed: ${what} Then run Pulumi again; if it fails again, this is a bug in the provider.`;
        assert.equal(await message(noReply("AbortError")), local("request to the API failed."));
        assert.equal(await message(noReply("UND_ERR_SOCKET")), local("request to the API failed."));
        assert.equal(await message(noReply("ERR_HTTP2_STREAM_ERROR")), local("request to the API failed."));
        assert.equal(await message(noReply("E")), local("request to the API failed."));
        assert.equal(await message(Object.assign(noReply(undefined, API_URL), { response: { data: "no status" } })), network("https://admin.googleapis.com", ""));
        assert.equal(await message(null), local("null."));
        assert.equal(await message("a string thrown"), local("a string thrown."));
    });

    it("a client-side error is never retried, and says it is a bug", async () => {
        const out = await run([new Error("Missing required parameters: groupKey"), new Error("again")]);
        assert.equal(out.attempts, 1);
        assert.equal(out.error?.message, `${GET} failed: Missing required parameters: groupKey. Then run Pulumi again; if it fails again, this is a bug in the provider.`);
        assert.deepStrictEqual(fieldsOf(out.error), {
            method: "GET",
            path: "groups/ops@raxx.app",
            status: 0,
            attempts: 1,
            summary: `${GET} failed: Missing required parameters: groupKey.`,
            reason: undefined,
            googleMessage: undefined,
            tokenRefused: false,
            outcomeUnknown: false,
        });
    });

    it("Google's error body read every way it comes: errors[].reason, else status; a plain or HTML body as the message; anything else as nothing", async () => {
        const once = settingsWith({}, { maxAttempts: 1 });
        const detail = async (body: unknown) => {
            const e = (await run([reply(400, body)], {}, once)).error;
            return [e?.summary, e?.reason, e?.googleMessage];
        };
        assert.deepStrictEqual(await detail({ error: { message: "No reason.", errors: [], status: "INVALID_ARGUMENT" } }), [`${GET} failed: 400 INVALID_ARGUMENT: No reason.`, "INVALID_ARGUMENT", "No reason."]);
        assert.deepStrictEqual(await detail({ error: { message: "Reason.", errors: [{ reason: "invalid" }], status: "INVALID_ARGUMENT" } }), [`${GET} failed: 400 invalid: Reason.`, "invalid", "Reason."]);
        assert.deepStrictEqual(await detail({ error: { message: 7, errors: [{ reason: 7 }] } }), [`${GET} failed: 400.`, undefined, undefined]);
        assert.deepStrictEqual(await detail({ error: { errors: "x", status: 3 } }), [`${GET} failed: 400.`, undefined, undefined]);
        assert.deepStrictEqual(await detail({ error: null }), [`${GET} failed: 400.`, undefined, undefined]);
        assert.deepStrictEqual(await detail({ error: "invalid" }), [`${GET} failed: 400.`, undefined, undefined]);
        assert.deepStrictEqual(await detail("<html><h1>Bad</h1><p>Request</p></html>"), [`${GET} failed: 400: Bad  Request.`, undefined, "Bad  Request"]);
        assert.deepStrictEqual(await detail("  \n "), [`${GET} failed: 400.`, undefined, undefined]);
        assert.deepStrictEqual(await detail(`${"x".repeat(250)}`), [`${GET} failed: 400: ${"x".repeat(200)}….`, undefined, `${"x".repeat(200)}…`]);
        assert.deepStrictEqual(await detail({ error: { errors: [{ reason: "r".repeat(70) }] } }), [`${GET} failed: 400 ${"r".repeat(60)}….`, `${"r".repeat(60)}…`, undefined]);
    });

    it("the secrets of the settings, of the session and of the call are masked in every message", async () => {
        const s = settingsWith({ secrets: ["settings-secret-0123456789"] });
        const session = stubSession(s, ["ya29.session-token-0123456789"]);
        const body = googleBody(400, `echo settings-secret-0123456789 ya29.session-token-0123456789 ${PASSWORD}`, "invalid");
        const out = await run([reply(400, body)], { secrets: [PASSWORD] }, s, session);
        assert.equal(out.error?.message, `${GET} failed: 400 invalid: echo [redacted] [redacted] [redacted]. Google refused the request: correct what its message names, ${RETRY}.`);
        assert.equal(out.error?.summary, `${GET} failed: 400 invalid: echo [redacted] [redacted] [redacted].`);
    });
});

describe("Google Workspace client: against the fake", () => {
    restoreEnvAfterEach(ENV_KEYS);
    const started: FakeWorkspace[] = [];
    afterEach(async () => {
        for (const f of started.splice(0)) await f.stop();
    });
    async function fake(): Promise<{ google: FakeWorkspace; settings: WorkspaceSettings }> {
        const google = await new FakeWorkspace().start();
        started.push(google);
        google.addServiceAccount(CLIENT_EMAIL, CLIENT_ID, serviceAccountKey().publicKey);
        google.delegate(CLIENT_ID, ALL_SCOPES);
        google.addDomain("raxx.app", { isPrimary: true });
        google.addUser(ADMIN, { isAdmin: true });
        for (const k of ENV_KEYS) delete process.env[k];
        process.env.GOOGLE_WORKSPACE_API_URL = google.url;
        return { google, settings: resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN }, { ...KNOBS, timeoutMs: 1500 }) };
    }

    it("gaxios' own retries are off: a 503 is sent once when the attempts allow one", async () => {
        const { google, settings } = await fake();
        google.addGroup("ops@raxx.app");
        google.inject({ method: "GET", path: "/admin/directory/v1/groups/ops@raxx.app", status: 503, times: 5 });
        const session = openSession({ ...settings, maxAttempts: 1 }, SCOPE_LIST);
        await fails(
            google,
            callApi(session, { api: "Directory API", method: "GET", path: "groups/ops@raxx.app", send: (apis) => apis.directory.groups.get({ groupKey: "ops@raxx.app" }) }),
            `${GET} failed: 503 backendError: The service is currently unavailable. Google is failing: ${RETRY}.`,
        );
        assert.equal(google.count("GET", "/admin/directory/v1/groups/ops@raxx.app"), 1);
    });

    it("the Groups Settings binding: the group's address in the path only, JSON asked for; a missing address is refused before sending", async () => {
        const { google, settings } = await fake();
        google.addGroup("ops@raxx.app");
        const session = openSession(settings, SCOPE_LIST);
        const got = await callApi(session, { api: "Groups Settings API", method: "GET", path: "groups/ops@raxx.app", send: (apis) => apis.groupsSettings.groups.get({ groupUniqueId: "ops@raxx.app" }) });
        assert.equal(got.whoCanJoin, "CAN_REQUEST_TO_JOIN");
        const patched = await callApi(session, {
            api: "Groups Settings API",
            method: "PATCH",
            path: "groups/ops@raxx.app",
            send: (apis) => apis.groupsSettings.groups.patch({ groupUniqueId: "ops@raxx.app", requestBody: { whoCanJoin: "INVITED_CAN_JOIN" } }),
        });
        assert.equal(patched.whoCanJoin, "INVITED_CAN_JOIN");
        const sent = google.requests.filter((r) => r.path !== "/token").map((r) => ({ method: r.method, path: r.path, query: r.query }));
        assert.deepStrictEqual(sent, [
            { method: "GET", path: "/groups/v1/groups/ops@raxx.app", query: { alt: "json" } },
            { method: "PATCH", path: "/groups/v1/groups/ops@raxx.app", query: { alt: "json" } },
        ]);
        const before = google.requests.length;
        await fails(
            google,
            callApi(session, { api: "Groups Settings API", method: "GET", path: "groups/", send: (apis) => apis.groupsSettings.groups.get({} as { groupUniqueId: string }) }),
            "Groups Settings API GET groups/ failed: Missing required parameters: groupUniqueId. Then run Pulumi again; if it fails again, this is a bug in the provider.",
        );
        assert.equal(google.requests.length, before);
    });

    it("getWorkspaceUser: Google's address for the user, whatever case it was asked with; the asked one when the reply has none", async () => {
        const { google, settings } = await fake();
        const u = google.addUser("no-reply@raxx.app", { suspended: true });
        assert.deepStrictEqual(await getWorkspaceUser(settings, "No-Reply@Raxx.app"), { id: u.id, primaryEmail: "no-reply@raxx.app", suspended: true, isAdmin: false });
        google.inject({ method: "GET", path: "/admin/directory/v1/users/ghost@raxx.app", status: 200, body: { kind: "admin#directory#user" } });
        assert.deepStrictEqual(await getWorkspaceUser(settings, "ghost@raxx.app"), { id: "", primaryEmail: "ghost@raxx.app", suspended: false, isAdmin: false });
    });
});
