// ts-node's transpiler for this project (tsconfig.json, "ts-node".transpiler): esbuild,
// in place of TypeScript's own transpileModule.
//
// Every run of the program (the Pulumi language host, npm test, the tools) transpiles
// it with ts-node, type checks off (`npm run typecheck`, in npm test, is the check).
// TypeScript's transpiler costs some 0.6 s of warm-up in each process before the first
// file; esbuild's costs nothing to speak of. ts-node's built-in swc mode would do the
// same, but its native module adds some 40 MiB to every run. The interface is ts-node's
// (ts-node/dist/transpilers/types.d.ts): `create` returns `transpile`, which returns
// the JavaScript and its source map; ts-node inlines the map, so stack traces keep
// naming the .ts lines.
//
// esbuild's synchronous calls each cross to its service process (some 4 ms a call on
// 2 cores), so the first call transpiles the whole program (every .ts file of the
// program's folders) in one esbuild run, and each file is then answered from that,
// when the text ts-node hands over is the text that run read. Anything else (a test, a
// file changed since) is transpiled on its own, with the same options.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
/** What the program is made of, for the one esbuild run up front: index.ts and what it loads, and the tools. */
const PROGRAM = ["index.ts", "config.ts", "components", "providers", "scripts"];

/** TypeScript's ScriptTarget numbers (ts.ScriptTarget) to esbuild's target names. */
const TARGETS = { 2: "es2015", 3: "es2016", 4: "es2017", 5: "es2018", 6: "es2019", 7: "es2020", 8: "es2021", 9: "es2022", 10: "es2023", 99: "esnext" };

/** Every .ts file under `entry` (a file or a folder of ROOT). */
function tsFiles(entry) {
    const full = path.join(ROOT, entry);
    let stat;
    try {
        stat = fs.statSync(full);
    } catch {
        return [];
    }
    if (!stat.isDirectory()) return full.endsWith(".ts") ? [full] : [];
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => tsFiles(path.join(entry, e.name)));
}

exports.create = function create(createOptions) {
    const options = createOptions.service.config.options;
    const target = TARGETS[options.target];
    if (target === undefined) throw new Error(`tools/ts-node-esbuild.js: compilerOptions.target ${options.target} has no esbuild target; use es2015 or later`);
    // What esbuild reads from a tsconfig, from the one ts-node parsed (so tsconfig.pulumi.json's own settings count).
    const tsconfigRaw = {
        compilerOptions: {
            target,
            // Strict mode, as tsc emits it ("use strict") under `strict`: the bundles the engine runs are strict too.
            strict: options.strict,
            alwaysStrict: options.alwaysStrict,
            useDefineForClassFields: options.useDefineForClassFields,
            experimentalDecorators: options.experimentalDecorators,
            verbatimModuleSyntax: options.verbatimModuleSyntax,
            preserveValueImports: options.preserveValueImports,
            importsNotUsedAsValues: options.importsNotUsedAsValues === undefined ? undefined : ["remove", "preserve", "error"][options.importsNotUsedAsValues],
            esModuleInterop: options.esModuleInterop,
        },
    };
    const common = {
        format: "cjs",
        platform: "node",
        target,
        tsconfigRaw,
        sourcemap: "external",
        // `import()` as a require, as tsc emits it for CommonJS: Node's own import() cannot load a .ts file.
        supported: { "dynamic-import": false },
        logLevel: "silent",
    };

    /** By file: the source the batch read, and its JavaScript and map. Built on the first call. */
    let batch;
    /** One esbuild run over `files`: its outputs by path, or the files it could not parse. */
    function build(files) {
        try {
            const result = esbuild.buildSync({ ...common, entryPoints: files, absWorkingDir: ROOT, outbase: ROOT, outdir: path.join(ROOT, ".transpiled"), bundle: false, write: false });
            return { outputs: new Map(result.outputFiles.map((o) => [o.path, o.text])) };
        } catch (e) {
            const broken = new Set((e.errors ?? []).flatMap((x) => (x.location ? [path.resolve(ROOT, x.location.file)] : [])));
            return { broken };
        }
    }
    function programBatch() {
        let files = PROGRAM.flatMap(tsFiles);
        const sources = new Map(files.map((f) => [f, fs.readFileSync(f, "utf8")]));
        let run = build(files);
        if (run.broken !== undefined && run.broken.size > 0) {
            // A file that does not parse is left to its own transform, whose error names it when ts-node loads it.
            files = files.filter((f) => !run.broken.has(f));
            run = build(files);
        }
        const out = new Map();
        if (run.outputs === undefined) return out;
        for (const file of files) {
            const js = path.join(ROOT, ".transpiled", path.relative(ROOT, file)).replace(/\.ts$/, ".js");
            const code = run.outputs.get(js);
            const map = run.outputs.get(`${js}.map`);
            // esbuild read the file itself: keep it only if it still holds the text read before the run.
            if (code !== undefined && map !== undefined && fs.readFileSync(file, "utf8") === sources.get(file)) out.set(file, { source: sources.get(file), code, map });
        }
        return out;
    }

    return {
        transpile(input, { fileName }) {
            if (batch === undefined) batch = programBatch();
            const hit = batch.get(fileName);
            if (hit !== undefined && hit.source === input) return { outputText: hit.code, sourceMapText: hit.map };
            const result = esbuild.transformSync(input, { ...common, loader: fileName.endsWith(".tsx") ? "tsx" : "ts", sourcefile: fileName });
            return { outputText: result.code, sourceMapText: result.map };
        },
    };
};
