// Heroku answers 404 both when a thing is gone and when the API key cannot see it
// (authorizations are per user). The providers record the owning identity at create,
// and count a 404 in read or delete as "gone" only when the current key is that owner;
// otherwise they fail naming both identities and leave state alone. Two users, on the
// serialized providers.
import { strict as assert } from "node:assert";

import { API_KEY, OPS, OTHER, OTHER_API_KEY, assertNoSecrets, rejection, useFakeHeroku } from "./helpers";
import { useSerializedProviders } from "./serialized";

const D = "raxx-platform-token-2026-11-28";
const APP = "raxx-console-staging";
const VARS_PATH = `/apps/${APP}/config-vars`;
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const ops = `${OPS.email} (id ${OPS.id})`;
const other = `${OTHER.email} (id ${OTHER.id})`;
const USE_OPS_KEY = `Run Pulumi with ${OPS.email}'s API key (in HEROKU_API_KEY or the secret stack config herokuApiKey).`;
/** What read (GET) and delete (DELETE) of an authorization say when another user's key gets a 404 for it. */
const otherKeyAuthorization404 = (method: "GET" | "DELETE", id: string) =>
    `Heroku API ${method} /oauth/authorizations/${id} failed: 404 not_found: Couldn't find that authorization. ` +
    `The API key (HEROKU_API_KEY) belongs to ${other}, but authorization ${id} was created by ${ops}, ` +
    `and Heroku shows an authorization only to its owner, so it may well be live: Pulumi left it in state. ${USE_OPS_KEY}`;
/** What read and delete of the config vars say when another user's key gets a 404 for the app. */
const OTHER_KEY_APP_404 =
    `Heroku API GET ${VARS_PATH} failed: 404 not_found: Couldn't find that app. ` +
    `The API key (HEROKU_API_KEY) belongs to ${other}, but these config vars were written with the key of ${ops}, ` +
    `so app "${APP}" may well exist where this key cannot see it: Pulumi left them in state. ${USE_OPS_KEY}`;

describe("Heroku providers: whose key is this 404 for? (serialized providers, two users)", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();
    const calls = () => ctx.heroku.requests.map((r) => `${r.method} ${r.path}`);
    const secrets = () => [API_KEY, OTHER_API_KEY, INGEST, ...[...ctx.heroku.authorizations.values()].map((a) => a.token)];

    describe("Authorization", () => {
        const createAsOps = async () => p.host.create({ scope: ["global"], description: D, __provider: p.texts.authorization });

        it("records the owner from Heroku's response at create", async () => {
            const made = await createAsOps();
            assert.equal(made.outs.ownerId, OPS.id);
            assert.equal(made.outs.ownerEmail, OPS.email);
        });

        it("refresh with another user's key fails naming both identities, and leaves the live token in state", async () => {
            const made = await createAsOps();
            process.env.HEROKU_API_KEY = OTHER_API_KEY;
            const err = await rejection(p.host.read(made.id, made.outs));
            assert.equal(err.message, otherKeyAuthorization404("GET", made.id));
            assertNoSecrets(err.message, secrets());
            assert.ok(ctx.heroku.authorizations.has(made.id), "the token is still live");
        });

        it("refresh with the owner's key drops a revoked authorization", async () => {
            const made = await createAsOps();
            ctx.heroku.authorizations.clear();
            const before = ctx.heroku.requests.length;
            assert.equal((await p.host.read(made.id, made.outs)).id, undefined);
            assert.deepEqual(calls().slice(before), [`GET /oauth/authorizations/${made.id}`, "GET /account"]);
        });

        it("delete with another user's key fails naming both identities, and revokes nothing", async () => {
            const made = await createAsOps();
            process.env.HEROKU_API_KEY = OTHER_API_KEY;
            const err = await rejection(p.host.delete(made.id, made.outs));
            assert.equal(err.message, otherKeyAuthorization404("DELETE", made.id));
            assert.ok(ctx.heroku.authorizations.has(made.id));
        });

        it("delete with the owner's key treats a 404 as already revoked", async () => {
            const made = await createAsOps();
            ctx.heroku.authorizations.clear();
            await p.host.delete(made.id, made.outs);
        });

        it("state with no recorded owner: a 404 in read or delete fails instead of dropping it", async () => {
            const made = await createAsOps();
            const { ownerId: _id, ownerEmail: _email, ...oldState } = made.outs;
            ctx.heroku.authorizations.clear();
            const why =
                `The state records no owner for authorization ${made.id} (it was written before the provider recorded one), so this 404 cannot tell ` +
                `a revoked authorization from one that the API key (HEROKU_API_KEY, ${ops}) cannot see: Pulumi left it in state. ` +
                "With the key of the account that created it, run `pulumi up` (which records the owner), then `pulumi refresh`; " +
                "if that account no longer has it, remove it from state with `pulumi state delete <urn>`.";
            const read = await rejection(p.host.read(made.id, oldState));
            assert.equal(read.message, `Heroku API GET /oauth/authorizations/${made.id} failed: 404 not_found: Couldn't find that authorization. ${why}`);
            const del = await rejection(p.host.delete(made.id, oldState));
            assert.equal(del.message, `Heroku API DELETE /oauth/authorizations/${made.id} failed: 404 not_found: Couldn't find that authorization. ${why}`);
        });

        it("the upgrade update records the owner when Heroku shows the authorization, and only then", async () => {
            const made = await createAsOps();
            const { ownerId: _id, ownerEmail: _email, ...oldState } = made.outs;
            const stale = { ...oldState, __provider: `${p.texts.authorization}\n// older\n` };
            const news = { scope: ["global"], description: D, __provider: p.texts.authorization };
            const updated = await p.host.update(made.id, stale, news);
            assert.deepEqual(updated.outs, made.outs);
            process.env.HEROKU_API_KEY = OTHER_API_KEY;
            const blind = await p.host.update(made.id, stale, news);
            assert.deepEqual(blind.outs, { ...oldState, __provider: p.texts.authorization });
        });

        it("refresh fills in the owner of old state from a live authorization", async () => {
            const made = await createAsOps();
            const { ownerId: _id, ownerEmail: _email, ...oldState } = made.outs;
            assert.deepEqual((await p.host.read(made.id, oldState)).props, made.outs);
        });
    });

    describe("ConfigVars", () => {
        const vars = { app: APP, owner: "raxx-platform/staging/audit-ingest-raxx-console-staging", vars: {}, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } };
        const createAsOps = async () => {
            ctx.heroku.addApp(APP, {}, [OPS, OTHER]);
            return p.host.create({ ...vars, __provider: p.texts.configVars });
        };

        it("records the key's account at create", async () => {
            const made = await createAsOps();
            assert.equal(made.outs.ownerId, OPS.id);
            assert.equal(made.outs.ownerEmail, OPS.email);
            assert.ok(calls().includes("GET /account"));
        });

        it("refresh with another user's key, when the app 404s, fails naming both and keeps state", async () => {
            const made = await createAsOps();
            ctx.heroku.apps.delete(APP);
            process.env.HEROKU_API_KEY = OTHER_API_KEY;
            const err = await rejection(p.host.read(made.id, made.outs));
            assert.equal(err.message, OTHER_KEY_APP_404);
            assertNoSecrets(err.message, secrets());
        });

        it("refresh with the owner's key drops them when the app is gone", async () => {
            const made = await createAsOps();
            ctx.heroku.apps.delete(APP);
            assert.equal((await p.host.read(made.id, made.outs)).id, undefined);
        });

        it("delete with another user's key fails when the app 404s; with the owner's it is done", async () => {
            const made = await createAsOps();
            ctx.heroku.apps.delete(APP);
            process.env.HEROKU_API_KEY = OTHER_API_KEY;
            const err = await rejection(p.host.delete(made.id, made.outs));
            assert.equal(err.message, OTHER_KEY_APP_404);
            process.env.HEROKU_API_KEY = API_KEY;
            await p.host.delete(made.id, made.outs);
        });

        it("the upgrade update records the key's account when state has none", async () => {
            const made = await createAsOps();
            const { ownerId: _id, ownerEmail: _email, ...oldState } = made.outs;
            const updated = await p.host.update(made.id, { ...oldState, __provider: `${p.texts.configVars}\n// older\n` }, { ...vars, __provider: p.texts.configVars });
            assert.equal(updated.outs.ownerId, OPS.id);
            assert.equal(updated.outs.ownerEmail, OPS.email);
        });

        it("state with no recorded owner: an app 404 in read fails instead of dropping it", async () => {
            const made = await createAsOps();
            const { ownerId: _id, ownerEmail: _email, ...oldState } = made.outs;
            ctx.heroku.apps.delete(APP);
            const err = await rejection(p.host.read(made.id, oldState));
            assert.equal(
                err.message,
                `Heroku API GET ${VARS_PATH} failed: 404 not_found: Couldn't find that app. ` +
                    `The state records no owner for these config vars (it was written before the provider recorded one), so this 404 cannot tell ` +
                    `a deleted app from one that the API key (HEROKU_API_KEY, ${ops}) cannot see: Pulumi left them in state. ` +
                    "With the key of the account that created them, run `pulumi up` (which records the owner), then `pulumi refresh`; " +
                    "if the app is gone, remove them from state with `pulumi state delete <urn>`.",
            );
        });
    });
});
