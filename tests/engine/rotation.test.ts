// The deploy token's whole rotation cycle under the real engine: first up,
// no perpetual diff, rotation, the next rotation, rollback and early revoke as
// docs/rotation.md tells the operator, and no secret in the checkpoint.
import { strict as assert } from "node:assert";
import { ENGINE_HEROKU_KEY, Engine, EngineStack } from "./harness";
import { APPS, AUTH, D1, D2, D3, SECRET, VARS, DeployTokenHolders, DeployTokenState, deployTokenProgram } from "./programs";


const CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const CONSUMER_CHECK = "pulumi-nodejs:dynamic/verify:ConsumerCheck";

/** Every consumer of the deploy token, and the check of each (declared, though off here: see tests/engine/verify.test.ts), as a preview step of `op`. */
function consumers(op: string): string[] {
    const places = [...APPS.map((app) => `${VARS} platform-token-${app}`), `${SECRET} platform-token-github-secret-HEROKU_API_KEY`];
    const checks = [...APPS.map((app) => `${CONSUMER_CHECK} platform-token-${app}-check`), `${CONSUMER_CHECK} platform-token-github-secret-HEROKU_API_KEY-check`];
    return [...places, ...checks].map((x) => `${op} ${x}`);
}

describe("engine: the deploy token's rotation cycle", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    const state: DeployTokenState = { entry: `active=a a=${D1}`, apps: APPS };
    let holders: DeployTokenHolders;

    async function assertNoPlainSecretsInCheckpoint(): Promise<void> {
        for (const a of engine.heroku.authorizations.values()) holders.issued.add(a.token);
        const text = await stack.exportText();
        for (const secret of [...holders.issued, ENGINE_HEROKU_KEY]) {
            assert.ok(!text.includes(secret), "a token is in the checkpoint in plain text");
        }
        // The check can fail: decrypted, the checkpoint does hold the active token.
        const decrypted = await stack.exportText(true);
        assert.ok([...holders.issued].some((t) => decrypted.includes(t)), "the decrypted checkpoint holds no token at all");
    }

    before(async () => {
        engine = await Engine.start();
        holders = new DeployTokenHolders(engine);
        for (const app of APPS) engine.heroku.addApp(app, { OTHER_VAR: `kept-${app}` });
        stack = await engine.stack("prod", deployTokenProgram(state));
    });
    after(async () => engine?.stop());

    it("first up: slot a is created and its token reaches every app and the Actions secret", async () => {
        const up = await stack.up();
        // 11, and the check of slot a and of each of the five places.
        assert.deepEqual(up.summary.resourceChanges, { create: 17 });
        const a = holders.tokenOf(D1);
        assert.deepEqual(holders.held(), holders.allHold(a));
        assert.deepEqual(
            APPS.map((app) => engine.heroku.apps.get(app)?.OTHER_VAR),
            APPS.map((app) => `kept-${app}`),
            "vars the stack does not declare are left alone",
        );
        assert.deepEqual(
            (await stack.resources(AUTH)).map((r) => r.urn.split("::").pop()),
            ["platform-token-heroku-authorization-a"],
        );
        await assertNoPlainSecretsInCheckpoint();
    });

    it("a second preview proposes nothing, and --expect-no-changes exits 0 (no perpetual diff)", async () => {
        assert.deepEqual(await stack.planned(), []);
        const o = await stack.outcome([], (s) => s.preview({ expectNoChanges: true }));
        assert.equal(o.code, 0, o.stderr);
    });

    it("rotation to b: the preview shows one create and in-place updates of the consumers, nothing else", async () => {
        state.entry = `active=b a=${D1} b=${D2}`;
        assert.deepEqual(
            await stack.planned(),
            [`create ${AUTH} platform-token-heroku-authorization-b`, `create ${CHECK} platform-token-heroku-check-b`, ...consumers("update")].sort(),
        );
    });

    it("after the up every consumer holds b's token, and a's authorization is still live", async () => {
        const before = engine.heroku.requests.length;
        await stack.up();
        const b = holders.tokenOf(D2);
        assert.deepEqual(holders.held(), holders.allHold(b));
        holders.tokenOf(D1); // still live
        assert.deepEqual(
            engine.heroku.requests.slice(before).filter((r) => r.method === "DELETE"),
            [],
            "nothing was revoked",
        );
        await assertNoPlainSecretsInCheckpoint();
    });

    it("the next rotation re-dates a: a is replaced, the new one created before the old is revoked; b is untouched", async () => {
        const oldA = holders.tokenOf(D1);
        const oldAId = [...engine.heroku.authorizations.values()].find((x) => x.token === oldA)!.id;
        const b = holders.tokenOf(D2);
        state.entry = `active=a a=${D3} b=${D2}`;
        assert.deepEqual(
            await stack.planned(),
            // A preview lists a replacement as one `replace` step; the up below shows its order.
            [`replace ${AUTH} platform-token-heroku-authorization-a`, `update ${CHECK} platform-token-heroku-check-a`, ...consumers("update")].sort(),
        );
        const before = engine.heroku.requests.length;
        await stack.up();
        const newA = holders.tokenOf(D3);
        assert.deepEqual(holders.held(), holders.allHold(newA));
        assert.equal(holders.tokenOf(D2), b, "b is untouched");
        assert.equal([...engine.heroku.authorizations.values()].some((x) => x.token === oldA), false, "the old a is revoked");

        // Order at Heroku: the new authorization, then every app's write, then the old one's revocation.
        const calls = engine.heroku.requests.slice(before).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
        const post = calls.indexOf("POST /oauth/authorizations");
        const revoke = calls.indexOf(`DELETE /oauth/authorizations/${oldAId}`);
        const patches = calls.flatMap((c, i) => (c.startsWith("PATCH ") ? [i] : []));
        assert.ok(post >= 0 && revoke >= 0, calls.join("\n"));
        assert.equal(patches.length, APPS.length, calls.join("\n"));
        assert.ok(patches.every((i) => post < i && i < revoke), `create, consumers, then revoke:\n${calls.join("\n")}`);
        assert.equal(calls.filter((c) => c.startsWith("DELETE ")).length, 1, "only the old a is revoked");
        await assertNoPlainSecretsInCheckpoint();
    });

    it("rollback, as docs/rotation.md says: only in-place updates of the consumers; nothing minted or revoked", async () => {
        const b = holders.tokenOf(D2);
        state.entry = `active=b a=${D3} b=${D2}`;
        assert.deepEqual(await stack.planned(), consumers("update").sort());
        const before = engine.heroku.requests.length;
        await stack.up();
        assert.deepEqual(holders.held(), holders.allHold(b));
        const writes = engine.heroku.requests.slice(before).filter((r) => r.method === "POST" || r.method === "DELETE");
        assert.deepEqual(writes, []);
        holders.tokenOf(D3); // the rolled-back-from token stays live
    });

    it("early revoke of the previous slot, as docs/rotation.md says: only its delete", async () => {
        const a = holders.tokenOf(D3);
        state.entry = `active=b b=${D2}`;
        assert.deepEqual(await stack.planned(), [`delete ${AUTH} platform-token-heroku-authorization-a`, `delete ${CHECK} platform-token-heroku-check-a`]);
        await stack.up();
        assert.equal([...engine.heroku.authorizations.values()].some((x) => x.token === a), false, "a is revoked");
        assert.deepEqual(holders.held(), holders.allHold(holders.tokenOf(D2)));
        assert.deepEqual(await stack.planned(), []);
        await assertNoPlainSecretsInCheckpoint();
    });

    it("pulumi up --replace of the active slot (a leak): consumers get a new token, and only the old one is revoked", async () => {
        const old = holders.tokenOf(D2);
        const [auth] = await stack.resources(AUTH);
        await stack.up({ replace: [auth.urn] });
        const renewed = holders.tokenOf(D2);
        assert.notEqual(renewed, old);
        assert.deepEqual(holders.held(), holders.allHold(renewed));
        assert.equal([...engine.heroku.authorizations.values()].some((x) => x.token === old), false, "the old token is revoked");
        await assertNoPlainSecretsInCheckpoint();
    });
});
