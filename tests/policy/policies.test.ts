// Unit tests of every policy in the pack: compliant, non-compliant (exact
// message), a missing property, and a config override, on hand-built
// ResourceValidationArgs. No PolicyPack is constructed: that starts a server.
import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as github from "@pulumi/github";
import { Secret } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    BILLING_READ_GROUP_ID_KEY,
    CHECK_KIND_OF_ISSUER,
    POLICIES,
    TYPES,
    CONSUMER_TYPES,
    CREDENTIAL_ISSUER_TYPES,
    GITHUB_VARIABLE_TYPES,
    SECRET_VALUE_FIELDS,
    actionCovers,
    actionsOverlap,
    cloudflareTokenPermissionGroups,
    credentialOutputsOnlyInSecrets,
    credentialsChecked,
    credentialsNotInPlainPlaces,
    dnsRecordsProtected,
    accessApplicationsProtected,
    workspaceAddressesProtected,
    iamNoAdministratorAccess,
    iamNoPrivilegeEscalation,
    iamNoWildcardActions,
    iamUsersProtected,
    policyConfig,
    secretValuesEncryptedInState,
    secretValuesFromSecrets,
    ssmSecretParametersSecureString,
    stackOfUrn,
} from "../../policy/policies";
import { CREDENTIAL_CHECK_KINDS } from "../../providers/verify";
import { CHECKS, CONSUMERS, ISSUERS } from "../../scripts/lib/kinds";
import { ArgsSpec, check, checkStack, validationArgs, violationsOf, withStackConfig } from "./harness";

describe("policy pack: the policies", () => {
    it("names every policy in kebab-case, once, with a description, a level and config defaults", () => {
        assert.deepEqual(
            POLICIES.map((p) => [p.name, p.enforcementLevel]),
            [
                ["ssm-secret-parameters-securestring", "mandatory"],
                ["iam-no-wildcard-actions", "mandatory"],
                ["iam-no-privilege-escalation", "mandatory"],
                ["iam-no-administrator-access", "mandatory"],
                ["secret-values-encrypted-in-state", "mandatory"],
                ["secret-values-from-secrets", "advisory"],
                ["credentials-not-in-plain-places", "mandatory"],
                ["credential-outputs-only-in-secrets", "mandatory"],
                ["credentials-checked", "mandatory"],
                ["iam-users-protected", "mandatory"],
                ["dns-records-protected", "mandatory"],
                ["access-applications-protected", "mandatory"],
                ["workspace-addresses-protected", "mandatory"],
                ["cloudflare-token-permission-groups", "mandatory"],
            ],
        );
        for (const p of POLICIES) {
            assert.match(p.name, /^[a-z]+(-[a-z]+)*$/);
            assert.ok(p.description.length > 20, p.name);
            const properties = Object.entries(p.configSchema?.properties ?? {});
            assert.ok(properties.length > 0, `${p.name} has no configSchema`);
            for (const [key, schema] of properties) {
                assert.ok(typeof schema === "object" && schema.default !== undefined, `${p.name}.${key} has no default`);
            }
        }
    });

    it("compares against the type tokens the SDKs register", () => {
        const classes: Record<string, { __pulumiType: string }> = {
            ssmParameter: aws.ssm.Parameter as never,
            iamUser: aws.iam.User as never,
            iamRole: aws.iam.Role as never,
            iamPolicy: aws.iam.Policy as never,
            iamUserPolicy: aws.iam.UserPolicy as never,
            iamRolePolicy: aws.iam.RolePolicy as never,
            iamGroupPolicy: aws.iam.GroupPolicy as never,
            iamPolicyAttachment: aws.iam.PolicyAttachment as never,
            iamUserPolicyAttachment: aws.iam.UserPolicyAttachment as never,
            iamRolePolicyAttachment: aws.iam.RolePolicyAttachment as never,
            iamGroupPolicyAttachment: aws.iam.GroupPolicyAttachment as never,
            iamUserPolicyAttachmentsExclusive: aws.iam.UserPolicyAttachmentsExclusive as never,
            iamRolePolicyAttachmentsExclusive: aws.iam.RolePolicyAttachmentsExclusive as never,
            iamGroupPolicyAttachmentsExclusive: aws.iam.GroupPolicyAttachmentsExclusive as never,
            githubActionsSecret: github.ActionsSecret as never,
            githubActionsEnvironmentSecret: github.ActionsEnvironmentSecret as never,
            githubActionsOrganizationSecret: github.ActionsOrganizationSecret as never,
            githubActionsVariable: github.ActionsVariable as never,
            githubActionsEnvironmentVariable: github.ActionsEnvironmentVariable as never,
            githubActionsOrganizationVariable: github.ActionsOrganizationVariable as never,
            iamAccessKey: aws.iam.AccessKey as never,
            randomBytes: random.RandomBytes as never,
            randomPassword: random.RandomPassword as never,
            cloudflareDnsRecord: cloudflare.DnsRecord as never,
            cloudflareRecord: cloudflare.Record as never,
            cloudflareApiToken: cloudflare.ApiToken as never,
            cloudflareAccessServiceToken: cloudflare.ZeroTrustAccessServiceToken as never,
            cloudflareAccessApplication: cloudflare.ZeroTrustAccessApplication as never,
            cloudflareAccessApplicationLegacy: cloudflare.AccessApplication as never,
        };
        for (const [key, type] of Object.entries(TYPES)) {
            // Our dynamic types: the Heroku ones are checked against the program run, the Infisical one against the registry.
            if (key === "herokuConfigVars" || key === "herokuAuthorization" || key === "infisicalSecret") continue;
            if (key === "workspaceGroup") {
                assert.equal(type, "pulumi-nodejs:dynamic/google-workspace:Group", key);
                continue;
            }
            if (key === "workspaceUser") {
                assert.deepEqual([type], CONSUMERS.find((k) => k.id === key)?.types, key);
                continue;
            }
            // The checks' types are the registry's.
            if (key === "credentialCheck" || key === "consumerCheck") {
                assert.deepEqual([type], CHECKS.find((k) => k.id === key)?.types, key);
                continue;
            }
            assert.equal(classes[key]?.__pulumiType, type, key);
        }
    });

    it("reads the stack from the URN", () => {
        assert.equal(stackOfUrn("urn:pulumi:prod::raxx-platform::raxx:cloudflare:MailDns$cloudflare:index/dnsRecord:DnsRecord::x"), "prod");
        // Only a leading urn:pulumi: is the URN's prefix.
        assert.equal(stackOfUrn("prod-urn:pulumi:x::raxx-platform"), "prod-urn:pulumi:x");
    });

    it("runs a policy with its schema's defaults, overridden key by key, and no default for a property without one", () => {
        const schema = { properties: { a: { type: "string" as const }, b: { type: "string" as const, default: "x" }, c: { type: "string" as const, default: "y" } } };
        assert.deepEqual(policyConfig(schema, { getConfig: <T extends object>() => ({}) as T }), { b: "x", c: "y" });
        assert.deepEqual(policyConfig(schema, { getConfig: <T extends object>() => ({ a: "z", c: "w" }) as T }), { a: "z", b: "x", c: "w" });
    });

    describe("ssm-secret-parameters-securestring", () => {
        const policy = ssmSecretParametersSecureString;
        const param = (props: Record<string, unknown>, config?: Record<string, unknown>) =>
            violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props, config });

        it("passes a secret-looking parameter that is a SecureString, and a plain one that is a String", async () => {
            assert.deepEqual(await param({ name: "/raxx/freescout/db_password", type: "SecureString" }), []);
            assert.deepEqual(await param({ name: "/raxx/console/base_url", type: "String", value: "https://console.raxx.app" }), []);
        });

        it("fails a parameter whose name or tag marks it secret but that is a String", async () => {
            assert.deepEqual(await param({ name: "/raxx/billing-readonly/aws_secret_access_key", type: "String" }), [
                'SSM parameter "/raxx/billing-readonly/aws_secret_access_key" has type "String", but it is secret (its name matches /secret/i); declare it type SecureString',
            ]);
            assert.deepEqual(await param({ name: "/raxx/app/x", type: "StringList", tags: { secret: "True" } }), [
                'SSM parameter "/raxx/app/x" has type "StringList", but it is secret (its tag secret=true); declare it type SecureString',
            ]);
        });

        it("matches the name patterns whatever the case", async () => {
            assert.deepEqual(await param({ name: "/raxx/app/DB_PASSWORD", type: "String" }), [
                'SSM parameter "/raxx/app/DB_PASSWORD" has type "String", but it is secret (its name matches /password/i); declare it type SecureString',
            ]);
        });

        it("takes the resource name when the parameter has none, and fails a missing type", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "raxx-db_password", props: {} }), [
                'SSM parameter "raxx-db_password" has no type, but it is secret (its name matches /password/i); declare it type SecureString',
            ]);
        });

        it("takes its name patterns and tag from config", async () => {
            const config = { secretNamePatterns: ["^/raxx/vault/"], secretTag: "classification" };
            assert.deepEqual(await param({ name: "/raxx/app/api_key", type: "String" }, config), []);
            assert.deepEqual(await param({ name: "/raxx/vault/x", type: "String" }, config), [
                'SSM parameter "/raxx/vault/x" has type "String", but it is secret (its name matches /^/raxx/vault//i); declare it type SecureString',
            ]);
            assert.deepEqual(await param({ name: "/raxx/app/y", type: "String", tags: { classification: "true" } }, config), [
                'SSM parameter "/raxx/app/y" has type "String", but it is secret (its tag classification=true); declare it type SecureString',
            ]);
        });

        it("ignores other types", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUser, name: "u", props: { name: "db_password" } }), []);
        });
    });

    describe("iam-no-wildcard-actions", () => {
        const policy = iamNoWildcardActions;
        const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
        const iamPolicy = (policyDoc: unknown, config?: Record<string, unknown>) =>
            violationsOf(policy, { type: TYPES.iamPolicy, name: "pol", props: { name: "pol", policy: policyDoc }, config });

        it("says which action patterns cover a forbidden one", () => {
            assert.deepEqual(
                ["*", "iam:*", "IAM:*", "i*", "*:*", "iam:Get*", "iam:PassRole", "s3:*"].map((a) => actionCovers(a, "iam:*")),
                [true, true, true, true, true, false, false, false],
            );
            assert.equal(actionCovers("*", "*"), true);
            assert.equal(actionCovers("iam:*", "*"), false);
            // `?` is one character; every other character is itself, a regular expression's `.` too.
            assert.deepEqual(
                [
                    ["iam:?assRole", "iam:PassRole"],
                    ["iam:?ass", "iam:PassRole"],
                    ["i.am:*", "iam:*"],
                    ["iam:Pass.ole", "iam:PassRole"],
                    ["(iam):*", "iam:*"],
                ].map(([a, f]) => actionCovers(a, f)),
                [true, false, false, false, false],
            );
        });

        it("passes scoped actions, and denies of anything", async () => {
            assert.deepEqual(
                await iamPolicy(
                    doc(
                        { Sid: "Read", Effect: "Allow", Action: ["ce:Get*", "iam:GetUser"], Resource: "*" },
                        { Sid: "NoIam", Effect: "Deny", Action: "iam:*", Resource: "*" },
                        { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" },
                    ),
                ),
                [],
            );
        });

        it("fails *, iam:* and patterns covering them, as a string or a list, and Allow with NotAction", async () => {
            assert.deepEqual(
                await iamPolicy(
                    doc(
                        { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" },
                        { Effect: "Allow", Action: ["s3:GetObject", "iam:*", "i*"], Resource: "*" },
                        { Sid: "AllBut", Effect: "Allow", NotAction: ["iam:*"], Resource: "*" },
                    ),
                ),
                [
                    'aws:iam/policy:Policy "pol": policy statement "All" allows action "*"',
                    'aws:iam/policy:Policy "pol": policy statement #1 allows action "iam:*"',
                    'aws:iam/policy:Policy "pol": policy statement #1 allows action "i*" (covers "iam:*")',
                    'aws:iam/policy:Policy "pol": policy statement "AllBut" allows every action except NotAction ["iam:*"]; list the allowed actions instead',
                ],
            );
        });

        it("reads a single Statement object, an object document, and inline role policies", async () => {
            assert.deepEqual(await iamPolicy({ Statement: { Effect: "Allow", Action: "iam:*", Resource: "*" } }), [
                'aws:iam/policy:Policy "pol": policy statement #0 allows action "iam:*"',
            ]);
            assert.deepEqual(
                await violationsOf(policy, {
                    type: TYPES.iamRole,
                    name: "role",
                    props: { inlinePolicies: [{ name: "ok", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }, { name: "bad", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }] },
                }),
                ['aws:iam/role:Role "role": inlinePolicies[1].policy statement #0 allows action "*"'],
            );
        });

        it("fails a document that is missing or is not JSON, since it cannot be checked", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUserPolicy, name: "up", props: { user: "u" } }), [
                'aws:iam/userPolicy:UserPolicy "up" has no policy document to check; declare its policy',
            ]);
            assert.deepEqual(await iamPolicy("{not json"), ['aws:iam/policy:Policy "pol": policy is not valid JSON, so it cannot be checked']);
            assert.deepEqual(await iamPolicy(""), ['aws:iam/policy:Policy "pol" has no policy document to check; declare its policy']);
        });

        it("skips inline role policies without a document, and statements that are not objects", async () => {
            assert.deepEqual(
                await violationsOf(policy, {
                    type: TYPES.iamRole,
                    name: "role",
                    props: { inlinePolicies: [null, { name: "empty", policy: "" }, { name: "none" }, { name: "bad", policy: doc(null, "x", { Effect: "Allow", Action: "*", Resource: "*" }) }] },
                }),
                ['aws:iam/role:Role "role": inlinePolicies[3].policy statement #2 allows action "*"'],
            );
            assert.deepEqual(await iamPolicy("null"), []);
        });

        it("labels a statement by its index when its Sid is empty or not a string, and lists only the strings of NotAction", async () => {
            assert.deepEqual(
                await iamPolicy(
                    doc(
                        { Sid: 5, Effect: "Allow", Action: "iam:*", Resource: "*" },
                        { Sid: "", Effect: "Allow", Action: "*", Resource: "*" },
                        { Effect: "Allow", NotAction: ["s3:GetObject", 5, null], Resource: "*" },
                        { Effect: "Allow", NotAction: { s3: "GetObject" }, Resource: "*" },
                    ),
                ),
                [
                    'aws:iam/policy:Policy "pol": policy statement #0 allows action "iam:*"',
                    'aws:iam/policy:Policy "pol": policy statement #1 allows action "*"',
                    'aws:iam/policy:Policy "pol": policy statement #2 allows every action except NotAction ["s3:GetObject"]; list the allowed actions instead',
                    'aws:iam/policy:Policy "pol": policy statement #3 allows every action except NotAction []; list the allowed actions instead',
                ],
            );
        });

        it("takes its forbidden actions from config", async () => {
            const config = { forbiddenActions: ["s3:*"] };
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }), config), []);
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }), config), [
                'aws:iam/policy:Policy "pol": policy statement #0 allows action "s3:*"',
            ]);
        });
    });

    describe("iam-no-privilege-escalation", () => {
        const policy = iamNoPrivilegeEscalation;
        const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
        const iamPolicy = (policyDoc: unknown, config?: Record<string, unknown>) =>
            violationsOf(policy, { type: TYPES.iamPolicy, name: "pol", props: { name: "pol", policy: policyDoc }, config });
        const grant = 'aws:iam/policy:Policy "pol": policy statement';
        const tail = "on every resource, which lets its holder grant itself more; scope Resource to the ARNs the job needs";

        it("says which action patterns overlap, matching wildcards both ways", () => {
            assert.deepEqual(
                [
                    ["iam:*Policy*", "iam:PutUserPolicy"],
                    ["iam:PutUserPolicy", "iam:Put*Policy"],
                    ["iam:*Policy", "iam:Put*"],
                    ["IAM:attachrolepolicy", "iam:Attach*Policy"],
                    ["iam:?ass*", "iam:PassRole"],
                    ["iam:Get*", "iam:Put*Policy"],
                    ["iam:PutUserPolicy", "iam:PutRolePolicy"],
                    ["s3:*", "iam:PassRole"],
                    ["iam:List*", "iam:*Policy"],
                    ["iam:PassRole", "iam:?assRole"],
                    ["iam:PassRole", "iam:PassRole?"],
                    ["iam:PassRole?", "iam:PassRole"],
                    ["iam:PassRole?*", "iam:PassRole"],
                    ["iam:PassRole", "iam:PassRole?*"],
                    ["a*a", "*a"],
                ].map(([a, b]) => actionsOverlap(a, b)),
                [true, true, true, true, true, false, false, false, true, true, false, false, false, false, true],
            );
        });

        it("answers at once however many wildcards a pattern has", () => {
            // Without remembering what it has tried, the search would take years on this pair.
            assert.equal(actionsOverlap("*a".repeat(16) + "b", "a".repeat(48)), false);
            assert.equal(actionsOverlap("a".repeat(48), "*a".repeat(16) + "*"), true);
        });

        it("passes what the program grants, escalation actions on named resources, and denies", async () => {
            assert.deepEqual(
                await iamPolicy(
                    doc(
                        { Sid: "Read", Effect: "Allow", Action: ["ce:Get*", "lightsail:GetInstanceSnapshots"], Resource: "*" },
                        { Sid: "OwnKey", Effect: "Allow", Action: ["iam:CreateAccessKey"], Resource: "arn:aws:iam::521228113048:user/raxx-ci" },
                        { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: ["arn:aws:iam::521228113048:role/raxx-backup"] },
                        { Effect: "Deny", Action: "iam:*", Resource: "*" },
                    ),
                ),
                [],
            );
        });

        it("fails iam:Attach*, iam:Put*Policy, iam:CreateAccessKey and patterns overlapping them on every resource", async () => {
            assert.deepEqual(
                await iamPolicy(
                    doc(
                        { Sid: "Attach", Effect: "Allow", Action: ["iam:AttachUserPolicy", "iam:Put*Policy"], Resource: "*" },
                        { Effect: "Allow", Action: "iam:CreateAccessKey", Resource: ["arn:aws:iam::521228113048:*"] },
                        { Sid: "Broad", Effect: "Allow", Action: ["iam:*Policy*"], Resource: "*" },
                        { Sid: "Others", Effect: "Allow", Action: ["iam:PassRole", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion"], NotResource: "arn:aws:iam::521228113048:role/x" },
                    ),
                ),
                [
                    `${grant} "Attach" allows "iam:AttachUserPolicy" (overlaps "iam:Attach*Policy") ${tail}`,
                    `${grant} "Attach" allows "iam:Put*Policy" ${tail}`,
                    `${grant} #1 allows "iam:CreateAccessKey" ${tail}`,
                    `${grant} "Broad" allows "iam:*Policy*" (overlaps "iam:Attach*Policy", "iam:Put*Policy", "iam:Put*PermissionsBoundary", "iam:Delete*PermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy") ${tail}`,
                    `${grant} "Others" allows "iam:PassRole" on every resource but NotResource, which lets its holder grant itself more; scope Resource to the ARNs the job needs`,
                    `${grant} "Others" allows "iam:UpdateAssumeRolePolicy" on every resource but NotResource, which lets its holder grant itself more; scope Resource to the ARNs the job needs`,
                    `${grant} "Others" allows "iam:CreatePolicyVersion" on every resource but NotResource, which lets its holder grant itself more; scope Resource to the ARNs the job needs`,
                ],
            );
        });

        it("counts a statement wide when any of its resources is every resource: *, or an ARN whose resource part is *", async () => {
            const passRole = (Resource: unknown) => doc({ Effect: "Allow", Action: "iam:PassRole", Resource });
            for (const resource of [["arn:aws:iam::521228113048:role/x", "*"], "arn:aws:iam::*", "arn:*", "arn:aws:iam::521228113048:*"]) {
                assert.deepEqual(await iamPolicy(passRole(resource)), [`${grant} #0 allows "iam:PassRole" ${tail}`], JSON.stringify(resource));
            }
            for (const resource of ["", "arn:aws:iam::521228113048:role:*", "arn:aws:iam::521228113048:*:", "arn:aws:iam::521228113048:role/*", ["arn:aws:iam::521228113048:role/x", 5]]) {
                assert.deepEqual(await iamPolicy(passRole(resource)), [], JSON.stringify(resource));
            }
        });

        it("names every escalation action an action overlaps, even when one is the action itself", async () => {
            const config = { escalationActions: ["iam:Put*", "iam:PutUserPolicy"] };
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: ["iam:PUT*", "iam:PutRolePolicy"], Resource: "*" }), config), [
                `${grant} #0 allows "iam:PUT*" (overlaps "iam:Put*", "iam:PutUserPolicy") ${tail}`,
                `${grant} #0 allows "iam:PutRolePolicy" (overlaps "iam:Put*") ${tail}`,
            ]);
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: "IAM:PUTUSERPOLICY", Resource: "*" }), { escalationActions: ["iam:PutUserPolicy"] }), [
                `${grant} #0 allows "IAM:PUTUSERPOLICY" ${tail}`,
            ]);
        });

        it("reads inline role and user policies, and leaves unreadable documents to iam-no-wildcard-actions", async () => {
            assert.deepEqual(
                await violationsOf(policy, {
                    type: TYPES.iamRole,
                    name: "role",
                    props: { inlinePolicies: [{ name: "esc", policy: doc({ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" }) }] },
                }),
                [`aws:iam/role:Role "role": inlinePolicies[0].policy statement #0 allows "iam:PutRolePolicy" (overlaps "iam:Put*Policy") ${tail}`],
            );
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUserPolicy, name: "up", props: { user: "u", policy: "{not json" } }), []);
        });

        it("takes its escalation actions from config", async () => {
            const config = { escalationActions: ["sts:AssumeRole"] };
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }), config), []);
            assert.deepEqual(await iamPolicy(doc({ Effect: "Allow", Action: "sts:*", Resource: "*" }), config), [
                `${grant} #0 allows "sts:*" (overlaps "sts:AssumeRole") ${tail}`,
            ]);
        });
    });

    describe("iam-no-administrator-access", () => {
        const policy = iamNoAdministratorAccess;
        const admin = "arn:aws:iam::aws:policy/AdministratorAccess";

        it("fails IAMFullAccess, PowerUserAccess and the other broad AWS-managed policies, in any partition", async () => {
            for (const arn of [
                "arn:aws:iam::aws:policy/IAMFullAccess",
                "arn:aws:iam::aws:policy/PowerUserAccess",
                "arn:aws-us-gov:iam::aws:policy/IAMFullAccess",
                "arn:aws:iam::aws:policy/job-function/SystemAdministrator",
                "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
            ]) {
                assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUserPolicyAttachment, name: "att", props: { user: "u", policyArn: arn } }), [
                    `aws:iam/userPolicyAttachment:UserPolicyAttachment "att": policyArn attaches ${arn}; grant the actions the job needs instead`,
                ]);
            }
        });

        it("passes a customer-managed policy attachment", async () => {
            assert.deepEqual(
                await violationsOf(policy, {
                    type: TYPES.iamUserPolicyAttachment,
                    name: "att",
                    props: { user: "raxx-billing-readonly", policyArn: "arn:aws:iam::521228113048:policy/raxx-billing-readonly-policy" },
                }),
                [],
            );
        });

        it("fails AdministratorAccess on users, roles and groups, in any partition", async () => {
            for (const type of [TYPES.iamUserPolicyAttachment, TYPES.iamRolePolicyAttachment, TYPES.iamGroupPolicyAttachment, TYPES.iamPolicyAttachment]) {
                assert.deepEqual(await violationsOf(policy, { type, name: "att", props: { policyArn: admin } }), [
                    `${type} "att": policyArn attaches ${admin}; grant the actions the job needs instead`,
                ]);
            }
            const gov = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess";
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamRole, name: "r", props: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", gov] } }), [
                `aws:iam/role:Role "r": managedPolicyArns attaches ${gov}; grant the actions the job needs instead`,
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamRolePolicyAttachmentsExclusive, name: "x", props: { policyArns: [admin] } }), [
                `aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive "x": policyArns attaches ${admin}; grant the actions the job needs instead`,
            ]);
        });

        it("normalizes only the partition that starts an ARN: anything else compares whole", async () => {
            const config = { forbiddenPolicyArns: [admin, "policy/arn:aws:x"] };
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.iamRole, name: "r", props: { managedPolicyArns: ["iam::aws:policy/AdministratorAccess", "policy/arn:aws-cn:x"] }, config }),
                [],
            );
        });

        it("has nothing to check on an attachment without a policy ARN", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUserPolicyAttachment, name: "att", props: { user: "u" } }), []);
        });

        it("takes the forbidden ARNs from config", async () => {
            const config = { forbiddenPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUserPolicyAttachment, name: "a", props: { policyArn: admin }, config }), []);
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.iamUserPolicyAttachment, name: "a", props: { policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }, config }),
                ['aws:iam/userPolicyAttachment:UserPolicyAttachment "a": policyArn attaches arn:aws:iam::aws:policy/IAMFullAccess; grant the actions the job needs instead'],
            );
        });
    });

    describe("secret-values-encrypted-in-state", () => {
        const policy = secretValuesEncryptedInState;

        it("passes values declared additional secret outputs, as the SDKs and ConfigVars declare them", async () => {
            assert.deepEqual(
                await violationsOf(policy, {
                    type: TYPES.githubActionsSecret,
                    name: "s",
                    props: { repository: "raxx", secretName: "HEROKU_API_KEY", value: "x" },
                    additionalSecretOutputs: ["encryptedValue", "plaintextValue", "value", "valueEncrypted"],
                }),
                [],
            );
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: {}, secretVars: { K: "v" } }, additionalSecretOutputs: ["secretVars"] }),
                [],
            );
        });

        it("fails a value that is not an additional secret output", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", secretVars: { K: "v" } } }), [
                'pulumi-nodejs:dynamic/heroku:ConfigVars "cv": "secretVars" is not in additionalSecretOutputs; declare it, so the value stays encrypted in state and masked in diffs',
            ]);
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/x", type: "SecureString", value: "v" }, additionalSecretOutputs: ["valueWo"] }),
                ['aws:ssm/parameter:Parameter "p": "value" is not in additionalSecretOutputs; declare it, so the value stays encrypted in state and masked in diffs'],
            );
        });

        it("has nothing to check without a value (an adopted parameter), or on a plain String parameter", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/freescout/db_password", type: "SecureString" } }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/x", type: "String", value: "v" } }), []);
        });

        it("does not read the value itself, so an unknown value during preview does not stop it", async () => {
            const unknown = (pulumi.runtime as unknown as { unknownValue: unknown }).unknownValue;
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.githubActionsEnvironmentSecret, name: "s", props: { environment: "production", value: unknown } }),
                ['github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret "s": "value" is not in additionalSecretOutputs; declare it, so the value stays encrypted in state and masked in diffs'],
            );
        });

        it("skips the exempt fields of config", async () => {
            const config = { exemptFields: [`${TYPES.herokuConfigVars}.secretVars`] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", secretVars: {} }, config }), []);
        });
    });

    describe("secret-values-from-secrets", () => {
        const policy = secretValuesFromSecrets;
        const visible = { inputSecretsVisible: true };

        it("passes values that arrive as secrets", async () => {
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { value: new Secret("tok") }, config: visible }),
                [],
            );
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: { FLAG: "on" }, secretVars: new Secret({ K: "v" }) }, config: visible }),
                [],
            );
        });

        it("fails a value that arrives plain", async () => {
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/x", type: "SecureString", value: "hunter2" }, config: visible }),
                ['aws:ssm/parameter:Parameter "p": "value" arrives as a plain value; pass it a secret (pulumi.secret, a secret config value or a secret output)'],
            );
        });

        it("passes a value marked with the runtime's secret signature, and fails null, objects and other signatures", async () => {
            const marked = (sig: unknown) => ({ [pulumi.runtime.specialSigKey]: sig, value: "tok" });
            const plain = (field: string) => `github:index/actionsSecret:ActionsSecret "s": "${field}" arrives as a plain value; pass it a secret (pulumi.secret, a secret config value or a secret output)`;
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { value: marked(pulumi.runtime.specialSecretSig) }, config: visible }), []);
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { value: null, plaintextValue: marked(pulumi.runtime.specialAssetSig) }, config: visible }),
                [plain("value"), plain("plaintextValue")],
            );
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { value: { value: "tok" } }, config: visible }), [plain("value")]);
        });

        it("has nothing to check without a value", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { repository: "raxx" }, config: visible }), []);
            // Nor does it say it is not applicable to a resource that holds no secret value.
            assert.deepEqual(await check(policy, validationArgs({ type: TYPES.iamUser, name: "u", props: { name: "raxx-ci" } })), { violations: [] });
        });

        it("by default reports itself not applicable: the policy SDK unwraps secrets before validateResource", async () => {
            const outcome = await check(policy, validationArgs({ type: TYPES.githubActionsSecret, name: "s", props: { value: "tok" } }));
            assert.deepEqual(outcome, {
                violations: [],
                notApplicable: "the policy SDK passes inputs with secrets unwrapped, so whether a value arrived as a secret is not visible",
            });
        });
    });

    describe("credentials-not-in-plain-places", () => {
        const policy = credentialsNotInPlainPlaces;
        const token = "a3f1".repeat(16); // the shape of 32 random bytes, as the audit ingest token
        const plainText = "but it is stored and shown in plain text";

        it("passes plain values that look like settings, and secret-typed places", async () => {
            assert.deepEqual(
                await violationsOf(policy, { type: TYPES.githubActionsEnvironmentVariable, name: "v", props: { environment: "production", variableName: "CONSOLE_INTERNAL_URL", value: "https://console.raxx.app" } }),
                [],
            );
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" }, secretVars: { API_TOKEN: token } } }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/app/config", type: "SecureString", value: token } }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsSecret, name: "s", props: { secretName: "DEPLOY_TOKEN", value: token } }), []);
        });

        it("fails a GitHub variable, repository or environment, whose name or value marks it a credential, without echoing the value", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsVariable, name: "v", props: { repository: "raxx", variableName: "HEROKU_API_KEY", value: "x" } }), [
                `github:index/actionsVariable:ActionsVariable "v": variable "HEROKU_API_KEY" looks like a credential (its name matches /api_?key/i), ${plainText}; make it an Actions secret`,
            ]);
            const byValue = await violationsOf(policy, {
                type: TYPES.githubActionsEnvironmentVariable,
                name: "v",
                props: { repository: "raxx", environment: "production", variableName: "CONSOLE_INGEST", value: token },
            });
            assert.deepEqual(byValue, [
                `github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable "v": variable "CONSOLE_INGEST" looks like a credential (its value has the shape of one (/^[0-9a-fA-F]{64,}$/)), ${plainText}; make it an Actions secret`,
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsOrganizationVariable, name: "v", props: { variableName: "AWS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" } }), [
                `github:index/actionsOrganizationVariable:ActionsOrganizationVariable "v": variable "AWS_KEY_ID" looks like a credential (its value has the shape of one (/^(AKIA|ASIA)[A-Z0-9]{16}$/)), ${plainText}; make it an Actions secret`,
            ]);
        });

        it("fails a Heroku plain config var whose name or value marks it a credential", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: { HEROKU_API_KEY: "x", FLAG: "on", INGEST: token } } }), [
                `pulumi-nodejs:dynamic/heroku:ConfigVars "cv": plain config var "HEROKU_API_KEY" looks like a credential (its name matches /api_?key/i), ${plainText}; move it to secretVars`,
                `pulumi-nodejs:dynamic/heroku:ConfigVars "cv": plain config var "INGEST" looks like a credential (its value has the shape of one (/^[0-9a-fA-F]{64,}$/)), ${plainText}; move it to secretVars`,
            ]);
        });

        it("fails an SSM String or StringList whose value has the shape of a credential, whatever its name", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/app/config", type: "String", value: token } }), [
                `aws:ssm/parameter:Parameter "p": SSM String "/raxx/app/config" looks like a credential (its value has the shape of one (/^[0-9a-fA-F]{64,}$/)), ${plainText}; declare it type SecureString`,
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/app/url", type: "String", value: "https://console.raxx.app" } }), []);
        });

        it("names a variable without a string name, and an SSM parameter without a name or type, by what it has", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsVariable, name: "v", props: { variableName: 42, value: token } }), [
                `github:index/actionsVariable:ActionsVariable "v": variable "v" looks like a credential (its value has the shape of one (/^[0-9a-fA-F]{64,}$/)), ${plainText}; make it an Actions secret`,
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { value: token } }), [
                `aws:ssm/parameter:Parameter "p": SSM parameter "p" looks like a credential (its value has the shape of one (/^[0-9a-fA-F]{64,}$/)), ${plainText}; declare it type SecureString`,
            ]);
        });

        it("has nothing to check on Heroku vars that are not an object", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: null } }), []);
        });

        it("leaves SSM names to ssm-secret-parameters-securestring, and matches no pattern against an unknown value", async () => {
            const unknown = (pulumi.runtime as unknown as { unknownValue: unknown }).unknownValue;
            const config = { secretNamePatterns: [".*"], credentialValuePatterns: ["^[a-z]+$"] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/app/url", type: "String", value: "https://console.raxx.app" }, config }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.ssmParameter, name: "p", props: { name: "/raxx/app/url", type: "String", value: unknown }, config }), []);
        });

        it("checks names when values are unknown during preview", async () => {
            const unknown = (pulumi.runtime as unknown as { unknownValue: unknown }).unknownValue;
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsVariable, name: "v", props: { variableName: "X", value: unknown } }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsVariable, name: "v", props: { variableName: "DB_PASSWORD", value: unknown } }), [
                `github:index/actionsVariable:ActionsVariable "v": variable "DB_PASSWORD" looks like a credential (its name matches /password/i), ${plainText}; make it an Actions secret`,
            ]);
        });

        it("takes its name and value patterns from config", async () => {
            const config = { secretNamePatterns: ["^SEKRIT_"], credentialValuePatterns: ["^tok-"] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.githubActionsVariable, name: "v", props: { variableName: "HEROKU_API_KEY", value: token }, config }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.herokuConfigVars, name: "cv", props: { app: "a", vars: { SEKRIT_A: "x", B: "tok-1" } }, config }), [
                `pulumi-nodejs:dynamic/heroku:ConfigVars "cv": plain config var "SEKRIT_A" looks like a credential (its name matches /^SEKRIT_/i), ${plainText}; move it to secretVars`,
                `pulumi-nodejs:dynamic/heroku:ConfigVars "cv": plain config var "B" looks like a credential (its value has the shape of one (/^tok-/)), ${plainText}; move it to secretVars`,
            ]);
        });
    });

    describe("credentials-checked", () => {
        const policy = credentialsChecked;
        const urn = (type: string, name: string) => `urn:pulumi:prod::raxx-platform::${type}::${name}`;
        const key = { type: TYPES.iamAccessKey, name: "billing-aws-access-key-a", props: { user: "raxx-billing-readonly" } };
        const keyUrn = urn(key.type, key.name);
        const checkOf = (kind: string, of: string, name = "billing-aws-check-a"): ArgsSpec => ({
            type: TYPES.credentialCheck,
            name,
            props: { credential: "awsBillingKey", slot: "a", kind, enabled: true },
            propertyDependencies: { value: [of], expect: [] },
        });
        const checkUrn = urn(TYPES.credentialCheck, "billing-aws-check-a");
        const param = (valueFrom: string[], name = "p"): ArgsSpec => ({
            type: TYPES.ssmParameter,
            name,
            props: { name: `/raxx/billing-readonly/${name}`, type: "SecureString", value: "x" },
            propertyDependencies: { value: valueFrom },
        });
        const consumerCheck = (of: string, name = "p-check"): ArgsSpec => ({
            type: TYPES.consumerCheck,
            name,
            props: { credential: "awsBillingKey", kind: "ssmParameter", enabled: false },
            propertyDependencies: { value: [keyUrn, checkUrn] },
            dependsOn: [of],
        });
        const violations = async (specs: ArgsSpec[], config: Record<string, unknown> = {}) => (await checkStack(policy, [key, ...specs], config)).violations;

        it("passes an issuer with a check of its kind, a consumer that takes it through the check, and that consumer's check (on or off)", async () => {
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), param([keyUrn, checkUrn]), consumerCheck(urn(TYPES.ssmParameter, "p"))]), []);
        });

        it("fails an issuer without a check, or with a check of another kind, naming the kind it needs", async () => {
            assert.deepEqual(await violations([]), [
                `${TYPES.iamAccessKey} "billing-aws-access-key-a": no CredentialCheck of kind awsAccessKey takes its value; declare one with checkSlots (components/verification.ts)`,
            ]);
            assert.deepEqual(await violations([checkOf("randomBytes", keyUrn)]), [
                `${TYPES.iamAccessKey} "billing-aws-access-key-a": no CredentialCheck of kind awsAccessKey takes its value (found: randomBytes); declare one with checkSlots (components/verification.ts)`,
            ]);
            assert.deepEqual(await violations([checkOf("randomBytes", keyUrn), checkOf("randomPassword", keyUrn, "billing-aws-check-b")]), [
                `${TYPES.iamAccessKey} "billing-aws-access-key-a": no CredentialCheck of kind awsAccessKey takes its value (found: randomBytes, randomPassword); declare one with checkSlots (components/verification.ts)`,
            ]);
        });

        it("fails a consumer that takes the credential around its check, and one that no ConsumerCheck follows", async () => {
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), param([keyUrn])]), [
                `${TYPES.ssmParameter} "p": "value" takes a credential from ${TYPES.iamAccessKey} "billing-aws-access-key-a" without that credential's check; take it through the check (afterCheck in components/verification.ts)`,
                `${TYPES.ssmParameter} "p": holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`,
            ]);
        });

        it("counts only a check of the same credential: slot a's check does not let slot b's key through, nor another credential's ConsumerCheck", async () => {
            const other = { type: TYPES.iamAccessKey, name: "billing-aws-access-key-b", props: { user: "raxx-billing-readonly" } };
            const otherUrn = urn(other.type, other.name);
            const otherCheck = checkOf("awsAccessKey", otherUrn, "billing-aws-check-b");
            // The parameter takes slot b's key, behind slot a's check.
            const behindA = param([otherUrn, checkUrn]);
            const checkOfA = consumerCheck(urn(TYPES.ssmParameter, "p"));
            assert.deepEqual(await violations([other, checkOf("awsAccessKey", keyUrn), otherCheck, behindA, checkOfA]), [
                `${TYPES.ssmParameter} "p": "value" takes a credential from ${TYPES.iamAccessKey} "billing-aws-access-key-b" without that credential's check; take it through the check (afterCheck in components/verification.ts)`,
                `${TYPES.ssmParameter} "p": holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`,
            ]);
        });

        it("counts only a CredentialCheck as an issuer's check, and only a ConsumerCheck as a consumer's", async () => {
            const lookalike: ArgsSpec = { type: TYPES.consumerCheck, name: "lookalike", props: { kind: "awsAccessKey" }, propertyDependencies: { value: [keyUrn] } };
            assert.deepEqual(await violations([lookalike]), [
                `${TYPES.iamAccessKey} "billing-aws-access-key-a": no CredentialCheck of kind awsAccessKey takes its value; declare one with checkSlots (components/verification.ts)`,
            ]);
            const checkAfterWrite = { ...checkOf("awsAccessKey", keyUrn), dependsOn: [urn(TYPES.ssmParameter, "p")] };
            assert.deepEqual(await violations([checkAfterWrite, param([keyUrn, checkUrn])]), [
                `${TYPES.ssmParameter} "p": holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`,
            ]);
        });

        it("takes a credential through its check only by a CredentialCheck: another resource that takes the value does not count", async () => {
            // q takes the key through its check; p takes it from the key and from q, so not through the check.
            const q = param([keyUrn, checkUrn], "q");
            const p = param([keyUrn, urn(TYPES.ssmParameter, "q")]);
            const checks = [consumerCheck(urn(TYPES.ssmParameter, "p")), consumerCheck(urn(TYPES.ssmParameter, "q"), "q-check")];
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), q, p, ...checks]), [
                `${TYPES.ssmParameter} "p": "value" takes a credential from ${TYPES.iamAccessKey} "billing-aws-access-key-a" without that credential's check; take it through the check (afterCheck in components/verification.ts)`,
            ]);
        });

        it("reads an input without recorded dependencies as taking from nothing", async () => {
            const noValue: ArgsSpec = { ...checkOf("awsAccessKey", keyUrn), propertyDependencies: { expect: [] } };
            const literal: ArgsSpec = { type: TYPES.githubActionsSecret, name: "s", props: { secretName: "X", value: "x" } };
            const user: ArgsSpec = { type: TYPES.workspaceUser, name: "u", props: { primaryEmail: "u@raxx.app", password: "x" } };
            assert.deepEqual(await violations([noValue, literal, user]), [
                `${TYPES.iamAccessKey} "billing-aws-access-key-a": no CredentialCheck of kind awsAccessKey takes its value; declare one with checkSlots (components/verification.ts)`,
                `${TYPES.workspaceUser} "u": "password" does not come from a RandomPassword the stack issues; take it from a RotatingPassword (components/random/rotatingPassword.ts), through its check`,
            ]);
        });

        it("checks each credential field of a consumer, in order", async () => {
            const secret: ArgsSpec = { type: TYPES.infisicalSecret, name: "i", props: { value: "x", access: "x" }, propertyDependencies: { value: [keyUrn], access: [keyUrn] } };
            const without = (field: string) =>
                `${TYPES.infisicalSecret} "i": "${field}" takes a credential from ${TYPES.iamAccessKey} "billing-aws-access-key-a" without that credential's check; take it through the check (afterCheck in components/verification.ts)`;
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), secret]), [
                without("access"),
                without("value"),
                `${TYPES.infisicalSecret} "i": holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`,
            ]);
        });

        it("fails an issuer type the pack knows but no check does, and lets exemptUrns through", async () => {
            // Every issuer type has a check today; the guard is for one added to the pack's table
            // before its check, so the test takes the password's check out of the map for a moment.
            const password = { type: TYPES.randomPassword, name: "pw", props: { length: 40 } };
            const pwUrn = urn(password.type, password.name);
            const map = CHECK_KIND_OF_ISSUER as Map<string, string>;
            map.delete(TYPES.randomPassword);
            try {
                assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), password]), [
                    `${TYPES.randomPassword} "pw": no check knows how to test a random password; add one to providers/verify before issuing it`,
                ]);
                assert.deepEqual(await violations([password, param([keyUrn])], { exemptUrns: [pwUrn, keyUrn, urn(TYPES.ssmParameter, "p")] }), []);
            } finally {
                map.set(TYPES.randomPassword, "randomPassword");
            }
        });

        it("wants a random password checked as one, and the Workspace user it is written to checked after the write", async () => {
            const password = { type: TYPES.randomPassword, name: "workspace-no-reply-password-password-a", props: { length: 40 } };
            const pwUrn = urn(password.type, password.name);
            const pwCheck = checkOf("randomPassword", pwUrn, "workspace-no-reply-password-check-a");
            const pwCheckUrn = urn(TYPES.credentialCheck, "workspace-no-reply-password-check-a");
            const user = (from: string[]): ArgsSpec => ({
                type: TYPES.workspaceUser,
                name: "workspace-no-reply-user",
                props: { primaryEmail: "no-reply@raxx.app", password: "x", suspended: true },
                propertyDependencies: { password: from },
            });
            const userUrn = urn(TYPES.workspaceUser, "workspace-no-reply-user");
            const userCheck: ArgsSpec = {
                type: TYPES.consumerCheck,
                name: "workspace-no-reply-user-check",
                props: { credential: "workspaceNoReplyPassword", kind: "workspaceUser", enabled: true },
                propertyDependencies: { value: [pwUrn, pwCheckUrn] },
                dependsOn: [userUrn],
            };
            const ok = [checkOf("awsAccessKey", keyUrn), pwCheck, user([pwUrn, pwCheckUrn]), userCheck];
            assert.deepEqual(await violations([password, ...ok]), []);
            // A password from no issuer (a literal or a config value): no check, no rotation, not in the secrets map.
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), user([])]), [
                `${TYPES.workspaceUser} "workspace-no-reply-user": "password" does not come from a RandomPassword the stack issues; take it from a RotatingPassword (components/random/rotatingPassword.ts), through its check`,
            ]);
            // Another issuer, checked, is not a password.
            const bytes = { type: TYPES.randomBytes, name: "bytes", props: { length: 32 } };
            const bytesUrn = urn(bytes.type, bytes.name);
            const bytesCheck = checkOf("randomBytes", bytesUrn, "bytes-check");
            const bytesCheckUrn = urn(TYPES.credentialCheck, "bytes-check");
            const bytesUserCheck = { ...userCheck, propertyDependencies: { value: [bytesUrn, bytesCheckUrn] } };
            assert.deepEqual(await violations([checkOf("awsAccessKey", keyUrn), bytes, bytesCheck, user([bytesUrn, bytesCheckUrn]), bytesUserCheck]), [
                `${TYPES.workspaceUser} "workspace-no-reply-user": "password" does not come from a RandomPassword the stack issues; take it from a RotatingPassword (components/random/rotatingPassword.ts), through its check`,
            ]);
            assert.deepEqual(await violations([password, checkOf("awsAccessKey", keyUrn), checkOf("randomBytes", pwUrn, "workspace-no-reply-password-check-a"), user([pwUrn])]), [
                `${TYPES.randomPassword} "workspace-no-reply-password-password-a": no CredentialCheck of kind randomPassword takes its value (found: randomBytes); declare one with checkSlots (components/verification.ts)`,
                `${TYPES.workspaceUser} "workspace-no-reply-user": "password" takes a credential from ${TYPES.randomPassword} "workspace-no-reply-password-password-a" without that credential's check; take it through the check (afterCheck in components/verification.ts)`,
                `${TYPES.workspaceUser} "workspace-no-reply-user": holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`,
            ]);
        });

        it("maps every issuer kind of the registry to a check the providers know, under the issuer kind's own id", () => {
            assert.deepEqual(
                [...CHECK_KIND_OF_ISSUER].sort(),
                ISSUERS.flatMap((k) => k.types.map((t) => [t, k.id])).sort(),
            );
            assert.deepEqual([...new Set(CHECK_KIND_OF_ISSUER.values())].sort(), [...CREDENTIAL_CHECK_KINDS].sort());
        });
    });

    describe("credential-outputs-only-in-secrets", () => {
        const policy = credentialOutputsOnlyInSecrets;
        const urn = (type: string, name: string) => `urn:pulumi:prod::raxx-platform::${type}::${name}`;
        const issuers: ArgsSpec[] = [
            { type: TYPES.randomBytes, name: "audit-ingest-token-a", props: { length: 32 } },
            { type: TYPES.iamAccessKey, name: "freescout-backup-aws-access-key-a", props: { user: "raxx-freescout-backup" } },
            { type: TYPES.herokuAuthorization, name: "platform-token-heroku-a", props: {} },
            { type: TYPES.iamUser, name: "freescout-backup-aws-user", props: { name: "raxx-freescout-backup" } },
        ];
        const [bytes, key, auth, user] = issuers.map((i) => urn(i.type, i.name));
        const consumer = (type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]>): ArgsSpec => ({
            type,
            name,
            props,
            propertyDependencies,
        });
        const stackViolations = async (...consumers: ArgsSpec[]) => {
            const outcome = await checkStack(policy, [...issuers, ...consumers]);
            return outcome.violations;
        };

        it("passes credentials written to secret-typed fields, and plain fields that depend on no issuer", async () => {
            assert.deepEqual(
                await stackViolations(
                    consumer(TYPES.githubActionsEnvironmentSecret, "s", { environment: "production", secretName: "CONSOLE_AUDIT_INGEST_TOKEN", value: "x" }, { value: [bytes], repository: [] }),
                    consumer(TYPES.githubActionsEnvironmentVariable, "v", { variableName: "CONSOLE_INTERNAL_URL", value: "https://console.raxx.app" }, { value: [] }),
                    consumer(TYPES.herokuConfigVars, "cv", { app: "a", vars: { FLAG: "on" }, secretVars: { K: "x" } }, { vars: [], secretVars: [auth] }),
                    consumer(TYPES.ssmParameter, "p", { name: "/raxx/a/b", type: "SecureString", value: "x" }, { value: [key] }),
                    consumer(TYPES.githubActionsSecret, "u", { secretName: "USER", value: "raxx-freescout-backup" }, { value: [user] }),
                ),
                [],
            );
        });

        it("fails an issuer's value in a GitHub variable, a Heroku plain var or an SSM String, whatever their names", async () => {
            assert.deepEqual(
                await stackViolations(
                    consumer(TYPES.githubActionsVariable, "gv", { repository: "raxx", variableName: "CONFIG", value: "x" }, { value: [bytes] }),
                    consumer(TYPES.githubActionsEnvironmentVariable, "gev", { environment: "production", variableName: "CONFIG", value: "x" }, { value: [key, user] }),
                    consumer(TYPES.herokuConfigVars, "cv", { app: "a", vars: { CONFIG: "x" } }, { vars: [auth] }),
                    consumer(TYPES.ssmParameter, "p", { name: "/raxx/app/config", type: "String", value: "x" }, { value: [key] }),
                ),
                [
                    `github:index/actionsVariable:ActionsVariable "gv": "value" takes its value from random:index/randomBytes:RandomBytes "audit-ingest-token-a", a credential; write it only to a secret-typed field (the value of an Actions secret)`,
                    `github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable "gev": "value" takes its value from aws:iam/accessKey:AccessKey "freescout-backup-aws-access-key-a", a credential; write it only to a secret-typed field (the value of an Actions secret)`,
                    `pulumi-nodejs:dynamic/heroku:ConfigVars "cv": "vars" takes its value from pulumi-nodejs:dynamic/heroku:Authorization "platform-token-heroku-a", a credential; write it only to a secret-typed field (secretVars)`,
                    `aws:ssm/parameter:Parameter "p": "value", a String parameter, takes its value from aws:iam/accessKey:AccessKey "freescout-backup-aws-access-key-a", a credential; write it only to a secret-typed field (value of a SecureString)`,
                ],
            );
        });

        it("names every issuer of a field, the fields in order, and the secret-typed place of each consumer type", async () => {
            assert.deepEqual(
                await stackViolations(
                    consumer(TYPES.githubActionsVariable, "gv", { variableName: "CONFIG", value: "x" }, { variableName: [key], value: [bytes, key] }),
                    consumer(TYPES.ssmParameter, "p", { name: "/raxx/app/config", value: "x" }, { value: [auth] }),
                    consumer(TYPES.infisicalSecret, "i", { key: "X", value: "x" }, { key: [bytes], value: [bytes] }),
                    consumer(TYPES.workspaceUser, "w", { primaryEmail: "x@raxx.app", password: "x" }, { primaryEmail: [key], password: [] }),
                ),
                [
                    `github:index/actionsVariable:ActionsVariable "gv": "value" takes its value from random:index/randomBytes:RandomBytes "audit-ingest-token-a", aws:iam/accessKey:AccessKey "freescout-backup-aws-access-key-a", a credential; write it only to a secret-typed field (the value of an Actions secret)`,
                    `github:index/actionsVariable:ActionsVariable "gv": "variableName" takes its value from aws:iam/accessKey:AccessKey "freescout-backup-aws-access-key-a", a credential; write it only to a secret-typed field (the value of an Actions secret)`,
                    `aws:ssm/parameter:Parameter "p": "value", a untyped parameter, takes its value from pulumi-nodejs:dynamic/heroku:Authorization "platform-token-heroku-a", a credential; write it only to a secret-typed field (value of a SecureString)`,
                    `pulumi-nodejs:dynamic/infisical:Secret "i": "key" takes its value from random:index/randomBytes:RandomBytes "audit-ingest-token-a", a credential; write it only to a secret-typed field (the value of an Infisical secret)`,
                    `pulumi-nodejs:dynamic/google-workspace:User "w": "primaryEmail" takes its value from aws:iam/accessKey:AccessKey "freescout-backup-aws-access-key-a", a credential; write it only to a secret-typed field (the password of a Workspace user)`,
                ],
            );
        });

        it("skips the exempt fields of config", async () => {
            const gv = consumer(TYPES.githubActionsVariable, "gv", { variableName: "KEY_ID", value: "x" }, { value: [key] });
            assert.deepEqual((await checkStack(policy, [...issuers, gv], { exemptFields: [`${TYPES.githubActionsVariable}.value`] })).violations, []);
        });

    });

    // The pack keeps its own tables (see the comment above SECRET_VALUE_FIELDS); these hold them to the registry.
    describe("its tables against the kinds of scripts/lib/kinds", () => {
        it("knows every issuer kind, in the same words", () => {
            const missing = ISSUERS.flatMap((k) => k.types.filter((t) => CREDENTIAL_ISSUER_TYPES.get(t) !== k.words).map((t) => `${k.id}: ${t}`));
            assert.deepEqual(missing, []);
        });

        it("knows every consumer kind, with at least its secret value fields; one without any is a plain place", () => {
            const gaps = CONSUMERS.flatMap((k) =>
                k.types.flatMap((t) => {
                    const problems: string[] = [];
                    if (!CONSUMER_TYPES.has(t)) problems.push(`${t} is not a consumer type`);
                    const fields = SECRET_VALUE_FIELDS.get(t) ?? [];
                    for (const f of k.secretValueFields) if (!fields.includes(f)) problems.push(`${t}.${f} is not a secret value field`);
                    if (k.secretValueFields.length === 0 && !GITHUB_VARIABLE_TYPES.has(t)) problems.push(`${t} is not a plain place`);
                    return problems;
                }),
            );
            assert.deepEqual(gaps, []);
        });

        it("guards the Cloudflare Access service token and the Infisical secret", () => {
            assert.equal(CREDENTIAL_ISSUER_TYPES.get("cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken"), "Cloudflare Access service token");
            assert.deepEqual(SECRET_VALUE_FIELDS.get("pulumi-nodejs:dynamic/infisical:Secret"), ["value", "access"]);
        });
    });

    describe("workspace-addresses-protected", () => {
        const policy = workspaceAddressesProtected;

        it("passes a protected group and user, and fails unprotected ones, naming the address", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceGroup, name: "workspace-ops", props: { email: "ops@raxx.app" }, protect: true }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceUser, name: "u", props: { primaryEmail: "no-reply@raxx.app" }, protect: true }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceGroup, name: "workspace-ops", props: { email: "ops@raxx.app" } }), [
                "Workspace group ops@raxx.app (workspace-ops) is not protected; set protect: true, so deleting it takes an explicit unprotect",
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceUser, name: "workspace-no-reply-user", props: { primaryEmail: "no-reply@raxx.app" } }), [
                "Workspace user no-reply@raxx.app (workspace-no-reply-user) is not protected; set protect: true, so deleting it takes an explicit unprotect",
            ]);
        });

        it("names a group without an address by its resource name", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceGroup, name: "workspace-ops", props: {} }), [
                "Workspace group workspace-ops (workspace-ops) is not protected; set protect: true, so deleting it takes an explicit unprotect",
            ]);
        });

        it("lets a listed address through, and ignores members and checks", async () => {
            const config = { exemptAddresses: ["ops@raxx.app"] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.workspaceGroup, name: "workspace-ops", props: { email: "ops@raxx.app" }, config }), []);
            assert.deepEqual(await violationsOf(policy, { type: "pulumi-nodejs:dynamic/google-workspace:Member", name: "m", props: { group: "ops@raxx.app" } }), []);
        });
    });

    describe("iam-users-protected", () => {
        const policy = iamUsersProtected;

        it("passes a protected user and fails an unprotected one", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUser, name: "u", props: { name: "raxx-billing-readonly" }, protect: true }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUser, name: "billing-readonly-aws-user", props: { name: "raxx-billing-readonly" } }), [
                'IAM user "raxx-billing-readonly" (billing-readonly-aws-user) is not protected; set protect: true, so deleting it takes an explicit unprotect',
            ]);
        });

        it("names a user without a name by its resource name", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUser, name: "svc", props: {} }), [
                'IAM user "svc" (svc) is not protected; set protect: true, so deleting it takes an explicit unprotect',
            ]);
        });

        it("exempts the users of config", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.iamUser, name: "u", props: { name: "ci-scratch" }, config: { exemptUserNames: ["ci-scratch"] } }), []);
        });
    });

    describe("dns-records-protected", () => {
        const policy = dnsRecordsProtected;
        const record = { zoneId: "z", type: "TXT", name: "raxx.app", content: '"v=spf1 ~all"' };

        it("passes a protected prod record and an unprotected staging one", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareDnsRecord, name: "spf", props: record, protect: true }), []);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareDnsRecord, name: "spf", props: record, stack: "staging" }), []);
        });

        it("fails an unprotected record in prod", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareDnsRecord, name: "mail-dns-txt-spf", props: record }), [
                "DNS record TXT raxx.app (mail-dns-txt-spf) is not protected in stack prod; set protect: true",
            ]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareRecord, name: "old", props: {} }), [
                "DNS record (old) is not protected in stack prod; set protect: true",
            ]);
        });

        it("takes the protected stacks from config", async () => {
            const config = { protectedStacks: ["prod", "staging"] };
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareDnsRecord, name: "r", props: record, stack: "staging", config }), [
                "DNS record TXT raxx.app (r) is not protected in stack staging; set protect: true",
            ]);
        });
    });

    describe("access-applications-protected", () => {
        const policy = accessApplicationsProtected;

        it("passes a protected application", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareAccessApplication, name: "vault-access-application", props: { policies: [] }, protect: true }), []);
        });

        it("fails an unprotected one, in any stack and under the old type token too", async () => {
            const message = "Access application vault-access-application is not protected; set protect: true, so replacing or deleting it takes an explicit unprotect";
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareAccessApplication, name: "vault-access-application", props: {} }), [message]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareAccessApplication, name: "vault-access-application", props: {}, stack: "staging" }), [message]);
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareAccessApplicationLegacy, name: "old", props: {} }), [
                "Access application old is not protected; set protect: true, so replacing or deleting it takes an explicit unprotect",
            ]);
        });

        it("exempts the applications of config", async () => {
            assert.deepEqual(await violationsOf(policy, { type: TYPES.cloudflareAccessApplication, name: "scratch", props: {}, config: { exemptResourceNames: ["scratch"] } }), []);
        });
    });

    describe("cloudflare-token-permission-groups", () => {
        const policy = cloudflareTokenPermissionGroups;
        const group = "b111ee7ead0000000000000000000001";
        const account = JSON.stringify({ "com.cloudflare.api.account.0a1b2c3d": "*" });
        const pinned = { [BILLING_READ_GROUP_ID_KEY]: group };
        const token = (policies: unknown, name = "raxx-billing-readonly") => ({ name, policies });
        const tokenViolations = (props: Record<string, unknown>, config?: Record<string, unknown>) =>
            violationsOf(policy, { type: TYPES.cloudflareApiToken, name: "billing-readonly-cloudflare-token-a", props, config });


        it("fails the token, whatever its one group, while the stack leaves the group id unpinned", async () => {
            const unpinned =
                'Cloudflare API token "raxx-billing-readonly": stack prod does not set raxx-platform:cloudflareBillingReadPermissionGroupId, so its permission groups cannot be checked; ' +
                "pin the group's id there (pulumi config set raxx-platform:cloudflareBillingReadPermissionGroupId <id>; GET https://api.cloudflare.com/client/v4/user/tokens/permission_groups lists every group's id and name)";
            await withStackConfig({}, async () => {
                for (const id of [group, "0000000000000000000000000000dead"]) {
                    assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id }], resources: account }])), [unpinned]);
                }
            });
            await withStackConfig({ [BILLING_READ_GROUP_ID_KEY]: "" }, async () => {
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: account }])), [unpinned]);
            });
        });

        it("requires exactly the group pinned in stack config", async () => {
            await withStackConfig({ [BILLING_READ_GROUP_ID_KEY]: group }, async () => {
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: account }])), []);
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: "c0ffee" }], resources: account }])), [
                    `Cloudflare API token "raxx-billing-readonly": permission groups ["c0ffee"] are not exactly the allowed ["${group}"]`,
                ]);
            });
        });

        it("fails extra groups, extra or deny policies, wider resources, and unknown tokens", async () => {
            await withStackConfig(pinned, async () => {
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }, { id: "c0ffee" }], resources: account }])), [
                    `Cloudflare API token "raxx-billing-readonly" carries 2 permission groups ["${group}","c0ffee"]; it must carry exactly 1`,
                ]);
                assert.deepEqual(
                    await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: account }, { effect: "allow", permissionGroups: [], resources: account }])),
                    ['Cloudflare API token "raxx-billing-readonly" has 2 policies; it must have exactly one'],
                );
                assert.deepEqual(
                    await tokenViolations(token([{ effect: "deny", permissionGroups: [{ id: group }], resources: JSON.stringify({ "com.cloudflare.api.account.zone.z1": "*" }) }])),
                    [
                        'Cloudflare API token "raxx-billing-readonly": its policy\'s effect is "deny"; it must be "allow"',
                        'Cloudflare API token "raxx-billing-readonly": resource "com.cloudflare.api.account.zone.z1": "*" is outside com.cloudflare.api.account.<id>: "*"',
                    ],
                );
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: account }], "raxx-deploy")), [
                    'Cloudflare API token "raxx-deploy" is not one the policy config allows (allowed: raxx-billing-readonly); add it under "tokens"',
                ]);
            });
        });

        it("finds no rule for a token named like a property of every object", async () => {
            await withStackConfig({}, async () => {
                const wide = [{ effect: "allow", permissionGroups: [{ id: group }, { id: "c0ffee" }], resources: JSON.stringify({ "*": "*" }) }];
                for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
                    assert.deepEqual(await tokenViolations(token(wide, name)), [
                        `Cloudflare API token "${name}" is not one the policy config allows (allowed: raxx-billing-readonly); add it under "tokens"`,
                    ]);
                }
            });
        });

        it("fails an account resource whose access is anything but \"*\", and an account id that is not one", async () => {
            const id = "com.cloudflare.api.account.0a1b2c3d";
            const outside = (resource: string, access: unknown) =>
                `Cloudflare API token "raxx-billing-readonly": resource ${JSON.stringify(resource)}: ${JSON.stringify(access)} is outside com.cloudflare.api.account.<id>: "*"`;
            const nested = { "com.cloudflare.api.account.zone.*": "*" };
            await withStackConfig(pinned, async () => {
                for (const access of ["read", "", nested]) {
                    const resources = JSON.stringify({ [id]: access });
                    assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources }])), [outside(id, access)], JSON.stringify(access));
                }
                for (const resource of ["com.cloudflare.api.account.*", "com.cloudflare.api.account.", "com.cloudflare.api.account.0a1b2c3d.zone"]) {
                    const resources = JSON.stringify({ [resource]: "*" });
                    assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources }])), [outside(resource, "*")], resource);
                }
            });
        });

        it("fails a token without policies or resources", async () => {
            await withStackConfig(pinned, async () => {
                assert.deepEqual(await tokenViolations({ name: "raxx-billing-readonly" }), ['Cloudflare API token "raxx-billing-readonly" has 0 policies; it must have exactly one']);
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }] }])), [
                    'Cloudflare API token "raxx-billing-readonly": its policy has no resources; scope it to com.cloudflare.api.account.<id>',
                ]);
            });
        });

        it("fails resources that are empty or not an object, and checks resources given as an object", async () => {
            await withStackConfig(pinned, async () => {
                for (const resources of ["{}", '"com.cloudflare.api.account.0a1b2c3d"', "null", "5", "{not json", null, 5, "com"]) {
                    assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources }])), [
                        'Cloudflare API token "raxx-billing-readonly": its policy has no resources; scope it to com.cloudflare.api.account.<id>',
                    ], JSON.stringify(resources));
                }
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: { "com.cloudflare.api.account.0a1b2c3d": "*" } }])), []);
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: group }], resources: { "com.cloudflare.api.account.zone.z1": "*" } }])), [
                    'Cloudflare API token "raxx-billing-readonly": resource "com.cloudflare.api.account.zone.z1": "*" is outside com.cloudflare.api.account.<id>: "*"',
                ]);
            });
        });

        it("counts the groups of a policy without a list of them, or with an entry that is not an object", async () => {
            await withStackConfig(pinned, async () => {
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", resources: account }])), [
                    'Cloudflare API token "raxx-billing-readonly" carries 0 permission groups []; it must carry exactly 1',
                ]);
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [null], resources: account }])), [
                    `Cloudflare API token "raxx-billing-readonly": permission groups ["undefined"] are not exactly the allowed ["${group}"]`,
                ]);
            });
        });

        it("names a token without a string name by its resource name, and finds no rule for it, even one named undefined", async () => {
            const config = { tokens: { undefined: { permissionGroupCount: 1 } } };
            await withStackConfig({}, async () => {
                for (const props of [{ policies: [] }, { name: 42, policies: [] }]) {
                    assert.deepEqual(await tokenViolations(props, config), [
                        'Cloudflare API token "billing-readonly-cloudflare-token-a" is not one the policy config allows (allowed: undefined); add it under "tokens"',
                    ]);
                }
                assert.deepEqual(await tokenViolations(token([]), { tokens: {} }), [
                    'Cloudflare API token "raxx-billing-readonly" is not one the policy config allows (allowed: none); add it under "tokens"',
                ]);
                assert.deepEqual(await tokenViolations(token([]), { tokens: { "raxx-one": {}, "raxx-two": {} } }), [
                    'Cloudflare API token "raxx-billing-readonly" is not one the policy config allows (allowed: raxx-one, raxx-two); add it under "tokens"',
                ]);
            });
        });

        it("checks only what a token's rule sets: a count alone, or nothing", async () => {
            const config = { tokens: { "raxx-any": {}, "raxx-one": { permissionGroupCount: 1 } } };
            const anyGroups = [{ effect: "allow", permissionGroups: [{ id: "c0ffee" }, { id: "dead" }] }];
            await withStackConfig({}, async () => {
                assert.deepEqual(await tokenViolations(token(anyGroups, "raxx-any"), config), []);
                assert.deepEqual(await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: "c0ffee" }] }], "raxx-one"), config), []);
                assert.deepEqual(await tokenViolations(token(anyGroups, "raxx-one"), config), [
                    'Cloudflare API token "raxx-one" carries 2 permission groups ["c0ffee","dead"]; it must carry exactly 1',
                ]);
            });
        });

        it("takes tokens, ids and scopes from config", async () => {
            const config = { tokens: { "raxx-dns-edit": { permissionGroupIds: ["zone-read", "dns-edit"], resourcePrefix: "com.cloudflare.api.account.zone." } } };
            const zone = JSON.stringify({ "com.cloudflare.api.account.zone.f12d": "*" });
            await withStackConfig({}, async () => {
                assert.deepEqual(
                    await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: "zone-read" }, { id: "dns-edit" }], resources: zone }], "raxx-dns-edit"), config),
                    [],
                );
                assert.deepEqual(
                    await tokenViolations(token([{ effect: "allow", permissionGroups: [{ id: "dns-edit" }], resources: account }], "raxx-dns-edit"), config),
                    [
                        'Cloudflare API token "raxx-dns-edit" carries 1 permission groups ["dns-edit"]; it must carry exactly 2',
                        'Cloudflare API token "raxx-dns-edit": resource "com.cloudflare.api.account.0a1b2c3d": "*" is outside com.cloudflare.api.account.zone.<id>: "*"',
                    ],
                );
            });
        });
    });
});
