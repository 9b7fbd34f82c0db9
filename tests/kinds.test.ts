// The issuer, consumer and check kinds (scripts/lib/kinds), each held to exact
// expectations: a kind whose definition changes fails here by name. A kind
// added to the registry without an entry in EXPECTED fails too.
import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ISSUER_TYPES } from "../scripts/lib/credentials";
import { physicalIds, writes } from "../scripts/lib/inventory";
import { CONSUMER_CHECK_KINDS, CREDENTIAL_CHECK_KINDS } from "../providers/verify";
import { CHECKS, CONSUMERS, DescribeContext, ISSUERS, KINDS, Kind, RegistrationLike, checkOf, consumerOf, issuerOf, kindOf } from "../scripts/lib/kinds";
import { fakeRandomHex, fakeRandomPassword } from "../scripts/lib/kinds/fake";
import { text } from "../scripts/lib/kinds/kind";
import { fakeCloud } from "../scripts/lib/offline/fakeCloud";
import { isSecretValue } from "../scripts/lib/offline/mocks";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

/** A plan context without a plan: fake values shown as they are, every secret from `src-a`. */
function context(reg: RegistrationLike): DescribeContext {
    return {
        input: (k) => text(reg.inputs[k]),
        shown: (k) => (isSecretValue(reg.inputs[k]) ? "[secret]" : text(reg.inputs[k])),
        text: (s) => s,
        sources: () => ["output of src-a.value"],
        githubRepository: () => `raxx-app/${text(reg.inputs.repository)}`,
    };
}

interface Example {
    readonly reg: RegistrationLike;
    readonly fake: Record<string, unknown>;
    /** Writes as [kind, place, value, secret]. */
    readonly writes: readonly (readonly [string, string, unknown, boolean])[];
    readonly physicalIds: readonly string[];
    readonly describe: string;
    /** The adoption, in one line: `import <id> <format>`, `on-create <note>`, `successor <why> <then>`, `created <why>`. */
    readonly adoption: string;
}

function adoptionLine(kind: Kind, reg: RegistrationLike): string {
    const a = kind.adoption;
    switch (a.how) {
        case "import": {
            const { id, format } = a.importId(reg);
            return `import ${id} ${format}`;
        }
        case "on-create":
            return `on-create ${a.note(reg, context(reg)).note} ${JSON.stringify(a.note(reg, context(reg)).commands)}`;
        case "successor":
            return `successor ${a.why} ${a.then("a", undefined)}`;
        case "created":
            return `created ${a.why}`;
    }
}

const reg = (type: string, name: string, inputs: Record<string, unknown>, importId = ""): RegistrationLike => ({ type, name, inputs, options: { importId } });
const SUCCESSOR = "The first `pulumi up` issues a new one in slot a and writes it to every consumer; then remove the hand-made one.";
const CHECK_CREATED = "created A check has nothing outside the state: the first `pulumi up` runs it, after what it checks.";
const checkFake = (name: string) => ({ checkedAt: "2026-11-29T00:00:00.000Z", result: `passed: fake check ${name}` });
const hex = fakeRandomHex("t-a");

/** One example per type token of every kind. */
const EXPECTED: Record<string, readonly Example[]> = {
    awsAccessKey: [
        {
            reg: reg("aws:iam/accessKey:AccessKey", "k-a", { user: "raxx-x" }),
            fake: { id: "fake-access-key-id-of-k-a", secret: "fake-secret-access-key-of-k-a" },
            writes: [],
            physicalIds: [],
            describe: "access key of IAM user raxx-x",
            adoption: `successor An access key's secret is readable only when it is created, so a hand-made key cannot be adopted with its secret. ${SUCCESSOR}`,
        },
    ],
    herokuAuthorization: [
        {
            reg: reg("pulumi-nodejs:dynamic/heroku:Authorization", "h-a", { description: "deploy", scope: '["global"]' }),
            fake: {
                id: "fake-authorization-id-of-h-a",
                authorizationId: "fake-authorization-id-of-h-a",
                token: "fake-heroku-token-of-h-a",
                ownerId: "fake-heroku-account-id",
                ownerEmail: "fake-heroku-account@raxx.app",
            },
            writes: [],
            physicalIds: [],
            describe: 'Heroku OAuth authorization "deploy", scope global',
            adoption: `successor Not importable (a dynamic provider: pulumi/pulumi#16175), and a hand-made authorization's token is not in config. ${SUCCESSOR}`,
        },
    ],
    cloudflareApiToken: [
        {
            reg: reg("cloudflare:index/apiToken:ApiToken", "c-a", { name: "raxx-billing-readonly" }),
            fake: { id: "fake-token-id-of-c-a", value: "fake-cloudflare-token-of-c-a" },
            writes: [],
            physicalIds: [],
            describe: 'Cloudflare API token "raxx-billing-readonly"',
            adoption: "created the log's item 2 was blocked (no Cloudflare token could mint it): the first `pulumi up` creates it",
        },
    ],
    randomBytes: [
        {
            reg: reg("random:index/randomBytes:RandomBytes", "t-a", { length: 32 }),
            fake: { hex, base64: Buffer.from(hex, "hex").toString("base64") },
            writes: [],
            physicalIds: [],
            describe: "32 random bytes",
            adoption:
                "successor A RandomBytes can be imported only by its value (base64), which would put the live token in the import file; the stack makes a new one instead. The first `pulumi up` writes the new token to the GitHub environment secret and the console's config var in one update (the two always hold the same value); the deploy workflow and the console switch together.",
        },
    ],
    randomPassword: [
        {
            reg: reg("random:index/randomPassword:RandomPassword", "p-a", { length: 40, special: false }),
            fake: { result: fakeRandomPassword("p-a"), bcryptHash: "fake-bcrypt-hash-of-p-a" },
            writes: [],
            physicalIds: [],
            describe: "40 random letters and digits",
            adoption:
                "successor A RandomPassword can be imported only by its value, which would put the live password in the import file; the stack makes a new one instead. The first `pulumi up` adopts the existing user without writing its password; the first rotation of the slot writes the stack's.",
        },
        {
            reg: reg("random:index/randomPassword:RandomPassword", "p-b", { length: 24 }),
            fake: { result: fakeRandomPassword("p-b"), bcryptHash: "fake-bcrypt-hash-of-p-b" },
            writes: [],
            physicalIds: [],
            describe: "24 random characters",
            adoption:
                "successor A RandomPassword can be imported only by its value, which would put the live password in the import file; the stack makes a new one instead. The first `pulumi up` adopts the existing user without writing its password; the first rotation of the slot writes the stack's.",
        },
    ],
    accessServiceToken: [
        {
            reg: reg("cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken", "vault-access-a", { name: "raxx-vault-ci", accountId: "acc" }),
            fake: {
                id: "fake-access-service-token-id-of-vault-access-a",
                clientId: "fake-access-client-id-of-vault-access-a",
                clientSecret: "fake-access-client-secret-of-vault-access-a",
            },
            writes: [],
            physicalIds: [],
            describe: 'Cloudflare Access service token "raxx-vault-ci"',
            adoption: "created no Access service token was made in the 2026-05-06 session: the first `pulumi up` creates it",
        },
    ],
    ssmParameter: [
        {
            reg: reg("aws:ssm/parameter:Parameter", "p", { name: "/raxx/x/key", type: "SecureString", value: secret("v") }),
            fake: { arn: "arn:aws:ssm:us-east-1:521228113048:parameter/raxx/x/key" },
            writes: [["ssm", "ssm /raxx/x/key", "v", true]],
            physicalIds: ["aws ssm parameter /raxx/x/key"],
            describe: "SSM SecureString /raxx/x/key",
            adoption: "import /raxx/x/key <parameter name>",
        },
        {
            reg: reg("aws:ssm/parameter:Parameter", "adopted", { name: "/raxx/x/db", type: "SecureString" }, "/raxx/x/db"),
            fake: { arn: "arn:aws:ssm:us-east-1:521228113048:parameter/raxx/x/db" },
            writes: [],
            physicalIds: ["aws ssm parameter /raxx/x/db"],
            describe: "SSM SecureString /raxx/x/db (adopted: imported, never written)",
            adoption: "import /raxx/x/db <parameter name>",
        },
    ],
    githubSecret: [
        {
            reg: reg("github:index/actionsSecret:ActionsSecret", "s", { repository: "raxx", secretName: "HEROKU_API_KEY", value: secret("tok") }),
            fake: {},
            writes: [["github-secret", "github secret raxx/HEROKU_API_KEY", "tok", true]],
            physicalIds: ["github secret raxx/HEROKU_API_KEY"],
            describe: "GitHub secret raxx-app/raxx HEROKU_API_KEY",
            adoption: "import raxx:HEROKU_API_KEY <repository>:<secret name>",
        },
        {
            reg: reg("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret", "es", { repository: "raxx", environment: "prod:eu", secretName: "T", value: "plain" }),
            fake: {},
            writes: [["github-secret", "github secret raxx (prod:eu)/T", "plain", false]],
            physicalIds: ["github secret raxx (prod:eu)/T"],
            describe: "GitHub secret raxx-app/raxx environment prod:eu: T",
            adoption: "import raxx:prod??eu:T <repository>:<environment>:<secret name>",
        },
    ],
    githubVariable: [
        {
            reg: reg("github:index/actionsVariable:ActionsVariable", "v", { repository: "raxx", variableName: "URL", value: "https://x" }),
            fake: {},
            writes: [["github-variable", "github variable raxx/URL", "https://x", false]],
            physicalIds: ["github variable raxx/URL"],
            describe: "GitHub variable raxx-app/raxx URL = https://x",
            adoption: "import raxx:URL <repository>:<variable name>",
        },
        {
            reg: reg("github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable", "ev", { repository: "raxx", environment: "production", variableName: "K", value: secret("s") }),
            fake: {},
            writes: [["github-variable", "github variable raxx (production)/K", "s", true]],
            physicalIds: ["github variable raxx (production)/K"],
            describe: "GitHub variable raxx-app/raxx environment production: K = [secret]",
            adoption: "import raxx:production:K <repository>:<environment>:<variable name>",
        },
    ],
    herokuConfigVars: [
        {
            reg: reg("pulumi-nodejs:dynamic/heroku:ConfigVars", "cv", { app: "raxx-api", vars: { FLAG: "on" }, secretVars: secret({ API_KEY: "k" }) }),
            fake: { instance: "fake-instance-of-cv", ownerId: "fake-heroku-account-id", ownerEmail: "fake-heroku-account@raxx.app" },
            writes: [
                ["heroku-config-var", "heroku raxx-api/FLAG", "on", false],
                ["heroku-config-var", "heroku raxx-api/API_KEY", "k", true],
            ],
            physicalIds: ["heroku config var raxx-api/FLAG", "heroku config var raxx-api/API_KEY"],
            describe: "Heroku raxx-api: FLAG=on, API_KEY [secret]",
            adoption:
                'on-create not importable (pulumi/pulumi#16175: `import` does not work for Node.js dynamic providers). The provider\'s create reads raxx-api\'s config vars and writes only the keys whose value differs: FLAG=on (no write if the app has it already); API_KEY [secret] from src-a (a new value: written). A write is one release of raxx-api (a restart). ["heroku config -a raxx-api --json | jq keys   # after `pulumi up`: the keys are set, the app\'s other vars untouched (names only)"]',
        },
    ],
    infisicalSecret: [
        {
            reg: reg("pulumi-nodejs:dynamic/infisical:Secret", "vault-db", {
                projectId: "proj-1",
                environment: "prod",
                path: "/raxx/",
                key: "DB_PASSWORD",
                value: secret("pw"),
                access: secret({ clientId: "i", clientSecret: "s" }),
                owner: "raxx-platform/prod",
            }),
            fake: { secretId: "fake-infisical-secret-id-of-vault-db" },
            writes: [["vault-secret", "vault prod /raxx/DB_PASSWORD", "pw", true]],
            physicalIds: ["infisical secret proj-1 prod /raxx/DB_PASSWORD"],
            describe: "Infisical secret prod /raxx/DB_PASSWORD (project proj-1)",
            adoption:
                "on-create not importable (pulumi/pulumi#16175: `import` does not work for Node.js dynamic providers). The provider's create adopts /raxx/DB_PASSWORD in environment prod of project proj-1 if it exists, and writes the stack's value there. []",
        },
        {
            reg: reg("pulumi-nodejs:dynamic/infisical:Secret", "vault-url", { projectId: "proj-1", environment: "dev", path: "/", key: "URL", value: "https://x" }),
            fake: { secretId: "fake-infisical-secret-id-of-vault-url" },
            writes: [["vault-secret", "vault dev /URL", "https://x", false]],
            physicalIds: ["infisical secret proj-1 dev /URL"],
            describe: "Infisical secret dev /URL (project proj-1)",
            adoption:
                "on-create not importable (pulumi/pulumi#16175: `import` does not work for Node.js dynamic providers). The provider's create adopts /URL in environment dev of project proj-1 if it exists, and writes the stack's value there. []",
        },
    ],
    workspaceUser: [
        {
            reg: reg("pulumi-nodejs:dynamic/google-workspace:User", "no-reply", {
                primaryEmail: "no-reply@raxx.app",
                givenName: "No Reply",
                familyName: "Raxx",
                password: secret("pw"),
                suspended: true,
            }),
            fake: { userId: "fake-workspace-user-id-of-no-reply", adopted: false, passwordWritten: true },
            writes: [["workspace-user", "workspace user no-reply@raxx.app", "pw", true]],
            physicalIds: ["google workspace address no-reply@raxx.app"],
            describe: 'Workspace user no-reply@raxx.app "No Reply Raxx", suspended: no sign-in, no mail',
            adoption:
                "on-create not importable (pulumi/pulumi#16175: `import` does not work for Node.js dynamic providers). The provider's create adopts no-reply@raxx.app if it exists: it sets the name and suspends it, and never writes its password (a live value) until the slot is rotated. []",
        },
        {
            reg: reg("pulumi-nodejs:dynamic/google-workspace:User", "u", { primaryEmail: "u@raxx.app", givenName: "U", familyName: "Ser", password: "plain", suspended: false }),
            fake: { userId: "fake-workspace-user-id-of-u", adopted: false, passwordWritten: true },
            writes: [["workspace-user", "workspace user u@raxx.app", "plain", false]],
            physicalIds: ["google workspace address u@raxx.app"],
            describe: 'Workspace user u@raxx.app "U Ser"',
            adoption:
                "on-create not importable (pulumi/pulumi#16175: `import` does not work for Node.js dynamic providers). The provider's create adopts u@raxx.app if it exists: it sets the name and suspends it, and never writes its password (a live value) until the slot is rotated. []",
        },
    ],
    credentialCheck: [
        {
            reg: reg("pulumi-nodejs:dynamic/verify:CredentialCheck", "h-check-a", {
                credential: "herokuPlatformToken",
                slot: "a",
                kind: "herokuAuthorization",
                enabled: true,
                timeoutSeconds: 30,
                value: secret({ token: "tok" }),
                expect: { authorizationId: "auth-a" },
            }),
            fake: checkFake("h-check-a"),
            writes: [],
            physicalIds: [],
            describe: "check of herokuPlatformToken slot a (herokuAuthorization), before any consumer gets it",
            adoption: CHECK_CREATED,
        },
        {
            reg: reg("pulumi-nodejs:dynamic/verify:CredentialCheck", "k-check-b", {
                credential: "awsBillingKey",
                slot: "b",
                kind: "awsAccessKey",
                enabled: false,
                timeoutSeconds: 60,
                value: secret({ accessKeyId: "id", secretAccessKey: "s" }),
                expect: { userName: "raxx-x" },
            }),
            fake: checkFake("k-check-b"),
            writes: [],
            physicalIds: [],
            describe: "check of awsBillingKey slot b (awsAccessKey), before any consumer gets it, off: verifyCredentials is false",
            adoption: CHECK_CREATED,
        },
    ],
    consumerCheck: [
        {
            reg: reg("pulumi-nodejs:dynamic/verify:ConsumerCheck", "s-check", {
                credential: "herokuPlatformToken",
                consumer: "github secret raxx/HEROKU_API_KEY",
                kind: "githubSecret",
                enabled: true,
                timeoutSeconds: 30,
                value: secret("tok"),
                where: { owner: "raxx-app", repository: "raxx", name: "HEROKU_API_KEY" },
            }),
            fake: checkFake("s-check"),
            writes: [],
            physicalIds: [],
            describe: "check of github secret raxx/HEROKU_API_KEY (herokuPlatformToken), after the write",
            adoption: CHECK_CREATED,
        },
        {
            reg: reg("pulumi-nodejs:dynamic/verify:ConsumerCheck", "vault-db-check", {
                credential: "herokuBillingToken",
                consumer: "vault prod /raxx/DB_PASSWORD",
                kind: "infisicalSecret",
                enabled: false,
                timeoutSeconds: 30,
                value: secret("pw"),
                where: { projectId: "proj-1", environment: "prod", path: "/raxx", key: "DB_PASSWORD" },
                access: secret({ clientId: "i", clientSecret: "s" }),
            }),
            fake: checkFake("vault-db-check"),
            writes: [],
            physicalIds: [],
            describe: "check of vault prod /raxx/DB_PASSWORD (herokuBillingToken), after the write, off: verifyCredentials is false",
            adoption: CHECK_CREATED,
        },
    ],
};

describe("the kinds of issuer, consumer and check", () => {
    it("have an exact expectation here for every kind and every type token, and no other", () => {
        assert.deepEqual(Object.keys(EXPECTED).sort(), KINDS.map((k) => k.id).sort());
        for (const k of KINDS) assert.deepEqual([...new Set(EXPECTED[k.id].map((e) => e.reg.type))].sort(), [...k.types].sort(), k.id);
    });

    it("claim each type token once, and are issuers, consumers or checks as listed", () => {
        const tokens = KINDS.flatMap((k) => k.types);
        assert.equal(new Set(tokens).size, tokens.length);
        assert.deepEqual(
            ISSUERS.map((k) => [k.id, k.role, k.words]),
            [
                ["awsAccessKey", "issuer", "AWS IAM access key"],
                ["herokuAuthorization", "issuer", "Heroku OAuth authorization"],
                ["cloudflareApiToken", "issuer", "Cloudflare API token"],
                ["randomBytes", "issuer", "random bytes"],
                ["accessServiceToken", "issuer", "Cloudflare Access service token"],
                ["randomPassword", "issuer", "random password"],
            ],
        );
        assert.deepEqual(
            CONSUMERS.map((k) => [k.id, k.role, k.words, k.writeKind, k.secretValueFields]),
            [
                ["ssmParameter", "consumer", "SSM parameter", "ssm", ["value"]],
                ["githubSecret", "consumer", "GitHub Actions secret", "github-secret", ["value", "plaintextValue"]],
                ["githubVariable", "consumer", "GitHub Actions variable", "github-variable", []],
                ["herokuConfigVars", "consumer", "Heroku config vars", "heroku-config-var", ["secretVars"]],
                ["infisicalSecret", "consumer", "Infisical secret", "vault-secret", ["value", "access"]],
                ["workspaceUser", "consumer", "Google Workspace user", "workspace-user", ["password"]],
            ],
        );
        // Each check kind checks exactly the kinds its provider knows (its `kind` input).
        assert.deepEqual(
            CHECKS.map((k) => [k.id, k.role, k.of, k.words, k.checks, k.types]),
            [
                ["credentialCheck", "check", "credential", "check of an issued credential", CREDENTIAL_CHECK_KINDS, ["pulumi-nodejs:dynamic/verify:CredentialCheck"]],
                ["consumerCheck", "check", "consumer", "check of a place a credential is written", CONSUMER_CHECK_KINDS, ["pulumi-nodejs:dynamic/verify:ConsumerCheck"]],
            ],
        );
        assert.deepEqual([...CREDENTIAL_CHECK_KINDS].sort(), ISSUERS.map((k) => k.id).sort());
        assert.deepEqual([...CONSUMER_CHECK_KINDS].sort(), CONSUMERS.filter((k) => k.id !== "githubVariable").map((k) => k.id).sort());
        assert.deepEqual(KINDS, [...ISSUERS, ...CONSUMERS, ...CHECKS]);
        assert.deepEqual(
            KINDS.map((k) => [k.id, k.secretInputs, k.secretOutputs]),
            [
                ["awsAccessKey", [], ["secret", "sesSmtpPasswordV4"]],
                ["herokuAuthorization", [], ["token"]],
                ["cloudflareApiToken", [], ["value"]],
                ["randomBytes", [], ["base64", "hex"]],
                ["accessServiceToken", [], ["clientSecret"]],
                ["randomPassword", [], ["result", "bcryptHash"]],
                ["ssmParameter", ["value"], ["value"]],
                ["githubSecret", ["value", "plaintextValue"], ["value", "plaintextValue", "encryptedValue"]],
                ["githubVariable", [], []],
                ["herokuConfigVars", ["secretVars"], ["secretVars"]],
                ["infisicalSecret", ["value", "access"], ["value", "access"]],
                ["workspaceUser", ["password"], ["password"]],
                ["credentialCheck", ["value"], ["value"]],
                ["consumerCheck", ["value", "access"], ["value", "access"]],
            ],
        );
        assert.deepEqual(ISSUER_TYPES, Object.fromEntries(ISSUERS.flatMap((k) => k.types.map((t) => [t, k.words]))));
    });

    it("name the type tokens the SDKs register", () => {
        const sdk = [
            aws.iam.AccessKey,
            aws.ssm.Parameter,
            cloudflare.ApiToken,
            cloudflare.ZeroTrustAccessServiceToken,
            random.RandomBytes,
            random.RandomPassword,
            github.ActionsSecret,
            github.ActionsEnvironmentSecret,
            github.ActionsVariable,
            github.ActionsEnvironmentVariable,
        ].map((c) => (c as unknown as { __pulumiType: string }).__pulumiType);
        const ours = KINDS.flatMap((k) => k.types).filter((t) => !t.startsWith("pulumi-nodejs:dynamic/"));
        assert.deepEqual(ours.sort(), sdk.sort());
    });

    for (const kind of KINDS) {
        describe(kind.id, () => {
            for (const e of EXPECTED[kind.id] ?? []) {
                it(`${e.reg.type} "${e.reg.name}": fake outputs, writes, physical ids, description and adoption`, () => {
                    assert.equal(kindOf(e.reg.type), kind);
                    for (const [role, lookup] of Object.entries({ issuer: issuerOf, consumer: consumerOf, check: checkOf })) {
                        assert.equal(lookup(e.reg.type), role === kind.role ? kind : undefined, role);
                    }
                    assert.deepEqual(fakeCloud(e.reg), e.fake);
                    assert.deepEqual(
                        writes(e.reg).map((w) => [w.kind, w.place, w.value, w.secret, w.resource]),
                        e.writes.map((w) => [...w, e.reg.name]),
                    );
                    assert.deepEqual(physicalIds(e.reg), e.physicalIds);
                    assert.equal(kind.describe(e.reg, context(e.reg)), e.describe);
                    assert.equal(adoptionLine(kind, e.reg), e.adoption);
                });
            }
        });
    }

    it("give two issuers of one kind distinct fake credentials, in their secret outputs", () => {
        for (const k of ISSUERS) {
            const [a, b] = [k.fakeOutputs("x-a", {}), k.fakeOutputs("x-b", {})];
            const fields = k.secretOutputs.filter((f) => a[f] !== undefined);
            assert.ok(fields.length > 0, `${k.id} fakes none of its secret outputs`);
            for (const f of fields) assert.notEqual(a[f], b[f], `${k.id}.${f}`);
        }
    });
});
