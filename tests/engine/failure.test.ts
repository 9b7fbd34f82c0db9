// A failed up under the real engine: what the operator reads, what stays
// valid, what state says, and how the next up finishes the job without
// revoking anything a consumer holds (pulumi/pulumi#9979: the next up runs the
// failed one's pending deletes first).
import { strict as assert } from "node:assert";
import { ENGINE_HEROKU_KEY, Engine, EngineStack } from "./harness";
import { APPS, AUTH, D1, D2, D3, VARS, DeployTokenState, deployTokenProgram } from "./programs";

const BROKEN_APP = "raxx-api-staging";

describe("engine: an up that fails halfway through a rotation", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    const state: DeployTokenState = { entry: `active=b a=${D1} b=${D2}`, apps: APPS };

    function live(date: string): { id: string; token: string } | undefined {
        return [...engine.heroku.authorizations.values()].find((a) => a.description === `raxx-platform-token-${date}`);
    }

    /** Each app's HEROKU_API_KEY as state records it, decrypted. */
    async function stateHolds(): Promise<Record<string, unknown>> {
        const resources = await stack.resources(VARS, true);
        return Object.fromEntries(
            resources.map((r) => {
                const secretVars = r.outputs?.secretVars as { plaintext?: string } | Record<string, string> | undefined;
                const vars = typeof (secretVars as { plaintext?: string })?.plaintext === "string" ? JSON.parse((secretVars as { plaintext: string }).plaintext) : secretVars;
                return [r.outputs?.app as string, (vars as Record<string, string> | undefined)?.HEROKU_API_KEY];
            }),
        );
    }

    function herokuHolds(): Record<string, string | undefined> {
        return Object.fromEntries(APPS.map((app) => [app, engine.heroku.apps.get(app)?.HEROKU_API_KEY]));
    }

    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app);
        stack = await engine.stack("prod", deployTokenProgram(state));
        // Two generations, consumers on b: the next rotation replaces a, the slot nobody holds.
        await stack.up();
        assert.deepEqual(Object.values(herokuHolds()), APPS.map(() => live(D2)!.token));
    });
    after(async () => engine?.stop());

    let failure: { code: number; stdout: string; stderr: string };
    let oldA: { id: string; token: string };
    let b: { id: string; token: string };

    it("fails with a message that names the app, the method and the status, and nothing secret", async () => {
        oldA = live(D1)!;
        b = live(D2)!;
        state.entry = `active=a a=${D3} b=${D2}`;
        engine.heroku.inject({ method: "PATCH", path: `/apps/${BROKEN_APP}/config-vars`, status: 503, times: 1000, body: { id: "unavailable", message: "Service unavailable." } });
        failure = await stack.outcome([], (s) => s.up());
        assert.notEqual(failure.code, 0);
        const output = failure.stdout + failure.stderr;
        assert.match(output, new RegExp(`PATCH /apps/${BROKEN_APP}/config-vars failed after 3 attempts: 503 unavailable`));
        assert.doesNotMatch(output, /undefined|Unknown Error/);
        for (const secret of [oldA.token, b.token, live(D3)!.token, ENGINE_HEROKU_KEY]) assert.ok(!output.includes(secret), "a token reached the CLI output");
    });

    it("leaves every token a consumer held valid, and the two-generations-old one pending deletion", async () => {
        assert.ok(live(D2), "b, which the broken app still holds, is live");
        assert.equal(engine.heroku.apps.get(BROKEN_APP)?.HEROKU_API_KEY, b.token);
        assert.ok(live(D3), "the new a exists");
        // The old a is held by nobody, and still live: the failed up never reached its delete,
        // which state keeps for the next up.
        assert.ok(APPS.every((app) => engine.heroku.apps.get(app)?.HEROKU_API_KEY !== oldA.token));
        assert.equal(live(D1)?.id, oldA.id);
        const slotA = (await stack.resources(AUTH)).filter((r) => r.urn.endsWith("::platform-token-heroku-authorization-a"));
        assert.deepEqual(
            slotA.map((r) => [r.id, r.delete ?? false]).sort(),
            [[live(D3)!.id, false], [oldA.id, true]].sort(),
        );
    });

    it("records in state exactly what each app holds at Heroku", async () => {
        assert.deepEqual(await stateHolds(), herokuHolds());
    });

    it("the next up completes the rotation, and revokes nothing a consumer holds on the way", async () => {
        engine.heroku.clearFaults();
        const revokedWhileHeld: string[] = [];
        engine.heroku.onRequest = (req) => {
            if (req.method !== "DELETE") return;
            const id = req.path.split("/").pop()!;
            const auth = engine.heroku.authorizations.get(id);
            const holders = APPS.filter((app) => auth !== undefined && engine.heroku.apps.get(app)?.HEROKU_API_KEY === auth.token);
            if (holders.length > 0) revokedWhileHeld.push(`${id} held by ${holders.join(", ")}`);
        };
        try {
            await stack.up();
        } finally {
            engine.heroku.onRequest = undefined;
        }
        assert.deepEqual(revokedWhileHeld, []);
        const newA = live(D3)!;
        assert.deepEqual(herokuHolds(), Object.fromEntries(APPS.map((app) => [app, newA.token])));
        assert.ok(live(D2), "b stays live as the previous generation");
        assert.equal(live(D1), undefined, "the old a is revoked");
        assert.deepEqual(await stateHolds(), herokuHolds());
        assert.deepEqual(await stack.pendingOperations(), []);
        assert.deepEqual(await stack.planned(), []);
    });
});
