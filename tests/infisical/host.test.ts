// The Secret provider's paths that tests/infisical/client.test.ts and decisions.test.ts drive
// on a provider rebuilt from the text (to read an error's fields), driven here through the
// emulated provider host as well, as the engine calls them: what check, diff and read answer
// there, and the exact message the engine gets for each reply the rebuilt provider refused.
import { strict as assert } from "node:assert";

import { errorBody } from "./fakeInfisical";
import { ACCESS_A, ACCESS_TODO, assertNoSecrets, ENVIRONMENT, KEY, PATH, PROJECT, REFUSED_TODO, REJECTED_TODO, rejection, RETRY, SECRET, SECRET_INPUTS, SECRETS, STACK, URL_WORDS, useFakeInfisical, VALUE, WRITE_HINT } from "./helpers";
import { useSerializedSecret } from "./serialized";

const LOGIN = "/api/v1/auth/universal-auth/login";
const OWNER_KEY = "raxx-platform-owner";
const NOT_INFISICAL = `Something other than Infisical answered: check ${URL_WORDS} and any proxy on the way, ${RETRY}.`;

describe("Infisical Secret: the rebuilt provider's paths, through the host", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();
    const inputs = (over: Record<string, unknown> = {}) => ({ ...SECRET_INPUTS, ...over, __provider: p.text });
    const origin = () => new URL(ctx.vault.url).origin;
    const fails = async (call: Promise<unknown>, expected: string) => {
        const err = await rejection(call);
        assert.equal(err.message, expected);
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
    };

    it("check: no access at all is refused; only the inputs it knows that are set come back", async () => {
        const { access: _a, ...noAccess } = SECRET_INPUTS;
        assert.deepEqual((await p.host.check({}, { ...noAccess, __provider: p.text })).failures, [
            { property: "access", reason: "access must be the Cloudflare Access service token { clientId, clientSecret } of the stack's active Access slot" },
        ]);
        const { owner: _o, ...noOwner } = SECRET_INPUTS;
        const r = await p.host.check({}, { ...noOwner, __provider: p.text, instance: "0123456789abcdef" });
        assert.deepEqual(r.inputs, { ...noOwner, __provider: p.text });
    });

    it("diff: state or inputs without an access token is an update; neither is no change", async () => {
        const { access: _a, ...noAccess } = SECRET_INPUTS;
        const update = { changes: true, replaces: [], deleteBeforeReplace: false };
        const same = { changes: false, replaces: [], deleteBeforeReplace: false };
        assert.deepEqual(await p.host.diff("id", { ...noAccess, __provider: p.text }, inputs()), update);
        assert.deepEqual(await p.host.diff("id", inputs(), { ...noAccess, __provider: p.text }), update);
        assert.deepEqual(await p.host.diff("id", { ...noAccess, __provider: p.text }, { ...noAccess, __provider: p.text }), same);
        assert.deepEqual(await p.host.diff("id", { ...noAccess, access: {}, __provider: p.text }, { ...noAccess, __provider: p.text }), same);
    });

    it("read: without state (an import), without its key or its access token, refused, sending nothing", async () => {
        const id = `${PROJECT}:${ENVIRONMENT}:${PATH}:${KEY}`;
        const expected =
            `Infisical Secret ${id}: read needs the resource's state (its access token and owner). Importing is not supported: ` +
            "declare the secret with its current value and run `pulumi up`, which adopts it without writing the value.";
        const { access: _a, ...noAccess } = SECRET_INPUTS;
        const { key: _k, ...noKey } = SECRET_INPUTS;
        for (const props of [{}, noKey, noAccess]) await fails(p.host.read(id, { ...props, __provider: p.text }), expected);
        assert.equal(ctx.vault.requests.length, 0);
    });

    it("create without a usable Access token (none, an empty or non-string id or secret): nothing is sent", async () => {
        const expected =
            `Infisical API POST ${LOGIN} failed: no response (not sent: the resource's access input has no Cloudflare Access service token). ` +
            `Pass the stack's active Access slot's clientId and clientSecret as access, ${RETRY}.`;
        for (const access of [undefined, { clientId: "", clientSecret: ACCESS_A.clientSecret }, { clientId: 1, clientSecret: ACCESS_A.clientSecret }, { clientId: ACCESS_A.clientId, clientSecret: "" }, { clientId: ACCESS_A.clientId, clientSecret: 1 }]) {
            const props = inputs({ access });
            if (access === undefined) delete (props as Record<string, unknown>).access;
            await fails(p.host.create(props), expected);
        }
        assert.equal(ctx.vault.requests.length, 0);
    });

    it("the login: answered JSON null, or HTML; timed out on every attempt", async () => {
        ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, raw: "null" });
        await fails(p.host.create(inputs()), `Infisical API POST ${LOGIN} returned 200 without an accessToken. Something other than Infisical's Universal Auth answered: check ${URL_WORDS}, ${RETRY}.`);
        ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, raw: "<html></html>" });
        await fails(p.host.create(inputs()), `Infisical API POST ${LOGIN} returned 200 with a body that is not JSON. ${NOT_INFISICAL}`);
        process.env.INFISICAL_HTTP_TIMEOUT_MS = "60";
        ctx.vault.inject({ method: "POST", path: LOGIN, status: 0, silence: "hang", times: 3 });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${LOGIN} failed after 3 attempts: no response (timed out after 60 ms). ` +
                `Check the network and that the vault answers, ${RETRY} (INFISICAL_HTTP_TIMEOUT_MS sets the timeout of each attempt).`,
        );
    });

    it("the secret's GET: dropped on every attempt, an HTML page, a 300 page, a 400 page that is not JSON, Infisical's 401, a 503 for good, a 200 without the secret", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 0, silence: "drop", times: 3 });
        await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed after 3 attempts: no response (network error reaching ${origin()}: UND_ERR_SOCKET). Check the network and ${URL_WORDS}, ${RETRY}.`);
        ctx.vault.inject({ method: "GET", path: SECRET, status: 200, raw: "<html><body>Welcome to the proxy</body></html>" });
        await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} returned 200 with a body that is not JSON. ${NOT_INFISICAL}`);
        ctx.vault.inject({ method: "GET", path: SECRET, status: 300, raw: "", times: 2 });
        await fails(p.host.create(inputs()), `Cloudflare Access refused GET ${SECRET} at ${origin()} after 2 attempts: 300 redirect, not an answer from Infisical. ${ACCESS_TODO}`);
        ctx.vault.inject({ method: "GET", path: SECRET, status: 400, raw: "<html>Bad Request</html>" });
        await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 400. ${REFUSED_TODO}`);
        ctx.vault.inject({ method: "GET", path: SECRET, status: 401, body: errorBody(401, "Token expired") });
        await fails(
            p.host.create(inputs()),
            `Infisical rejected the machine identity (INFISICAL_UNIVERSAL_AUTH_CLIENT_ID/INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) on GET ${SECRET}: 401 UnauthorizedError: Token expired. ${REJECTED_TODO}`,
        );
        ctx.vault.inject({ method: "GET", path: SECRET, status: 503, times: 3 });
        await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed after 3 attempts: 503 InternalServerError: Something went wrong. Infisical is failing: check that the vault is up, ${RETRY}.`);
        ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: {} });
        await fails(
            p.host.create(inputs()),
            `Infisical API GET ${SECRET} returned 200 without the secret's value. The machine identity may lack permission to read secret values (the value is hidden), ` +
                `or something other than Infisical answered: give the identity read access to secret values in this environment and path, ${RETRY}.`,
        );
        assert.equal(ctx.vault.writes, 0);
    });

    it("the secret's POST: timed out (sent once), HTML, a 400 echoing the value, queued for approval", async () => {
        ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
        process.env.INFISICAL_HTTP_TIMEOUT_MS = "60";
        ctx.vault.inject({ method: "POST", path: SECRET, status: 0, silence: "hang" });
        await fails(p.host.create(inputs()), `Infisical API POST ${SECRET} failed: no response (timed out after 60 ms). ${WRITE_HINT}`);
        assert.equal(ctx.vault.requests.filter((r) => r.method === "POST" && r.path === SECRET).length, 1);
        process.env.INFISICAL_HTTP_TIMEOUT_MS = "2000";
        ctx.vault.inject({ method: "POST", path: SECRET, status: 200, raw: "<html></html>" });
        await fails(p.host.create(inputs()), `Infisical API POST ${SECRET} returned 200 with a body that is not JSON. ${WRITE_HINT}`);
        ctx.vault.inject({ method: "POST", path: SECRET, status: 400, body: errorBody(400, `Value ${VALUE} refused`) });
        await fails(p.host.create(inputs()), `Infisical API POST ${SECRET} failed: 400 BadRequest: Value [redacted] refused. ${REFUSED_TODO}`);
        ctx.vault.inject({ method: "POST", path: SECRET, status: 200, body: { approval: { id: "apr-1" } } });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${SECRET} queued the change for approval instead of applying it: a change policy covers environment ${ENVIRONMENT} at ${PATH}. ` +
                `Approve or close the request in Infisical, exempt the machine identity from the policy, ${RETRY}.`,
        );
    });

    it("an owner entry that is not <project>/<stack>/ shaped is another stack's: refused, nothing written", async () => {
        const owner = `/${STACK}/heroku-token-vault#0123456789abcdef`;
        ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE, owner);
        await fails(
            p.host.create(inputs()),
            `Infisical secret ${KEY} at ${PATH} (environment ${ENVIRONMENT}) belongs to another stack: its ${OWNER_KEY} metadata names ${owner}. ` +
                `Nothing was written. Declare each secret in one stack only; if that stack no longer manages it, remove the ${OWNER_KEY} metadata from the secret in the Infisical UI, ${RETRY}.`,
        );
        assert.equal(ctx.vault.writes, 0);
    });
});
