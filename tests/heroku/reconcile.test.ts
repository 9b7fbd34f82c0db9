// A lost reply to POST /oauth/authorizations must not leave an untracked global token.
// Create finds its own authorizations by description (unique per slot and generation),
// before the POST (orphans of an interrupted create) and after a POST whose outcome is
// unknown. Invariant, after any sequence of failed and retried creates: exactly one live
// authorization carries the description, and it is the one in the returned state.
// Everything here runs the serialized provider through the host emulation.
import { strict as assert } from "node:assert";

import { HANG_TIMEOUT_MS, assertNoSecrets, rejection, useFakeHeroku } from "./helpers";
import { useSerializedProviders } from "./serialized";

const D = "raxx-platform-token-2026-11-28";
const LIST = "GET /oauth/authorizations";
const POST = "POST /oauth/authorizations";
const LOST_TIMEOUT = `Heroku API POST /oauth/authorizations failed: no response (timed out after ${HANG_TIMEOUT_MS} ms).`;

describe("Heroku Authorization create: reconciling lost replies (serialized provider)", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();

    const create = () => p.host.create({ scope: ["global"], description: D, __provider: p.texts.authorization });
    const calls = () => ctx.heroku.requests.map((r) => `${r.method} ${r.path}`);
    const live = () => [...ctx.heroku.authorizations.values()].filter((a) => a.description === D);
    /** The ids of the key's authorizations that were there before the POST, as Heroku orders a list. */
    const sortedIds = () => [...ctx.heroku.authorizations.values()].filter((a) => a.description !== D).map((a) => a.id).sort();
    const tokens = () => [...ctx.heroku.authorizations.values()].map((a) => a.token);
    /** Exactly one live authorization carries the description, and state holds it. */
    function assertOneLive(made: { id: string; outs: Record<string, unknown> }) {
        const [only, ...more] = live();
        assert.equal(more.length, 0, `${live().length} live authorizations are described ${D}`);
        assert.equal(made.id, only.id);
        assert.equal(made.outs.authorizationId, only.id);
        assert.equal(made.outs.token, only.token);
        assert.equal(made.outs.createdAt, only.createdAt);
    }

    it("adopts the authorization when the POST was applied and the connection dropped", async () => {
        ctx.heroku.inject({ method: "POST", applyThenDrop: true });
        const made = await create();
        assertOneLive(made);
        assert.deepEqual(calls(), [LIST, POST, LIST]);
    });

    it("adopts the authorization when the POST was applied and the reply hung past the timeout", async () => {
        ctx.heroku.inject({ method: "POST", applyThenHang: true });
        process.env.HEROKU_HTTP_TIMEOUT_MS = String(HANG_TIMEOUT_MS);
        const made = await create();
        assertOneLive(made);
        assert.deepEqual(calls(), [LIST, POST, LIST]);
    });

    it("never adopts an authorization that already carries the description: it may be the one this create replaces", async () => {
        // `pulumi up --replace`, or a rename without an alias: the engine creates the
        // replacement first, then revokes the authorization it replaces.
        const replaced = ctx.heroku.addAuthorization({ description: D, createdAt: "2026-11-28T09:00:00Z" });
        ctx.heroku.addAuthorization({ description: "raxx-platform-token-2026-08-04" }); // another generation
        const made = await create();
        assert.notEqual(made.id, replaced.id);
        assert.notEqual(made.outs.token, replaced.token);
        assert.deepEqual(calls(), [LIST, POST]);
        await p.host.delete(replaced.id, { ...made.outs, authorizationId: replaced.id, token: replaced.token });
        assertOneLive(made);
        assert.equal(ctx.heroku.authorizations.size, 2, "the other generation is left alone");
    });

    it("after a lost reply, tells its own from an authorization that was there before, and leaves that one alone", async () => {
        const replaced = ctx.heroku.addAuthorization({ description: D, createdAt: "2026-11-28T09:00:00Z" });
        ctx.heroku.inject({ method: "POST", applyThenDrop: true });
        const made = await create();
        assert.notEqual(made.id, replaced.id);
        assert.deepEqual(calls(), [LIST, POST, LIST]);
        assert.deepEqual(live().map((a) => a.id).sort(), [made.id, replaced.id].sort());
    });

    it("reads every page of the key's authorizations, so a lost reply's authorization is found behind many others", async () => {
        ctx.heroku.maxPageSize = 2;
        for (let i = 0; i < 5; i++) ctx.heroku.addAuthorization({ description: `someone-elses-token-${i}` });
        ctx.heroku.inject({ method: "POST", applyThenDrop: true });
        const made = await create();
        assertOneLive(made);
        // Three pages before the POST, and three after it.
        assert.deepEqual(calls(), [LIST, LIST, LIST, POST, LIST, LIST, LIST]);
        // Each page asks for the ids after the last one of the page before, as Heroku lists them.
        const before = sortedIds();
        const after = [...before, made.id].sort();
        const pages = (ids: string[]) => ["id ..; max=1000", `id ]${ids[1]}..; max=2`, `id ]${ids[3]}..; max=2`];
        assert.deepEqual(ctx.heroku.requests.filter((r) => r.method === "GET").map((r) => r.headers.range), [...pages(before), ...pages(after)]);
    });

    it("revokes what a lost POST created when Heroku returns no token for it, and a retry then creates one", async () => {
        ctx.heroku.hideTokenOnGet = true;
        ctx.heroku.inject({ method: "POST", applyThenHang: true });
        process.env.HEROKU_HTTP_TIMEOUT_MS = String(HANG_TIMEOUT_MS);
        const err = await rejection(create());
        const [lost] = ctx.heroku.requestsOf("DELETE").map((r) => r.path.split("/").pop());
        assert.equal(
            err.message,
            `${LOST_TIMEOUT} Heroku had created 1 authorization described "${D}" (${lost}), but returns no token for it, so Pulumi revoked it again: run Pulumi again.`,
        );
        assert.deepEqual(calls(), [LIST, POST, LIST, `DELETE /oauth/authorizations/${lost}`]);
        assert.equal(live().length, 0);
        const made = await create();
        assertOneLive(made);
    });

    it("when listing fails too, says the authorization may exist and how to find it; a retry makes its own and leaves that one to the operator", async () => {
        ctx.heroku.inject({ method: "POST", applyThenDrop: true });
        // The first list (before the POST) succeeds; the one after it meets a 503 storm.
        ctx.heroku.inject({ method: "GET", path: "/oauth/authorizations", status: 200, body: [] });
        ctx.heroku.inject({ method: "GET", path: "/oauth/authorizations", status: 503, times: 3, body: { id: "service_unavailable", message: "Try later." } });
        const err = await rejection(create());
        assert.equal(
            err.message,
            `Heroku API POST /oauth/authorizations failed: no response (network error reaching ${ctx.heroku.url}: UND_ERR_SOCKET). ` +
                "Heroku may or may not have created the authorization, and listing authorizations to find out failed too " +
                "(Heroku API GET /oauth/authorizations failed after 3 attempts: 503 service_unavailable: Try later.): " +
                `look for description "${D}" in \`heroku authorizations\`, revoke (\`heroku authorizations:revoke <id>\`) every one that Pulumi does not track, then run Pulumi again.`,
        );
        assertNoSecrets(err.message, tokens());
        const [lost] = live();
        assert.ok(lost !== undefined, "the POST was applied");
        // Pulumi cannot tell this one from one it tracks: the message above asks the operator to revoke it.
        const made = await create();
        assert.deepEqual(live().map((a) => a.id).sort(), [lost.id, made.id].sort());
    });

    it("after a 5xx that created nothing, says so; a retry creates exactly one", async () => {
        ctx.heroku.inject({ method: "POST", status: 503, body: { id: "service_unavailable", message: "Try later." } });
        const err = await rejection(create());
        assert.equal(
            err.message,
            "Heroku API POST /oauth/authorizations failed: 503 service_unavailable: Try later. " +
                `Heroku did not create the authorization (GET /oauth/authorizations lists none described "${D}"): run Pulumi again.`,
        );
        assert.deepEqual(calls(), [LIST, POST, LIST]);
        assert.equal(live().length, 0);
        assertOneLive(await create());
    });

    it("keeps the invariant through a run of failures and retries", async () => {
        const failures: string[] = [];
        const attempt = async () => {
            try {
                return await create();
            } catch (e) {
                failures.push((e as Error).message.slice(0, 60));
                return undefined;
            }
        };
        // 1: applied, the reply lost, and Heroku lists it without a token: revoked again.
        ctx.heroku.hideTokenOnGet = true;
        ctx.heroku.inject({ method: "POST", applyThenHang: true });
        process.env.HEROKU_HTTP_TIMEOUT_MS = String(HANG_TIMEOUT_MS);
        assert.equal(await attempt(), undefined);
        ctx.heroku.hideTokenOnGet = false;
        // 2: the listing before the POST fails: nothing is sent.
        ctx.heroku.inject({ method: "GET", path: "/oauth/authorizations", status: 503, times: 3 });
        assert.equal(await attempt(), undefined);
        // 3: a 503 that created nothing.
        ctx.heroku.inject({ method: "POST", status: 503, body: { id: "service_unavailable", message: "Try later." } });
        assert.equal(await attempt(), undefined);
        // 4: applied, the connection dropped: adopted.
        ctx.heroku.inject({ method: "POST", applyThenDrop: true });
        const made = await attempt();
        assert.ok(made !== undefined);
        assertOneLive(made);
        assert.equal(ctx.heroku.requestsOf("POST").length, 3, "three POSTs: the first made a token that was revoked again, the 503 made none, the last one is adopted");
        assert.equal(failures.length, 3);
    });
});
