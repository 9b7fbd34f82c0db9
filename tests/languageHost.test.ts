// How the Pulumi language host runs the program: Pulumi.yaml points it at
// tsconfig.pulumi.json, whose noCheck makes it transpile only (npm test is the
// type check), with the module settings tsc uses; and the host's own code path
// (@pulumi/pulumi/cmd/run, as scripts/lib/host/evaluate.js starts it) evaluates
// the program that way, dynamic providers bundled (providers/bundle.ts), under mocks.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { languageHostEnv, runtimeOptions } from "../scripts/lib/host/env";
import { ROOT, runStack } from "../scripts/lib/offline/stack";

/** A tsconfig's own compilerOptions, read as the host reads them (@pulumi/pulumi tsutils: no `extends`). */
function ownCompilerOptions(file: string): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(p: string): Record<string, unknown> };
    return loadTypeScriptCompilerOptions(path.join(ROOT, file));
}

describe("the language host", () => {
    it("is pointed at tsconfig.pulumi.json, which transpiles only, like tsc and no further", () => {
        assert.deepEqual(runtimeOptions(), { packagemanager: "npm", tsconfig: "tsconfig.pulumi.json" });
        const host = ownCompilerOptions("tsconfig.pulumi.json");
        const tsc = ownCompilerOptions("tsconfig.json");
        assert.equal(host.noCheck, true, "the host type-checks unless the file's own compilerOptions set noCheck");
        // The host puts these over its own defaults (ES2020, nodenext), so they must be the file's own, and tsc's.
        for (const key of ["target", "module", "moduleResolution"]) assert.equal(host[key], tsc[key], key);
        assert.deepEqual(Object.keys(host).sort(), ["module", "moduleResolution", "noCheck", "target"]);
        const doc = require("typescript").parseConfigFileTextToJson("tsconfig.pulumi.json", fs.readFileSync(path.join(ROOT, "tsconfig.pulumi.json"), "utf8")).config as { extends: string };
        assert.equal(doc.extends, "./tsconfig.json");
    });

    it("is never told to type-check by a workflow: with PULUMI_NODEJS_TRANSPILE_ONLY=false, ts-node refuses the project's transpiler", () => {
        const dir = path.join(ROOT, ".github", "workflows");
        const workflows = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
        assert.ok(workflows.length > 0);
        for (const f of workflows) assert.doesNotMatch(fs.readFileSync(path.join(dir, f), "utf8"), /PULUMI_NODEJS_TRANSPILE_ONLY/, f);
        const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "lib", "host", "evaluate.js"), "staging", ""], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, ...languageHostEnv("staging"), TS_NODE_PROJECT: "", TS_NODE_TRANSPILE_ONLY: "", PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
        });
        assert.match(r.stdout + r.stderr, /Custom transpiler can only be used when transpileOnly is enabled/);
    });

    it("leaves the type check to npm test, which reads tsconfig.json, where noCheck is never set", () => {
        assert.equal(ownCompilerOptions("tsconfig.json").noCheck, undefined);
        assert.equal((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.typecheck, "tsc --noEmit -p .");
    });

    it("evaluates staging through @pulumi/pulumi's cmd/run, transpile only, bundling the Heroku provider, as the mocks do", async function () {
        this.timeout(60_000);
        const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "lib", "host", "evaluate.js"), "staging", ""], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, ...languageHostEnv("staging"), TS_NODE_PROJECT: "", TS_NODE_TRANSPILE_ONLY: "" },
        });
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /error/i);
        const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { resources: number; transpileOnly: boolean; transpiler: string };
        const mocks = await runStack("staging");
        assert.deepEqual(
            [out.transpileOnly, out.transpiler, out.resources],
            [true, "./tools/ts-node-esbuild.js", mocks.registrations.length + 1],
            "transpile only, by esbuild; every resource, and the stack",
        );
        assert.ok(mocks.registrations.some((reg) => reg.type === "pulumi-nodejs:dynamic/heroku:ConfigVars"), "staging has a dynamic provider to bundle");
    });
});
