// Every error path of both Heroku providers, run from the serialized `__provider` text
// through an emulation of the dynamic provider host, which hands the engine only
// `e.message`. Each message is pinned exactly, must say what to do, and must carry no
// API key, token or config var value. Each case runs with an API key in the current
// `HRKU-` format and in the older bare-UUID format, which redact()'s HRKU pattern would
// not hide.
import { strict as assert } from "node:assert";

import { FakeHeroku } from "./fakeHeroku";
import { API_KEY, BAD_AUTHORIZATION_FAILURES, HANG_TIMEOUT_MS, OPS, OTHER, UUID_API_KEY, assertNoSecrets, rejection, useFakeHeroku } from "./helpers";
import { ProviderHost, ProviderTexts, providerTexts } from "./serialized";

const DESCRIPTION = "raxx-platform-token-2026-05-06";
const APP = "raxx-console-prod";
const VARS_PATH = `/apps/${APP}/config-vars`;
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const NEW_INGEST = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";
/** A plain (non-secret) value; distinctive, so a leak is visible. */
const PLAIN = "plain-flag-value-7781";
const WRONG_HRKU_KEY = "HRKU-wrong-key-3e4f-do-not-leak";
const WRONG_UUID_KEY = "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70";

const RETRY = "then run Pulumi again";
const TODO_5XX = `Heroku is failing: check https://status.heroku.com, ${RETRY}.`;
const TODO_4XX = `Heroku refused the request: correct what its message names, ${RETRY}.`;
const TODO_429 = `Heroku's rate limit for this API key is used up: wait a few minutes for it to refill, ${RETRY}.`;
const TODO_TIMEOUT = `Check the network and https://status.heroku.com, ${RETRY} (HEROKU_HTTP_TIMEOUT_MS sets the timeout of each attempt).`;
const API_URL = "the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com)";
const TODO_NETWORK = `Check the network and ${API_URL}, ${RETRY}.`;
const TODO_NOT_JSON = `Something other than the Platform API answered: check ${API_URL} and any proxy on the way, ${RETRY}.`;
const TODO_401 = "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.";
const TODO_403 = "Use a key whose account can manage this resource (scope global, or a collaborator or team member with access to the app).";
const NO_KEY =
    "no response (not sent: HEROKU_API_KEY is not set). Export a Heroku API key or OAuth token in HEROKU_API_KEY " +
    "(for example from `heroku authorizations:create`), or set the secret stack config with `pulumi config set --secret herokuApiKey <token>`.";
const VARS_UNKNOWN =
    `The write to app "${APP}" may or may not have been applied (Heroku applies a config-vars PATCH all at once or not at all): ` +
    `run \`pulumi refresh\` to see the app's config vars, ${RETRY}.`;

const auth = { scope: ["global"], description: DESCRIPTION };
const OWNER = "raxx-platform/prod/audit-ingest-raxx-console-prod";
const vars = { app: APP, owner: OWNER, vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: PLAIN }, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } };

describe("Heroku providers' errors, from the serialized text", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    let texts: ProviderTexts;
    before(async () => {
        texts = await providerTexts();
    });

    for (const format of ["HRKU", "UUID"] as const) {
        describe(`with an API key in the ${format} format`, () => {
            const key = format === "HRKU" ? API_KEY : UUID_API_KEY;
            const wrongKey = format === "HRKU" ? WRONG_HRKU_KEY : WRONG_UUID_KEY;
            let host: ProviderHost;
            /** Every secret a message must not carry; tokens are added as they are minted. */
            let secrets: string[];
            const A = (x: Record<string, unknown>) => ({ ...x, __provider: texts.authorization });
            const V = (x: Record<string, unknown>) => ({ ...x, __provider: texts.configVars });
            const fails = async (call: Promise<unknown>, expected: string) => {
                const err = await rejection(call);
                assert.equal(err.message, expected);
                assertNoSecrets(err.message, [...secrets, ...[...ctx.heroku.authorizations.values()].map((a) => a.token)]);
                return err;
            };
            /** An Authorization created through the host, as the engine stores it. */
            const liveAuthorization = async () => {
                const made = await host.create(A(auth));
                return { id: made.id, state: made.outs };
            };
            const liveVars = async () => {
                ctx.heroku.addApp(APP, { OTHER: "x" });
                const made = await host.create(V(vars));
                return { id: made.id, state: made.outs };
            };
            const closedPort = async () => {
                const gone = await new FakeHeroku({ apiKey: key }).start();
                await gone.stop();
                return gone.url;
            };

            beforeEach(() => {
                ctx.heroku.addUser(UUID_API_KEY, OPS);
                process.env.HEROKU_API_KEY = key;
                host = new ProviderHost();
                secrets = [key, API_KEY, UUID_API_KEY, wrongKey, INGEST, NEW_INGEST, PLAIN];
            });

            describe("Authorization", () => {
                it("check: names each bad input with an example", async () => {
                    const r = await host.check({}, A({ scope: ["globl"], description: " ", expiresIn: 1.5 }));
                    assert.deepEqual(r.failures, BAD_AUTHORIZATION_FAILURES);
                });

                it("check: a missing description is reported, not lost on the wire as an undefined input", async () => {
                    const r = await host.check({}, A({ scope: ["global"] }));
                    assert.deepEqual(r.failures, [
                        {
                            property: "description",
                            reason: 'description must be a non-empty string that names the token and its rotation, e.g. "raxx-platform-token-2026-05-06"',
                        },
                    ]);
                    assert.equal(Object.hasOwn(r.inputs, "description"), false);
                });

                it("check: a replacement that keeps the description", async () => {
                    const olds = { scope: ["global"], description: DESCRIPTION };
                    for (const news of [
                        { scope: ["global", "identity"], description: DESCRIPTION },
                        { scope: ["global"], description: DESCRIPTION, expiresIn: 3600 },
                    ]) {
                        const r = await host.check(olds, A(news));
                        assert.deepEqual(r.failures, [
                            {
                                property: "description",
                                reason:
                                    "description must change when scope or expiresIn does: the change replaces the authorization, and create tells its own " +
                                    'authorizations apart by description. Give the replacement a new one (for a rotating slot, a new date), e.g. "raxx-platform-token-2026-08-04"',
                            },
                        ]);
                    }
                    assert.deepEqual((await host.check(olds, A({ scope: ["global"], description: "raxx-platform-token-2026-08-04", expiresIn: 3600 }))).failures, []);
                });

                it("create: no API key", async () => {
                    delete process.env.HEROKU_API_KEY;
                    await fails(host.create(A(auth)), `Heroku API GET /oauth/authorizations failed: ${NO_KEY}`);
                    assert.equal(ctx.heroku.requests.length, 0);
                });

                it("create: 401, with Heroku echoing the key", async () => {
                    ctx.heroku.inject({ status: 401, body: { id: "unauthorized", message: `Invalid credentials provided for ${key}.` } });
                    await fails(
                        host.create(A(auth)),
                        `Heroku rejected the API key (HEROKU_API_KEY) on GET /oauth/authorizations: 401 unauthorized: Invalid credentials provided for [redacted]. ${TODO_401}`,
                    );
                });

                it("create: a key Heroku does not know", async () => {
                    process.env.HEROKU_API_KEY = wrongKey;
                    await fails(
                        host.create(A(auth)),
                        `Heroku rejected the API key (HEROKU_API_KEY) on GET /oauth/authorizations: 401 unauthorized: Invalid credentials provided. ${TODO_401}`,
                    );
                });

                it("create: 422", async () => {
                    ctx.heroku.inject({ method: "POST", status: 422, body: { id: "invalid_params", message: `Invalid scope (key ${key}).` } });
                    await fails(host.create(A(auth)), `Heroku API POST /oauth/authorizations failed: 422 invalid_params: Invalid scope (key [redacted]). ${TODO_4XX}`);
                    assert.equal(ctx.heroku.authorizations.size, 0);
                });

                it("create: a 503 storm on the list before the POST, which is then never sent", async () => {
                    ctx.heroku.inject({ method: "GET", path: "/oauth/authorizations", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
                    await fails(host.create(A(auth)), `Heroku API GET /oauth/authorizations failed after 3 attempts: 503 service_unavailable: Try later. ${TODO_5XX}`);
                    assert.equal(ctx.heroku.requestsOf("POST").length, 0);
                });

                it("create: a success without an id, when the list then shows nothing new", async () => {
                    ctx.heroku.inject({ method: "POST", status: 201, body: { description: DESCRIPTION, scope: ["global"] } });
                    await fails(
                        host.create(A(auth)),
                        "Heroku API POST /oauth/authorizations returned 201 without an authorization id. " +
                            `Heroku did not create the authorization (GET /oauth/authorizations lists none described "${DESCRIPTION}"): run Pulumi again.`,
                    );
                });

                it("create: a 429 storm", async () => {
                    ctx.heroku.inject({ method: "POST", status: 429, times: 100, headers: { "Retry-After": "0" }, body: { id: "rate_limit", message: "Your account reached the API rate limit" } });
                    await fails(
                        host.create(A(auth)),
                        `Heroku API POST /oauth/authorizations failed after 3 attempts: 429 rate_limit: Your account reached the API rate limit. ${TODO_429}`,
                    );
                    assert.equal(ctx.heroku.authorizations.size, 0);
                });

                it("create: an authorization without a token is revoked again", async () => {
                    ctx.heroku.inject({ method: "POST", status: 201, body: { id: "4b5d-no-token", description: DESCRIPTION, scope: ["global"], access_token: null } });
                    await fails(
                        host.create(A(auth)),
                        `Heroku API POST /oauth/authorizations returned 201 for authorization 4b5d-no-token without an access token. ` +
                            "Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
                    );
                    assert.deepEqual(ctx.heroku.requestsOf("DELETE").map((r) => r.path), ["/oauth/authorizations/4b5d-no-token"]);
                });

                it("read: a 503 storm", async () => {
                    const { id, state } = await liveAuthorization();
                    ctx.heroku.inject({ method: "GET", status: 503, times: 100, body: { id: "service_unavailable", message: "API is temporarily unavailable." } });
                    await fails(host.read(id, state), `Heroku API GET /oauth/authorizations/${id} failed after 3 attempts: 503 service_unavailable: API is temporarily unavailable. ${TODO_5XX}`);
                });

                it("read: a timeout", async () => {
                    const { id, state } = await liveAuthorization();
                    ctx.heroku.inject({ method: "GET", hang: true, times: 100 });
                    process.env.HEROKU_HTTP_TIMEOUT_MS = String(HANG_TIMEOUT_MS);
                    await fails(host.read(id, state), `Heroku API GET /oauth/authorizations/${id} failed after 3 attempts: no response (timed out after ${HANG_TIMEOUT_MS} ms). ${TODO_TIMEOUT}`);
                });

                it("read: a network error", async () => {
                    const { id, state } = await liveAuthorization();
                    const url = await closedPort();
                    process.env.HEROKU_API_URL = url;
                    await fails(host.read(id, state), `Heroku API GET /oauth/authorizations/${id} failed after 3 attempts: no response (network error reaching ${url}: ECONNREFUSED). ${TODO_NETWORK}`);
                });

                it("read: a success that is not JSON", async () => {
                    const { id, state } = await liveAuthorization();
                    ctx.heroku.inject({ method: "GET", status: 200, rawBody: `<html>${key}</html>` });
                    await fails(host.read(id, state), `Heroku API GET /oauth/authorizations/${id} returned 200 with a body that is not JSON. ${TODO_NOT_JSON}`);
                });

                it("read: 403", async () => {
                    const { id, state } = await liveAuthorization();
                    ctx.heroku.inject({ method: "GET", status: 403, body: { id: "forbidden", message: "This key cannot see authorizations." } });
                    await fails(
                        host.read(id, state),
                        `The Heroku API key (HEROKU_API_KEY) lacks access for GET /oauth/authorizations/${id}: 403 forbidden: This key cannot see authorizations. ${TODO_403}`,
                    );
                });

                it("update (recording the owner of older state): a 503 storm", async () => {
                    const { id, state } = await liveAuthorization();
                    const { ownerId: _id, ownerEmail: _email, ...older } = state;
                    ctx.heroku.inject({ method: "GET", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
                    await fails(host.update(id, older, A(auth)), `Heroku API GET /oauth/authorizations/${id} failed after 3 attempts: 503 service_unavailable: Try later. ${TODO_5XX}`);
                });

                it("read: a 404, then a GET /account that fails", async () => {
                    const { id, state } = await liveAuthorization();
                    ctx.heroku.authorizations.clear();
                    ctx.heroku.inject({ method: "GET", path: "/account", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
                    await fails(host.read(id, state), `Heroku API GET /account failed after 3 attempts: 503 service_unavailable: Try later. ${TODO_5XX}`);
                });

                it("delete: a 503 storm, with Heroku echoing the token", async () => {
                    const { id, state } = await liveAuthorization();
                    const token = state.token as string;
                    ctx.heroku.inject({ method: "DELETE", status: 503, times: 100, body: { id: "service_unavailable", message: `cannot revoke ${token} now` } });
                    await fails(host.delete(id, state), `Heroku API DELETE /oauth/authorizations/${id} failed after 3 attempts: 503 service_unavailable: cannot revoke [redacted] now. ${TODO_5XX}`);
                    assert.equal(ctx.heroku.authorizations.size, 1);
                });

                it("delete: a key Heroku does not know", async () => {
                    const { id, state } = await liveAuthorization();
                    process.env.HEROKU_API_KEY = wrongKey;
                    await fails(
                        host.delete(id, state),
                        `Heroku rejected the API key (HEROKU_API_KEY) on DELETE /oauth/authorizations/${id}: 401 unauthorized: Invalid credentials provided. ${TODO_401}`,
                    );
                });
            });

            describe("ConfigVars", () => {
                it("check: names each bad input, never a value", async () => {
                    const r = await host.check({}, V({ app: "Raxx_Console", owner: OWNER, vars: { "FLAG-X": PLAIN, BLANK: "" }, secretVars: { FLAG_X2: INGEST, COUNT: 3 } }));
                    assert.deepEqual(r.failures, [
                        {
                            property: "app",
                            reason: '"Raxx_Console" is not a Heroku app name: use 3-30 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (e.g. "raxx-console-prod")',
                        },
                        {
                            property: "vars",
                            reason: '"FLAG-X" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)',
                        },
                        {
                            property: "vars",
                            reason: "vars.BLANK is empty; an empty value is almost always a missing secret or config value. Give it a value, or drop the key (which removes it from the app)",
                        },
                        { property: "secretVars", reason: "secretVars.COUNT must be a string" },
                    ]);
                    assertNoSecrets(JSON.stringify(r.failures), secrets);
                });

                it("check: a missing owner is reported, not lost on the wire as an undefined input", async () => {
                    const r = await host.check({}, V({ app: APP, vars: { FLAG_X: "on" } }));
                    assert.deepEqual(r.failures, [
                        {
                            property: "owner",
                            reason: 'owner must be "<project>/<stack>/<resource name>", as the ConfigVars constructor sets it (e.g. "raxx-platform/prod/platform-token-raxx-api-prod")',
                        },
                    ]);
                    assert.equal(Object.hasOwn(r.inputs, "owner"), false);
                });

                it("create: no API key", async () => {
                    ctx.heroku.addApp(APP);
                    delete process.env.HEROKU_API_KEY;
                    await fails(host.create(V(vars)), `Heroku API GET /account failed: ${NO_KEY}`);
                });

                it("create: a key Heroku does not know", async () => {
                    ctx.heroku.addApp(APP);
                    process.env.HEROKU_API_KEY = wrongKey;
                    await fails(host.create(V(vars)), `Heroku rejected the API key (HEROKU_API_KEY) on GET /account: 401 unauthorized: Invalid credentials provided. ${TODO_401}`);
                });

                it("create: 403 for a key that is not a collaborator on the app", async () => {
                    ctx.heroku.addApp(APP, {}, [OTHER]);
                    await fails(
                        host.create(V(vars)),
                        `The Heroku API key (HEROKU_API_KEY) lacks access for GET ${VARS_PATH}: 403 forbidden: You do not have access to the app ${APP}. ${TODO_403}`,
                    );
                });

                it("create: an account without an id", async () => {
                    ctx.heroku.addApp(APP);
                    ctx.heroku.inject({ method: "GET", path: "/account", status: 200, body: { email: "x@example.com" } });
                    await fails(
                        host.create(V(vars)),
                        `Heroku API GET /account returned 200 without an account id. Check ${API_URL} and that the key belongs to a user, ${RETRY}.`,
                    );
                    assert.equal(ctx.heroku.requestsOf("PATCH").length, 0);
                });

                it("create: the app does not exist", async () => {
                    await fails(
                        host.create(V(vars)),
                        `Heroku API GET ${VARS_PATH} failed: 404 not_found: Couldn't find that app. Heroku app "${APP}" does not exist, or the API key (HEROKU_API_KEY) cannot see it: ` +
                            `check the app name, or use the key of an account with access to the app, ${RETRY}.`,
                    );
                });

                it("create: 422 on the PATCH, with Heroku echoing values", async () => {
                    ctx.heroku.addApp(APP);
                    ctx.heroku.inject({ method: "PATCH", status: 422, body: { id: "invalid_params", message: `CONSOLE_AUDIT_INGEST_TOKEN=${INGEST} FLAG=${PLAIN} is too long` } });
                    await fails(host.create(V(vars)), `Heroku API PATCH ${VARS_PATH} failed: 422 invalid_params: CONSOLE_AUDIT_INGEST_TOKEN=[redacted] FLAG=[redacted] is too long. ${TODO_4XX}`);
                });

                it("create: a PATCH that times out after it was applied", async () => {
                    ctx.heroku.addApp(APP);
                    ctx.heroku.inject({ method: "PATCH", applyThenHang: true, times: 100 });
                    process.env.HEROKU_HTTP_TIMEOUT_MS = String(HANG_TIMEOUT_MS);
                    await fails(host.create(V(vars)), `Heroku API PATCH ${VARS_PATH} failed after 3 attempts: no response (timed out after ${HANG_TIMEOUT_MS} ms). ${VARS_UNKNOWN}`);
                });

                it("create: a 429 storm", async () => {
                    ctx.heroku.addApp(APP);
                    ctx.heroku.inject({ method: "GET", path: VARS_PATH, status: 429, times: 100, headers: { "Retry-After": "0" }, body: { id: "rate_limit", message: "Your account reached the API rate limit" } });
                    await fails(host.create(V(vars)), `Heroku API GET ${VARS_PATH} failed after 3 attempts: 429 rate_limit: Your account reached the API rate limit. ${TODO_429}`);
                });

                it("create: a network error", async () => {
                    const url = await closedPort();
                    process.env.HEROKU_API_URL = url;
                    await fails(host.create(V(vars)), `Heroku API GET /account failed after 3 attempts: no response (network error reaching ${url}: ECONNREFUSED). ${TODO_NETWORK}`);
                });

                it("read: a 503 storm", async () => {
                    const { id, state } = await liveVars();
                    ctx.heroku.inject({ method: "GET", status: 503, times: 100, body: { id: "service_unavailable", message: `no ${INGEST} today` } });
                    await fails(host.read(id, state), `Heroku API GET ${VARS_PATH} failed after 3 attempts: 503 service_unavailable: no [redacted] today. ${TODO_5XX}`);
                });

                it("read: a success that is not JSON", async () => {
                    const { id, state } = await liveVars();
                    ctx.heroku.inject({ method: "GET", status: 200, rawBody: `<html>${INGEST}</html>` });
                    await fails(host.read(id, state), `Heroku API GET ${VARS_PATH} returned 200 with a body that is not JSON. ${TODO_NOT_JSON}`);
                });

                it("update: a 503 storm on the PATCH", async () => {
                    const { id, state } = await liveVars();
                    ctx.heroku.inject({ method: "PATCH", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
                    const news = V({ ...vars, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: NEW_INGEST } });
                    await fails(host.update(id, state, news), `Heroku API PATCH ${VARS_PATH} failed after 3 attempts: 503 service_unavailable: Try later. ${VARS_UNKNOWN}`);
                });

                it("update: a PATCH whose connection drops after it was applied", async () => {
                    const { id, state } = await liveVars();
                    ctx.heroku.inject({ method: "PATCH", applyThenDrop: true, times: 100 });
                    const news = V({ ...vars, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: NEW_INGEST } });
                    await fails(
                        host.update(id, state, news),
                        `Heroku API PATCH ${VARS_PATH} failed after 3 attempts: no response (network error reaching ${ctx.heroku.url}: UND_ERR_SOCKET). ${VARS_UNKNOWN}`,
                    );
                });

                it("delete: a 503 storm on the PATCH", async () => {
                    const { id, state } = await liveVars();
                    ctx.heroku.inject({ method: "PATCH", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
                    await fails(host.delete(id, state), `Heroku API PATCH ${VARS_PATH} failed after 3 attempts: 503 service_unavailable: Try later. ${VARS_UNKNOWN}`);
                });

                it("delete: a key Heroku does not know", async () => {
                    const { id, state } = await liveVars();
                    process.env.HEROKU_API_KEY = wrongKey;
                    await fails(host.delete(id, state), `Heroku rejected the API key (HEROKU_API_KEY) on GET ${VARS_PATH}: 401 unauthorized: Invalid credentials provided. ${TODO_401}`);
                });
            });
        });
    }
});
