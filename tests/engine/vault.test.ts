// The key to the vault under the real CLI: VaultAccess (the Access service
// token's two slots, the stack's policy on the vault's application) and vault
// secrets that carry the active token, against three fakes: Cloudflare's
// service tokens (the fake plugin), Cloudflare's Access API
// (tests/cloudflare/fakeCloudflareAccess.ts, whose policy writes take a second)
// and a vault whose Access admits exactly the tokens that exist and that a
// policy of the application includes. Every rotation, rollback and early
// revoke runs through `pulumi up`, and the vault counts the requests Access
// refused: none, ever.
import { strict as assert } from "node:assert";
import { DEPLOY_TOKEN_VAULT_PATH, DeployToken } from "../../components/deployToken";
import { VaultSecrets } from "../../components/infisical/vaultSecrets";
import { VAULT_ACCESS_NAME, VAULT_DOMAIN, VaultAccess } from "../../components/vaultAccess";
import { FakeCloudflareAccess } from "../cloudflare/fakeCloudflareAccess";
import { FAST_ENV as CLOUDFLARE_FAST_ENV } from "../cloudflare/helpers";
import { FakeInfisical } from "../infisical/fakeInfisical";
import { ENVIRONMENT, FAST_ENV, IDENTITY_ID, IDENTITY_SECRET, PROJECT } from "../infisical/helpers";
import { SERVICE_TOKEN, readCloud } from "./fakePlugin";
import { Engine, EngineStack } from "./harness";
import { APPS, CHECKS_OFF, D1, D2, D3, rotation } from "./programs";

const ACCOUNT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const APP = "3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e";
const API_TOKEN = "engine-cloudflare-api-token-4c1d-do-not-leak";
const PATH = "/MooseQuest/heroku";
const KEY = "HEROKU_PLATFORM_API_TOKEN";
const VALUE = "engine-vault-platform-token-5e1a-do-not-leak";
const VAULT_SECRET = "pulumi-nodejs:dynamic/infisical:Secret";

describe("engine: rotating the key to the vault never locks the automation out", function () {
    this.timeout(300_000);
    let engine: Engine;
    let access: FakeCloudflareAccess;
    let vault: FakeInfisical;
    let stack: EngineStack;
    /** The Access token's rotation entry, and the deploy token's once the last test declares it. */
    const program: { entry: string; deployToken?: string } = { entry: `active=a a=${D1}` };
    const tokens = () => Object.entries(readCloud(engine.cloudDir, "cloudflare").resources).filter(([, r]) => r.type === SERVICE_TOKEN);
    /** Access, as Cloudflare enforces it: the token exists, and a policy of the application includes it. */
    const admits = (clientId: string | undefined, clientSecret: string | undefined) =>
        tokens().some(([id, t]) => t.inputs.clientId === clientId && t.inputs.clientSecret === clientSecret && access.admittedTokenIds(APP).includes(id));
    const refused = () => vault.requests.filter((r) => r.answeredBy === "access").length;
    /** Each live token's name, and whether Access admits it now. */
    const admitted = () => tokens().map(([, t]) => [t.inputs.name, admits(t.inputs.clientId as string, t.inputs.clientSecret as string)]).sort();
    async function heldToken(): Promise<string> {
        const [secret] = await stack.resources(VAULT_SECRET, true);
        const held = JSON.parse((secret.outputs?.access as { plaintext: string }).plaintext) as { clientId: string };
        const token = tokens().find(([, t]) => t.inputs.clientId === held.clientId);
        return token === undefined ? "a deleted token" : String(token[1].inputs.name);
    }
    async function up(entry: string): Promise<void> {
        program.entry = entry;
        await stack.up();
        assert.equal(refused(), 0, "the vault refused a request of the stack");
    }

    let handMade: { app: string; others: string };
    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app, {});
        access = await new FakeCloudflareAccess().start();
        access.apiToken = API_TOKEN;
        // A slow policy write: a vault request that did not wait for it would meet the old policy.
        access.policyWriteMs = 1000;
        access.addApp({
            id: APP,
            accountId: ACCOUNT,
            domain: VAULT_DOMAIN,
            name: "Raxx vault",
            settings: { type: "self_hosted", session_duration: "24h", app_launcher_visible: false, http_only_cookie_attribute: false },
            policies: [{ name: "Raxx staff", decision: "allow", include: [{ email_domain: { domain: "raxx.app" } }], precedence: 1, reusable: true }],
        });
        handMade = { app: access.appJson(APP), others: access.otherPoliciesJson(APP, undefined) };
        vault = await new FakeInfisical().start();
        vault.addIdentity(IDENTITY_ID, IDENTITY_SECRET);
        vault.addProject(PROJECT, [ENVIRONMENT]);
        vault.admits = admits;
        stack = await engine.stack(
            "vault",
            async () => {
                const key = new VaultAccess("vault-access", { accountId: ACCOUNT, applicationId: APP, repository: "raxx", lifetimeDays: 365, rotation: rotation(program.entry), checks: CHECKS_OFF });
                const target = { projectId: PROJECT, environment: ENVIRONMENT, access: key.credentials };
                if (program.deployToken === undefined) {
                    new VaultSecrets("platform-token-vault", { target, path: PATH, secrets: { [KEY]: VALUE } });
                } else {
                    // SPEC 1 as the prod stack declares it, with the vault.
                    new DeployToken("platform-token", { apps: APPS, repository: "raxx", rotation: rotation(program.deployToken), vault: target, checks: CHECKS_OFF });
                }
            },
            {
                env: {
                    ...FAST_ENV,
                    ...CLOUDFLARE_FAST_ENV,
                    // One attempt: a request Access refuses fails the `up` at once, besides being counted.
                    INFISICAL_HTTP_ACCESS_ATTEMPTS: "1",
                    INFISICAL_API_URL: vault.url,
                    INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: IDENTITY_ID,
                    INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: IDENTITY_SECRET,
                    CLOUDFLARE_API_BASE_URL: access.url,
                    CLOUDFLARE_API_TOKEN: API_TOKEN,
                },
            },
        );
    });
    after(async () => {
        await vault?.stop();
        await access?.stop();
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

    it("adds the stack's policy to the application, after its own, and writes nothing else of it", async () => {
        await up(`active=a a=${D1}`);
        const app = access.apps.get(APP)!;
        const ours = app.policies.filter((p) => p.name === VAULT_ACCESS_NAME);
        assert.equal(ours.length, 1);
        assert.equal(ours[0].precedence, 2);
        assert.equal(access.otherPoliciesJson(APP, ours[0].id), handMade.others);
        assert.deepEqual(
            access.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
            [`POST /accounts/${ACCOUNT}/access/apps/${APP}/policies`],
        );
        assert.equal(JSON.stringify({ ...JSON.parse(access.appJson(APP)), policies: undefined }), JSON.stringify({ ...JSON.parse(handMade.app), policies: undefined }));
        assert.deepEqual(admitted(), [[`raxx-platform-automation-${D1}`, true]]);
        assert.equal(vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
        assert.equal(await heldToken(), `raxx-platform-automation-${D1}`);
    });

    it("rotates to slot b: the new token is admitted before the vault secret carries it; both stay admitted", async () => {
        await up(`active=b a=${D1} b=${D2}`);
        assert.deepEqual(admitted(), [
            [`raxx-platform-automation-${D1}`, true],
            [`raxx-platform-automation-${D2}`, true],
        ]);
        assert.equal(await heldToken(), `raxx-platform-automation-${D2}`);
    });

    it("rotates again: slot a's new token replaces the old one, which is deleted last and admitted no more", async () => {
        const oldA = tokens().find(([, t]) => t.inputs.name === `raxx-platform-automation-${D1}`)![1].inputs;
        await up(`active=a a=${D3} b=${D2}`);
        assert.deepEqual(admitted(), [
            [`raxx-platform-automation-${D2}`, true],
            [`raxx-platform-automation-${D3}`, true],
        ]);
        assert.equal(admits(oldA.clientId as string, oldA.clientSecret as string), false);
        assert.equal(await heldToken(), `raxx-platform-automation-${D3}`);
    });

    it("rolls back to slot b and revokes slot a early, in two ups, with the vault reachable throughout", async () => {
        await up(`active=b a=${D3} b=${D2}`);
        assert.equal(await heldToken(), `raxx-platform-automation-${D2}`);
        await up(`active=b b=${D2}`);
        assert.deepEqual(admitted(), [[`raxx-platform-automation-${D2}`, true]]);
        assert.equal(vault.secret(PROJECT, ENVIRONMENT, PATH, KEY)?.value, VALUE);
    });

    it("replaces a leaked active token in one up: the successor is admitted and carried, then the leaked one goes", async () => {
        await up("active=a a=2026-11-29");
        assert.deepEqual(admitted(), [["raxx-platform-automation-2026-11-29", true]]);
        assert.equal(await heldToken(), "raxx-platform-automation-2026-11-29");
        assert.equal(access.otherPoliciesJson(APP, access.apps.get(APP)!.policies.find((p) => p.name === VAULT_ACCESS_NAME)!.id), handMade.others);
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
        await up(program.entry);
        assert.deepEqual(held(), all(token(D1)));
        program.deployToken = `active=b a=${D1} b=${D2}`;
        await up(program.entry);
        assert.deepEqual(held(), all(token(D2)));
        assert.notEqual(token(D1).token, token(D2).token);
    });
});
