// AccessApplicationPolicy, run from its serialized `__provider` text through an emulation of
// the dynamic provider host, against the fake Cloudflare API: create, the refusals, a lost
// POST reply, update, drift and delete; and that the application is never written.
import { strict as assert } from "node:assert";

import { checkedCreate, checkedUpdate } from "../harness/serializedProvider";
import { ACCOUNT, APP_ID, DOMAIN, OTHER_APP_ID, POLICY_NAME, TOKEN_A, TOKEN_B, TOKEN_C, policyInputs, rejection, useFakeCloudflare, useSerializedPolicy, vaultApp } from "./helpers";

type State = Record<string, unknown> & { policyId: string; precedence: number; serviceTokenIds: string[]; policyName: string };

const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;
const LIST = `GET ${APP}/policies`;

describe("Cloudflare AccessApplicationPolicy (serialized provider)", () => {
    const ctx = useFakeCloudflare();
    const p = useSerializedPolicy();

    const inputs = (over: Record<string, unknown> = {}) => policyInputs(p.text, over);
    async function create(over: Record<string, unknown> = {}) {
        const made = await checkedCreate(p.host, inputs(over));
        return { id: made.id, state: made.outs as State };
    }
    async function update(id: string, olds: State, over: Record<string, unknown>) {
        return (await checkedUpdate(p.host, id, olds, inputs(over))) as State;
    }
    const app = () => ctx.cf.apps.get(APP_ID)!;
    const ours = (id: string) => app().policies.find((x) => x.id === id);

    it("create: reads the application and its policies, then POSTs one non_identity policy after the highest precedence; nothing else is written", async () => {
        const appBefore = ctx.cf.appJson(APP_ID);
        const othersBefore = ctx.cf.otherPoliciesJson(APP_ID, undefined);
        const { id, state } = await create();
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, LIST, `POST ${APP}/policies`]);
        assert.deepEqual(ctx.cf.requests[1].query, { page: "1", per_page: "50" });
        assert.deepEqual(ctx.cf.requests[2].body, {
            name: POLICY_NAME,
            decision: "non_identity",
            include: [{ service_token: { token_id: TOKEN_A.id } }, { service_token: { token_id: TOKEN_B.id } }],
            precedence: 5,
        });
        assert.equal(id, ours(id)?.id);
        assert.deepEqual({ ...state, __provider: undefined }, {
            accountId: ACCOUNT,
            applicationId: APP_ID,
            domain: DOMAIN,
            policyName: POLICY_NAME,
            serviceTokenIds: [TOKEN_A.id, TOKEN_B.id],
            policyId: id,
            precedence: 5,
            __provider: undefined,
        });
        // The application's other policies, the reusable one included, are byte-identical; its settings too.
        assert.equal(ctx.cf.otherPoliciesJson(APP_ID, id), othersBefore);
        const { policies: _after, ...settingsAfter } = JSON.parse(ctx.cf.appJson(APP_ID));
        const { policies: _before, ...settingsBefore } = JSON.parse(appBefore);
        assert.deepEqual(settingsAfter, settingsBefore);
        assert.deepEqual(ctx.cf.admittedTokenIds(APP_ID), [TOKEN_C.id, TOKEN_A.id, TOKEN_B.id].sort());
        assert.ok(ctx.cf.admits(APP_ID, TOKEN_A.clientId) && ctx.cf.admits(APP_ID, TOKEN_B.clientId));
    });

    it("create: reads every page of policies before choosing the precedence", async () => {
        for (let i = 0; i < 60; i++) app().policies.push({ ...app().policies[0], id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, name: `p${i}`, precedence: 10 + i });
        const { state } = await create();
        assert.deepEqual(ctx.cf.calls().filter((c) => c === LIST).length, 2);
        assert.deepEqual(ctx.cf.requests.filter((r) => r.method === "GET" && r.path.endsWith("/policies")).map((r) => r.query.page), ["1", "2"]);
        assert.equal(state.precedence, 70);
    });

    it("create: refuses an application that guards another domain, naming both and the config key; writes nothing", async () => {
        ctx.cf.apps.delete(APP_ID);
        vaultApp(ctx.cf, { domain: "admin.raxx.app" });
        const e = await rejection(create());
        assert.equal(
            e.message,
            `Access application ${APP_ID} ("Raxx vault") guards admin.raxx.app, not ${DOMAIN}. Nothing was written. ` +
                `Set raxx-platform:vaultAccessApplicationId to the id of the application that guards ${DOMAIN}, then run Pulumi again.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`]);
    });

    it("create: a missing application is an error naming its id and raxx-platform:vaultAccessApplicationId", async () => {
        const e = await rejection(create({ applicationId: OTHER_APP_ID }));
        assert.equal(
            e.message,
            `Access application ${OTHER_APP_ID} does not exist in Cloudflare account ${ACCOUNT} (GET /accounts/${ACCOUNT}/access/apps/${OTHER_APP_ID} answered 404). Nothing was written. ` +
                `Set raxx-platform:vaultAccessApplicationId to the id of the application that guards ${DOMAIN} ` +
                `(Cloudflare Zero Trust > Access > Applications > ${DOMAIN} > Overview > Application ID), and check the account id, then run Pulumi again.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET /accounts/${ACCOUNT}/access/apps/${OTHER_APP_ID}`]);
    });

    it("create: refuses when the application already has a policy of that name, saying what to do; writes nothing", async () => {
        const existing = app().policies[2];
        existing.name = POLICY_NAME;
        const e = await rejection(create());
        assert.equal(
            e.message,
            `Access application ${APP_ID} (${DOMAIN}) already has a policy named "${POLICY_NAME}" (id ${existing.id}). Nothing was written. ` +
                `If it is a leftover of this stack (a lost state, or \`pulumi up --replace\`), delete it in Cloudflare Zero Trust ` +
                `(Access > Applications > ${DOMAIN} > Policies); if it is someone else's, give this resource another policyName. Then run Pulumi again.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, LIST]);
    });

    it("create: a POST whose reply is lost is reconciled by listing again, adopting the new policy of that name, never an older one", async () => {
        ctx.cf.inject({ method: "POST", path: `${APP}/policies`, dropReply: true });
        const { id, state } = await create();
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, LIST, `POST ${APP}/policies`, LIST]);
        assert.equal(app().policies.filter((x) => x.name === POLICY_NAME).length, 1, "one policy, the POST not repeated");
        assert.equal(ours(id)?.name, POLICY_NAME);
        assert.equal(state.precedence, 5);
    });

    it("create: a POST that failed 5xx is not repeated; when the list shows no new policy, it says the outcome is unknown", async () => {
        ctx.cf.inject({ method: "POST", status: 502, times: 5 });
        const e = await rejection(create());
        assert.equal(
            e.message,
            `Cloudflare API POST ${APP}/policies failed: 502 (10001 Internal server error). ` +
                `The outcome is unknown: the application's policies, listed again, have no new policy "${POLICY_NAME}" admitting these tokens, but Cloudflare may still apply the request. ` +
                `Look for it in Cloudflare Zero Trust (Access > Applications > vault.raxx.app > Policies) and delete it if it is there, then run Pulumi again.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, LIST, `POST ${APP}/policies`, LIST]);
    });

    it("create: after a failed POST, never adopts a policy of that name someone else made meanwhile (a reusable one, or other tokens)", async () => {
        for (const other of [
            { name: POLICY_NAME, decision: "non_identity", include: [{ service_token: { token_id: TOKEN_A.id } }, { service_token: { token_id: TOKEN_B.id } }], reusable: true },
            { name: POLICY_NAME, decision: "non_identity", include: [{ service_token: { token_id: TOKEN_C.id } }] },
        ]) {
            ctx.cf.inject({ method: "POST", status: 502, times: 1, meanwhile: () => ctx.cf.apps.get(APP_ID)!.policies.push({ ...other, id: `meanwhile-${ctx.cf.requests.length}`, exclude: [], require: [], precedence: 90 } as never) });
            const e = await rejection(create());
            assert.match(e.message, /The outcome is unknown: the application's policies, listed again, have no new policy "raxx-platform-automation" admitting these tokens/);
            ctx.cf.apps.get(APP_ID)!.policies = ctx.cf.apps.get(APP_ID)!.policies.filter((p) => !p.id.startsWith("meanwhile-"));
        }
    });

    it("create: reads every page of the policies even when result_info gives no total_pages, and refuses a name it finds on a later page", async () => {
        ctx.cf.listsTotalPages = false;
        for (let i = 0; i < 60; i++) {
            ctx.cf.apps.get(APP_ID)!.policies.push({ id: `filler-${i}`, name: i === 55 ? POLICY_NAME : `filler ${i}`, decision: "allow", include: [], exclude: [], require: [], precedence: 100 + i } as never);
        }
        const e = await rejection(create());
        assert.match(e.message, /already has a policy named "raxx-platform-automation"/);
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, LIST, LIST]);
    });

    it("create: when the POST's outcome is unknown and the list fails too, it says the outcome is unknown", async () => {
        ctx.cf.inject({ method: "POST", dropReply: true });
        ctx.cf.inject({ method: "GET", path: `${APP}/policies`, status: 503, skip: 1, times: 3 });
        const e = await rejection(create());
        assert.match(e.message, /^Cloudflare API POST \S+ failed: no response \(network error reaching http:\/\/127\.0\.0\.1:\d+: UND_ERR_SOCKET\)\. The outcome is unknown: Cloudflare may or may not have created policy "raxx-platform-automation"/);
        assert.match(e.message, /listing the application's policies to find out failed too \(Cloudflare API GET \S+ failed after 3 attempts: 503 \(10001 Internal server error\)\)\. Look for it in Cloudflare Zero Trust \(Access > Applications > vault\.raxx\.app > Policies\) and delete it if it is there, then run Pulumi again\.$/);
        assert.equal(app().policies.filter((x) => x.name === POLICY_NAME).length, 1);
    });

    it("update: a new token list is one PUT with the same name, decision and precedence; nothing else is written", async () => {
        const { id, state } = await create();
        const others = ctx.cf.otherPoliciesJson(APP_ID, id);
        const n = ctx.cf.requests.length;
        const outs = await update(id, state, { serviceTokenIds: [TOKEN_B.id] });
        assert.deepEqual(ctx.cf.calls().slice(n), [`GET ${APP}`, `GET ${APP}/policies/${id}`, `PUT ${APP}/policies/${id}`]);
        assert.deepEqual(ctx.cf.requests.at(-1)!.body, { name: POLICY_NAME, decision: "non_identity", include: [{ service_token: { token_id: TOKEN_B.id } }], precedence: 5 });
        assert.deepEqual(outs.serviceTokenIds, [TOKEN_B.id]);
        assert.equal(outs.precedence, 5);
        assert.equal(ctx.cf.otherPoliciesJson(APP_ID, id), others);
        assert.ok(!ctx.cf.admits(APP_ID, TOKEN_A.clientId), "slot a is no longer admitted");
        assert.ok(ctx.cf.admits(APP_ID, TOKEN_B.clientId));
    });

    it("diff: account or application replaces (create first); name, domain and tokens update; the same inputs are no change", async () => {
        const { id, state } = await create();
        const diff = (over: Record<string, unknown>) => p.host.diff(id, state, inputs(over));
        assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ serviceTokenIds: [TOKEN_B.id, TOKEN_A.id] }), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ applicationId: OTHER_APP_ID }), { changes: true, replaces: ["applicationId"], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ accountId: "f".repeat(32) }), { changes: true, replaces: ["accountId"], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ policyName: "renamed" }), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ serviceTokenIds: [TOKEN_A.id] }), { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("update: a rename PUTs the new name, and refuses one another policy of the application has", async () => {
        const { id, state } = await create();
        const renamed = await update(id, state, { policyName: "raxx-platform-service-auth" });
        assert.equal(ours(id)?.name, "raxx-platform-service-auth");
        assert.equal(renamed.policyName, "raxx-platform-service-auth");
        const n = ctx.cf.requests.length;
        const e = await rejection(update(id, renamed, { policyName: "Owners" }));
        assert.equal(
            e.message,
            `Access application ${APP_ID} (${DOMAIN}) already has another policy named "Owners" (id ${app().policies[0].id}). Nothing was written. ` +
                "Give this resource a policyName no other policy of the application has, then run Pulumi again.",
        );
        assert.deepEqual(ctx.cf.calls().slice(n), [`GET ${APP}`, `GET ${APP}/policies/${id}`, LIST]);
    });

    it("drift: a refresh reports the live include list and what the inputs cannot say; the next update writes the policy back", async () => {
        const { id, state } = await create();
        const live = ours(id)!;
        live.include = [{ service_token: { token_id: TOKEN_A.id } }, { everyone: {} }];
        const read = await p.host.read(id, { ...state });
        assert.equal(read.id, id);
        assert.deepEqual(read.props!.serviceTokenIds, [TOKEN_A.id]);
        assert.deepEqual(read.props!.drift, ['include has 1 rule(s) other than service tokens: [{"everyone":{}}]']);
        const refreshed = read.props as State;
        const outs = await update(id, refreshed, {});
        assert.deepEqual(live.include, [{ service_token: { token_id: TOKEN_A.id } }, { service_token: { token_id: TOKEN_B.id } }]);
        assert.equal(outs.drift, undefined);
    });

    it("read: a policy deleted by hand is gone (no id); the application is untouched", async () => {
        const { id, state } = await create();
        app().policies = app().policies.filter((x) => x.id !== id);
        const read = await p.host.read(id, { ...state });
        assert.equal(read.id, undefined);
    });

    it("read: a 404 of the application is an error, not gone", async () => {
        const { id, state } = await create();
        ctx.cf.apps.delete(APP_ID);
        const e = await rejection(p.host.read(id, { ...state }));
        assert.match(e.message, new RegExp(`^Access application ${APP_ID} does not exist in Cloudflare account ${ACCOUNT} `));
    });

    it("update: a policy deleted by hand is not re-created behind the operator's back; the message says refresh, then up", async () => {
        const { id, state } = await create();
        app().policies = app().policies.filter((x) => x.id !== id);
        const e = await rejection(update(id, state, { serviceTokenIds: [TOKEN_B.id] }));
        assert.equal(
            e.message,
            `Access policy ${id} ("${POLICY_NAME}") is no longer on application ${APP_ID} (${DOMAIN}): someone deleted it. Nothing was written. ` +
                "Run `pulumi refresh` (it drops the policy from state), then `pulumi up` (it creates it again).",
        );
    });

    it("update: nothing is PUT when the live policy already is what the inputs say (new provider code only)", async () => {
        const { id, state } = await create();
        const n = ctx.cf.requests.length;
        const diff = await p.host.diff(id, { ...state, __provider: "older code" }, inputs());
        assert.equal(diff.changes, true);
        await p.host.update(id, { ...state, __provider: "older code" }, inputs());
        assert.deepEqual(ctx.cf.calls().slice(n), [`GET ${APP}`, `GET ${APP}/policies/${id}`]);
    });

    it("delete: DELETEs the policy only; a policy already gone is done; the application and its other policies stay", async () => {
        const { id, state } = await create();
        const others = ctx.cf.otherPoliciesJson(APP_ID, id);
        const n = ctx.cf.requests.length;
        await p.host.delete(id, state);
        assert.deepEqual(ctx.cf.calls().slice(n), [`DELETE ${APP}/policies/${id}`]);
        assert.equal(ours(id), undefined);
        assert.equal(ctx.cf.otherPoliciesJson(APP_ID, id), others);
        await p.host.delete(id, state);
        assert.deepEqual(ctx.cf.calls().slice(n + 1), [`DELETE ${APP}/policies/${id}`, `GET ${APP}`]);
        assert.ok(ctx.cf.apps.has(APP_ID));
        assert.ok(ctx.cf.requests.every((r) => r.method === "GET" || r.path.startsWith(`${APP}/policies`)), "no write outside the policies");
        assert.ok(ctx.cf.requests.every((r) => !(r.method === "DELETE" || r.method === "PUT") || r.path === `${APP}/policies/${id}`), "no write to another policy");
    });

    it("check: names each bad input, with an example", async () => {
        const checked = await p.host.check({}, inputs({ accountId: "ACCT", applicationId: "vault", domain: "https://vault.raxx.app", policyName: " x", serviceTokenIds: [TOKEN_A.clientId, TOKEN_A.clientId] }));
        assert.deepEqual(
            checked.failures.map((f) => f.property),
            ["accountId", "applicationId", "domain", "policyName", "serviceTokenIds", "serviceTokenIds", "serviceTokenIds"],
        );
        assert.equal(checked.failures[4].reason, `"${TOKEN_A.clientId}" is not an Access service token id: use the token's id, a lowercase UUID, not its client id`);
        const empty = await p.host.check({}, inputs({ serviceTokenIds: [] }));
        assert.deepEqual(empty.failures.map((f) => f.property), ["serviceTokenIds"]);
    });
});
