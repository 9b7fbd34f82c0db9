// Upgrading the provider code under live resources. The engine stores each resource's
// `__provider` text at its last create or update and runs read and delete with that
// text, so new code reaches a resource only through an update. Both providers' diff
// therefore reports a change when the text differs, and both have an update that
// carries the new text without touching Heroku needlessly.
import { strict as assert } from "node:assert";

import { useFakeHeroku } from "./helpers";
import { ProviderHost, ProviderTexts, providerTexts, providerTextsAgain } from "./serialized";

const DESCRIPTION = "raxx-platform-token-2026-05-06";
const APP = "raxx-console-prod";
const INGEST = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: false };

/** A different text that still rebuilds into working provider code: "the code of an older release". */
const older = (text: string) => `${text}\n// an older release of the provider\n`;

describe("Heroku providers: upgrading the code under live resources", () => {
    const ctx = useFakeHeroku({ fastEnv: true });
    let texts: ProviderTexts;
    let again: ProviderTexts;
    let host: ProviderHost;
    before(async () => {
        texts = await providerTexts();
        again = await providerTextsAgain();
    });
    beforeEach(() => {
        host = new ProviderHost();
        ctx.heroku.addApp(APP, { OTHER: "x" });
    });

    const authInputs = { scope: ["global"], description: DESCRIPTION };
    const varsInputs = { app: APP, owner: "raxx-platform/prod/audit-ingest-raxx-console-prod", vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" }, secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: INGEST } };

    /** Creates with `createText`, then has the engine check and diff the same inputs under `nextText`. */
    async function createThenDiff(inputs: Record<string, unknown>, createText: string, nextText: string) {
        const checked = await host.check({}, { ...inputs, __provider: createText });
        assert.deepEqual(checked.failures, []);
        const made = await host.create(checked.inputs);
        const next = await host.check(checked.inputs, { ...inputs, __provider: nextText });
        return { made, next, diff: await host.diff(made.id, made.outs, next.inputs) };
    }

    for (const kind of ["authorization", "configVars"] as const) {
        const inputs = kind === "authorization" ? authInputs : varsInputs;

        it(`${kind}: a second identical run serializes the same text, and diff reports no change`, async () => {
            const { diff } = await createThenDiff(inputs, texts[kind], again[kind]);
            assert.deepEqual(diff, NO_CHANGE);
        });

        it(`${kind}: new provider code is an update, never a replacement`, async () => {
            const { diff } = await createThenDiff(inputs, older(texts[kind]), texts[kind]);
            assert.deepEqual(diff, UPDATE);
        });
    }

    it("authorization: the update keeps every output, stores the new code, and calls nothing at Heroku", async () => {
        const { made, next } = await createThenDiff(authInputs, older(texts.authorization), texts.authorization);
        const before = ctx.heroku.requests.length;
        const updated = await host.update(made.id, made.outs, next.inputs);
        const { __provider: oldText, ...outputs } = made.outs;
        assert.equal(oldText, older(texts.authorization));
        assert.deepEqual(updated.outs, { ...outputs, __provider: texts.authorization });
        assert.ok(typeof outputs.token === "string" && outputs.token !== "", "the token survives the update");
        assert.deepEqual(ctx.heroku.requests.slice(before).map((r) => `${r.method} ${r.path}`), []);
        assert.equal(ctx.heroku.authorizations.size, 1);
        // The next run sees the new code in state: no change.
        assert.deepEqual(await host.diff(made.id, updated.outs, next.inputs), NO_CHANGE);
    });

    it("authorization: a new description still replaces, whatever the code", async () => {
        const made = await host.create({ ...authInputs, __provider: older(texts.authorization) });
        const redated = await host.check(made.outs, { ...authInputs, description: "raxx-platform-token-2026-08-04", __provider: texts.authorization });
        assert.deepEqual(redated.failures, []);
        assert.deepEqual(await host.diff(made.id, made.outs, redated.inputs), { changes: true, replaces: ["description"], deleteBeforeReplace: false });
        const scoped = await host.check(made.outs, {
            ...authInputs,
            scope: ["read"],
            expiresIn: 60,
            description: "raxx-platform-token-2026-08-05",
            __provider: texts.authorization,
        });
        assert.deepEqual(scoped.failures, []);
        assert.deepEqual(await host.diff(made.id, made.outs, scoped.inputs), { changes: true, replaces: ["scope", "description", "expiresIn"], deleteBeforeReplace: false });
    });

    it("configVars: the update carries the new code and writes nothing when the app already matches", async () => {
        const { made, next } = await createThenDiff(varsInputs, older(texts.configVars), texts.configVars);
        const before = ctx.heroku.requests.length;
        const updated = await host.update(made.id, made.outs, next.inputs);
        const { __provider: _old, ...outputs } = made.outs;
        assert.deepEqual(updated.outs, { ...outputs, __provider: texts.configVars });
        assert.deepEqual(ctx.heroku.requests.slice(before).map((r) => `${r.method} ${r.path}`), [`GET /apps/${APP}/config-vars`]);
        assert.deepEqual(await host.diff(made.id, updated.outs, next.inputs), NO_CHANGE);
    });
});
