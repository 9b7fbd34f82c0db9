import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Checks, checkConsumer } from "../verification";

// SSM parameter names: letters, digits, `_ . -`, in `/`-separated levels.
const PARAMETER_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

/** A stable logical name for the parameter at `path`: `/raxx/a/b_c` becomes `raxx-a-b_c`. */
export function parameterResourceName(path: string): string {
    return path.replace(/^\//, "").replace(/\//g, "-");
}

function checkPath(path: string, component: pulumi.Resource): void {
    if (!PARAMETER_PATH.test(path)) {
        throw new pulumi.ResourceError(
            `SSM parameter path ${JSON.stringify(path)} is not a full path of letters, digits and "_.-"; for example "/raxx/billing-readonly/aws_access_key_id"`,
            component,
        );
    }
}

export interface SecureParameterArgs {
    /** The full parameter path, for example `/raxx/billing-readonly/aws_access_key_id`. */
    readonly path: string;
    /** The value. It is made secret whether or not it already is. */
    readonly value: pulumi.Input<string>;
    /** What the value is and who writes it. */
    readonly description: string;
    /** The KMS key that encrypts the value. Default: the account's AWS-managed `aws/ssm` key. */
    readonly keyId?: pulumi.Input<string>;
    /** Tags. Default: none. */
    readonly tags?: Record<string, string>;
    /** The credential the value is, and the checks: after the write, the parameter holds it. Default: not checked. */
    readonly check?: { readonly credential: string; readonly checks: Checks; readonly region: string };
}

/**
 * An SSM SecureString parameter whose value the stack writes. The type is
 * always SecureString and the value is always a secret, in inputs and outputs.
 * Creating it never overwrites a parameter that already exists (the provider's
 * `overwrite` defaults to false on create): adopt one with an import instead.
 */
export class SecureParameter extends pulumi.ComponentResource {
    public readonly path: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** Secret. */
    public readonly value: pulumi.Output<string>;

    constructor(name: string, args: SecureParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:ssm:SecureParameter", name, {}, opts);
        checkPath(args.path, this);

        const parameter = new aws.ssm.Parameter(
            `${name}-parameter`,
            {
                name: args.path,
                type: "SecureString",
                value: pulumi.secret(args.value),
                description: args.description,
                keyId: args.keyId,
                tags: args.tags,
            },
            // The SDK marks `value` as an additional secret output.
            { parent: this },
        );

        if (args.check !== undefined) {
            checkConsumer(
                `${name}-check`,
                { ...args.check, consumer: `ssm ${args.path}`, kind: "ssmParameter", value: args.value, where: { region: args.check.region, name: args.path } },
                parameter,
                this,
            );
        }
        this.path = parameter.name;
        this.arn = parameter.arn;
        this.value = pulumi.secret(parameter.value);
        this.registerOutputs({ path: this.path, arn: this.arn, value: this.value });
    }
}

export interface AdoptedSecureParameterArgs {
    /** The full path of the parameter that already exists, for example `/raxx/freescout/db_password`. */
    readonly path: string;
}

/**
 * A SecureString parameter that exists already and holds a live value the
 * stack must never write, replace or delete. The stack imports it (the
 * `import` option, with the path as id), ignores every property a person may
 * have set by hand, retains it on delete, and protects it. The program never
 * sends a value: an `up` can only adopt it, and fails rather than create it
 * when it is missing.
 */
export class AdoptedSecureParameter extends pulumi.ComponentResource {
    public readonly path: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AdoptedSecureParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:ssm:AdoptedSecureParameter", name, {}, opts);
        checkPath(args.path, this);

        const parameter = new aws.ssm.Parameter(
            `${name}-parameter`,
            { name: args.path, type: "SecureString" },
            {
                parent: this,
                import: args.path,
                // On import the engine copies ignored properties from the live parameter, so
                // the hand-made value and settings are what the state records, unchanged.
                ignoreChanges: ADOPTED_PARAMETER_IGNORED,
                retainOnDelete: true,
                protect: true,
            },
        );

        this.path = parameter.name;
        this.arn = parameter.arn;
        this.registerOutputs({ path: this.path, arn: this.arn });
    }
}

/** The properties of an adopted parameter that stay as they are in AWS. */
export const ADOPTED_PARAMETER_IGNORED = ["value", "insecureValue", "description", "keyId", "tier", "dataType", "allowedPattern", "tags"];
