// What a refresh tells the drift check about a ConfigVars: which of its keys
// were changed or removed by hand, as a plain `drift` output that names keys
// and never values (the values are secret, so a preview masks them). On the
// serialized provider.
import { strict as assert } from "node:assert";

import { assertNoSecrets, useFakeHeroku } from "./helpers";
import { useSerializedProviders } from "./serialized";

const APP = "raxx-console-prod";
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const HAND = "value-changed-by-hand-3b1f";
const OWNER = "raxx-platform/prod/audit-ingest-raxx-console-prod";

describe("Heroku ConfigVars: drift, by key (serialized provider)", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    const p = useSerializedProviders();
    const inputs = () => ({
        app: APP,
        owner: OWNER,
        vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
        secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST },
        __provider: p.texts.configVars,
    });

    it("reports no drift after create, nor on a refresh that finds what was written", async () => {
        ctx.heroku.addApp(APP);
        const made = await p.host.create(inputs());
        assert.equal(made.outs.drift, undefined);
        const read = await p.host.read(made.id, made.outs);
        assert.equal(read.props?.drift, undefined);
    });

    it("names a secret var changed by hand and a plain var removed by hand, never their values", async () => {
        ctx.heroku.addApp(APP);
        const made = await p.host.create(inputs());
        ctx.heroku.apps.get(APP)!.CONSOLE_AUDIT_INGEST_TOKEN = HAND;
        delete ctx.heroku.apps.get(APP)!.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST;
        const read = await p.host.read(made.id, made.outs);
        assert.deepEqual(read.props?.drift, { CONSOLE_AUDIT_INGEST_TOKEN: "changed", FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "missing" });
        assertNoSecrets(JSON.stringify(read.props?.drift), [HAND, INGEST]);
    });

    it("keeps naming the drift after a refresh wrote the drifted values to state, until an update puts them back", async () => {
        ctx.heroku.addApp(APP);
        const made = await p.host.create(inputs());
        ctx.heroku.apps.get(APP)!.CONSOLE_AUDIT_INGEST_TOKEN = HAND;
        const refreshed = await p.host.read(made.id, made.outs);
        // `pulumi refresh` stored that read; the next check reads again from it.
        const again = await p.host.read(made.id, refreshed.props!);
        assert.deepEqual(again.props?.drift, { CONSOLE_AUDIT_INGEST_TOKEN: "changed" });
        const updated = await p.host.update(made.id, again.props!, inputs());
        assert.equal(updated.outs.drift, undefined);
        assert.equal(ctx.heroku.apps.get(APP)!.CONSOLE_AUDIT_INGEST_TOKEN, INGEST);
        assert.equal((await p.host.read(made.id, updated.outs)).props?.drift, undefined);
    });

    it("stops naming a var once it holds again what was written, even when a refresh stored the drifted value", async () => {
        ctx.heroku.addApp(APP);
        const made = await p.host.create(inputs());
        ctx.heroku.apps.get(APP)!.CONSOLE_AUDIT_INGEST_TOKEN = HAND;
        const refreshed = await p.host.read(made.id, made.outs);
        assert.deepEqual(refreshed.props?.drift, { CONSOLE_AUDIT_INGEST_TOKEN: "changed" });
        // Put back by hand: the program's value again, so no update will ever come.
        ctx.heroku.apps.get(APP)!.CONSOLE_AUDIT_INGEST_TOKEN = INGEST;
        const again = await p.host.read(made.id, refreshed.props!);
        assert.equal(again.props?.drift, undefined);
        assert.deepEqual(await p.host.diff(made.id, again.props!, inputs()), { changes: false, replaces: [], deleteBeforeReplace: false });
    });
});
