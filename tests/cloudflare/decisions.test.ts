// The policy provider's decisions, on the serialized provider: each check reason in full
// (with what was given), what read needs and what it makes of a live policy that lacks a
// name or precedence or has what the inputs cannot say, and the fields of the errors a
// create whose outcome is unknown throws.
import { strict as assert } from "node:assert";

import { ACCOUNT, APP_ID, DOMAIN, POLICY_NAME, ProviderHost, TOKEN_A, policyInputs, providerText, rebuild, rejection, useFakeCloudflare } from "./helpers";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const APP = `/accounts/${ACCOUNT}/access/apps/${APP_ID}`;
const REASON = {
    accountId: 'accountId must be a Cloudflare account id, 32 lowercase hex characters (e.g. "0a1b2c3d4e5f60718293a4b5c6d7e8f9")',
    applicationId: 'applicationId must be the Access application\'s id, a lowercase UUID (config raxx-platform:vaultAccessApplicationId, e.g. "f174e90a-fafe-4643-bbbc-4a0ed4fc8415")',
    domain: 'domain must be the lowercase host the application guards (e.g. "vault.raxx.app")',
    policyName: 'policyName must be a non-empty name without leading or trailing spaces (e.g. "raxx-platform-automation")',
};
type Provider = { read(id: string, props?: unknown): Promise<unknown>; create(i: unknown): Promise<unknown> };

describe("Cloudflare AccessApplicationPolicy: decisions (serialized provider)", () => {
    const ctx = useFakeCloudflare();
    let text: string;
    before(async () => {
        text = await providerText();
    });
    const inputs = (over: Record<string, unknown> = {}) => policyInputs(text, over);
    const failuresOf = async (over: Record<string, unknown>) => (await new ProviderHost().check({}, inputs(over))).failures;

    it("check: each reason says what was given: a string quoted (cut at 120 characters), nothing, a list or a number", async () => {
        const long = `${"a".repeat(121)}.raxx.app`;
        const cases: [string, unknown, string][] = [
            ["accountId", `x${ACCOUNT}`, `"x${ACCOUNT}"`],
            ["accountId", `${ACCOUNT}0`, `"${ACCOUNT}0"`],
            ["accountId", 42, "a number"],
            ["applicationId", `${APP_ID}0`, `"${APP_ID}0"`],
            ["applicationId", `x${APP_ID}`, `"x${APP_ID}"`],
            ["applicationId", undefined, "nothing"],
            ["domain", ["vault.raxx.app"], "a list"],
            ["domain", "vault.raxx.app-", '"vault.raxx.app-"'],
            ["domain", "-vault.raxx.app", '"-vault.raxx.app"'],
            ["domain", long, `"${long.slice(0, 120)}…"`],
            ["policyName", "", '""'],
            ["policyName", ` ${"n".repeat(119)}`, `" ${"n".repeat(119)}"`],
            ["policyName", "n".repeat(351), `"${"n".repeat(120)}…"`],
        ];
        for (const [property, v, shown] of cases) {
            const over = v === undefined ? { [property]: undefined } : { [property]: v };
            assert.deepEqual(await failuresOf(over), [{ property, reason: `${REASON[property as keyof typeof REASON]}; got ${shown}` }], `${property} ${String(v)}`);
        }
    });

    it("check: accepts a name of 350 characters, a one-letter label, and unknowns (an account, the token list, tokens in it)", async () => {
        assert.deepEqual(await failuresOf({ policyName: "n".repeat(350) }), []);
        assert.deepEqual(await failuresOf({ domain: "a.raxx.app" }), []);
        assert.deepEqual(await failuresOf({ accountId: UNKNOWN, serviceTokenIds: UNKNOWN }), []);
        assert.deepEqual(await failuresOf({ serviceTokenIds: [UNKNOWN, UNKNOWN, TOKEN_A.id] }), []);
    });

    it("check: a domain longer than 253 characters is refused", async () => {
        const label = "a".repeat(60);
        const domain = `${[label, label, label, label, label].join(".")}.raxx.app`;
        assert.ok(domain.length > 253);
        const shown = `"${domain.slice(0, 120)}…"`;
        assert.deepEqual(await failuresOf({ domain }), [{ property: "domain", reason: `${REASON.domain}; got ${shown}` }]);
    });

    it("check: a token id that is not a string, and a token listed twice, each get their reason", async () => {
        assert.deepEqual(await failuresOf({ serviceTokenIds: [7, TOKEN_A.id, TOKEN_A.id] }), [
            { property: "serviceTokenIds", reason: "a number is not an Access service token id: use the token's id, a lowercase UUID, not its client id" },
            { property: "serviceTokenIds", reason: "serviceTokenIds lists a token twice: list each slot's token once" },
        ]);
        assert.deepEqual(await failuresOf({ serviceTokenIds: "x" }), [
            { property: "serviceTokenIds", reason: "serviceTokenIds must list at least one Access service token id (a policy without an include rule admits no one, and Cloudflare refuses it)" },
        ]);
    });

    it("diff: a new domain alone is an update; state with drift is an update even with the same inputs", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const same = { changes: false, replaces: [], deleteBeforeReplace: false };
        const update = { changes: true, replaces: [], deleteBeforeReplace: false };
        assert.deepEqual(await host.diff(made.id, made.outs, inputs()), same);
        assert.deepEqual(await host.diff(made.id, made.outs, inputs({ domain: "vault2.raxx.app" })), update);
        assert.deepEqual(await host.diff(made.id, { ...made.outs, drift: ["require has 1 rule(s)"] }, inputs()), update);
        assert.deepEqual(await host.diff(made.id, { ...made.outs, drift: [] }, inputs()), same);
    });

    it("read: refused without the account, the application or the domain in state, sending nothing", async () => {
        const provider = rebuild<Provider>(text);
        const id = "6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b";
        const expected =
            `Cloudflare Access policy ${id}: read needs the resource's state (its account, application and domain). Importing is not supported: ` +
            "delete the policy in Cloudflare Zero Trust and let `pulumi up` create it, or declare another policyName.";
        const state = { accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN };
        for (const missing of ["accountId", "applicationId", "domain"] as const) {
            const { [missing]: _gone, ...props } = state;
            await assert.rejects(provider.read(id, props), { message: expected }, missing);
        }
        await assert.rejects(provider.read(id, undefined), { message: expected });
        assert.deepEqual(ctx.cf.calls(), []);
    });

    it("read: a live policy without a name or precedence keeps the state's; require, exclude and another decision are drift", async () => {
        const host = new ProviderHost();
        const made = await host.create(inputs());
        const live = ctx.cf.apps.get(APP_ID)!.policies.find((p) => p.id === made.id)!;
        const read = await host.read(made.id, made.outs);
        assert.equal(Object.hasOwn(read.props!, "drift"), false, "no drift: no drift key");
        Object.assign(live, { decision: "allow", require: [{ email: {} }], exclude: [{ ip: {} }, { geo: {} }] });
        delete (live as Partial<typeof live>).name;
        delete (live as Partial<typeof live>).precedence;
        const drifted = await host.read(made.id, { ...made.outs, precedence: 7 });
        assert.equal(drifted.props!.policyName, POLICY_NAME);
        assert.equal(drifted.props!.precedence, 7);
        assert.deepEqual(drifted.props!.drift, ['decision is "allow", not non_identity', "require has 1 rule(s)", "exclude has 2 rule(s)"]);
        live.name = "renamed-by-hand";
        live.precedence = 9;
        const renamed = await host.read(made.id, made.outs);
        assert.equal(renamed.props!.policyName, "renamed-by-hand");
        assert.equal(renamed.props!.precedence, 9);
    });

    it("create: the errors of a POST whose outcome stays unknown say so, as errors of the POST", async () => {
        ctx.cf.inject({ method: "POST", path: `${APP}/policies`, status: 500 });
        const err = (await rejection(rebuild<Provider>(text).create(inputs()))) as unknown as Record<string, unknown>;
        assert.deepEqual([err.name, err.method, err.path, err.status, err.outcomeUnknown], ["CloudflareApiError", "POST", `${APP}/policies`, 0, true]);
        ctx.cf.inject({ method: "POST", path: `${APP}/policies`, status: 500 });
        ctx.cf.inject({ method: "GET", path: `${APP}/policies`, status: 400, skip: 1, times: 1 });
        const listFailed = (await rejection(rebuild<Provider>(text).create(inputs()))) as unknown as Record<string, unknown>;
        assert.deepEqual([listFailed.method, listFailed.status, listFailed.outcomeUnknown], ["POST", 0, true]);
        assert.match(String(listFailed.message), /listing the application's policies to find out failed too \(Cloudflare API GET \/accounts\/[^ ]+\/policies failed: 400 \(10001 Internal server error\)\)\. Look/);
    });
});
