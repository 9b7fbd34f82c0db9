import * as pulumi from "@pulumi/pulumi";
import { ConfigVars } from "../providers/heroku";
import { GithubActionsValues } from "./github/actions";
import { RotatingAuthorization } from "./heroku/rotatingAuthorization";
import { VaultSecrets, VaultTarget } from "./infisical/vaultSecrets";
import { Rotation, Slot } from "./rotation";
import { Checks, checkConsumer } from "./verification";

export interface DeployTokenArgs {
    /** The Heroku apps that hold the token as HEROKU_API_KEY. */
    readonly apps: readonly string[];
    /** The repository whose deploy workflows use it, as the Actions secret HEROKU_API_KEY. */
    readonly repository: string;
    readonly rotation: Rotation;
    /** The vault, which gets the token and its authorization id under DEPLOY_TOKEN_VAULT_PATH. Default: none. */
    readonly vault?: VaultTarget;
    /** How the token is checked before it goes out, and every place after. */
    readonly checks: Checks;
}

/** The vault folder of the deploy token (SPEC 7 in docs/session-2026-05-06.md). */
export const DEPLOY_TOKEN_VAULT_PATH = "/MooseQuest/heroku";

/**
 * The Heroku platform (deploy) token (SPEC 1 in docs/session-2026-05-06.md): an OAuth authorization per
 * rotation slot, described `raxx-platform-token-<date>`, whose active token is
 * HEROKU_API_KEY on every app and in the repository's Actions secrets, and
 * in the vault, the store of record, with its authorization id.
 */
export class DeployToken extends pulumi.ComponentResource {
    public readonly authorization: RotatingAuthorization;
    /** Every slot's authorization id, recorded so an operator can find and revoke it. */
    public readonly authorizationIds: Partial<Record<Slot, pulumi.Output<string>>>;

    constructor(name: string, args: DeployTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:deploy:DeployToken", name, {}, opts);
        this.authorization = new RotatingAuthorization(
            `${name}-heroku`,
            { credential: "herokuPlatformToken", descriptionPrefix: "raxx-platform-token", rotation: args.rotation, checks: args.checks },
            { parent: this },
        );
        const token = this.authorization.token;
        const credential = "herokuPlatformToken";
        for (const app of args.apps) {
            const vars = new ConfigVars(`${name}-${app}`, { app, secretVars: { HEROKU_API_KEY: token } }, { parent: this });
            checkConsumer(
                `${name}-${app}-check`,
                { credential, consumer: `heroku ${app}/HEROKU_API_KEY`, kind: "herokuConfigVars", checks: args.checks, value: token, where: { app, name: "HEROKU_API_KEY" } },
                vars,
                this,
            );
        }
        new GithubActionsValues(
            `${name}-github`,
            { repository: args.repository, secrets: { HEROKU_API_KEY: token }, check: { checks: args.checks, credentials: { HEROKU_API_KEY: credential } } },
            { parent: this },
        );
        if (args.vault !== undefined) {
            new VaultSecrets(
                `${name}-vault`,
                {
                    target: args.vault,
                    path: DEPLOY_TOKEN_VAULT_PATH,
                    secrets: { HEROKU_PLATFORM_API_TOKEN: token, HEROKU_API_KEY__AUTH_ID: this.authorization.authorizationId },
                    check: { checks: args.checks, credentials: { HEROKU_PLATFORM_API_TOKEN: credential, HEROKU_API_KEY__AUTH_ID: credential } },
                },
                { parent: this },
            );
        }
        this.authorizationIds = this.authorization.authorizationIds;
        this.registerOutputs({ authorizationIds: this.authorizationIds });
    }
}
