// Shared set-up for the Cloudflare Access policy tests: a fake Cloudflare API on 127.0.0.1,
// the env pointing at it, fast bounded retries, and the stack's provider text serialized with
// canaries in place, driven through tests/harness/serializedProvider.ts's emulation of the
// dynamic provider host.
import * as path from "node:path";

import type * as cloudflareModule from "../../providers/cloudflare";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { assertNoSecrets as assertNoneOf } from "../harness/assertions";
import { restoreEnvAfterEach } from "../harness/env";
import { SerializedContext, freshModule as freshCopy, once, registeredProviderText, useSerialized, withEnv } from "../harness/serializedProvider";
import { FakeCloudflareAccess } from "./fakeCloudflareAccess";

export { rejection } from "../harness/assertions";
export { ProviderHost, rebuild } from "../harness/serializedProvider";

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
/** A policy's inputs as the engine hands them to the provider `text`: the vault's policy for tokens A and B, with `over` on top. */
export function policyInputs(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return { accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN, policyName: POLICY_NAME, serviceTokenIds: [TOKEN_A.id, TOKEN_B.id], ...over, __provider: text };
}

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
    restoreEnvAfterEach(ENV_KEYS);
    beforeEach(async () => {
        ctx.cf = await new FakeCloudflareAccess().start();
        ctx.cf.apiToken = API_TOKEN;
        for (const t of [TOKEN_A, TOKEN_B, TOKEN_C]) ctx.cf.addServiceToken(t.id, t.clientId);
        vaultApp(ctx.cf);
        Object.assign(process.env, FAST_ENV, { CLOUDFLARE_API_TOKEN: API_TOKEN, CLOUDFLARE_API_BASE_URL: ctx.cf.url });
    });
    afterEach(async () => {
        await ctx.cf.stop();
    });
    return ctx;
}

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/cloudflare");

/** A private copy of providers/cloudflare, imported now, with the caller's environment in place. */
export function freshModule(): typeof cloudflareModule {
    return freshCopy<typeof cloudflareModule>(PROVIDERS_DIR);
}

/** Declares the stack's AccessApplicationPolicy with `mod`: slots a and b on the vault's application. */
export function declarePolicy(mod: typeof cloudflareModule): void {
    new mod.AccessApplicationPolicy("vault-automation-policy", {
        accountId: ACCOUNT,
        applicationId: APP_ID,
        domain: DOMAIN,
        policyName: POLICY_NAME,
        serviceTokenIds: [TOKEN_A.id, TOKEN_B.id],
    });
}

/** The `__provider` text of one AccessApplicationPolicy declared with `mod`, under mocks. */
export async function registeredText(mod: typeof cloudflareModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<string> {
    const result = await runWithMocks(() => declarePolicy(mod), opts);
    return registeredProviderText(result, "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy");
}

/** Serializes a fresh copy of the module with canary tokens in the env and the secret stack config. */
export function serializeWithCanaries(): Promise<string> {
    return withEnv({ CLOUDFLARE_API_TOKEN: CANARY_ENV_TOKEN, CLOUDFLARE_API_BASE_URL: CANARY_URL }, () =>
        registeredText(freshModule(), { config: { "cloudflare:apiToken": CANARY_CONFIG_TOKEN }, secretKeys: ["cloudflare:apiToken"] }),
    );
}

/** The text the program registers, serialized with canaries in place; taken once per process. */
export const providerText: () => Promise<string> = once(serializeWithCanaries);

/** Mocha hooks: the text once, and a fresh host per test, handing `config` (full keys) to `configure`. */
export function useSerializedPolicy(config: Record<string, string> = {}): SerializedContext<string> {
    return useSerialized(providerText, config);
}

/** Fails if any secret (by default the API token and the canaries) occurs in the text. */
export function assertNoSecrets(text: string, secrets: readonly string[] = [API_TOKEN, CANARY_ENV_TOKEN, CANARY_CONFIG_TOKEN]): void {
    assertNoneOf(text, secrets);
}

// Words the tests expect in messages, and values several test files share.
export const RETRY = "then run Pulumi again";
export const URL_WORDS = "the API base URL (CLOUDFLARE_API_BASE_URL; default https://api.cloudflare.com/client/v4)";
export const DASHBOARD = `Cloudflare Zero Trust (Access > Applications > ${DOMAIN} > Policies)`;
