// The Infisical provider as the engine runs it: the `__provider` text the program
// registers, with canary credentials in the env and in the secret stack config while the
// module is imported and serialized, driven through tests/harness/serializedProvider.ts's
// emulation of the dynamic provider host.
import * as path from "node:path";

import type * as infisicalModule from "../../providers/infisical";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { SerializedContext, freshModule as freshCopy, once, registeredProviderText, useSerialized, withEnv } from "../harness/serializedProvider";
import { ENVIRONMENT, KEY, PATH } from "./helpers";

export { ProviderHost, rebuild } from "../harness/serializedProvider";

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

/** A private copy of providers/infisical, imported now, with the caller's environment in place. */
export function freshModule(): typeof infisicalModule {
    return freshCopy<typeof infisicalModule>(PROVIDERS_DIR);
}

/** Declares one Secret with `mod`, carrying the canary value and Access secret (secret inputs, never part of the provider). */
export function declareSecret(mod: typeof infisicalModule, name: string): void {
    new mod.Secret(name, {
        projectId: "proj-1",
        environment: ENVIRONMENT,
        path: PATH,
        key: KEY,
        value: CANARY_VALUE,
        access: { clientId: "canary-access-id.access", clientSecret: CANARY_ACCESS_SECRET },
    });
}

/** The `__provider` text of one Secret declared with `mod`, under mocks. */
export async function registeredText(mod: typeof infisicalModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<string> {
    const result = await runWithMocks(() => declareSecret(mod, "serialized-secret"), opts);
    return registeredProviderText(result, "pulumi-nodejs:dynamic/infisical:Secret");
}

/** Serializes a fresh copy of the module with canaries in the env and the secret stack config. */
export function serializeWithCanaries(): Promise<string> {
    const env = { INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: CANARY_CLIENT_ID, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: CANARY_CLIENT_SECRET, INFISICAL_API_URL: CANARY_URL };
    return withEnv(env, () =>
        registeredText(freshModule(), {
            config: { "raxx-platform:infisicalClientSecret": CANARY_CONFIG_SECRET, "raxx-platform:infisicalClientId": CANARY_CLIENT_ID },
            secretKeys: ["raxx-platform:infisicalClientSecret", "raxx-platform:infisicalClientId"],
        }),
    );
}

/** The text the program registers, serialized with canaries in place; taken once per process. */
export const providerText: () => Promise<string> = once(serializeWithCanaries);

/** Registers mocha hooks: the text once, and a fresh host per test handing `config` to `configure`. */
export function useSerializedSecret(config: Record<string, string> = {}): SerializedContext<string> {
    return useSerialized(providerText, config);
}
