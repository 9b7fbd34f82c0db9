import { strict as assert } from "node:assert";

import { ConfigVarsInputs, ConfigVarsOutputs, ConfigVarsProvider, configVarsId, parseConfigVarsId } from "../../providers/heroku";
import { UNKNOWN } from "../../providers/http";
import { API_KEY, assertNoSecrets, FAST, HANG_TIMEOUT_MS, OWNED, rejection, useFakeHeroku } from "./helpers";

const APP = "raxx-console-prod";
const PATH = `/apps/${APP}/config-vars`;
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const OLD_INGEST = "0000aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666777788889999";
/** Vars the resource does not own; they must never be read into state or written. */
const OTHERS = { DATABASE_URL: "postgres://u:p@db.internal/raxx", HEROKU_API_KEY: "HRKU-someone-elses-token" };

const OWNER = "raxx-platform/prod/audit-ingest-raxx-console-prod";
const desired: ConfigVarsInputs = {
    app: APP,
    owner: OWNER,
    vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
    secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST },
};
const KEYS = ["CONSOLE_AUDIT_INGEST_TOKEN", "FLAG_CONSOLE_DEPLOY_AUDIT_INGEST"];
const INSTANCE = "0123456789abcdef";
const state: ConfigVarsOutputs = { ...desired, keys: KEYS, instance: INSTANCE, ...OWNED, written: { ...desired.vars, ...desired.secretVars } };
/** The app's RAXX_PLATFORM_OWNERS when `instance` owns `keys`. */
const ledger = (keys: readonly string[], instance = INSTANCE) => JSON.stringify(Object.fromEntries([...keys].sort().map((k) => [k, `${OWNER}#${instance}`])));

describe("Heroku ConfigVars provider", () => {
    const ctx = useFakeHeroku();
    const provider = () => new ConfigVarsProvider(FAST);
    const calls = () => ctx.heroku.requests.map((r) => (r.body === undefined ? `${r.method} ${r.path}` : `${r.method} ${r.path} ${JSON.stringify(r.body)}`));
    const secrets = [INGEST, OLD_INGEST, API_KEY, OTHERS.HEROKU_API_KEY, OTHERS.DATABASE_URL];

    describe("check", () => {
        it("accepts an app and its vars, defaulting a missing map to empty", async () => {
            assert.deepEqual(await provider().check({} as ConfigVarsInputs, desired), { inputs: desired, failures: [] });
            const onlyPlain = { app: APP, owner: OWNER, vars: { FLAG_X: "on" } } as unknown as ConfigVarsInputs;
            assert.deepEqual(await provider().check({} as ConfigVarsInputs, onlyPlain), {
                inputs: { app: APP, owner: OWNER, vars: { FLAG_X: "on" }, secretVars: {} },
                failures: [],
            });
        });

        it("names the bad app, bad keys and empty values, and never a value", async () => {
            const news = {
                app: "Raxx_Console",
                owner: OWNER,
                vars: { "FLAG-X": "on", "1ST": "x", SHARED: "plain", BLANK: "" },
                secretVars: { SHARED: INGEST, COUNT: 3, EMPTY_SECRET: "" },
            } as unknown as ConfigVarsInputs;
            const { failures } = await provider().check({} as ConfigVarsInputs, news);
            assert.deepEqual(failures, [
                {
                    property: "app",
                    reason: '"Raxx_Console" is not a Heroku app name: use 3-30 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (e.g. "raxx-console-prod")',
                },
                {
                    property: "vars",
                    reason: '"FLAG-X" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)',
                },
                {
                    property: "vars",
                    reason: '"1ST" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)',
                },
                {
                    property: "vars",
                    reason: "vars.BLANK is empty; an empty value is almost always a missing secret or config value. Give it a value, or drop the key (which removes it from the app)",
                },
                { property: "secretVars", reason: "secretVars.COUNT must be a string" },
                {
                    property: "secretVars",
                    reason: "secretVars.EMPTY_SECRET is empty; an empty value is almost always a missing secret or config value. Give it a value, or drop the key (which removes it from the app)",
                },
                { property: "secretVars", reason: "SHARED is in both vars and secretVars; declare it once (in secretVars if its value is sensitive)" },
            ]);
            assertNoSecrets(JSON.stringify(failures), [INGEST, "plain"]);
        });

        it("requires at least one var, and lets unknown values through during preview", async () => {
            assert.deepEqual((await provider().check({} as ConfigVarsInputs, { app: APP, owner: OWNER, vars: {}, secretVars: {} })).failures, [
                { property: "vars", reason: "declare at least one var in vars or secretVars" },
            ]);
            const preview = { app: UNKNOWN, owner: OWNER, vars: { FLAG_X: "on" }, secretVars: { TOKEN: UNKNOWN } } as ConfigVarsInputs;
            assert.deepEqual(await provider().check({} as ConfigVarsInputs, preview), { inputs: preview, failures: [] });
        });
    });

    describe("diff", () => {
        it("reports no change when the values are the same", async () => {
            assert.deepEqual(await provider().diff("id", state, desired), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("updates in place on a changed value, an added key or a dropped key", async () => {
            const changed = { ...desired, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST } };
            const added = { ...desired, vars: { ...desired.vars, FLAG_Y: "off" } };
            const dropped = { ...desired, vars: {} };
            for (const news of [changed, added, dropped]) {
                assert.deepEqual(await provider().diff("id", state, news), { changes: true, replaces: [], deleteBeforeReplace: false });
            }
        });

        it("replaces only when the app changes", async () => {
            assert.deepEqual(await provider().diff("id", state, { ...desired, app: "raxx-console-staging" }), {
                changes: true,
                replaces: ["app"],
                deleteBeforeReplace: false,
            });
        });

        it("updates when a key must become secret, but not when it may become plain", async () => {
            const toSecret = { app: APP, owner: OWNER, vars: {}, secretVars: { ...desired.secretVars, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" } };
            assert.deepEqual(await provider().diff("id", state, toSecret), { changes: true, replaces: [], deleteBeforeReplace: false });
            const imported = { ...state, vars: {}, secretVars: { ...desired.secretVars, ...desired.vars } };
            assert.deepEqual(await provider().diff("id", imported, desired), { changes: false, replaces: [], deleteBeforeReplace: false });
        });
    });

    describe("create", () => {
        it("adopts vars that already hold the desired values, writing only its ledger entries", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            const res = await provider().create(desired);
            const instance = res.outs!.instance!;
            assert.match(instance, /^[0-9a-f]{16}$/);
            assert.deepEqual(res, { id: `${APP}:CONSOLE_AUDIT_INGEST_TOKEN,FLAG_CONSOLE_DEPLOY_AUDIT_INGEST`, outs: { ...state, instance } });
            assert.deepEqual(calls(), ["GET /account", `GET ${PATH}`, `PATCH ${PATH} ${JSON.stringify({ RAXX_PLATFORM_OWNERS: ledger(KEYS, instance) })}`]);
        });

        it("writes only the keys that differ, and leaves other vars alone", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            const res = await provider().create(desired);
            const instance = res.outs!.instance!;
            assert.deepEqual(res.outs, { ...state, instance });
            assert.deepEqual(calls(), [
                "GET /account",
                `GET ${PATH}`,
                `PATCH ${PATH} ${JSON.stringify({ CONSOLE_AUDIT_INGEST_TOKEN: INGEST, RAXX_PLATFORM_OWNERS: ledger(KEYS, instance) })}`,
            ]);
            assert.deepEqual(ctx.heroku.apps.get(APP), {
                ...OTHERS,
                FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on",
                CONSOLE_AUDIT_INGEST_TOKEN: INGEST,
                RAXX_PLATFORM_OWNERS: ledger(KEYS, instance),
            });
        });

        it("fails naming the app when it does not exist", async () => {
            const err = await rejection(provider().create(desired));
            assert.equal(
                err.message,
                `Heroku API GET ${PATH} failed: 404 not_found: Couldn't find that app. Heroku app "${APP}" does not exist, or the API key (HEROKU_API_KEY) cannot see it: ` +
                    "check the app name, or use the key of an account with access to the app, then run Pulumi again.",
            );
            assert.deepEqual(calls(), ["GET /account", `GET ${PATH}`]);
        });

        it("on a PATCH that times out, says the write may or may not have been applied", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS });
            ctx.heroku.inject({ method: "PATCH", applyThenHang: true, times: 100 });
            const err = await rejection(new ConfigVarsProvider({ ...FAST, timeoutMs: HANG_TIMEOUT_MS }).create(desired));
            assert.equal(
                err.message,
                `Heroku API PATCH ${PATH} failed after 3 attempts: no response (timed out after ${HANG_TIMEOUT_MS} ms). ` +
                    `The write to app "${APP}" may or may not have been applied (Heroku applies a config-vars PATCH all at once or not at all): ` +
                    "run `pulumi refresh` to see the app's config vars, then run Pulumi again.",
            );
            assert.equal(ctx.heroku.requestsOf("PATCH").length, 3, "a PATCH is idempotent, so a timeout is retried");
            assertNoSecrets(`${err.message}\n${err.stack}`, secrets);
        });

        it("on a bad API key, fails before writing and without echoing any value", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS });
            process.env.HEROKU_API_KEY = "HRKU-wrong-key-for-this-test";
            const err = await rejection(provider().create(desired));
            assert.equal(
                err.message,
                "Heroku rejected the API key (HEROKU_API_KEY) on GET /account: 401 unauthorized: Invalid credentials provided. " +
                    "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.",
            );
            assert.equal(ctx.heroku.requestsOf("PATCH").length, 0);
            assertNoSecrets(`${err.message}\n${err.stack}`, [...secrets, "HRKU-wrong-key-for-this-test"]);
        });

        it("masks secret values that a rejected PATCH echoes", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS });
            ctx.heroku.inject({ method: "PATCH", status: 422, body: { id: "invalid_params", message: `CONSOLE_AUDIT_INGEST_TOKEN=${INGEST} is too long` } });
            const err = await rejection(provider().create(desired));
            assert.equal(
                err.message,
                `Heroku API PATCH ${PATH} failed: 422 invalid_params: CONSOLE_AUDIT_INGEST_TOKEN=[redacted] is too long. ` +
                    "Heroku refused the request: correct what its message names, then run Pulumi again.",
            );
            assertNoSecrets(`${err.message}\n${err.stack}`, secrets);
        });
    });

    describe("read", () => {
        it("returns the remote values of its own keys only, so drift shows", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            const read = await provider().read(configVarsId(APP, KEYS), state);
            const drifted = { ...state, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST }, drift: { CONSOLE_AUDIT_INGEST_TOKEN: "changed" as const } };
            assert.deepEqual(read, { id: configVarsId(APP, KEYS), props: drifted });
            assert.deepEqual(await provider().diff("id", drifted, desired), { changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("leaves out a key deleted outside Pulumi, but keeps owning it", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            const read = await provider().read("id", state);
            assert.deepEqual(read, {
                id: "id",
                props: {
                    app: APP,
                    owner: OWNER,
                    vars: desired.vars,
                    secretVars: {},
                    keys: KEYS,
                    instance: INSTANCE,
                    ...OWNED,
                    written: state.written,
                    drift: { CONSOLE_AUDIT_INGEST_TOKEN: "missing" },
                },
            });
            assert.equal((await provider().diff("id", read.props!, desired)).changes, true);
        });

        it("returns no id when the app is gone and the key's account is the owner", async () => {
            assert.deepEqual(await provider().read("id", state), {});
            assert.deepEqual(calls(), [`GET ${PATH}`, "GET /account"]);
        });

        it("imports <app>:<KEY>,... as secret values, with matching inputs", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            const id = `${APP}:FLAG_CONSOLE_DEPLOY_AUDIT_INGEST,CONSOLE_AUDIT_INGEST_TOKEN`;
            const all = { CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" };
            assert.deepEqual(await provider().read(id), {
                id,
                props: { app: APP, vars: {}, secretVars: all, keys: KEYS },
                inputs: { app: APP, vars: {}, secretVars: all },
            });
        });

        it("imports nothing when none of the keys exist, and rejects a malformed id", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS });
            assert.deepEqual(await provider().read(`${APP}:NOT_THERE`), {});
            const err = await rejection(provider().read("raxx-console-prod"));
            assert.equal(
                err.message,
                'ConfigVars id "raxx-console-prod" is not of the form <app>:<KEY>[,<KEY>...], e.g. raxx-console-prod:CONSOLE_AUDIT_INGEST_TOKEN,FLAG_CONSOLE_DEPLOY_AUDIT_INGEST',
            );
            assert.deepEqual(parseConfigVarsId(`${APP}:B, A,B`), { app: APP, keys: ["A", "B"] });
        });
    });

    describe("update", () => {
        it("writes changed and added keys, nulls dropped ones it owns, and touches nothing else, in one PATCH", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on", RAXX_PLATFORM_OWNERS: ledger(KEYS) });
            const olds = { ...state, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST } };
            const news: ConfigVarsInputs = { app: APP, owner: OWNER, vars: { FLAG_NEW: "1" }, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } };
            const res = await provider().update("id", olds, news);
            const keys = ["CONSOLE_AUDIT_INGEST_TOKEN", "FLAG_NEW"];
            assert.deepEqual(res, { outs: { ...news, keys, instance: INSTANCE, ...OWNED, written: { ...news.vars, ...news.secretVars } } });
            assert.deepEqual(calls(), [
                `GET ${PATH}`,
                `PATCH ${PATH} ${JSON.stringify({ FLAG_NEW: "1", CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: null, RAXX_PLATFORM_OWNERS: ledger(keys) })}`,
            ]);
            assert.deepEqual(ctx.heroku.apps.get(APP), { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_NEW: "1", RAXX_PLATFORM_OWNERS: ledger(keys) });
        });

        it("writes nothing when the app already matches, even if state was stale", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, RAXX_PLATFORM_OWNERS: ledger(["CONSOLE_AUDIT_INGEST_TOKEN"]) });
            const olds = { ...state, keys: ["CONSOLE_AUDIT_INGEST_TOKEN"], vars: {}, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: OLD_INGEST } };
            const news: ConfigVarsInputs = { app: APP, owner: OWNER, vars: {}, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } };
            assert.deepEqual(await provider().update("id", olds, news), {
                outs: { ...news, keys: ["CONSOLE_AUDIT_INGEST_TOKEN"], instance: INSTANCE, ...OWNED, written: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } },
            });
            assert.deepEqual(calls(), [`GET ${PATH}`]);
        });
    });

    describe("delete", () => {
        it("removes only the keys the ledger gives it, and its entries", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on", RAXX_PLATFORM_OWNERS: ledger(KEYS) });
            await provider().delete("id", state);
            assert.deepEqual(calls(), [
                `GET ${PATH}`,
                `PATCH ${PATH} ${JSON.stringify({ CONSOLE_AUDIT_INGEST_TOKEN: null, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: null, RAXX_PLATFORM_OWNERS: null })}`,
            ]);
            assert.deepEqual(ctx.heroku.apps.get(APP), OTHERS);
        });

        it("leaves its keys alone when the ledger has no entry for them (written by older code)", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
            await provider().delete("id", state);
            assert.deepEqual(calls(), [`GET ${PATH}`]);
            assert.deepEqual(ctx.heroku.apps.get(APP), { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" });
        });

        it("drops only its entries when its keys are already gone", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, RAXX_PLATFORM_OWNERS: ledger(KEYS) });
            await provider().delete("id", state);
            assert.deepEqual(calls(), [`GET ${PATH}`, `PATCH ${PATH} ${JSON.stringify({ RAXX_PLATFORM_OWNERS: null })}`]);
        });

        it("treats a missing app as already gone when the key's account is the owner", async () => {
            await provider().delete("id", state);
            assert.deepEqual(calls(), [`GET ${PATH}`, "GET /account"]);
        });

        it("fails after a 503 storm on the PATCH, saying the outcome is unknown, without values", async () => {
            ctx.heroku.addApp(APP, { ...OTHERS, CONSOLE_AUDIT_INGEST_TOKEN: INGEST, RAXX_PLATFORM_OWNERS: ledger(KEYS) });
            ctx.heroku.inject({ method: "PATCH", status: 503, times: 100, body: { id: "service_unavailable", message: "Try later." } });
            const err = await rejection(provider().delete("id", state));
            assert.equal(
                err.message,
                `Heroku API PATCH ${PATH} failed after 3 attempts: 503 service_unavailable: Try later. ` +
                    `The write to app "${APP}" may or may not have been applied (Heroku applies a config-vars PATCH all at once or not at all): ` +
                    "run `pulumi refresh` to see the app's config vars, then run Pulumi again.",
            );
            assertNoSecrets(`${err.message}\n${err.stack}`, secrets);
        });
    });
});
