import * as pulumi from "@pulumi/pulumi";
import { FOLDER_PATH, SECRET_KEY, Secret } from "../../providers/infisical";
import { AccessCredentials } from "../cloudflare/rotatingServiceToken";
import { ConsumerChecks, checkConsumer } from "../verification";

/** Where the stack writes the vault, and how it gets in. */
export interface VaultTarget {
    /** The Infisical project. */
    readonly projectId: string;
    /** The project's environment slug. */
    readonly environment: string;
    /**
     * The Access service token (the active slot's), as `VaultAccess.credentials`
     * gives it: an output that depends on the policy that admits it. Secret.
     */
    readonly access: pulumi.Output<AccessCredentials>;
}

export interface VaultSecretsArgs {
    readonly target: VaultTarget;
    /** The folder, for example `/MooseQuest/heroku`; created, every level of it, when missing. */
    readonly path: string;
    /** Secret name to value. Every value is made secret. */
    readonly secrets: Record<string, pulumi.Input<string>>;
    /** The credential each secret is, and the checks: after the write, the vault holds it. Default: not checked. */
    readonly check?: ConsumerChecks;
}

/**
 * Secrets in one folder of the vault. A value change updates the secret in
 * place: its path and name are fixed, so it is never replaced. Each write
 * waits for what `target.access` depends on: the Access policy and
 * application, so a token is admitted before the first request that carries it.
 */
export class VaultSecrets extends pulumi.ComponentResource {
    constructor(name: string, args: VaultSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:vault:Secrets", name, {}, opts);
        // What the provider's check accepts, refused here already, at the component that names it.
        if (!FOLDER_PATH.test(args.path)) {
            throw new pulumi.ResourceError(
                `vault path ${JSON.stringify(args.path)} is not "/" or folders of letters, digits, '-' and '_', each after a '/'; for example /Raxx/Console/Billing`,
                this,
            );
        }
        // Every name before any write: a bad name after good ones must not leave those written.
        for (const key of Object.keys(args.secrets)) {
            if (!SECRET_KEY.test(key)) {
                throw new pulumi.ResourceError(`vault secret name ${JSON.stringify(key)} is not letters, digits and '_', not starting with a digit; for example HEROKU_PLATFORM_API_TOKEN`, this);
            }
        }
        const { projectId, environment, access } = args.target;
        for (const [key, value] of Object.entries(args.secrets)) {
            const secret = new Secret(
                `${name}-${key}`,
                { projectId, environment, path: args.path, key, value: pulumi.secret(value), access },
                { parent: this },
            );
            if (args.check !== undefined) {
                const credential = Object.hasOwn(args.check.credentials, key) ? args.check.credentials[key] : undefined;
                if (credential !== undefined) {
                    checkConsumer(
                        `${name}-${key}-check`,
                        {
                            credential,
                            consumer: `vault ${environment} ${args.path}/${key}`,
                            kind: "infisicalSecret",
                            checks: args.check.checks,
                            value,
                            where: { projectId, environment, path: args.path, key },
                            access,
                        },
                        secret,
                        this,
                    );
                }
            }
        }
        // Stryker disable next-line CallExpression: the SDK registers {} itself once the constructor returns (ComponentResource.initializeAndRegisterOutputs); the state is the same
        this.registerOutputs({});
    }
}
