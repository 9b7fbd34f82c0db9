// The Heroku resources as the engine sees them: type tokens, secret outputs, and the
// serialized provider, which must carry no credential and must still work when rebuilt
// the way Pulumi's dynamic provider host rebuilds it.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";
import requireFromString = require("require-from-string");

import { Authorization, AuthorizationProvider, ConfigVars, ConfigVarsProvider } from "../../providers/heroku";
import { MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../../scripts/lib/offline/mocks";
import { API_KEY, useFakeHeroku } from "./helpers";

const AUTH_TYPE = "pulumi-nodejs:dynamic/heroku:Authorization";
const VARS_TYPE = "pulumi-nodejs:dynamic/heroku:ConfigVars";
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const FAKE_TOKEN = "HRKU-fake-token-from-the-mock-engine";
const URL_CANARY = "http://127.0.0.1:9/heroku-url-canary";

function restore(name: string, value: string | undefined): void {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
}

function program() {
    const token = new Authorization("platform-token", { scope: ["global"], description: "raxx-platform-token-2026-05-06" });
    const vars = new ConfigVars("console-prod-audit", {
        app: "raxx-console-prod",
        vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
        secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST, HEROKU_API_KEY: token.token },
    });
    return {
        token: token.token,
        authorizationId: token.authorizationId,
        tokenOwner: token.ownerEmail,
        secretVars: vars.secretVars,
        vars: vars.vars,
        varsOwner: vars.ownerId,
    };
}

function only(result: MockRunResult, type: string): Registration {
    const found = result.registrations.filter((r) => r.type === type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
}

describe("Heroku resources under Pulumi mocks", () => {
    const ctx = useFakeHeroku();
    let result: MockRunResult;
    before(async () => {
        // One mocked run for the whole file, with a recognizable key in the env while the
        // program serializes its providers.
        const saved = { key: process.env.HEROKU_API_KEY, url: process.env.HEROKU_API_URL };
        process.env.HEROKU_API_KEY = API_KEY;
        process.env.HEROKU_API_URL = URL_CANARY;
        try {
            result = await runWithMocks(program, {
                outputs: ({ type }) => (type === AUTH_TYPE ? { token: FAKE_TOKEN, authorizationId: "auth-1" } : undefined),
            });
        } finally {
            restore("HEROKU_API_KEY", saved.key);
            restore("HEROKU_API_URL", saved.url);
        }
        assert.equal(result.error, undefined, String(result.error));
    });

    it("registers both with their custom type tokens and their secret outputs", () => {
        assert.deepEqual(
            result.registrations.map((r) => [r.type, r.name, r.custom, r.options.additionalSecretOutputs, r.options.deleteBeforeReplace]),
            [
                [AUTH_TYPE, "platform-token", true, ["token"], false],
                [VARS_TYPE, "console-prod-audit", true, ["secretVars", "written"], false],
            ],
        );
    });

    it("sends the declared inputs, with secretVars secret and output fields left to the provider", () => {
        const auth = only(result, AUTH_TYPE);
        const { __provider: authProvider, ...authInputs } = auth.inputs;
        assert.equal(typeof authProvider, "string");
        assert.deepEqual(authInputs, { scope: ["global"], description: "raxx-platform-token-2026-05-06" });

        const vars = only(result, VARS_TYPE);
        const { __provider: varsProvider, ...varsInputs } = vars.inputs;
        assert.equal(typeof varsProvider, "string");
        assert.equal(isSecretValue(varsInputs.secretVars), true);
        assert.equal(isSecretValue(varsInputs.vars), false);
        assert.deepEqual({ ...varsInputs, secretVars: plain(varsInputs.secretVars) }, {
            app: "raxx-console-prod",
            owner: "raxx-platform/test/console-prod-audit",
            vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
            secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST, HEROKU_API_KEY: FAKE_TOKEN },
        });
    });

    it("exposes token and secretVars as secret outputs, the rest as plain", async () => {
        const secrecy: Record<string, boolean> = {};
        const r = await runWithMocks(
            async () => {
                const outs = program();
                for (const [k, v] of Object.entries(outs)) secrecy[k] = await pulumi.isSecret(v as pulumi.Output<unknown>);
                return outs;
            },
            {
                outputs: ({ type }) =>
                    type === AUTH_TYPE ? { token: FAKE_TOKEN, authorizationId: "auth-1", ownerEmail: "ops@raxx.app" } : { ownerId: "01234567-89ab-cdef-0123-456789abcdef" },
            },
        );
        assert.equal(r.error, undefined, String(r.error));
        assert.deepEqual(secrecy, { token: true, authorizationId: false, tokenOwner: false, secretVars: true, vars: false, varsOwner: false });
        assert.deepEqual(r.outputs, {
            token: FAKE_TOKEN,
            authorizationId: "auth-1",
            tokenOwner: "ops@raxx.app",
            secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST, HEROKU_API_KEY: FAKE_TOKEN },
            vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
            varsOwner: "01234567-89ab-cdef-0123-456789abcdef",
        });
    });

    it("keeps the caller's resource options and adds its own secret outputs to theirs", async () => {
        const r = await runWithMocks(() => {
            new Authorization("t", { scope: ["global"], description: "d" }, { protect: true, additionalSecretOutputs: ["createdAt"] });
        });
        assert.equal(r.error, undefined, String(r.error));
        assert.deepEqual(r.registrations.map((x) => [x.options.protect, x.options.additionalSecretOutputs]), [[true, ["createdAt", "token"]]]);
    });

    it("marks ConfigVars' secretVars and written secret, alone and on top of the caller's, in this test's own run", async () => {
        const r = await runWithMocks(() => {
            new ConfigVars("alone", { app: "raxx-api-prod", secretVars: { TOKEN: INGEST } });
            new ConfigVars("theirs", { app: "raxx-api-prod", vars: { FLAG: "on" } }, { protect: true, additionalSecretOutputs: ["vars"] });
        });
        assert.equal(r.error, undefined, String(r.error));
        assert.deepEqual(
            r.registrations.map((x) => [x.name, x.options.protect ?? false, x.options.additionalSecretOutputs]),
            [
                ["alone", false, ["secretVars", "written"]],
                ["theirs", true, ["vars", "secretVars", "written"]],
            ],
        );
    });

    it("serializes providers that hold no API key and are not secret", () => {
        for (const reg of result.registrations) {
            const text = reg.inputs.__provider as string;
            assert.equal(isSecretValue(reg.inputs.__provider), false, `${reg.type}'s provider must not capture a secret`);
            assert.ok(text.includes("exports.handler"), "the serialized text is a module exporting handler");
            assert.ok(!text.includes(API_KEY), `${reg.type}'s serialized provider contains HEROKU_API_KEY's value`);
            assert.ok(!text.includes(URL_CANARY), `${reg.type}'s serialized provider captured HEROKU_API_URL's value`);
            assert.ok(!text.includes(INGEST), `${reg.type}'s serialized provider captured a config var value`);
        }
    });

    it("rebuilds each provider from its serialized text and runs it against the API", async () => {
        const rebuild = (type: string) => requireFromString(only(result, type).inputs.__provider as string).handler();
        const auth = rebuild(AUTH_TYPE) as AuthorizationProvider;
        const vars = rebuild(VARS_TYPE) as ConfigVarsProvider;
        assert.equal(auth instanceof AuthorizationProvider, false, "a rebuilt provider is a fresh copy, not the program's object");

        const created = await auth.create({ scope: ["global"], description: "raxx-platform-token-2026-05-06" });
        const stored = ctx.heroku.authorizations.get(created.id);
        assert.ok(stored, "the authorization exists on the fake Heroku");
        assert.equal(created.outs?.token, stored.token);

        ctx.heroku.addApp("raxx-console-prod", { OTHER: "x" });
        const owner = "raxx-platform/test/console-prod-audit";
        const inputs = { app: "raxx-console-prod", owner, vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" }, secretVars: { HEROKU_API_KEY: stored.token } };
        assert.deepEqual((await vars.check({} as never, inputs)).failures, []);
        const made = await vars.create(inputs);
        assert.equal(made.id, "raxx-console-prod:FLAG_CONSOLE_DEPLOY_AUDIT_INGEST,HEROKU_API_KEY");
        const entry = `${owner}#${made.outs!.instance}`;
        assert.deepEqual(ctx.heroku.apps.get("raxx-console-prod"), {
            OTHER: "x",
            ...inputs.vars,
            ...inputs.secretVars,
            RAXX_PLATFORM_OWNERS: JSON.stringify({ FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: entry, HEROKU_API_KEY: entry }),
        });

        await auth.delete(created.id, created.outs!);
        assert.equal(ctx.heroku.authorizations.size, 0);
    });

    it("rebuilt providers honour configure, as the provider host calls it", async () => {
        const auth = requireFromString(only(result, AUTH_TYPE).inputs.__provider as string).handler() as AuthorizationProvider;
        process.env.HEROKU_API_KEY = "HRKU-env-key-that-the-fake-rejects";
        const config: Record<string, string | undefined> = { herokuApiKey: API_KEY };
        await auth.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
        const created = await auth.create({ scope: ["global"], description: "configured" });
        assert.equal(ctx.heroku.authorizations.get(created.id)?.description, "configured");
    });
});
