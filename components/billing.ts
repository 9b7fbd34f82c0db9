import * as pulumi from "@pulumi/pulumi";
import { AccountScope, billingReadonlyPolicy } from "./iam/policies";
import { ServiceUser } from "./iam/serviceUser";
import { Rotation } from "./rotation";
import { SecureParameter, parameterResourceName } from "./ssm/parameters";

/** Where the billing collector reads its credentials (SPEC 2). */
export const BILLING_PARAMETERS = {
    awsAccessKeyId: "/raxx/billing-readonly/aws_access_key_id",
    awsSecretAccessKey: "/raxx/billing-readonly/aws_secret_access_key",
} as const;

export interface BillingReadonlyArgs {
    /** The account and region the policy is scoped to. */
    readonly scope: AccountScope;
    /** The rotation of the user's access key. */
    readonly rotation: Rotation;
    /** Tags for every taggable child. Default: none. */
    readonly tags?: Record<string, string>;
}

/**
 * The billing collector's read-only credentials (SPEC 2), each separate from
 * the deploy token to limit the blast radius: an IAM user whose policy reads
 * Cost Explorer, billing, budgets and report definitions, and its access key
 * in SSM.
 */
export class BillingReadonly extends pulumi.ComponentResource {
    public readonly awsUser: ServiceUser;
    /** SSM paths this component writes, by what they hold. */
    public readonly parameters: typeof BILLING_PARAMETERS = BILLING_PARAMETERS;

    constructor(name: string, args: BillingReadonlyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:billing:BillingReadonly", name, {}, opts);

        this.awsUser = new ServiceUser(
            `${name}-aws`,
            {
                userName: "raxx-billing-readonly",
                policyName: "raxx-billing-readonly-policy",
                policyDescription: "Read-only Cost Explorer, billing, budgets and report definitions for the billing collector",
                policy: billingReadonlyPolicy(args.scope),
                rotation: args.rotation,
                tags: args.tags,
            },
            { parent: this },
        );

        const parameter = (path: string, value: pulumi.Input<string>, description: string) =>
            new SecureParameter(parameterResourceName(path), { path, value, description, tags: args.tags }, { parent: this });
        parameter(BILLING_PARAMETERS.awsAccessKeyId, this.awsUser.accessKeyId, "Access key id of IAM user raxx-billing-readonly");
        parameter(BILLING_PARAMETERS.awsSecretAccessKey, this.awsUser.secretAccessKey, "Secret access key of IAM user raxx-billing-readonly");

        this.registerOutputs({ awsUserArn: this.awsUser.userArn });
    }
}
