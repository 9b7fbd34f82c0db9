import * as pulumi from "@pulumi/pulumi";
import { AccessApplicationPolicy } from "../providers/cloudflare";
import { AccessCredentials, RotatingServiceToken } from "./cloudflare/rotatingServiceToken";
import { GithubActionsValues } from "./github/actions";
import { Rotation } from "./rotation";
import { Checks, checkSlots } from "./verification";

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
    /** How each slot's token is checked once the policy admits it, and both Actions secrets after. */
    readonly checks: Checks;
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
        // Each slot's check asks the vault through Access, so it waits for the policy (its
        // `expect` names it); consumers take the active token through its check.
        const policyId = this.policy.id;
        this.credentials = checkSlots(
            `${name}-check`,
            { credential: "vaultAccessToken", kind: "accessServiceToken", rotation: args.rotation, checks: args.checks, slots: { slots: this.token.tokens, active: this.token.tokens[args.rotation.active]! } },
            this,
            (t) => ({ value: { clientId: t.clientId, clientSecret: t.clientSecret }, expect: { tokenId: t.id, policyId } }),
            (t) => pulumi.all([t.clientId, t.clientSecret]).apply(([clientId, clientSecret]) => ({ clientId, clientSecret })),
        ).active;

        const clientId = this.credentials.apply((c) => c.clientId);
        const clientSecret = this.credentials.apply((c) => c.clientSecret);
        new GithubActionsValues(
            `${name}-github`,
            {
                repository: args.repository,
                secrets: { CF_ACCESS_CLIENT_ID: clientId, CF_ACCESS_CLIENT_SECRET: clientSecret },
                check: { checks: args.checks, credentials: { CF_ACCESS_CLIENT_ID: "vaultAccessToken", CF_ACCESS_CLIENT_SECRET: "vaultAccessToken" } },
            },
            { parent: this },
        );
        this.registerOutputs({ tokenIds: this.token.tokenIds });
    }
}
