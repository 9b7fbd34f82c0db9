// Who may remove a config var. Pulumi creates before it deletes, so a rename without an
// alias, a key moving to another resource, or a replacement used to let the old owner's
// delete remove what the new owner had just adopted; two stacks declaring one key on
// one app could do the same to each other. Each app now carries a ledger,
// RAXX_PLATFORM_OWNERS, naming the owner of each key the stacks manage; a resource
// nulls only keys the ledger gives to it. Every engine sequence runs on the serialized
// provider, and afterwards every key that some state says is present is on the app.
import { strict as assert } from "node:assert";

import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { ConfigVars } from "../../providers/heroku";
import { OPS, assertNoSecrets, rejection, useFakeHeroku } from "./helpers";
import { useSerializedProviders } from "./serialized";

const APP = "raxx-console-staging";
const PATH = `/apps/${APP}/config-vars`;
const LEDGER = "RAXX_PLATFORM_OWNERS";
const TOKEN = "HRKU-deploy-token-value-7f3e-do-not-leak";
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
/** Vars nobody in Pulumi declares; they must survive everything. */
const OTHERS = { DATABASE_URL: "postgres://u:p@db.internal/raxx" };

type State = Record<string, unknown> & { owner: string; instance: string; vars: Record<string, string>; secretVars: Record<string, string> };

describe("Heroku ConfigVars: the ownership ledger (serialized provider)", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();
    beforeEach(() => {
        ctx.heroku.addApp(APP, { ...OTHERS });
    });

    const inputs = (stack: string, name: string, secretVars: Record<string, string>, vars: Record<string, string> = {}) => ({
        app: APP,
        owner: `raxx-platform/${stack}/${name}`,
        vars,
        secretVars,
        __provider: p.texts.configVars,
    });
    async function create(stack: string, name: string, secretVars: Record<string, string>, vars: Record<string, string> = {}) {
        const checked = await p.host.check({}, inputs(stack, name, secretVars, vars));
        assert.deepEqual(checked.failures, []);
        const made = await p.host.create(checked.inputs);
        return { id: made.id, state: made.outs as State };
    }
    async function update(id: string, olds: State, news: Record<string, unknown>) {
        const checked = await p.host.check(olds, news);
        assert.deepEqual(checked.failures, []);
        const diff = await p.host.diff(id, olds, checked.inputs);
        assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false }, "the engine would update in place");
        return (await p.host.update(id, olds, checked.inputs)).outs as State;
    }
    const app = () => ctx.heroku.apps.get(APP)!;
    const ledger = () => (app()[LEDGER] === undefined ? undefined : JSON.parse(app()[LEDGER]));
    const entry = (s: State) => `${s.owner}#${s.instance}`;
    const patches = () => ctx.heroku.requestsOf("PATCH").map((r) => r.body);
    /** No key that a live resource's state says is present is missing from the app. */
    function assertStatesHold(...states: State[]) {
        for (const s of states) {
            for (const [k, v] of Object.entries({ ...s.vars, ...s.secretVars })) assert.equal(app()[k], v, `${s.owner} holds ${k}`);
        }
        for (const [k, v] of Object.entries(OTHERS)) assert.equal(app()[k], v);
    }

    it("create writes the values and this resource's ledger entries in one PATCH, with a fresh instance", async () => {
        const a = await create("staging", "deploy-token", { HEROKU_API_KEY: TOKEN });
        assert.match(a.state.instance, /^[0-9a-f]{16}$/);
        assert.equal(a.state.owner, "raxx-platform/staging/deploy-token");
        assert.deepEqual(patches(), [{ HEROKU_API_KEY: TOKEN, [LEDGER]: JSON.stringify({ HEROKU_API_KEY: entry(a.state) }) }]);
        const again = await create("staging", "deploy-token-2", { OTHER_KEY: "x" });
        assert.notEqual(again.state.instance, a.state.instance);
        assert.deepEqual(Object.keys(ledger()), ["HEROKU_API_KEY", "OTHER_KEY"], "entries stay sorted");
    });

    it("adopting vars that already hold their values writes once: the ledger entries", async () => {
        ctx.heroku.addApp(APP, { ...OTHERS, HEROKU_API_KEY: TOKEN });
        const a = await create("staging", "deploy-token", { HEROKU_API_KEY: TOKEN });
        assert.deepEqual(patches(), [{ [LEDGER]: JSON.stringify({ HEROKU_API_KEY: entry(a.state) }) }]);
        // Converged: the next update with the same values writes nothing.
        const before = patches().length;
        await update(a.id, { ...a.state, __provider: `${p.texts.configVars}\n// older\n` }, inputs("staging", "deploy-token", { HEROKU_API_KEY: TOKEN }));
        assert.equal(patches().length, before);
    });

    it("rename without an alias (create the new name, then delete the old): the key stays", async () => {
        const old = await create("staging", "audit-ingest", { CONSOLE_AUDIT_INGEST_TOKEN: INGEST }, { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
        const renamed = await create("staging", "audit-ingest-console", { CONSOLE_AUDIT_INGEST_TOKEN: INGEST }, { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
        await p.host.delete(old.id, old.state);
        assertStatesHold(renamed.state);
        assert.deepEqual(ledger(), { CONSOLE_AUDIT_INGEST_TOKEN: entry(renamed.state), FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: entry(renamed.state) });
    });

    it("rename with an alias (an update of the owner): the entries follow, the values are not rewritten", async () => {
        const a = await create("staging", "audit-ingest", { CONSOLE_AUDIT_INGEST_TOKEN: INGEST });
        const renamed = await update(a.id, a.state, inputs("staging", "audit-ingest-console", { CONSOLE_AUDIT_INGEST_TOKEN: INGEST }));
        assert.equal(renamed.instance, a.state.instance, "the same resource keeps its instance");
        assert.equal(renamed.owner, "raxx-platform/staging/audit-ingest-console");
        assert.deepEqual(patches().slice(1), [{ [LEDGER]: JSON.stringify({ CONSOLE_AUDIT_INGEST_TOKEN: entry(renamed) }) }]);
        assertStatesHold(renamed);
    });

    for (const order of ["the old owner's update first", "the new owner's update first"] as const) {
        it(`moving a key between two live resources, ${order}: it ends on the app, owned by the new one`, async () => {
            const from = await create("staging", "a", { HEROKU_API_KEY: TOKEN, KEEP_A: "1" });
            const to = await create("staging", "b", { KEEP_B: "2" });
            let fromAfter: State;
            let toAfter: State;
            if (order === "the old owner's update first") {
                fromAfter = await update(from.id, from.state, inputs("staging", "a", { KEEP_A: "1" }));
                assert.equal(app().HEROKU_API_KEY, undefined, "for a moment the key is gone");
                toAfter = await update(to.id, to.state, inputs("staging", "b", { KEEP_B: "2", HEROKU_API_KEY: TOKEN }));
            } else {
                toAfter = await update(to.id, to.state, inputs("staging", "b", { KEEP_B: "2", HEROKU_API_KEY: TOKEN }));
                fromAfter = await update(from.id, from.state, inputs("staging", "a", { KEEP_A: "1" }));
            }
            assertStatesHold(fromAfter, toAfter);
            assert.equal(app().HEROKU_API_KEY, TOKEN);
            assert.deepEqual(ledger(), { HEROKU_API_KEY: entry(toAfter), KEEP_A: entry(fromAfter), KEEP_B: entry(toAfter) });
        });
    }

    it("replace (a new instance under the same name, then the old one's delete): the key stays", async () => {
        const old = await create("staging", "deploy-token", { HEROKU_API_KEY: TOKEN });
        const replacement = await create("staging", "deploy-token", { HEROKU_API_KEY: TOKEN });
        assert.notEqual(replacement.state.instance, old.state.instance);
        await p.host.delete(old.id, old.state);
        assertStatesHold(replacement.state);
        assert.deepEqual(ledger(), { HEROKU_API_KEY: entry(replacement.state) });
    });

    it("a key another stack owns is refused before anything is written, naming the app, key, owner and what to do", async () => {
        const staging = await create("staging", "deploy-token", { HEROKU_API_KEY: TOKEN });
        const before = ctx.heroku.requestsOf("PATCH").length;
        const snapshot = { ...app() };
        const err = await rejection(create("prod", "platform-token-raxx-console-staging", { HEROKU_API_KEY: "HRKU-prod-token-never-written", NEW_KEY: "n" }));
        assert.equal(
            err.message,
            `Heroku API GET ${PATH} returned 200, and app "${APP}"'s ${LEDGER} gives config vars this resource declares to another stack: ` +
                `HEROKU_API_KEY to ${entry(staging.state)}. Nothing was written. Declare each config var in one stack only; ` +
                `if that stack no longer manages a key, remove the key's entry from ${LEDGER} ` +
                `(\`heroku config:get ${LEDGER} -a ${APP}\`, then \`heroku config:set ${LEDGER}='<the JSON without it>' -a ${APP}\`), then run Pulumi again.`,
        );
        assertNoSecrets(err.message, [TOKEN, "HRKU-prod-token-never-written"]);
        assert.equal(ctx.heroku.requestsOf("PATCH").length, before, "nothing was written");
        assert.deepEqual(app(), snapshot);
    });

    it("delete leaves keys it has no ledger entry for (written by older code, or owned by another) alone, and drops an empty ledger", async () => {
        ctx.heroku.addApp(APP, { ...OTHERS, LEGACY_KEY: "old" });
        const a = await create("staging", "a", { HEROKU_API_KEY: TOKEN });
        const legacyState = { ...a.state, keys: ["HEROKU_API_KEY", "LEGACY_KEY"], vars: { LEGACY_KEY: "old" } };
        await p.host.delete(a.id, legacyState);
        assert.deepEqual(app(), { ...OTHERS, LEGACY_KEY: "old" });
        assert.deepEqual(patches().slice(1), [{ HEROKU_API_KEY: null, [LEDGER]: null }]);
    });

    it("update dropping a key nulls it only when the ledger gives it to this instance", async () => {
        const a = await create("staging", "a", { HEROKU_API_KEY: TOKEN, SHARED: "s" });
        // Another resource of this stack took SHARED over (say, a rename without alias).
        const b = await create("staging", "b", { SHARED: "s" });
        const after = await update(a.id, a.state, inputs("staging", "a", { HEROKU_API_KEY: TOKEN, NEW: "n" }));
        assertStatesHold(after, b.state);
        assert.deepEqual(ledger(), { HEROKU_API_KEY: entry(after), NEW: entry(after), SHARED: entry(b.state) });
    });

    it("treats a var named like an Object.prototype member as just a name", async () => {
        const a = await create("staging", "a", { constructor: "c", KEEP: "k" });
        const after = await update(a.id, a.state, inputs("staging", "a", { KEEP: "k" }));
        assert.equal(Object.prototype.hasOwnProperty.call(app(), "constructor"), false, "the dropped key is removed");
        assert.deepEqual(ledger(), { KEEP: entry(after) });
    });

    it("two resources of one app created at once both end up in the ledger (one provider object, per-app lock)", async () => {
        // Delay each read of the vars, so unserialized read-modify-writes would interleave.
        ctx.heroku.inject({ method: "GET", path: PATH, delayMs: 40, times: 2 });
        const checkedA = await p.host.check({}, inputs("staging", "a", { KEY_A: "1" }));
        const checkedB = await p.host.check({}, inputs("staging", "b", { KEY_B: "2" }));
        const [a, b] = await Promise.all([p.host.create(checkedA.inputs), p.host.create(checkedB.inputs)]);
        assert.equal(p.host.rebuilt, 1, "the host caches one provider object per text");
        assert.deepEqual(ledger(), { KEY_A: entry(a.outs as State), KEY_B: entry(b.outs as State) });
        assertStatesHold(a.outs as State, b.outs as State);
    });

    it("refuses a malformed ledger without writing, and without echoing it", async () => {
        ctx.heroku.addApp(APP, { ...OTHERS, [LEDGER]: "not json" });
        const err = await rejection(create("staging", "a", { HEROKU_API_KEY: TOKEN }));
        assert.equal(
            err.message,
            `Heroku API GET ${PATH} returned 200, but app "${APP}"'s ${LEDGER} is not a JSON object of config var name to owner. Nothing was written. ` +
                `Fix it (each entry reads "KEY": "<project>/<stack>/<resource>#<instance>") or remove it (\`heroku config:unset ${LEDGER} -a ${APP}\`), then run Pulumi again.`,
        );
        assert.equal(ctx.heroku.requestsOf("PATCH").length, 0);
    });

    it("check validates the owner and keeps the ledger's name for the provider", async () => {
        const r = await p.host.check({}, { app: APP, owner: "prod", vars: { [LEDGER]: "{}", FLAG: "on" }, secretVars: {}, __provider: p.texts.configVars });
        assert.deepEqual(r.failures, [
            {
                property: "owner",
                reason: 'owner must be "<project>/<stack>/<resource name>", as the ConfigVars constructor sets it (e.g. "raxx-platform/prod/platform-token-raxx-api-prod")',
            },
            { property: "vars", reason: `${LEDGER} is the ownership ledger the provider keeps on each app; give the var another name` },
        ]);
    });

    it("read reports only this resource's keys and carries owner, instance and account", async () => {
        const a = await create("staging", "a", { HEROKU_API_KEY: TOKEN });
        const read = await p.host.read(a.id, a.state);
        assert.deepEqual(read, { id: a.id, props: a.state });
        assert.equal(a.state.ownerId, OPS.id);
    });
});

describe("ConfigVars at program time: one declaration per app and key", () => {
    it("throws when one program declares the same key on one app twice, naming both resources", async () => {
        const r = await runWithMocks(
            () => {
                new ConfigVars("first", { app: APP, secretVars: { HEROKU_API_KEY: "a" } });
                new ConfigVars("other-app", { app: "raxx-api-prod", secretVars: { HEROKU_API_KEY: "a" } });
                new ConfigVars("second", { app: APP, vars: { FLAG: "on", HEROKU_API_KEY: "b" } });
            },
            { stack: "prod" },
        );
        assert.equal(
            r.error?.message,
            `ConfigVars "second" declares HEROKU_API_KEY on Heroku app "${APP}", which ConfigVars "first" already declares in stack raxx-platform/prod. ` +
                "Declare each config var of an app in one ConfigVars: two owners would overwrite, and on delete remove, each other's value.",
        );
    });

    it("counts each run of the program on its own, and computes the owner from project, stack and name", async () => {
        const program = () => {
            new ConfigVars("first", { app: APP, secretVars: { HEROKU_API_KEY: "a" } });
        };
        const one = await runWithMocks(program, { stack: "staging" });
        const two = await runWithMocks(program, { stack: "staging" });
        assert.equal(one.error, undefined, String(one.error));
        assert.equal(two.error, undefined, String(two.error));
        assert.equal(two.registrations[0].inputs.owner, "raxx-platform/staging/first");
    });
});
