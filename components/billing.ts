import * as pulumi from "@pulumi/pulumi";
import { RotatingApiToken } from "./cloudflare/rotatingApiToken";
import { RotatingAuthorization } from "./heroku/rotatingAuthorization";
import { AccountScope, billingReadonlyPolicy } from "./iam/policies";
import { ServiceUser } from "./iam/serviceUser";
import { VaultSecrets, VaultTarget } from "./infisical/vaultSecrets";
import { Rotation } from "./rotation";
import { Checks } from "./verification";
import { SecureParameter, parameterResourceName } from "./ssm/parameters";

/** Where the billing collector reads its credentials (SPEC 2 in docs/session-2026-05-06.md). */
export const BILLING_PARAMETERS = {
    herokuApiKey: "/raxx/billing-readonly/heroku_billing_api_key",
    herokuAuthId: "/raxx/billing-readonly/heroku_billing_auth_id",
    awsAccessKeyId: "/raxx/billing-readonly/aws_access_key_id",
    awsSecretAccessKey: "/raxx/billing-readonly/aws_secret_access_key",
    cloudflareToken: "/raxx/billing-readonly/cloudflare_billing_token",
} as const;

/**
 * The vault folder of the billing tokens (SPEC 7). The vault is their store of
 * record; the SSM copies stay, because the billing collector reads SSM today
 * (docs/rotation.md, "The vault").
 */
export const BILLING_VAULT_PATH = "/Raxx/Console/Billing";

export interface BillingReadonlyArgs {
    /** The AWS account and region the IAM policy is scoped to. */
    readonly aws: AccountScope;
    /** The Cloudflare account the token reads. */
    readonly cloudflareAccountId: pulumi.Input<string>;
    /** The id of Cloudflare's "Billing Read" permission group. */
    readonly billingReadPermissionGroupId: pulumi.Input<string>;
    readonly rotation: {
        readonly heroku: Rotation;
        readonly aws: Rotation;
        readonly cloudflare: Rotation;
    };
    /** Tags for the AWS resources. Default: none. */
    readonly tags?: Record<string, string>;
    /** The vault, which gets the Heroku and Cloudflare tokens under BILLING_VAULT_PATH. Default: none. */
    readonly vault?: VaultTarget;
    /** How each credential is checked before it goes out, and every place after. */
    readonly checks: Checks;
}

/**
 * The billing collector's read-only credentials (SPEC 2), each separate from
 * the deploy token to limit the blast radius, each written to SSM:
 * - a Heroku authorization `billing-collector-readonly-<date>`. Heroku has no
 *   billing-only OAuth scope: reading invoices takes `global`. That is the
 *   trade-off, and why it is a token of its own;
 * - an IAM user that reads Cost Explorer, billing, budgets and report definitions;
 * - a Cloudflare API token `raxx-billing-readonly` with Billing Read on the account, and nothing else.
 *
 * The two tokens are also written to the vault. The AWS key is not: AWS
 * workloads read SSM, not the vault.
 */
export class BillingReadonly extends pulumi.ComponentResource {
    public readonly heroku: RotatingAuthorization;
    public readonly awsUser: ServiceUser;
    public readonly cloudflareToken: RotatingApiToken;
    /** SSM paths this component writes, by what they hold. */
    public readonly parameters: typeof BILLING_PARAMETERS = BILLING_PARAMETERS;

    constructor(name: string, args: BillingReadonlyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:billing:BillingReadonly", name, {}, opts);

        this.heroku = new RotatingAuthorization(
            `${name}-heroku`,
            { credential: "herokuBillingToken", descriptionPrefix: "billing-collector-readonly", rotation: args.rotation.heroku, checks: args.checks },
            { parent: this },
        );
        this.awsUser = new ServiceUser(
            `${name}-aws`,
            {
                credential: "awsBillingKey",
                userName: "raxx-billing-readonly",
                policyName: "raxx-billing-readonly-policy",
                policyDescription: "Read-only Cost Explorer, billing, budgets and report definitions for the billing collector",
                policy: billingReadonlyPolicy(args.aws),
                rotation: args.rotation.aws,
                tags: args.tags,
                checks: args.checks,
                region: args.aws.region,
            },
            { parent: this },
        );
        this.cloudflareToken = new RotatingApiToken(
            `${name}-cloudflare`,
            {
                credential: "cloudflareBillingToken",
                tokenName: "raxx-billing-readonly",
                permissionGroupIds: [args.billingReadPermissionGroupId],
                resources: pulumi.output(args.cloudflareAccountId).apply((id) => ({ [`com.cloudflare.api.account.${id}`]: "*" })),
                rotation: args.rotation.cloudflare,
                checks: args.checks,
            },
            { parent: this },
        );

        const parameter = (path: string, value: pulumi.Input<string>, description: string, credential?: string) =>
            new SecureParameter(
                parameterResourceName(path),
                { path, value, description, tags: args.tags, check: credential === undefined ? undefined : { credential, checks: args.checks, region: args.aws.region } },
                { parent: this },
            );
        const p = BILLING_PARAMETERS;
        parameter(p.herokuApiKey, this.heroku.token, "Heroku billing collector token (OAuth authorization billing-collector-readonly-<date>)", "herokuBillingToken");
        parameter(p.herokuAuthId, this.heroku.authorizationId, "Heroku authorization id of the billing collector token", "herokuBillingToken");
        parameter(p.awsAccessKeyId, this.awsUser.accessKeyId, "Access key id of IAM user raxx-billing-readonly", "awsBillingKey");
        parameter(p.awsSecretAccessKey, this.awsUser.secretAccessKey, "Secret access key of IAM user raxx-billing-readonly", "awsBillingKey");
        parameter(p.cloudflareToken, this.cloudflareToken.value, "Cloudflare API token raxx-billing-readonly (Billing Read)", "cloudflareBillingToken");

        if (args.vault !== undefined) {
            new VaultSecrets(
                `${name}-vault`,
                {
                    target: args.vault,
                    path: BILLING_VAULT_PATH,
                    secrets: { HEROKU_BILLING_API_KEY: this.heroku.token, CLOUDFLARE_BILLING_TOKEN: this.cloudflareToken.value },
                    check: { checks: args.checks, credentials: { HEROKU_BILLING_API_KEY: "herokuBillingToken", CLOUDFLARE_BILLING_TOKEN: "cloudflareBillingToken" } },
                },
                { parent: this },
            );
        }

        this.registerOutputs({ awsUserArn: this.awsUser.userArn });
    }
}
