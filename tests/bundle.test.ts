// providers/bundle.ts: each dynamic provider reaches the engine as its module's bundle,
// behind a stand-in that the closure serializer walks instead of the provider.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";

import { PROVIDER_METHODS, bundle, bundledProvider } from "../providers/bundle";
import * as heroku from "../providers/heroku";
import * as configVars from "../providers/heroku/configVars";
import { registeredTexts } from "./heroku/serialized";
import { rebuild } from "./harness/serializedProvider";

const ROOT = path.resolve(__dirname, "..");

/** The text the SDK would register for `provider` (what dynamic.Resource puts in `__provider`). */
async function serialized(provider: object): Promise<string> {
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

function loadedModule(file: string): NodeJS.Module {
    const m = require.cache[require.resolve(file)];
    assert.ok(m !== undefined, `${file} is loaded`);
    return m;
}

/** A provider module of its own in a temporary folder: `body` is its source, exporting `provider`. */
function providerModule(body: string): NodeJS.Module {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-")), "provider.ts");
    fs.writeFileSync(file, body);
    require(file);
    return loadedModule(file);
}

describe("providers as bundles (providers/bundle.ts)", () => {
    it("registers a stand-in with exactly its provider's methods, carrying the bundle of the provider's module", async () => {
        const standIn = bundledProvider(loadedModule("../providers/heroku/configVars"), "configVarsProvider");
        const host = rebuild<Record<string, unknown>>(await serialized(standIn));
        assert.deepEqual(
            Object.keys(host).filter((k) => typeof host[k] === "function"),
            PROVIDER_METHODS.filter((m) => typeof (configVars.configVarsProvider as unknown as Record<string, unknown>)[m] === "function"),
        );
        assert.equal(host.code, bundle(require.resolve("../providers/heroku/configVars")));
        assert.equal(host.exportName, "configVarsProvider");
        assert.ok(bundledProvider(loadedModule("../providers/heroku/configVars"), "configVarsProvider") === standIn, "one stand-in per export, so the SDK serializes it once");
    });

    it("leaves out a method the provider lacks, so the provider host applies its own default for it", async () => {
        const mod = providerModule(`export const provider = { async create(inputs: { n: number }) { return { id: "x", outs: inputs }; } };\n`);
        const host = rebuild<Record<string, unknown>>(await serialized(bundledProvider(mod, "provider")));
        assert.deepEqual(
            Object.keys(host).filter((k) => typeof host[k] === "function"),
            ["create"],
        );
    });

    it("runs the bundle once per rebuilt provider, so module state (a lock, a configured key) lasts across calls", async () => {
        const mod = providerModule(
            `let loads = 0; loads++;\nlet key = "";\n` +
                `export const provider = {\n` +
                `  async configure(req: { config: { get(k: string): string | undefined } }) { key = req.config.get("k") ?? ""; },\n` +
                `  async create() { return { id: String(loads), outs: { key } }; },\n` +
                `};\n`,
        );
        const host = rebuild<pulumi.dynamic.ResourceProvider & { configure(r: unknown): Promise<void> }>(await serialized(bundledProvider(mod, "provider")));
        await host.configure({ config: { get: (k: string) => (k === "k" ? "configured" : undefined) } });
        assert.deepEqual(await host.create({}), { id: "1", outs: { key: "configured" } });
        assert.deepEqual(await host.create({}), { id: "1", outs: { key: "configured" } });
    });

    it("registers the same text under the language host's tsconfig as under the tests', both transpiled by esbuild", async () => {
        const here = (await registeredTexts(heroku)).configVars;
        const script =
            `const { registeredTexts } = require("./tests/heroku/serialized");` +
            `const service = process[Symbol.for("ts-node.register.instance")];` +
            `registeredTexts(require("./providers/heroku"))` +
            `.then((t) => process.stdout.write(JSON.stringify({ transpiler: service.options.transpiler, text: t.configVars })));`;
        const out = execFileSync(process.execPath, ["-r", "ts-node/register", "-e", script], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_PROJECT: "tsconfig.pulumi.json", TS_NODE_TRANSPILE_ONLY: "" },
            // The closure serializer loads every Node builtin, and Node warns about two of them.
            stdio: ["ignore", "pipe", "pipe"],
        });
        const { transpiler, text } = JSON.parse(out) as { transpiler: string; text: string };
        assert.equal(transpiler, "./tools/ts-node-esbuild.js", "tsconfig.pulumi.json has ts-node transpile with esbuild");
        // Compared whole, but not printed: each text is some 40 kB.
        assert.ok(text === here, `the texts differ (${text.length} and ${here.length} characters)`);
    });

    it("refuses an export that is not a provider object, naming the module and the export", () => {
        assert.throws(() => bundledProvider(loadedModule("../providers/heroku/configVars"), "HEROKU_APP_NAME"), {
            message: "providers/heroku/configVars.ts exports no provider object named HEROKU_APP_NAME",
        });
    });

    it("fails to bundle a module that does not parse, naming the file and line", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-bundle-"));
        const file = path.join(dir, "broken.ts");
        fs.writeFileSync(file, "export const provider = {\n  create() { return ; ;; }\n  oops(\n};\n");
        assert.throws(() => bundle(file), (e: Error) => {
            assert.match(e.message, /^cannot bundle the provider modules .*broken\.ts: .*broken\.ts:\d+: /);
            return true;
        });
    });
});
