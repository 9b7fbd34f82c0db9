// The policy pack in the real analyzer: the engine starts policy/ as a plugin,
// hands it every resource of the preview, and fails the preview on a
// mandatory violation.
import { strict as assert } from "node:assert";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ConfigVarsProvider } from "../../providers/heroku";
import { Engine } from "./harness";
import { APPS, auditIngest, deployToken, program } from "./programs";

describe("engine: the policy pack in the real analyzer", function () {
    this.timeout(300_000);
    let engine: Engine;

    before(async () => {
        engine = await Engine.start();
        for (const app of APPS) engine.heroku.addApp(app);
    });
    after(async () => engine?.stop());

    it("loads, and passes the tier's programs (the deploy token and the audit ingest) with no violation", async () => {
        const stack = await engine.stack("prod", program(deployToken({ entry: "active=a a=2026-11-28", apps: APPS }), auditIngest({ entry: "active=a a=2026-11-28" })));
        const o = await stack.outcome([], (s) => s.preview({ policyPacks: [engine.policyPack()] }));
        assert.equal(o.code, 0, o.stdout + o.stderr);
        assert.match(o.stdout, /Policies:\s+✅ raxx-platform@v1\.0\.0/);
        assert.doesNotMatch(o.stdout, /mandatory|advisory/);
        // Both components were there for the pack to see.
        assert.match(o.stdout, /raxx:deploy:DeployToken platform-token create/);
        assert.match(o.stdout, /raxx:audit:AuditIngest audit-ingest create/);
    });

    it("reports a mandatory violation, and fails the preview, for a secret value left out of additionalSecretOutputs", async () => {
        // A ConfigVars built by hand, without the secret output its class declares.
        class LeakyVars extends pulumi.dynamic.Resource {
            constructor(name: string) {
                const secretVars = pulumi.secret({ LEAKY: "value-that-must-stay-secret" });
                const owner = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
                super(new ConfigVarsProvider(), name, { app: "raxx-console-prod", owner, vars: {}, secretVars }, {}, "heroku", "ConfigVars");
            }
        }
        const stack = await engine.stack("bad", async () => {
            new LeakyVars("leaky-vars");
        });
        const o = await stack.outcome([], (s) => s.preview({ policyPacks: [engine.policyPack()] }));
        assert.notEqual(o.code, 0);
        const output = o.stdout + o.stderr;
        assert.match(output, /❌ raxx-platform@v1\.0\.0[^\n]*\n\s+- \[mandatory\]\s+secret-values-encrypted-in-state\s+\(pulumi-nodejs:dynamic\/heroku:ConfigVars: leaky-vars\)/);
        assert.match(output, /pulumi-nodejs:dynamic\/heroku:ConfigVars "leaky-vars": "secretVars" is not in additionalSecretOutputs/);
        assert.ok(!output.includes("value-that-must-stay-secret"));
    });

    it("sees, through the property dependencies the engine records, a credential written to a GitHub variable with an innocent name", async () => {
        const stack = await engine.stack(
            "plain",
            program((githubProvider) => {
                const bytes = new random.RandomBytes("leak-bytes", { length: 32 });
                new github.ActionsEnvironmentVariable(
                    "leak-variable",
                    { repository: "raxx", environment: "staging", variableName: "CONSOLE_SETTINGS", value: bytes.hex },
                    { provider: githubProvider },
                );
                return {};
            }),
        );
        const o = await stack.outcome([], (s) => s.preview({ policyPacks: [engine.policyPack()] }));
        assert.notEqual(o.code, 0);
        const output = o.stdout + o.stderr;
        assert.match(output, /\[mandatory\]\s+credential-outputs-only-in-secrets/);
        assert.match(
            output,
            /github:index\/actionsEnvironmentVariable:ActionsEnvironmentVariable "leak-variable": "value" takes its value from random:index\/randomBytes:RandomBytes "leak-bytes", a credential/,
        );
    });
});
