import * as pulumi from "@pulumi/pulumi";
import { AccessApplicationPolicy } from "../providers/cloudflare";
import { AccessCredentials, RotatingServiceToken } from "./cloudflare/rotatingServiceToken";
import { GithubActionsValues } from "./github/actions";
import { Rotation } from "./rotation";

/** The name of the stack's Access policy; each slot's token is named `<this>-<date>`. */
export const VAULT_ACCESS_NAME = "raxx-platform-automation";
/** The vault's hostname, which the application the policy joins must guard. */
export const VAULT_DOMAIN = "vault.raxx.app";

export interface VaultAccessArgs {
    /** The Cloudflare account of the application and the tokens. */
    readonly accountId: pulumi.Input<string>;
    /** The Access application in front of the vault, made by hand. */
    readonly applicationId: string;
    /** The repository whose Actions secrets CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET get the active token. */
    readonly repository: string;
    /** How long a token stays valid, in days. */
    readonly lifetimeDays: number;
    readonly rotation: Rotation;
}

/**
 * The stack's key to the vault (SPEC 7 in docs/session-2026-05-06.md): a
 * Cloudflare Access service token in two rotation slots, and one Access policy
 * on the vault's application that admits exactly the live slots' tokens.
 *
 * The application was made by hand and the stack never writes it: the policy
 * is an application-scoped one, added through Cloudflare's API by
 * providers/cloudflare (docs/cloudflare-access-provider.md says why the
 * application is not a Pulumi resource). Every other policy of the
 * application, and every setting, stays as it is.
 *
 * A rotation never locks the automation out. A new slot's token is created,
 * then the policy is updated to admit it (it names each slot's token id), and
 * only then, when the active slot changes, are the consumers moved; the old
 * token is deleted last. `credentials` carries the policy as a dependency, so
 * whatever uses it waits for the policy.
 */
export class VaultAccess extends pulumi.ComponentResource {
    public readonly token: RotatingServiceToken;
    /** The active slot's client id and secret, once the vault admits them. Secret. */
    public readonly credentials: pulumi.Output<AccessCredentials>;
    public readonly policy: AccessApplicationPolicy;

    constructor(name: string, args: VaultAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:vault:VaultAccess", name, {}, opts);
        this.token = new RotatingServiceToken(
            `${name}-service`,
            { credential: "vaultAccessToken", accountId: args.accountId, namePrefix: VAULT_ACCESS_NAME, lifetimeDays: args.lifetimeDays, rotation: args.rotation },
            { parent: this },
        );
        // Include rules are OR'ed: a request with either live token is admitted.
        this.policy = new AccessApplicationPolicy(
            `${name}-policy`,
            {
                accountId: args.accountId,
                applicationId: args.applicationId,
                domain: VAULT_DOMAIN,
                policyName: VAULT_ACCESS_NAME,
                serviceTokenIds: Object.values(this.token.tokenIds),
            },
            { parent: this },
        );
        this.credentials = pulumi.secret(pulumi.all([this.token.credentials, this.policy.id]).apply(([credentials]) => credentials));

        const clientId = this.credentials.apply((c) => c.clientId);
        const clientSecret = this.credentials.apply((c) => c.clientSecret);
        new GithubActionsValues(
            `${name}-github`,
            { repository: args.repository, secrets: { CF_ACCESS_CLIENT_ID: clientId, CF_ACCESS_CLIENT_SECRET: clientSecret } },
            { parent: this },
        );
        this.registerOutputs({ tokenIds: this.token.tokenIds });
    }
}
