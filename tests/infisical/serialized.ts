// The Infisical provider as the engine runs it: the `__provider` text the program
// registers, rebuilt and driven the way @pulumi/pulumi's dynamic provider host does
// (tests/heroku/serialized.ts's ProviderHost), with canary credentials in the env and in
// the secret stack config while the module is imported and serialized.
import { strict as assert } from "node:assert";
import * as path from "node:path";

import type * as infisicalModule from "../../providers/infisical";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { ProviderHost } from "../heroku/serialized";

export { ProviderHost, rebuild } from "../heroku/serialized";

/** In the machine identity env vars while the module is imported and serialized; must never reach the text. */
export const CANARY_CLIENT_ID = "canary-identity-client-id-5e1f";
export const CANARY_CLIENT_SECRET = "canary-identity-client-secret-9d3b-do-not-leak";
export const CANARY_URL = "http://127.0.0.1:9/canary-infisical-url";
/** In the secret stack config at the same time. */
export const CANARY_CONFIG_SECRET = "canary-identity-secret-in-stack-config-4c7a";
/** The Access token and value the registered Secret carries (secret inputs, not part of the provider). */
export const CANARY_ACCESS_SECRET = "canary-access-client-secret-0b8e";
export const CANARY_VALUE = "canary-secret-value-6a2d";

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/infisical");
const ENV = ["INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_API_URL"];

/** A private copy of providers/infisical, imported now, with the caller's environment in place. */
export function freshModule(): typeof infisicalModule {
    const inDir = (k: string) => k.startsWith(PROVIDERS_DIR + path.sep);
    const saved = Object.entries(require.cache).filter(([k]) => inDir(k));
    for (const [k] of saved) delete require.cache[k];
    try {
        return require(PROVIDERS_DIR) as typeof infisicalModule;
    } finally {
        for (const k of Object.keys(require.cache)) if (inDir(k)) delete require.cache[k];
        for (const [k, m] of saved) require.cache[k] = m;
    }
}

/** The `__provider` text of one Secret declared with `mod`, under mocks. */
export async function registeredText(mod: typeof infisicalModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<string> {
    const result = await runWithMocks(() => {
        new mod.Secret("serialized-secret", {
            projectId: "proj-1",
            environment: "prod",
            path: "/MooseQuest/heroku",
            key: "HEROKU_PLATFORM_API_TOKEN",
            value: CANARY_VALUE,
            access: { clientId: "canary-access-id.access", clientSecret: CANARY_ACCESS_SECRET },
        });
    }, opts);
    assert.equal(result.error, undefined, String(result.error));
    const [reg] = result.registrations.filter((r) => r.type === "pulumi-nodejs:dynamic/infisical:Secret");
    assert.equal(typeof reg?.inputs.__provider, "string", "Secret registers a __provider text");
    return reg.inputs.__provider as string;
}

/** Serializes a fresh copy of the module with canaries in the env and the secret stack config. */
export async function serializeWithCanaries(): Promise<string> {
    const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
    process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID = CANARY_CLIENT_ID;
    process.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = CANARY_CLIENT_SECRET;
    process.env.INFISICAL_API_URL = CANARY_URL;
    try {
        return await registeredText(freshModule(), {
            config: { "raxx-platform:infisicalClientSecret": CANARY_CONFIG_SECRET, "raxx-platform:infisicalClientId": CANARY_CLIENT_ID },
            secretKeys: ["raxx-platform:infisicalClientSecret", "raxx-platform:infisicalClientId"],
        });
    } finally {
        for (const k of ENV) {
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

/** Registers mocha hooks: the text once, and a fresh host per test. */
export function useSerializedSecret(config: Record<string, string> = {}): { text: string; host: ProviderHost } {
    const ctx = {} as { text: string; host: ProviderHost };
    before(async () => {
        ctx.text = await providerText();
    });
    beforeEach(() => {
        ctx.host = new ProviderHost(config);
    });
    return ctx;
}
