// The policy provider's failures, on the serialized provider: the API token (from the env or
// the stack config), rate limits, bounded retries, and messages that never carry a secret.
import { strict as assert } from "node:assert";

import { ACCOUNT, API_TOKEN, APP_ID, DOMAIN, POLICY_NAME, ProviderHost, TOKEN_A, TOKEN_B, assertNoSecrets, providerText, rejection, useFakeCloudflare } from "./helpers";

const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;
const TOKEN_TODO =
    'Set an API token with the account permission "Access: Apps and Policies Edit" in CLOUDFLARE_API_TOKEN, ' +
    "or in the secret stack config (`pulumi config set --secret cloudflare:apiToken <token>`).";

describe("Cloudflare AccessApplicationPolicy: errors (serialized provider)", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    const messages: string[] = [];
    before(async () => {
        text = await providerText();
    });
    after(() => assertNoSecrets(messages.join("\n")));

    const inputs = () => ({ accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN, policyName: POLICY_NAME, serviceTokenIds: [TOKEN_A.id, TOKEN_B.id], __provider: text });
    async function fails(p: Promise<unknown>): Promise<string> {
        const e = await rejection(p);
        messages.push(e.message);
        assertNoSecrets(e.message);
        return e.message;
    }
    const policies = () => ctx.cf.apps.get(APP_ID)!.policies.filter((p) => p.name === POLICY_NAME);

    it("a token Cloudflare refuses (403, code 10000) fails at once, naming where the token came from, never the token", async () => {
        process.env.CLOUDFLARE_API_TOKEN = "cf-wrong-token-1b7c-do-not-leak";
        const message = await fails(new ProviderHost().create(inputs()));
        assert.equal(
            message,
            `Cloudflare API GET ${APP} failed: 403 (10000 Authentication error). Cloudflare refused the API token (CLOUDFLARE_API_TOKEN): it is invalid, expired or revoked, ` +
                `or it lacks the account permission "Access: Apps and Policies Edit" on this account. ${TOKEN_TODO}`,
        );
        assert.ok(!message.includes("cf-wrong-token"));
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`]);
    });

    it("the secret stack config cloudflare:apiToken, handed over by configure, wins over CLOUDFLARE_API_TOKEN", async () => {
        process.env.CLOUDFLARE_API_TOKEN = "cf-wrong-token-1b7c-do-not-leak";
        const host = new ProviderHost({ "cloudflare:apiToken": API_TOKEN });
        await host.create(inputs());
        assert.equal(policies().length, 1);
        assert.ok(ctx.cf.requests.every((r) => r.authorization === `Bearer ${API_TOKEN}`));
        ctx.cf.apiToken = "rotated";
        const message = await fails(host.read(policies()[0].id, { ...inputs(), policyId: policies()[0].id, precedence: 5 }));
        assert.match(message, /Cloudflare refused the API token \(stack config cloudflare:apiToken\)/);
    });

    it("without a token nothing is sent, and the message names both places to set one", async () => {
        delete process.env.CLOUDFLARE_API_TOKEN;
        const message = await fails(new ProviderHost().create(inputs()));
        assert.equal(message, `Cloudflare API GET ${APP} failed: no response (not sent: CLOUDFLARE_API_TOKEN is not set). ${TOKEN_TODO}`);
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("a 429 is retried after its Retry-After, a POST included (the rate limiter did not process it)", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 429, headers: { "Retry-After": "1" } });
        ctx.cf.inject({ method: "POST", status: 429, headers: { "Retry-After": "0" } });
        const started = Date.now();
        await new ProviderHost().create(inputs());
        assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms, not the 1 s Retry-After asked`);
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${APP}`, `GET ${APP}/policies`, `POST ${APP}/policies`, `POST ${APP}/policies`]);
        assert.equal(policies().length, 1);
    });

    it("429 for good ends after CLOUDFLARE_HTTP_MAX_ATTEMPTS, with advice", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 429, headers: { "Retry-After": "0" }, times: 10 });
        const message = await fails(new ProviderHost().create(inputs()));
        assert.equal(
            message,
            `Cloudflare API GET ${APP} failed after 3 attempts: 429 (971 Please wait and consider throttling your request speed). ` +
                "Cloudflare's API rate limit is used up: wait five minutes for it to refill, then run Pulumi again (CLOUDFLARE_HTTP_MAX_ATTEMPTS sets how often a request is tried).",
        );
        assert.equal(ctx.cf.calls().length, 3);
    });

    it("a 5xx on a read is retried, bounded: three attempts, then a message", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 500, times: 10 });
        const message = await fails(new ProviderHost().create(inputs()));
        assert.equal(message, `Cloudflare API GET ${APP} failed after 3 attempts: 500 (10001 Internal server error). Cloudflare is failing: check https://www.cloudflarestatus.com, then run Pulumi again.`);
        assert.equal(ctx.cf.calls().length, 3);
    });

    it("a 5xx on a PUT is retried; one that persists says the outcome is unknown and to refresh", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        ctx.cf.inject({ method: "PUT", status: 503, times: 10 });
        const message = await fails(host.update(made.id, made.outs, { ...inputs(), serviceTokenIds: [TOKEN_B.id] }));
        assert.equal(
            message,
            `Cloudflare API PUT ${APP}/policies/${made.id} failed after 3 attempts: 503 (10001 Internal server error). ` +
                `The update of Access policy ${made.id} may or may not have been applied: run \`pulumi refresh\`, then run Pulumi again.`,
        );
        assert.equal(ctx.cf.calls().filter((c) => c.startsWith("PUT")).length, 3);
    });

    it("Cloudflare's error messages are masked: a token echoed back never reaches the operator", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 400, errors: [{ code: 6003, message: `Invalid request headers: Bearer ${API_TOKEN}` }] });
        const message = await fails(new ProviderHost().create(inputs()));
        assert.equal(message, `Cloudflare API GET ${APP} failed: 400 (6003 Invalid request headers: Bearer [redacted]). Cloudflare refused the request: correct what its message names, then run Pulumi again.`);
    });

    it("an API that does not answer fails after bounded retries, naming the base URL's setting", async () => {
        await ctx.cf.stop();
        const message = await fails(new ProviderHost().create(inputs()));
        assert.match(message, new RegExp(`^Cloudflare API GET ${APP} failed after 3 attempts: no response \\(network error reaching http://127\\.0\\.0\\.1:\\d+: ECONNREFUSED\\)\\. Check the network and the API base URL \\(CLOUDFLARE_API_BASE_URL; default https://api\\.cloudflare\\.com/client/v4\\), then run Pulumi again\\.$`));
        await ctx.cf.start();
    });
});
