// The key to the vault under the real CLI: VaultAccess (the Access service
// token's two slots, the policy that admits them, the adopted application) and
// a vault secret that carries the active token, against a fake Cloudflare (the
// fake plugin) and a fake vault whose Access admits exactly what that fake
// Cloudflare's policy attached to the application includes. Every rotation,
// rollback and early revoke runs through `pulumi up`, and the vault counts the
// requests Access refused: none, ever.
import { strict as assert } from "node:assert";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { VaultSecrets } from "../../components/infisical/vaultSecrets";
import { DEPLOY_TOKEN_VAULT_PATH, DeployToken } from "../../components/deployToken";
import { VAULT_ACCESS_NAME, VaultAccess } from "../../components/vaultAccess";
import { FakeInfisical } from "../infisical/fakeInfisical";
import { ENVIRONMENT, FAST_ENV, IDENTITY_ID, IDENTITY_SECRET, PROJECT } from "../infisical/helpers";
import { ACCESS_APPLICATION, ACCESS_POLICY, FakeCloudFile, SERVICE_TOKEN, accessAdmits, readCloud, writeCloud } from "./fakePlugin";
import { Engine, EngineStack } from "./harness";
import { APPS, D1, D2, D3, rotation } from "./programs";

const ACCOUNT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const APP = "3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e";
const STAFF = "0e2f7c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b";
const PATH = "/MooseQuest/heroku";
const KEY = "HEROKU_PLATFORM_API_TOKEN";
const VALUE = "engine-vault-platform-token-5e1a-do-not-leak";
const VAULT_SECRET = "pulumi-nodejs:dynamic/infisical:Secret";

/** The vault's application and its one policy, as they were made by hand. */
const HAND_MADE: FakeCloudFile = {
    resources: {
        [APP]: {
            type: ACCESS_APPLICATION,
            name: "vault",
            inputs: { accountId: ACCOUNT, domain: "vault.raxx.app", name: "Raxx vault", type: "self_hosted", sessionDuration: "24h", policies: [{ id: STAFF, precedence: 1 }] },
        },
        [STAFF]: { type: ACCESS_POLICY, name: "staff", inputs: { accountId: ACCOUNT, name: "Raxx staff", decision: "allow", includes: [{ emailDomain: { domain: "raxx.app" } }] } },
    },
    log: [],
};

describe("engine: rotating the key to the vault never locks the automation out", function () {
    this.timeout(300_000);
    let engine: Engine;
    let vault: FakeInfisical;
    let stack: EngineStack;
    /** The Access token's rotation entry, and the deploy token's once the last test declares it. */
    const program: { adopting: boolean; entry: string; deployToken?: string } = { adopting: true, entry: `active=a a=${D1}` };
    const cloud = () => readCloud(engine.cloudDir, "cloudflare");
    const tokens = () => Object.entries(cloud().resources).filter(([, r]) => r.type === SERVICE_TOKEN);
    const refused = () => vault.requests.filter((r) => r.answeredBy === "access").length;
    /** Each live token's name, and whether Access admits it now. */
    const admitted = () =>
        tokens()
            .map(([, t]) => [t.inputs.name, accessAdmits(cloud(), APP, t.inputs.clientId as string, t.inputs.clientSecret as string)])
            .sort();
    async function heldToken(): Promise<string> {
        const [secret] = await stack.resources(VAULT_SECRET, true);
        const access = JSON.parse((secret.outputs?.access as { plaintext: string }).plaintext) as { clientId: string };
        const held = tokens().find(([, t]) => t.inputs.clientId === access.clientId);
        return held === undefined ? "a deleted token" : String(held[1].inputs.name);
    }
    async function rotate(entry: string): Promise<void> {
        program.entry = entry;
        await stack.up();
        assert.equal(refused(), 0, "the vault refused a request of the stack");
    }

    before(async () => {
        engine = await Engine.start();
        writeCloud(engine.cloudDir, "cloudflare", HAND_MADE);
        for (const app of APPS) engine.heroku.addApp(app, {});
        vault = await new FakeInfisical().start();
        vault.addIdentity(IDENTITY_ID, IDENTITY_SECRET);
        vault.addProject(PROJECT, [ENVIRONMENT]);
        vault.admits = (clientId, clientSecret) => accessAdmits(cloud(), APP, clientId, clientSecret);
        stack = await engine.stack(
            "vault",
            async () => {
                if (program.adopting) {
                    // Reads the application in at the URN the program gives it, under its component's.
                    const parent = new pulumi.ComponentResource("raxx:vault:VaultAccess", "vault-access");
                    cloudflare.ZeroTrustAccessApplication.get("vault-access-application", APP, undefined, { parent });
                    return;
                }
                const access = new VaultAccess("vault-access", {
                    accountId: ACCOUNT,
                    applicationId: APP,
                    keptPolicyIds: [STAFF],
                    repository: "raxx",
                    lifetimeDays: 365,
                    rotation: rotation(program.entry),
                });
                const vault = { projectId: PROJECT, environment: ENVIRONMENT, access: access.credentials };
                if (program.deployToken === undefined) {
                    new VaultSecrets("platform-token-vault", { target: vault, path: PATH, secrets: { [KEY]: VALUE } });
                } else {
                    // SPEC 1 as the prod stack declares it, with the vault.
                    new DeployToken("platform-token", { apps: APPS, repository: "raxx", rotation: rotation(program.deployToken), vault });
                }
            },
            {
                // One attempt: a request Access refuses fails the `up` at once, besides being counted.
                // A slow policy update: a vault request that did not wait for it would be refused.
                env: { ...FAST_ENV, INFISICAL_HTTP_ACCESS_ATTEMPTS: "1", RAXX_FAKE_ACCESS_POLICY_DELAY_MS: "1000", INFISICAL_API_URL: vault.url, INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: IDENTITY_ID, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: IDENTITY_SECRET },
            },
        );
        // Adopts the application as `pulumi import` would. The import command needs the
        // Node.js language plugin, which cannot be built here, so: read it into the state at
        // its URN, then make it managed, with the inputs the read found.
        await stack.up();
        const exported = await stack.stack.exportStack();
        const resources = (exported.deployment as { resources: Record<string, unknown>[] }).resources;
        for (const r of resources.filter((x) => x.type === ACCESS_APPLICATION)) {
            delete r.external;
            const { id: _id, ...inputs } = r.outputs as Record<string, unknown>;
            r.inputs = inputs;
        }
        await stack.stack.importStack(exported);
        program.adopting = false;
        assert.deepEqual(cloud().log, [], "adopting changed nothing in Cloudflare");
    });
    after(async () => {
        await vault?.stop();
        await engine?.stop();
    });

    it("the fake Access refuses a token no policy of the application includes", async () => {
        const res = await fetch(`${vault.url}/api/v1/auth/universal-auth/login`, {
            method: "POST",
            headers: { "CF-Access-Client-Id": "nobody.access", "CF-Access-Client-Secret": "nobody", "Content-Type": "application/json" },
            body: JSON.stringify({ clientId: IDENTITY_ID, clientSecret: IDENTITY_SECRET }),
        });
        assert.equal(res.status, 403);
        vault.requests.length = 0;
    });

    it("adopts the application: the first up adds the stack's policy after the kept one, and changes nothing else of it", async () => {
        await rotate(`active=a a=${D1}`);
        const app = cloud().resources[APP];
        const policy = Object.entries(cloud().resources).find(([, r]) => r.type === ACCESS_POLICY && r.inputs.name === VAULT_ACCESS_NAME);
        assert.ok(policy, "the stack's policy exists");
        assert.deepEqual(app.inputs, { ...HAND_MADE.resources[APP].inputs, policies: [{ id: STAFF, precedence: 1 }, { id: policy[0], precedence: 2 }] });
        assert.deepEqual(cloud().resources[STAFF], HAND_MADE.resources[STAFF]);
        assert.deepEqual(admitted(), [[`raxx-platform-automation-${D1}`, true]]);
        assert.equal(vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
        assert.equal(await heldToken(), `raxx-platform-automation-${D1}`);
    });

    it("rotates to slot b: the new token is admitted before the vault secret carries it; both stay admitted", async () => {
        await rotate(`active=b a=${D1} b=${D2}`);
        assert.deepEqual(admitted(), [
            [`raxx-platform-automation-${D1}`, true],
            [`raxx-platform-automation-${D2}`, true],
        ]);
        assert.equal(await heldToken(), `raxx-platform-automation-${D2}`);
    });

    it("rotates again: slot a's new token replaces the old one, which is deleted last and admitted no more", async () => {
        const oldA = tokens().find(([, t]) => t.inputs.name === `raxx-platform-automation-${D1}`)![1].inputs;
        await rotate(`active=a a=${D3} b=${D2}`);
        assert.deepEqual(admitted(), [
            [`raxx-platform-automation-${D2}`, true],
            [`raxx-platform-automation-${D3}`, true],
        ]);
        assert.equal(accessAdmits(cloud(), APP, oldA.clientId as string, oldA.clientSecret as string), false);
        assert.equal(await heldToken(), `raxx-platform-automation-${D3}`);
    });

    it("rolls back to slot b and revokes slot a early, in two ups, with the vault reachable throughout", async () => {
        await rotate(`active=b a=${D3} b=${D2}`);
        assert.equal(await heldToken(), `raxx-platform-automation-${D2}`);
        await rotate(`active=b b=${D2}`);
        assert.deepEqual(admitted(), [[`raxx-platform-automation-${D2}`, true]]);
        assert.equal(vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
    });

    it("replaces a leaked active token in one up: the successor is admitted and carried, then the leaked one goes", async () => {
        await rotate(`active=a a=2026-11-29`);
        assert.deepEqual(admitted(), [["raxx-platform-automation-2026-11-29", true]]);
        assert.equal(await heldToken(), "raxx-platform-automation-2026-11-29");
        assert.equal(cloud().resources[APP].inputs.domain, "vault.raxx.app");
    });

    it("rotates the deploy token into the four apps, the Actions secret and the vault in one up", async () => {
        const token = (date: string) => [...engine.heroku.authorizations.values()].find((a) => a.description === `raxx-platform-token-${date}`)!;
        const held = () => ({
            ...Object.fromEntries(APPS.map((app) => [app, engine.heroku.apps.get(app)?.HEROKU_API_KEY])),
            github: Object.values(engine.cloud("github").resources).find((r) => r.name === "platform-token-github-secret-HEROKU_API_KEY")?.inputs.value,
            vault: vault.secret(PROJECT, ENVIRONMENT, DEPLOY_TOKEN_VAULT_PATH, KEY)?.value,
            authId: vault.secret(PROJECT, ENVIRONMENT, DEPLOY_TOKEN_VAULT_PATH, "HEROKU_API_KEY__AUTH_ID")?.value,
        });
        const all = (t: { token: string; id: string }) => ({ ...Object.fromEntries(APPS.map((app) => [app, t.token])), github: t.token, vault: t.token, authId: t.id });
        program.deployToken = `active=a a=${D1}`;
        await rotate(program.entry);
        assert.deepEqual(held(), all(token(D1)));
        program.deployToken = `active=b a=${D1} b=${D2}`;
        await rotate(program.entry);
        assert.deepEqual(held(), all(token(D2)));
        assert.notEqual(token(D1).token, token(D2).token);
    });
});
