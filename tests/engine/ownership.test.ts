// No config var is lost under the real engine, whatever order it runs steps
// in: a ConfigVars renamed with and without an alias, a key moved from one
// resource to another, a resource replaced, and two stacks writing to one app.
// Afterwards every key that state says is present is on the app, with the
// value state has.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigVars } from "../../providers/heroku";
import { Engine, EngineStack } from "./harness";
import { VARS } from "./programs";

const OWNERS = "RAXX_PLATFORM_OWNERS";
const [A, B, C] = ["raxx-console-prod", "raxx-api-prod", "raxx-api-staging"];
const value = (key: string) => `value-of-${key.toLowerCase()}-0c7d`;

describe("engine: no config var is lost", function () {
    this.timeout(300_000);
    let engine: Engine;
    let prod: EngineStack;
    const refactored = { done: false };

    function vars(name: string, app: string, keys: string[], opts: pulumi.CustomResourceOptions = {}): ConfigVars {
        return new ConfigVars(name, { app, secretVars: Object.fromEntries(keys.map((k) => [k, value(k)])) }, opts);
    }

    /** Every key a ConfigVars in state owns, with its value, against the app's vars at Heroku. */
    async function stateAgainstHeroku(stack: EngineStack): Promise<{ inState: Record<string, string>; atHeroku: Record<string, string | undefined> }> {
        const inState: Record<string, string> = {};
        const atHeroku: Record<string, string | undefined> = {};
        for (const r of await stack.resources(VARS, true)) {
            const app = r.outputs?.app as string;
            const secret = r.outputs?.secretVars as { plaintext: string };
            for (const [k, v] of Object.entries(JSON.parse(secret.plaintext) as Record<string, string>)) {
                inState[`${app} ${k}`] = v;
                atHeroku[`${app} ${k}`] = engine.heroku.apps.get(app)?.[k];
            }
            for (const k of r.outputs?.keys as string[]) assert.ok(`${app} ${k}` in inState, `${app} ${k} is owned but missing in state and at Heroku`);
        }
        return { inState, atHeroku };
    }

    function ledger(app: string): Record<string, string> {
        return JSON.parse(engine.heroku.apps.get(app)?.[OWNERS] ?? "{}") as Record<string, string>;
    }

    before(async () => {
        engine = await Engine.start();
        for (const app of [A, B, C]) engine.heroku.addApp(app, { UNMANAGED: "left-alone" });
        prod = await engine.stack("prod", async () => {
            if (!refactored.done) {
                vars("old-name", A, ["K_RENAME"]);
                vars("aliased", A, ["K_ALIAS"]);
                vars("mover", B, ["K_STAY", "K_MOVE"]);
                vars("receiver", B, ["K_RECV"]);
                vars("replaced", C, ["K_REPLACE"], { replacementTrigger: "generation-1" });
            } else {
                vars("new-name", A, ["K_RENAME"]); // renamed, no alias: a create and a delete
                vars("aliased-renamed", A, ["K_ALIAS"], { aliases: [{ name: "aliased" }] });
                vars("mover", B, ["K_STAY"]);
                vars("receiver", B, ["K_RECV", "K_MOVE"]);
                vars("replaced", C, ["K_REPLACE"], { replacementTrigger: "generation-2" });
            }
        });
        await prod.up();
    });
    after(async () => engine?.stop());

    it("a rename without alias, a rename with one, a moved key and a replacement: the preview shows each as the engine will run it", async () => {
        refactored.done = true;
        assert.deepEqual(await prod.planned(), [
            `create ${VARS} new-name`,
            `delete ${VARS} old-name`,
            `replace ${VARS} replaced`,
            `update ${VARS} aliased-renamed`,
            `update ${VARS} mover`,
            `update ${VARS} receiver`,
        ]);
    });

    it("after the up, every key is on its app with its value, and the ledger names the new owners", async () => {
        await prod.up();
        const { inState, atHeroku } = await stateAgainstHeroku(prod);
        assert.deepEqual(atHeroku, inState);
        assert.deepEqual(Object.keys(inState).sort(), [`${A} K_ALIAS`, `${A} K_RENAME`, `${B} K_MOVE`, `${B} K_RECV`, `${B} K_STAY`, `${C} K_REPLACE`].sort());
        for (const app of [A, B, C]) assert.equal(engine.heroku.apps.get(app)?.UNMANAGED, "left-alone");
        const owner = (app: string, key: string) => ledger(app)[key]?.split("#")[0];
        assert.deepEqual(
            [owner(A, "K_RENAME"), owner(A, "K_ALIAS"), owner(B, "K_MOVE"), owner(B, "K_STAY"), owner(C, "K_REPLACE")],
            ["raxx-platform/prod/new-name", "raxx-platform/prod/aliased-renamed", "raxx-platform/prod/receiver", "raxx-platform/prod/mover", "raxx-platform/prod/replaced"],
        );
        assert.deepEqual(await prod.planned(), []);
    });

    it("a second stack cannot take a key the first declares, and writes nothing when refused", async () => {
        const before = { ...engine.heroku.apps.get(A) };
        const staging = await engine.stack("staging", async () => {
            new ConfigVars("conflict", { app: A, secretVars: { K_ALIAS: "staging-would-overwrite-this" } });
        });
        const o = await staging.outcome([], (s) => s.up());
        assert.notEqual(o.code, 0);
        assert.match(o.stdout + o.stderr, new RegExp(`app "${A}"'s ${OWNERS} gives config vars this resource declares to another stack: K_ALIAS to raxx-platform/prod/aliased-renamed#[0-9a-f]{16}\\. Nothing was written\\.`));
        assert.deepEqual(engine.heroku.apps.get(A), before);
    });

    it("two stacks that write different keys to one app keep them apart, and destroying one removes only its own", async () => {
        const staging = await engine.stack("staging-b", async () => {
            new ConfigVars("console-audit", { app: A, vars: { K_STAGING: "on" } });
        });
        await staging.up();
        assert.equal(engine.heroku.apps.get(A)?.K_STAGING, "on");
        await staging.stack.destroy();
        assert.equal(engine.heroku.apps.get(A)?.K_STAGING, undefined);
        const { inState, atHeroku } = await stateAgainstHeroku(prod);
        assert.deepEqual(atHeroku, inState);
        assert.deepEqual(Object.keys(ledger(A)).sort(), ["K_ALIAS", "K_RENAME"]);
    });
});
