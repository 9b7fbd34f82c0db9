// tools/ts-node-esbuild.js: ts-node's transpiler for the language host, the tests and the tools.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Transpiler {
    transpile(input: string, opts: { fileName: string }): { outputText: string; sourceMapText: string };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { create } = require("../tools/ts-node-esbuild.js") as { create(o: { service: { config: { options: Record<string, unknown> } } }): Transpiler };

function transpiler(options: Record<string, unknown> = { target: 9, esModuleInterop: true }): Transpiler {
    return create({ service: { config: { options } } });
}

/** Runs `body` as a .ts file through ts-node as the tests and the host load the program (this repository's tsconfig). */
function runTs(body: string): { stdout: string; file: string } {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-transpiler-")), "probe.ts");
    fs.writeFileSync(file, body);
    const stdout = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.pulumi.json") },
    });
    return { stdout, file };
}

describe("the transpiler (tools/ts-node-esbuild.js)", () => {
    it("transpiles each text as ts-node hands it over: one that differs from the file on disk is never answered from the run up front", () => {
        const file = path.join(ROOT, "providers", "http.ts");
        const source = fs.readFileSync(file, "utf8");
        const t = transpiler();
        const fromBatch = t.transpile(source, { fileName: file });
        assert.match(fromBatch.outputText, /const RUN_AGAIN = "then run Pulumi again";/);
        assert.deepEqual(JSON.parse(fromBatch.sourceMapText).sources.length, 1);
        const edited = t.transpile(source.replace('"then run Pulumi again"', '"then run it again"'), { fileName: file });
        assert.match(edited.outputText, /const RUN_AGAIN = "then run it again";/);
    });

    it("keeps stack traces on the .ts lines, and loads a module through import() as tsc's CommonJS does", () => {
        const { stdout, file } = runTs(
            [
                "const where = (): string => {",
                "    type Unused = { a: number };",
                "    return new Error('here').stack?.split('\\n')[1] ?? '';",
                "};",
                "void (async () => {",
                "    const os = await import('node:os');",
                "    process.stdout.write(JSON.stringify({ frame: where(), eol: os.EOL === '\\n' }));",
                "})();",
            ].join("\n"),
        );
        const { frame, eol } = JSON.parse(stdout) as { frame: string; eol: boolean };
        assert.ok(frame.includes(`${file}:3:12`), frame);
        assert.equal(eol, true);
    });

    it("emits strict mode, as tsc does under tsconfig.json's strict (the bundles the engine runs are strict too)", () => {
        const file = path.join(ROOT, "providers", "http.ts");
        assert.ok(transpiler({ target: 9, strict: true }).transpile(fs.readFileSync(file, "utf8"), { fileName: file }).outputText.startsWith('"use strict";'));
        const { stdout } = runTs("process.stdout.write(String((function (this: unknown) { return this; })() === undefined));\n");
        assert.equal(stdout, "true", "a plain call's `this` is undefined: strict");
    });

    it("gives a program file from the run up front the same JavaScript and source map as a transform of that file alone", () => {
        const file = path.join(ROOT, "providers", "http.ts");
        const source = fs.readFileSync(file, "utf8");
        const fromBatch = transpiler().transpile(source, { fileName: file });
        const alone = transpiler().transpile(`${source}\n`, { fileName: file });
        assert.equal(`${fromBatch.outputText}`, alone.outputText);
        assert.deepEqual(JSON.parse(fromBatch.sourceMapText).mappings, JSON.parse(alone.sourceMapText).mappings);
    });

    it("refuses a compile target esbuild has no name for, naming it", () => {
        assert.throws(() => transpiler({ target: 1 }), { message: "tools/ts-node-esbuild.js: compilerOptions.target 1 has no esbuild target; use es2015 or later" });
    });
});
