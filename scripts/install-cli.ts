// npm run install-cli: the Pulumi CLI for the engine test tier (npm run test:engine).
//
// Uses a `pulumi` on PATH of at least Pulumi.yaml's requiredPulumiVersion, else
// a cached build of the version tools/pulumi/go.mod pins, else builds that one
// with Go into .pulumi-cli/v<version>/bin (several minutes, once). Prints what
// it did and how long it took; the last line is the folder that holds `pulumi`.
import { installCli } from "./lib/engine/cli";

const started = Date.now();
try {
    const cli = installCli((line) => console.log(line));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const how = { path: "found on PATH", cache: "reused the cached build", built: "built" }[cli.source];
    console.log(`pulumi v${cli.version}: ${how} in ${seconds} s`);
    console.log(cli.binDir);
} catch (e) {
    console.error(`install-cli: ${(e as Error).message}`);
    process.exitCode = 1;
}
