// The whole program per stack: SPEC 1-5 (docs/session-2026-05-06.md), each in its component.
import { strict as assert } from "node:assert";
import { MockRunResult, plain } from "../scripts/lib/offline/mocks";
import { byName, okRun, runPinned, tree } from "./harness/query";

describe("the program", () => {
    let prod: MockRunResult;
    let staging: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        staging = await okRun(runPinned("staging"));
    });

    it("declares exactly this tree in prod: SPEC 1-5, 7 and 9, each in its component, with its checks", () => {
        assert.deepEqual(tree(prod), [
            "aws:iam/accessKey:AccessKey billing-readonly-aws-access-key-a < billing-readonly-aws",
            "aws:iam/accessKey:AccessKey freescout-backup-aws-access-key-a < freescout-backup-aws",
            "aws:iam/policy:Policy billing-readonly-aws-policy < billing-readonly-aws",
            "aws:iam/policy:Policy freescout-backup-aws-policy < freescout-backup-aws",
            "aws:iam/user:User billing-readonly-aws-user < billing-readonly-aws",
            "aws:iam/user:User freescout-backup-aws-user < freescout-backup-aws",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment billing-readonly-aws-policy-attachment < billing-readonly-aws",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment freescout-backup-aws-policy-attachment < freescout-backup-aws",
            "aws:ssm/parameter:Parameter raxx-billing-readonly-aws_access_key_id-parameter < raxx-billing-readonly-aws_access_key_id",
            "aws:ssm/parameter:Parameter raxx-billing-readonly-aws_secret_access_key-parameter < raxx-billing-readonly-aws_secret_access_key",
            "aws:ssm/parameter:Parameter raxx-billing-readonly-cloudflare_billing_token-parameter < raxx-billing-readonly-cloudflare_billing_token",
            "aws:ssm/parameter:Parameter raxx-billing-readonly-heroku_billing_api_key-parameter < raxx-billing-readonly-heroku_billing_api_key",
            "aws:ssm/parameter:Parameter raxx-billing-readonly-heroku_billing_auth_id-parameter < raxx-billing-readonly-heroku_billing_auth_id",
            "aws:ssm/parameter:Parameter raxx-freescout-db_password-parameter < raxx-freescout-db_password",
            "aws:ssm/parameter:Parameter raxx-freescout-ssh_key-parameter < raxx-freescout-ssh_key",
            "cloudflare:index/apiToken:ApiToken billing-readonly-cloudflare-token-a < billing-readonly-cloudflare",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-mx-alt1.aspmx.l.google.com < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-mx-alt2.aspmx.l.google.com < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-mx-alt3.aspmx.l.google.com < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-mx-alt4.aspmx.l.google.com < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-mx-aspmx.l.google.com < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-txt-dmarc < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-txt-site-verification < mail-dns",
            "cloudflare:index/dnsRecord:DnsRecord mail-dns-txt-spf < mail-dns",
            "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken vault-access-service-token-a < vault-access-service",
            "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN < audit-ingest-github",
            "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable audit-ingest-github-variable-CONSOLE_INTERNAL_URL < audit-ingest-github",
            "github:index/actionsSecret:ActionsSecret freescout-backup-github-secret-AWS_BACKUP_ACCESS_KEY_ID < freescout-backup-github",
            "github:index/actionsSecret:ActionsSecret freescout-backup-github-secret-AWS_BACKUP_SECRET_ACCESS_KEY < freescout-backup-github",
            "github:index/actionsSecret:ActionsSecret platform-token-github-secret-HEROKU_API_KEY < platform-token-github",
            "github:index/actionsSecret:ActionsSecret vault-access-github-secret-CF_ACCESS_CLIENT_ID < vault-access-github",
            "github:index/actionsSecret:ActionsSecret vault-access-github-secret-CF_ACCESS_CLIENT_SECRET < vault-access-github",
            "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy vault-access-policy < vault-access",
            "pulumi-nodejs:dynamic/google-workspace:DomainCheck workspace-preconditions < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Group workspace-billing < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Group workspace-no-reply < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Group workspace-ops < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Member workspace-billing-member-kris@moosequest.net < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Member workspace-no-reply-member-kris@moosequest.net < workspace",
            "pulumi-nodejs:dynamic/google-workspace:Member workspace-ops-member-kris@moosequest.net < workspace",
            "pulumi-nodejs:dynamic/heroku:Authorization billing-readonly-heroku-authorization-a < billing-readonly-heroku",
            "pulumi-nodejs:dynamic/heroku:Authorization platform-token-heroku-authorization-a < platform-token-heroku",
            "pulumi-nodejs:dynamic/heroku:ConfigVars audit-ingest-raxx-console-prod < audit-ingest",
            "pulumi-nodejs:dynamic/heroku:ConfigVars platform-token-raxx-api-prod < platform-token",
            "pulumi-nodejs:dynamic/heroku:ConfigVars platform-token-raxx-api-staging < platform-token",
            "pulumi-nodejs:dynamic/heroku:ConfigVars platform-token-raxx-console-prod < platform-token",
            "pulumi-nodejs:dynamic/heroku:ConfigVars platform-token-raxx-console-staging < platform-token",
            "pulumi-nodejs:dynamic/infisical:Secret billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN < billing-readonly-vault",
            "pulumi-nodejs:dynamic/infisical:Secret billing-readonly-vault-HEROKU_BILLING_API_KEY < billing-readonly-vault",
            "pulumi-nodejs:dynamic/infisical:Secret platform-token-vault-HEROKU_API_KEY__AUTH_ID < platform-token-vault",
            "pulumi-nodejs:dynamic/infisical:Secret platform-token-vault-HEROKU_PLATFORM_API_TOKEN < platform-token-vault",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check < audit-ingest-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck audit-ingest-raxx-console-prod-check < audit-ingest",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN-check < billing-readonly-vault",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck billing-readonly-vault-HEROKU_BILLING_API_KEY-check < billing-readonly-vault",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck freescout-backup-github-secret-AWS_BACKUP_ACCESS_KEY_ID-check < freescout-backup-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck freescout-backup-github-secret-AWS_BACKUP_SECRET_ACCESS_KEY-check < freescout-backup-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-github-secret-HEROKU_API_KEY-check < platform-token-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-raxx-api-prod-check < platform-token",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-raxx-api-staging-check < platform-token",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-raxx-console-prod-check < platform-token",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-raxx-console-staging-check < platform-token",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-vault-HEROKU_API_KEY__AUTH_ID-check < platform-token-vault",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck platform-token-vault-HEROKU_PLATFORM_API_TOKEN-check < platform-token-vault",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck raxx-billing-readonly-aws_access_key_id-check < raxx-billing-readonly-aws_access_key_id",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck raxx-billing-readonly-aws_secret_access_key-check < raxx-billing-readonly-aws_secret_access_key",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck raxx-billing-readonly-cloudflare_billing_token-check < raxx-billing-readonly-cloudflare_billing_token",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck raxx-billing-readonly-heroku_billing_api_key-check < raxx-billing-readonly-heroku_billing_api_key",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck raxx-billing-readonly-heroku_billing_auth_id-check < raxx-billing-readonly-heroku_billing_auth_id",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck vault-access-github-secret-CF_ACCESS_CLIENT_ID-check < vault-access-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck vault-access-github-secret-CF_ACCESS_CLIENT_SECRET-check < vault-access-github",
            "pulumi-nodejs:dynamic/verify:CredentialCheck audit-ingest-token-check-a < audit-ingest-token",
            "pulumi-nodejs:dynamic/verify:CredentialCheck billing-readonly-aws-check-a < billing-readonly-aws",
            "pulumi-nodejs:dynamic/verify:CredentialCheck billing-readonly-cloudflare-check-a < billing-readonly-cloudflare",
            "pulumi-nodejs:dynamic/verify:CredentialCheck billing-readonly-heroku-check-a < billing-readonly-heroku",
            "pulumi-nodejs:dynamic/verify:CredentialCheck freescout-backup-aws-check-a < freescout-backup-aws",
            "pulumi-nodejs:dynamic/verify:CredentialCheck platform-token-heroku-check-a < platform-token-heroku",
            "pulumi-nodejs:dynamic/verify:CredentialCheck vault-access-check-a < vault-access",
            "pulumi:providers:aws aws < raxx-platform-prod",
            "pulumi:providers:cloudflare cloudflare < raxx-platform-prod",
            "pulumi:providers:github github < raxx-platform-prod",
            "random:index/randomBytes:RandomBytes audit-ingest-token-bytes-a < audit-ingest-token",
            "raxx:audit:AuditIngest audit-ingest < raxx-platform-prod",
            "raxx:billing:BillingReadonly billing-readonly < raxx-platform-prod",
            "raxx:cloudflare:MailDns mail-dns < raxx-platform-prod",
            "raxx:cloudflare:RotatingApiToken billing-readonly-cloudflare < billing-readonly",
            "raxx:cloudflare:RotatingServiceToken vault-access-service < vault-access",
            "raxx:deploy:DeployToken platform-token < raxx-platform-prod",
            "raxx:freescout:FreescoutBackup freescout-backup < raxx-platform-prod",
            "raxx:github:ActionsValues audit-ingest-github < audit-ingest",
            "raxx:github:ActionsValues freescout-backup-github < freescout-backup",
            "raxx:github:ActionsValues platform-token-github < platform-token",
            "raxx:github:ActionsValues vault-access-github < vault-access",
            "raxx:heroku:RotatingAuthorization billing-readonly-heroku < billing-readonly",
            "raxx:heroku:RotatingAuthorization platform-token-heroku < platform-token",
            "raxx:iam:ServiceUser billing-readonly-aws < billing-readonly",
            "raxx:iam:ServiceUser freescout-backup-aws < freescout-backup",
            "raxx:random:RotatingToken audit-ingest-token < audit-ingest",
            "raxx:ssm:AdoptedSecureParameter raxx-freescout-db_password < freescout-backup",
            "raxx:ssm:AdoptedSecureParameter raxx-freescout-ssh_key < freescout-backup",
            "raxx:ssm:SecureParameter raxx-billing-readonly-aws_access_key_id < billing-readonly",
            "raxx:ssm:SecureParameter raxx-billing-readonly-aws_secret_access_key < billing-readonly",
            "raxx:ssm:SecureParameter raxx-billing-readonly-cloudflare_billing_token < billing-readonly",
            "raxx:ssm:SecureParameter raxx-billing-readonly-heroku_billing_api_key < billing-readonly",
            "raxx:ssm:SecureParameter raxx-billing-readonly-heroku_billing_auth_id < billing-readonly",
            "raxx:vault:Secrets billing-readonly-vault < billing-readonly",
            "raxx:vault:Secrets platform-token-vault < platform-token",
            "raxx:vault:VaultAccess vault-access < raxx-platform-prod",
            "raxx:workspace:Addresses workspace < raxx-platform-prod",
        ]);
    });

    it("declares only the staging environment's audit ingest in staging, with its checks", () => {
        assert.deepEqual(tree(staging), [
            "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN < audit-ingest-github",
            "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable audit-ingest-github-variable-CONSOLE_INTERNAL_URL < audit-ingest-github",
            "pulumi-nodejs:dynamic/heroku:ConfigVars audit-ingest-raxx-console-staging < audit-ingest",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check < audit-ingest-github",
            "pulumi-nodejs:dynamic/verify:ConsumerCheck audit-ingest-raxx-console-staging-check < audit-ingest",
            "pulumi-nodejs:dynamic/verify:CredentialCheck audit-ingest-token-check-a < audit-ingest-token",
            "pulumi:providers:github github < raxx-platform-staging",
            "random:index/randomBytes:RandomBytes audit-ingest-token-bytes-a < audit-ingest-token",
            "raxx:audit:AuditIngest audit-ingest < raxx-platform-staging",
            "raxx:github:ActionsValues audit-ingest-github < audit-ingest",
            "raxx:random:RotatingToken audit-ingest-token < audit-ingest",
        ]);
    });

    it("points the GitHub provider at the configured owner, and every GitHub resource at it", () => {
        for (const result of [prod, staging]) {
            const provider = byName(result, "github");
            assert.equal(plain(provider.inputs.owner), "MooseQuest");
            const github = result.registrations.filter((r) => r.type.startsWith("github:"));
            assert.ok(github.length > 0);
            for (const r of github) assert.equal(r.provider, `${provider.urn}::github-id`, r.name);
        }
    });

    it("points every Cloudflare resource and lookup at the one Cloudflare provider", () => {
        const provider = byName(prod, "cloudflare");
        const cloudflare = prod.registrations.filter((r) => r.type.startsWith("cloudflare:"));
        assert.equal(cloudflare.length, 10);
        for (const r of cloudflare) assert.equal(r.provider, `${provider.urn}::cloudflare-id`, r.name);
        // Billing Read's id is pinned in Pulumi.prod.yaml; its lookup is tested in wiring.test.ts.
        assert.deepEqual(prod.calls.sort(), ["cloudflare:index/getZone:getZone"]);
        assert.deepEqual(staging.calls, []);
    });

    it("records the deploy token's authorization ids as a stack output, and no secret", () => {
        assert.deepEqual(prod.outputs.herokuPlatformTokenAuthorizations, { a: "fake-authorization-id-of-platform-token-heroku-authorization-a" });
        assert.deepEqual(prod.secretOutputs, []);
        assert.deepEqual(staging.secretOutputs, []);
    });
});
