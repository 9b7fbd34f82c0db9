import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Rotation, Slot, declareSlots } from "../rotation";
import { Checks, checkSlots } from "../verification";
import { PolicyDocument } from "./policies";

export interface ServiceUserArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** The IAM user's name, for example `raxx-billing-readonly`. Changing it replaces the user. */
    readonly userName: string;
    /** The customer-managed policy's name, for example `raxx-billing-readonly-policy`. */
    readonly policyName: string;
    /** The policy's description, set when the stack creates the policy; never changed after (IAM cannot edit it). */
    readonly policyDescription: string;
    /** The policy document, attached to the user and to nothing else. */
    readonly policy: PolicyDocument;
    /** Which access key slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
    /** Tags for the user and the policy. Default: none. */
    readonly tags?: Record<string, string>;
    /** How each slot's key is checked before consumers get it (STS GetCallerIdentity with it), and its predecessor confirmed gone. */
    readonly checks: Checks;
    /** The region the checks call STS and IAM in. */
    readonly region: string;
}

/**
 * An IAM user for a machine: the user (protected), one customer-managed
 * policy attached to it, and an access key in each dated rotation slot. The
 * active slot's key is the one to hand out; its secret is a secret output.
 */
export class ServiceUser extends pulumi.ComponentResource {
    public readonly userName: pulumi.Output<string>;
    public readonly userArn: pulumi.Output<string>;
    public readonly policyArn: pulumi.Output<string>;
    /** The active slot's access key id. */
    public readonly accessKeyId: pulumi.Output<string>;
    /** The active slot's secret access key. Secret. */
    public readonly secretAccessKey: pulumi.Output<string>;
    /** Every slot's access key id, for finding a key to revoke. */
    public readonly accessKeyIds: Partial<Record<Slot, pulumi.Output<string>>>;

    constructor(name: string, args: ServiceUserArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:iam:ServiceUser", name, { credential: args.credential }, opts);

        const user = new aws.iam.User(
            `${name}-user`,
            { name: args.userName, tags: args.tags },
            // Deleting a service user breaks whatever runs with its key: it takes an explicit unprotect.
            { parent: this, protect: true },
        );
        const policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                name: args.policyName,
                description: args.policyDescription,
                policy: JSON.stringify(args.policy),
                tags: args.tags,
            },
            // IAM cannot edit a policy's description: a different one forces a replacement, which
            // fails on the taken name. An adopted policy keeps whatever description it has.
            { parent: this, ignoreChanges: ["description"] },
        );
        new aws.iam.UserPolicyAttachment(`${name}-policy-attachment`, { user: user.name, policyArn: policy.arn }, { parent: this });
        const keys = declareSlots(
            `${name}-access-key`,
            args.rotation,
            // IAM allows two access keys per user, so a slot's old key must go before its new
            // one is created. It is never the key consumers hold: that is the other slot's.
            { parent: this, deleteBeforeReplace: true },
            // The SDK marks `secret` (and `sesSmtpPasswordV4`) as additional secret outputs.
            (slotName, _slot, _date, keyOpts) => new aws.iam.AccessKey(slotName, { user: user.name }, keyOpts),
        );

        this.userName = user.name;
        this.userArn = user.arn;
        this.policyArn = policy.arn;
        const checked = checkSlots(
            `${name}-check`,
            { credential: args.credential, kind: "awsAccessKey", rotation: args.rotation, checks: args.checks, slots: keys },
            this,
            (key) => ({ value: { accessKeyId: key.id, secretAccessKey: key.secret }, expect: { arn: user.arn, userName: user.name, region: args.region } }),
            (key) => pulumi.all([key.id, key.secret]).apply(([id, secret]) => ({ id, secret })),
        );
        this.accessKeyId = pulumi.unsecret(checked.active.apply((k) => k.id));
        this.secretAccessKey = pulumi.secret(checked.active.apply((k) => k.secret));
        this.accessKeyIds = Object.fromEntries(Object.entries(keys.slots).map(([slot, key]) => [slot, key.id]));
        this.registerOutputs({
            userName: this.userName,
            userArn: this.userArn,
            policyArn: this.policyArn,
            accessKeyId: this.accessKeyId,
            secretAccessKey: this.secretAccessKey,
            accessKeyIds: this.accessKeyIds,
        });
    }
}
