// The Infisical Secret under the real CLI: the engine's own dynamic-provider host runs
// the serialized provider against the fake vault (tests/infisical/fakeInfisical.ts) on
// 127.0.0.1, through create, an update of the value, an access-only change (an Access
// slot rotation), a 403 from Cloudflare Access as the operator reads it, and a delete.
import { strict as assert } from "node:assert";
import { Secret } from "../../providers/infisical";
import { FakeInfisical } from "../infisical/fakeInfisical";
import { ACCESS_A, ACCESS_B, ENVIRONMENT, FAST_ENV, IDENTITY_ID, IDENTITY_SECRET, KEY, PATH, PROJECT } from "../infisical/helpers";
import { Engine, EngineStack } from "./harness";

const TYPE = "pulumi-nodejs:dynamic/infisical:Secret";
const V1 = "engine-vault-value-1-7c2e-do-not-leak";
const V2 = "engine-vault-value-2-4a9d-do-not-leak";

describe("engine: the Infisical Secret", function () {
    this.timeout(300_000);
    let engine: Engine;
    let vault: FakeInfisical;
    let stack: EngineStack;
    const program = { present: true, value: V1, access: ACCESS_A as { clientId: string; clientSecret: string } };
    const stored = () => vault.secret(PROJECT, ENVIRONMENT, PATH, KEY);

    before(async () => {
        engine = await Engine.start();
        vault = await new FakeInfisical().start();
        vault.admit(ACCESS_A.clientId, ACCESS_A.clientSecret);
        vault.addIdentity(IDENTITY_ID, IDENTITY_SECRET);
        vault.addProject(PROJECT, [ENVIRONMENT]);
        stack = await engine.stack(
            "vault",
            async () => {
                if (program.present) {
                    new Secret("heroku-token-vault", { projectId: PROJECT, environment: ENVIRONMENT, path: PATH, key: KEY, value: program.value, access: program.access });
                }
            },
            {
                env: {
                    ...FAST_ENV,
                    INFISICAL_API_URL: vault.url,
                    INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: IDENTITY_ID,
                    INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: IDENTITY_SECRET,
                },
            },
        );
    });
    after(async () => {
        await vault?.stop();
        await engine?.stop();
    });

    it("create: the folders and the secret, owned by the stack's resource; state holds the value and the Access token only encrypted", async () => {
        await stack.up();
        assert.equal(stored()?.value, V1);
        assert.deepEqual(vault.folders(PROJECT, ENVIRONMENT), ["/", "/MooseQuest", "/MooseQuest/heroku"]);
        assert.match(stored()?.metadata.find((m) => m.key === "raxx-platform-owner")?.value ?? "", /^raxx-platform\/vault\/heroku-token-vault#[0-9a-f]{16}$/);
        const text = await stack.exportText();
        for (const s of [V1, ACCESS_A.clientSecret, IDENTITY_SECRET]) assert.ok(!text.includes(s), "a secret is in plain state");
        const [r] = await stack.resources(TYPE);
        assert.equal(r.id, `${PROJECT}:${ENVIRONMENT}:${PATH}:${KEY}`);
    });

    it("a new value is an update in place, one write", async () => {
        program.value = V2;
        assert.deepEqual(await stack.planned(), [`update ${TYPE} heroku-token-vault`]);
        const writes = vault.writes;
        await stack.up();
        assert.equal(stored()?.value, V2);
        assert.equal(vault.writes - writes, 1);
    });

    it("an access-only change (slot b active) is an update that writes nothing; refresh then works with slot a revoked", async () => {
        vault.admit(ACCESS_B.clientId, ACCESS_B.clientSecret);
        program.access = ACCESS_B;
        assert.deepEqual(await stack.planned(), [`update ${TYPE} heroku-token-vault`]);
        const writes = vault.writes;
        await stack.up();
        assert.equal(vault.writes, writes);
        vault.revoke(ACCESS_A.clientId);
        await stack.stack.refresh();
        const [r] = await stack.resources(TYPE, true);
        assert.deepEqual(JSON.parse((r.outputs?.access as { plaintext: string }).plaintext), ACCESS_B);
        assert.equal(stored()?.value, V2);
    });

    it("a revoked Access token: the CLI prints the Cloudflare Access message, and no secret", async () => {
        vault.revoke(ACCESS_B.clientId);
        program.value = V1;
        const o = await stack.outcome([], (s) => s.up());
        assert.notEqual(o.code, 0);
        const out = o.stdout + o.stderr;
        assert.ok(
            out.includes(`Cloudflare Access refused POST /api/v1/auth/universal-auth/login at ${new URL(vault.url).origin} after 2 attempts: 403, not an answer from Infisical.`),
            out.slice(0, 3000),
        );
        for (const s of [V1, V2, ACCESS_A.clientSecret, ACCESS_B.clientSecret, IDENTITY_SECRET]) assert.ok(!out.includes(s), "a secret is in the CLI output");
        assert.equal(stored()?.value, V2, "nothing written");
        vault.admit(ACCESS_B.clientId, ACCESS_B.clientSecret);
        program.value = V2;
    });

    it("delete: dropping the resource removes its secret, and only it", async () => {
        vault.putSecret(PROJECT, ENVIRONMENT, PATH, "UNMANAGED", "left-alone");
        program.present = false;
        await stack.up();
        assert.equal(stored(), undefined);
        assert.equal(vault.secret(PROJECT, ENVIRONMENT, PATH, "UNMANAGED")?.value, "left-alone");
        assert.deepEqual(await stack.resources(TYPE), []);
    });
});
