import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { CREDENTIAL_IDS, ConfigError, KEYS, KeySpec, PROJECT, StackConfig, configSource, isSecretKey, loadConfig, parseConfig, rotationKeySpec, todayUtc } from "../config";
import { runWithMocks } from "../scripts/lib/offline/mocks";
import { ROOT, readStackConfig, runStack, secretPlaceholder, withOverrides } from "../scripts/lib/offline/stack";
import { checkConfig } from "../scripts/lib/plan/model";

const TODAY = "2026-11-28";

const ROTATIONS: Record<string, string> = {
    "raxx-platform:herokuPlatformTokenRotation": "active=a a=2026-05-06",
    "raxx-platform:herokuBillingTokenRotation": "active=a a=2026-05-06",
    "raxx-platform:awsBillingKeyRotation": "active=a a=2026-05-06",
    "raxx-platform:cloudflareBillingTokenRotation": "active=a a=2026-05-06",
    "raxx-platform:freescoutBackupKeyRotation": "active=b a=2026-05-06 b=2026-08-04",
    "raxx-platform:auditIngestTokenRotation": "active=a a=2026-05-06",
    "raxx-platform:vaultAccessTokenRotation": "active=a a=2026-05-06",
};

const VAULT_APP = "3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e";
const VAULT_PROJECT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const PROD: Record<string, string> = {
    "raxx-platform:environment": "production",
    "raxx-platform:githubRepository": "raxx",
    "github:owner": "MooseQuest",
    "raxx-platform:consoleApp": "raxx-console-prod",
    "raxx-platform:consoleInternalUrl": "https://console.raxx.app",
    "raxx-platform:awsAccountId": "521228113048",
    "aws:region": "us-east-1",
    "raxx-platform:deployTokenApps": JSON.stringify(["raxx-console-prod", "raxx-console-staging", "raxx-api-prod", "raxx-api-staging"]),
    "raxx-platform:cloudflareZoneId": "f12dbb5cac57d5591a5058874498a6d1",
    "raxx-platform:cloudflareZoneName": "raxx.app",
    "raxx-platform:vaultAccessApplicationId": VAULT_APP,
    "raxx-platform:infisicalProjectId": VAULT_PROJECT,
    "raxx-platform:infisicalEnvironment": "prod",
    ...ROTATIONS,
};

const STAGING: Record<string, string> = {
    "raxx-platform:environment": "staging",
    "raxx-platform:githubRepository": "raxx",
    "github:owner": "MooseQuest",
    "raxx-platform:consoleApp": "raxx-console-staging",
    "raxx-platform:consoleInternalUrl": "https://raxx-console-staging.herokuapp.com",
    "raxx-platform:auditIngestTokenRotation": "active=a a=2026-05-06",
};

// A DKIM record of the shape Google Admin generates (a made-up key).
const DKIM = `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "x1Y2")}IDAQAB`;

/** Parses `values`, of which `secretKeys` were set with `pulumi config set --secret`. */
function parse(values: Record<string, string | undefined>, secretKeys: string[] = []): StackConfig {
    return parseConfig(configSource(values, secretKeys), TODAY);
}

function problemsOf(values: Record<string, string | undefined>, secretKeys: string[] = []): readonly string[] {
    return configErrorOf(() => parse(values, secretKeys)).problems;
}

function configErrorOf(run: () => unknown): ConfigError {
    try {
        run();
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
        return e;
    }
    assert.fail("the config was accepted");
}

/** Runs `fn` with the clock at `iso`: `new Date()` is that instant (dates given a value stay as they are). */
function atInstant<T>(iso: string, fn: () => T): T {
    const RealDate = Date;
    const now = RealDate.parse(iso);
    globalThis.Date = class extends RealDate {
        constructor(...args: [] | [number | string | Date]) {
            super(args.length === 0 ? now : args[0]);
        }
    } as DateConstructor;
    try {
        return fn();
    } finally {
        globalThis.Date = RealDate;
    }
}

describe("config", () => {
    const A = { active: "a", dates: { a: "2026-05-06" }, maxAgeDays: 90 };

    it("parses a valid production config into the typed config", () => {
        assert.deepEqual(parse(PROD), {
            environment: "production",
            github: { owner: "MooseQuest", token: undefined, appAuth: undefined, repository: "raxx", environment: "production" },
            console: { app: "raxx-console-prod", internalUrl: "https://console.raxx.app" },
            shared: {
                aws: { accountId: "521228113048", region: "us-east-1" },
                deployTokenApps: ["raxx-console-prod", "raxx-console-staging", "raxx-api-prod", "raxx-api-staging"],
                freescoutBackup: { bucket: "raxx-support-attachments", kmsKeyArn: undefined },
                cloudflare: {
                    apiToken: undefined,
                    zoneId: "f12dbb5cac57d5591a5058874498a6d1",
                    zoneName: "raxx.app",
                    accountId: undefined,
                    billingReadPermissionGroupId: undefined,
                },
                dkim: undefined,
                vault: { accessApplicationId: VAULT_APP, projectId: VAULT_PROJECT, environment: "prod" },
                workspace: undefined,
                rotation: {
                    herokuPlatformToken: A,
                    herokuBillingToken: A,
                    awsBillingKey: A,
                    cloudflareBillingToken: A,
                    freescoutBackupKey: { active: "b", dates: { a: "2026-05-06", b: "2026-08-04" }, maxAgeDays: 90 },
                    vaultAccessToken: A,
                },
            },
            environmentRotation: { auditIngestToken: A },
            rotation: {
                herokuPlatformToken: A,
                herokuBillingToken: A,
                awsBillingKey: A,
                cloudflareBillingToken: A,
                freescoutBackupKey: { active: "b", dates: { a: "2026-05-06", b: "2026-08-04" }, maxAgeDays: 90 },
                auditIngestToken: A,
                vaultAccessToken: A,
            },
            rotationMaxAgeDays: 90,
            verifyCredentials: true,
        });
    });

    it("parses a valid staging config: no shared resources, only the environment's credential", () => {
        assert.deepEqual(parse(STAGING), {
            environment: "staging",
            github: { owner: "MooseQuest", token: undefined, appAuth: undefined, repository: "raxx", environment: "staging" },
            console: { app: "raxx-console-staging", internalUrl: "https://raxx-console-staging.herokuapp.com" },
            shared: undefined,
            environmentRotation: { auditIngestToken: A },
            rotation: { auditIngestToken: A },
            rotationMaxAgeDays: 90,
            verifyCredentials: true,
        });
    });

    it("refuses production-only keys in the staging stack", () => {
        assert.deepEqual(
            problemsOf({ ...STAGING, "raxx-platform:awsAccountId": "521228113048", "raxx-platform:herokuPlatformTokenRotation": "active=a a=2026-05-06" }),
            [
                "raxx-platform:awsAccountId: is set, but only the production stack uses it, not the staging stack; remove the key",
                "raxx-platform:herokuPlatformTokenRotation: is set, but only the production stack uses it, not the staging stack; remove the key",
            ],
        );
    });

    it("accepts a DKIM record as Google Admin shows it, and rejects a malformed one without echoing it", () => {
        assert.equal(parse({ ...PROD, "raxx-platform:dkimRecord": DKIM }).shared?.dkim, DKIM);
        for (const bad of [`"${DKIM}"`, DKIM.replace("k=rsa", "k=ed25519"), "v=DKIM1; k=rsa; p=abc", DKIM.replace("p=MII", "p=MI I")]) {
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:dkimRecord": bad }), [
                'raxx-platform:dkimRecord: is not a DKIM record of the form "v=DKIM1; k=rsa; p=<base64 public key>" (as Google Admin shows it, without quotes); for example `v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...`',
            ]);
        }
    });

    it("rejects an app that is not Raxx's, or of the wrong environment", () => {
        assert.deepEqual(
            problemsOf({
                ...PROD,
                "raxx-platform:consoleApp": "raxx-console-staging",
                "raxx-platform:deployTokenApps": JSON.stringify(["raxx-console-prod", "raxx-web-prod", "raxx-console-prod"]),
            }),
            [
                'raxx-platform:consoleApp: "raxx-console-staging" is a staging app, not a production one; for example `raxx-console-prod`',
                'raxx-platform:deployTokenApps: "raxx-web-prod" is not a Raxx Heroku app (raxx-console-prod, raxx-console-staging, raxx-api-prod, raxx-api-staging); for example `["raxx-console-prod", "raxx-api-prod"]`',
                'raxx-platform:deployTokenApps: "raxx-console-prod" is listed twice; for example `["raxx-console-prod", "raxx-api-prod"]`',
            ],
        );
        assert.deepEqual(problemsOf({ ...STAGING, "raxx-platform:consoleApp": "raxx-console" }), [
            'raxx-platform:consoleApp: "raxx-console" is not a Raxx Heroku app (raxx-console-prod, raxx-console-staging, raxx-api-prod, raxx-api-staging); for example `raxx-console-prod`',
        ]);
    });

    // `name in HEROKU_APPS` once took these for apps: the deploy token would have gone to an app called `constructor`.
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
        it(`rejects ${name}, a property of every object, as an app name`, () => {
            const apps = "raxx-console-prod, raxx-console-staging, raxx-api-prod, raxx-api-staging";
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:deployTokenApps": JSON.stringify(["raxx-console-prod", name]) }), [
                `raxx-platform:deployTokenApps: "${name}" is not a Raxx Heroku app (${apps}); for example \`["raxx-console-prod", "raxx-api-prod"]\``,
            ]);
            for (const config of [PROD, STAGING]) {
                assert.deepEqual(problemsOf({ ...config, "raxx-platform:consoleApp": name }), [
                    `raxx-platform:consoleApp: "${name}" is not a Raxx Heroku app (${apps}); for example \`raxx-console-prod\``,
                ]);
            }
        });
    }

    it("rejects an app list that is not a non-empty list of names", () => {
        for (const bad of ["raxx-console-prod", "[ ]", JSON.stringify(["raxx-console-prod", 1]), JSON.stringify([["raxx-console-prod"]]), JSON.stringify({ 0: "raxx-console-prod" })]) {
            assert.deepEqual(
                problemsOf({ ...PROD, "raxx-platform:deployTokenApps": bad }),
                [`raxx-platform:deployTokenApps: ${JSON.stringify(bad)} is not a non-empty list of names; for example \`["raxx-console-prod", "raxx-api-prod"]\``],
                bad,
            );
        }
    });

    it("rejects an internal URL that is not https, and never echoes one with credentials", () => {
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:consoleInternalUrl": "http://console.raxx.app" }), [
            'raxx-platform:consoleInternalUrl: "http://console.raxx.app" is not an https URL without query or fragment; for example `https://console.raxx.app`',
        ]);
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:consoleInternalUrl": "https://ops:hunter2@console.raxx.app" }), [
            "raxx-platform:consoleInternalUrl: must not carry credentials; for example `https://console.raxx.app`",
        ]);
    });

    it("requires a production-only key in production, and refuses it set in staging", () => {
        const key = "raxx-platform:cloudflareZoneId";
        const { [key]: _zone, ...withoutZone } = PROD;
        assert.deepEqual(problemsOf(withoutZone), [`${key}: is required and must not be empty; for example \`f12dbb5cac57d5591a5058874498a6d1\``]);
        assert.deepEqual(problemsOf({ ...STAGING, [key]: "f12dbb5cac57d5591a5058874498a6d1" }), [
            `${key}: is set, but only the production stack uses it, not the staging stack; remove the key`,
        ]);
    });

    it("refuses a GitHub owner, zone name or maximum age of the wrong form, and accepts each form's edges", () => {
        const refused = (key: string, value: string, why: string, example: string) => [`${key}: ${JSON.stringify(value)} ${why}; for example \`${example}\``];
        const OWNER = "is not a GitHub owner name (letters, digits and single hyphens, at most 39)";
        const ZONE = "is not a domain name";
        const AGE = "is not a whole number of days from 1 to 9999";
        const cases: [string, string, string | undefined][] = [
            ["github:owner", "-raxx", OWNER],
            ["github:owner", "raxx-", OWNER],
            ["github:owner", "moose--quest", OWNER],
            ["github:owner", "Moose_Quest", OWNER],
            ["github:owner", "a".repeat(40), OWNER],
            ["github:owner", "a".repeat(39), undefined],
            ["github:owner", "a", undefined],
            ["github:owner", "Moose-Quest-2", undefined],
            ["raxx-platform:cloudflareZoneName", "Raxx.app", ZONE],
            ["raxx-platform:cloudflareZoneName", "raxx", ZONE],
            ["raxx-platform:cloudflareZoneName", "raxx.app.", ZONE],
            ["raxx-platform:cloudflareZoneName", "-raxx.app", ZONE],
            ["raxx-platform:cloudflareZoneName", "raxx.a", ZONE],
            ["raxx-platform:rotationMaxAgeDays", "abc", AGE],
            ["raxx-platform:rotationMaxAgeDays", "-5", AGE],
            ["raxx-platform:rotationMaxAgeDays", "1e3", AGE],
            ["raxx-platform:rotationMaxAgeDays", "090", AGE],
            ["raxx-platform:rotationMaxAgeDays", "10000", AGE],
            ["raxx-platform:rotationMaxAgeDays", "9999", undefined],
            ["raxx-platform:rotationMaxAgeDays", "1", undefined],
        ];
        const examples: Record<string, string> = { "github:owner": "MooseQuest", "raxx-platform:cloudflareZoneName": "raxx.app", "raxx-platform:rotationMaxAgeDays": "90" };
        for (const [key, value, why] of cases) {
            // The maximum age on staging, whose one credential stays valid as long as any age allows.
            const base = key === "raxx-platform:rotationMaxAgeDays" ? STAGING : PROD;
            if (why === undefined) assert.doesNotThrow(() => parse({ ...base, [key]: value }), `${key}=${value}`);
            else assert.deepEqual(problemsOf({ ...base, [key]: value }), refused(key, value, why, examples[key]), `${key}=${value}`);
        }
        // An accepted maximum age is the one every credential without its own is judged by.
        assert.deepEqual(
            Object.entries(parse({ ...STAGING, "raxx-platform:rotationMaxAgeDays": "9999" }).rotation).map(([id, r]) => [id, r.maxAgeDays]),
            [["auditIngestToken", 9999]],
        );
    });

    it("refuses each https URL key with a query or a fragment, and never echoes one that carries credentials", () => {
        const keys: [string, string, Record<string, string>][] = [
            ["raxx-platform:consoleInternalUrl", "https://console.raxx.app", PROD],
            ["raxx-platform:herokuApiUrl", "https://api.heroku.com", STAGING],
            ["raxx-platform:infisicalUrl", "https://vault.raxx.app", PROD],
        ];
        for (const [key, example, base] of keys) {
            for (const bad of [`${example}/?x=1`, `${example}/#top`, `${example}?`, "http://127.0.0.1:5000", "not a url"]) {
                assert.deepEqual(problemsOf({ ...base, [key]: bad }), [`${key}: ${JSON.stringify(bad)} is not an https URL without query or fragment; for example \`${example}\``], `${key}=${bad}`);
            }
            // A user name, a password, or both.
            for (const credentials of ["ops:hunter2@", "ops@", ":hunter2@"]) {
                const withCredentials = example.replace("https://", `https://${credentials}`);
                assert.deepEqual(problemsOf({ ...base, [key]: withCredentials }), [`${key}: must not carry credentials; for example \`${example}\``], withCredentials);
            }
            assert.doesNotThrow(() => parse({ ...base, [key]: `${example}/v1` }), `${key} with a path`);
        }
    });

    it("checks the Heroku overrides the providers read, never echoing the key", () => {
        const secret = ["raxx-platform:herokuApiKey"];
        assert.deepEqual(
            problemsOf({ ...STAGING, "raxx-platform:herokuApiKey": " HRKU-not-shown ", "raxx-platform:herokuApiUrl": "http://127.0.0.1:5000" }, secret),
            [
                "raxx-platform:herokuApiKey: the value (secret, not shown) has leading or trailing white space; for example `pulumi config set --secret herokuApiKey <key>`",
                'raxx-platform:herokuApiUrl: "http://127.0.0.1:5000" is not an https URL without query or fragment; for example `https://api.heroku.com`',
            ],
        );
        assert.doesNotThrow(() => parse({ ...STAGING, "raxx-platform:herokuApiKey": "HRKU-x", "raxx-platform:herokuApiUrl": "https://api.heroku.com" }, secret));
    });

    it("rejects malformed Cloudflare ids", () => {
        assert.deepEqual(
            problemsOf({
                ...PROD,
                "raxx-platform:cloudflareZoneId": "F12DBB5CAC57D5591A5058874498A6D1",
                "raxx-platform:cloudflareAccountId": "42",
                "raxx-platform:cloudflareBillingReadPermissionGroupId": "billing-read",
            }),
            [
                'raxx-platform:cloudflareZoneId: "F12DBB5CAC57D5591A5058874498A6D1" is not a Cloudflare zone id (32 lowercase hex characters); for example `f12dbb5cac57d5591a5058874498a6d1`',
                'raxx-platform:cloudflareAccountId: "42" is not a Cloudflare account id (32 lowercase hex characters); for example `0123456789abcdef0123456789abcdef`',
                'raxx-platform:cloudflareBillingReadPermissionGroupId: "billing-read" is not a Cloudflare permission group id (32 lowercase hex characters); for example `0123456789abcdef0123456789abcdef`',
            ],
        );
    });

    it("reads the optional Cloudflare account and permission group ids when they are set", () => {
        const account = "0123456789abcdef0123456789abcdef";
        const group = "c8fed203ed3043cba015a93ad1616f1f";
        assert.deepEqual(
            parse({ ...PROD, "raxx-platform:cloudflareAccountId": account, "raxx-platform:cloudflareBillingReadPermissionGroupId": group }).shared?.cloudflare,
            { apiToken: undefined, zoneId: "f12dbb5cac57d5591a5058874498a6d1", zoneName: "raxx.app", accountId: account, billingReadPermissionGroupId: group },
        );
    });

    it("requires the console app, and says nothing else about it when it is unset", () => {
        for (const config of [PROD, STAGING]) {
            assert.deepEqual(problemsOf({ ...config, "raxx-platform:consoleApp": undefined }), [
                "raxx-platform:consoleApp: is required and must not be empty; for example `raxx-console-prod`",
            ]);
        }
    });

    it("rejects a backup bucket name S3 would refuse", () => {
        for (const bad of ["Raxx-Support", "ab", "-raxx-support", "raxx_support"]) {
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:freescoutBackupBucket": bad }), [
                `raxx-platform:freescoutBackupBucket: ${JSON.stringify(bad)} is not an S3 bucket name; for example \`raxx-support-attachments\``,
            ]);
        }
    });

    it("reports every problem at once, each naming its key and a valid example", () => {
        const err = (() => {
            try {
                parse({
                    ...PROD,
                    "raxx-platform:environment": "prodution",
                    "raxx-platform:awsAccountId": "52122811304",
                    "aws:region": "us-east",
                    "raxx-platform:githubRepository": "MooseQuest/raxx",
                    "raxx-platform:freescoutBackupKmsKeyArn": "arn:aws:kms:us-east-1:521228113048:alias/aws/s3",
                });
            } catch (e) {
                return e as Error;
            }
            return undefined;
        })();
        assert.ok(err instanceof ConfigError);
        assert.equal(
            err.message,
            [
                "Invalid stack config (5 problems):",
                '  - raxx-platform:environment: "prodution" is not one of production, staging; for example `production`',
                '  - raxx-platform:githubRepository: "MooseQuest/raxx" is not a GitHub repository name (at most 100 letters, digits, \'.\', \'-\' or \'_\', without the owner); for example `raxx`',
                '  - raxx-platform:awsAccountId: "52122811304" is not a 12-digit AWS account id; for example `521228113048`',
                '  - aws:region: "us-east" is not an AWS region name; for example `us-east-1`',
                '  - raxx-platform:freescoutBackupKmsKeyArn: "arn:aws:kms:us-east-1:521228113048:alias/aws/s3" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>); for example `arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab`',
                "Set a value with `pulumi config set <key> <value>`; Pulumi.yaml describes every key.",
            ].join("\n"),
        );
    });

    it("while the environment is unknown, asks for no production-only key: a staging config with a bad environment has that one problem", () => {
        assert.deepEqual(configErrorOf(() => parse({ ...STAGING, "raxx-platform:environment": "qa" })).problems, [
            'raxx-platform:environment: "qa" is not one of production, staging; for example `production`',
        ]);
    });

    it("counts a single problem as one problem", () => {
        assert.equal(
            configErrorOf(() => parse({ ...STAGING, "raxx-platform:githubRepository": "raxx " })).message,
            [
                "Invalid stack config (1 problem):",
                '  - raxx-platform:githubRepository: "raxx " has leading or trailing white space; for example `raxx`',
                "Set a value with `pulumi config set <key> <value>`; Pulumi.yaml describes every key.",
            ].join("\n"),
        );
    });

    it("reads a key left at Pulumi.yaml's unset default as unset", () => {
        assert.deepEqual(
            parse({ ...STAGING, "raxx-platform:awsAccountId": "", "raxx-platform:deployTokenApps": "[]", "raxx-platform:herokuApiKey": "" }),
            parse(STAGING),
        );
        assert.equal(parse({ ...PROD, "raxx-platform:freescoutBackupBucket": "" }).shared?.freescoutBackup.bucket, "raxx-support-attachments");
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:deployTokenApps": "[]", "raxx-platform:cloudflareZoneId": "" }), [
            'raxx-platform:deployTokenApps: is required and must not be empty; for example `["raxx-console-prod", "raxx-api-prod"]`',
            "raxx-platform:cloudflareZoneId: is required and must not be empty; for example `f12dbb5cac57d5591a5058874498a6d1`",
        ]);
    });

    it("rejects a missing key and an empty value alike", () => {
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:awsAccountId": undefined, "github:owner": " " }), [
            "github:owner: is required and must not be empty; for example `MooseQuest`",
            "raxx-platform:awsAccountId: is required and must not be empty; for example `521228113048`",
        ]);
    });

    it("rejects a value padded with white space", () => {
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:githubRepository": "raxx " }), [
            'raxx-platform:githubRepository: "raxx " has leading or trailing white space; for example `raxx`',
        ]);
    });

    it("rejects the repository names GitHub rejects", () => {
        for (const bad of [".", "..", "a b", "x".repeat(101)]) {
            assert.equal(problemsOf({ ...PROD, "raxx-platform:githubRepository": bad }).length, 1, bad);
        }
        for (const good of ["raxx", "raxx.app", "raxx_console-2", "x".repeat(100)]) {
            assert.equal(parse({ ...PROD, "raxx-platform:githubRepository": good }).github.repository, good);
        }
    });

    it("rejects a KMS key of another account or region", () => {
        const arn = "arn:aws:kms:eu-west-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:freescoutBackupKmsKeyArn": arn }), [
            `raxx-platform:freescoutBackupKmsKeyArn: "${arn}" is not in the stack's account 521228113048 and region us-east-1; for example \`arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab\``,
        ]);
    });

    it("rejects a KMS key of another account in the stack's region", () => {
        const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:freescoutBackupKmsKeyArn": arn }), [
            `raxx-platform:freescoutBackupKmsKeyArn: "${arn}" is not in the stack's account 521228113048 and region us-east-1; for example \`arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab\``,
        ]);
    });

    it("compares a KMS key with the stack's account and region only when both are valid", () => {
        const arn = "arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const cases: [Record<string, string | undefined>, string][] = [
            [{ "aws:region": "us-east" }, 'aws:region: "us-east" is not an AWS region name; for example `us-east-1`'],
            [{ "aws:region": undefined }, "aws:region: is required and must not be empty; for example `us-east-1`"],
            [{ "raxx-platform:awsAccountId": "52122811304" }, 'raxx-platform:awsAccountId: "52122811304" is not a 12-digit AWS account id; for example `521228113048`'],
            [{ "raxx-platform:awsAccountId": undefined }, "raxx-platform:awsAccountId: is required and must not be empty; for example `521228113048`"],
        ];
        for (const [change, problem] of cases) {
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:freescoutBackupKmsKeyArn": arn, ...change }), [problem], problem);
        }
    });

    it("accepts a KMS key of the stack's account and region", () => {
        const arn = "arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.equal(parse({ ...PROD, "raxx-platform:freescoutBackupKmsKeyArn": arn }).shared?.freescoutBackup.kmsKeyArn, arn);
    });

    describe("verifyCredentials", () => {
        const KEY = "raxx-platform:verifyCredentials";
        const problem = (value: string) => `${KEY}: "${value}" is not one of true, false; for example \`false\``;

        it("is true unset and at Pulumi.yaml's unset default, true for true, and false only for false", () => {
            for (const config of [PROD, STAGING]) {
                assert.equal(KEY in config, false);
                assert.equal(parse(config).verifyCredentials, true);
                assert.equal(parse({ ...config, [KEY]: "" }).verifyCredentials, true);
                assert.equal(parse({ ...config, [KEY]: "true" }).verifyCredentials, true);
                assert.equal(parse({ ...config, [KEY]: "false" }).verifyCredentials, false);
            }
            assert.equal(readStackConfig("prod").values[KEY], "");
        });

        it("refuses any other value, naming the key, the value and a valid example, with every other problem at once", () => {
            assert.deepEqual(problemsOf({ ...PROD, [KEY]: "no", "raxx-platform:githubRepository": "raxx ", "raxx-platform:rotationMaxAgeDays": "0" }), [
                'raxx-platform:githubRepository: "raxx " has leading or trailing white space; for example `raxx`',
                problem("no"),
                'raxx-platform:rotationMaxAgeDays: "0" is not a whole number of days from 1 to 9999; for example `90`',
            ]);
            for (const bad of ["False", "TRUE", "0", "1", "off"]) assert.deepEqual(problemsOf({ ...STAGING, [KEY]: bad }), [problem(bad)], bad);
            assert.deepEqual(problemsOf({ ...STAGING, [KEY]: "false " }), [`${KEY}: "false " has leading or trailing white space; for example \`false\``]);
        });

        it("stops the program before it registers anything", async () => {
            const run = await runStack("staging", { config: { [KEY]: "no" } });
            // The program loads its own copy of config.ts, so compare by name, not class.
            assert.equal(run.error?.name, "ConfigError", String(run.error));
            assert.deepEqual((run.error as ConfigError).problems, [problem("no")]);
            assert.deepEqual(run.registrations, []);
        });
    });

    describe("rotation entries", () => {
        const key = "raxx-platform:awsBillingKeyRotation";
        const example = "; for example `active=b a=2026-05-06 b=2026-08-04`";
        const cases: [string, string, string[]][] = [
            ["a malformed date", "active=a a=2026-5-6", ["a=2026-5-6 is not a date written YYYY-MM-DD"]],
            ["an impossible date", "active=a a=2026-02-30", ["a=2026-02-30 is not a date written YYYY-MM-DD"]],
            ["a date in the future", "active=a a=2026-11-29", ["a=2026-11-29 is in the future (today is 2026-11-28)"]],
            ["no active slot", "a=2026-05-06", ["active= is missing; it names the slot consumers hold, a or b"]],
            ["an unknown slot", "active=c a=2026-05-06", ["active=c is not a or b"]],
            [
                "an active slot without a date",
                "active=b a=2026-05-06",
                ["active=b names a slot without a date; give b=<YYYY-MM-DD> or make the other slot active"],
            ],
            ["two slots of one date", "active=a a=2026-05-06 b=2026-05-06", ["a and b have the same date 2026-05-06; each generation needs its own date"]],
            [
                "an unknown field",
                "active=a a=2026-05-06 c=2026-05-07",
                ['"c=2026-05-07" is not one of active=<a|b>, a=<YYYY-MM-DD>, b=<YYYY-MM-DD>, maxAgeDays=<days>'],
            ],
            ["a field given twice", "active=a a=2026-05-06 a=2026-05-07", ["a= is given twice"]],
            ["a field without a value", "active=a a=2026-05-06 b=", ['"b=" is not one of active=<a|b>, a=<YYYY-MM-DD>, b=<YYYY-MM-DD>, maxAgeDays=<days>']],
            ["a field without =", "active=a a=2026-05-06 b", ['"b" is not one of active=<a|b>, a=<YYYY-MM-DD>, b=<YYYY-MM-DD>, maxAgeDays=<days>']],
            ["a field without a name", "active=a =2026-05-06", ['"=2026-05-06" is not one of active=<a|b>, a=<YYYY-MM-DD>, b=<YYYY-MM-DD>, maxAgeDays=<days>', "active=a names a slot without a date; give a=<YYYY-MM-DD> or make the other slot active"]],
            ["a date with more after it", "active=a a=2026-05-06=b", ["a=2026-05-06=b is not a date written YYYY-MM-DD"]],
            ["a bad maximum age", "active=a a=2026-05-06 maxAgeDays=0", ["maxAgeDays=0 is not a whole number of days from 1 to 9999"]],
            ["a maximum age with a leading zero", "active=a a=2026-05-06 maxAgeDays=090", ["maxAgeDays=090 is not a whole number of days from 1 to 9999"]],
            ["a maximum age after other characters", "active=a a=2026-05-06 maxAgeDays=x90", ["maxAgeDays=x90 is not a whole number of days from 1 to 9999"]],
            ["a maximum age over 9999", "active=a a=2026-05-06 maxAgeDays=10000", ["maxAgeDays=10000 is not a whole number of days from 1 to 9999"]],
        ];
        for (const [what, entry, problems] of cases) {
            it(`rejects ${what}`, () => {
                assert.deepEqual(
                    problemsOf({ ...PROD, [key]: entry }),
                    problems.map((p) => `${key}: ${p}${example}`),
                );
            });
        }

        it("requires an entry for each credential the stack issues", () => {
            assert.deepEqual(problemsOf({ ...PROD, [key]: undefined }), [`${key}: is required and must not be empty${example}`]);
        });

        it("refuses an entry in a stack that does not issue the credential", () => {
            assert.deepEqual(problemsOf({ ...STAGING, [key]: "active=a a=2026-05-06" }), [
                `${key}: is set, but only the production stack uses it, not the staging stack; remove the key`,
            ]);
        });

        it("accepts a date of today, fields apart by any white space, and a maximum age from 1 to 9999", () => {
            const cases: [string, object][] = [
                ["active=b a=2026-05-06 b=2026-11-28", { active: "b", dates: { a: "2026-05-06", b: "2026-11-28" }, maxAgeDays: 90 }],
                ["active=b  a=2026-05-06\tb=2026-08-04", { active: "b", dates: { a: "2026-05-06", b: "2026-08-04" }, maxAgeDays: 90 }],
                ["active=a a=2026-05-06 maxAgeDays=1", { active: "a", dates: { a: "2026-05-06" }, maxAgeDays: 1 }],
                ["maxAgeDays=9999 a=2026-05-06 active=a", { active: "a", dates: { a: "2026-05-06" }, maxAgeDays: 9999 }],
            ];
            for (const [entry, rotation] of cases) assert.deepEqual(parse({ ...PROD, [key]: entry }).rotation.awsBillingKey, rotation, entry);
        });

        it("describes each credential's entry key: production only for a shared credential, and when a conditional one is issued", () => {
            const tail = ": the active slot and each slot's generation date. See docs/rotation.md.";
            const example = "active=b a=2026-05-06 b=2026-08-04";
            const shared = (id: string, what: string, when = "") => ({
                key: `raxx-platform:${id}Rotation`,
                description: `Production only. ${when}Rotation of the ${what}${tail}`,
                example,
                scope: "shared",
            });
            assert.deepEqual(CREDENTIAL_IDS.map(rotationKeySpec), [
                shared("herokuPlatformToken", "Heroku platform (deploy) token, an OAuth authorization"),
                shared("herokuBillingToken", "Heroku billing collector token, an OAuth authorization"),
                shared("awsBillingKey", "AWS access key of IAM user raxx-billing-readonly"),
                shared("cloudflareBillingToken", "Cloudflare API token raxx-billing-readonly (Billing Read)"),
                shared("freescoutBackupKey", "AWS access key of IAM user raxx-freescout-backup"),
                {
                    key: "raxx-platform:auditIngestTokenRotation",
                    description: `Rotation of the deploy audit ingest token of this environment, 32 random bytes${tail}`,
                    example,
                },
                shared("vaultAccessToken", "Cloudflare Access service token raxx-platform-automation, the stack's key to the vault"),
                shared(
                    "workspaceNoReplyPassword",
                    "password of the suspended Workspace user no-reply@, which nobody holds",
                    "Only when workspaceNoReplyForm is user, and then required. ",
                ),
            ]);
        });

        it("bounds the dates by today's date in UTC when it is not given one", () => {
            assert.equal(atInstant("2026-11-28T23:59:59.999Z", todayUtc), "2026-11-28");
            assert.equal(atInstant("2026-11-29T00:00:00.000Z", todayUtc), "2026-11-29");
            const values = { ...STAGING, "raxx-platform:auditIngestTokenRotation": "active=a a=2026-11-29" };
            assert.deepEqual(configErrorOf(() => atInstant("2026-11-28T23:59:59.999Z", () => parseConfig(configSource(values, [])))).problems, [
                "raxx-platform:auditIngestTokenRotation: a=2026-11-29 is in the future (today is 2026-11-28); for example `active=b a=2026-05-06 b=2026-08-04`",
            ]);
            assert.deepEqual(atInstant("2026-11-29T00:00:00.000Z", () => parseConfig(configSource(values, []))).rotation, {
                auditIngestToken: { active: "a", dates: { a: "2026-11-29" }, maxAgeDays: 90 },
            });
        });

        it("takes a per-credential maximum age over the stack's", () => {
            const config = parse({ ...PROD, "raxx-platform:rotationMaxAgeDays": "60", [key]: "active=a a=2026-05-06 maxAgeDays=30" });
            assert.equal(config.rotationMaxAgeDays, 60);
            assert.deepEqual(config.rotation.awsBillingKey, { active: "a", dates: { a: "2026-05-06" }, maxAgeDays: 30 });
            assert.equal(config.rotation.freescoutBackupKey?.maxAgeDays, 60);
        });
    });

    describe("the vault", () => {
        it("parses the vault's keys into the typed config", () => {
            assert.deepEqual(parse(PROD).shared?.vault, {
                accessApplicationId: VAULT_APP,
                projectId: VAULT_PROJECT,
                environment: "prod",
            });
        });

        it("requires the Access application, the project and the environment in prod, and registers nothing without them", async () => {
            const without = { ...PROD };
            for (const key of ["vaultAccessApplicationId", "infisicalProjectId", "infisicalEnvironment"]) delete without[`raxx-platform:${key}`];
            assert.deepEqual(problemsOf(without), [
                "raxx-platform:vaultAccessApplicationId: is required and must not be empty; for example `pulumi config set vaultAccessApplicationId 3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e`",
                "raxx-platform:infisicalProjectId: is required and must not be empty; for example `pulumi config set infisicalProjectId 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`",
                "raxx-platform:infisicalEnvironment: is required and must not be empty; for example `prod`",
            ]);
            const run = await runStack("prod", { config: { "raxx-platform:vaultAccessApplicationId": "" } });
            assert.ok(run.error instanceof ConfigError);
            assert.deepEqual(run.error.problems, [
                "raxx-platform:vaultAccessApplicationId: is required and must not be empty; for example `pulumi config set vaultAccessApplicationId 3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e`",
            ]);
            assert.deepEqual(run.registrations, []);
        });

        it("rejects malformed ids, slugs and URLs, naming each key", () => {
            assert.deepEqual(
                problemsOf({
                    ...PROD,
                    "raxx-platform:vaultAccessApplicationId": "vault.raxx.app",
                    "raxx-platform:infisicalProjectId": "65f1c0ffee0000000000abcd",
                    "raxx-platform:infisicalEnvironment": "Prod_1",
                    "raxx-platform:infisicalUrl": "http://vault.raxx.app",
                    "raxx-platform:infisicalClientId": "machine-identity",
                }),
                [
                    'raxx-platform:vaultAccessApplicationId: "vault.raxx.app" is not an Access application id (a lowercase UUID); for example `pulumi config set vaultAccessApplicationId 3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e`',
                    'raxx-platform:infisicalProjectId: "65f1c0ffee0000000000abcd" is not an Infisical project id (a lowercase UUID); for example `pulumi config set infisicalProjectId 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`',
                    'raxx-platform:infisicalEnvironment: "Prod_1" is not an Infisical environment slug (lowercase letters, digits and inner hyphens); for example `prod`',
                    'raxx-platform:infisicalUrl: "http://vault.raxx.app" is not an https URL without query or fragment; for example `https://vault.raxx.app`',
                    'raxx-platform:infisicalClientId: "machine-identity" is not a machine identity client id (a lowercase UUID); for example `pulumi config set infisicalClientId 4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a`',
                ],
            );
        });

        it("refuses the machine identity's secret in plain text, never echoing it", () => {
            const key = "raxx-platform:infisicalClientSecret";
            const canary = "st.canary-machine-identity-secret";
            const problems = problemsOf({ ...PROD, [key]: canary });
            assert.deepEqual(problems, [
                "raxx-platform:infisicalClientSecret: is set in plain text, but it is a secret; set it with `pulumi config set --secret infisicalClientSecret <value>`",
            ]);
            assert.ok(!problems.join("\n").includes(canary));
            assert.doesNotThrow(() => parse({ ...PROD, [key]: canary }, [key]));
        });

        it("refuses the vault's keys in the staging stack", () => {
            assert.deepEqual(problemsOf({ ...STAGING, "raxx-platform:infisicalEnvironment": "staging" }), [
                "raxx-platform:infisicalEnvironment: is set, but only the production stack uses it, not the staging stack; remove the key",
            ]);
        });

        it("refuses a maximum age for the Access token that is not shorter than its 365 days", () => {
            const key = "raxx-platform:vaultAccessTokenRotation";
            assert.deepEqual(problemsOf({ ...PROD, [key]: "active=a a=2026-05-06 maxAgeDays=365" }), [
                `${key}: maxAgeDays 365 is not shorter than the 365 days the credential stays valid, so it could expire before it is rotated; give maxAgeDays=<n> under 365 in the entry, for example \`active=b a=2026-05-06 b=2026-08-04\``,
            ]);
            assert.equal(parse({ ...PROD, [key]: "active=a a=2026-05-06 maxAgeDays=364" }).rotation.vaultAccessToken?.maxAgeDays, 364);
        });

        it("reports only the problems of a malformed Access token entry, not its maximum age as well", () => {
            const key = "raxx-platform:vaultAccessTokenRotation";
            assert.deepEqual(problemsOf({ ...PROD, [key]: "active=c a=2026-05-06 maxAgeDays=400" }), [
                `${key}: active=c is not a or b; for example \`active=b a=2026-05-06 b=2026-08-04\``,
            ]);
        });
    });

    describe("the Workspace addresses", () => {
        const WS = { "raxx-platform:workspaceAdminUser": "admin@moosequest.net", "raxx-platform:workspaceOwner": "kris@moosequest.net" };
        const PASSWORD = "raxx-platform:workspaceNoReplyPasswordRotation";

        it("declares none while no workspace key is set", () => {
            assert.equal(parse(PROD).shared?.workspace, undefined);
            assert.equal(parse({ ...PROD, "raxx-platform:workspaceOpsMembers": "[]", "raxx-platform:workspaceNoReplyForm": "" }).shared?.workspace, undefined);
        });

        it("parses the keys on the zone's domain, with no-reply@ a group by default and no password issued", () => {
            const c = parse({ ...PROD, ...WS, "raxx-platform:workspaceOpsMembers": JSON.stringify(["oncall@moosequest.net"]) });
            assert.deepEqual(c.shared?.workspace, {
                domain: "raxx.app",
                adminUser: "admin@moosequest.net",
                owner: "kris@moosequest.net",
                members: { ops: ["oncall@moosequest.net"], billing: [] },
                noReply: { form: "group" },
            });
            assert.equal(c.rotation.workspaceNoReplyPassword, undefined);
        });

        it("issues the no-reply password in the user form, rotated by its own entry", () => {
            const c = parse({ ...PROD, ...WS, "raxx-platform:workspaceNoReplyForm": "user", [PASSWORD]: "active=b a=2026-05-06 b=2026-08-04" });
            const rotation = { active: "b", dates: { a: "2026-05-06", b: "2026-08-04" }, maxAgeDays: 90 };
            assert.deepEqual(c.shared?.workspace?.noReply, { form: "user", rotation });
            assert.deepEqual(c.rotation.workspaceNoReplyPassword, rotation);
            assert.equal(Object.hasOwn(c.shared?.rotation ?? {}, "workspaceNoReplyPassword"), false);
        });

        it("requires the password's rotation in the user form, and refuses it in the group form", () => {
            assert.deepEqual(problemsOf({ ...PROD, ...WS, "raxx-platform:workspaceNoReplyForm": "user" }), [
                `${PASSWORD}: is required and must not be empty; for example \`active=b a=2026-05-06 b=2026-08-04\``,
            ]);
            assert.deepEqual(problemsOf({ ...PROD, ...WS, [PASSWORD]: "active=a a=2026-05-06" }), [
                `${PASSWORD}: is set, but the stack issues this credential only when workspaceNoReplyForm is user; remove the key`,
            ]);
            assert.deepEqual(problemsOf({ ...PROD, [PASSWORD]: "active=a a=2026-05-06" }), [
                `${PASSWORD}: is set, but the stack issues this credential only when workspaceNoReplyForm is user; remove the key`,
            ]);
        });

        it("wants the admin user and the owner once any workspace key is set, and reports every bad address at once", () => {
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:workspaceBillingMembers": JSON.stringify(["finance@moosequest.net"]) }), [
                "raxx-platform:workspaceAdminUser: is required once any workspace key is set; for example `kris@moosequest.net`",
                "raxx-platform:workspaceOwner: is required once any workspace key is set; for example `kris@moosequest.net`",
            ]);
            assert.deepEqual(
                problemsOf({
                    ...PROD,
                    "raxx-platform:workspaceAdminUser": "Admin@MooseQuest.net",
                    "raxx-platform:workspaceOwner": "kris",
                    "raxx-platform:workspaceOpsMembers": JSON.stringify(["a@x.io", "a@x.io", "not an address"]),
                    "raxx-platform:workspaceNoReplyForm": "mailbox",
                }),
                [
                    'raxx-platform:workspaceAdminUser: "Admin@MooseQuest.net" is not an email address in lowercase; for example `kris@moosequest.net`',
                    'raxx-platform:workspaceOwner: "kris" is not an email address in lowercase; for example `kris@moosequest.net`',
                    'raxx-platform:workspaceOpsMembers: "not an address" is not an email address in lowercase; for example `["oncall@moosequest.net"]`',
                    'raxx-platform:workspaceOpsMembers: "a@x.io" is listed twice; for example `["oncall@moosequest.net"]`',
                    'raxx-platform:workspaceNoReplyForm: "mailbox" is not one of group, user; for example `group`',
                ],
            );
        });

        it("refuses an empty member, with or without an owner", () => {
            const empty = (key: string, example: string) => `raxx-platform:${key}: "" is not an email address in lowercase; for example \`${example}\``;
            assert.deepEqual(problemsOf({ ...PROD, ...WS, "raxx-platform:workspaceOpsMembers": JSON.stringify(["", "oncall@moosequest.net"]) }), [
                empty("workspaceOpsMembers", '["oncall@moosequest.net"]'),
            ]);
            assert.deepEqual(problemsOf({ ...PROD, "raxx-platform:workspaceBillingMembers": JSON.stringify([""]) }), [
                "raxx-platform:workspaceAdminUser: is required once any workspace key is set; for example `kris@moosequest.net`",
                "raxx-platform:workspaceOwner: is required once any workspace key is set; for example `kris@moosequest.net`",
                empty("workspaceBillingMembers", '["finance@moosequest.net"]'),
            ]);
        });

        it("refuses the owner among the members: the owner is a member of every group already", () => {
            assert.deepEqual(problemsOf({ ...PROD, ...WS, "raxx-platform:workspaceBillingMembers": JSON.stringify(["kris@moosequest.net"]) }), [
                'raxx-platform:workspaceBillingMembers: "kris@moosequest.net" is the owner, who is already a member of every group; remove it; for example `["finance@moosequest.net"]`',
            ]);
        });

        it("refuses the service account's key in plain text, never echoing it", () => {
            const key = "raxx-platform:workspaceCredentials";
            const canary = '{"type":"service_account","private_key":"canary-workspace-key"}';
            const problems = problemsOf({ ...PROD, ...WS, [key]: canary });
            assert.deepEqual(problems, [
                "raxx-platform:workspaceCredentials: is set in plain text, but it is a secret; set it with `pulumi config set --secret workspaceCredentials <value>`",
            ]);
            assert.ok(!problems.join("\n").includes("canary-workspace-key"));
            assert.doesNotThrow(() => parse({ ...PROD, ...WS, [key]: canary }, [key]));
        });

        it("refuses the workspace keys in the staging stack", () => {
            assert.deepEqual(problemsOf({ ...STAGING, "raxx-platform:workspaceOwner": "kris@moosequest.net", [PASSWORD]: "active=a a=2026-05-06" }), [
                "raxx-platform:workspaceOwner: is set, but only the production stack uses it, not the staging stack; remove the key",
                `${PASSWORD}: is set, but only the production stack uses it, not the staging stack; remove the key`,
            ]);
        });
    });

    describe("secret keys", () => {
        const KEY = "raxx-platform:herokuApiKey";
        const CANARY = "HRKU-plaintext-canary-123";
        const PLAIN_TEXT = "raxx-platform:herokuApiKey: is set in plain text, but it is a secret; set it with `pulumi config set --secret herokuApiKey <value>`";
        const secretSpecs = (Object.values(KEYS) as KeySpec[]).filter((spec) => spec.secret === true);

        it("refuses each secret key set in plain text, naming the key and never the value", () => {
            assert.deepEqual(
                secretSpecs.map((spec) => spec.key),
                ["github:token", "github:appAuth", KEY, "cloudflare:apiToken", "raxx-platform:infisicalClientSecret", "raxx-platform:workspaceCredentials"],
            );
            assert.deepEqual(problemsOf({ ...STAGING, [KEY]: CANARY }), [PLAIN_TEXT]);
            // With every other problem, and never echoed, not even for a second problem of the same value.
            const err = (() => {
                try {
                    parse({ ...PROD, [KEY]: ` ${CANARY}`, "raxx-platform:githubRepository": "raxx " });
                } catch (e) {
                    return e as ConfigError;
                }
                return assert.fail("the config was accepted");
            })();
            assert.deepEqual(err.problems, [
                'raxx-platform:githubRepository: "raxx " has leading or trailing white space; for example `raxx`',
                PLAIN_TEXT,
                "raxx-platform:herokuApiKey: the value (secret, not shown) has leading or trailing white space; for example `pulumi config set --secret herokuApiKey <key>`",
            ]);
            assert.ok(!err.message.includes(CANARY), err.message);
        });

        it("holds exactly the secret keys secret for the plan, whatever their values", () => {
            const keys = [...(Object.values(KEYS) as KeySpec[]).map((spec) => spec.key), ...CREDENTIAL_IDS.map((id) => rotationKeySpec(id).key), "raxx-platform:unknown"];
            assert.deepEqual(keys.filter(isSecretKey), [
                "github:token",
                "github:appAuth",
                KEY,
                "cloudflare:apiToken",
                "raxx-platform:infisicalClientSecret",
                "raxx-platform:workspaceCredentials",
            ]);
        });

        it("refuses to read the config when the runtime cannot tell a secret value from a plain one", async () => {
            const runtime = pulumi.runtime as unknown as { isConfigSecret: unknown };
            const isConfigSecret = runtime.isConfigSecret;
            const load = () => runWithMocks(() => void loadConfig(), { stack: "staging", config: { ...STAGING, [KEY]: CANARY }, secretKeys: [KEY] });
            assert.equal((await load()).error, undefined);
            runtime.isConfigSecret = undefined;
            try {
                assert.equal(
                    (await load()).error?.message,
                    "@pulumi/pulumi has no runtime.isConfigSecret: config.ts cannot tell a secret config value from a plain one (see loadConfig)",
                );
            } finally {
                runtime.isConfigSecret = isConfigSecret;
            }
        });

        it("accepts a secret key set as a secret, and an unset one in plain text (Pulumi.yaml's default)", () => {
            assert.doesNotThrow(() => parse({ ...STAGING, [KEY]: CANARY }, [KEY]));
            assert.doesNotThrow(() => parse({ ...STAGING, [KEY]: "" }));
        });

        it("the program asks the Pulumi runtime which config is secret", async () => {
            const plain = await runStack("staging", { config: { [KEY]: CANARY } });
            // The program loads its own copy of config.ts, so compare by name, not class.
            assert.equal(plain.error?.name, "ConfigError", String(plain.error));
            assert.deepEqual((plain.error as ConfigError).problems, [PLAIN_TEXT]);
            assert.ok(!plain.error!.message.includes(CANARY));
            assert.deepEqual(plain.registrations, []);
            const secret = await runStack("staging", { config: { [KEY]: CANARY }, secretKeys: [KEY] });
            assert.equal(secret.error, undefined, String(secret.error));
            // The audit ingest's 8, and its 3 checks: slot a's, and the GitHub secret's and the config var's.
            assert.equal(secret.registrations.length, 11);
        });

        it("offline, a key is secret when its stack file or --diff-config file gives it as `secure:`", () => {
            assert.throws(
                () => checkConfig("staging", { values: { [KEY]: CANARY }, secretKeys: [] }),
                (e: unknown) => e instanceof ConfigError && JSON.stringify(e.problems) === JSON.stringify([PLAIN_TEXT]),
            );
            const placeholder = secretPlaceholder(KEY);
            assert.deepEqual(checkConfig("staging", { values: { [KEY]: placeholder }, secretKeys: [KEY] }).secretKeys, [KEY]);
            // An override decides its key's secrecy: a plain value over a `secure:` one is plain.
            const file = { values: { [KEY]: placeholder, "raxx-platform:environment": "staging" }, secretKeys: [KEY] };
            assert.deepEqual(withOverrides(file, { values: {}, secretKeys: [] }).secretKeys, [KEY]);
            assert.deepEqual(withOverrides(file, { values: { [KEY]: CANARY }, secretKeys: [] }).secretKeys, []);
            assert.deepEqual(withOverrides(file, { values: { [KEY]: undefined }, secretKeys: [KEY] }), {
                values: { [KEY]: "", "raxx-platform:environment": "staging" },
                secretKeys: [],
            });
        });
    });

    describe("provider credentials", () => {
        const TOKEN = "github_pat_plaintext-canary-123";
        const CF = "cf-plaintext-canary-456";
        const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEcanary789\n-----END RSA PRIVATE KEY-----";
        const APP = JSON.stringify({ id: 123456, installationId: "7890123", pemFile: PEM });
        const plainText = (key: string) => `${key}: is set in plain text, but it is a secret; set it with \`pulumi config set --secret ${key} <value>\``;
        const canaries = [TOKEN, CF, "MIIEcanary789"];
        const problems = (values: Record<string, string | undefined>, secretKeys: string[] = []) => {
            const found = problemsOf(values, secretKeys);
            for (const c of canaries) assert.ok(!found.some((p) => p.includes(c)), `a problem shows ${c}`);
            return found;
        };

        it("reads github:token, github:appAuth and cloudflare:apiToken set as secrets", () => {
            const secret = ["github:token", "cloudflare:apiToken"];
            const config = parse({ ...PROD, "github:token": TOKEN, "cloudflare:apiToken": CF }, secret);
            assert.equal(config.github.token, TOKEN);
            assert.equal(config.github.appAuth, undefined);
            assert.equal(config.shared?.cloudflare.apiToken, CF);
            assert.deepEqual(parse({ ...STAGING, "github:appAuth": APP }, ["github:appAuth"]).github.appAuth, {
                id: "123456",
                installationId: "7890123",
                pemFile: PEM,
            });
        });

        it("refuses each of them set in plain text, naming the key and never the value", () => {
            assert.deepEqual(problems({ ...PROD, "github:token": TOKEN, "github:appAuth": undefined, "cloudflare:apiToken": CF }), [
                plainText("github:token"),
                plainText("cloudflare:apiToken"),
            ]);
            assert.deepEqual(problems({ ...STAGING, "github:appAuth": APP }), [plainText("github:appAuth")]);
        });

        it("refuses cloudflare:apiToken in the staging stack, which has no Cloudflare provider", () => {
            assert.deepEqual(problems({ ...STAGING, "cloudflare:apiToken": CF }, ["cloudflare:apiToken"]), [
                "cloudflare:apiToken: is set, but only the production stack uses it, not the staging stack; remove the key",
            ]);
        });

        it("refuses a github:appAuth that is not exactly id, installationId and pemFile, without echoing it", () => {
            const example =
                'for example `pulumi config set --secret --path github:appAuth.pemFile "$(cat app.pem)", and likewise github:appAuth.id and github:appAuth.installationId`';
            for (const bad of [
                JSON.stringify({ id: 123456, installationId: "7890123" }),
                JSON.stringify({ id: "app", installationId: "7890123", pemFile: PEM }),
                JSON.stringify({ id: 123456, installationId: "7890123", pemFile: PEM, token: TOKEN }),
                JSON.stringify({ id: 123456, installationId: 7890123, pemFile: " " }),
                // Ids: a whole number above 0 and within the safe range, or digits.
                ...[-5, 0, 1.5, 2 ** 53, [123456], "x123456", "123456x", "", null].map((id) => JSON.stringify({ id, installationId: "7890123", pemFile: PEM })),
                JSON.stringify({ id: 123456, installationId: -7890123, pemFile: PEM }),
                JSON.stringify([PEM]),
                PEM,
                "null",
                JSON.stringify(PEM),
                "123456",
            ]) {
                assert.deepEqual(
                    problems({ ...STAGING, "github:appAuth": bad }, ["github:appAuth"]),
                    [
                        `github:appAuth: the value (secret, not shown) is not an object of exactly id and installationId (numbers) and pemFile (the private key's contents); ${example}`,
                    ],
                    bad,
                );
            }
        });

        it("refuses github:token and github:appAuth together: the provider authenticates one way", () => {
            assert.deepEqual(problems({ ...STAGING, "github:token": TOKEN, "github:appAuth": APP }, ["github:token", "github:appAuth"]), [
                "github:token, github:appAuth: both are set, but the GitHub provider authenticates one way; remove one of them (`pulumi config rm github:token`)",
            ]);
        });

        it("refuses the Cloudflare global API key settings, which the provider would be given no part of", () => {
            const unread = (key: string) =>
                `${key}: is set, but the stack's Cloudflare provider does not read it: it authenticates with an API token only; remove the key, and set \`pulumi config set --secret cloudflare:apiToken <token>\` or CLOUDFLARE_API_TOKEN`;
            assert.deepEqual(
                problems(
                    { ...PROD, "cloudflare:apiKey": CF, "cloudflare:email": "ops@raxx.app", "cloudflare:apiUserServiceKey": CF },
                    ["cloudflare:apiKey", "cloudflare:apiUserServiceKey"],
                ),
                [unread("cloudflare:apiKey"), unread("cloudflare:email"), unread("cloudflare:apiUserServiceKey")],
            );
        });
    });

    describe("Pulumi.yaml", () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
            name: string;
            config: Record<string, { type: string; items?: { type: string }; description: string; default?: unknown; secret?: boolean }>;
        };
        const read = [...Object.values(KEYS).map((k) => k.key), ...CREDENTIAL_IDS.map((id) => rotationKeySpec(id).key)];

        it("declares exactly the project keys the config module reads, each typed and described", () => {
            assert.equal(project.name, PROJECT);
            const declared = Object.keys(project.config).map((k) => `${PROJECT}:${k}`).sort();
            assert.deepEqual(declared, read.filter((k) => k.startsWith(`${PROJECT}:`)).sort());
            for (const [key, decl] of Object.entries(project.config)) {
                assert.ok(["string", "integer", "array"].includes(decl.type), key);
                if (decl.type === "array") assert.deepEqual(decl.items, { type: "string" }, key);
                assert.ok(decl.description.length > 20, `${key} has no real description`);
                // With `secret: true` the CLI fails every stack that leaves the key unset (see herokuApiKey in Pulumi.yaml).
                assert.equal(decl.secret, undefined, key);
            }
        });

        // The CLI demands a value for each declared key without a default, in every stack
        // (pulumi/pulumi#21797): only keys every stack sets may go without one.
        it("gives every key that not every stack sets an 'unset' default, and real defaults only in config.ts", () => {
            const everyStack = ["environment", "githubRepository", "consoleApp", "consoleInternalUrl", "auditIngestTokenRotation"];
            const defaults = Object.fromEntries(Object.entries(project.config).map(([k, d]) => [k, d.default]));
            assert.deepEqual(
                Object.keys(defaults).filter((k) => defaults[k] === undefined).sort(),
                [...everyStack].sort(),
            );
            for (const [key, value] of Object.entries(defaults)) {
                if (value === undefined) continue;
                if (key === "rotationMaxAgeDays") assert.equal(String(value), KEYS.rotationMaxAgeDays.default);
                else if (project.config[key].type === "array") assert.deepEqual(value, [], key);
                else assert.equal(value, "", key);
            }
        });

        it("is what the offline runs apply under each stack's config, as the CLI does", () => {
            assert.equal(readStackConfig("staging").values["raxx-platform:awsAccountId"], "");
            assert.equal(readStackConfig("staging").values["raxx-platform:deployTokenApps"], "[]");
            assert.equal(readStackConfig("staging").values["raxx-platform:rotationMaxAgeDays"], "90");
            assert.equal(readStackConfig("prod").values["raxx-platform:awsAccountId"], "521228113048");
        });

        it("describes the rotation keys as the config module does", () => {
            for (const id of CREDENTIAL_IDS) {
                const spec = rotationKeySpec(id);
                const decl = project.config[spec.key.slice(PROJECT.length + 1)];
                assert.ok(decl.description.startsWith(spec.description.split(":")[0]), spec.key);
            }
        });
    });

    describe("the program", () => {
        for (const stack of ["prod", "staging"]) {
            it(`accepts the checked-in ${stack} config`, () => {
                const { values, secretKeys } = readStackConfig(stack);
                assert.doesNotThrow(() => parseConfig(configSource(values, secretKeys)));
            });
        }

        it("registers nothing when the config is invalid, and fails with every problem", async () => {
            const result = await runStack("prod", {
                config: { "raxx-platform:environment": "qa", "raxx-platform:awsBillingKeyRotation": "active=a a=2026-13-01" },
            });
            // The program loads its own copy of config.ts, so compare by name, not class.
            assert.equal(result.error?.name, "ConfigError", String(result.error));
            assert.deepEqual((result.error as ConfigError).problems, [
                'raxx-platform:environment: "qa" is not one of production, staging; for example `production`',
                "raxx-platform:awsBillingKeyRotation: a=2026-13-01 is not a date written YYYY-MM-DD; for example `active=b a=2026-05-06 b=2026-08-04`",
            ]);
            assert.deepEqual(result.registrations, []);
        });

        it("registers nothing for a bad rotation date", async () => {
            const result = await runStack("prod", { config: { "raxx-platform:awsBillingKeyRotation": "active=a a=2026-13-01" } });
            // The program loads its own copy of config.ts, so compare by name, not class.
            assert.equal(result.error?.name, "ConfigError", String(result.error));
            assert.deepEqual((result.error as ConfigError).problems, [
                "raxx-platform:awsBillingKeyRotation: a=2026-13-01 is not a date written YYYY-MM-DD; for example `active=b a=2026-05-06 b=2026-08-04`",
            ]);
            assert.deepEqual(result.registrations, []);
        });
    });
});
