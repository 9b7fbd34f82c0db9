// The Heroku providers as the engine runs them. The engine never runs providers/heroku
// as written: it runs the text `pulumi.runtime.serializeFunction` made of it (the
// `__provider` input), which @pulumi/pulumi's dynamic provider host
// (cmd/dynamic-provider/index.js) rebuilds with require-from-string, caches per text,
// configures once, and calls. This helper gets the exact text the program registers and
// drives it the same way, so a test sees what an operator would see.
import { strict as assert } from "node:assert";
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";
import requireFromString = require("require-from-string");

import type * as herokuModule from "../../providers/heroku";
import { runWithMocks } from "../../scripts/lib/offline/mocks";

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

type Props = Record<string, unknown>;

// The host sends and answers every property map as a protobuf Struct: a value
// the Struct cannot hold (undefined, say) fails the call with "Unexpected
// struct type." before the engine sees the provider's answer.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(x: Props): { toJavaScript(): Props } } };

/** `x` after a trip through the wire, as the engine and the host exchange it. */
function wire(x: Props): Props {
    return Struct.fromJavaScript(x).toJavaScript();
}
type AnyProvider = pulumi.dynamic.ResourceProvider & { configure?(req: pulumi.dynamic.ConfigureRequest): Promise<void> };

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/heroku");

/**
 * A private copy of providers/heroku, imported now: its module-level provider objects
 * are built while the caller's environment is in place.
 */
export function freshProvidersModule(): typeof herokuModule {
    const inDir = (k: string) => k.startsWith(PROVIDERS_DIR + path.sep);
    const saved = Object.entries(require.cache).filter(([k]) => inDir(k));
    for (const [k] of saved) delete require.cache[k];
    try {
        return require(PROVIDERS_DIR) as typeof herokuModule;
    } finally {
        for (const k of Object.keys(require.cache)) if (inDir(k)) delete require.cache[k];
        for (const [k, m] of saved) require.cache[k] = m;
    }
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
    assert.equal(result.error, undefined, String(result.error));
    const text = (type: string) => {
        const [reg] = result.registrations.filter((r) => r.type === `pulumi-nodejs:dynamic/heroku:${type}`);
        assert.equal(typeof reg?.inputs.__provider, "string", `${type} registers a __provider text`);
        return reg.inputs.__provider as string;
    };
    return { authorization: text("Authorization"), configVars: text("ConfigVars") };
}

const ENV = ["HEROKU_API_KEY", "HEROKU_API_URL"];
let cached: Promise<ProviderTexts> | undefined;

/**
 * Serializes a freshly imported copy of the providers module with `apiKey` already in
 * HEROKU_API_KEY (and CANARY_API_URL in HEROKU_API_URL) when the module builds its
 * provider objects, and `configKey` in the secret stack config: any credential captured
 * at construction would be in the texts.
 */
export async function serializeWithCredentials(apiKey: string, configKey: string): Promise<ProviderTexts> {
    const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
    process.env.HEROKU_API_KEY = apiKey;
    process.env.HEROKU_API_URL = CANARY_API_URL;
    try {
        const mod = freshProvidersModule();
        return await registeredTexts(mod, { config: { "raxx-platform:herokuApiKey": configKey }, secretKeys: ["raxx-platform:herokuApiKey"] });
    } finally {
        for (const k of ENV) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    }
}

/** The texts the program registers, serialized with canary credentials in place (see `serializeWithCredentials`). */
export function providerTexts(): Promise<ProviderTexts> {
    cached ??= serializeWithCredentials(CANARY_API_KEY, CANARY_CONFIG_KEY);
    return cached;
}

/** The texts again, from a second, separately imported copy of the module (for determinism checks). */
export async function providerTextsAgain(): Promise<ProviderTexts> {
    return registeredTexts(freshProvidersModule());
}

/** The provider object the host would build from `text`. */
export function rebuild<T = AnyProvider>(text: string): T {
    return requireFromString(text).handler() as T;
}

/**
 * Calls providers the way the dynamic provider host does: one rebuilt, configured provider
 * per `__provider` text; `__provider` carried into every result; an `update` the provider
 * lacks leaves only `__provider`; and of an error only `message` reaches the engine.
 */
export class ProviderHost {
    private readonly cache = new Map<string, AnyProvider>();
    /** How many providers were rebuilt (one per distinct text). */
    rebuilt = 0;

    /** `config` is the stack config the host hands to `configure`, by key without the project. */
    constructor(private readonly config: Record<string, string> = {}) {}

    private async provider(props: Props): Promise<AnyProvider> {
        const text = props.__provider;
        assert.equal(typeof text, "string", "the engine always sends __provider");
        const known = this.cache.get(text as string);
        if (known !== undefined) return known;
        const provider: AnyProvider = rebuild(text as string);
        this.rebuilt++;
        this.cache.set(text as string, provider);
        if (provider.configure) {
            const get = (k: string) => this.config[k];
            await provider.configure({ config: { get, require: (k: string) => get(k) ?? assert.fail(`missing config ${k}`) } });
        }
        return provider;
    }

    private async relay<T>(call: () => Promise<T>): Promise<T> {
        try {
            return await call();
        } catch (e) {
            const err = e as { message?: unknown; id?: unknown };
            // grpcResponseFromError reads `e.id` as "created, but failed to initialize".
            assert.equal(err?.id, undefined, `a provider error carries an id (${String(err?.id)}): the engine would record a half-created resource`);
            throw new Error(String(err?.message));
        }
    }

    check(olds: Props, news: Props): Promise<{ inputs: Props; failures: pulumi.dynamic.CheckFailure[] }> {
        return this.relay(async () => {
            const p = await this.provider(news);
            const r = await p.check!(olds, news);
            return { inputs: wire({ ...(r.inputs ?? news), __provider: news.__provider }), failures: r.failures ?? [] };
        });
    }

    diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        return this.relay(async () => (await this.provider(news)).diff!(id, olds, news));
    }

    create(props: Props): Promise<{ id: string; outs: Props }> {
        return this.relay(async () => {
            const r = await (await this.provider(props)).create(props);
            return { id: r.id, outs: wire({ ...(r.outs ?? {}), __provider: props.__provider }) };
        });
    }

    read(id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }> {
        return this.relay(async () => {
            const r = await (await this.provider(props)).read!(id, props);
            const out: { id?: string; props?: Props; inputs?: Props } = { id: r.id, props: wire({ ...(r.props ?? {}), __provider: props.__provider }) };
            if (r.inputs) out.inputs = wire({ ...r.inputs, __provider: props.__provider });
            return out;
        });
    }

    update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
        return this.relay(async () => {
            const p = await this.provider(news);
            const r = p.update ? ((await p.update(id, olds, news)) ?? {}) : {};
            return { outs: wire({ ...(r.outs ?? {}), __provider: news.__provider }) };
        });
    }

    delete(id: string, props: Props): Promise<void> {
        return this.relay(async () => {
            const p = await this.provider(props);
            if (p.delete) await p.delete(id, props);
        });
    }
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
    const ctx = {} as { texts: ProviderTexts; host: ProviderHost };
    before(async () => {
        ctx.texts = await providerTexts();
    });
    beforeEach(() => {
        ctx.host = new ProviderHost();
    });
    return ctx;
}
