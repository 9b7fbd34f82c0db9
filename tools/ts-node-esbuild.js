// ts-node's transpiler for this project (tsconfig.json, "ts-node".transpiler): esbuild's
// transform, one file at a time, in place of TypeScript's own transpileModule.
//
// Every run of the program (the Pulumi language host, npm test, the tools) transpiles
// it with ts-node, type checks off (`npm run typecheck`, in npm test, is the check).
// TypeScript's transpiler costs some 0.6 s of warm-up in each process before the first
// file; esbuild's costs nothing to speak of. ts-node's built-in swc mode would do the
// same, but its native module adds some 45 MiB to every run. The interface is ts-node's
// (ts-node/dist/transpilers/types.d.ts): `create` returns `transpile`, which returns
// the JavaScript and its source map; ts-node inlines the map, so stack traces keep
// naming the .ts lines.
"use strict";
const esbuild = require("esbuild");

/** TypeScript's ScriptTarget numbers (ts.ScriptTarget) to esbuild's target names. */
const TARGETS = { 2: "es2015", 3: "es2016", 4: "es2017", 5: "es2018", 6: "es2019", 7: "es2020", 8: "es2021", 9: "es2022", 10: "es2023", 99: "esnext" };

exports.create = function create(createOptions) {
    const options = createOptions.service.config.options;
    const target = TARGETS[options.target];
    if (target === undefined) throw new Error(`tools/ts-node-esbuild.js: compilerOptions.target ${options.target} has no esbuild target; use es2015 or later`);
    // What esbuild reads from a tsconfig, from the one ts-node parsed (so tsconfig.pulumi.json's own settings count).
    const tsconfigRaw = {
        compilerOptions: {
            target,
            useDefineForClassFields: options.useDefineForClassFields,
            experimentalDecorators: options.experimentalDecorators,
            verbatimModuleSyntax: options.verbatimModuleSyntax,
            preserveValueImports: options.preserveValueImports,
            importsNotUsedAsValues: options.importsNotUsedAsValues === undefined ? undefined : ["remove", "preserve", "error"][options.importsNotUsedAsValues],
            esModuleInterop: options.esModuleInterop,
        },
    };
    return {
        transpile(input, { fileName }) {
            const result = esbuild.transformSync(input, {
                loader: fileName.endsWith(".tsx") ? "tsx" : "ts",
                format: "cjs",
                platform: "node",
                target,
                tsconfigRaw,
                sourcefile: fileName,
                sourcemap: "external",
                // `import()` as a require, as tsc emits it for CommonJS: Node's own import() cannot load a .ts file.
                supported: { "dynamic-import": false },
                logLevel: "silent",
            });
            return { outputText: result.code, sourceMapText: result.map };
        },
    };
};
