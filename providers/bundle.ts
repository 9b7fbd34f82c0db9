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
// BundledResource writes that text itself: the provider export bundled by esbuild (the
// export and what it reaches in the repository; packages stay `require` calls, which
// resolve from the project in the provider host, as in the serializer's text), and a
// `handler` that returns it, built there as the module builds it here. Only what the
// provider reaches is in the text (esbuild drops the rest, the resource class included;
// each provider object is marked pure so that another module's is dropped too), so, as
// with the serializer, only a change to a provider's own code changes its text, and
// every resource of that type shows an update (each provider's diff reports a new text).
// Everything else is what `pulumi.dynamic.Resource` does: the type
// `pulumi-nodejs:dynamic/<module>:<type>`, and `__provider` refused in the inputs.
//
// So the text in state is still the whole provider's code, as the engine requires; it
// is made from the files on disk only, never from values of this process (no key,
// token or config value can be in it); and it is the same whichever transpiler runs
// the program.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as esbuild from "esbuild";

/** The repository root: bundles name their files relative to it, so the text is the same in every clone. */
const ROOT = path.resolve(__dirname, "..");

/** `__provider` texts by module file and export, for this process. */
const texts = new Map<string, string>();

/**
 * The `__provider` text for the provider that module `mod` exports as `exportName`: that
 * export's bundle, whose `handler` returns it.
 */
export function providerText(mod: NodeJS.Module, exportName: string): string {
    const provider = (mod.exports as Record<string, unknown>)[exportName];
    if (typeof provider !== "object" || provider === null || typeof (provider as { create?: unknown }).create !== "function") {
        throw new Error(`${path.relative(ROOT, mod.filename)} exports no provider object named ${exportName}`);
    }
    const key = `${mod.filename}\0${exportName}`;
    let text = texts.get(key);
    if (text === undefined) {
        text = `${bundleExport(mod.filename, exportName)}module.exports.handler = () => module.exports[${JSON.stringify(exportName)}];\n`;
        texts.set(key, text);
    }
    return text;
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

/**
 * The export `exportName` of `file`, and what it reaches in the repository, as one CommonJS
 * module's text; packages stay `require`s.
 */
export function bundleExport(file: string, exportName: string): string {
    const relative = path.relative(ROOT, file).split(path.sep).join("/");
    try {
        const result = esbuild.buildSync({
            stdin: {
                contents: `export { ${exportName} } from ${JSON.stringify(`./${relative}`)};\n`,
                resolveDir: ROOT,
                sourcefile: `${relative}#${exportName}`,
                // Stryker disable next-line StringLiteral: this one line, `export { name } from "<file>"`, reads the same as JavaScript (esbuild's default); each file it reaches gets the loader of its extension
                loader: "ts",
            },
            absWorkingDir: ROOT,
            bundle: true,
            packages: "external",
            platform: "node",
            // Stryker disable next-line StringLiteral: esbuild's default format, when bundling for platform "node", is cjs
            format: "cjs",
            target: "es2022",
            tsconfig: path.join(ROOT, "tsconfig.json"),
            legalComments: "none",
            logLevel: "silent",
            write: false,
        });
        return result.outputFiles[0].text;
    } catch (e) {
        // Stryker disable next-line ArrayDeclaration: a list of one string is as empty as [] here: a string has no location and no text, so it joins to "" and the message is used
        const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
        const detail = errors.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text)).join("; ");
        throw new Error(`cannot bundle ${exportName} of ${relative}: ${detail || (e as Error).message}`);
    }
}
