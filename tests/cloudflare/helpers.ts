// Shared set-up for the Cloudflare Access policy tests: a fake Cloudflare API on 127.0.0.1,
// the env pointing at it, fast bounded retries, the stack's provider text serialized with
// canaries in place, and a provider-host emulation per test.
import { strict as assert } from "node:assert";
import * as path from "node:path";

import type * as cloudflareModule from "../../providers/cloudflare";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { ProviderHost } from "../heroku/serialized";
import { FakeCloudflareAccess } from "./fakeCloudflareAccess";

export { ProviderHost, rebuild } from "../heroku/serialized";

export const ACCOUNT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const APP_ID = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
export const OTHER_APP_ID = "2b9d0c4e-1a7f-4e3b-9c8d-5f6a7b8c9d0e";
export const DOMAIN = "vault.raxx.app";
export const POLICY_NAME = "raxx-platform-automation";
/** The two rotation slots' service tokens: ids (what a policy names) and client ids. */
export const TOKEN_A = { id: "3c1e0b7a-5d2f-4a8e-9b6c-1d2e3f4a5b6c", clientId: "slot-a-3c1e.access" };
export const TOKEN_B = { id: "9f2a4c6e-8b0d-4f1a-a3c5-7e9b1d3f5a7c", clientId: "slot-b-9f2a.access" };
export const TOKEN_C = { id: "5e7a9c1b-3d5f-47a9-b1c3-e5f7a9b1c3d5", clientId: "slot-c-5e7a.access" };
/** The API token the fake accepts. */
export const API_TOKEN = "cf-api-token-7d2e9a41-do-not-leak";

/** In CLOUDFLARE_API_TOKEN while the module is imported and serialized; must never reach the text. */
export const CANARY_ENV_TOKEN = "cf-canary-env-token-5e1f-do-not-leak";
/** In the secret stack config cloudflare:apiToken at the same time. */
export const CANARY_CONFIG_TOKEN = "cf-canary-config-token-9d3b-do-not-leak";
export const CANARY_URL = "http://127.0.0.1:9/canary-cloudflare-url";

export const FAST_ENV: Record<string, string> = {
    CLOUDFLARE_HTTP_TIMEOUT_MS: "2000",
    CLOUDFLARE_HTTP_MAX_ATTEMPTS: "3",
    CLOUDFLARE_HTTP_BACKOFF_MS: "1",
    CLOUDFLARE_HTTP_MAX_BACKOFF_MS: "4",
    CLOUDFLARE_HTTP_MAX_RETRY_AFTER_MS: "2000",
};
const ENV_KEYS = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_BASE_URL", ...Object.keys(FAST_ENV)];

/** The hand-made application as it is today: its settings and the policies it has, a reusable one among them. */
export function vaultApp(fake: FakeCloudflareAccess, over: { domain?: string; id?: string } = {}) {
    return fake.addApp({
        id: over.id ?? APP_ID,
        accountId: ACCOUNT,
        domain: over.domain ?? DOMAIN,
        name: "Raxx vault",
        settings: {
            session_duration: "24h",
            app_launcher_visible: false,
            auto_redirect_to_identity: false,
            allowed_idps: [],
            enable_binding_cookie: false,
            http_only_cookie_attribute: true,
            custom_deny_message: "",
            tags: [],
        },
        policies: [
            { name: "Owners", decision: "allow", include: [{ email: { email: "owner@raxx.app" } }], precedence: 1 },
            { name: "Team (reusable)", decision: "allow", include: [{ email_domain: { domain: "raxx.app" } }], precedence: 2, reusable: true },
            { name: "Break-glass token", decision: "non_identity", include: [{ service_token: { token_id: TOKEN_C.id } }], precedence: 4 },
        ],
    });
}

/** Mocha hooks: a fresh fake per test holding the vault's application; env pointing at it. */
export function useFakeCloudflare(): { cf: FakeCloudflareAccess } {
    const ctx = {} as { cf: FakeCloudflareAccess };
    let saved: Record<string, string | undefined> = {};
    beforeEach(async () => {
        saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
        ctx.cf = await new FakeCloudflareAccess().start();
        ctx.cf.apiToken = API_TOKEN;
        for (const t of [TOKEN_A, TOKEN_B, TOKEN_C]) ctx.cf.addServiceToken(t.id, t.clientId);
        vaultApp(ctx.cf);
        Object.assign(process.env, FAST_ENV, { CLOUDFLARE_API_TOKEN: API_TOKEN, CLOUDFLARE_API_BASE_URL: ctx.cf.url });
    });
    afterEach(async () => {
        await ctx.cf.stop();
        for (const k of ENV_KEYS) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
    return ctx;
}

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/cloudflare");

/** A private copy of providers/cloudflare, imported now, with the caller's environment in place. */
export function freshModule(): typeof cloudflareModule {
    const inDir = (k: string) => k.startsWith(PROVIDERS_DIR + path.sep);
    const saved = Object.entries(require.cache).filter(([k]) => inDir(k));
    for (const [k] of saved) delete require.cache[k];
    try {
        return require(PROVIDERS_DIR) as typeof cloudflareModule;
    } finally {
        for (const k of Object.keys(require.cache)) if (inDir(k)) delete require.cache[k];
        for (const [k, m] of saved) require.cache[k] = m;
    }
}

/** The `__provider` text of one AccessApplicationPolicy declared with `mod`, under mocks. */
export async function registeredText(mod: typeof cloudflareModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<string> {
    const result = await runWithMocks(() => {
        new mod.AccessApplicationPolicy("vault-automation-policy", {
            accountId: ACCOUNT,
            applicationId: APP_ID,
            domain: DOMAIN,
            policyName: POLICY_NAME,
            serviceTokenIds: [TOKEN_A.id, TOKEN_B.id],
        });
    }, opts);
    assert.equal(result.error, undefined, String(result.error));
    const [reg] = result.registrations.filter((r) => r.type === "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy");
    assert.equal(typeof reg?.inputs.__provider, "string", "AccessApplicationPolicy registers a __provider text");
    return reg.inputs.__provider as string;
}

/** Serializes a fresh copy of the module with canary tokens in the env and the secret stack config. */
export async function serializeWithCanaries(): Promise<string> {
    const keys = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_BASE_URL"];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    process.env.CLOUDFLARE_API_TOKEN = CANARY_ENV_TOKEN;
    process.env.CLOUDFLARE_API_BASE_URL = CANARY_URL;
    try {
        return await registeredText(freshModule(), { config: { "cloudflare:apiToken": CANARY_CONFIG_TOKEN }, secretKeys: ["cloudflare:apiToken"] });
    } finally {
        for (const k of keys) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    }
}

let cached: Promise<string> | undefined;
/** The text the program registers, serialized with canaries in place; taken once per process. */
export function providerText(): Promise<string> {
    cached ??= serializeWithCanaries();
    return cached;
}

/** Mocha hooks: the text once, and a fresh host per test, handing `config` (full keys) to `configure`. */
export function useSerializedPolicy(config: Record<string, string> = {}): { text: string; host: ProviderHost } {
    const ctx = {} as { text: string; host: ProviderHost };
    before(async () => {
        ctx.text = await providerText();
    });
    beforeEach(() => {
        ctx.host = new ProviderHost(config);
    });
    return ctx;
}

/** Awaits a promise that must reject, and returns its error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
        return e;
    }
    assert.fail("expected the call to fail, but it succeeded");
}

/** Fails if any secret occurs in the text. */
export function assertNoSecrets(text: string, secrets: readonly string[] = [API_TOKEN, CANARY_ENV_TOKEN, CANARY_CONFIG_TOKEN]): void {
    for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked into: ${text.split(s).join("<<LEAK>>")}`);
}
