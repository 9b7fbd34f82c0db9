// The Infisical client inside the serialized provider: what each request carries, the
// identity and Access token it refuses to send without, and every shape of reply it can
// get (no reply, a body that is not JSON, an Access page, an Infisical error body of
// each shape). Each message is pinned exactly; the error fields a caller in process reads
// (status, attempts, outcomeUnknown, deniedBy) are pinned too, on a provider rebuilt from
// the same text.
import { strict as assert } from "node:assert";

import { ACCESS_DENIED_HTML, errorBody } from "./fakeInfisical";
import { ACCESS_A, ACCESS_TODO, assertNoSecrets, ENVIRONMENT, IDENTITY_SECRET, IDENTITY_TODO, PATH, PERMISSION_TODO, PROJECT, REFUSED_TODO, REJECTED_TODO, rejection, RETRY, SECRET, SECRET_INPUTS, SECRETS, URL_WORDS, useFakeInfisical, VALUE, WRITE_HINT } from "./helpers";
import { ProviderHost, rebuild, useSerializedSecret } from "./serialized";

const LOGIN = "/api/v1/auth/universal-auth/login";

type Provider = { create(i: unknown): Promise<{ id: string; outs: Record<string, unknown> }> };
type Fields = { message: string; name: string; method: string; path: string; status: number; attempts: number; outcomeUnknown: boolean; deniedBy?: string; summary: string };

describe("Infisical client: requests and replies, from the serialized text", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();
    const inputs = (over: Record<string, unknown> = {}) => ({ ...SECRET_INPUTS, ...over, __provider: p.text });
    const origin = () => new URL(ctx.vault.url).origin;
    /** The error a provider rebuilt from the text throws (all its fields), after checking it carries no secret. */
    const failure = async (call: (provider: Provider) => Promise<unknown>): Promise<Fields> => {
        const err = (await rejection(call(rebuild<Provider>(p.text)))) as unknown as Fields;
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
        return err;
    };
    const fails = async (call: Promise<unknown>, expected: string) => {
        const err = await rejection(call);
        assert.equal(err.message, expected);
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
    };

    describe("the machine identity", () => {
        it("neither the client id nor the secret set: both are named, and nothing is sent", async () => {
            delete process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID;
            delete process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET;
            await fails(
                p.host.create(inputs()),
                `Infisical API POST ${LOGIN} failed: no response (not sent: INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET are not set). ${IDENTITY_TODO}`,
            );
            assert.equal(ctx.vault.requests.length, 0);
        });

        it("only the client id missing: it alone is named", async () => {
            delete process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID;
            await fails(p.host.create(inputs()), `Infisical API POST ${LOGIN} failed: no response (not sent: INFISICAL_UNIVERSAL_AUTH_CLIENT_ID is not set). ${IDENTITY_TODO}`);
            assert.equal(ctx.vault.requests.length, 0);
        });

        it("a client id from stack config alone: the login sends it, and a rejection names the stack config keys", async () => {
            const host = new ProviderHost({ infisicalClientId: "config-identity-id-2b4d" });
            await fails(
                host.create(inputs()),
                `Infisical rejected the machine identity (stack config infisicalClientId/infisicalClientSecret) on POST ${LOGIN}: 401 UnauthorizedError: Invalid credentials. ${REJECTED_TODO}`,
            );
            assert.deepEqual(ctx.vault.requests[0].body, { clientId: "config-identity-id-2b4d", clientSecret: IDENTITY_SECRET });
        });

        it("a login answered 200 with an empty accessToken is refused: nothing else is sent", async () => {
            ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, body: { accessToken: "", tokenType: "Bearer" } });
            await fails(
                p.host.create(inputs()),
                `Infisical API POST ${LOGIN} returned 200 without an accessToken. Something other than Infisical's Universal Auth answered: check ${URL_WORDS}, ${RETRY}.`,
            );
            assert.equal(ctx.vault.requests.length, 1);
        });

        it("a login answered 200 with a JSON null: the same refusal, as an InfisicalApiError of the login", async () => {
            ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, raw: "null" });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(
                err.message,
                `Infisical API POST ${LOGIN} returned 200 without an accessToken. Something other than Infisical's Universal Auth answered: check ${URL_WORDS}, ${RETRY}.`,
            );
            assert.deepEqual([err.name, err.method, err.path, err.status], ["InfisicalApiError", "POST", LOGIN, 200]);
            assert.equal(ctx.vault.requests.length, 1);
        });
    });

    describe("the Access token of the resource", () => {
        const NO_ACCESS =
            `Infisical API POST ${LOGIN} failed: no response (not sent: the resource's access input has no Cloudflare Access service token). ` +
            `Pass the stack's active Access slot's clientId and clientSecret as access, ${RETRY}.`;

        it("no access input, or one with an empty or non-string id or secret: nothing is sent", async () => {
            const cases: [string, unknown][] = [
                ["none", undefined],
                ["empty id", { clientId: "", clientSecret: ACCESS_A.clientSecret }],
                ["numeric id", { clientId: 1, clientSecret: ACCESS_A.clientSecret }],
                ["empty secret", { clientId: ACCESS_A.clientId, clientSecret: "" }],
                ["numeric secret", { clientId: ACCESS_A.clientId, clientSecret: 1 }],
            ];
            for (const [what, access] of cases) {
                const err = await failure((provider) => provider.create({ ...SECRET_INPUTS, access }));
                assert.equal(err.message, NO_ACCESS, what);
                assert.deepEqual([err.name, err.method, err.path, err.status, err.attempts, err.summary], ["InfisicalApiError", "POST", LOGIN, 0, 0, NO_ACCESS], what);
            }
            assert.equal(ctx.vault.requests.length, 0);
        });
    });

    describe("what is sent", () => {
        it("every request asks for JSON and names the provider; only a request with a body says it is JSON; only a GET has a query", async () => {
            await p.host.create(inputs());
            const seen = ctx.vault.requests.map((r) => ({
                request: `${r.method} ${r.url}`,
                accept: r.headers.accept,
                userAgent: r.headers["user-agent"],
                contentType: r.headers["content-type"],
            }));
            const query = new URLSearchParams({
                projectId: PROJECT,
                environment: ENVIRONMENT,
                secretPath: PATH,
                type: "shared",
                viewSecretValue: "true",
                expandSecretReferences: "false",
                include_imports: "false",
            }).toString();
            const agent = "raxx-platform-pulumi-infisical";
            assert.deepEqual(seen, [
                { request: `POST ${LOGIN}`, accept: "application/json", userAgent: agent, contentType: "application/json" },
                { request: `GET ${SECRET}?${query}`, accept: "application/json", userAgent: agent, contentType: undefined },
                { request: "POST /api/v1/folders", accept: "application/json", userAgent: agent, contentType: "application/json" },
                { request: `POST ${SECRET}`, accept: "application/json", userAgent: agent, contentType: "application/json" },
            ]);
        });
    });

    describe("no reply", () => {
        it("a connection dropped on every GET: bounded, names the vault's origin, and a read's outcome is known", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 0, silence: "drop", times: 3 });
            const err = await failure((provider) => provider.create(inputs()));
            const summary = `Infisical API GET ${SECRET} failed after 3 attempts: no response (network error reaching ${origin()}: UND_ERR_SOCKET).`;
            assert.equal(err.message, `${summary} Check the network and ${URL_WORDS}, ${RETRY}.`);
            assert.deepEqual([err.status, err.attempts, err.outcomeUnknown, err.summary], [0, 3, false, summary]);
            assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET).length, 3);
        });

        it("a vault URL that cannot be parsed: the vault is named, not the URL", async () => {
            process.env.INFISICAL_API_URL = "http://vault raxx.app";
            await fails(
                p.host.create(inputs()),
                `Infisical API POST ${LOGIN} failed after 3 attempts: no response (network error reaching the vault: ERR_INVALID_URL). Check the network and ${URL_WORDS}, ${RETRY}.`,
            );
        });

        it("a login that times out on every attempt: says so, with the knob that sets the timeout; a POST's outcome is unknown", async () => {
            process.env.INFISICAL_HTTP_TIMEOUT_MS = "60";
            ctx.vault.inject({ method: "POST", path: LOGIN, status: 0, silence: "hang", times: 3 });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(
                err.message,
                `Infisical API POST ${LOGIN} failed after 3 attempts: no response (timed out after 60 ms). ` +
                    `Check the network and that the vault answers, ${RETRY} (INFISICAL_HTTP_TIMEOUT_MS sets the timeout of each attempt).`,
            );
            assert.deepEqual([err.status, err.attempts, err.outcomeUnknown], [0, 3, true]);
        });

        it("the secret's POST timing out is not sent again, and gives the write's own advice", async () => {
            process.env.INFISICAL_HTTP_TIMEOUT_MS = "60";
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 0, silence: "hang", times: 3 });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(err.message, `Infisical API POST ${SECRET} failed: no response (timed out after 60 ms). ${WRITE_HINT}`);
            assert.deepEqual([err.status, err.attempts, err.outcomeUnknown], [0, 1, true]);
            assert.equal(ctx.vault.requests.filter((r) => r.method === "POST" && r.path === SECRET).length, 1);
        });
    });

    describe("a 2xx that is not JSON", () => {
        const NOT_INFISICAL = `Something other than Infisical answered: check ${URL_WORDS} and any proxy on the way, ${RETRY}.`;

        it("a GET answered 200 with an HTML page: something else answered", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, raw: "<html><body>Welcome to the proxy</body></html>" });
            const err = await failure((provider) => provider.create(inputs()));
            const summary = `Infisical API GET ${SECRET} returned 200 with a body that is not JSON.`;
            assert.equal(err.message, `${summary} ${NOT_INFISICAL}`);
            assert.deepEqual([err.status, err.attempts, err.outcomeUnknown, err.summary], [200, 1, false, summary]);
        });

        it("a GET answered 200 with an empty body: no JSON either", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, raw: "" });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} returned 200 with a body that is not JSON. ${NOT_INFISICAL}`);
        });

        it("the login answered 200 with HTML: the generic advice, and the outcome of the POST unknown", async () => {
            ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, raw: "<html></html>" });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(err.message, `Infisical API POST ${LOGIN} returned 200 with a body that is not JSON. ${NOT_INFISICAL}`);
            assert.equal(err.outcomeUnknown, true);
        });

        it("the secret's POST answered 200 with HTML: the write's own advice", async () => {
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 200, raw: "<html></html>" });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(err.message, `Infisical API POST ${SECRET} returned 200 with a body that is not JSON. ${WRITE_HINT}`);
            assert.deepEqual([err.status, err.outcomeUnknown], [200, true]);
        });
    });

    describe("Cloudflare Access or Infisical", () => {
        it("a 300 with Infisical's JSON is Infisical's refusal, not a success", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 300, body: errorBody(300, "Multiple Choices") });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 300 InternalServerError: Multiple Choices. ${REFUSED_TODO}`);
        });

        it("a 300 page, without a Location to the Access login: an Access refusal, a plain redirect", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 300, raw: "", times: 2 });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(err.message, `Cloudflare Access refused GET ${SECRET} at ${origin()} after 2 attempts: 300 redirect, not an answer from Infisical. ${ACCESS_TODO}`);
            assert.deepEqual([err.status, err.attempts, err.deniedBy], [300, 2, "cloudflare-access"]);
        });

        it("a 401 page that is not Infisical's JSON is Access's", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 401, raw: ACCESS_DENIED_HTML, times: 2 });
            await fails(p.host.create(inputs()), `Cloudflare Access refused GET ${SECRET} at ${origin()} after 2 attempts: 401, not an answer from Infisical. ${ACCESS_TODO}`);
        });

        it("a 400 page that is not JSON is Infisical's refusal, sent once, with no name or message", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, raw: "<html>Bad Request</html>" });
            const err = await failure((provider) => provider.create(inputs()));
            assert.equal(err.message, `Infisical API GET ${SECRET} failed: 400. ${REFUSED_TODO}`);
            assert.deepEqual([err.deniedBy, err.attempts], [undefined, 1]);
            assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET).length, 1);
        });

        it("a 400 whose body is JSON null, or empty, is the same refusal", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, raw: "null" });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 400. ${REFUSED_TODO}`);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, raw: "" });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 400. ${REFUSED_TODO}`);
        });

        it("a 403 whose JSON has Infisical's statusCode only, or its reqId only, is Infisical's; one with neither is Access's", async () => {
            const permission = `Infisical refused the machine identity (INFISICAL_UNIVERSAL_AUTH_CLIENT_ID/INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET) on GET ${SECRET}`;
            ctx.vault.inject({ method: "GET", path: SECRET, status: 403, body: { statusCode: 403, message: "Not allowed", error: "PermissionDenied" } });
            await fails(p.host.create(inputs()), `${permission}: 403 PermissionDenied: Not allowed. ${PERMISSION_TODO}`);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 403, body: { reqId: "req-1", message: "Not allowed", error: "PermissionDenied" } });
            await fails(p.host.create(inputs()), `${permission}: 403 PermissionDenied: Not allowed. ${PERMISSION_TODO}`);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 403, body: { message: "Forbidden" }, times: 2 });
            await fails(p.host.create(inputs()), `Cloudflare Access refused GET ${SECRET} at ${origin()} after 2 attempts: 403, not an answer from Infisical. ${ACCESS_TODO}`);
        });

        it("Infisical's 401 and 403 are denied by Infisical; its 400 by no one", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 401, body: errorBody(401, "Token expired") });
            const expired = await failure((provider) => provider.create(inputs()));
            assert.equal(expired.deniedBy, "infisical");
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: errorBody(400, "Bad query") });
            const bad = await failure((provider) => provider.create(inputs()));
            assert.equal(bad.message, `Infisical API GET ${SECRET} failed: 400 BadRequest: Bad query. ${REFUSED_TODO}`);
            assert.equal(bad.deniedBy, undefined);
        });
    });

    describe("Infisical's error body", () => {
        it("without an error name: the status and the message", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: { statusCode: 400, message: "Bad query" } });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 400: Bad query. ${REFUSED_TODO}`);
        });

        it("with an empty message: the status and the name", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: { statusCode: 400, message: "", error: "BadRequest" } });
            await fails(p.host.create(inputs()), `Infisical API GET ${SECRET} failed: 400 BadRequest. ${REFUSED_TODO}`);
        });

        it("with a message that is a list (validation errors): shown as JSON", async () => {
            ctx.vault.inject({ method: "POST", path: "/api/v1/folders", status: 422, body: { statusCode: 422, message: [{ path: ["name"], message: "Required" }], error: "ValidationFailure" } });
            await fails(
                p.host.create(inputs()),
                `Infisical API POST /api/v1/folders failed: 422 ValidationFailure: [{"path":["name"],"message":"Required"}]. ${REFUSED_TODO}`,
            );
        });

        it("a 5xx on a GET: a read's outcome is known; a 4xx on a write: its outcome is known too", async () => {
            ctx.vault.inject({ method: "GET", path: SECRET, status: 503, times: 3 });
            const read = await failure((provider) => provider.create(inputs()));
            assert.deepEqual([read.status, read.attempts, read.outcomeUnknown], [503, 3, false]);
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 400, body: errorBody(400, `Value ${VALUE} refused`) });
            const write = await failure((provider) => provider.create(inputs()));
            assert.equal(write.message, `Infisical API POST ${SECRET} failed: 400 BadRequest: Value [redacted] refused. ${REFUSED_TODO}`);
            assert.deepEqual([write.status, write.outcomeUnknown], [400, false]);
        });
    });
});
