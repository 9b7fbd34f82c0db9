// The Heroku providers as the engine runs them: the `__provider` texts the program
// registers, with canary credentials in the env and in the secret stack config while the
// module is imported and serialized, driven through tests/harness/serializedProvider.ts's
// emulation of the dynamic provider host.
import * as path from "node:path";

import type * as herokuModule from "../../providers/heroku";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { freshModule, once, registeredProviderText, useSerialized, withEnv } from "../harness/serializedProvider";
import type { ProviderHost } from "../harness/serializedProvider";

export { ProviderHost, rebuild } from "../harness/serializedProvider";

/** In HEROKU_API_KEY while the providers module is imported and serialized; must never reach the text. */
export const CANARY_API_KEY = "HRKU-canary-set-before-the-providers-were-built";
/** The same, in Heroku's older bare-UUID key format, which redact()'s HRKU- pattern would not catch. */
export const CANARY_UUID_API_KEY = "3f0c9a51-8e2d-4b7a-a6c4-d2e1f0b9c8a7";
/** In HEROKU_API_URL at the same time. */
export const CANARY_API_URL = "http://127.0.0.1:9/canary-heroku-url";
/** The secret stack config key at the same time. */
export const CANARY_CONFIG_KEY = "HRKU-canary-in-secret-stack-config";

export interface ProviderTexts {
    readonly authorization: string;
    readonly configVars: string;
}

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/heroku");

/**
 * A private copy of providers/heroku, imported now: its module-level provider objects
 * are built while the caller's environment is in place.
 */
export function freshProvidersModule(): typeof herokuModule {
    return freshModule<typeof herokuModule>(PROVIDERS_DIR);
}

/** The `__provider` texts of one Authorization and one ConfigVars declared with `mod`, under mocks. */
export async function registeredTexts(mod: typeof herokuModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<ProviderTexts> {
    const result = await runWithMocks(
        () => {
            const token = new mod.Authorization("serialized-token", { scope: ["global"], description: "raxx-platform-token-2026-05-06" });
            new mod.ConfigVars("serialized-vars", { app: "raxx-api-prod", secretVars: { HEROKU_API_KEY: token.token } });
        },
        { ...opts, outputs: ({ type }) => (type.endsWith(":Authorization") ? { token: "HRKU-mock-token", authorizationId: "auth-1" } : undefined) },
    );
    return {
        authorization: registeredProviderText(result, "pulumi-nodejs:dynamic/heroku:Authorization"),
        configVars: registeredProviderText(result, "pulumi-nodejs:dynamic/heroku:ConfigVars"),
    };
}

/**
 * Serializes a freshly imported copy of the providers module with `apiKey` already in
 * HEROKU_API_KEY (and CANARY_API_URL in HEROKU_API_URL) when the module builds its
 * provider objects, and `configKey` in the secret stack config: any credential captured
 * at construction would be in the texts.
 */
export function serializeWithCredentials(apiKey: string, configKey: string): Promise<ProviderTexts> {
    return withEnv({ HEROKU_API_KEY: apiKey, HEROKU_API_URL: CANARY_API_URL }, () =>
        registeredTexts(freshProvidersModule(), { config: { "raxx-platform:herokuApiKey": configKey }, secretKeys: ["raxx-platform:herokuApiKey"] }),
    );
}

/** The texts the program registers, serialized with canary credentials in place (see `serializeWithCredentials`); taken once per process. */
export const providerTexts: () => Promise<ProviderTexts> = once(() => serializeWithCredentials(CANARY_API_KEY, CANARY_CONFIG_KEY));

/** The texts again, from a second, separately imported copy of the module (for determinism checks). */
export async function providerTextsAgain(): Promise<ProviderTexts> {
    return registeredTexts(freshProvidersModule());
}

/** What the serialized-provider tests share: the providers' texts, and a host per test. */
export interface SerializedProviders {
    /** The exact `__provider` texts the program registers; taken once per file. */
    readonly texts: ProviderTexts;
    /** A fresh host for each test, so no provider object (and its cache) outlives a test. */
    readonly host: ProviderHost;
}

/** Registers the mocha hooks that fill in a `SerializedProviders`. */
export function useSerializedProviders(): SerializedProviders {
    const ctx = useSerialized(providerTexts);
    return {
        get texts() {
            return ctx.text;
        },
        get host() {
            return ctx.host;
        },
    };
}
