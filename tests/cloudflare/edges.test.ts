// The policy provider's rarer failures, on the serialized provider: a reconcile that finds
// too much, replies that are 2xx but not a success, a delete that keeps failing or meets a
// missing application, an import, and settings that are not usable. Each message is pinned
// and carries no secret.
import { strict as assert } from "node:assert";

import { ACCOUNT, APP_ID, assertNoSecrets, DASHBOARD, DOMAIN, POLICY_NAME, ProviderHost, providerText, rejection, RETRY, TOKEN_A, TOKEN_B, URL_WORDS, useFakeCloudflare } from "./helpers";

const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;

describe("Cloudflare AccessApplicationPolicy: edge cases (serialized provider)", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    before(async () => {
        text = await providerText();
    });

    const inputs = () => ({ accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN, policyName: POLICY_NAME, serviceTokenIds: [TOKEN_A.id, TOKEN_B.id], __provider: text });
    async function fails(p: Promise<unknown>, expected: string): Promise<void> {
        const e = await rejection(p);
        assert.equal(e.message, expected);
        assertNoSecrets(e.message);
    }
    const ours = () => ctx.cf.apps.get(APP_ID)!.policies.filter((p) => p.name === POLICY_NAME);
    const exactly = () => ({ name: POLICY_NAME, decision: "non_identity", include: [{ service_token: { token_id: TOKEN_A.id } }, { service_token: { token_id: TOKEN_B.id } }] });
    async function created() {
        const made = await new ProviderHost().create(inputs());
        ctx.cf.requests.splice(0);
        return made;
    }

    it("a POST with an unknown outcome, after which two new policies with this name and these tokens exist: neither is adopted", async () => {
        ctx.cf.inject({
            method: "POST",
            path: `${APP}/policies`,
            status: 500,
            meanwhile: () => {
                ctx.cf.addPolicy(APP_ID, { ...exactly(), precedence: 10 });
                ctx.cf.addPolicy(APP_ID, { ...exactly(), precedence: 11 });
            },
        });
        const e = await rejection(new ProviderHost().create(inputs()));
        const ids = ours().map((p) => p.id);
        assert.equal(ids.length, 2);
        assert.equal(
            e.message,
            `Cloudflare API POST ${APP}/policies failed: 500 (10001 Internal server error). The outcome is unknown: the application now has 2 new policies named "${POLICY_NAME}" ` +
                `(${ids.join(", ")}), so Pulumi cannot tell which one is its own. Delete them all in ${DASHBOARD}, ${RETRY}.`,
        );
        assertNoSecrets(e.message);
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${APP}/policies`, `POST ${APP}/policies`, `GET ${APP}/policies`]);
    });

    it("a POST answered 201 without a policy id, and nothing new in the list: the outcome is unknown", async () => {
        ctx.cf.inject({ method: "POST", path: `${APP}/policies`, status: 201, body: { success: true, errors: [], messages: [], result: { name: POLICY_NAME } } });
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API POST ${APP}/policies returned 201 without a policy id. The outcome is unknown: the application's policies, listed again, have no new policy "${POLICY_NAME}" ` +
                `admitting these tokens, but Cloudflare may still apply the request. Look for it in ${DASHBOARD} and delete it if it is there, ${RETRY}.`,
        );
        assert.equal(ours().length, 0);
    });

    it("a POST answered 201 without a policy id, that did make the policy: the new policy is adopted", async () => {
        let made = "";
        ctx.cf.inject({
            method: "POST",
            path: `${APP}/policies`,
            status: 201,
            body: { success: true, errors: [], messages: [], result: {} },
            meanwhile: () => {
                made = ctx.cf.addPolicy(APP_ID, { ...exactly(), precedence: 5 }).id;
            },
        });
        const r = await new ProviderHost().create(inputs());
        assert.equal(r.id, made);
        assert.equal(r.outs.policyId, made);
        assert.equal(r.outs.precedence, 5);
        assert.equal(ours().length, 1);
    });

    it("a 200 with success false is not taken for a success", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 200, body: { success: false, errors: [{ code: 1000, message: "Something odd" }], messages: [], result: null } });
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${APP} returned 200 with success false (1000 Something odd). Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, ${RETRY}.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`]);
    });

    it("a 200 without the v4 envelope is not taken for a success", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 200, body: { id: APP_ID, domain: DOMAIN } });
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${APP} returned 200 without a v4 envelope. Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, ${RETRY}.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`]);
    });

    it("a DELETE failing 5xx on every attempt: bounded, and the policy stays in state", async () => {
        const { id, outs } = await created();
        ctx.cf.inject({ method: "DELETE", status: 502, times: 10 });
        await fails(
            new ProviderHost().delete(id, { ...outs, __provider: text }),
            `Cloudflare API DELETE ${APP}/policies/${id} failed after 3 attempts: 502 (10001 Internal server error). ` +
                `The delete of Access policy ${id} may or may not have been applied: run Pulumi again (a policy already gone counts as deleted).`,
        );
        assert.deepEqual(ctx.cf.calls(), Array(3).fill(`DELETE ${APP}/policies/${id}`));
        assert.equal(ours().length, 1);
    });

    it("a DELETE answered 404 because the application is gone is an error, not done", async () => {
        const { id, outs } = await created();
        ctx.cf.apps.delete(APP_ID);
        await fails(
            new ProviderHost().delete(id, { ...outs, __provider: text }),
            `Access application ${APP_ID} does not exist in Cloudflare account ${ACCOUNT} (GET ${APP} answered 404). Nothing was written. ` +
                `Set raxx-platform:vaultAccessApplicationId to the id of the application that guards ${DOMAIN} ` +
                `(Cloudflare Zero Trust > Access > Applications > ${DOMAIN} > Overview > Application ID), and check the account id, ${RETRY}.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`DELETE ${APP}/policies/${id}`, `GET ${APP}`]);
    });

    it("read without state (an import) is refused, and sends nothing", async () => {
        const id = "6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b";
        await fails(
            new ProviderHost().read(id, { __provider: text }),
            `Cloudflare Access policy ${id}: read needs the resource's state (its account, application and domain). Importing is not supported: ` +
                "delete the policy in Cloudflare Zero Trust and let `pulumi up` create it, or declare another policyName.",
        );
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("a CLOUDFLARE_API_BASE_URL that is not an http(s) URL: nothing is sent", async () => {
        process.env.CLOUDFLARE_API_BASE_URL = "api.cloudflare.com/client/v4";
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${APP} failed: no response (not sent: ${URL_WORDS} is not an http(s) URL). Set it to https://api.cloudflare.com/client/v4, or unset it.`,
        );
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("a retry setting in the env that is not a whole number: nothing is sent", async () => {
        process.env.CLOUDFLARE_HTTP_MAX_ATTEMPTS = "three";
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${APP} failed: no response (not sent: CLOUDFLARE_HTTP_MAX_ATTEMPTS is "three", not an integer of at least 1). Set it to a whole number, or unset it for the default 5.`,
        );
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("a 429 whose Retry-After is an HTTP date is waited for until that date (under the 2 s cap of the test env)", async () => {
        ctx.cf.inject({ method: "GET", path: APP, status: 429, headers: { "Retry-After": new Date(Date.now() + 2000).toUTCString() } });
        const started = Date.now();
        await new ProviderHost().create(inputs());
        const waited = Date.now() - started;
        // toUTCString drops the milliseconds: the date is 1 to 2 s away.
        assert.ok(waited >= 900 && waited < 2500, `waited ${waited} ms, not until the Retry-After date`);
        assert.deepEqual(ctx.cf.calls().slice(0, 2), [`GET ${APP}`, `GET ${APP}`]);
    });
});
