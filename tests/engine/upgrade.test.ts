// New provider code reaches resources that exist (the upgrade path of
// docs/heroku-provider.md), and the providers read the stack's own secret
// config, both as the real engine and its dynamic-provider host run them.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Authorization, AuthorizationProvider, ConfigVars, ConfigVarsProvider } from "../../providers/heroku";
import { Engine, EngineStack } from "./harness";

const AUTH = "pulumi-nodejs:dynamic/heroku:Authorization";
const VARS = "pulumi-nodejs:dynamic/heroku:ConfigVars";
const APP = "raxx-console-prod";
const DESCRIPTION = "raxx-platform-token-2026-11-28";

/**
 * The resources as an earlier release of the providers registered them: the
 * same inputs and options, from provider objects whose serialized text differs
 * (other HTTP timeouts), as any code change makes it differ.
 */
class EarlierAuthorization extends pulumi.dynamic.Resource {
    declare readonly token: pulumi.Output<string>;
    constructor(name: string) {
        const inputs = { scope: ["global"], description: DESCRIPTION, expiresIn: undefined, authorizationId: undefined, token: undefined, createdAt: undefined, ownerId: undefined, ownerEmail: undefined };
        super(new AuthorizationProvider({ timeoutMs: 29_999 }), name, inputs, { additionalSecretOutputs: ["token"] }, "heroku", "Authorization");
    }
}

class EarlierConfigVars extends pulumi.dynamic.Resource {
    constructor(name: string, token: pulumi.Output<string>) {
        const owner = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
        const inputs = { app: APP, owner, vars: {}, secretVars: pulumi.secret({ HEROKU_API_KEY: token }), keys: undefined, drift: undefined, instance: undefined, ownerId: undefined, ownerEmail: undefined };
        super(new ConfigVarsProvider({ timeoutMs: 29_999 }), name, inputs, { additionalSecretOutputs: ["secretVars"] }, "heroku", "ConfigVars");
    }
}

describe("engine: new provider code reaches existing resources", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    const release = { current: false };

    /** `__provider` as state keeps it for the resource of `type`: in its inputs, and in its outputs (what read and delete run). */
    async function providerText(type: string): Promise<{ inputs: unknown; outputs: unknown }> {
        const [r] = await stack.resources(type);
        return { inputs: r.inputs?.__provider, outputs: r.outputs?.__provider };
    }

    before(async () => {
        engine = await Engine.start();
        engine.heroku.addApp(APP);
        stack = await engine.stack("prod", async () => {
            if (release.current) {
                const token = new Authorization("platform-token", { scope: ["global"], description: DESCRIPTION });
                new ConfigVars("console-token", { app: APP, secretVars: { HEROKU_API_KEY: token.token } });
            } else {
                const token = new EarlierAuthorization("platform-token");
                new EarlierConfigVars("console-token", token.token);
            }
        });
        await stack.up();
    });
    after(async () => engine?.stop());

    let earlier: { auth: { inputs: unknown; outputs: unknown }; vars: { inputs: unknown; outputs: unknown } };
    let token: string;

    it("the preview of the new code shows an update of each resource, and nothing else", async () => {
        earlier = { auth: await providerText(AUTH), vars: await providerText(VARS) };
        token = engine.heroku.apps.get(APP)!.HEROKU_API_KEY;
        release.current = true;
        assert.deepEqual(await stack.planned(), [`update ${AUTH} platform-token`, `update ${VARS} console-token`]);
    });

    it("the up writes the new code into state, for read and delete, and changes nothing at Heroku", async () => {
        const before = engine.heroku.requests.length;
        await stack.up();
        const writes = engine.heroku.requests.slice(before).filter((r) => r.method !== "GET");
        assert.deepEqual(writes, []);
        for (const type of [AUTH, VARS]) {
            const now = await providerText(type);
            assert.equal(typeof now.outputs, "string");
            assert.equal(now.outputs, now.inputs, `${type}: state's outputs run the code its inputs carry`);
        }
        assert.notEqual((await providerText(AUTH)).outputs, earlier.auth.outputs);
        assert.notEqual((await providerText(VARS)).outputs, earlier.vars.outputs);
        assert.equal(engine.heroku.apps.get(APP)!.HEROKU_API_KEY, token, "the app holds the same token");
        assert.equal([...engine.heroku.authorizations.values()].filter((a) => a.token === token).length, 1, "the authorization is the same one");
        const [auth] = await stack.resources(AUTH, true);
        assert.equal(JSON.parse((auth.outputs?.token as { plaintext: string }).plaintext), token, "its token survives the update in state");
        assert.deepEqual(await stack.planned(), []);
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
