// Who may delete a secret. Pulumi creates before it deletes, so a replacement, a rename
// without an alias or a failed up that leaves a pending delete would otherwise let the old
// resource's delete remove what the new one had just adopted. Each secret's
// raxx-platform-owner metadata names its owner `<project>/<stack>/<name>#<instance>`; a
// resource deletes only what names its own instance. Every sequence runs on the serialized
// provider; afterwards the secret that a live state says is present is in the vault.
import { strict as assert } from "node:assert";

import { ACCESS_A, ENVIRONMENT, KEY, NEW_VALUE, PATH, PROJECT, VALUE, assertNoSecrets, rejection, useFakeInfisical, SECRETS } from "./helpers";
import { useSerializedSecret } from "./serialized";

type State = Record<string, unknown> & { instance: string; owner: string; value: string };
const OWNER_KEY = "raxx-platform-owner";

describe("Infisical Secret: ownership (serialized provider)", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();

    const inputs = (stack: string, name: string, value = VALUE) => ({
        projectId: PROJECT,
        environment: ENVIRONMENT,
        path: PATH,
        key: KEY,
        value,
        access: ACCESS_A,
        owner: `raxx-platform/${stack}/${name}`,
        __provider: p.text,
    });
    async function create(stack: string, name: string, value = VALUE) {
        const checked = await p.host.check({}, inputs(stack, name, value));
        const made = await p.host.create(checked.inputs);
        return { id: made.id, state: made.outs as State };
    }
    const stored = () => ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY);
    const owner = () => stored()?.metadata.find((m) => m.key === OWNER_KEY)?.value;
    const entry = (s: State) => `${s.owner}#${s.instance}`;

    it("replacement (create the new instance, then delete the old): the secret stays, owned by the new one", async () => {
        const old = await create("prod", "token");
        const replacement = await create("prod", "token", NEW_VALUE);
        assert.notEqual(replacement.state.instance, old.state.instance);
        await p.host.delete(old.id, old.state);
        assert.equal(stored()?.value, NEW_VALUE);
        assert.equal(owner(), entry(replacement.state));
        assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 0);
    });

    it("rename without an alias: the new name adopts, the old name's delete removes nothing", async () => {
        const old = await create("prod", "token");
        const renamed = await create("prod", "token-renamed");
        assert.equal(ctx.vault.valueWrites, 1, "the rename wrote no value");
        await p.host.delete(old.id, old.state);
        assert.equal(stored()?.value, VALUE);
        assert.equal(owner(), entry(renamed.state));
    });

    it("rename with an alias (an update of the owner): the owner entry follows, the value is not rewritten", async () => {
        const a = await create("prod", "token");
        const checked = await p.host.check(a.state, inputs("prod", "token-renamed"));
        assert.deepEqual(await p.host.diff(a.id, a.state, checked.inputs), { changes: true, replaces: [], deleteBeforeReplace: false });
        const after = (await p.host.update(a.id, a.state, checked.inputs)).outs as State;
        assert.equal(after.instance, a.state.instance);
        assert.equal(owner(), `raxx-platform/prod/token-renamed#${a.state.instance}`);
        assert.equal(ctx.vault.valueWrites, 1);
    });

    it("a failed up leaves a pending delete of the old instance; the next up's delete still keeps the new owner's secret", async () => {
        const old = await create("prod", "token");
        const replacement = await create("prod", "token", NEW_VALUE);
        // The first up failed before its delete; a later up updates the replacement, then runs the pending delete.
        const checked = await p.host.check(replacement.state, inputs("prod", "token", "a-third-value-5c0d"));
        const updated = (await p.host.update(replacement.id, replacement.state, checked.inputs)).outs as State;
        await p.host.delete(old.id, old.state);
        assert.equal(stored()?.value, "a-third-value-5c0d");
        assert.equal(owner(), entry(updated));
    });

    it("the last owner's delete removes it", async () => {
        const old = await create("prod", "token");
        const replacement = await create("prod", "token");
        await p.host.delete(old.id, old.state);
        await p.host.delete(replacement.id, replacement.state);
        assert.equal(stored(), undefined);
    });

    it("a secret owned by another stack is refused before anything is written, and its delete leaves the other stack's secret", async () => {
        const staging = await create("staging", "token");
        const before = { ...stored()! };
        const err = await rejection(create("prod", "token", NEW_VALUE));
        assert.equal(
            err.message,
            `Infisical secret ${KEY} at ${PATH} (environment ${ENVIRONMENT}) belongs to another stack: its raxx-platform-owner metadata names ${entry(staging.state)}. Nothing was written. ` +
                "Declare each secret in one stack only; if that stack no longer manages it, remove the raxx-platform-owner metadata from the secret in the Infisical UI, then run Pulumi again.",
        );
        assertNoSecrets(err.message, SECRETS);
        assert.deepEqual(stored(), before);
        assert.equal(ctx.vault.writes, 1);
        // A prod resource at the same key (a pending delete, say) is not the owner entry: its delete removes nothing.
        const prod = { ...staging.state, owner: "raxx-platform/prod/token", instance: "0123456789abcdef" };
        await p.host.delete(staging.id, prod);
        assert.deepEqual(stored(), before);
        assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 0);
        assert.equal(owner(), entry(staging.state));
    });

    it("a secret made by hand (no owner entry) is adopted; delete removes it only after that", async () => {
        ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE);
        const a = await create("prod", "token");
        assert.equal(owner(), entry(a.state));
        await p.host.delete(a.id, a.state);
        assert.equal(stored(), undefined);
    });

    it("delete keeps a secret whose owner entry was removed or changed by hand", async () => {
        const a = await create("prod", "token");
        stored()!.metadata = [];
        await p.host.delete(a.id, a.state);
        assert.equal(stored()?.value, VALUE);
    });
});
