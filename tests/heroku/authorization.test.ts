import { strict as assert } from "node:assert";

import { AuthorizationInputs, AuthorizationOutputs, AuthorizationProvider } from "../../providers/heroku";
import { UNKNOWN } from "../../providers/http";
import { withEnv } from "../harness/serializedProvider";
import { API_KEY, assertNoSecrets, BAD_AUTHORIZATION_FAILURES, FAST, HANG_TIMEOUT_MS, OWNED, rejection, useFakeHeroku } from "./helpers";


const DESCRIPTION = "raxx-platform-token-2026-05-06";

describe("Heroku Authorization provider", () => {
    const ctx = useFakeHeroku();
    const provider = () => new AuthorizationProvider(FAST);

    describe("check", () => {
        it("accepts scope, description and expiresIn, and passes them on", async () => {
            const news = { scope: ["global"], description: DESCRIPTION, expiresIn: 2592000 };
            assert.deepEqual(await provider().check({} as AuthorizationInputs, news), { inputs: news, failures: [] });
            const noExpiry = { scope: ["read", "identity"], description: DESCRIPTION };
            assert.deepEqual(await provider().check({} as AuthorizationInputs, noExpiry), { inputs: noExpiry, failures: [] });
        });

        it("names every bad input with an example of a good one", async () => {
            const bad = { scope: ["globl", "global"], description: " ", expiresIn: 1.5 } as AuthorizationInputs;
            assert.deepEqual((await provider().check({} as AuthorizationInputs, bad)).failures, BAD_AUTHORIZATION_FAILURES);
            const empty = { scope: [], description: DESCRIPTION } as AuthorizationInputs;
            assert.deepEqual((await provider().check({} as AuthorizationInputs, empty)).failures, [
                { property: "scope", reason: 'scope must list at least one OAuth scope, e.g. ["global"]' },
            ]);
        });

        it("lets values that are unknown during preview through", async () => {
            const news = { scope: UNKNOWN, description: UNKNOWN } as unknown as AuthorizationInputs;
            assert.deepEqual(await provider().check({} as AuthorizationInputs, news), { inputs: news, failures: [] });
        });
    });

    describe("diff", () => {
        const olds: AuthorizationOutputs = {
            scope: ["global", "identity"],
            description: DESCRIPTION,
            authorizationId: "auth-1",
            token: "HRKU-old",
            createdAt: "2026-05-06T12:00:00Z",
            ...OWNED,
        };

        it("reports no change when only the order of scopes differs", async () => {
            const news = { scope: ["identity", "global"], description: DESCRIPTION };
            assert.deepEqual(await provider().diff("auth-1", olds, news), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("replaces, creating the new authorization first, on a new description", async () => {
            const news = { scope: ["global", "identity"], description: "raxx-platform-token-2026-08-01" };
            assert.deepEqual(await provider().diff("auth-1", olds, news), { changes: true, replaces: ["description"], deleteBeforeReplace: false });
        });

        it("replaces on a new scope or lifetime", async () => {
            const news = { scope: ["global"], description: DESCRIPTION, expiresIn: 3600 };
            assert.deepEqual(await provider().diff("auth-1", olds, news), {
                changes: true,
                replaces: ["scope", "expiresIn"],
                deleteBeforeReplace: false,
            });
        });

        it("reports new provider code alone as an update, which keeps every output", async () => {
            const news = { scope: ["global", "identity"], description: DESCRIPTION, __provider: "new code" } as AuthorizationInputs;
            const stored = { ...olds, __provider: "old code" } as AuthorizationOutputs;
            assert.deepEqual(await provider().diff("auth-1", stored, news), { changes: true, replaces: [], deleteBeforeReplace: false });
            assert.deepEqual(await provider().update("auth-1", stored, news), { outs: olds });
            assert.deepEqual(ctx.heroku.requests, []);
        });
    });

    describe("create", () => {
        it("POSTs scope and description, and returns the id and token", async () => {
            const res = await provider().create({ scope: ["global"], description: DESCRIPTION });
            const [stored] = [...ctx.heroku.authorizations.values()];
            assert.deepEqual(ctx.heroku.requests.map((r) => [r.method, r.path, r.body]), [
                ["GET", "/oauth/authorizations", undefined],
                ["POST", "/oauth/authorizations", { scope: ["global"], description: DESCRIPTION }],
            ]);
            assert.deepEqual(res, {
                id: stored.id,
                outs: {
                    scope: ["global"],
                    description: DESCRIPTION,
                    authorizationId: stored.id,
                    token: stored.token,
                    createdAt: "2026-05-06T12:00:01Z",
                    ...OWNED,
                },
            });
        });

        it("sends expires_in when expiresIn is set", async () => {
            const res = await provider().create({ scope: ["global"], description: DESCRIPTION, expiresIn: 7200 });
            assert.deepEqual(ctx.heroku.requestsOf("POST")[0].body, { scope: ["global"], description: DESCRIPTION, expires_in: 7200 });
            assert.equal(res.outs?.expiresIn, 7200);
            assert.equal(ctx.heroku.authorizations.get(res.id)?.expiresIn, 7200);
        });

        it("retries a 429 and creates exactly one authorization", async () => {
            ctx.heroku.inject({ method: "POST", status: 429, headers: { "Retry-After": "0" }, body: { id: "rate_limit", message: "Slow down." } });
            const res = await provider().create({ scope: ["global"], description: DESCRIPTION });
            assert.equal(ctx.heroku.requestsOf("POST").length, 2);
            assert.deepEqual([...ctx.heroku.authorizations.keys()], [res.id]);
        });

        it("fails with Heroku's id and message on a rejected request", async () => {
            ctx.heroku.inject({ method: "POST", status: 422, body: { id: "invalid_params", message: "Invalid scope." } });
            const err = await rejection(provider().create({ scope: ["global"], description: DESCRIPTION }));
            assert.equal(
                err.message,
                "Heroku API POST /oauth/authorizations failed: 422 invalid_params: Invalid scope. Heroku refused the request: correct what its message names, then run Pulumi again.",
            );
            assert.equal(ctx.heroku.authorizations.size, 0);
        });

        it("on a timeout after Heroku applied the POST, adopts what it made instead of posting again", async () => {
            ctx.heroku.inject({ method: "POST", applyThenHang: true });
            const res = await new AuthorizationProvider({ ...FAST, timeoutMs: HANG_TIMEOUT_MS }).create({ scope: ["global"], description: DESCRIPTION });
            const [created] = [...ctx.heroku.authorizations.values()];
            assert.equal(ctx.heroku.requestsOf("POST").length, 1, "a POST is never retried after a timeout");
            assert.deepEqual(res, {
                id: created.id,
                outs: { scope: ["global"], description: DESCRIPTION, authorizationId: created.id, token: created.token, createdAt: created.createdAt, ...OWNED },
            });
        });

        it("revokes an authorization that came back without a token, and fails", async () => {
            ctx.heroku.inject({ method: "POST", status: 201, body: { id: "4b5d-no-token", description: DESCRIPTION, scope: ["global"], access_token: null } });
            const err = await rejection(provider().create({ scope: ["global"], description: DESCRIPTION }));
            assert.equal(
                err.message,
                "Heroku API POST /oauth/authorizations returned 201 for authorization 4b5d-no-token without an access token. Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
            );
            assert.deepEqual(ctx.heroku.requests.map((r) => `${r.method} ${r.path}`), [
                "GET /oauth/authorizations",
                "POST /oauth/authorizations",
                "DELETE /oauth/authorizations/4b5d-no-token",
            ]);
        });
    });

    describe("read", () => {
        it("returns the live authorization, with its token", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION, scope: ["global"] });
            const props: AuthorizationOutputs = { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token, createdAt: a.createdAt, ...OWNED };
            assert.deepEqual(await provider().read(a.id, props), { id: a.id, props });
            assert.deepEqual(ctx.heroku.requests.map((r) => `${r.method} ${r.path}`), [`GET /oauth/authorizations/${a.id}`]);
        });

        it("keeps the token from state when Heroku leaves it out, and shows a changed description as drift", async () => {
            const a = ctx.heroku.addAuthorization({ description: "renamed-in-the-dashboard", scope: ["global"] });
            ctx.heroku.hideTokenOnGet = true;
            const props: AuthorizationOutputs = { scope: ["global"], description: DESCRIPTION, expiresIn: 600, authorizationId: a.id, token: "HRKU-from-state", createdAt: a.createdAt, ...OWNED };
            const read = await provider().read(a.id, props);
            assert.deepEqual(read, { id: a.id, props: { ...props, description: "renamed-in-the-dashboard" } });
            const diff = await provider().diff(a.id, read.props!, { scope: ["global"], description: DESCRIPTION, expiresIn: 600 });
            assert.deepEqual(diff, { changes: true, replaces: ["description"], deleteBeforeReplace: false });
        });

        it("returns no id for a revoked authorization of the key's own account, so refresh drops it", async () => {
            const props: AuthorizationOutputs = { scope: ["global"], description: DESCRIPTION, authorizationId: "gone-1", token: "HRKU-revoked", ...OWNED };
            assert.deepEqual(await provider().read("gone-1", props), {});
            assert.deepEqual(ctx.heroku.requests.map((r) => `${r.method} ${r.path}`), ["GET /oauth/authorizations/gone-1", "GET /account"]);
        });

        it("imports by id: returns state and the inputs that match it", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION, scope: ["global"] });
            assert.deepEqual(await provider().read(a.id), {
                id: a.id,
                props: { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token, createdAt: a.createdAt, ...OWNED },
                inputs: { scope: ["global"], description: DESCRIPTION },
            });
        });
    });

    describe("delete", () => {
        /** Each request as `<method> <path> as <whose key>`: the stack's, or the revoked token. */
        const sent = (token: string) => ctx.heroku.requests.map((r) => `${r.method} ${r.path} as ${r.headers.authorization === `Bearer ${token}` ? "the revoked token" : r.headers.authorization === `Bearer ${API_KEY}` ? "the stack's key" : "someone else"}`);

        it("revokes the authorization, then confirms Heroku refuses its token", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION });
            await provider().delete(a.id, { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token });
            assert.deepEqual(sent(a.token), [`DELETE /oauth/authorizations/${a.id} as the stack's key`, "GET /account as the revoked token"]);
            assert.equal(ctx.heroku.authorizations.size, 0);
        });

        it("treats a 404 as already revoked when the key's account is the owner, and confirms the token is refused", async () => {
            await provider().delete("already-gone", { scope: ["global"], description: DESCRIPTION, authorizationId: "already-gone", token: "HRKU-x", ...OWNED });
            assert.deepEqual(sent("HRKU-x"), ["DELETE /oauth/authorizations/already-gone as the stack's key", "GET /account as the stack's key", "GET /account as the revoked token"]);
        });

        it("fails, naming the authorization and never the token, when Heroku still accepts the revoked token at the deadline", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION });
            ctx.heroku.revokedTokensStayLive = true;
            const err = await withEnv({ HEROKU_REVOCATION_TIMEOUT_MS: "50", VERIFY_BACKOFF_MS: "20" }, () =>
                rejection(provider().delete(a.id, { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token })),
            );
            const tries = ctx.heroku.requests.filter((r) => r.path === "/account").length;
            assert.ok(tries >= 2, `asked ${tries} times`);
            assert.equal(
                err.message,
                `authorization ${a.id} (${DESCRIPTION}): GET /account with the revoked token failed: Heroku still accepts the revoked token (${tries} tries within the check's limit of 50 ms).`,
            );
            assertNoSecrets(`${err.message}\n${err.stack ?? ""}`, [a.token]);
        });

        it("does not check the revoked token when stack config verifyCredentials is false (break-glass)", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION });
            const p = provider();
            await p.configure({ config: { get: (k: string) => (k === "verifyCredentials" ? "false" : undefined), require: () => "" } } as never);
            await p.delete(a.id, { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token });
            assert.deepEqual(sent(a.token), [`DELETE /oauth/authorizations/${a.id} as the stack's key`]);
        });

        it("fails after retrying a 503 storm, without echoing the token", async () => {
            const a = ctx.heroku.addAuthorization({ description: DESCRIPTION });
            ctx.heroku.inject({ method: "DELETE", status: 503, times: 100, body: { id: "service_unavailable", message: `cannot revoke ${a.token} now` } });
            const err = await rejection(provider().delete(a.id, { scope: ["global"], description: DESCRIPTION, authorizationId: a.id, token: a.token }));
            assert.equal(
                err.message,
                `Heroku API DELETE /oauth/authorizations/${a.id} failed after 3 attempts: 503 service_unavailable: cannot revoke [redacted] now. ` +
                    "Heroku is failing: check https://status.heroku.com, then run Pulumi again.",
            );
            assert.equal(ctx.heroku.requestsOf("DELETE").length, 3);
            assertNoSecrets(`${err.message}\n${err.stack}`, [a.token, API_KEY]);
            assert.equal(ctx.heroku.authorizations.size, 1);
        });
    });
});
