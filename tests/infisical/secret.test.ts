// The Secret provider's behaviour, run from its serialized `__provider` text through an
// emulation of the dynamic provider host: create, adoption, update, an access-only
// update, drift, delete and the folders along the path.
import { strict as assert } from "node:assert";

import { ACCESS_A, ACCESS_B, ENVIRONMENT, IDENTITY_ID, KEY, NEW_VALUE, PATH, PROJECT, SECRET_INPUTS, STACK, VALUE, useFakeInfisical } from "./helpers";
import { useSerializedSecret } from "./serialized";

type State = Record<string, unknown> & { instance: string; owner: string; value: string; written: string; secretId: string };
const OWNER_KEY = "raxx-platform-owner";

describe("Infisical Secret (serialized provider)", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();

    const inputs = (over: Record<string, unknown> = {}) => ({ ...SECRET_INPUTS, ...over, __provider: p.text });
    async function create(over: Record<string, unknown> = {}) {
        const checked = await p.host.check({}, inputs(over));
        assert.deepEqual(checked.failures, []);
        const made = await p.host.create(checked.inputs);
        return { id: made.id, state: made.outs as State };
    }
    async function update(id: string, olds: State, over: Record<string, unknown>) {
        const checked = await p.host.check(olds, inputs(over));
        assert.deepEqual(checked.failures, []);
        const diff = await p.host.diff(id, olds, checked.inputs);
        assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false }, "the engine would update in place");
        return (await p.host.update(id, olds, checked.inputs)).outs as State;
    }
    const stored = () => ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY);
    const ownerEntry = () => stored()?.metadata.find((m) => m.key === OWNER_KEY)?.value;

    it("create: makes the missing folders in one POST of the last one, then writes the value and its owner in one POST", async () => {
        const { id, state } = await create();
        assert.equal(id, `${PROJECT}:${ENVIRONMENT}:${PATH}:${KEY}`);
        assert.deepEqual(ctx.vault.folders(PROJECT, ENVIRONMENT), ["/", "/MooseQuest", "/MooseQuest/heroku"]);
        assert.deepEqual(ctx.vault.calls(), [
            "POST /api/v1/auth/universal-auth/login",
            `GET /api/v4/secrets/${KEY}`,
            "POST /api/v1/folders",
            `POST /api/v4/secrets/${KEY}`,
        ]);
        const folders = ctx.vault.requests.filter((r) => r.path === "/api/v1/folders").map((r) => r.body as Record<string, unknown>);
        assert.deepEqual(folders.map((b) => [b.path, b.name]), [["/MooseQuest", "heroku"]]);
        assert.match(state.instance, /^[0-9a-f]{16}$/);
        assert.equal(stored()?.value, VALUE);
        assert.deepEqual(stored()?.metadata, [{ key: OWNER_KEY, value: `${STACK}/heroku-token-vault#${state.instance}`, isEncrypted: false }]);
        assert.deepEqual({ ...state, __provider: undefined, instance: undefined }, {
            ...SECRET_INPUTS,
            secretId: stored()?.id,
            written: VALUE,
            instance: undefined,
            __provider: undefined,
        });
        assert.equal(ctx.vault.valueWrites, 1);
    });

    it("every request, the login included, carries slot a's Access headers; only the login carries the identity", async () => {
        await create();
        for (const r of ctx.vault.requests) {
            assert.equal(r.headers["cf-access-client-id"], ACCESS_A.clientId);
            assert.equal(r.headers["cf-access-client-secret"], ACCESS_A.clientSecret);
        }
        const [loginReq, ...rest] = ctx.vault.requests;
        assert.deepEqual(loginReq.body, { clientId: IDENTITY_ID, clientSecret: process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET });
        assert.equal(loginReq.headers.authorization, undefined);
        for (const r of rest) assert.match(String(r.headers.authorization), /^Bearer fake-access-token-1-/);
    });

    it("create in an existing folder: no folder call", async () => {
        ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
        await create();
        assert.deepEqual(ctx.vault.calls(), ["POST /api/v1/auth/universal-auth/login", `GET /api/v4/secrets/${KEY}`, `POST /api/v4/secrets/${KEY}`]);
    });

    it("adopt: a secret that already holds the value is not written; only its owner metadata is added, keeping other metadata", async () => {
        const s = ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE);
        s.metadata.push({ key: "team", value: "platform", isEncrypted: false });
        const { state } = await create();
        assert.equal(ctx.vault.valueWrites, 0, "the value is never written");
        const patches = ctx.vault.requests.filter((r) => r.method === "PATCH");
        assert.deepEqual(patches.map((r) => r.body), [
            {
                projectId: PROJECT,
                environment: ENVIRONMENT,
                secretPath: PATH,
                type: "shared",
                secretMetadata: [
                    { key: "team", value: "platform", isEncrypted: false },
                    { key: OWNER_KEY, value: `${STACK}/heroku-token-vault#${state.instance}` },
                ],
            },
        ]);
        assert.equal(state.secretId, s.id);
        assert.equal(state.written, VALUE);
    });

    it("adopt: a secret with another value gets exactly one write, of the value and the owner together", async () => {
        ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, "an-old-hand-made-value");
        const { state } = await create();
        assert.equal(ctx.vault.writes, 1);
        assert.equal(ctx.vault.valueWrites, 1);
        assert.equal(stored()?.value, VALUE);
        assert.equal(ownerEntry(), `${STACK}/heroku-token-vault#${state.instance}`);
    });

    it("adopt: a failed create never deletes what was there", async () => {
        ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, "an-old-hand-made-value");
        ctx.vault.inject({ method: "PATCH", status: 500, times: 10 });
        await assert.rejects(create());
        assert.equal(stored()?.value, "an-old-hand-made-value");
        assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 0);
    });

    it("update of the value: one PATCH with the value; the owner is already right", async () => {
        const { id, state } = await create();
        const after = await update(id, state, { value: NEW_VALUE });
        assert.equal(stored()?.value, NEW_VALUE);
        assert.equal(after.instance, state.instance);
        assert.equal(after.written, NEW_VALUE);
        const patch = ctx.vault.requests.filter((r) => r.method === "PATCH").map((r) => r.body);
        assert.deepEqual(patch, [{ projectId: PROJECT, environment: ENVIRONMENT, secretPath: PATH, type: "shared", secretValue: NEW_VALUE }]);
    });

    it("access-only update: an update in place that writes nothing, and state then holds the new slot for read and delete", async () => {
        ctx.vault.admit(ACCESS_B.clientId, ACCESS_B.clientSecret);
        const { id, state } = await create();
        const writes = ctx.vault.writes;
        const after = await update(id, state, { access: ACCESS_B });
        assert.equal(ctx.vault.writes, writes, "nothing written");
        assert.deepEqual(after.access, ACCESS_B);
        const last = ctx.vault.requests.slice(-2);
        assert.deepEqual(last.map((r) => `${r.method} ${r.path}`), ["POST /api/v1/auth/universal-auth/login", `GET /api/v4/secrets/${KEY}`]);
        for (const r of last) assert.equal(r.headers["cf-access-client-id"], ACCESS_B.clientId);
        // Slot a is revoked after the rotation: read and delete still work with what state holds.
        ctx.vault.revoke(ACCESS_A.clientId);
        const read = await p.host.read(id, after);
        assert.equal(read.id, id);
        await p.host.delete(id, after);
        assert.equal(stored(), undefined);
    });

    it("diff: a new path, key, environment or project replaces, creating first", async () => {
        const { id, state } = await create();
        for (const [k, v] of [["path", "/MooseQuest/other"], ["key", "OTHER_KEY"], ["environment", "staging"], ["projectId", "another-project"]]) {
            const d = await p.host.diff(id, state, inputs({ [k]: v }));
            assert.deepEqual(d, { changes: true, replaces: [k], deleteBeforeReplace: false });
        }
        assert.deepEqual(await p.host.diff(id, state, inputs()), { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("read: no drift when the vault holds what was written", async () => {
        const { id, state } = await create();
        const r = await p.host.read(id, state);
        assert.equal(r.id, id);
        assert.equal(r.props?.value, VALUE);
        assert.equal(r.props?.drift, undefined);
    });

    it("read: a value changed by hand is drift: the vault's value, and drift \"changed\", also after the refresh stored it", async () => {
        const { id, state } = await create();
        stored()!.value = "changed-by-hand";
        const r = await p.host.read(id, state);
        assert.equal(r.props?.value, "changed-by-hand");
        assert.equal(r.props?.written, VALUE);
        assert.equal(r.props?.drift, "changed");
        const again = await p.host.read(id, r.props!);
        assert.equal(again.props?.drift, "changed", "a second refresh still reports it");
        stored()!.value = VALUE;
        assert.equal((await p.host.read(id, again.props!)).props?.drift, undefined, "put back by hand: no drift");
    });

    it("read: a deleted secret, or its deleted folder, is gone: no id, so refresh drops it", async () => {
        const { id, state } = await create();
        ctx.vault.projects.get(PROJECT)!.get(ENVIRONMENT)!.get(PATH)!.delete(KEY);
        assert.equal((await p.host.read(id, state)).id, undefined);
        ctx.vault.projects.get(PROJECT)!.get(ENVIRONMENT)!.delete(PATH);
        assert.equal((await p.host.read(id, state)).id, undefined);
    });

    it("read: a 404 for the project or environment is an error, not a gone secret", async () => {
        const { id, state } = await create();
        ctx.vault.projects.get(PROJECT)!.delete(ENVIRONMENT);
        await assert.rejects(p.host.read(id, state), {
            message: `Infisical API GET /api/v4/secrets/${KEY} failed: 404 NotFound: Environment with slug 'prod' in project with ID '${PROJECT}' not found. Infisical refused the request: correct what its message names, then run Pulumi again.`,
        });
    });

    it("delete: removes its own secret, never the folders", async () => {
        const { id, state } = await create();
        await p.host.delete(id, state);
        assert.equal(stored(), undefined);
        assert.deepEqual(ctx.vault.folders(PROJECT, ENVIRONMENT), ["/", "/MooseQuest", "/MooseQuest/heroku"]);
    });

    it("delete: a secret already gone is done", async () => {
        const { id, state } = await create();
        ctx.vault.projects.get(PROJECT)!.get(ENVIRONMENT)!.get(PATH)!.delete(KEY);
        await p.host.delete(id, state);
        assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 0);
    });
});
