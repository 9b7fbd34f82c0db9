// What the engine runs for each dynamic provider: its module, bundled.
//
// A dynamic resource carries its provider as text (`__provider`), which Pulumi makes
// with its closure serializer: it walks every function and object the provider
// reaches, through the inspector, and parses each function with TypeScript. For our
// providers that cost 0.2 to 0.4 s each, on every preview and up (nine providers: 1.8
// of the 4.3 s the prod program took), and it serializes whatever the language host's
// transpiler emitted, so a change of transpiler could break the text.
//
// Instead, each provider module is bundled with esbuild (its own files and those it
// imports, with node_modules left as `require` calls, resolved from the project in the
// provider host, as the serializer's text does), and the resource is given a small
// stand-in that holds the bundle's text and the name of the module's provider export.
// The serializer walks only the stand-in. In the provider host, the stand-in's first
// call runs the bundle once and hands every call to the module's own provider object,
// which is built there exactly as the module builds it here.
//
// So the text in state is still the whole provider's code, as the engine requires; it
// is the same whichever transpiler runs the program; and a provider's code reaches the
// text only through the files on disk, never through values of this process (no key,
// token or config value can be in it).
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** The methods the dynamic provider host calls; a stand-in has exactly those its provider has. */
export const PROVIDER_METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/**
 * The repository root: bundles name their files relative to it, so the text is the same in
 * every clone. A function, not a constant: the bundle's top level runs in the provider
 * host, which has no `__dirname`.
 */
function root(): string {
    return path.resolve(__dirname, "..");
}

/** One stand-in per provider export, so the SDK serializes each once per program run. */
const standIns = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The provider that module `mod` exports as `exportName`, as a stand-in that runs the
 * bundle of `mod`'s file in the provider host. Call it from the resource's constructor
 * (never at a module's top level: the bundle runs that in the host).
 */
export function bundledProvider(mod: NodeJS.Module, exportName: string): pulumi.dynamic.ResourceProvider {
    const key = `${mod.filename}\0${exportName}`;
    let standIn = standIns.get(key);
    if (standIn === undefined) {
        const provider = (mod.exports as Record<string, unknown>)[exportName];
        if (typeof provider !== "object" || provider === null || typeof (provider as { create?: unknown }).create !== "function") {
            throw new Error(`${path.relative(root(), mod.filename)} exports no provider object named ${exportName}`);
        }
        const methods = PROVIDER_METHODS.filter((m) => typeof (provider as Record<string, unknown>)[m] === "function");
        standIn = hostStandIn(bundle(mod.filename), exportName, methods);
        standIns.set(key, standIn);
    }
    return standIn;
}

/** Bundle texts by file, for this process. */
const texts = new Map<string, string>();

/**
 * `file` and what it imports from the repository as one CommonJS module's text; packages
 * stay `require`s. The first call also bundles every other provider module loaded by then,
 * in the same esbuild run (one run costs about as much as one bundle; the text of each is
 * the same either way).
 */
export function bundle(file: string): string {
    let text = texts.get(file);
    if (text === undefined) {
        for (const [entry, out] of bundleFiles([file, ...loadedProviderModules().filter((f) => f !== file && !texts.has(f))])) texts.set(entry, out);
        text = texts.get(file) as string;
    }
    return text;
}

/** Files under providers/ that this process has loaded and that export a provider object. */
function loadedProviderModules(): string[] {
    const dir = path.join(root(), "providers") + path.sep;
    return Object.values(require.cache)
        .filter((m): m is NodeJS.Module => m !== undefined && m.filename.startsWith(dir) && m.filename.endsWith(".ts"))
        .filter((m) => Object.values(m.exports as Record<string, unknown>).some((x) => typeof x === "object" && x !== null && typeof (x as { create?: unknown }).create === "function"))
        .map((m) => m.filename);
}

/** One esbuild run over `files`: each file's bundle, by file. */
function bundleFiles(files: readonly string[]): Map<string, string> {
    // Loaded here, not at the top: the bundle itself contains this module, and runs in the host.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    const ROOT = root();
    const outdir = path.join(ROOT, ".bundle");
    let result: import("esbuild").BuildResult<{ write: false; metafile: true }>;
    try {
        result = esbuild.buildSync({
            entryPoints: [...files],
            absWorkingDir: ROOT,
            outbase: ROOT,
            outdir,
            bundle: true,
            packages: "external",
            platform: "node",
            format: "cjs",
            target: "es2022",
            tsconfig: path.join(ROOT, "tsconfig.json"),
            legalComments: "none",
            logLevel: "silent",
            metafile: true,
            write: false,
        });
    } catch (e) {
        const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
        const detail = errors.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text)).join("; ");
        throw new Error(`cannot bundle the provider modules ${files.map((f) => path.relative(ROOT, f)).join(", ")}: ${detail || (e as Error).message}`);
    }
    // Each output's entry point, as esbuild names it (relative to ROOT), back to the file it came from.
    const outputs = new Map(result.outputFiles.map((o) => [o.path, o.text]));
    const byEntry = new Map<string, string>();
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
        const text = outputs.get(path.resolve(ROOT, out));
        if (meta.entryPoint !== undefined && text !== undefined) byEntry.set(path.resolve(ROOT, meta.entryPoint), text);
    }
    return new Map(
        files.map((f) => {
            const text = byEntry.get(f);
            if (text === undefined) throw new Error(`esbuild wrote no bundle for ${path.relative(ROOT, f)}`);
            return [f, text];
        }),
    );
}

/** A stand-in: the bundle's text and export, and in the provider host the module's provider once loaded. */
interface StandIn {
    readonly code: string;
    readonly exportName: string;
    loaded?: Record<string, (...args: unknown[]) => unknown>;
}

/**
 * The module's provider object, from running the bundle the first time. Kept on the
 * stand-in, not in a captured variable: the serializer rebuilds a function's captured
 * variables on every call, while the host keeps one stand-in object per text.
 */
function loadBundled(self: StandIn): Record<string, (...args: unknown[]) => unknown> {
    if (self.loaded === undefined) {
        const loaded = { exports: {} as Record<string, unknown> };
        new Function("exports", "require", "module", self.code)(loaded.exports, require, loaded);
        Object.defineProperty(self, "loaded", { value: loaded.exports[self.exportName], enumerable: false });
    }
    return self.loaded as Record<string, (...args: unknown[]) => unknown>;
}

/**
 * The stand-in the closure serializer sees: the bundle's text and the export's name, and
 * one plain function per provider method that loads the bundle and hands the call on.
 * `require` is the provider host's own (the serializer never captures it), so packages
 * resolve from the project there.
 */
export function hostStandIn(code: string, exportName: string, methods: readonly string[]): pulumi.dynamic.ResourceProvider {
    const standIn: StandIn & Record<string, unknown> = { code, exportName };
    for (const method of methods) {
        standIn[method] = function (this: StandIn, ...args: unknown[]) {
            return loadBundled(this)[method](...args);
        };
    }
    return standIn as unknown as pulumi.dynamic.ResourceProvider;
}
