// New provider code reaches resources that exist (the upgrade path of
// docs/heroku-provider.md), and the providers read the stack's own secret
// config, both as the real engine and its dynamic-provider host run them.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Authorization, ConfigVars } from "../../providers/heroku";
import { Engine, EngineStack } from "./harness";
import { AUTH, VARS } from "./programs";

const APP = "raxx-console-prod";
const DESCRIPTION = "raxx-platform-token-2026-11-28";

/**
 * The provider texts the release before the ledger, the identity checks and the
 * new errors (commit 6822275) stored in state: resources made then carry these,
 * and neither an owner, an instance nor a ledger entry.
 */
const EARLIER = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "heroku-providers-6822275.json"), "utf8")) as { authorization: string; configVars: string };

/** A resource as that release registered it: its inputs, and its serialized provider. */
class EarlierResource extends pulumi.CustomResource {
    declare readonly token: pulumi.Output<string>;
    constructor(kind: "Authorization" | "ConfigVars", name: string, inputs: pulumi.Inputs, secretOutput: string) {
        const __provider = kind === "Authorization" ? EARLIER.authorization : EARLIER.configVars;
        super(`pulumi-nodejs:dynamic/heroku:${kind}`, name, { ...inputs, __provider }, { additionalSecretOutputs: [secretOutput] });
    }
}

describe("engine: new provider code reaches resources an earlier release made", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    const release = { current: false, withVars: true };

    /** `__provider` as state keeps it for the resource of `type`: in its inputs, and in its outputs (what read and delete run). */
    async function providerText(type: string): Promise<{ inputs: unknown; outputs: unknown }> {
        const [r] = await stack.resources(type);
        return { inputs: r.inputs?.__provider, outputs: r.outputs?.__provider };
    }

    before(async () => {
        engine = await Engine.start();
        engine.heroku.addApp(APP, { UNMANAGED: "left-alone" });
        stack = await engine.stack("prod", async () => {
            if (release.current) {
                const token = new Authorization("platform-token", { scope: ["global"], description: DESCRIPTION });
                if (release.withVars) new ConfigVars("console-token", { app: APP, secretVars: { HEROKU_API_KEY: token.token } });
            } else {
                const token = new EarlierResource(
                    "Authorization",
                    "platform-token",
                    { scope: ["global"], description: DESCRIPTION, expiresIn: undefined, authorizationId: undefined, token: undefined, createdAt: undefined },
                    "token",
                );
                new EarlierResource("ConfigVars", "console-token", { app: APP, vars: {}, secretVars: pulumi.secret({ HEROKU_API_KEY: token.token }), keys: undefined }, "secretVars");
            }
        });
        await stack.up();
    });
    after(async () => engine?.stop());

    let token: string;

    it("the earlier release's state has no owner, no instance and no ledger", async () => {
        token = engine.heroku.apps.get(APP)!.HEROKU_API_KEY;
        assert.deepEqual(Object.keys(engine.heroku.apps.get(APP)!).sort(), ["HEROKU_API_KEY", "UNMANAGED"]);
        assert.equal((await providerText(AUTH)).outputs, EARLIER.authorization);
        const [vars] = await stack.resources(VARS);
        assert.deepEqual([vars.outputs?.instance, vars.outputs?.ownerId], [undefined, undefined]);
    });

    it("the preview of the new code shows an update of each resource, and nothing else", async () => {
        release.current = true;
        assert.deepEqual(await stack.planned(), [`update ${AUTH} platform-token`, `update ${VARS} console-token`]);
    });

    it("the up writes the new code into state, records the owner, and at Heroku writes only the ledger", async () => {
        const before = engine.heroku.requests.length;
        await stack.up();
        const calls = engine.heroku.requests.slice(before).map((r) => `${r.method} ${r.path}`);
        const [authState] = await stack.resources(AUTH);
        const id = authState.id!;
        const instance = (await stack.resources(VARS))[0].outputs?.instance as string;
        assert.match(instance, /^[0-9a-f]{16}$/);
        assert.deepEqual(
            engine.heroku.requests.slice(before).filter((r) => r.method !== "GET").map((r) => [r.method, r.path, r.body]),
            [["PATCH", `/apps/${APP}/config-vars`, { RAXX_PLATFORM_OWNERS: JSON.stringify({ HEROKU_API_KEY: `raxx-platform/prod/console-token#${instance}` }) }]],
        );
        assert.ok(calls.includes(`GET /oauth/authorizations/${id}`), "the owner comes from Heroku's record of the authorization");
        for (const type of [AUTH, VARS]) {
            const now = await providerText(type);
            assert.equal(typeof now.outputs, "string");
            assert.equal(now.outputs, now.inputs, `${type}: state's outputs run the code its inputs carry`);
        }
        assert.notEqual((await providerText(AUTH)).outputs, EARLIER.authorization);
        assert.equal(authState.outputs?.ownerId, engine.heroku.user.id);
        assert.equal(engine.heroku.apps.get(APP)!.HEROKU_API_KEY, token, "the app holds the same token");
        assert.equal([...engine.heroku.authorizations.values()].filter((a) => a.token === token).length, 1, "the authorization is the same one");
        const [auth] = await stack.resources(AUTH, true);
        assert.equal(JSON.parse((auth.outputs?.token as { plaintext: string }).plaintext), token, "its token survives the update in state");
        assert.deepEqual(await stack.planned(), []);
    });

    it("an upgraded ConfigVars, dropped from the program, removes its key and its ledger entry, and nothing else", async () => {
        release.withVars = false;
        await stack.up();
        assert.deepEqual(engine.heroku.apps.get(APP), { UNMANAGED: "left-alone" });
    });
});

describe("engine: the providers read the stack's own secret config", function () {
    this.timeout(300_000);
    let engine: Engine;

    before(async () => {
        engine = await Engine.start();
        engine.heroku.addApp(APP);
    });
    after(async () => engine?.stop());

    it("herokuApiKey and herokuApiUrl in stack config win over the environment", async () => {
        const stack = await engine.stack(
            "configured",
            async () => {
                new ConfigVars("flag", { app: APP, vars: { FLAG_FROM_CONFIGURED_KEY: "on" } });
            },
            {
                // The environment points elsewhere, with a key Heroku does not know.
                env: { HEROKU_API_KEY: "HRKU-not-this-one-7d1e", HEROKU_API_URL: "http://127.0.0.1:9" },
                config: {
                    "raxx-platform:herokuApiKey": { value: engine.heroku.apiKey, secret: true },
                    "raxx-platform:herokuApiUrl": { value: engine.heroku.url },
                },
            },
        );
        await stack.up();
        assert.equal(engine.heroku.apps.get(APP)?.FLAG_FROM_CONFIGURED_KEY, "on");
        assert.ok(!(await stack.exportText()).includes(engine.heroku.apiKey), "the configured key is not in the checkpoint in plain text");
    });
});
