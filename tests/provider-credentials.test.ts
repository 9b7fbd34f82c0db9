// The GitHub and Cloudflare providers are explicit, and explicit providers do
// not read stack config: the program passes the credentials set there
// (github:token, github:appAuth, cloudflare:apiToken) in, as secrets. Unset,
// the environment supplies them, and never as a plain value: GITHUB_TOKEN is
// read by the program as a secret, CLOUDFLARE_API_TOKEN by the plugin itself.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { captureIo, invoke } from "../scripts/lib/cli";
import { MockRunResult, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { secretPlaceholder } from "../scripts/lib/offline/stack";
import { planTool } from "../scripts/plan";
import { byName, okRun, runPinned } from "./harness/query";

const GITHUB_TOKEN = "github_pat_config-canary-4f1e";
const CLOUDFLARE_TOKEN = "cf-config-canary-9b2c";
const ENV_GITHUB_TOKEN = "github_pat_env-canary-7d3a";
const ENV_CLOUDFLARE_TOKEN = "cf-env-canary-2e8f";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEcanary\n-----END RSA PRIVATE KEY-----";
/** A `secure:` value in a --diff-config file: the plan replaces it with a placeholder it never prints. */
const CIPHERTEXT = "v1:AAAAAbm90LWEtcmVhbC1jaXBoZXJ0ZXh0";
const ENV_KEYS = ["GITHUB_TOKEN", "CLOUDFLARE_API_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE"];

/** Runs `f` with exactly `env` of the provider variables set, then puts the process environment back. */
async function withEnv<T>(env: Record<string, string>, f: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    for (const k of ENV_KEYS) delete process.env[k];
    Object.assign(process.env, env);
    try {
        return await f();
    } finally {
        for (const k of ENV_KEYS) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    }
}

/** The credential inputs of each explicit provider, and whether each is secret. */
function credentials(result: MockRunResult): Record<string, { value: unknown; secret: boolean }> {
    const out: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [provider, fields] of [
        ["github", ["token", "appAuth"]],
        ["cloudflare", ["apiToken", "apiKey", "apiUserServiceKey", "email"]],
    ] as const) {
        if (!result.registrations.some((r) => r.name === provider)) continue;
        const inputs = byName(result, provider).inputs;
        for (const field of fields) {
            if (inputs[field] !== undefined) out[`${provider}.${field}`] = { value: plain(inputs[field]), secret: isSecretValue(inputs[field]) };
        }
    }
    return out;
}

describe("provider credentials", () => {
    it("passes github:token and cloudflare:apiToken from secret stack config to the providers, as secrets, over the environment", async () => {
        const result = await withEnv({ GITHUB_TOKEN: ENV_GITHUB_TOKEN, CLOUDFLARE_API_TOKEN: ENV_CLOUDFLARE_TOKEN }, () =>
            okRun(
                runPinned("prod", {
                    config: { "github:token": GITHUB_TOKEN, "cloudflare:apiToken": CLOUDFLARE_TOKEN },
                    secretKeys: ["github:token", "cloudflare:apiToken"],
                }),
            ),
        );
        assert.deepEqual(credentials(result), {
            "github.token": { value: GITHUB_TOKEN, secret: true },
            "cloudflare.apiToken": { value: CLOUDFLARE_TOKEN, secret: true },
        });
        assert.equal(plain(byName(result, "github").inputs.owner), "MooseQuest");
    });

    it("passes github:appAuth from secret stack config to the GitHub provider, as a secret", async () => {
        // As the CLI hands an object over: JSON, and an unquoted YAML id is a number.
        const appAuth = JSON.stringify({ id: 123456, installationId: "7890123", pemFile: PEM });
        for (const stack of ["prod", "staging"] as const) {
            const result = await withEnv({}, () =>
                okRun(runPinned(stack, { config: { "github:appAuth": appAuth }, secretKeys: ["github:appAuth"] })),
            );
            const creds = credentials(result);
            assert.deepEqual(Object.keys(creds), ["github.appAuth"], stack);
            assert.equal(creds["github.appAuth"].secret, true, stack);
            assert.deepEqual(JSON.parse(creds["github.appAuth"].value as string), { id: "123456", installationId: "7890123", pemFile: PEM }, stack);
        }
    });

    it("unset, takes GITHUB_TOKEN as a secret, and leaves Cloudflare's token to the plugin, which reads CLOUDFLARE_API_TOKEN", async () => {
        const result = await withEnv({ GITHUB_TOKEN: ENV_GITHUB_TOKEN, CLOUDFLARE_API_TOKEN: ENV_CLOUDFLARE_TOKEN }, () => okRun(runPinned("prod", {})));
        assert.deepEqual(credentials(result), { "github.token": { value: ENV_GITHUB_TOKEN, secret: true } });
        const none = await withEnv({}, () => okRun(runPinned("staging", {})));
        assert.deepEqual(credentials(none), {});
    });

    it("npm run plan prints no provider credential, from the environment or from secret stack config", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-plan-"));
        const file = path.join(dir, "credentials.yaml");
        const secure = (key: string) => [`  ${key}:`, `    secure: ${CIPHERTEXT}`];
        fs.writeFileSync(file, ["config:", ...secure("github:token"), ...secure("cloudflare:apiToken"), ""].join("\n"));
        try {
            for (const args of [
                ["--stack", "staging", "--json"],
                ["--stack", "prod", "--json"],
                ["--stack", "prod", "--markdown", "--diff-config", file],
            ]) {
                const io = captureIo();
                const code = await withEnv({ GITHUB_TOKEN: ENV_GITHUB_TOKEN, CLOUDFLARE_API_TOKEN: ENV_CLOUDFLARE_TOKEN }, () => invoke(planTool, args, io));
                assert.equal(code, 0, io.stderr);
                for (const value of [ENV_GITHUB_TOKEN, ENV_CLOUDFLARE_TOKEN, CIPHERTEXT, secretPlaceholder("github:token"), secretPlaceholder("cloudflare:apiToken")]) {
                    assert.ok(!io.stdout.includes(value) && !io.stderr.includes(value), `${args.join(" ")} shows ${value}`);
                }
                assert.match(io.stdout, /\[secret\]/, args.join(" "));
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
