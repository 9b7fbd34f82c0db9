// The policy provider's reading of lists and replies, on the serialized provider: how many
// pages of policies it reads (result_info's total_pages or total_count, else the first page
// that is not full; never more than 20), which listed entries count, the precedence it
// asks for and keeps, what a POST reply without a usable id leads to, which policies a
// reconcile after a lost POST refuses to adopt, how the application's domain is compared,
// and the details update and read take from the live policy.
import { strict as assert } from "node:assert";

import { ACCOUNT, APP_ID, DASHBOARD, DOMAIN, POLICY_NAME, policyInputs, ProviderHost, providerText, rebuild, rejection, RETRY, TOKEN_A, TOKEN_B, TOKEN_C, useFakeCloudflare } from "./helpers";

const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;
const LIST = `${APP}/policies`;
type Fields = Record<string, unknown>;
/** The provider object itself (not through the host), whose errors keep their fields. */
type Provider = { create(i: unknown): Promise<unknown>; update(id: string, olds: unknown, news: unknown): Promise<unknown> };

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const listed = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ id: uuid(from + k), name: `p${from + k}`, decision: "allow", include: [{ everyone: {} }], precedence: from + k }));
const rule = (id: string) => ({ service_token: { token_id: id } });

describe("Cloudflare AccessApplicationPolicy: lists, replies and live details (serialized provider)", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    before(async () => {
        text = await providerText();
    });
    const inputs = (over: Record<string, unknown> = {}) => policyInputs(text, over);
    /** The next GET of the policy list answers this page. */
    const page = (result: unknown, info?: Record<string, unknown>) =>
        ctx.cf.inject({ method: "GET", path: LIST, status: 200, body: { success: true, errors: [], messages: [], result, ...(info === undefined ? {} : { result_info: info }) } });
    const lists = () => ctx.cf.requests.filter((r) => r.method === "GET" && r.path === LIST).map((r) => r.query.page);
    const posted = () => ctx.cf.requests.filter((r) => r.method === "POST").map((r) => (r.body as { precedence: number }).precedence);
    const app = () => ctx.cf.apps.get(APP_ID)!;
    const direct = () => rebuild<Provider>(text);
    /** Creates with the pages queued, and gives the pages read and the precedence POSTed. */
    async function createWith(queue: () => void): Promise<{ pages: string[]; precedence: number[] }> {
        ctx.cf.requests.splice(0);
        app().policies = [];
        queue();
        await new ProviderHost().create(inputs());
        const got = { pages: lists(), precedence: posted() };
        app().policies = app().policies.filter((p) => p.name !== POLICY_NAME);
        return got;
    }

    it("create reads pages as result_info counts them: total_pages, else total_count over 50, else up to the first page that is not full", async () => {
        // total_pages 1 ends the list although the page is full.
        assert.deepEqual(await createWith(() => page(listed(1, 50), { page: 1, total_pages: 1 })), { pages: ["1"], precedence: [51] });
        // total_count 50 is one page of 50.
        assert.deepEqual(await createWith(() => page(listed(1, 50), { page: 1, total_count: 50 })), { pages: ["1"], precedence: [51] });
        // total_pages 2 is read to the end although the first page is not full.
        assert.deepEqual(
            await createWith(() => {
                page(listed(1, 3), { page: 1, total_pages: 2 });
                page(listed(90, 2), { page: 2, total_pages: 2 });
            }),
            { pages: ["1", "2"], precedence: [92] },
        );
        // No result_info: a full page, then one of 49, which is the last.
        assert.deepEqual(
            await createWith(() => {
                page(listed(1, 50));
                page(listed(100, 49));
            }),
            { pages: ["1", "2"], precedence: [149] },
        );
        // An empty page, or a result that is not a list, ends the list whatever total_pages says.
        assert.deepEqual(await createWith(() => page([], { page: 1, total_pages: 3 })), { pages: ["1"], precedence: [1] });
        assert.deepEqual(await createWith(() => page(null, { page: 1, total_pages: 3 })), { pages: ["1"], precedence: [1] });
    });

    it("create counts only listed policies with an id, and one without a precedence as 0", async () => {
        const entries = [null, { name: "no id", precedence: 99 }, { id: "", name: "empty id", precedence: 98 }, { id: 7, name: "numeric id", precedence: 97 }, { id: uuid(1), name: "no precedence" }, { id: uuid(2), name: "p2", precedence: 3 }];
        assert.deepEqual(await createWith(() => page(entries, { page: 1, total_pages: 1 })), { pages: ["1"], precedence: [4] });
        // Nor is a listed entry without an id taken for a policy of this name.
        assert.deepEqual(await createWith(() => page([{ name: POLICY_NAME, precedence: 2 }], { page: 1, total_pages: 1 })), { pages: ["1"], precedence: [1] });
    });

    it("create reads at most 20 pages of 50: with 1001 policies it stops there and writes nothing; 1000 are fine", async () => {
        app().policies = [];
        for (let i = 1; i <= 1001; i++) ctx.cf.addPolicy(APP_ID, { id: uuid(i), name: `p${i}`, precedence: i });
        const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.equal(
            e.message,
            `Cloudflare API GET ${LIST} has more than 20 pages of 50 policies: Pulumi stops reading there. Remove the application's unused policies, ${RETRY}.`,
        );
        assert.deepEqual([e.method, e.path, e.status], ["GET", LIST, 200]);
        assert.deepEqual(lists(), Array.from({ length: 20 }, (_, i) => String(i + 1)));
        assert.deepEqual(posted(), []);
        app().policies.pop();
        ctx.cf.requests.splice(0);
        const made = await new ProviderHost().create(inputs());
        assert.equal(made.outs.precedence, 1001);
        assert.equal(lists().length, 20);
    });

    it("create keeps the precedence the POST's reply gives, else the one it asked for; a name taken (here by a reusable policy) is refused, naming the GET of the list", async () => {
        ctx.cf.inject({ method: "POST", path: LIST, status: 201, body: { success: true, errors: [], messages: [], result: { id: uuid(7), precedence: 42 } } });
        const given = await new ProviderHost().create(inputs());
        assert.deepEqual([given.id, given.outs.precedence], [uuid(7), 42]);
        ctx.cf.inject({ method: "POST", path: LIST, status: 201, body: { success: true, errors: [], messages: [], result: { id: uuid(8) } } });
        const asked = await new ProviderHost().create(inputs());
        assert.deepEqual([asked.id, asked.outs.precedence], [uuid(8), 5]);
        const reusable = ctx.cf.addPolicy(APP_ID, { name: POLICY_NAME, precedence: 30, reusable: true });
        const taken = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.equal(
            taken.message,
            `Access application ${APP_ID} (${DOMAIN}) already has a policy named "${POLICY_NAME}" (id ${reusable.id}, a reusable policy). Nothing was written. ` +
                "If it is a leftover of this stack (a lost state, or `pulumi up --replace`), delete it in Cloudflare Zero Trust " +
                `(Access > Applications > ${DOMAIN} > Policies); if it is someone else's, give this resource another policyName. Then run Pulumi again.`,
        );
        assert.deepEqual([taken.method, taken.path, taken.status], ["GET", LIST, 200]);
    });

    it("a POST refused (400) is that error, with no second list; a 201 with no result, or an empty id, is an unknown outcome", async () => {
        ctx.cf.inject({ method: "POST", path: LIST, status: 400, errors: [{ code: 12130, message: "access.api.error.invalid_request" }] });
        const refused = await rejection(new ProviderHost().create(inputs()));
        assert.equal(refused.message, `Cloudflare API POST ${LIST} failed: 400 (12130 access.api.error.invalid_request). Cloudflare refused the request: correct what its message names, ${RETRY}.`);
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${LIST}`, `POST ${LIST}`]);
        for (const result of [null, { id: "" }]) {
            ctx.cf.inject({ method: "POST", path: LIST, status: 201, body: { success: true, errors: [], messages: [], result } });
            const e = await rejection(new ProviderHost().create(inputs()));
            assert.equal(
                e.message,
                `Cloudflare API POST ${LIST} returned 201 without a policy id. The outcome is unknown: the application's policies, listed again, have no new policy "${POLICY_NAME}" ` +
                    `admitting these tokens, but Cloudflare may still apply the request. Look for it in ${DASHBOARD} and delete it if it is there, ${RETRY}.`,
                JSON.stringify(result),
            );
        }
    });

    it("after a lost POST, reconcile adopts none of: an old policy renamed meanwhile, another name, another decision, other tokens, a token twice", async () => {
        const notCreated =
            `Cloudflare API POST ${LIST} failed: 500 (10001 Internal server error). The outcome is unknown: the application's policies, listed again, have no new policy "${POLICY_NAME}" ` +
            `admitting these tokens, but Cloudflare may still apply the request. Look for it in ${DASHBOARD} and delete it if it is there, ${RETRY}.`;
        const exact = { name: POLICY_NAME, decision: "non_identity", include: [rule(TOKEN_A.id), rule(TOKEN_B.id)] };
        const cases: [string, () => void][] = [
            ["an old policy renamed", () => Object.assign(app().policies.find((p) => p.name === "Break-glass token")!, exact)],
            ["another name", () => ctx.cf.addPolicy(APP_ID, { ...exact, name: "someone-else", precedence: 20 })],
            ["another decision", () => ctx.cf.addPolicy(APP_ID, { ...exact, decision: "allow", precedence: 20 })],
            ["other tokens", () => ctx.cf.addPolicy(APP_ID, { ...exact, include: [rule(TOKEN_A.id), rule(TOKEN_C.id)], precedence: 20 })],
            ["a token twice", () => ctx.cf.addPolicy(APP_ID, { ...exact, include: [rule(TOKEN_A.id), rule(TOKEN_B.id), rule(TOKEN_A.id)], precedence: 20 })],
        ];
        const saved = structuredClone(app().policies);
        for (const [what, meanwhile] of cases) {
            ctx.cf.inject({ method: "POST", path: LIST, status: 500, meanwhile });
            const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
            assert.equal(e.message, notCreated, what);
            assert.deepEqual([e.method, e.path, e.status, e.outcomeUnknown], ["POST", LIST, 0, true], what);
            app().policies = structuredClone(saved);
        }
    });

    it("reconcile adopts the one new exact policy, with precedence 0 when it has none; with two, the error is the POST's, outcome unknown", async () => {
        const exact = { name: POLICY_NAME, decision: "non_identity", include: [rule(TOKEN_A.id), rule(TOKEN_B.id)] };
        let made = "";
        ctx.cf.inject({
            method: "POST",
            path: LIST,
            status: 500,
            meanwhile: () => {
                const p = ctx.cf.addPolicy(APP_ID, { ...exact, precedence: 20 });
                delete (p as Partial<typeof p>).precedence;
                made = p.id;
            },
        });
        const adopted = await new ProviderHost().create(inputs());
        assert.deepEqual([adopted.id, adopted.outs.precedence], [made, 0]);
        app().policies = app().policies.filter((p) => p.id !== made);
        ctx.cf.inject({
            method: "POST",
            path: LIST,
            status: 500,
            meanwhile: () => {
                ctx.cf.addPolicy(APP_ID, { ...exact, precedence: 20 });
                ctx.cf.addPolicy(APP_ID, { ...exact, precedence: 21 });
            },
        });
        const two = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.deepEqual([two.method, two.path, two.status, two.outcomeUnknown], ["POST", LIST, 0, true]);
    });

    it("a lost POST whose second list fails: Cloudflare's words without their final dot only", async () => {
        ctx.cf.inject({ method: "POST", path: LIST, status: 500 });
        ctx.cf.inject({ method: "GET", path: LIST, status: 400, skip: 1, errors: [{ code: 1004, message: "v4.list failed." }] });
        const e = await rejection(new ProviderHost().create(inputs()));
        assert.equal(
            e.message,
            `Cloudflare API POST ${LIST} failed: 500 (10001 Internal server error). The outcome is unknown: Cloudflare may or may not have created policy "${POLICY_NAME}", ` +
                `and listing the application's policies to find out failed too (Cloudflare API GET ${LIST} failed: 400 (1004 v4.list failed.)). ` +
                `Look for it in ${DASHBOARD} and delete it if it is there, ${RETRY}.`,
        );
    });

    it("the application's domain is compared trimmed, in lower case, without trailing slashes; a mismatch names what it guards", async () => {
        app().domain = " Vault.RAXX.app// ";
        await new ProviderHost().create(inputs());
        const refused = async () => (await rejection(direct().create(inputs({ policyName: "second" })))) as unknown as Fields;
        const tail = `not ${DOMAIN}. Nothing was written. Set raxx-platform:vaultAccessApplicationId to the id of the application that guards ${DOMAIN}, ${RETRY}.`;
        app().domain = "vault.raxx.app/path/";
        const path = await refused();
        assert.equal(path.message, `Access application ${APP_ID} ("Raxx vault") guards vault.raxx.app/path, ${tail}`);
        assert.deepEqual([path.method, path.path, path.status], ["GET", APP, 200]);
        delete (app() as Partial<ReturnType<typeof app>>).domain;
        app().name = "";
        assert.equal((await refused()).message, `Access application ${APP_ID} guards no domain, ${tail}`);
        ctx.cf.apps.delete(APP_ID);
        const gone = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.deepEqual([gone.method, gone.path, gone.status, gone.errors], ["GET", APP, 404, [{ code: 12130, message: "access.api.error.not_found" }]]);
    });

    it("update: the live precedence is kept (the state's when the live policy has none); drift alone is written back; a failed GET is not a deletion", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const live = () => app().policies.find((p) => p.id === made.id)!;
        const puts = () => ctx.cf.requests.filter((r) => r.method === "PUT").map((r) => (r.body as { precedence: number }).precedence);
        live().precedence = 9;
        const moved = await host.update(made.id, made.outs, inputs({ serviceTokenIds: [TOKEN_A.id] }));
        assert.equal(moved.outs.precedence, 9);
        delete (live() as Partial<ReturnType<typeof live>>).precedence;
        const kept = await host.update(made.id, { ...made.outs, precedence: 6 }, inputs());
        assert.equal(kept.outs.precedence, 6);
        assert.deepEqual(puts(), [9, 6]);
        // Same name and tokens, but a require rule: written back.
        live().require = [{ email: { email: "x@raxx.app" } }];
        ctx.cf.requests.splice(0);
        await host.update(made.id, kept.outs, inputs());
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${LIST}/${made.id}`, `PUT ${LIST}/${made.id}`]);
        assert.deepEqual(live().require, []);
        ctx.cf.inject({ method: "GET", path: `${LIST}/${made.id}`, status: 400, errors: [{ code: 1001, message: "bad" }] });
        const failed = await rejection(host.update(made.id, kept.outs, inputs()));
        assert.equal(failed.message, `Cloudflare API GET ${LIST}/${made.id} failed: 400 (1001 bad). Cloudflare refused the request: correct what its message names, ${RETRY}.`);
        app().policies = app().policies.filter((p) => p.id !== made.id);
        const deleted = (await rejection(direct().update(made.id, kept.outs, inputs()))) as unknown as Fields;
        assert.deepEqual([deleted.method, deleted.path, deleted.status], ["GET", `${LIST}/${made.id}`, 404]);
    });

    it("update: a rename lists the policies but never counts the policy itself; a name another has names the GET of the list", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const live = app().policies.find((p) => p.id === made.id)!;
        // The GET of the policy still shows its old name; the list already shows the new one.
        ctx.cf.inject({ method: "GET", path: `${LIST}/${made.id}`, status: 200, body: { success: true, errors: [], messages: [], result: { ...live, name: "old-name" } } });
        ctx.cf.requests.splice(0);
        await host.update(made.id, { ...made.outs, policyName: "old-name" }, inputs());
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${LIST}/${made.id}`, `GET ${LIST}`, `PUT ${LIST}/${made.id}`]);
        const e = (await rejection(direct().update(made.id, made.outs, inputs({ policyName: "Owners" })))) as unknown as Fields;
        assert.deepEqual([e.method, e.path, e.status], ["GET", LIST, 200]);
    });

    it("read: a failed GET of the policy is an error, not a deletion; include rules that are null or missing are read safely", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const live = app().policies.find((p) => p.id === made.id)!;
        ctx.cf.inject({ method: "GET", path: `${LIST}/${made.id}`, status: 400, errors: [{ code: 1001, message: "bad" }] });
        const failed = await rejection(host.read(made.id, made.outs));
        assert.equal(failed.message, `Cloudflare API GET ${LIST}/${made.id} failed: 400 (1001 bad). Cloudflare refused the request: correct what its message names, ${RETRY}.`);
        live.include = [null, rule(TOKEN_A.id)];
        const withNull = await host.read(made.id, made.outs);
        assert.deepEqual(withNull.props!.serviceTokenIds, [TOKEN_A.id]);
        assert.deepEqual(withNull.props!.drift, ["include has 1 rule(s) other than service tokens: [null]"]);
        delete (live as Partial<typeof live>).include;
        const without = await host.read(made.id, made.outs);
        assert.deepEqual(without.props!.serviceTokenIds, []);
        assert.equal(Object.hasOwn(without.props!, "drift"), false);
    });
});
