// What the engine runs for each dynamic provider: its module, bundled.
//
// A dynamic resource carries its provider as text, the `__provider` input: the dynamic
// provider host (@pulumi/pulumi cmd/dynamic-provider) loads the text as a CommonJS
// module, calls its `handler()` once per distinct text, and calls the provider object
// that returns. `pulumi.dynamic.Resource` makes that text with Pulumi's closure
// serializer, which walks every function and object the provider reaches, through the
// inspector, and parses each function with TypeScript: for our providers 0.2 to 0.4 s
// each, on every preview and up (nine providers: 1.8 of the 4.3 s the prod program
// took), and the result depends on what the language host's transpiler emitted.
//
// BundledResource writes that text itself: the provider module bundled by esbuild (its
// own files and what it imports from the repository; packages stay `require` calls,
// which resolve from the project in the provider host, as in the serializer's text),
// and a `handler` that returns the module's own provider export, built there as the
// module builds it here. Everything else is what `pulumi.dynamic.Resource` does: the
// type `pulumi-nodejs:dynamic/<module>:<type>`, and `__provider` refused in the inputs.
//
// So the text in state is still the whole provider's code, as the engine requires; it
// is made from the files on disk only, never from values of this process (no key,
// token or config value can be in it); and it is the same whichever transpiler runs
// the program.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The repository root: bundles name their files relative to it, so the text is the same in
 * every clone. A function, not a constant: the bundle's top level runs in the provider
 * host, which has no `__dirname`.
 */
function root(): string {
    return path.resolve(__dirname, "..");
}

/**
 * The `__provider` text for the provider that module `mod` exports as `exportName`: the
 * module's bundle, whose `handler` returns that export.
 */
export function providerText(mod: NodeJS.Module, exportName: string): string {
    const provider = (mod.exports as Record<string, unknown>)[exportName];
    if (typeof provider !== "object" || provider === null || typeof (provider as { create?: unknown }).create !== "function") {
        throw new Error(`${path.relative(root(), mod.filename)} exports no provider object named ${exportName}`);
    }
    return `${bundle(mod.filename)}module.exports.handler = () => module.exports[${JSON.stringify(exportName)}];\n`;
}

/**
 * A dynamic resource whose provider is the export `exportName` of module `mod` (pass the
 * provider module's own `module`), as the engine will run it: `pulumi.dynamic.Resource`,
 * with the provider text made by bundling instead of by the closure serializer.
 */
export abstract class BundledResource extends pulumi.CustomResource {
    constructor(mod: NodeJS.Module, exportName: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, module: string, type: string) {
        if (props.__provider !== undefined) throw new Error("A dynamic resource must not define the __provider key");
        super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, __provider: providerText(mod, exportName) }, opts);
    }
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
