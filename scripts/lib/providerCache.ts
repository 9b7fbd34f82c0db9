// A disk cache of the dynamic providers' serialized text, for the CLI tools only.
//
// Registering a dynamic resource serializes its provider (Pulumi's closure
// serializer walks every function and object the provider reaches, through
// the inspector): about a second per provider, and the program has four. The
// text depends only on the provider's own state and the code under
// providers/, so this keeps it under node_modules/.cache, keyed by the
// source of the provider's classes and its state, every file under providers/,
// the compiler options (the text is of the transpiled code), and the
// @pulumi/pulumi, TypeScript, ts-node and Node.js versions. A changed provider
// file serializes afresh. Only the classes providers/ exports are cached: the
// code of anything else (a closure, an object literal) is not in the key.
//
// Importing this module installs the cache only when the process's main module
// is a script under scripts/; in tests (mocha is the main module), every
// provider is serialized as the engine would, which the serialized-provider
// tests rely on. Any cache error falls back to serializing.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "raxx-platform-providers");

export type Serialize = (func: () => unknown, args?: { allowSecrets?: boolean }) => Promise<unknown>;

/** Every file under providers/, by path and content. */
function providersDigest(): string {
    const hash = crypto.createHash("sha256");
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else hash.update(`${path.relative(ROOT, file)}\0${fs.readFileSync(file, "utf8")}\0`);
        }
    };
    walk(path.join(ROOT, "providers"));
    return hash.digest("hex");
}

/** The provider classes the cache may answer for: those under providers/, whose code the digest covers. */
export type KnownProvider = (provider: object) => boolean;

/** Every class the provider modules export whose instances are dynamic providers. */
function providersUnderProviders(): KnownProvider {
    const classes = new Set<unknown>();
    for (const name of ["heroku", "infisical", "cloudflare"]) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        for (const value of Object.values(require(path.join(ROOT, "providers", name)) as Record<string, unknown>)) {
            if (typeof value === "function" && typeof (value.prototype as { create?: unknown } | undefined)?.create === "function") classes.add(value);
        }
    }
    return (provider) => classes.has(provider.constructor);
}

/** The source of every class from the provider's up to Object: what the serialized text is made of, with the state. */
function classSources(provider: object): string {
    const sources: string[] = [];
    for (let proto = Object.getPrototypeOf(provider) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
        sources.push(String((proto as { constructor?: unknown }).constructor));
    }
    return sources.join("\0");
}

/**
 * `serialize`, with the result for each provider that `known` admits kept in
 * `dir` under `salt`, its classes' code and its state. Anything else (another
 * provider, whose code a key cannot see: a closure, an object literal) is
 * serialized every time.
 */
export function withProviderCache(serialize: Serialize, dir: string, salt: string, known: KnownProvider): Serialize {
    return async (func, args) => {
        let file: string | undefined;
        try {
            // The dynamic resource serializes `() => provider`: the provider is what it returns.
            const provider = func.length === 0 ? func() : undefined;
            if (typeof provider === "object" && provider !== null && known(provider)) {
                // util.inspect, not JSON: JSON writes NaN and Infinity alike, and drops undefined and functions.
                const inspect = (x: unknown) => util.inspect(x, { depth: Infinity, sorted: true, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
                const state = `${classSources(provider)}\0${inspect(provider)}\0${inspect(args ?? {})}`;
                file = path.join(dir, `${crypto.createHash("sha256").update(`${salt}\0${state}`).digest("hex")}.json`);
                return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
            }
        } catch {
            // Not cached yet, or unreadable: serialize.
        }
        const result = await serialize(func, args);
        if (file !== undefined) {
            try {
                const tmp = `${file}.${process.pid}.tmp`;
                fs.writeFileSync(tmp, JSON.stringify(result));
                fs.renameSync(tmp, file);
            } catch {
                // A read-only tree: run uncached.
            }
        }
        return result;
    };
}

function install(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: Serialize };
    let salt: string;
    let known: KnownProvider;
    try {
        known = providersUnderProviders();
        const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
        const tsconfig = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
        const tsNodeEnv = Object.keys(process.env).filter((k) => k.startsWith("TS_NODE_")).sort().map((k) => `${k}=${process.env[k]}`);
        salt = [version("@pulumi/pulumi"), version("typescript"), version("ts-node"), process.version, tsconfig, ...tsNodeEnv, providersDigest()].join("|");
        fs.mkdirSync(CACHE, { recursive: true });
    } catch {
        return;
    }
    closure.serializeFunction = withProviderCache(closure.serializeFunction, CACHE, salt, known);
}

const main = require.main?.filename ?? "";
if (main.startsWith(path.join(ROOT, "scripts") + path.sep) && !process.env.RAXX_NO_PROVIDER_CACHE) install();
