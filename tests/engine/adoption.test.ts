// What docs/adoption.md relies on, under the real CLI (3.276.0 when written):
// the four engine behaviours its steps 2-4 assume, run here and asserted
// exactly, so that a CLI that behaves otherwise fails this file.
//
// 1. A targeted `up` (step 2: `--target` only the explicit providers) already
//    imports the resources that declare the `import` option, though they are
//    not targeted: it reads them from the cloud and writes what it read (not
//    the program's inputs) into state, and writes nothing to the cloud. The
//    next full preview then has no import step for them (their importID is in
//    state), only an update where the program's inputs differ.
//    Source (pkg/v3@v3.276.0, resource/deploy/step_generator.go): the import
//    is decided in continueStepsFromRefresh, line 1209,
//      isImport := goal.Custom && goal.ID != "" && (old == nil || old.External || oldImportID != goal.ID)
//    with no target check, and returns NewImportStep (line 1297); the target
//    check comes only after, in continueStepsFromImport (lines 1383-1396),
//    where the untargeted, now imported resource gets an untargeted SameStep
//    of its imported state (line 1834). State keeps ImportID: goal.ID (line 906).
// 2. The same targeted preview/up creates the stack, the targeted explicit
//    provider AND the default providers (random's `default_4_21_2`,
//    pulumi-nodejs's `default` for the dynamic resource), but `--json`, the
//    display and the change summary show only the stack and the explicit
//    provider (plus the imports): default-provider steps are internal events.
//    Source: step_generator.go lines 1383-1396, "isImplicitlyTargetedResource
//    := sdkproviders.IsProviderType(urn.Type()) || ... RootStackType" (every
//    provider, default or explicit, is targeted); engine/update.go line 1577,
//    isInternalStep: "isDefaultProviderStep(step)" (a provider whose name
//    starts with "default", sdk go/common/providers/reference.go line 49);
//    backend/display/display.go line 115 drops internal events before the
//    JSON digest and the display (the event log, line 205, gets them all).
// 3. `pulumi import --file` with component parents (`"component": true`)
//    imports them as empty components (no inputs; resource/deploy/import.go
//    lines 740-746, step.go lines 2223-2227), protected by default
//    (cmd/pulumi/operations/import.go line 1367, `--protect` defaults to true,
//    line 553 applies it to every entry, components too). The next preview of
//    the program has no update on them nor on the imported resource whose
//    inputs equal the cloud's: a component diff is "oldInputs.DeepEquals(
//    newInputs)" (step_generator.go line 3073), both empty. Each shows as
//    `same` in `--json` only because its protect bit goes from true to the
//    program's false (backend/display/display.go line 320, shouldShow).
// 4. `pulumi state delete <urn>` (an alias of `state remove`,
//    cmd/pulumi/state/state_delete.go line 48) refuses a protected resource
//    (resource/edit/operations.go lines 61-67) with "<urn> can't be safely
//    deleted because it is protected. Re-run this command with --force to
//    force deletion" (state_delete.go line 133); `--force` (line 160) deletes
//    it with a warning (line 81); `pulumi state unprotect <urn>` then `pulumi
//    state delete <urn>` does too. `--force` does not override dependents.
//
// `pulumi import` asks the project's language host for plugin requirements
// (engine/plugins.go line 349) before it runs, and the engine tier has no
// pulumi-language-nodejs: this file puts a stand-in on PATH for that command
// only. It answers GetPluginInfo and GetRequiredPackages (no packages) and
// nothing else; an import deployment runs no program, so nothing the host
// would do is missing.
//
// The previews of 1-2 and 3 are also kept as fixtures (tests/engine/fixtures/
// adoption-*.json, their `_source` says how); this file fails if a run's steps
// differ from them. RAXX_WRITE_ADOPTION_FIXTURES=1 rewrites them.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Engine, EngineStack, PROJECT, StateResource, matchFixture, stepsOf } from "./harness";

const VAR = "github:index/actionsVariable:ActionsVariable";
const HOLDER = "adoption:index:Holder";
const urnOf = (stack: string, typePath: string, name: string) => `urn:pulumi:${stack}::${PROJECT}::${typePath}::${name}`;
/**
 * Step 2's targeted preview with `--json --show-sames`: the untargeted creates are skipped and listed as
 * `same`, and each imported resource is listed twice, its import and then the untargeted `same` of its
 * imported state (step_generator.go line 1834).
 */
const SHOW_SAMES_STEP2 = (S: string, provider: string, dbPassword: string, sshKey: string): string[] =>
    [
        `create ${provider}`,
        `create urn:pulumi:${S}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${S}`,
        `import ${dbPassword}`,
        `import ${sshKey}`,
        `same ${dbPassword}`,
        `same ${sshKey}`,
        `same urn:pulumi:${S}::${PROJECT}::pulumi-nodejs:dynamic/adoption:Trivial::trivial`,
        `same urn:pulumi:${S}::${PROJECT}::random:index/randomBytes:RandomBytes::audit`,
    ].sort();

/** What the fake GitHub holds before any run: three variables made by hand. */
const HAND_MADE = {
    "raxx:DB_PASSWORD": { type: VAR, name: "hand", inputs: { repository: "raxx", variableName: "DB_PASSWORD", value: "hand-made-value-1" } },
    "raxx:SSH_KEY": { type: VAR, name: "hand", inputs: { repository: "raxx", variableName: "SSH_KEY", value: "hand-made-value-2" } },
    "raxx:IMPORTED": { type: VAR, name: "hand", inputs: { repository: "raxx", variableName: "IMPORTED", value: "hand-made-value-3" } },
};

/** A dynamic resource with a trivial provider: enough to make the engine register pulumi-nodejs's default provider. */
class Trivial extends pulumi.dynamic.Resource {
    constructor(name: string, props: { value: string }) {
        super({ create: async (inputs: Record<string, unknown>) => ({ id: "trivial-1", outs: inputs }) }, name, props, {}, "adoption", "Trivial");
    }
}

/** A local component, as the project's are. */
class Holder extends pulumi.ComponentResource {
    constructor(name: string, body: (self: Holder) => void, opts?: pulumi.ComponentResourceOptions) {
        super(HOLDER, name, {}, opts);
        body(this);
        this.registerOutputs({});
    }
}

/** The stand-in language host `pulumi import` starts (see the header). */
const FAKE_LANGUAGE_HOST = `
const grpc = require("@grpc/grpc-js");
const lang = require("@pulumi/pulumi/proto/language_pb.js");
const rpc = require("@pulumi/pulumi/proto/language_grpc_pb.js");
const plugin = require("@pulumi/pulumi/proto/plugin_pb.js");
const impl = {};
for (const name of Object.keys(rpc.LanguageRuntimeService)) {
    impl[name] = (_call, cb) => cb({ code: grpc.status.UNIMPLEMENTED, message: "engine-tier stand-in language host: " + name + " is not implemented" });
}
impl.getPluginInfo = (_call, cb) => { const info = new plugin.PluginInfo(); info.setVersion("0.0.0-engine-tier"); cb(null, info); };
impl.getRequiredPackages = (_call, cb) => cb(null, new lang.GetRequiredPackagesResponse());
impl.getRequiredPlugins = (_call, cb) => cb(null, new lang.GetRequiredPluginsResponse());
const server = new grpc.Server();
server.addService(rpc.LanguageRuntimeService, impl);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) { console.error(err); process.exit(1); }
    process.stdout.write(port + "\\n");
});
`;

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

interface PreviewDoc {
    _source?: unknown;
    steps?: { op: string; urn: string; oldState?: { protect?: boolean }; newState?: { protect?: boolean } }[];
    changeSummary?: Record<string, number>;
}

/** Compares a run's `pulumi preview --json` with its fixture by op and URN, or rewrites the fixture with the run. */
function adoptionFixture(name: string, stdout: string, source: Record<string, string>): void {
    matchFixture<PreviewDoc>(name, stdout, source, Boolean(process.env.RAXX_WRITE_ADOPTION_FIXTURES));
}

describe("engine: what the adoption runbook assumes of the engine", function () {
    this.timeout(300_000);
    let engine: Engine;
    let langDir: string;

    before(async () => {
        engine = await Engine.start();
        fs.writeFileSync(path.join(engine.cloudDir, "github.json"), JSON.stringify({ resources: HAND_MADE, log: [] }));
        langDir = path.join(engine.dir, "language-host");
        fs.mkdirSync(langDir);
        const main = path.join(langDir, "host.js");
        fs.writeFileSync(main, FAKE_LANGUAGE_HOST);
        fs.writeFileSync(path.join(langDir, "pulumi-language-nodejs"), `#!/bin/sh\nexec node ${JSON.stringify(main)} "$@"\n`, { mode: 0o755 });
    });
    after(async () => engine?.stop());

    /** The CLI in a stack's work folder; `languageHost` puts the stand-in on PATH. */
    function pulumiIn(stack: EngineStack, args: string[], languageHost = false): Run {
        const env: Record<string, string | undefined> = { ...process.env, ...engine.env() };
        if (languageHost) env.PATH = `${langDir}${path.delimiter}${process.env.PATH ?? ""}`;
        const r = spawnSync(engine.cli.pulumi, [...args, "--stack", stack.name, "--non-interactive"], { cwd: path.join(engine.dir, `work-${stack.name}`), encoding: "utf8", env });
        return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }

    /** State with the fields the harness's type leaves out. */
    async function stateOf(stack: EngineStack): Promise<(StateResource & { custom?: boolean; importID?: string })[]> {
        return stack.resources();
    }

    describe("step 2: `pulumi up --target <explicit provider>` on a program that also declares `import` options", () => {
        const S = "step2";
        const provider = urnOf(S, "pulumi:providers:github", "github");
        const dbPassword = urnOf(S, VAR, "db-password");
        const sshKey = urnOf(S, VAR, "ssh-key");
        let stack: EngineStack;

        before(async () => {
            stack = await engine.stack(S, async () => {
                const gh = new github.Provider("github", { owner: "MooseQuest" });
                // Adopted in code, as /raxx/freescout/db_password is: the program's value equals the cloud's ...
                new github.ActionsVariable("db-password", { repository: "raxx", variableName: "DB_PASSWORD", value: "hand-made-value-1" }, { provider: gh, import: "raxx:DB_PASSWORD" });
                // ... and one whose program value differs, to tell what the engine wrote to state.
                new github.ActionsVariable("ssh-key", { repository: "raxx", variableName: "SSH_KEY", value: "program-value-2" }, { provider: gh, import: "raxx:SSH_KEY" });
                new random.RandomBytes("audit", { length: 32 }); // on random's default provider
                new Trivial("trivial", { value: "v" }); // on pulumi-nodejs's default provider
            });
        });

        it("the preview's --json lists the stack and the targeted provider as creates and both `import` resources as imports, nothing else", async () => {
            const o = await stack.outcome(["--json"], (s) => s.preview({ target: [provider] }));
            assert.equal(o.code, 0, o.stderr);
            assert.deepEqual(
                stepsOf(o.stdout).map((s) => `${s.op} ${s.urn}`).sort(),
                [`create ${provider}`, `create urn:pulumi:${S}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${S}`, `import ${dbPassword}`, `import ${sshKey}`],
            );
            assert.deepEqual((JSON.parse(o.stdout) as PreviewDoc).changeSummary, { create: 2, import: 2, same: 4 });
            adoptionFixture("adoption-step2-preview.json", o.stdout, {
                cli: `pulumi v${engine.cli.version} (the engine tier's CLI, built from Go modules)`,
                command: `pulumi preview --stack ${S} --target '${provider}' --json, run by the Automation API on an inline program (LocalWorkspace adds its own --client/--exec-kind flags)`,
                program: "tests/engine/adoption.test.ts, describe 'step 2': explicit github provider; two ActionsVariables with the `import` option; a RandomBytes on random's default provider; a dynamic resource",
                backend: "file:// state, passphrase secrets; fake github/random plugins (tests/engine/fakePlugin.ts)",
                how: "RAXX_WRITE_ADOPTION_FIXTURES=1 npx mocha --no-config --require ts-node/register/transpile-only --extension ts --timeout 300000 tests/engine/adoption.test.ts",
                note: "The CLI's stdout, parsed and written back with its own 4-space indentation, plus this _source key; nothing else changed. Test values only, no secret. The default providers are missing here: see the next test and the header of adoption.test.ts",
            });
        });

        it("with --show-sames, --json lists the untargeted resources too, as `same` (the runbook's adoption-check reads this form)", async () => {
            const o = await stack.outcome(["--json", "--show-sames"], (s) => s.preview({ target: [provider] }));
            assert.equal(o.code, 0, o.stderr);
            assert.deepEqual(stepsOf(o.stdout).map((s) => `${s.op} ${s.urn}`).sort(), SHOW_SAMES_STEP2(S, provider, dbPassword, sshKey));
        });

        it("the engine plans creates of the default providers too, as internal steps: the event log has them, --json does not", async () => {
            const events: string[] = [];
            await stack.preview({ target: [provider], onEvent: (e) => void (e.resourcePreEvent && events.push(`${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.urn}`)) });
            assert.deepEqual(events.sort(), [
                `create ${provider}`,
                `create urn:pulumi:${S}::${PROJECT}::pulumi:providers:pulumi-nodejs::default`,
                `create urn:pulumi:${S}::${PROJECT}::pulumi:providers:random::default_4_21_2`,
                `create urn:pulumi:${S}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${S}`,
                `import ${dbPassword}`,
                `import ${sshKey}`,
                `same ${dbPassword}`, // the untargeted same of what was imported
                `same ${sshKey}`,
                `same urn:pulumi:${S}::${PROJECT}::pulumi-nodejs:dynamic/adoption:Trivial::trivial`, // skipped creates
                `same urn:pulumi:${S}::${PROJECT}::random:index/randomBytes:RandomBytes::audit`,
            ]);
        });

        it("the up imports both untargeted resources with the cloud's values, creates the default providers, and writes nothing to the cloud", async () => {
            const o = await stack.outcome([], (s) => s.up({ target: [provider] }));
            assert.equal(o.code, 0, o.stderr);
            assert.match(o.stdout, /Resources:\n {4}\+ 2 created\n {4}= 2 imported\n {4}4 changes\. 4 unchanged\n/);
            const state = await stateOf(stack);
            assert.deepEqual(state.map((r) => r.urn).sort(), [
                dbPassword,
                sshKey,
                provider,
                urnOf(S, "pulumi:providers:pulumi-nodejs", "default"),
                urnOf(S, "pulumi:providers:random", "default_4_21_2"),
                urnOf(S, "pulumi:pulumi:Stack", `${PROJECT}-${S}`),
            ]);
            const imported = state.filter((r) => r.type === VAR).sort((a, b) => a.urn.localeCompare(b.urn)).map((r) => ({ urn: r.urn, id: r.id, importID: r.importID, inputs: r.inputs, outputs: r.outputs, protect: r.protect }));
            assert.deepEqual(imported, [
                { urn: dbPassword, id: "raxx:DB_PASSWORD", importID: "raxx:DB_PASSWORD", inputs: HAND_MADE["raxx:DB_PASSWORD"].inputs, outputs: HAND_MADE["raxx:DB_PASSWORD"].inputs, protect: undefined },
                // The cloud's value, not the program's "program-value-2": what Read returned.
                { urn: sshKey, id: "raxx:SSH_KEY", importID: "raxx:SSH_KEY", inputs: HAND_MADE["raxx:SSH_KEY"].inputs, outputs: HAND_MADE["raxx:SSH_KEY"].inputs, protect: undefined },
            ]);
            assert.deepEqual(engine.cloud("github").log, []);
            assert.deepEqual(engine.cloud("random").log, []);
        });

        it("the next full preview imports nothing again: an update where the program's value differs, creates for the rest", async () => {
            assert.deepEqual(await stack.planned(), [
                "create pulumi-nodejs:dynamic/adoption:Trivial trivial",
                "create random:index/randomBytes:RandomBytes audit",
                `update ${VAR} ssh-key`,
            ]);
        });
    });

    describe("step 3: `pulumi import --file` with component parents, then a preview", () => {
        const S = "step3";
        const provider = urnOf(S, "pulumi:providers:github", "github");
        const outer = urnOf(S, HOLDER, "outer");
        const inner = urnOf(S, `${HOLDER}$${HOLDER}`, "inner");
        const variable = urnOf(S, `${HOLDER}$${HOLDER}$${VAR}`, "imported-var");
        let stack: EngineStack;

        before(async () => {
            stack = await engine.stack(S, async () => {
                const gh = new github.Provider("github", { owner: "MooseQuest" });
                new Holder("outer", (o) => {
                    new Holder("inner", (i) => {
                        new github.ActionsVariable("imported-var", { repository: "raxx", variableName: "IMPORTED", value: "hand-made-value-3" }, { provider: gh, parent: i });
                    }, { parent: o });
                });
            });
            // Step 2 of the runbook: the explicit provider first.
            const up = await stack.outcome([], (s) => s.up({ target: [provider] }));
            assert.equal(up.code, 0, up.stderr);
        });

        it("imports each component entry as an empty component and the variable from the cloud, all protected", async () => {
            // As scripts/lib/plan/importPlan.ts writes the file: parents before children, providers in nameTable.
            const file = path.join(engine.dir, "import-step3.json");
            fs.writeFileSync(file, JSON.stringify({
                nameTable: { github: provider },
                resources: [
                    { type: HOLDER, name: "outer", component: true },
                    { type: HOLDER, name: "inner", component: true, parent: "outer" },
                    { type: VAR, name: "imported-var", id: "raxx:IMPORTED", parent: "inner", provider: "github" },
                ],
            }));
            const r = pulumiIn(stack, ["import", "--file", file, "--generate-code=false", "--yes"], true);
            assert.equal(r.code, 0, r.stderr + r.stdout);
            for (const line of [` =  ${HOLDER} outer import`, ` =  ${HOLDER} inner import`, " =  github:index:ActionsVariable imported-var import", "    = 3 to import\n    2 unchanged", "    = 3 imported\n    2 unchanged"]) {
                assert.ok(r.stdout.includes(line), `missing ${JSON.stringify(line)} in:\n${r.stdout}`);
            }
            const state = (await stateOf(stack)).filter((x) => x.type === HOLDER || x.type === VAR);
            assert.deepEqual(
                state.map((x) => ({ urn: x.urn, custom: x.custom, id: x.id, inputs: x.inputs, protect: x.protect })),
                [
                    { urn: outer, custom: false, id: undefined, inputs: undefined, protect: true },
                    { urn: inner, custom: false, id: undefined, inputs: undefined, protect: true },
                    { urn: variable, custom: true, id: "raxx:IMPORTED", inputs: HAND_MADE["raxx:IMPORTED"].inputs, protect: true },
                ],
            );
            assert.deepEqual(engine.cloud("github").log, []);
        });

        it("with --show-sames, --json lists every resource, the unchanged explicit provider included", async () => {
            const o = await stack.outcome(["--json", "--show-sames"], (s) => s.preview());
            assert.equal(o.code, 0, o.stderr);
            assert.deepEqual(
                stepsOf(o.stdout).map((s) => `${s.op} ${s.urn}`).sort(),
                [`same ${provider}`, `same ${outer}`, `same ${inner}`, `same ${variable}`, `same urn:pulumi:${S}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${S}`].sort(),
            );
        });

        it("the next preview shows no update: each imported resource is a `same` whose protect bit goes from true to false", async () => {
            const o = await stack.outcome(["--json"], (s) => s.preview());
            assert.equal(o.code, 0, o.stderr);
            const doc = JSON.parse(o.stdout) as PreviewDoc;
            assert.deepEqual(
                (doc.steps ?? []).map((s) => [s.op, s.urn, s.oldState?.protect, s.newState?.protect]),
                [
                    ["same", urnOf(S, "pulumi:pulumi:Stack", `${PROJECT}-${S}`), undefined, undefined],
                    ["same", outer, true, undefined],
                    ["same", inner, true, undefined],
                    ["same", variable, true, undefined],
                ],
            );
            assert.deepEqual(doc.changeSummary, { same: 5 });
            adoptionFixture("adoption-post-import-preview.json", o.stdout, {
                cli: `pulumi v${engine.cli.version} (the engine tier's CLI, built from Go modules)`,
                command: `pulumi preview --stack ${S} --json, run by the Automation API on an inline program (LocalWorkspace adds its own --client/--exec-kind flags), after \`pulumi up --target '${provider}'\` and \`pulumi import --file <file> --generate-code=false --yes\``,
                importFile: JSON.stringify({
                    nameTable: { github: provider },
                    resources: [
                        { type: HOLDER, name: "outer", component: true },
                        { type: HOLDER, name: "inner", component: true, parent: "outer" },
                        { type: VAR, name: "imported-var", id: "raxx:IMPORTED", parent: "inner", provider: "github" },
                    ],
                }),
                program: "tests/engine/adoption.test.ts, describe 'step 3': explicit github provider; component outer > component inner > ActionsVariable imported-var whose inputs equal the cloud's",
                backend: "file:// state, passphrase secrets; fake github plugin (tests/engine/fakePlugin.ts); a stand-in language host for `pulumi import` only",
                how: "RAXX_WRITE_ADOPTION_FIXTURES=1 npx mocha --no-config --require ts-node/register/transpile-only --extension ts --timeout 300000 tests/engine/adoption.test.ts",
                note: "The CLI's stdout, parsed and written back with its own 4-space indentation, plus this _source key; nothing else changed. Test values only, no secret. The `same` steps show only because protect changes (backend/display/display.go shouldShow)",
            });
        });

        it("`pulumi state delete` refuses a protected resource and names --force; --force, or `state unprotect` first, deletes it", async () => {
            const refused = pulumiIn(stack, ["state", "delete", variable, "--yes"]);
            assert.deepEqual(refused, {
                code: 1,
                stdout: "",
                stderr: `error: ${variable} can't be safely deleted because it is protected. Re-run this command with --force to force deletion\n`,
            });
            // --force lifts protection only: a parent with children still refuses.
            const parent = pulumiIn(stack, ["state", "delete", outer, "--force", "--yes"]);
            assert.deepEqual(parent, {
                code: 1,
                stdout: "",
                stderr: [
                    `warning: deleting protected resource ${outer} due to presence of --force`,
                    `error: ${outer} can't be safely deleted because the following resources depend on it:`,
                    ` * "inner"         (${inner})`,
                    ` * "imported-var"  (${variable})`,
                    "",
                    "Delete those resources first or pass --target-dependents.",
                    "",
                ].join("\n"),
            });
            const unprotect = pulumiIn(stack, ["state", "unprotect", variable, "--yes"]);
            assert.deepEqual(unprotect, { code: 0, stdout: "1 resources unprotected\n", stderr: "" });
            const deleted = pulumiIn(stack, ["state", "delete", variable, "--yes"]);
            assert.deepEqual(deleted, { code: 0, stdout: "Resource deleted\n", stderr: "" });
            const forced = pulumiIn(stack, ["state", "delete", inner, "--force", "--yes"]);
            assert.deepEqual(forced, { code: 0, stdout: "Resource deleted\n", stderr: `warning: deleting protected resource ${inner} due to presence of --force\n` });
            assert.deepEqual(
                (await stack.resources()).map((x) => x.urn),
                [urnOf(S, "pulumi:pulumi:Stack", `${PROJECT}-${S}`), provider, outer],
            );
        });
    });
});
