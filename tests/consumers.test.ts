// The places a credential is written, one component at a time, each constructed alone under
// mocks with small arguments given as plain (not yet secret) values: what it writes, where,
// under which parent and with which options; which inputs it makes secret itself; the check
// it declares after each write it is told the credential of (and none for the others); what
// it records as its outputs; and each error it refuses its arguments with, before it writes
// anything.
//
// Every run happens inside its test, never in a `before` hook or a cached whole-stack run:
// `npm run mutate` attributes a mutant to the tests that execute it (docs/mutation.md).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { GithubActionsValues, GithubActionsValuesArgs } from "../components/github/actions";
import { VaultSecrets, VaultSecretsArgs } from "../components/infisical/vaultSecrets";
import { Rotation } from "../components/rotation";
import { ADOPTED_PARAMETER_IGNORED, AdoptedSecureParameter, SecureParameter, SecureParameterArgs, parameterResourceName } from "../components/ssm/parameters";
import { Checks, checkSlots } from "../components/verification";
import { FakeOutputs, MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../scripts/lib/offline/mocks";
import { byName, okRun, ofType } from "./harness/query";

const CHECKS: Checks = { enabled: true, githubOwner: "raxx-test" };

const CONSUMER_CHECK = "pulumi-nodejs:dynamic/verify:ConsumerCheck";
const CREDENTIAL_CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const ACTIONS_SECRET = "github:index/actionsSecret:ActionsSecret";
const ACTIONS_VARIABLE = "github:index/actionsVariable:ActionsVariable";
const ENVIRONMENT_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const ENVIRONMENT_VARIABLE = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";
const PARAMETER = "aws:ssm/parameter:Parameter";
const VAULT_SECRET = "pulumi-nodejs:dynamic/infisical:Secret";

const fakes: FakeOutputs = ({ type, inputs }) => (type === PARAMETER ? { arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${String(inputs.name)}` } : undefined);

function run(program: () => unknown): Promise<MockRunResult> {
    return okRun(runWithMocks(program, { outputs: fakes }));
}

/** A recorded value as `{ secret: <value> }` when it is sent as a secret, as it is otherwise. */
function marked(v: unknown): unknown {
    return isSecretValue(v) ? { secret: plain(v) } : v;
}

/** A registration's inputs as sent (secret ones `marked`), without a dynamic resource's provider text. */
function inputsOf(reg: Registration): Record<string, unknown> {
    const { __provider: _provider, ...rest } = reg.inputs;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, marked(v)]));
}

/** Every registration under the component named `component` (and nowhere else): type, name, inputs, and what it waits for, by name. */
function children(result: MockRunResult, component: string) {
    const parent = byName(result, component);
    const names = new Map(result.registrations.map((r) => [r.urn, r.name]));
    return result.registrations
        .filter((r) => r !== parent)
        .map((r) => ({
            type: r.type,
            name: r.name,
            underComponent: r.parent === parent.urn,
            inputs: inputsOf(r),
            dependsOn: r.options.dependsOn.map((urn) => names.get(urn) ?? urn),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the component named `name` recorded as its outputs in the state, each secret one `marked`. */
function recorded(result: MockRunResult, name: string): Record<string, unknown> {
    const outputs = result.componentOutputs?.[byName(result, name).urn];
    assert.ok(outputs !== undefined, `${name} recorded no outputs`);
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, marked(v)]));
}

/** Runs `program`, which must throw; answers its message and the types it registered besides components. */
async function refused(program: () => unknown): Promise<{ message: string | undefined; registered: string[] }> {
    const result = await runWithMocks(program, { outputs: fakes });
    return { message: result.error?.message, registered: result.registrations.filter((r) => r.custom).map((r) => r.type) };
}

describe("GithubActionsValues", () => {
    const NAME_ERROR = (name: string) => `GitHub Actions name ${JSON.stringify(name)} is not letters, digits and underscores (not starting with a digit or GITHUB_); for example HEROKU_API_KEY`;
    const make = (args: Partial<GithubActionsValuesArgs>) => new GithubActionsValues("gh", { repository: "raxx-api", ...args });
    const CHECK = { checks: CHECKS, credentials: { HEROKU_API_KEY: "herokuPlatformToken" } };

    it("writes repository secrets, each value made secret, and repository variables as given, not secret, under the component, and checks nothing unasked", async () => {
        const result = await run(() => make({ secrets: { HEROKU_API_KEY: "plain-key", SENTRY_DSN: "plain-dsn" }, variables: { APP_URL: "https://raxx.app" } }));
        assert.equal(byName(result, "gh").type, "raxx:github:ActionsValues");
        assert.deepEqual(children(result, "gh"), [
            { type: ACTIONS_SECRET, name: "gh-secret-HEROKU_API_KEY", underComponent: true, inputs: { repository: "raxx-api", secretName: "HEROKU_API_KEY", value: { secret: "plain-key" } }, dependsOn: [] },
            { type: ACTIONS_SECRET, name: "gh-secret-SENTRY_DSN", underComponent: true, inputs: { repository: "raxx-api", secretName: "SENTRY_DSN", value: { secret: "plain-dsn" } }, dependsOn: [] },
            { type: ACTIONS_VARIABLE, name: "gh-variable-APP_URL", underComponent: true, inputs: { repository: "raxx-api", variableName: "APP_URL", value: "https://raxx.app" }, dependsOn: [] },
        ]);
    });

    it("writes the secrets and variables of the environment given, as environment secrets and variables, under the component", async () => {
        const result = await run(() => make({ environment: "production", secrets: { HEROKU_API_KEY: "plain-key" }, variables: { APP_URL: "https://raxx.app" } }));
        assert.deepEqual(children(result, "gh"), [
            { type: ENVIRONMENT_SECRET, name: "gh-secret-HEROKU_API_KEY", underComponent: true, inputs: { repository: "raxx-api", environment: "production", secretName: "HEROKU_API_KEY", value: { secret: "plain-key" } }, dependsOn: [] },
            { type: ENVIRONMENT_VARIABLE, name: "gh-variable-APP_URL", underComponent: true, inputs: { repository: "raxx-api", environment: "production", variableName: "APP_URL", value: "https://raxx.app" }, dependsOn: [] },
        ]);
    });

    it("checks, after its write, each repository secret whose credential is listed, as a githubSecret of the checks' owner, its value secret, and no other secret or variable", async () => {
        const result = await run(() => make({ secrets: { HEROKU_API_KEY: "plain-key", SENTRY_DSN: "plain-dsn" }, variables: { APP_URL: "https://raxx.app" }, check: CHECK }));
        assert.deepEqual(
            children(result, "gh").filter((c) => c.type === CONSUMER_CHECK),
            [
                {
                    type: CONSUMER_CHECK,
                    name: "gh-secret-HEROKU_API_KEY-check",
                    underComponent: true,
                    inputs: {
                        credential: "herokuPlatformToken",
                        consumer: "github secret raxx-api/HEROKU_API_KEY",
                        kind: "githubSecret",
                        enabled: true,
                        timeoutSeconds: 30,
                        value: { secret: "plain-key" },
                        where: { owner: "raxx-test", repository: "raxx-api", name: "HEROKU_API_KEY" },
                    },
                    dependsOn: ["gh-secret-HEROKU_API_KEY"],
                },
            ],
        );
    });

    it("takes a secret's credential from the list's own entries only: a secret named like a property of every object gets no check", async () => {
        const result = await run(() => make({ secrets: { constructor: "plain-x", toString: "plain-y" }, check: CHECK }));
        assert.deepEqual(
            children(result, "gh").map((c) => c.type),
            [ACTIONS_SECRET, ACTIONS_SECRET],
        );
    });

    it("checks an environment secret in that environment, after its write", async () => {
        const result = await run(() => make({ environment: "production", secrets: { HEROKU_API_KEY: "plain-key" }, check: CHECK }));
        const check = children(result, "gh").filter((c) => c.type === CONSUMER_CHECK);
        assert.deepEqual(
            check.map((c) => ({ name: c.name, consumer: c.inputs.consumer, where: c.inputs.where, dependsOn: c.dependsOn })),
            [
                {
                    name: "gh-secret-HEROKU_API_KEY-check",
                    consumer: "github secret raxx-api (production)/HEROKU_API_KEY",
                    where: { owner: "raxx-test", repository: "raxx-api", environment: "production", name: "HEROKU_API_KEY" },
                    dependsOn: ["gh-secret-HEROKU_API_KEY"],
                },
            ],
        );
    });

    for (const [what, args, bad] of [
        ["a secret name starting with GITHUB_", { secrets: { HEROKU_API_KEY: "x", GITHUB_TOKEN: "y" } }, "GITHUB_TOKEN"],
        ["a secret name starting with a digit", { secrets: { HEROKU_API_KEY: "x", "1PASSWORD": "y" } }, "1PASSWORD"],
        ["a variable name with a dash, even with good secrets", { secrets: { HEROKU_API_KEY: "x" }, variables: { "APP-URL": "y" } }, "APP-URL"],
        ["an empty variable name", { variables: { "": "y" } }, ""],
    ] as const) {
        it(`refuses ${what}, naming it, before it writes anything`, async () => {
            assert.deepEqual(await refused(() => make(args)), { message: NAME_ERROR(bad), registered: [] });
        });
    }
});

describe("SecureParameter", () => {
    const PATH = "/raxx/billing-readonly/aws_access_key_id";
    const ARN = `arn:aws:ssm:eu-west-1:123456789012:parameter${PATH}`;
    const make = (args: Partial<SecureParameterArgs> = {}) => new SecureParameter("p", { path: PATH, value: "plain-key-id", description: "the billing reader's key id", ...args });

    it("writes a SecureString parameter at the path, its value made secret, with the description, KMS key and tags given, under the component, and checks nothing unasked", async () => {
        const result = await run(() => make({ keyId: "alias/raxx", tags: { team: "platform" } }));
        assert.equal(byName(result, "p").type, "raxx:ssm:SecureParameter");
        assert.deepEqual(children(result, "p"), [
            {
                type: PARAMETER,
                name: "p-parameter",
                underComponent: true,
                inputs: { name: PATH, type: "SecureString", value: { secret: "plain-key-id" }, description: "the billing reader's key id", keyId: "alias/raxx", tags: { team: "platform" } },
                dependsOn: [],
            },
        ]);
    });

    it("checks, after the write, that the parameter holds the value, as an ssmParameter in the region given, its value secret", async () => {
        const result = await run(() => make({ check: { credential: "awsBillingKey", checks: CHECKS, region: "eu-west-1" } }));
        assert.deepEqual(
            children(result, "p").filter((c) => c.type === CONSUMER_CHECK),
            [
                {
                    type: CONSUMER_CHECK,
                    name: "p-check",
                    underComponent: true,
                    inputs: { credential: "awsBillingKey", consumer: `ssm ${PATH}`, kind: "ssmParameter", enabled: true, timeoutSeconds: 30, value: { secret: "plain-key-id" }, where: { region: "eu-west-1", name: PATH } },
                    dependsOn: ["p-parameter"],
                },
            ],
        );
    });

    it("hands out the parameter's path, ARN and value, the value as a secret, and records the same as its outputs in the state", async () => {
        const result = await run(() => {
            const p = make();
            return { path: p.path, arn: p.arn, value: p.value };
        });
        assert.deepEqual(result.outputs, { path: PATH, arn: ARN, value: "plain-key-id" });
        assert.deepEqual(result.secretOutputs, ["value"]);
        assert.deepEqual(recorded(result, "p"), { path: PATH, arn: ARN, value: { secret: "plain-key-id" } });
    });

    for (const [what, path] of [
        ["a relative path", "raxx/billing-readonly/key"],
        ["a path with a space", "/raxx/billing readonly/key"],
        ["a path with a trailing slash", "/raxx/billing-readonly/"],
    ] as const) {
        it(`refuses ${what}, naming it, before it writes anything`, async () => {
            assert.deepEqual(await refused(() => make({ path })), {
                message: `SSM parameter path ${JSON.stringify(path)} is not a full path of letters, digits and "_.-"; for example "/raxx/billing-readonly/aws_access_key_id"`,
                registered: [],
            });
        });
    }
});

describe("AdoptedSecureParameter", () => {
    const PATH = "/raxx/freescout/db_password";

    it("imports the parameter at its path under the component, sends no value, ignores every property set by hand, retains it on delete and protects it", async () => {
        const result = await run(() => new AdoptedSecureParameter("db", { path: PATH }));
        assert.equal(byName(result, "db").type, "raxx:ssm:AdoptedSecureParameter");
        assert.deepEqual(children(result, "db"), [{ type: PARAMETER, name: "db-parameter", underComponent: true, inputs: { name: PATH, type: "SecureString" }, dependsOn: [] }]);
        const { importId, ignoreChanges, retainOnDelete, protect } = byName(result, "db-parameter").options;
        assert.deepEqual({ importId, ignoreChanges, retainOnDelete, protect }, { importId: PATH, ignoreChanges: ADOPTED_PARAMETER_IGNORED, retainOnDelete: true, protect: true });
        assert.deepEqual(ADOPTED_PARAMETER_IGNORED, ["value", "insecureValue", "description", "keyId", "tier", "dataType", "allowedPattern", "tags"]);
    });

    it("hands out the parameter's path and ARN, and records the same as its outputs in the state", async () => {
        const result = await run(() => {
            const p = new AdoptedSecureParameter("db", { path: PATH });
            return { path: p.path, arn: p.arn };
        });
        const outputs = { path: PATH, arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${PATH}` };
        assert.deepEqual(result.outputs, outputs);
        assert.deepEqual(recorded(result, "db"), outputs);
    });

    it("refuses a relative path, naming it, before it imports anything", async () => {
        assert.deepEqual(await refused(() => new AdoptedSecureParameter("db", { path: "raxx/freescout/db_password" })), {
            message: `SSM parameter path "raxx/freescout/db_password" is not a full path of letters, digits and "_.-"; for example "/raxx/billing-readonly/aws_access_key_id"`,
            registered: [],
        });
    });
});

describe("parameterResourceName", () => {
    it("joins a path's levels with dashes, dropping only its leading slash", () => {
        assert.deepEqual(
            ["/raxx/billing-readonly/aws_access_key_id", "/raxx", "raxx/a.b"].map(parameterResourceName),
            ["raxx-billing-readonly-aws_access_key_id", "raxx", "raxx-a.b"],
        );
    });
});

describe("VaultSecrets", () => {
    const ACCESS = { clientId: "plain-client-id", clientSecret: "plain-client-secret" };
    /** Built inside the run: an output made before the mocks are set belongs to no run. */
    const make = (args: Partial<VaultSecretsArgs> = {}) =>
        new VaultSecrets("vault", {
            target: { projectId: "proj-1", environment: "prod", access: pulumi.output(ACCESS) },
            path: "/MooseQuest/heroku",
            secrets: { HEROKU_PLATFORM_API_TOKEN: "plain-token", SENTRY_DSN: "plain-dsn" },
            ...args,
        });
    const written = (key: string, value: string) => ({
        type: VAULT_SECRET,
        name: `vault-${key}`,
        underComponent: true,
        inputs: { projectId: "proj-1", environment: "prod", path: "/MooseQuest/heroku", key, value: { secret: value }, access: { secret: ACCESS }, owner: `raxx-platform/test/vault-${key}` },
        dependsOn: [],
    });

    it("writes each secret in the folder given, its value and the Access token it is sent with made secret, under the component, and checks nothing unasked", async () => {
        const result = await run(() => make());
        assert.equal(byName(result, "vault").type, "raxx:vault:Secrets");
        assert.deepEqual(children(result, "vault"), [written("HEROKU_PLATFORM_API_TOKEN", "plain-token"), written("SENTRY_DSN", "plain-dsn")]);
    });

    it("checks, after its write, each secret whose credential is listed, as an infisicalSecret at its project, environment, folder and name, through the Access token, both secret, and no other", async () => {
        const result = await run(() => make({ check: { checks: CHECKS, credentials: { HEROKU_PLATFORM_API_TOKEN: "herokuPlatformToken" } } }));
        assert.deepEqual(children(result, "vault"), [
            written("HEROKU_PLATFORM_API_TOKEN", "plain-token"),
            {
                type: CONSUMER_CHECK,
                name: "vault-HEROKU_PLATFORM_API_TOKEN-check",
                underComponent: true,
                inputs: {
                    credential: "herokuPlatformToken",
                    consumer: "vault prod /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN",
                    kind: "infisicalSecret",
                    enabled: true,
                    timeoutSeconds: 30,
                    value: { secret: "plain-token" },
                    where: { projectId: "proj-1", environment: "prod", path: "/MooseQuest/heroku", key: "HEROKU_PLATFORM_API_TOKEN" },
                    access: { secret: ACCESS },
                },
                dependsOn: ["vault-HEROKU_PLATFORM_API_TOKEN"],
            },
            written("SENTRY_DSN", "plain-dsn"),
        ]);
    });

    it("takes a secret's credential from the list's own entries only: a secret named like a property of every object gets no check", async () => {
        const result = await run(() => make({ secrets: { constructor: "plain-x" }, check: { checks: CHECKS, credentials: { HEROKU_PLATFORM_API_TOKEN: "herokuPlatformToken" } } }));
        assert.deepEqual(
            children(result, "vault").map((c) => c.name),
            ["vault-constructor"],
        );
    });

    for (const [what, args, message] of [
        ["a path with a trailing slash", { path: "/MooseQuest/" }, `vault path "/MooseQuest/" is not "/" or folders of letters, digits, '-' and '_', each after a '/'; for example /Raxx/Console/Billing`],
        ["a secret name with a dot, even after a good one", { secrets: { GOOD: "x", "A.B": "y" } }, `vault secret name "A.B" is not letters, digits and '_', not starting with a digit; for example HEROKU_PLATFORM_API_TOKEN`],
    ] as const) {
        it(`refuses ${what}, naming it, before it writes anything`, async () => {
            assert.deepEqual(await refused(() => make(args)), { message, registered: [] });
        });
    }
});

/** A resource that issues nothing: checkSlots reads only its URN. */
class Issuer extends pulumi.CustomResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions) {
        super("test:index:Issuer", name, {}, opts);
    }
}

describe("checkSlots", () => {
    const ROTATION: Rotation = { active: "b", dates: { a: "2026-05-06", b: "2026-08-04" }, maxAgeDays: 90 };

    it("declares each slot's check under the parent given, whatever parent the options name, with the caller's other options, and hands out the active slot's value after its check, as a secret", async () => {
        const result = await run(() => {
            const parent = new pulumi.ComponentResource("test:index:Issuing", "issuing");
            const elsewhere = new pulumi.ComponentResource("test:index:Elsewhere", "elsewhere");
            const issuer = (slot: string) => new Issuer(`issuer-${slot}`, { parent });
            const slots = { a: issuer("a"), b: issuer("b") };
            const checked = checkSlots(
                "issuing-check",
                { credential: "auditIngestToken", kind: "randomBytes", rotation: ROTATION, checks: CHECKS, slots: { slots, active: slots.b } },
                parent,
                (t) => ({ value: { hex: t.urn.apply((u) => `plain-hex-of-${u.split("::").pop()}`) }, expect: { bytes: 16 } }),
                (t) => t.urn.apply((u) => `active-${u.split("::").pop()}`),
                { parent: elsewhere, protect: true, ignoreChanges: ["expect"] },
            );
            return { active: checked.active };
        });
        const parent = byName(result, "issuing");
        assert.deepEqual(
            ofType(result, CREDENTIAL_CHECK).map((r) => ({ name: r.name, underParent: r.parent === parent.urn, protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, inputs: inputsOf(r) })),
            ["a", "b"].map((slot) => ({
                name: `issuing-check-${slot}`,
                underParent: true,
                protect: true,
                ignoreChanges: ["expect"],
                inputs: { credential: "auditIngestToken", slot, kind: "randomBytes", enabled: true, timeoutSeconds: 1, value: { secret: { hex: `plain-hex-of-issuer-${slot}` } }, expect: { bytes: 16 } },
            })),
        );
        assert.deepEqual(result.outputs, { active: "active-issuer-b" });
        assert.deepEqual(result.secretOutputs, ["active"]);
    });
});
