// The dynamic providers as the engine runs them. The engine never runs providers/<name>
// as written: it runs the text the resource registered as its `__provider` input (the
// provider's bundle, providers/bundle.ts), which @pulumi/pulumi's dynamic provider host
// (cmd/dynamic-provider/index.js) rebuilds with require-from-string, caches per text,
// configures once, and calls. These helpers get the exact text a program registers,
// with canary credentials in place while the module is imported and serialized, and
// drive it the same way, so a test sees what an operator would see. What is
// provider-specific (the module, what it declares, the canaries) stays in each
// provider's own test helpers.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";
import requireFromString = require("require-from-string");

import type { MockRunResult } from "../../scripts/lib/offline/mocks";

export type Props = Record<string, unknown>;

// The host sends and answers every property map as a protobuf Struct: a value
// the Struct cannot hold (undefined, say) fails the call with "Unexpected
// struct type." before the engine sees the provider's answer.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(x: Props): { toJavaScript(): Props } } };

/** `x` after a trip through the wire, as the engine and the host exchange it. */
function wire(x: Props): Props {
    return Struct.fromJavaScript(x).toJavaScript();
}

export type AnyProvider = pulumi.dynamic.ResourceProvider & { configure?(req: pulumi.dynamic.ConfigureRequest): Promise<void> };

/** The repository's root: a serialized text that names it (or node_modules' real path) differs between checkouts. */
const ROOT = path.resolve(__dirname, "../..");

/**
 * A private copy of the module in `dir` (a folder of providers/), imported now: its
 * module-level provider objects are built while the caller's environment is in place.
 * The copies already in the require cache are put back afterwards.
 */
export function freshModule<T>(dir: string): T {
    const inDir = (k: string) => k.startsWith(dir + path.sep);
    const saved = Object.entries(require.cache).filter(([k]) => inDir(k));
    for (const [k] of saved) delete require.cache[k];
    try {
        return require(dir) as T;
    } finally {
        for (const k of Object.keys(require.cache)) if (inDir(k)) delete require.cache[k];
        for (const [k, m] of saved) require.cache[k] = m;
    }
}

/**
 * The module `file` (a path require resolves) loaded anew, so that what its load runs (a
 * module-level table or constant) runs inside the test that calls this: under `npm run mutate`
 * Stryker puts what a module's load reaches down to the test running at the time
 * (docs/mutation.md). The cached copy stays in place.
 */
export function freshCopy<T>(file: string): T {
    const resolved = require.resolve(file);
    const saved = require.cache[resolved];
    delete require.cache[resolved];
    try {
        return require(resolved) as T;
    } finally {
        require.cache[resolved] = saved;
    }
}

/** Runs `run` with `env` set in process.env, then puts each of those variables back (deleting those that were unset). */
export async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
        return await run();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

/** The `__provider` text of the first registration of `type` (e.g. `pulumi-nodejs:dynamic/heroku:ConfigVars`) in a run that must not have failed. */
export function registeredProviderText(result: MockRunResult, type: string): string {
    assert.equal(result.error, undefined, String(result.error));
    const [reg] = result.registrations.filter((r) => r.type === type);
    assert.equal(typeof reg?.inputs.__provider, "string", `${type.split(":").pop()} registers a __provider text`);
    return reg.inputs.__provider as string;
}

/** `make`, called on the first call only: its promise is shared by every later call in the process. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
}

/** Fails unless the serialized text is a module exporting `handler` that holds none of `canaries` (what was in the env and the stack config while it was made). */
export function assertNoCanary(text: string, canaries: readonly string[]): void {
    assert.ok(text.includes("exports.handler"));
    for (const canary of canaries) assert.ok(!text.includes(canary), `the serialized provider captured ${canary}`);
}

/** Fails if the serialized text names the checkout (its root, or node_modules' real path): another checkout would serialize another text. */
export function assertNoLocalPath(text: string): void {
    for (const local of [ROOT, fs.realpathSync(path.join(ROOT, "node_modules"))]) assert.ok(!text.includes(local), `the text names ${local}`);
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

    /**
     * `config` is the stack config the host hands to `configure`, by the key the provider asks for (`herokuApiKey` in the project's namespace, `cloudflare:apiToken`).
     * `initFailures`: a provider whose create may fail after making its resource, and says so with the error's `id` and `properties`
     * (what the host sends the engine as ErrorResourceInitFailed, which records the resource and updates it on the next `up`).
     */
    constructor(
        private readonly config: Record<string, string> = {},
        private readonly opts: { initFailures?: boolean } = {},
    ) {}

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
            const err = e as { message?: unknown; id?: unknown; properties?: unknown };
            // grpcResponseFromError reads `e.id` as "created, but failed to initialize".
            if (this.opts.initFailures && err?.id !== undefined) {
                throw Object.assign(new Error(String(err?.message)), { id: String(err.id), properties: wire((err.properties ?? {}) as Props) });
            }
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

/** A new resource as the engine makes it: `check`, which must report no failure, then `create` with the checked inputs. */
export async function checkedCreate(host: ProviderHost, news: Props): Promise<{ id: string; outs: Props }> {
    const checked = await host.check({}, news);
    assert.deepEqual(checked.failures, []);
    return host.create(checked.inputs);
}

/** A change as the engine makes it: `check` with no failure, a `diff` that updates in place, then `update`; returns the new outputs. */
export async function checkedUpdate(host: ProviderHost, id: string, olds: Props, news: Props): Promise<Props> {
    const checked = await host.check(olds, news);
    assert.deepEqual(checked.failures, []);
    const diff = await host.diff(id, olds, checked.inputs);
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false }, "the engine would update in place");
    return (await host.update(id, olds, checked.inputs)).outs;
}

/** What a serialized-provider test file shares: the registered text(s), taken once, and a host per test. */
export interface SerializedContext<T> {
    /** What `load` returned: the exact `__provider` text(s) the program registers. */
    readonly text: T;
    /** A fresh host for each test, so no provider object (and its cache) outlives a test. */
    readonly host: ProviderHost;
}

/** Mocha hooks that fill in a `SerializedContext`: `load()` before the file's tests, a host handing `config` to `configure` before each. */
export function useSerialized<T>(load: () => Promise<T>, config: Record<string, string> = {}, opts: { initFailures?: boolean } = {}): SerializedContext<T> {
    const ctx = {} as { text: T; host: ProviderHost };
    before(async () => {
        ctx.text = await load();
    });
    beforeEach(() => {
        ctx.host = new ProviderHost(config, opts);
    });
    return ctx;
}
