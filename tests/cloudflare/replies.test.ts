// The Cloudflare client's paths that tests/cloudflare/client.test.ts drives in process, driven
// here through the provider as the engine runs it (its serialized text, in the emulated host):
// which problem of the settings is named first, what each request carries, a 3xx or 4xx that
// says success, a JSON null, several errors, a PUT whose 2xx is no success or whose reply is
// lost, a timeout, and the errors list of an error the provider makes itself. Messages go
// through the host (the engine sees only them); the fields a caller in process reads are
// pinned on a provider rebuilt from the same text.
import { strict as assert } from "node:assert";

import { ACCOUNT, API_TOKEN, APP_ID, assertNoSecrets, DOMAIN, POLICY_NAME, policyInputs, ProviderHost, providerText, rebuild, rejection, RETRY, TOKEN_A, TOKEN_B, URL_WORDS, useFakeCloudflare } from "./helpers";

const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;
const LIST = `${APP}/policies`;
const TOKEN_TODO =
    'Set an API token with the account permission "Access: Apps and Policies Edit" in CLOUDFLARE_API_TOKEN, ' +
    "or in the secret stack config (`pulumi config set --secret cloudflare:apiToken <token>`).";
const REFUSED = `Cloudflare refused the request: correct what its message names, ${RETRY}.`;
type Fields = Record<string, unknown>;
type Provider = { create(i: unknown): Promise<unknown>; update(id: string, olds: unknown, news: unknown): Promise<unknown> };

describe("Cloudflare AccessApplicationPolicy: the client's replies, through the serialized provider", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    before(async () => {
        text = await providerText();
    });
    const inputs = (over: Record<string, unknown> = {}) => policyInputs(text, over);
    const fails = async (p: Promise<unknown>, expected: string) => {
        const e = await rejection(p);
        assert.equal(e.message, expected);
        assertNoSecrets(e.message);
    };
    const direct = () => rebuild<Provider>(text);

    it("no token and a base URL that is no URL: the token is named first, and nothing is sent", async () => {
        delete process.env.CLOUDFLARE_API_TOKEN;
        process.env.CLOUDFLARE_API_BASE_URL = "api.cloudflare.com/client/v4";
        await fails(new ProviderHost().create(inputs()), `Cloudflare API GET ${APP} failed: no response (not sent: CLOUDFLARE_API_TOKEN is not set). ${TOKEN_TODO}`);
        const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.deepEqual([e.status, e.attempts, e.outcomeUnknown], [0, 0, false]);
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("what is sent: a GET with Accept, the bearer token and the User-Agent, no body, no Content-Type and no `?`; a POST's body as JSON with Content-Type", async () => {
        await new ProviderHost().create(inputs());
        const seen = ctx.cf.requests.map((r) => ({
            request: `${r.method} ${r.url}`,
            accept: r.headers.accept,
            token: r.headers.authorization === `Bearer ${API_TOKEN}`,
            agent: r.headers["user-agent"],
            contentType: r.headers["content-type"],
        }));
        const agent = "raxx-platform-pulumi-cloudflare-access";
        assert.deepEqual(seen, [
            { request: `GET /client/v4${APP}`, accept: "application/json", token: true, agent, contentType: undefined },
            { request: `GET /client/v4${LIST}?page=1&per_page=50`, accept: "application/json", token: true, agent, contentType: undefined },
            { request: `POST /client/v4${LIST}`, accept: "application/json", token: true, agent, contentType: "application/json" },
        ]);
        assert.deepEqual(
            ctx.cf.requests.map((r) => r.body),
            [undefined, undefined, { name: POLICY_NAME, decision: "non_identity", include: [TOKEN_A.id, TOKEN_B.id].map((id) => ({ service_token: { token_id: id } })), precedence: 5 }],
        );
    });

    it("a 3xx or a 4xx whose envelope says success is refused, and so is a 200 whose body is JSON null", async () => {
        for (const status of [302, 400]) {
            ctx.cf.inject({ method: "GET", path: APP, status, body: { success: true, errors: [], messages: [], result: { id: APP_ID, domain: DOMAIN } } });
            await fails(new ProviderHost().create(inputs()), `Cloudflare API GET ${APP} failed: ${status}. ${REFUSED}`);
        }
        ctx.cf.inject({ method: "GET", path: APP, status: 200, body: null });
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${APP} returned 200 without a v4 envelope. Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, ${RETRY}.`,
        );
        assert.deepEqual(ctx.cf.calls(), [`GET ${APP}`, `GET ${APP}`, `GET ${APP}`]);
    });

    it("several errors are joined with '; ', one without a code shows its message alone; the error keeps them", async () => {
        const errors = [{ message: "no code here" }, { code: 7003, message: "Could not route" }, { code: 1001, message: "third" }];
        ctx.cf.inject({ method: "GET", path: APP, status: 400, body: { success: false, errors, messages: [], result: null }, times: 2 });
        const expected = `Cloudflare API GET ${APP} failed: 400 (no code here; 7003 Could not route; 1001 third). ${REFUSED}`;
        await fails(new ProviderHost().create(inputs()), expected);
        const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.equal(e.message, expected);
        assert.deepEqual(e.errors, [
            { code: undefined, message: "no code here" },
            { code: 7003, message: "Could not route" },
            { code: 1001, message: "third" },
        ]);
    });

    it("an error the provider makes itself (a name taken) carries no Cloudflare errors", async () => {
        ctx.cf.addPolicy(APP_ID, { name: POLICY_NAME, precedence: 30 });
        const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.deepEqual([e.name, e.method, e.path, e.status, e.errors], ["CloudflareApiError", "GET", LIST, 200, []]);
    });

    it("update: a PUT answered 200 with success false gives the update's hint, its outcome unknown", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const news = inputs({ serviceTokenIds: [TOKEN_A.id] });
        const hint = `The update of Access policy ${made.id} may or may not have been applied: run \`pulumi refresh\`, ${RETRY}.`;
        const expected = `Cloudflare API PUT ${LIST}/${made.id} returned 200 with success false (1000 odd). ${hint}`;
        ctx.cf.inject({ method: "PUT", status: 200, body: { success: false, errors: [{ code: 1000, message: "odd" }], messages: [], result: null }, times: 2 });
        await fails(host.update(made.id, made.outs, news), expected);
        const e = (await rejection(direct().update(made.id, made.outs, news))) as unknown as Fields;
        assert.deepEqual([e.message, e.method, e.status, e.outcomeUnknown], [expected, "PUT", 200, true]);
        assert.equal(ctx.cf.calls().filter((c) => c.startsWith("PUT")).length, 2);
    });

    it("update: a PUT whose reply is lost each time gives the update's hint, after the attempts, its outcome unknown", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const news = inputs({ serviceTokenIds: [TOKEN_A.id] });
        const hint = `The update of Access policy ${made.id} may or may not have been applied: run \`pulumi refresh\`, ${RETRY}.`;
        ctx.cf.inject({ method: "PUT", dropReply: true, times: 3 });
        const e = (await rejection(direct().update(made.id, made.outs, news))) as unknown as Fields;
        const origin = new URL(ctx.cf.url).origin;
        assert.equal(e.message, `Cloudflare API PUT ${LIST}/${made.id} failed after 3 attempts: no response (network error reaching ${origin}: UND_ERR_SOCKET). ${hint}`);
        assert.deepEqual([e.status, e.attempts, e.outcomeUnknown], [0, 3, true]);
        // The lost PUTs were applied: the live policy admits the first token only, so back to both is a PUT again.
        ctx.cf.inject({ method: "PUT", dropReply: true, times: 3 });
        await fails(host.update(made.id, made.outs, inputs()), String(e.message));
        assert.equal(ctx.cf.calls().filter((c) => c.startsWith("PUT")).length, 6);
    });

    it("no reply within the timeout: the advice names CLOUDFLARE_HTTP_TIMEOUT_MS, and a read's outcome is known", async () => {
        process.env.CLOUDFLARE_HTTP_TIMEOUT_MS = "60";
        ctx.cf.inject({ method: "GET", path: APP, hang: true, times: 6 });
        const expected =
            `Cloudflare API GET ${APP} failed after 3 attempts: no response (timed out after 60 ms). ` +
            `Check the network, ${RETRY} (CLOUDFLARE_HTTP_TIMEOUT_MS sets the timeout of each attempt).`;
        await fails(new ProviderHost().create(inputs()), expected);
        const e = (await rejection(direct().create(inputs()))) as unknown as Fields;
        assert.deepEqual([e.message, e.status, e.attempts, e.outcomeUnknown], [expected, 0, 3, false]);
    });
});

describe("Cloudflare AccessApplicationPolicy: the rebuilt provider's paths (listing.test.ts, decisions.test.ts), through the host", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    before(async () => {
        text = await providerText();
    });
    const inputs = (over: Record<string, unknown> = {}) => policyInputs(text, over);
    const app = () => ctx.cf.apps.get(APP_ID)!;
    const fails = async (p: Promise<unknown>, expected: string) => {
        const e = await rejection(p);
        assert.equal(e.message, expected);
        assertNoSecrets(e.message);
    };
    const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const DASHBOARD = `Cloudflare Zero Trust (Access > Applications > ${DOMAIN} > Policies)`;

    it("create: more than 20 pages of policies is refused, writing nothing", async () => {
        app().policies = [];
        for (let i = 1; i <= 1001; i++) ctx.cf.addPolicy(APP_ID, { id: uuid(i), name: `p${i}`, precedence: i });
        await fails(
            new ProviderHost().create(inputs()),
            `Cloudflare API GET ${LIST} has more than 20 pages of 50 policies: Pulumi stops reading there. Remove the application's unused policies, ${RETRY}.`,
        );
        assert.equal(ctx.cf.calls().filter((c) => c.startsWith("POST")).length, 0);
    });

    it("create: a name a reusable policy has is refused, saying so", async () => {
        const reusable = ctx.cf.addPolicy(APP_ID, { name: POLICY_NAME, precedence: 30, reusable: true });
        await fails(
            new ProviderHost().create(inputs()),
            `Access application ${APP_ID} (${DOMAIN}) already has a policy named "${POLICY_NAME}" (id ${reusable.id}, a reusable policy). Nothing was written. ` +
                "If it is a leftover of this stack (a lost state, or `pulumi up --replace`), delete it in Cloudflare Zero Trust " +
                `(Access > Applications > ${DOMAIN} > Policies); if it is someone else's, give this resource another policyName. Then run Pulumi again.`,
        );
    });

    it("create after a lost POST adopts none of: an old policy renamed meanwhile, another name, another decision, other tokens, a token twice", async () => {
        const rule = (id: string) => ({ service_token: { token_id: id } });
        const exact = { name: POLICY_NAME, decision: "non_identity", include: [rule(TOKEN_A.id), rule(TOKEN_B.id)] };
        const cases: [string, () => void][] = [
            ["an old policy renamed", () => Object.assign(app().policies.find((p) => p.name === "Break-glass token")!, exact)],
            ["another name", () => ctx.cf.addPolicy(APP_ID, { ...exact, name: "someone-else", precedence: 20 })],
            ["another decision", () => ctx.cf.addPolicy(APP_ID, { ...exact, decision: "allow", precedence: 20 })],
            ["other tokens", () => ctx.cf.addPolicy(APP_ID, { ...exact, include: [rule(TOKEN_A.id), rule("5e7a9c1b-3d5f-47a9-b1c3-e5f7a9b1c3d5")], precedence: 20 })],
            ["a token twice", () => ctx.cf.addPolicy(APP_ID, { ...exact, include: [rule(TOKEN_A.id), rule(TOKEN_B.id), rule(TOKEN_A.id)], precedence: 20 })],
        ];
        const saved = structuredClone(app().policies);
        for (const [what, meanwhile] of cases) {
            ctx.cf.inject({ method: "POST", path: LIST, status: 500, meanwhile });
            const e = await rejection(new ProviderHost().create(inputs()));
            assert.equal(
                e.message,
                `Cloudflare API POST ${LIST} failed: 500 (10001 Internal server error). The outcome is unknown: the application's policies, listed again, have no new policy "${POLICY_NAME}" ` +
                    `admitting these tokens, but Cloudflare may still apply the request. Look for it in ${DASHBOARD} and delete it if it is there, ${RETRY}.`,
                what,
            );
            app().policies = structuredClone(saved);
        }
    });

    it("create: an application that guards a path, or no domain, is refused, naming what it guards", async () => {
        const tail = `not ${DOMAIN}. Nothing was written. Set raxx-platform:vaultAccessApplicationId to the id of the application that guards ${DOMAIN}, ${RETRY}.`;
        app().domain = "vault.raxx.app/path/";
        await fails(new ProviderHost().create(inputs()), `Access application ${APP_ID} ("Raxx vault") guards vault.raxx.app/path, ${tail}`);
        delete (app() as Partial<ReturnType<typeof app>>).domain;
        app().name = "";
        await fails(new ProviderHost().create(inputs()), `Access application ${APP_ID} guards no domain, ${tail}`);
        assert.equal(ctx.cf.calls().filter((c) => !c.startsWith("GET")).length, 0);
    });

    it("read: refused without the account, the application or the domain in state, sending nothing", async () => {
        const id = "6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b";
        const expected =
            `Cloudflare Access policy ${id}: read needs the resource's state (its account, application and domain). Importing is not supported: ` +
            "delete the policy in Cloudflare Zero Trust and let `pulumi up` create it, or declare another policyName.";
        const state = { accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN };
        for (const missing of ["accountId", "applicationId", "domain"] as const) {
            const { [missing]: _gone, ...props } = state;
            await fails(new ProviderHost().read(id, { ...props, __provider: text }), expected);
        }
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("update: a new name another policy has is refused, naming it, writing nothing", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const owners = app().policies.find((p) => p.name === "Owners")!;
        await fails(
            host.update(made.id, made.outs, inputs({ policyName: "Owners" })),
            `Access application ${APP_ID} (${DOMAIN}) already has another policy named "Owners" (id ${owners.id}). Nothing was written. ` +
                `Give this resource a policyName no other policy of the application has, ${RETRY}.`,
        );
        assert.equal(ctx.cf.calls().filter((c) => c.startsWith("PUT")).length, 0);
    });
});
