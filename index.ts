// raxx-platform: Raxx's credentials, secrets and mail DNS. See README.md.
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AuditIngest } from "./components/auditIngest";
import { BillingReadonly } from "./components/billing";
import { billingReadPermissionGroupId, zoneAccountId } from "./components/cloudflare/lookups";
import { MailDns, RAXX_APP_MAIL, mailRecords } from "./components/cloudflare/mailDns";
import { DeployToken } from "./components/deployToken";
import { FreescoutBackup } from "./components/freescout";
import { CREDENTIALS, SharedConfig, loadConfig } from "./config";
import { VaultAccess } from "./components/vaultAccess";
import { WorkspaceAddresses } from "./components/workspace/addresses";

const config = loadConfig();
const { repository } = config.github;
// Every credential is checked before consumers get it, and every place after (docs/rotation.md, "Checks").
const checks = { enabled: config.verifyCredentials, githubOwner: config.github.owner };
// Explicit providers do not read stack config: the credentials set there are passed in, as
// secrets. Unset, @pulumi/github reads GITHUB_TOKEN here, in the program, and would send it as
// a plain input (its provider.js: `utilities.getEnv("GITHUB_TOKEN")`), shown by `npm run plan`
// and kept in clear in the provider's state; so the program reads it, as a secret.
// CLOUDFLARE_API_TOKEN is read by the provider plugin itself. The GitHub plugin reads
// GITHUB_APP_* only to fill in an appAuth that is set, so a GitHub App is configured in
// github:appAuth.
const githubToken = config.github.token ?? (process.env.GITHUB_TOKEN || undefined);
const githubProvider = new github.Provider("github", {
    owner: config.github.owner,
    token: githubToken === undefined ? undefined : pulumi.secret(githubToken),
    appAuth: config.github.appAuth === undefined ? undefined : pulumi.secret(config.github.appAuth),
});

// SPEC 3 (docs/session-2026-05-06.md states SPEC 1-5), once per environment.
new AuditIngest(
    "audit-ingest",
    {
        repository,
        githubEnvironment: config.github.environment,
        consoleApp: config.console.app,
        consoleInternalUrl: config.console.internalUrl,
        rotation: config.environmentRotation.auditIngestToken,
        checks,
    },
    { providers: [githubProvider] },
);

// SPEC 1, 2, 4 and 5 exist once for Raxx: the production stack declares them.
const shared = config.shared ? defineShared(config.shared) : undefined;

function defineShared(s: SharedConfig) {
    // The AWS provider refuses credentials for any account but the stack's own.
    const awsProvider = new aws.Provider("aws", { region: s.aws.region as aws.Region, allowedAccountIds: [s.aws.accountId] });
    const cloudflareProvider = new cloudflare.Provider("cloudflare", {
        apiToken: s.cloudflare.apiToken === undefined ? undefined : pulumi.secret(s.cloudflare.apiToken),
    });
    const tags = { "managed-by": "pulumi/raxx-platform" };
    const providers = [awsProvider, cloudflareProvider, githubProvider];
    const lookup = { provider: cloudflareProvider };
    const cloudflareAccountId = zoneAccountId(s.cloudflare.accountId, s.cloudflare.zoneId, lookup);

    // SPEC 7: the stack's key to the vault, then the vault as a consumer.
    const vaultAccess = new VaultAccess(
        "vault-access",
        {
            accountId: cloudflareAccountId,
            applicationId: s.vault.accessApplicationId,
            repository,
            lifetimeDays: CREDENTIALS.vaultAccessToken.lifetimeDays,
            rotation: s.rotation.vaultAccessToken,
            checks,
        },
        { providers },
    );
    const vault = { projectId: s.vault.projectId, environment: s.vault.environment, access: vaultAccess.credentials };

    const deployToken = new DeployToken(
        "platform-token",
        { apps: s.deployTokenApps, repository, rotation: s.rotation.herokuPlatformToken, vault, checks },
        { providers },
    );
    const billing = new BillingReadonly(
        "billing-readonly",
        {
            aws: s.aws,
            cloudflareAccountId,
            billingReadPermissionGroupId: billingReadPermissionGroupId(s.cloudflare.billingReadPermissionGroupId, lookup),
            rotation: {
                heroku: s.rotation.herokuBillingToken,
                aws: s.rotation.awsBillingKey,
                cloudflare: s.rotation.cloudflareBillingToken,
            },
            tags,
            vault,
            checks,
        },
        { providers },
    );
    const freescout = new FreescoutBackup(
        "freescout-backup",
        { scope: { ...s.aws, ...s.freescoutBackup }, repository, rotation: s.rotation.freescoutBackupKey, tags, checks },
        { providers },
    );
    const mailDns = new MailDns(
        "mail-dns",
        { zoneId: s.cloudflare.zoneId, records: mailRecords({ zoneName: s.cloudflare.zoneName, ...RAXX_APP_MAIL, dkim: s.dkim }) },
        { providers },
    );
    // SPEC 9, once the workspace keys are set: nothing is made until the domain's preconditions hold.
    const workspace = s.workspace && new WorkspaceAddresses("workspace", { workspace: s.workspace, dkimDeclared: s.dkim !== undefined, mailDns, checks }, { providers });
    return { deployToken, billing, freescout, workspace };
}

export const environment = config.environment;
/** Heroku authorization ids of the deploy token, by slot: what `heroku authorizations:revoke` takes. */
export const herokuPlatformTokenAuthorizations = shared?.deployToken.authorizationIds ?? {};
export const iamUsers = shared ? [shared.billing.awsUser.userArn, shared.freescout.backupUser.userArn] : [];
export const ssmParameters = shared ? [...Object.values(shared.billing.parameters), ...Object.values(shared.freescout.parameters)] : [];
/** The Workspace addresses the stack declares (SPEC 9). */
export const workspaceAddresses = shared?.workspace
    ? [...Object.values(shared.workspace.groups).map((g) => g.email), ...(shared.workspace.noReplyUser ? [shared.workspace.noReplyUser.primaryEmail] : [])]
    : [];
