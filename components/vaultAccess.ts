import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { AccessCredentials, RotatingServiceToken } from "./cloudflare/rotatingServiceToken";
import { GithubActionsValues } from "./github/actions";
import { Rotation } from "./rotation";

/** The name of the stack's Access policy; each slot's token is named `<this>-<date>`. */
export const VAULT_ACCESS_NAME = "raxx-platform-automation";
/** The vault's hostname, which the adopted application must guard. */
export const VAULT_DOMAIN = "vault.raxx.app";

/** What the stack reads of the live application before it declares its policies. */
export interface LiveApplication {
    readonly domain: string;
    readonly policies: readonly { readonly id: string; readonly name: string; readonly precedence: number }[];
}

/**
 * The problems with adopting `live` as the vault's application, keeping
 * `keptPolicyIds`: an application for another hostname, or a list of kept
 * policies that is not exactly the live ones (the stack's own aside). Either
 * would change or drop a live policy; the stack refuses instead, and an
 * operator corrects the config (docs/adoption.md).
 */
export function adoptionProblems(applicationId: string, live: LiveApplication, keptPolicyIds: readonly string[]): string[] {
    const key = "raxx-platform:vaultAccessPolicyIds";
    const problems: string[] = [];
    if (live.domain !== VAULT_DOMAIN) {
        problems.push(`raxx-platform:vaultAccessApplicationId: Access application ${applicationId} guards ${JSON.stringify(live.domain)}, not ${VAULT_DOMAIN}; set the id of the vault's application`);
    }
    const others = live.policies.filter((p) => p.name !== VAULT_ACCESS_NAME);
    const liveIds = others.map((p) => p.id);
    for (const p of others) {
        if (!keptPolicyIds.includes(p.id)) {
            problems.push(`${key}: the application has policy ${p.id} (${JSON.stringify(p.name)}), which the list leaves out, so the update would drop it; add it to the list, or detach it by hand first`);
        }
    }
    for (const id of keptPolicyIds) {
        if (!liveIds.includes(id)) {
            problems.push(`${key}: ${id} is not a policy of the application today, so the update would attach it; remove it from the list, or attach it by hand first`);
        }
    }
    return problems;
}

/**
 * What the stack declares of the vault's Access application. Everything else
 * about it (domain, type, identity providers, session length, ...) was set by
 * hand and is kept as it is: `ignoreChanges` names every other argument, so an
 * update sends the values the import read. The compiler checks this list
 * against the Cloudflare SDK: an argument a new SDK adds fails the type check
 * until it is listed here.
 */
type ApplicationArgs = keyof cloudflare.ZeroTrustAccessApplicationArgs;
const DECLARED = ["accountId", "policies"] as const satisfies readonly ApplicationArgs[];
const KEPT: Record<Exclude<ApplicationArgs, (typeof DECLARED)[number]>, true> = {
    allowAuthenticateViaWarp: true,
    allowIframe: true,
    allowedIdps: true,
    appLauncherLogoUrl: true,
    appLauncherVisible: true,
    autoRedirectToIdentity: true,
    bgColor: true,
    corsHeaders: true,
    customDenyMessage: true,
    customDenyUrl: true,
    customNonIdentityDenyUrl: true,
    customPages: true,
    destinations: true,
    domain: true,
    enableBindingCookie: true,
    footerLinks: true,
    headerBgColor: true,
    httpOnlyCookieAttribute: true,
    landingPageDesign: true,
    logoUrl: true,
    mfaConfig: true,
    name: true,
    oauthConfiguration: true,
    optionsPreflightBypass: true,
    pathCookieAttribute: true,
    readServiceTokensFromHeader: true,
    saasApp: true,
    sameSiteCookieAttribute: true,
    scimConfig: true,
    selfHostedDomains: true,
    serviceAuth401Redirect: true,
    sessionDuration: true,
    skipAppLauncherLoginPage: true,
    skipInterstitial: true,
    tags: true,
    targetCriterias: true,
    type: true,
    zoneId: true,
};
/** The application arguments the stack leaves as they are. */
export const KEPT_APPLICATION_ARGS: readonly string[] = Object.keys(KEPT).sort();

export interface VaultAccessArgs {
    /** The Cloudflare account of the application and the tokens. */
    readonly accountId: pulumi.Input<string>;
    /** The Access application in front of the vault, made by hand; adopted by this id. */
    readonly applicationId: string;
    /** The ids of the policies the application has today; each is kept, with its precedence. */
    readonly keptPolicyIds: readonly string[];
    /** The repository whose Actions secrets CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET get the active token. */
    readonly repository: string;
    /** How long a token stays valid, in days. */
    readonly lifetimeDays: number;
    readonly rotation: Rotation;
}

/**
 * The stack's key to the vault (SPEC 7 in docs/session-2026-05-06.md): a
 * Cloudflare Access service token in two rotation slots, and one Access policy
 * that admits exactly the live slots' tokens to the vault's application.
 *
 * A rotation never locks the automation out. A new slot's token is created,
 * then the policy is updated to admit it (it names each slot's token id), and
 * only then, when the active slot changes, are the consumers moved; the old
 * token is deleted last. `credentials` carries the policy and the application
 * as dependencies, so whatever uses it waits for both.
 */
export class VaultAccess extends pulumi.ComponentResource {
    public readonly token: RotatingServiceToken;
    /** The active slot's client id and secret, once the vault admits them. Secret. */
    public readonly credentials: pulumi.Output<AccessCredentials>;
    public readonly policy: cloudflare.ZeroTrustAccessPolicy;
    /** The adopted application. Protected: never replaced or deleted by the stack. */
    public readonly application: cloudflare.ZeroTrustAccessApplication;

    constructor(name: string, args: VaultAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:vault:VaultAccess", name, {}, opts);
        this.token = new RotatingServiceToken(
            `${name}-service`,
            { credential: "vaultAccessToken", accountId: args.accountId, namePrefix: VAULT_ACCESS_NAME, lifetimeDays: args.lifetimeDays, rotation: args.rotation },
            { parent: this },
        );
        // Include rules are OR'ed: a request with either live token is admitted.
        this.policy = new cloudflare.ZeroTrustAccessPolicy(
            `${name}-policy`,
            {
                accountId: args.accountId,
                name: VAULT_ACCESS_NAME,
                decision: "non_identity",
                includes: Object.values(this.token.tokenIds).map((tokenId) => ({ serviceToken: { tokenId } })),
            },
            { parent: this },
        );
        // Checked against the live application on every preview, before anything is declared of it.
        const live = cloudflare.getZeroTrustAccessApplicationOutput({ accountId: args.accountId, appId: args.applicationId }, { parent: this });
        const kept = live.apply((app) => {
            const problems = adoptionProblems(args.applicationId, app, args.keptPolicyIds);
            if (problems.length > 0) {
                throw new Error(`The vault's Access application cannot be adopted as configured (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
            }
            // Each kept policy keeps its live precedence; the stack's comes after them all.
            return app.policies.filter((p) => args.keptPolicyIds.includes(p.id)).map((p) => ({ id: p.id, precedence: p.precedence }));
        });
        const policies = pulumi.all([kept, this.policy.id]).apply(([others, ours]) => [
            ...others,
            { id: ours, precedence: Math.max(0, ...others.map((p) => p.precedence)) + 1 },
        ]);
        this.application = new cloudflare.ZeroTrustAccessApplication(
            `${name}-application`,
            { accountId: args.accountId, policies },
            { parent: this, protect: true, retainOnDelete: true, ignoreChanges: [...KEPT_APPLICATION_ARGS] },
        );
        this.credentials = pulumi.secret(pulumi.all([this.token.credentials, this.policy.id, this.application.id]).apply(([credentials]) => credentials));

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
