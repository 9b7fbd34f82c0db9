// The Authorization provider at its edges, in process: check's less common inputs, what
// create adopts and revokes from a list Heroku answers after a lost reply, read's
// fallbacks when Heroku leaves fields out, and which token each request keeps out of errors.
import { strict as assert } from "node:assert";

import { AuthorizationInputs, AuthorizationOutputs, AuthorizationProvider } from "../../providers/heroku";
import { UNKNOWN } from "../../providers/http";
import { withEnv } from "../harness/serializedProvider";
import { FAST, HANG_TIMEOUT_MS, LOST, OPS, OTHER, OWNED, rejection, TOKEN_A, TOKEN_B, useFakeHeroku } from "./helpers";

const D = "raxx-platform-token-2026-05-06";
const LIST = "/oauth/authorizations";
const POST_503 = { method: "POST", path: LIST, status: 503, body: { id: "service_unavailable", message: "Try later." } };

/** The fields a caller may test an error by. */
function fields(e: Error): Record<string, unknown> {
    const x = e as unknown as Record<string, unknown>;
    return { method: x.method, path: x.path, status: x.status, outcomeUnknown: x.outcomeUnknown };
}

function listed(id: string, token: string | null, createdAt?: string): Record<string, unknown> {
    return {
        id,
        description: D,
        scope: ["global"],
        access_token: token === null ? null : { token, expires_in: null },
        ...(createdAt === undefined ? {} : { created_at: createdAt }),
        user: { id: OPS.id, email: OPS.email },
    };
}

describe("Heroku Authorization provider: edges", () => {
    const ctx = useFakeHeroku();
    const provider = () => new AuthorizationProvider(FAST);
    const calls = () => ctx.heroku.requests.map((r) => `${r.method} ${r.path}`);

    describe("check", () => {
        it("names a scope that is not a string by its type, and cuts a long one to 40 characters", async () => {
            const long = `x${"y".repeat(60)}`;
            const res = await provider().check({} as AuthorizationInputs, { scope: [5, long], description: D } as unknown as AuthorizationInputs);
            const tail = "is not a Heroku OAuth scope; use one of global, identity, read, write, read-protected, write-protected (e.g. [\"global\"])";
            assert.deepEqual(res.failures, [
                { property: "scope", reason: `a number ${tail}` },
                { property: "scope", reason: `"${long.slice(0, 40)}" ${tail}` },
            ]);
        });

        it("lets an unknown scope entry and an unknown lifetime through during preview", async () => {
            const news = { scope: [UNKNOWN, "global"], description: D, expiresIn: UNKNOWN } as unknown as AuthorizationInputs;
            assert.deepEqual(await provider().check({} as AuthorizationInputs, news), { inputs: news, failures: [] });
        });

        it("refuses a lifetime of 0 or less, and drops a null one from the inputs", async () => {
            const reason = "expiresIn must be a whole number of seconds greater than 0 (e.g. 2592000 for 30 days), or unset for a token that does not expire";
            for (const expiresIn of [0, -60]) {
                assert.deepEqual((await provider().check({} as AuthorizationInputs, { scope: ["global"], description: D, expiresIn })).failures, [{ property: "expiresIn", reason }]);
            }
            const res = await provider().check({} as AuthorizationInputs, { scope: ["global"], description: D, expiresIn: null } as unknown as AuthorizationInputs);
            assert.deepEqual(res, { inputs: { scope: ["global"], description: D }, failures: [] });
        });

        it("asks for a new description only when scope or lifetime changes for sure, and copes with no olds", async () => {
            const reason =
                "description must change when scope or expiresIn does: the change replaces the authorization, and create tells its own " +
                'authorizations apart by description. Give the replacement a new one (for a rotating slot, a new date), e.g. "raxx-platform-token-2026-08-04"';
            const olds = { scope: ["global"], description: D, expiresIn: 3600 };
            const check = async (news: unknown, o: unknown = olds) => (await provider().check(o as AuthorizationInputs, news as AuthorizationInputs)).failures;
            assert.deepEqual(await check({ scope: ["global"], description: D, expiresIn: 3600 }), []);
            assert.deepEqual(await check({ scope: ["read"], description: D, expiresIn: 3600 }), [{ property: "description", reason }]);
            assert.deepEqual(await check({ scope: ["global"], description: D, expiresIn: 7200 }), [{ property: "description", reason }]);
            assert.deepEqual(await check({ scope: ["read"], description: D, expiresIn: UNKNOWN }), []);
            assert.deepEqual(await check({ scope: UNKNOWN, description: D, expiresIn: 7200 }), []);
            assert.deepEqual(await check({ scope: ["read", UNKNOWN], description: D, expiresIn: 7200 }), []);
            const noOlds = await provider().check(undefined as unknown as AuthorizationInputs, { scope: ["global"], description: D });
            assert.deepEqual(noOlds, { inputs: { scope: ["global"], description: D }, failures: [] });
        });
    });

    describe("create", () => {
        it("treats an id that is empty or not a string as no id, and looks for what the POST made", async () => {
            for (const id of ["", 42]) {
                ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id, description: D, access_token: { token: TOKEN_A } } });
                const err = await rejection(provider().create({ scope: ["global"], description: D }));
                assert.equal(
                    err.message,
                    `Heroku API POST /oauth/authorizations returned 201 without an authorization id. Heroku did not create the authorization (GET /oauth/authorizations lists none described "${D}"): run Pulumi again.`,
                );
                assert.deepEqual(fields(err), { method: "POST", path: LIST, status: 201, outcomeUnknown: false });
            }
        });

        it("revokes an authorization whose token is empty or not a string, and names the call in the error", async () => {
            for (const token of ["", 42]) {
                ctx.heroku.requests.length = 0;
                ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-bad-token", description: D, access_token: { token } } });
                const err = await rejection(provider().create({ scope: ["global"], description: D }));
                assert.equal(
                    err.message,
                    "Heroku API POST /oauth/authorizations returned 201 for authorization auth-bad-token without an access token. Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
                );
                assert.deepEqual(fields(err), { method: "POST", path: LIST, status: 201, outcomeUnknown: false });
                assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "DELETE /oauth/authorizations/auth-bad-token"]);
            }
        });

        it("leaves createdAt out when Heroku's reply has none, and asks GET /account for the owner when it names no user", async () => {
            ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-1", access_token: { token: TOKEN_A } } });
            ctx.heroku.inject({ method: "GET", path: "/account", status: 200, body: { id: OTHER.id, email: 42 } });
            const res = await provider().create({ scope: ["global"], description: D });
            assert.deepEqual(res, { id: "auth-1", outs: { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ownerId: OTHER.id, ownerEmail: "" } });
            assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "GET /account"]);
        });

        it("fails naming GET /account when the account Heroku returns has no id", async () => {
            ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-1", access_token: { token: TOKEN_A } } });
            ctx.heroku.inject({ method: "GET", path: "/account", status: 200, rawBody: "null" });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(
                err.message,
                "Heroku API GET /account returned 200 without an account id. Check the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com) and that the key belongs to a user, then run Pulumi again.",
            );
            assert.deepEqual(fields(err), { method: "GET", path: "/account", status: 200, outcomeUnknown: false });
        });

        it("after a lost reply, ignores listed entries without an id, with an empty one or another description", async () => {
            ctx.heroku.inject(POST_503);
            const junk = [null, { ...listed("x", TOKEN_A), id: 7 }, listed("", TOKEN_A), { ...listed("y", TOKEN_A), description: "another" }];
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: junk });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(err.message, `${LOST} Heroku did not create the authorization (GET /oauth/authorizations lists none described "${D}"): run Pulumi again.`);
            assert.deepEqual(fields(err), { method: "POST", path: LIST, status: 503, outcomeUnknown: false });
            assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "GET /oauth/authorizations"]);
        });

        it("reads a list answer that is not an array as an empty list", async () => {
            ctx.heroku.inject({ method: "GET", path: LIST, status: 200, body: { not: "a list" } });
            const res = await provider().create({ scope: ["global"], description: D });
            assert.equal(res.outs?.token, ctx.heroku.authorizations.get(res.id)?.token);
            assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations"]);
        });

        it("after a lost reply, adopts the newest with a token and revokes the others, an undated one counting as oldest", async () => {
            ctx.heroku.inject(POST_503);
            const after = [listed("a-undated", TOKEN_A), listed("b-newest", TOKEN_B, "2026-05-06T12:00:09Z"), listed("c-older", null, "2026-05-06T12:00:05Z"), listed("d-old", TOKEN_A, "2026-05-06T12:00:01Z")];
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: after });
            const res = await provider().create({ scope: ["global"], description: D });
            assert.deepEqual(res, {
                id: "b-newest",
                outs: { scope: ["global"], description: D, authorizationId: "b-newest", token: TOKEN_B, createdAt: "2026-05-06T12:00:09Z", ...OWNED },
            });
            assert.deepEqual(calls(), [
                "GET /oauth/authorizations",
                "POST /oauth/authorizations",
                "GET /oauth/authorizations",
                "DELETE /oauth/authorizations/a-undated",
                "DELETE /oauth/authorizations/c-older",
                "DELETE /oauth/authorizations/d-old",
            ]);
        });

        it("after a lost reply, adopts the dated one over an undated one listed after it", async () => {
            ctx.heroku.inject(POST_503);
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-dated", TOKEN_A, "2026-05-06T12:00:01Z"), listed("b-undated", TOKEN_B)] });
            const res = await provider().create({ scope: ["global"], description: D });
            assert.equal(res.id, "a-dated");
            assert.deepEqual(calls().slice(3), ["DELETE /oauth/authorizations/b-undated"]);
        });

        it("fails when revoking a surplus authorization fails, masking that one's token in Heroku's message", async () => {
            ctx.heroku.inject(POST_503);
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-new", TOKEN_B, "2026-05-06T12:00:09Z"), listed("b-old", TOKEN_A, "2026-05-06T12:00:01Z")] });
            ctx.heroku.inject({ method: "DELETE", path: `${LIST}/b-old`, status: 422, body: { id: "invalid_params", message: `cannot revoke ${TOKEN_A}` } });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(
                err.message,
                "Heroku API DELETE /oauth/authorizations/b-old failed: 422 invalid_params: cannot revoke [redacted]. Heroku refused the request: correct what its message names, then run Pulumi again.",
            );
        });

        it("after a lost reply, revokes two tokenless authorizations and names them both", async () => {
            ctx.heroku.inject(POST_503);
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-1", null, "2026-05-06T12:00:01Z"), listed("b-2", null, "2026-05-06T12:00:02Z")] });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(err.message, `${LOST} Heroku had created 2 authorizations described "${D}" (a-1, b-2), but returns no token for them, so Pulumi revoked them again: run Pulumi again.`);
            assert.deepEqual(fields(err), { method: "POST", path: LIST, status: 503, outcomeUnknown: false });
            assert.deepEqual(calls().slice(3), ["DELETE /oauth/authorizations/a-1", "DELETE /oauth/authorizations/b-2"]);
        });

        it("when listing after a lost reply fails too, says the outcome is unknown, on the POST", async () => {
            ctx.heroku.inject(POST_503);
            ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 422, body: { id: "invalid_range", message: "Bad range." } });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(
                err.message,
                `${LOST} Heroku may or may not have created the authorization, and listing authorizations to find out failed too (Heroku API GET /oauth/authorizations failed: 422 invalid_range: Bad range.): ` +
                    `look for description "${D}" in \`heroku authorizations\`, revoke (\`heroku authorizations:revoke <id>\`) every one that Pulumi does not track, then run Pulumi again.`,
            );
            assert.deepEqual(fields(err), { method: "POST", path: LIST, status: 503, outcomeUnknown: true });
        });

        it("gives up after 20 pages of authorizations, before posting anything", async () => {
            ctx.heroku.maxPageSize = 1;
            for (let i = 0; i < 21; i++) ctx.heroku.addAuthorization({ id: `auth-${String(i).padStart(2, "0")}`, description: `old-${i}` });
            const err = await rejection(provider().create({ scope: ["global"], description: D }));
            assert.equal(
                err.message,
                "Heroku API GET /oauth/authorizations returned 206 for 20 pages and more remain: revoke the authorizations this key no longer needs (`heroku authorizations`), then run Pulumi again.",
            );
            assert.deepEqual(fields(err), { method: "GET", path: LIST, status: 206, outcomeUnknown: false });
            assert.deepEqual(calls(), Array(20).fill("GET /oauth/authorizations"));
        });
    });

    describe("read", () => {
        const path = (id: string) => `${LIST}/${id}`;

        it("keeps scope, description and createdAt from state when Heroku leaves them out, and its id when the reply has none", async () => {
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { access_token: { token: TOKEN_A }, user: { id: OPS.id, email: OPS.email } } });
            const props: AuthorizationOutputs = { scope: ["read"], description: D, authorizationId: "auth-1", token: TOKEN_B, createdAt: "2026-01-01T00:00:00Z", ...OWNED };
            assert.deepEqual(await provider().read("auth-1", props), { id: "auth-1", props: { ...props, token: TOKEN_A } });
        });

        it("on import, leaves out what Heroku leaves out: no scope, an empty description, no token, no date, no owner", async () => {
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", access_token: null, user: null } });
            assert.deepEqual(await provider().read("auth-1"), {
                id: "auth-1",
                props: { scope: [], description: "", authorizationId: "auth-1" },
                inputs: { scope: [], description: "" },
            });
        });

        it("imports with empty props as with none", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            const res = await provider().read(a.id, {} as AuthorizationOutputs);
            assert.deepEqual(res.inputs, { scope: ["global"], description: D });
        });

        it("keeps the recorded owner when Heroku names no user, or one without an id, and an unrecorded email reads as empty", async () => {
            const props: AuthorizationOutputs = { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, createdAt: "2026-01-01T00:00:00Z", ownerId: OTHER.id };
            for (const user of [undefined, null, { id: "" }, { id: 5, email: "x@example.com" }]) {
                ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", scope: ["global"], description: D, user } });
                assert.deepEqual(await provider().read("auth-1", props), { id: "auth-1", props: { ...props, ownerEmail: "" } }, JSON.stringify(user));
            }
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", scope: ["global"], description: D, user: { id: OPS.id } } });
            assert.deepEqual(await provider().read("auth-1", props), { id: "auth-1", props: { ...props, ownerId: OPS.id, ownerEmail: "" } });
        });

        it("on import of an authorization that is gone, returns no id without asking whose key this is", async () => {
            assert.deepEqual(await provider().read("gone-1"), {});
            assert.deepEqual(calls(), ["GET /oauth/authorizations/gone-1"]);
        });

        it("on import, keeps no token when Heroku hides it", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            ctx.heroku.hideTokenOnGet = true;
            const res = await provider().read(a.id);
            assert.deepEqual(res.props, { scope: ["global"], description: D, authorizationId: a.id, createdAt: a.createdAt, ...OWNED });
        });

        it("masks the token from state in a failed read's message", async () => {
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
            const err = await rejection(provider().read("auth-1", { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ...OWNED }));
            assert.equal(err.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. Heroku refused the request: correct what its message names, then run Pulumi again.`);
        });

        it("names a recorded owner without an email as unrecorded when another key gets a 404", async () => {
            const props: AuthorizationOutputs = { scope: ["global"], description: D, authorizationId: "auth-9", token: TOKEN_A, ownerId: OTHER.id };
            const err = await rejection(provider().read("auth-9", props));
            assert.equal(
                err.message,
                `Heroku API GET ${path("auth-9")} failed: 404 not_found: Couldn't find that authorization. The API key (HEROKU_API_KEY) belongs to ${OPS.email} (id ${OPS.id}), ` +
                    `but authorization auth-9 was created by an unrecorded email (id ${OTHER.id}), and Heroku shows an authorization only to its owner, so it may well be live: Pulumi left it in state. ` +
                    "Run Pulumi with an unrecorded email's API key (in HEROKU_API_KEY or the secret stack config herokuApiKey).",
            );
        });
    });

    describe("update and delete", () => {
        const path = (id: string) => `${LIST}/${id}`;

        it("masks the token from state when the update that records the owner fails, and sends no token it does not have", async () => {
            const olds: AuthorizationOutputs = { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A };
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
            const err = await rejection(provider().update("auth-1", olds, { scope: ["global"], description: D }));
            assert.equal(err.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. Heroku refused the request: correct what its message names, then run Pulumi again.`);
            const { token: _t, ...noToken } = olds;
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: "bad request" } });
            const err2 = await rejection(provider().update("auth-1", noToken, { scope: ["global"], description: D }));
            assert.equal(err2.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad request. Heroku refused the request: correct what its message names, then run Pulumi again.`);
        });

        it("masks the token from state when the revocation fails", async () => {
            ctx.heroku.inject({ method: "DELETE", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
            const err = await rejection(provider().delete("auth-1", { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ...OWNED }));
            assert.equal(err.message, `Heroku API DELETE ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. Heroku refused the request: correct what its message names, then run Pulumi again.`);
        });

        it("checks no token when state has none, and copes with no state at all", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            await provider().delete(a.id, { scope: ["global"], description: D, authorizationId: a.id, ...OWNED });
            assert.deepEqual(calls(), [`DELETE ${path(a.id)}`]);
            const b = ctx.heroku.addAuthorization({ description: D });
            await provider().delete(b.id, undefined as unknown as AuthorizationOutputs);
            assert.deepEqual(calls().slice(1), [`DELETE ${path(b.id)}`]);
        });

        it("refuses a malformed HEROKU_REVOCATION_TIMEOUT_MS after revoking, before checking the token", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            const err = await withEnv({ HEROKU_REVOCATION_TIMEOUT_MS: "soon" }, () =>
                rejection(provider().delete(a.id, { scope: ["global"], description: D, authorizationId: a.id, token: a.token, ...OWNED })),
            );
            assert.equal(err.message, "HEROKU_REVOCATION_TIMEOUT_MS is \"soon\", not an integer of at least 1). Set it to a whole number, or unset it for the default 30000.");
            assert.deepEqual(calls(), [`DELETE ${path(a.id)}`]);
        });

        it("fails the token check on an answer other than 401 that will not change, and asks again after a 5xx or a 429", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            const props: AuthorizationOutputs = { scope: ["global"], description: D, authorizationId: a.id, token: a.token, ...OWNED };
            ctx.heroku.inject({ method: "GET", path: "/account", status: 403, body: { id: "forbidden", message: "No." } });
            const err = await withEnv({ VERIFY_BACKOFF_MS: "1" }, () => rejection(provider().delete(a.id, props)));
            assert.equal(err.message, `authorization ${a.id} (${D}): GET /account with the revoked token failed: Heroku answered Heroku API GET /account failed: 403 forbidden: No. A 401 was expected.`);

            const b = ctx.heroku.addAuthorization({ description: D });
            ctx.heroku.requests.length = 0;
            ctx.heroku.inject({ method: "GET", path: "/account", status: 500, body: { id: "internal", message: "Oops." } });
            ctx.heroku.inject({ method: "GET", path: "/account", status: 429, body: { id: "rate_limit", message: "Slow." } });
            ctx.heroku.inject({ method: "GET", path: "/account", status: 502, body: { id: "bad_gateway", message: "Proxy." } });
            await withEnv({ VERIFY_BACKOFF_MS: "1" }, () => provider().delete(b.id, { ...props, authorizationId: b.id, token: b.token }));
            assert.deepEqual(calls(), [`DELETE ${path(b.id)}`, "GET /account", "GET /account", "GET /account", "GET /account"]);
        });

        it("asks again when the token check gets no answer, and names the last answer when the deadline passes", async () => {
            const a = ctx.heroku.addAuthorization({ description: D });
            const props: AuthorizationOutputs = { scope: ["global"], description: D, authorizationId: a.id, token: a.token, ...OWNED };
            ctx.heroku.inject({ method: "GET", path: "/account", hang: true });
            await withEnv({ VERIFY_BACKOFF_MS: "1" }, () => new AuthorizationProvider({ ...FAST, timeoutMs: HANG_TIMEOUT_MS }).delete(a.id, props));
            assert.deepEqual(calls(), [`DELETE ${path(a.id)}`, "GET /account", "GET /account"]);

            const b = ctx.heroku.addAuthorization({ description: D });
            ctx.heroku.inject({ method: "GET", path: "/account", status: 503, times: 1000, body: { id: "unavailable", message: "Down." } });
            const err = await withEnv({ HEROKU_REVOCATION_TIMEOUT_MS: "50", VERIFY_BACKOFF_MS: "20" }, () => rejection(provider().delete(b.id, { ...props, authorizationId: b.id, token: b.token })));
            assert.match(
                err.message,
                new RegExp(`^authorization ${b.id} \\(${D}\\): GET /account with the revoked token failed: no answer: Heroku API GET /account failed: 503 unavailable: Down\\. \\(\\d+ tries within the check's limit of 50 ms\\)\\.$`),
            );
        });
    });
});
