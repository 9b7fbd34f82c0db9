// providers/bundle.ts: each dynamic provider reaches the engine as its module's bundle,
// written as the `__provider` text without Pulumi's closure serializer.
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";

import { BundledResource, bundleExport, providerText } from "../providers/bundle";
import * as heroku from "../providers/heroku";
import { configVarsProvider } from "../providers/heroku/configVars";
import { runWithMocks } from "../scripts/lib/offline/mocks";
import { registeredTexts } from "./heroku/serialized";
import { freshCopy, ProviderHost, rebuild } from "./harness/serializedProvider";

/** providers/bundle.ts loaded anew, inside the calling test (freshCopy). */
const freshBundle = () => freshCopy<typeof import("../providers/bundle")>(require.resolve("../providers/bundle"));

const ROOT = path.resolve(__dirname, "..");

function loadedModule(file: string): NodeJS.Module {
    const m = require.cache[require.resolve(file)];
    assert.ok(m !== undefined, `${file} is loaded`);
    return m;
}

/** A provider module of its own in a temporary folder: `body` is its TypeScript, exporting `provider`. */
function providerModule(body: string): NodeJS.Module {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-")), "provider.ts");
    fs.writeFileSync(file, body);
    require(file);
    return loadedModule(file);
}

describe("providers as bundles (providers/bundle.ts)", () => {
    it("registers the provider export's bundle, whose handler returns a provider object built as the module builds its own", async () => {
        const text = (await registeredTexts(heroku)).configVars;
        const file = require.resolve("../providers/heroku/configVars");
        assert.equal(text, `${bundleExport(file, "configVarsProvider")}module.exports.handler = () => module.exports["configVarsProvider"];\n`);
        const rebuilt = rebuild<object>(text);
        assert.notEqual(rebuilt, configVarsProvider, "built from the text, not taken from this process");
        assert.equal(rebuilt.constructor.name, "ConfigVarsProvider");
        assert.deepEqual(
            Object.getOwnPropertyNames(Object.getPrototypeOf(rebuilt)).sort(),
            Object.getOwnPropertyNames(Object.getPrototypeOf(configVarsProvider)).sort(),
        );
        assert.deepEqual({ ...rebuilt }, { ...configVarsProvider }, "the same state: default knobs, nothing configured");
    });

    it("holds only what the provider reaches: not its resource class, nor another module's provider object", () => {
        const configVarsText = providerText(loadedModule("../providers/heroku/configVars"), "configVarsProvider");
        for (const absent of ["class ConfigVars extends", "BundledResource", "claimKeys"]) assert.ok(!configVarsText.includes(absent), absent);
        require("../providers/verify/consumerCheck");
        const checkText = providerText(loadedModule("../providers/verify/consumerCheck"), "consumerCheckProvider");
        assert.ok(checkText.includes("new ConsumerCheckProvider()"));
        assert.ok(!checkText.includes("new SecretProvider()"), "the vault's provider object, which the check does not reach");
    });

    it("registers a dynamic resource as pulumi.dynamic.Resource does, but for the text", async () => {
        const mod = providerModule(`export const provider = { async create(inputs: object) { return { id: "x", outs: inputs }; } };\n`);
        class Thing extends BundledResource {
            constructor(name: string) {
                super(mod, "provider", name, { size: 3 }, { protect: true }, "things", "Thing");
            }
        }
        const run = await runWithMocks(() => {
            new Thing("a");
            new (class extends pulumi.dynamic.Resource {})(mod.exports.provider as pulumi.dynamic.ResourceProvider, "b", { size: 3 }, { protect: true }, "things", "Thing");
        });
        assert.equal(run.error, undefined);
        const [a, b] = run.registrations.map(({ urn, name, inputs, ...rest }) => ({ urn: urn.replace(/::[ab]$/, "::"), name, inputs: { ...inputs, __provider: typeof inputs.__provider }, ...rest }));
        assert.deepEqual({ ...a, name: "b" }, b);
        assert.equal(run.registrations[0].inputs.__provider, providerText(mod, "provider"));
        assert.throws(
            () =>
                new (class extends BundledResource {
                    constructor() {
                        super(mod, "provider", "c", { __provider: "mine" }, undefined, "things", "Thing");
                    }
                })(),
            { message: "A dynamic resource must not define the __provider key" },
        );
    });

    it("runs the bundle once per text in the provider host (its emulation here; the engine tier runs the real one), so module state (a lock, a configured key) lasts across calls", async () => {
        const mod = providerModule(
            `let loads = 0; loads++;\nlet key = "";\n` +
                `export const provider = {\n` +
                `  async configure(req: { config: { get(k: string): string | undefined } }) { key = req.config.get("k") ?? ""; },\n` +
                `  async create() { return { id: String(loads), outs: { key } }; },\n` +
                `};\n`,
        );
        const host = new ProviderHost({ k: "configured" });
        const text = providerText(mod, "provider");
        assert.deepEqual(await host.create({ __provider: text }), { id: "1", outs: { key: "configured", __provider: text } });
        assert.deepEqual(await host.create({ __provider: text }), { id: "1", outs: { key: "configured", __provider: text } });
        assert.equal(host.rebuilt, 1);
    });

    it("registers the same text whichever transpiler runs the program: esbuild (the host, the tests) or TypeScript's own", async () => {
        const here = (await registeredTexts(heroku)).configVars;
        // tsconfig.json's compiler options, without its "ts-node" section: ts-node's default transpiler, TypeScript's.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-tsconfig-"));
        const { compilerOptions } = require("typescript").parseConfigFileTextToJson("tsconfig.json", fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")).config as {
            compilerOptions: object;
        };
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
        const script =
            `const { registeredTexts } = require("./tests/heroku/serialized");` +
            `const service = process[Symbol.for("ts-node.register.instance")];` +
            `registeredTexts(require("./providers/heroku"))` +
            `.then((t) => process.stdout.write(JSON.stringify({ transpiler: service.options.transpiler ?? "TypeScript", text: t.configVars })));`;
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_PROJECT: path.join(dir, "tsconfig.json") },
        });
        const { transpiler, text } = JSON.parse(out) as { transpiler: string; text: string };
        assert.equal(transpiler, "TypeScript");
        // Compared whole, but not printed: each text is some 40 kB.
        assert.ok(text === here, `the texts differ (${text.length} and ${here.length} characters)`);
    });

    it("refuses an export that is not a provider object, naming the module (from the repository root) and the export", () => {
        assert.throws(() => freshBundle().providerText(loadedModule("../providers/heroku/configVars"), "HEROKU_APP_NAME"), {
            message: "providers/heroku/configVars.ts exports no provider object named HEROKU_APP_NAME",
        });
        const mod = providerModule(
            `export const none = null;\n` +
                `export const callable = Object.assign(() => 0, { async create() { return { id: "x", outs: {} }; } });\n` +
                `export const plain = { async read() { return {}; } };\n`,
        );
        for (const name of ["none", "callable", "plain", "absent"]) {
            assert.throws(() => providerText(mod, name), { message: `${path.relative(ROOT, mod.filename)} exports no provider object named ${name}` });
        }
    });

    it("makes each text once per process: the code this process loaded, whatever its file holds later", () => {
        const mod = providerModule(`export const provider = { async create() { return { id: "first", outs: {} }; } };\n`);
        const text = providerText(mod, "provider");
        assert.ok(text.includes(`id: "first"`));
        fs.writeFileSync(mod.filename, `export const provider = { async create() { return { id: "second", outs: {} }; } };\n`);
        assert.ok(bundleExport(mod.filename, "provider").includes(`id: "second"`));
        assert.equal(providerText(mod, "provider"), text);
    });

    it("holds the code only, in the syntax of ES2022 (tsconfig's target) that the host's Node runs: no legal comments, newer syntax lowered", async () => {
        const mod = providerModule(
            `/*! legal notice */\n` +
                `export const provider = { async create() { let disposed = false; { using held = { [Symbol.dispose]() { disposed = true; } }; } return { id: String(disposed), outs: {} }; } };\n`,
        );
        const text = providerText(mod, "provider");
        assert.ok(!text.includes("legal notice"));
        assert.ok(!text.includes("using held"), "an ES2022 target lowers `using`");
        assert.deepEqual(await rebuild<{ create(): Promise<object> }>(text).create(), { id: "true", outs: {} });
    });

    it("fails to bundle a module that does not parse, naming the file and line", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-"));
        const file = path.join(dir, "broken.ts");
        fs.writeFileSync(file, "export const provider = {\n  create() { return ; ;; }\n  oops(\n};\n");
        assert.throws(() => bundleExport(file, "provider"), (e: Error) => {
            assert.match(e.message, /^cannot bundle provider of .*broken\.ts: .*broken\.ts:\d+: /);
            return true;
        });
    });

    it("fails to bundle a module that does not parse in its error alone: esbuild prints nothing of its own to the program's output", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-")), "broken.ts");
        fs.writeFileSync(file, "export const provider = {\n  oops(\n};\n");
        const relative = path.relative(ROOT, file).split(path.sep).join("/");
        const expected = `cannot bundle provider of ${relative}: ${relative}:3: Expected identifier but found "}"`;
        assert.throws(() => bundleExport(file, "provider"), { message: expected });
        // esbuild writes its own log to the stderr of the process that bundles, so look there: a child process.
        const script = `try { require(${JSON.stringify(path.join(ROOT, "providers", "bundle"))}).bundleExport(${JSON.stringify(file)}, "provider"); } catch (e) { process.stdout.write(e.message); }`;
        const child = spawnSync(process.execPath, ["--require", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.deepEqual({ status: child.status, stdout: child.stdout, stderr: child.stderr }, { status: 0, stdout: expected, stderr: "" });
    });

    it("fails to bundle a module whose imports do not resolve, naming each with its line", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-")), "unresolved.ts");
        fs.writeFileSync(file, `import "./missing-one";\nimport "./missing-two";\nexport const provider = { async create() { return { id: "x", outs: {} }; } };\n`);
        const relative = path.relative(ROOT, file).split(path.sep).join("/");
        assert.throws(() => bundleExport(file, "provider"), {
            message: `cannot bundle provider of ${relative}: ${relative}:1: Could not resolve "./missing-one"; ${relative}:2: Could not resolve "./missing-two"`,
        });
    });
});
