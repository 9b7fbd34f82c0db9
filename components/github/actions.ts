import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerChecks, checkConsumer } from "../verification";

// GitHub: secret and variable names are letters, digits and underscores, not starting
// with a digit or GITHUB_.
const NAME = /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]*$/i;

export interface GithubActionsValuesArgs {
    /** The repository, without the owner (the provider's `owner` applies). */
    readonly repository: string;
    /** A deployment environment of the repository. Default: none, repository-level secrets and variables. */
    readonly environment?: string;
    /** Secret name to value. Every value is made secret. Default: none. */
    readonly secrets?: Record<string, pulumi.Input<string>>;
    /** Variable name to (non-secret) value. Default: none. */
    readonly variables?: Record<string, pulumi.Input<string>>;
    /** The credential each secret is, and the checks: after the write, GitHub shows the secret written. Default: not checked. */
    readonly check?: ConsumerChecks;
}

/**
 * GitHub Actions secrets and variables of one repository, or of one of its
 * environments. A value change updates the secret in place: the name is fixed,
 * so the secret is never replaced (create-before-delete on one name would
 * delete the new value).
 */
export class GithubActionsValues extends pulumi.ComponentResource {
    constructor(name: string, args: GithubActionsValuesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:github:ActionsValues", name, {}, opts);

        for (const key of [...Object.keys(args.secrets ?? {}), ...Object.keys(args.variables ?? {})]) {
            if (!NAME.test(key)) {
                throw new pulumi.ResourceError(
                    `GitHub Actions name ${JSON.stringify(key)} is not letters, digits and underscores (not starting with a digit or GITHUB_); for example HEROKU_API_KEY`,
                    this,
                );
            }
        }
        const { repository, environment } = args;
        for (const [secretName, value] of Object.entries(args.secrets ?? {})) {
            const childName = `${name}-secret-${secretName}`;
            const secretValue = pulumi.secret(value);
            const secret =
                environment === undefined
                    ? new github.ActionsSecret(childName, { repository, secretName, value: secretValue }, { parent: this })
                    : new github.ActionsEnvironmentSecret(childName, { repository, environment, secretName, value: secretValue }, { parent: this });
            if (args.check !== undefined) {
                const credential = Object.hasOwn(args.check.credentials, secretName) ? args.check.credentials[secretName] : undefined;
                if (credential !== undefined) {
                    const owner = args.check.checks.githubOwner;
                    checkConsumer(
                        `${childName}-check`,
                        {
                            credential,
                            consumer: `github secret ${repository}${environment === undefined ? "" : ` (${environment})`}/${secretName}`,
                            kind: "githubSecret",
                            checks: args.check.checks,
                            value,
                            where: { owner, repository, ...(environment === undefined ? {} : { environment }), name: secretName },
                        },
                        secret,
                        this,
                    );
                }
            }
        }
        for (const [variableName, value] of Object.entries(args.variables ?? {})) {
            const childName = `${name}-variable-${variableName}`;
            if (environment === undefined) {
                new github.ActionsVariable(childName, { repository, variableName, value }, { parent: this });
            } else {
                new github.ActionsEnvironmentVariable(childName, { repository, environment, variableName, value }, { parent: this });
            }
        }
        // Stryker disable next-line CallExpression: the SDK registers {} itself once the constructor returns (ComponentResource.initializeAndRegisterOutputs); the state is the same
        this.registerOutputs({});
    }
}
