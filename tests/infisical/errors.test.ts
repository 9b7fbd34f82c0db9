// Every error path of the Secret provider, run from the serialized `__provider` text
// through the provider-host emulation, which hands the engine only `e.message`. Each
// message is pinned exactly, says what to do, and carries no secret: not the Access
// client secret, not the machine identity's secret, not Infisical's access token, not the value.
import { strict as assert } from "node:assert";

import { ACCESS_DENIED_HTML, errorBody } from "./fakeInfisical";
import { ACCESS_A, ACCESS_B, ACCESS_TODO, assertNoSecrets, ENVIRONMENT, IDENTITY_SECRET, IDENTITY_TODO, KEY, PATH, PERMISSION_TODO, PROJECT, rejection, RETRY, SECRET, SECRET_INPUTS, SECRETS, useFakeInfisical, VALUE } from "./helpers";
import { rebuild, useSerializedSecret } from "./serialized";

const LOGIN = "POST /api/v1/auth/universal-auth/login";
const IDENTITY = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID/INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET";

describe("Infisical Secret: errors, from the serialized text", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();
    const inputs = (over: Record<string, unknown> = {}) => ({ ...SECRET_INPUTS, ...over, __provider: p.text });
    const origin = () => new URL(ctx.vault.url).origin;
    const fails = async (call: Promise<unknown>, expected: string) => {
        const err = await rejection(call);
        assert.equal(err.message, expected);
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
        return err;
    };
    const live = async () => {
        const made = await p.host.create(inputs());
        return { id: made.id, state: made.outs };
    };

    it("the fake enforces Access like Cloudflare: no headers, a 403 page that is not Infisical's JSON", async () => {
        const res = await fetch(`${ctx.vault.url}/api/v1/auth/universal-auth/login`, { method: "POST" });
        assert.equal(res.status, 403);
        assert.equal(await res.text(), ACCESS_DENIED_HTML);
        const half = await fetch(`${ctx.vault.url}${SECRET}`, { headers: { "CF-Access-Client-Id": ACCESS_A.clientId } });
        assert.equal(half.status, 403);
    });

    it("an Access token that is not admitted: Cloudflare Access is named, not Infisical, and nothing reaches Infisical", async () => {
        await fails(p.host.create(inputs({ access: ACCESS_B })), `Cloudflare Access refused ${LOGIN} at ${origin()} after 2 attempts: 403, not an answer from Infisical. ${ACCESS_TODO}`);
        assert.deepEqual(ctx.vault.calls(), []);
    });

    it("a token Access refuses for a moment, as while a policy change spreads, is sent again and goes through", async () => {
        ctx.vault.inject({ status: 403, headers: { "Content-Type": "text/html" }, body: ACCESS_DENIED_HTML, times: 1 });
        const made = (await p.host.create(inputs())) as { id: string };
        assert.equal(typeof made.id, "string");
        assert.equal(ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
    });

    it("a revoked Access token: read and delete fail with the Access message, and state stays", async () => {
        const { id, state } = await live();
        ctx.vault.revoke(ACCESS_A.clientId);
        const expected = `Cloudflare Access refused ${LOGIN} at ${origin()} after 2 attempts: 403, not an answer from Infisical. ${ACCESS_TODO}`;
        await fails(p.host.read(id, state), expected);
        await fails(p.host.delete(id, state), expected);
        assert.equal(ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
    });

    it("an Access redirect to its login page is an Access refusal too", async () => {
        ctx.vault.admits = () => true;
        ctx.vault.inject({ status: 302, headers: { Location: "https://raxx.cloudflareaccess.com/cdn-cgi/access/login/vault.raxx.app" }, body: "", times: 2 });
        await fails(p.host.create(inputs()), `Cloudflare Access refused ${LOGIN} at ${origin()} after 2 attempts: 302 redirect to the Cloudflare Access login, not an answer from Infisical. ${ACCESS_TODO}`);
    });

    it("an Infisical 403 names the machine identity's permission, not Access", async () => {
        ctx.vault.inject({ method: "POST", path: SECRET, status: 403, body: { ...errorBody(403, "You are not allowed to create on secrets"), error: "PermissionDenied" } });
        await fails(
            p.host.create(inputs()),
            `Infisical refused the machine identity (${IDENTITY}) on POST ${SECRET}: 403 PermissionDenied: You are not allowed to create on secrets. ${PERMISSION_TODO}`,
        );
    });

    it("the two 403s carry deniedBy, for callers in process", async () => {
        type P = { create(i: unknown): Promise<unknown> };
        const provider = rebuild<P>(p.text);
        const access = await rejection(provider.create({ ...inputs({ access: ACCESS_B }) }));
        assert.equal((access as unknown as { deniedBy: string }).deniedBy, "cloudflare-access");
        ctx.vault.inject({ method: "GET", path: SECRET, status: 403, body: { ...errorBody(403, "You are not allowed to read on secrets"), error: "PermissionDenied" } });
        const infisical = await rejection(provider.create(inputs()));
        assert.equal((infisical as unknown as { deniedBy: string; name: string }).deniedBy, "infisical");
        assert.equal(infisical.name, "InfisicalApiError");
        assert.equal((infisical as unknown as { id?: unknown }).id, undefined);
    });

    it("a wrong machine identity secret: 401, naming where the identity came from", async () => {
        process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = "wrong-identity-secret-0f3a-do-not-leak";
        const err = await fails(
            p.host.create(inputs()),
            `Infisical rejected the machine identity (${IDENTITY}) on ${LOGIN}: 401 UnauthorizedError: Invalid credentials. ` +
                "Check that the client id is the identity's Universal Auth client id and that the client secret is live (not expired, revoked or used up), " +
                `and that the identity's trusted IPs admit this machine. ${IDENTITY_TODO}`,
        );
        assertNoSecrets(err.message, ["wrong-identity-secret-0f3a-do-not-leak"]);
    });

    it("no machine identity: nothing is sent", async () => {
        delete process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET;
        await fails(p.host.create(inputs()), `Infisical API ${LOGIN} failed: no response (not sent: INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET is not set). ${IDENTITY_TODO}`);
        assert.equal(ctx.vault.requests.length, 0);
    });

    it("the identity from secret stack config wins over the env, and messages name the config keys", async () => {
        const host = new (p.host.constructor as new (c: Record<string, string>) => typeof p.host)({ infisicalClientSecret: "config-secret-wrong-7a1b" });
        await fails(
            host.create(inputs()),
            `Infisical rejected the machine identity (stack config infisicalClientId/infisicalClientSecret) on ${LOGIN}: 401 UnauthorizedError: Invalid credentials. ` +
                "Check that the client id is the identity's Universal Auth client id and that the client secret is live (not expired, revoked or used up), " +
                `and that the identity's trusted IPs admit this machine. ${IDENTITY_TODO}`,
        );
        const ok = new (p.host.constructor as new (c: Record<string, string>) => typeof p.host)({ infisicalClientSecret: IDENTITY_SECRET });
        process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = "env-secret-that-would-fail";
        await ok.create(inputs());
    });

    it("429 with Retry-After: waits as told (capped by INFISICAL_HTTP_MAX_RETRY_AFTER_MS), then succeeds", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 429, headers: { "Retry-After": "5" }, times: 1 });
        const t0 = Date.now();
        await p.host.create(inputs());
        const waited = Date.now() - t0;
        assert.ok(waited >= 380 && waited < 1500, `waited ${waited} ms: Retry-After 5 s capped at 400 ms`);
        assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET && r.method === "GET").length, 2);
    });

    it("429 on every attempt: bounded at INFISICAL_HTTP_MAX_ATTEMPTS", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 429, headers: { "Retry-After": "0" }, times: 100 });
        await fails(
            p.host.create(inputs()),
            `Infisical API GET ${SECRET} failed after 3 attempts: 429 RateLimitExceeded: Rate limit exceeded. Please try again later. Infisical's rate limit is used up: wait a minute for it to refill, ${RETRY}.`,
        );
        assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET).length, 3);
    });

    it("5xx is retried, and bounded", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 503, times: 2 });
        await p.host.create(inputs());
        assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET && r.method === "GET").length, 3, "two 503s, then the answer");
        const { id, state } = await live();
        ctx.vault.inject({ method: "GET", path: SECRET, status: 503, times: 100 });
        await fails(
            p.host.read(id, state),
            `Infisical API GET ${SECRET} failed after 3 attempts: 503 InternalServerError: Something went wrong. Infisical is failing: check that the vault is up, ${RETRY}.`,
        );
    });

    it("a 5xx on the secret's POST is not retried, and says the outcome is unknown", async () => {
        ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
        ctx.vault.inject({ method: "POST", path: SECRET, status: 502, times: 100 });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${SECRET} failed: 502 InternalServerError: Something went wrong. The write of Infisical secret ${KEY} at ${PATH} may or may not have been applied: ` +
                `run \`pulumi refresh\`, ${RETRY} (a create adopts a secret that is already there).`,
        );
        assert.equal(ctx.vault.requests.filter((r) => r.method === "POST" && r.path === SECRET).length, 1);
    });

    it("Infisical echoing the value, the Access secret or the identity secret is masked", async () => {
        ctx.vault.inject({
            method: "POST",
            path: SECRET,
            status: 400,
            body: errorBody(400, `Bad value ${VALUE} sent with ${ACCESS_A.clientSecret} by ${IDENTITY_SECRET}`),
        });
        const err = await rejection(p.host.create(inputs()));
        assert.match(err.message, /^Infisical API POST \/api\/v4\/secrets\/HEROKU_PLATFORM_API_TOKEN failed: 400 BadRequest: Bad value \[redacted\] sent with \[redacted\] by \[redacted\]/);
        assertNoSecrets(err.message, SECRETS);
    });

    it("a change queued for approval is an error, not a success", async () => {
        ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
        ctx.vault.inject({ method: "POST", path: SECRET, status: 200, body: { approval: { id: "apr-1", slug: "apr-1" } } });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${SECRET} queued the change for approval instead of applying it: a change policy covers environment ${ENVIRONMENT} at ${PATH}. ` +
                `Approve or close the request in Infisical, exempt the machine identity from the policy, ${RETRY}.`,
        );
    });

    it("check: names each bad input, never the value", async () => {
        const r = await p.host.check({}, inputs({ projectId: "", environment: "Prod", path: "/MooseQuest/heroku/", key: "1BAD", value: ` ${VALUE} `, access: { clientId: "x" }, owner: "nope" }));
        assert.deepEqual(r.failures, [
            { property: "projectId", reason: 'projectId must be the Infisical project id (Project Settings > Project ID, e.g. "6f1c9a2e-8b7d-4c3a-9e5f-1a2b3c4d5e6f")' },
            { property: "environment", reason: 'environment must be an Infisical environment slug, lowercase (e.g. "prod")' },
            { property: "path", reason: 'path must be "/" or a folder path of letters, digits, dashes and underscores, with no trailing slash (e.g. "/MooseQuest/heroku")' },
            { property: "key", reason: "key must be a secret name of letters, digits and underscores, not starting with a digit (e.g. HEROKU_PLATFORM_API_TOKEN)" },
            { property: "owner", reason: 'owner must be "<project>/<stack>/<resource name>", as the Secret constructor sets it (e.g. "raxx-platform/prod/heroku-token-vault")' },
            {
                property: "value",
                reason: "value has leading or trailing whitespace, which Infisical trims on write (the vault would never hold what Pulumi declared); trim it",
            },
            { property: "access", reason: "access must be the Cloudflare Access service token { clientId, clientSecret } of the stack's active Access slot" },
        ]);
        assertNoSecrets(JSON.stringify(r.failures), SECRETS);
    });
});
