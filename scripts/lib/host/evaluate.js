// One evaluation of the program as the Pulumi language host runs it, under
// mocks: the same @pulumi/pulumi/cmd/run code the host starts, with the
// environment the host gives it for this project (PULUMI_NODEJS_TYPESCRIPT,
// PULUMI_NODEJS_TSCONFIG_PATH from Pulumi.yaml's runtime options, PULUMI_CONFIG)
// and the arguments it passes; stack traces and source maps as cmd/run sets
// them up. Only the resource monitor is a mock instead of the engine's server.
// Plain JavaScript on purpose: nothing may register ts-node before cmd/run does.
//
//   node scripts/lib/host/evaluate.js <stack> <sdk,sdk,...> [program]
//
// `program` (a path from the repository's root) runs instead of the project's
// index.ts: the bench runs scripts/lib/host/empty.ts through the same host, to
// show what the host costs before any program.
//
// Prints one JSON line: { ms, rss, resources, transpileOnly, transpiler }. `ms` runs from
// just before cmd/run starts to the moment the event loop empties (when the
// real host signals the engine that the program is done); the SDKs listed are
// loaded first and not counted, as the bench's floor measures them.
"use strict";
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const [stack, sdkList, program] = process.argv.slice(2);
for (const m of (sdkList || "").split(",").filter(Boolean)) require(m);

async function main() {
    process.chdir(ROOT);
    const pulumi = require("@pulumi/pulumi");
    let registrations = 0;
    // The fakes are TypeScript: loaded on first use, once cmd/run has registered ts-node.
    const fakes = () => require(path.join(ROOT, "scripts", "lib", "offline", "fakeCloud"));
    const mocks = () => require(path.join(ROOT, "scripts", "lib", "offline", "mocks"));
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registrations++;
                return mocks().mockedResource(args, fakes().fakeCloud({ type: args.type, name: args.name, inputs: args.inputs }) || {});
            },
            call(args) {
                const answer = fakes().fakeInvokes(args);
                if (answer === undefined) throw new Error(`unexpected invoke ${args.token}`);
                return answer;
            },
        },
        "raxx-platform",
        stack,
        true,
    );
    // The engine's monitor answers the host's shutdown signal; the mock monitor has no such call.
    const monitor = pulumi.runtime.getMonitor();
    if (typeof monitor.signalAndWaitForShutdown !== "function") monitor.signalAndWaitForShutdown = (_req, cb) => cb(null, {});
    const t = process.hrtime.bigint();
    process.once("beforeExit", () => {
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        const service = process[Symbol.for("ts-node.register.instance")];
        console.log(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS * 1024, resources: registrations, transpileOnly: service ? service.options.transpileOnly === true : null, transpiler: service ? (service.options.transpiler ?? null) : null }));
    });
    // cmd/run/index.js runs its main() on load, with the arguments the host passes;
    // the monitor's address is never dialled, because the mocks are the monitor.
    process.argv = [process.argv[0], require.resolve("@pulumi/pulumi/cmd/run"), "--monitor=mock", "--project=raxx-platform", `--stack=${stack}`, "--dry-run", program || "."];
    require("@pulumi/pulumi/cmd/run");
}

main().catch((e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
});
