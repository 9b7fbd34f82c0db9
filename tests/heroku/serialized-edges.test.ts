// The provider paths tests/heroku/authorization-edges.test.ts and configVars-edges.test.ts
// take in process, run again from the serialized `__provider` texts through the host
// emulation (which hands the engine only an error's message): the engine never runs the
// source, so each error path must also hold from the bundled text.
import { strict as assert } from "node:assert";

import { UNKNOWN } from "../../providers/http";
import { withEnv } from "../harness/serializedProvider";
import { HANG_TIMEOUT_MS, LOST, OPS, OTHER, OWNED, rejection, TOKEN_A, TOKEN_B, useFakeHeroku } from "./helpers";
import { useSerializedProviders } from "./serialized";

const D = "raxx-platform-token-2026-05-06";
const LIST = "/oauth/authorizations";
const POST_503 = { method: "POST", path: LIST, status: 503, body: { id: "service_unavailable", message: "Try later." } };
const TODO_4XX = "Heroku refused the request: correct what its message names, then run Pulumi again.";

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

/** `x` without the `__provider` the host adds. */
function bare(x: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (x === undefined) return undefined;
    const { __provider: _, ...rest } = x;
    return rest;
}

describe("Heroku Authorization, from the serialized text: the edges", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();
    const A = (x: Record<string, unknown>) => ({ ...x, __provider: p.texts.authorization });
    const calls = () => ctx.heroku.requests.map((r) => `${r.method} ${r.path}`);
    const create = () => p.host.create(A({ scope: ["global"], description: D }));
    const path = (id: string) => `${LIST}/${id}`;

    it("check: a scope not a string named by its type, a long one cut to 40; unknowns pass; a lifetime of 0 or less refused, a null one dropped", async () => {
        const long = `x${"y".repeat(60)}`;
        const tail = "is not a Heroku OAuth scope; use one of global, identity, read, write, read-protected, write-protected (e.g. [\"global\"])";
        assert.deepEqual((await p.host.check({}, A({ scope: [5, long], description: D }))).failures, [
            { property: "scope", reason: `a number ${tail}` },
            { property: "scope", reason: `"${long.slice(0, 40)}" ${tail}` },
        ]);
        const unknown = await p.host.check({}, A({ scope: [UNKNOWN, "global"], description: D, expiresIn: UNKNOWN }));
        assert.deepEqual([bare(unknown.inputs), unknown.failures], [{ scope: [UNKNOWN, "global"], description: D, expiresIn: UNKNOWN }, []]);
        const reason = "expiresIn must be a whole number of seconds greater than 0 (e.g. 2592000 for 30 days), or unset for a token that does not expire";
        for (const expiresIn of [0, -60]) assert.deepEqual((await p.host.check({}, A({ scope: ["global"], description: D, expiresIn }))).failures, [{ property: "expiresIn", reason }]);
        const dropped = await p.host.check({}, A({ scope: ["global"], description: D, expiresIn: null }));
        assert.deepEqual([bare(dropped.inputs), dropped.failures], [{ scope: ["global"], description: D }, []]);
    });

    it("check: a new description only when scope or lifetime changes for sure", async () => {
        const reason =
            "description must change when scope or expiresIn does: the change replaces the authorization, and create tells its own " +
            'authorizations apart by description. Give the replacement a new one (for a rotating slot, a new date), e.g. "raxx-platform-token-2026-08-04"';
        const olds = { scope: ["global"], description: D, expiresIn: 3600 };
        const check = async (news: Record<string, unknown>) => (await p.host.check(olds, A(news))).failures;
        assert.deepEqual(await check({ scope: ["global"], description: D, expiresIn: 3600 }), []);
        assert.deepEqual(await check({ scope: ["read"], description: D, expiresIn: 3600 }), [{ property: "description", reason }]);
        assert.deepEqual(await check({ scope: ["global"], description: D, expiresIn: 7200 }), [{ property: "description", reason }]);
        assert.deepEqual(await check({ scope: ["read"], description: D, expiresIn: UNKNOWN }), []);
        assert.deepEqual(await check({ scope: UNKNOWN, description: D, expiresIn: 7200 }), []);
        assert.deepEqual(await check({ scope: ["read", UNKNOWN], description: D, expiresIn: 7200 }), []);
    });

    it("create: an id empty or not a string is no id; a token empty or not a string is revoked again", async () => {
        for (const id of ["", 42]) {
            ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id, description: D, access_token: { token: TOKEN_A } } });
            const err = await rejection(create());
            assert.equal(
                err.message,
                `Heroku API POST /oauth/authorizations returned 201 without an authorization id. Heroku did not create the authorization (GET /oauth/authorizations lists none described "${D}"): run Pulumi again.`,
            );
        }
        for (const token of ["", 42]) {
            ctx.heroku.requests.length = 0;
            ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-bad-token", description: D, access_token: { token } } });
            const err = await rejection(create());
            assert.equal(
                err.message,
                "Heroku API POST /oauth/authorizations returned 201 for authorization auth-bad-token without an access token. Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
            );
            assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "DELETE /oauth/authorizations/auth-bad-token"]);
        }
    });

    it("create: no createdAt when the reply has none, the owner from GET /account when it names no user; an account without an id fails naming GET /account", async () => {
        ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-1", access_token: { token: TOKEN_A } } });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 200, body: { id: OTHER.id, email: 42 } });
        const made = await create();
        assert.deepEqual([made.id, bare(made.outs)], ["auth-1", { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ownerId: OTHER.id, ownerEmail: "" }]);
        assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "GET /account"]);
        ctx.heroku.inject({ method: "POST", path: LIST, status: 201, body: { id: "auth-2", access_token: { token: TOKEN_B } } });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 200, rawBody: "null" });
        const err = await rejection(create());
        assert.equal(
            err.message,
            "Heroku API GET /account returned 200 without an account id. Check the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com) and that the key belongs to a user, then run Pulumi again.",
        );
    });

    it("create: after a lost reply, junk entries are ignored; a list that is not an array reads as empty", async () => {
        ctx.heroku.inject(POST_503);
        const junk = [null, { ...listed("x", TOKEN_A), id: 7 }, listed("", TOKEN_A), { ...listed("y", TOKEN_A), description: "another" }];
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: junk });
        const err = await rejection(create());
        assert.equal(err.message, `${LOST} Heroku did not create the authorization (GET /oauth/authorizations lists none described "${D}"): run Pulumi again.`);
        assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations", "GET /oauth/authorizations"]);
        ctx.heroku.requests.length = 0;
        ctx.heroku.inject({ method: "GET", path: LIST, status: 200, body: { not: "a list" } });
        const made = await create();
        assert.equal(made.outs.token, ctx.heroku.authorizations.get(made.id)?.token);
        assert.deepEqual(calls(), ["GET /oauth/authorizations", "POST /oauth/authorizations"]);
    });

    it("create: after a lost reply, adopts the newest with a token and revokes the others, an undated one counting as oldest", async () => {
        ctx.heroku.inject(POST_503);
        const after = [listed("a-undated", TOKEN_A), listed("b-newest", TOKEN_B, "2026-05-06T12:00:09Z"), listed("c-older", null, "2026-05-06T12:00:05Z"), listed("d-old", TOKEN_A, "2026-05-06T12:00:01Z")];
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: after });
        const made = await create();
        assert.deepEqual([made.id, bare(made.outs)], [
            "b-newest",
            { scope: ["global"], description: D, authorizationId: "b-newest", token: TOKEN_B, createdAt: "2026-05-06T12:00:09Z", ...OWNED },
        ]);
        assert.deepEqual(calls().slice(3), ["DELETE /oauth/authorizations/a-undated", "DELETE /oauth/authorizations/c-older", "DELETE /oauth/authorizations/d-old"]);
        ctx.heroku.requests.length = 0;
        ctx.heroku.inject(POST_503);
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-dated", TOKEN_A, "2026-05-06T12:00:01Z"), listed("b-undated", TOKEN_B)] });
        assert.equal((await create()).id, "a-dated");
        assert.deepEqual(calls().slice(3), ["DELETE /oauth/authorizations/b-undated"]);
    });

    it("create: after a lost reply, a surplus revocation that fails (its token masked), two tokenless ones revoked and named, a list that fails too", async () => {
        ctx.heroku.inject(POST_503);
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-new", TOKEN_B, "2026-05-06T12:00:09Z"), listed("b-old", TOKEN_A, "2026-05-06T12:00:01Z")] });
        ctx.heroku.inject({ method: "DELETE", path: `${LIST}/b-old`, status: 422, body: { id: "invalid_params", message: `cannot revoke ${TOKEN_A}` } });
        assert.equal((await rejection(create())).message, `Heroku API DELETE /oauth/authorizations/b-old failed: 422 invalid_params: cannot revoke [redacted]. ${TODO_4XX}`);

        ctx.heroku.requests.length = 0;
        ctx.heroku.inject(POST_503);
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 200, body: [listed("a-1", null, "2026-05-06T12:00:01Z"), listed("b-2", null, "2026-05-06T12:00:02Z")] });
        assert.equal(
            (await rejection(create())).message,
            `${LOST} Heroku had created 2 authorizations described "${D}" (a-1, b-2), but returns no token for them, so Pulumi revoked them again: run Pulumi again.`,
        );
        assert.deepEqual(calls().slice(3), ["DELETE /oauth/authorizations/a-1", "DELETE /oauth/authorizations/b-2"]);

        ctx.heroku.inject(POST_503);
        ctx.heroku.inject({ method: "GET", path: LIST, skip: 1, status: 422, body: { id: "invalid_range", message: "Bad range." } });
        assert.equal(
            (await rejection(create())).message,
            `${LOST} Heroku may or may not have created the authorization, and listing authorizations to find out failed too (Heroku API GET /oauth/authorizations failed: 422 invalid_range: Bad range.): ` +
                `look for description "${D}" in \`heroku authorizations\`, revoke (\`heroku authorizations:revoke <id>\`) every one that Pulumi does not track, then run Pulumi again.`,
        );
    });

    it("create: gives up after 20 pages of authorizations, before posting anything", async () => {
        ctx.heroku.maxPageSize = 1;
        for (let i = 0; i < 21; i++) ctx.heroku.addAuthorization({ id: `auth-${String(i).padStart(2, "0")}`, description: `old-${i}` });
        assert.equal(
            (await rejection(create())).message,
            "Heroku API GET /oauth/authorizations returned 206 for 20 pages and more remain: revoke the authorizations this key no longer needs (`heroku authorizations`), then run Pulumi again.",
        );
        assert.deepEqual(calls(), Array(20).fill("GET /oauth/authorizations"));
    });

    it("read: keeps scope, description and createdAt from state when Heroku leaves them out; an import leaves out what Heroku leaves out", async () => {
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { access_token: { token: TOKEN_A }, user: { id: OPS.id, email: OPS.email } } });
        const props = { scope: ["read"], description: D, authorizationId: "auth-1", token: TOKEN_B, createdAt: "2026-01-01T00:00:00Z", ...OWNED };
        const kept = await p.host.read("auth-1", A(props));
        assert.deepEqual([kept.id, bare(kept.props)], ["auth-1", { ...props, token: TOKEN_A }]);
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", access_token: null, user: null } });
        const imported = await p.host.read("auth-1", A({}));
        assert.deepEqual([imported.id, bare(imported.props), bare(imported.inputs)], ["auth-1", { scope: [], description: "", authorizationId: "auth-1" }, { scope: [], description: "" }]);
    });

    it("read: keeps the recorded owner when Heroku names no user or one without an id; an unrecorded email reads as empty", async () => {
        const props = { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, createdAt: "2026-01-01T00:00:00Z", ownerId: OTHER.id };
        for (const user of [undefined, null, { id: "" }, { id: 5, email: "x@example.com" }]) {
            ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", scope: ["global"], description: D, user } });
            assert.deepEqual(bare((await p.host.read("auth-1", A(props))).props), { ...props, ownerEmail: "" }, JSON.stringify(user));
        }
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 200, body: { id: "auth-1", scope: ["global"], description: D, user: { id: OPS.id } } });
        assert.deepEqual(bare((await p.host.read("auth-1", A(props))).props), { ...props, ownerId: OPS.id, ownerEmail: "" });
    });

    it("read: an import of one gone is no id, asking nothing more; one whose token Heroku hides keeps none", async () => {
        const gone = await p.host.read("gone-1", A({}));
        assert.deepEqual([gone.id, bare(gone.props)], [undefined, {}]);
        assert.deepEqual(calls(), ["GET /oauth/authorizations/gone-1"]);
        const a = ctx.heroku.addAuthorization({ description: D });
        ctx.heroku.hideTokenOnGet = true;
        assert.deepEqual(bare((await p.host.read(a.id, A({}))).props), { scope: ["global"], description: D, authorizationId: a.id, createdAt: a.createdAt, ...OWNED });
    });

    it("read: masks the token from state in a failure; a recorded owner without an email is named as unrecorded when another key gets a 404", async () => {
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
        const err = await rejection(p.host.read("auth-1", A({ scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ...OWNED })));
        assert.equal(err.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. ${TODO_4XX}`);
        const unrecorded = await rejection(p.host.read("auth-9", A({ scope: ["global"], description: D, authorizationId: "auth-9", token: TOKEN_A, ownerId: OTHER.id })));
        assert.equal(
            unrecorded.message,
            `Heroku API GET ${path("auth-9")} failed: 404 not_found: Couldn't find that authorization. The API key (HEROKU_API_KEY) belongs to ${OPS.email} (id ${OPS.id}), ` +
                `but authorization auth-9 was created by an unrecorded email (id ${OTHER.id}), and Heroku shows an authorization only to its owner, so it may well be live: Pulumi left it in state. ` +
                "Run Pulumi with an unrecorded email's API key (in HEROKU_API_KEY or the secret stack config herokuApiKey).",
        );
    });

    it("update: masks the token from state when recording the owner fails, and copes with state without a token", async () => {
        const olds = { scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A };
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
        const err = await rejection(p.host.update("auth-1", olds, A({ scope: ["global"], description: D })));
        assert.equal(err.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. ${TODO_4XX}`);
        const { token: _t, ...noToken } = olds;
        ctx.heroku.inject({ method: "GET", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: "bad request" } });
        const err2 = await rejection(p.host.update("auth-1", noToken, A({ scope: ["global"], description: D })));
        assert.equal(err2.message, `Heroku API GET ${path("auth-1")} failed: 422 invalid_params: bad request. ${TODO_4XX}`);
    });

    it("delete: masks the token when the revocation fails; checks no token when state has none, or no state at all", async () => {
        ctx.heroku.inject({ method: "DELETE", path: path("auth-1"), status: 422, body: { id: "invalid_params", message: `bad ${TOKEN_A}` } });
        const err = await rejection(p.host.delete("auth-1", A({ scope: ["global"], description: D, authorizationId: "auth-1", token: TOKEN_A, ...OWNED })));
        assert.equal(err.message, `Heroku API DELETE ${path("auth-1")} failed: 422 invalid_params: bad [redacted]. ${TODO_4XX}`);
        ctx.heroku.requests.length = 0;
        const a = ctx.heroku.addAuthorization({ description: D });
        await p.host.delete(a.id, A({ scope: ["global"], description: D, authorizationId: a.id, ...OWNED }));
        const b = ctx.heroku.addAuthorization({ description: D });
        await p.host.delete(b.id, A({}));
        assert.deepEqual(calls(), [`DELETE ${path(a.id)}`, `DELETE ${path(b.id)}`]);
        assert.equal(ctx.heroku.authorizations.size, 0);
    });

    it("delete: a malformed HEROKU_REVOCATION_TIMEOUT_MS is refused after revoking, before checking the token", async () => {
        const a = ctx.heroku.addAuthorization({ description: D });
        const err = await withEnv({ HEROKU_REVOCATION_TIMEOUT_MS: "soon" }, () =>
            rejection(p.host.delete(a.id, A({ scope: ["global"], description: D, authorizationId: a.id, token: a.token, ...OWNED }))),
        );
        assert.equal(err.message, 'HEROKU_REVOCATION_TIMEOUT_MS is "soon", not an integer of at least 1). Set it to a whole number, or unset it for the default 30000.');
        assert.deepEqual(calls(), [`DELETE ${path(a.id)}`]);
    });

    it("delete: the token check fails on an answer other than 401 that will not change, and asks again after a 5xx, a 429 or no answer; the deadline names the last answer", async () => {
        const props = (a: { id: string; token: string }) => A({ scope: ["global"], description: D, authorizationId: a.id, token: a.token, ...OWNED });
        const a = ctx.heroku.addAuthorization({ description: D });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 403, body: { id: "forbidden", message: "No." } });
        const err = await withEnv({ VERIFY_BACKOFF_MS: "1" }, () => rejection(p.host.delete(a.id, props(a))));
        assert.equal(err.message, `authorization ${a.id} (${D}): GET /account with the revoked token failed: Heroku answered Heroku API GET /account failed: 403 forbidden: No. A 401 was expected.`);

        const b = ctx.heroku.addAuthorization({ description: D });
        ctx.heroku.requests.length = 0;
        ctx.heroku.inject({ method: "GET", path: "/account", status: 500, body: { id: "internal", message: "Oops." } });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 429, body: { id: "rate_limit", message: "Slow." } });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 502, body: { id: "bad_gateway", message: "Proxy." } });
        await withEnv({ VERIFY_BACKOFF_MS: "1" }, () => p.host.delete(b.id, props(b)));
        assert.deepEqual(calls(), [`DELETE ${path(b.id)}`, "GET /account", "GET /account", "GET /account", "GET /account"]);

        const c = ctx.heroku.addAuthorization({ description: D });
        ctx.heroku.requests.length = 0;
        ctx.heroku.inject({ method: "GET", path: "/account", hang: true });
        await withEnv({ VERIFY_BACKOFF_MS: "1", HEROKU_HTTP_TIMEOUT_MS: String(HANG_TIMEOUT_MS) }, () => p.host.delete(c.id, props(c)));
        assert.deepEqual(calls(), [`DELETE ${path(c.id)}`, "GET /account", "GET /account"]);

        const d = ctx.heroku.addAuthorization({ description: D });
        ctx.heroku.inject({ method: "GET", path: "/account", status: 503, times: 1000, body: { id: "unavailable", message: "Down." } });
        const late = await withEnv({ HEROKU_REVOCATION_TIMEOUT_MS: "50", VERIFY_BACKOFF_MS: "20" }, () => rejection(p.host.delete(d.id, props(d))));
        assert.match(
            late.message,
            new RegExp(`^authorization ${d.id} \\(${D}\\): GET /account with the revoked token failed: no answer: Heroku API GET /account failed: 503 unavailable: Down\\. \\(\\d+ tries within the check's limit of 50 ms\\)\\.$`),
        );
    });
});

describe("Heroku ConfigVars, from the serialized text: the edges", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();
    const APP = "raxx-console-prod";
    const OWNER = "raxx-platform/prod/audit-ingest-raxx-console-prod";
    const EXAMPLE = "raxx-console-prod:CONSOLE_AUDIT_INGEST_TOKEN,FLAG_CONSOLE_DEPLOY_AUDIT_INGEST";
    const APP_REASON = 'is not a Heroku app name: use 3-30 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (e.g. "raxx-console-prod")';
    const OWNER_REASON = 'owner must be "<project>/<stack>/<resource name>", as the ConfigVars constructor sets it (e.g. "raxx-platform/prod/platform-token-raxx-api-prod")';
    const V = (x: Record<string, unknown>) => ({ ...x, __provider: p.texts.configVars });
    const check = (news: Record<string, unknown>) => p.host.check({}, V(news));

    it("check: an app not a string named by its type, a missing one as missing, a long one cut to 60; an owner not a string refused; unknowns pass", async () => {
        const long = `a${"b".repeat(80)}`;
        assert.deepEqual((await check({ app: 42, owner: OWNER, vars: { FLAG: "on" } })).failures, [{ property: "app", reason: `a number ${APP_REASON}` }]);
        assert.deepEqual((await check({ owner: OWNER, vars: { FLAG: "on" } })).failures, [{ property: "app", reason: `a missing value ${APP_REASON}` }]);
        assert.deepEqual((await check({ app: long, owner: OWNER, vars: { FLAG: "on" } })).failures, [{ property: "app", reason: `"${long.slice(0, 60)}" ${APP_REASON}` }]);
        assert.deepEqual((await check({ app: UNKNOWN, owner: UNKNOWN, vars: { FLAG: "on" } })).failures, []);
        for (const owner of [5, [OWNER]]) assert.deepEqual((await check({ app: APP, owner, vars: { FLAG: "on" } })).failures, [{ property: "owner", reason: OWNER_REASON }]);
    });

    it("check: the both-maps rule waits while either map is unknown; an unknown value passes; a null secretVars is none", async () => {
        const a = await check({ app: APP, owner: OWNER, vars: UNKNOWN, secretVars: { TOKEN: "x" } });
        assert.deepEqual([bare(a.inputs), a.failures], [{ app: APP, owner: OWNER, vars: UNKNOWN, secretVars: { TOKEN: "x" } }, []]);
        assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { length: "on" }, secretVars: UNKNOWN })).failures, []);
        const b = await check({ app: APP, owner: OWNER, vars: { FLAG: UNKNOWN }, secretVars: null });
        assert.deepEqual([bare(b.inputs), b.failures], [{ app: APP, owner: OWNER, vars: { FLAG: UNKNOWN }, secretVars: {} }, []]);
    });

    it("check: a map that is a string or a list is refused; a long bad name is cut to 60", async () => {
        const reason = (x: string) => ({ property: x, reason: `${x} must be a map of config var name to string value` });
        assert.deepEqual((await check({ app: APP, owner: OWNER, vars: "FLAG=on", secretVars: { TOKEN: "x" } })).failures, [reason("vars")]);
        assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { FLAG: "on" }, secretVars: ["x"] })).failures, [reason("secretVars")]);
        const name = `bad-${"n".repeat(80)}`;
        assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { [name]: "on", FLAG: "on" } })).failures, [
            {
                property: "vars",
                reason: `"${name.slice(0, 60)}" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)`,
            },
        ]);
    });

    it("an import id or a stateless delete id that is not <app>:<KEY>[,<KEY>...] is refused, cut to 200 characters, before any request", async () => {
        const refused = (id: string) => `ConfigVars id "${id}" is not of the form <app>:<KEY>[,<KEY>...], e.g. ${EXAMPLE}`;
        for (const id of ["Bad_App:A_KEY", `${APP}:A_KEY,bad-key`, `${APP}:bad-key,A_KEY`]) {
            assert.equal((await rejection(p.host.read(id, V({})))).message, refused(id));
            assert.equal((await rejection(p.host.delete(id, V({})))).message, refused(id));
        }
        const long = `${APP}:${"A".repeat(300)},bad-key`;
        assert.equal((await rejection(p.host.read(long, V({})))).message, refused(long.slice(0, 200)));
        assert.deepEqual(ctx.heroku.requests, []);
    });
});
