// The AWS side of SPEC 2 and 4 (docs/session-2026-05-06.md): IAM users, policies, access keys, SSM.
import { strict as assert } from "node:assert";
import { MockRunResult, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { byName, ofType, okRun, runPinned } from "./harness/query";

const ACCOUNT = "521228113048";

function policyOf(result: MockRunResult, name: string): unknown {
    return JSON.parse(plain(byName(result, name).inputs.policy) as string);
}

describe("AWS resources", () => {
    let prod: MockRunResult;
    let staging: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        staging = await okRun(runPinned("staging"));
    });

    const awsTypes = (r: MockRunResult) => r.registrations.filter((x) => x.type.startsWith("aws:") || x.type === "pulumi:providers:aws");

    it("declares no AWS resource in staging: account-wide resources are production's", () => {
        assert.deepEqual(awsTypes(staging), []);
    });

    it("pins the AWS provider to the stack's account and region, and uses it for every AWS resource", () => {
        const provider = byName(prod, "aws");
        assert.equal(plain(provider.inputs.region), "us-east-1");
        assert.deepEqual(JSON.parse(plain(provider.inputs.allowedAccountIds) as string), [ACCOUNT]);
        for (const r of awsTypes(prod).filter((x) => x.custom && x.type.startsWith("aws:"))) {
            assert.equal(r.provider, `${provider.urn}::aws-id`, r.name);
        }
    });

    describe("IAM users", () => {
        it("names the users and protects them", () => {
            const users = ofType(prod, "aws:iam/user:User");
            assert.deepEqual(
                users.map((u) => [plain(u.inputs.name), u.options.protect]),
                [
                    ["raxx-billing-readonly", true],
                    ["raxx-freescout-backup", true],
                ],
            );
        });

        it("never replaces a policy for its description, which IAM cannot edit", () => {
            assert.deepEqual(
                ofType(prod, "aws:iam/policy:Policy").map((p) => [p.name, p.options.ignoreChanges, p.options.replacementTrigger]),
                [
                    ["billing-readonly-aws-policy", ["description"], undefined],
                    ["freescout-backup-aws-policy", ["description"], undefined],
                ],
            );
        });

        it("attaches each policy to its own user", () => {
            const attachments = ofType(prod, "aws:iam/userPolicyAttachment:UserPolicyAttachment");
            assert.deepEqual(
                attachments.map((a) => [plain(a.inputs.user), plain(a.inputs.policyArn)]),
                [
                    ["raxx-billing-readonly", `arn:aws:iam::${ACCOUNT}:policy/raxx-billing-readonly-policy`],
                    ["raxx-freescout-backup", `arn:aws:iam::${ACCOUNT}:policy/raxx-freescout-backup-policy`],
                ],
            );
        });

        it("gives the billing user exactly the SPEC's read-only actions", () => {
            const policy = byName(prod, "billing-readonly-aws-policy");
            assert.equal(plain(policy.inputs.name), "raxx-billing-readonly-policy");
            assert.deepEqual(policyOf(prod, "billing-readonly-aws-policy"), {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "CostExplorerRead", Effect: "Allow", Action: ["ce:Get*", "ce:Describe*", "ce:List*"], Resource: "*" },
                    {
                        Sid: "BillingRead",
                        Effect: "Allow",
                        Action: [
                            "billing:GetBillingData",
                            "billing:GetBillingDetails",
                            "billing:GetBillingNotifications",
                            "billing:GetBillingPreferences",
                            "billing:GetContractInformation",
                            "billing:GetCredits",
                            "billing:GetIAMAccessPreference",
                            "billing:GetSellerOfRecord",
                            "billing:ListBillingViews",
                        ],
                        Resource: "*",
                    },
                    { Sid: "BudgetsView", Effect: "Allow", Action: ["budgets:ViewBudget"], Resource: `arn:aws:budgets::${ACCOUNT}:budget/*` },
                    { Sid: "ReportDefinitionsRead", Effect: "Allow", Action: ["cur:DescribeReportDefinitions"], Resource: "*" },
                ],
            });
        });

        it("scopes the FreeScout backup policy to its parameters, bucket, key use through S3 and snapshots", () => {
            const policy = byName(prod, "freescout-backup-aws-policy");
            assert.equal(plain(policy.inputs.name), "raxx-freescout-backup-policy");
            assert.deepEqual(policyOf(prod, "freescout-backup-aws-policy"), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadFreescoutParameters",
                        Effect: "Allow",
                        Action: ["ssm:GetParameter"],
                        Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/raxx/freescout/*`,
                    },
                    {
                        Sid: "BackupObjects",
                        Effect: "Allow",
                        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                        Resource: "arn:aws:s3:::raxx-support-attachments/*",
                    },
                    {
                        Sid: "BackupBucket",
                        Effect: "Allow",
                        Action: ["s3:ListBucket", "s3:CreateBucket"],
                        Resource: "arn:aws:s3:::raxx-support-attachments",
                    },
                    {
                        Sid: "BucketKeyThroughS3",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
                        Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
                        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
                    },
                    {
                        Sid: "LightsailSnapshots",
                        Effect: "Allow",
                        Action: ["lightsail:CreateInstanceSnapshot", "lightsail:GetInstanceSnapshots", "lightsail:DeleteInstanceSnapshot"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
                    },
                ],
            });
        });

        it("narrows the KMS statement to the configured key", async () => {
            const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            const result = await runPinned("prod", { config: { "raxx-platform:freescoutBackupKmsKeyArn": key } });
            const doc = policyOf(result, "freescout-backup-aws-policy") as { Statement: { Sid: string; Resource: unknown }[] };
            assert.deepEqual(
                doc.Statement.map((s) => [s.Sid, s.Resource]),
                [
                    ["ReadFreescoutParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/raxx/freescout/*`],
                    ["BackupObjects", "arn:aws:s3:::raxx-support-attachments/*"],
                    ["BackupBucket", "arn:aws:s3:::raxx-support-attachments"],
                    ["BucketKeyThroughS3", key],
                    ["LightsailSnapshots", "*"],
                ],
            );
        });

        it("grants no wildcard action outside the SPEC's Cost Explorer ones, and nothing on IAM", () => {
            for (const name of ["billing-readonly-aws-policy", "freescout-backup-aws-policy"]) {
                const doc = policyOf(prod, name) as { Statement: { Action: string[] }[] };
                for (const action of doc.Statement.flatMap((s) => s.Action)) {
                    assert.notEqual(action, "*", name);
                    assert.ok(!action.startsWith("iam:"), `${name}: ${action}`);
                    if (action.includes("*")) assert.ok(["ce:Get*", "ce:Describe*", "ce:List*"].includes(action), `${name}: ${action}`);
                }
            }
        });
    });

    describe("access keys", () => {
        it("issues one key per dated slot, replaced only when its slot's date changes, old key first", () => {
            const keys = ofType(prod, "aws:iam/accessKey:AccessKey");
            assert.deepEqual(
                keys.map((k) => ({
                    name: k.name,
                    user: plain(k.inputs.user),
                    trigger: k.options.replacementTrigger,
                    deleteBeforeReplace: k.options.deleteBeforeReplace,
                    secretOutputs: k.options.additionalSecretOutputs.includes("secret"),
                })),
                [
                    { name: "billing-readonly-aws-access-key-a", user: "raxx-billing-readonly", trigger: "2026-11-28", deleteBeforeReplace: true, secretOutputs: true },
                    { name: "freescout-backup-aws-access-key-a", user: "raxx-freescout-backup", trigger: "2026-11-28", deleteBeforeReplace: true, secretOutputs: true },
                ],
            );
        });
    });

    describe("SSM parameters", () => {
        it("writes the billing key to its two SecureString paths, as secrets, from the active slot", () => {
            const params = ["raxx-billing-readonly-aws_access_key_id-parameter", "raxx-billing-readonly-aws_secret_access_key-parameter"].map((n) =>
                byName(prod, n),
            );
            assert.deepEqual(
                params.map((p) => ({
                    name: plain(p.inputs.name),
                    type: plain(p.inputs.type),
                    secret: isSecretValue(p.inputs.value),
                    value: plain(p.inputs.value),
                    secretOutput: p.options.additionalSecretOutputs.includes("value"),
                    trigger: p.options.replacementTrigger,
                    deleteBeforeReplace: p.options.deleteBeforeReplace,
                })),
                [
                    {
                        name: "/raxx/billing-readonly/aws_access_key_id",
                        type: "SecureString",
                        secret: true,
                        value: "fake-access-key-id-of-billing-readonly-aws-access-key-a",
                        secretOutput: true,
                        trigger: undefined,
                        deleteBeforeReplace: false,
                    },
                    {
                        name: "/raxx/billing-readonly/aws_secret_access_key",
                        type: "SecureString",
                        secret: true,
                        value: "fake-secret-access-key-of-billing-readonly-aws-access-key-a",
                        secretOutput: true,
                        trigger: undefined,
                        deleteBeforeReplace: false,
                    },
                ],
            );
        });

        it("adopts the live FreeScout parameters without ever sending a value", () => {
            const adopted = ["raxx-freescout-db_password-parameter", "raxx-freescout-ssh_key-parameter"].map((n) => byName(prod, n));
            assert.deepEqual(
                adopted.map((p) => ({ inputs: Object.fromEntries(Object.entries(p.inputs).filter(([k]) => k !== "__defaults")), options: p.options })),
                ["/raxx/freescout/db_password", "/raxx/freescout/ssh_key"].map((path) => ({
                    inputs: { name: path, type: "SecureString" },
                    options: {
                        protect: true,
                        retainOnDelete: true,
                        deleteBeforeReplace: false,
                        ignoreChanges: ["value", "insecureValue", "description", "keyId", "tier", "dataType", "allowedPattern", "tags"],
                        replaceOnChanges: [],
                        additionalSecretOutputs: ["value", "valueWo"],
                        replacementTrigger: undefined,
                        importId: path,
                        dependsOn: [],
                        propertyDependencies: { name: [], type: [] },
                    },
                })),
            );
        });

        it("declares every SSM parameter as a SecureString", () => {
            const params = ofType(prod, "aws:ssm/parameter:Parameter");
            assert.equal(params.length, 7);
            for (const p of params) assert.equal(plain(p.inputs.type), "SecureString", p.name);
        });
    });
});
