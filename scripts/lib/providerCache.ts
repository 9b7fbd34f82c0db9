// A disk cache of the dynamic providers' serialized text, for the CLI tools only.
//
// Registering a dynamic resource serializes its provider (Pulumi's closure
// serializer walks every function and object the provider reaches, through
// the inspector): about a second per provider, and the program has four. The
// text depends only on the provider's own state and the code under
// providers/, so this keeps it under node_modules/.cache, keyed by the
// provider's class and state, every file under providers/, the compiler
// options (the text is of the transpiled code), and the @pulumi/pulumi,
// TypeScript and Node.js versions. A changed provider file serializes afresh.
//
// Importing this module installs the cache only when the process's main module
// is a script under scripts/; in tests (mocha is the main module), every
// provider is serialized as the engine would, which the serialized-provider
// tests rely on. Any cache error falls back to serializing.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

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

/** A dynamic provider: an object whose class has a create method. */
function isDynamicProvider(x: unknown): x is object {
    return typeof x === "object" && x !== null && typeof (x as { create?: unknown }).create === "function";
}

/**
 * `serialize`, with each dynamic provider's result kept in `dir` under `salt`
 * and its class and state. Anything else is serialized every time.
 */
export function withProviderCache(serialize: Serialize, dir: string, salt: string): Serialize {
    return async (func, args) => {
        let file: string | undefined;
        try {
            // The dynamic resource serializes `() => provider`: the provider is what it returns.
            const provider = func.length === 0 ? func() : undefined;
            if (isDynamicProvider(provider)) {
                const state = `${provider.constructor.name}\0${JSON.stringify(provider)}\0${JSON.stringify(args ?? {})}`;
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
    try {
        const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
        const tsconfig = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
        salt = `${version("@pulumi/pulumi")}|${version("typescript")}|${process.version}|${tsconfig}|${providersDigest()}`;
        fs.mkdirSync(CACHE, { recursive: true });
    } catch {
        return;
    }
    closure.serializeFunction = withProviderCache(closure.serializeFunction, CACHE, salt);
}

const main = require.main?.filename ?? "";
if (main.startsWith(path.join(ROOT, "scripts") + path.sep) && !process.env.RAXX_NO_PROVIDER_CACHE) install();
