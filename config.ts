// The stack's one typed config module. Every key is declared here and in
// Pulumi.yaml; `parseConfig` validates all of them before any resource is
// registered, collects every problem, and throws once with all of them.
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MAX_AGE_DAYS, ROTATION_EXAMPLE, Rotation, parseRotation } from "./components/rotation";

export const PROJECT = "raxx-platform";

export type Environment = "production" | "staging";
export const ENVIRONMENTS: readonly Environment[] = ["production", "staging"];

/** Raxx's Heroku apps ("Fixed facts" in docs/session-2026-05-06.md), and the environment each belongs to. */
export const HEROKU_APPS: Readonly<Record<string, Environment>> = {
    "raxx-console-prod": "production",
    "raxx-console-staging": "staging",
    "raxx-api-prod": "production",
    "raxx-api-staging": "staging",
};

/**
 * The environment of the Raxx Heroku app `name`, or undefined for any other
 * name. An own-property check: `name in HEROKU_APPS` would take `constructor`
 * or `__proto__` for an app.
 */
export function herokuAppEnvironment(name: string): Environment | undefined {
    return Object.hasOwn(HEROKU_APPS, name) ? HEROKU_APPS[name] : undefined;
}

/**
 * Every credential the stack issues. `shared` credentials exist once for Raxx
 * and belong to the production stack; `environment` ones exist in every stack.
 */
export interface CredentialSpec {
    readonly scope: "shared" | "environment";
    readonly description: string;
    /**
     * How long the issuer keeps a credential valid, in days, when it expires on
     * its own. A rotation entry's maxAgeDays must be shorter, so the active
     * credential is overdue (and rotated) before it stops working.
     */
    readonly lifetimeDays?: number;
    /**
     * Set for a credential the stack issues only in one form of its config: when the config
     * key `key` (of KEYS) has the value `equals`. When it is not issued, its rotation entry
     * must be unset.
     */
    readonly issuedWhen?: { readonly key: keyof typeof KEYS; readonly equals: string };
}

/** How long a vault Access service token is valid: Cloudflare's default duration, one year (8760h). */
const VAULT_ACCESS_TOKEN_LIFETIME_DAYS = 365;

export const CREDENTIALS = {
    herokuPlatformToken: { scope: "shared", description: "Heroku platform (deploy) token, an OAuth authorization" },
    herokuBillingToken: { scope: "shared", description: "Heroku billing collector token, an OAuth authorization" },
    awsBillingKey: { scope: "shared", description: "AWS access key of IAM user raxx-billing-readonly" },
    cloudflareBillingToken: { scope: "shared", description: "Cloudflare API token raxx-billing-readonly (Billing Read)" },
    freescoutBackupKey: { scope: "shared", description: "AWS access key of IAM user raxx-freescout-backup" },
    auditIngestToken: { scope: "environment", description: "deploy audit ingest token of this environment, 32 random bytes" },
    vaultAccessToken: {
        scope: "shared",
        description: "Cloudflare Access service token raxx-platform-automation, the stack's key to the vault",
        lifetimeDays: VAULT_ACCESS_TOKEN_LIFETIME_DAYS,
    },
    workspaceNoReplyPassword: {
        scope: "shared",
        description: "password of the suspended Workspace user no-reply@, which nobody holds",
        issuedWhen: { key: "workspaceNoReplyForm", equals: "user" },
    },
} as const satisfies Record<string, CredentialSpec>;

export type CredentialId = keyof typeof CREDENTIALS;
export const CREDENTIAL_IDS = Object.keys(CREDENTIALS) as CredentialId[];

/** The credentials that exist once for Raxx, in the production stack. */
export type SharedCredentialId = { [K in CredentialId]: (typeof CREDENTIALS)[K]["scope"] extends "shared" ? K : never }[CredentialId];
/** The credentials every stack issues for its own environment. */
export type EnvironmentCredentialId = Exclude<CredentialId, SharedCredentialId>;
/** The credentials a stack issues only in one form of its config (`issuedWhen`). */
export type ConditionalCredentialId = { [K in CredentialId]: (typeof CREDENTIALS)[K] extends { issuedWhen: object } ? K : never }[CredentialId];
/** The shared credentials the production stack always issues. */
export type AlwaysSharedCredentialId = Exclude<SharedCredentialId, ConditionalCredentialId>;

export function credentialSpec(id: CredentialId): CredentialSpec {
    return CREDENTIALS[id];
}

/** The config key of a credential's rotation entry. */
export function rotationKey(id: CredentialId): string {
    return `${PROJECT}:${id}Rotation`;
}

export interface AwsConfig {
    /** The one AWS account the stack may touch; the provider refuses any other. */
    readonly accountId: string;
    readonly region: string;
}

export interface FreescoutBackupConfig {
    /** The S3 bucket the backups go to. */
    readonly bucket: string;
    /** The KMS key that encrypts the bucket; undefined allows any key of the account in the region, through S3 only. */
    readonly kmsKeyArn: string | undefined;
}

export interface CloudflareConfig {
    /** The API token the Cloudflare provider uses; undefined: the provider reads CLOUDFLARE_API_TOKEN itself. */
    readonly apiToken: string | undefined;
    readonly zoneId: string;
    readonly zoneName: string;
    /** Undefined: looked up from the zone. */
    readonly accountId: string | undefined;
    /** The id of the "Billing Read" permission group; undefined: looked up by name. */
    readonly billingReadPermissionGroupId: string | undefined;
}

/** The vault (Infisical behind Cloudflare Access) and the stack's way in. */
export interface VaultConfig {
    /** The Cloudflare Access application in front of the vault, made by hand: the stack adds a policy to it, and never writes the application. */
    readonly accessApplicationId: string;
    /** The Infisical project that holds the four paths. */
    readonly projectId: string;
    /** The project's environment slug. */
    readonly environment: string;
}

/** How no-reply@ exists: a group that takes no mail (default), or a suspended user with a password nobody holds. */
export type NoReplyForm = "group" | "user";
export const NO_REPLY_FORMS: readonly NoReplyForm[] = ["group", "user"];

/** Google Workspace addresses on the mail domain (SPEC 9, docs/workspace.md). */
export interface WorkspaceConfig {
    /** The domain of the addresses: the Cloudflare zone whose mail records the stack declares. */
    readonly domain: string;
    /** The Workspace admin the service account impersonates (domain-wide delegation). */
    readonly adminUser: string;
    /** Owner of every group. */
    readonly owner: string;
    /** Members of ops@ and billing@ besides the owner. */
    readonly members: { readonly ops: readonly string[]; readonly billing: readonly string[] };
    readonly noReply: { readonly form: "group" } | { readonly form: "user"; readonly rotation: Rotation };
}

/** What exists once for Raxx, and so only in the production stack. */
export interface SharedConfig {
    readonly aws: AwsConfig;
    /** The Heroku apps that hold the deploy token as HEROKU_API_KEY. */
    readonly deployTokenApps: readonly string[];
    readonly freescoutBackup: FreescoutBackupConfig;
    readonly cloudflare: CloudflareConfig;
    /** The DKIM record Google Admin generated (`v=DKIM1; k=rsa; p=...`), once an operator has it. */
    readonly dkim: string | undefined;
    readonly vault: VaultConfig;
    /** Unset: the stack declares no Workspace address (no workspace* key is set). */
    readonly workspace: WorkspaceConfig | undefined;
    /** The rotation of each shared credential the stack always issues (the others are in their own sections). */
    readonly rotation: Readonly<Record<AlwaysSharedCredentialId, Rotation>>;
}

/** A GitHub App the GitHub provider authenticates as (the provider's `appAuth`). */
export interface GithubAppAuth {
    readonly id: string;
    readonly installationId: string;
    /** The contents of the App's private key (PEM). */
    readonly pemFile: string;
}

export interface StackConfig {
    readonly environment: Environment;
    readonly github: {
        readonly owner: string;
        /** The token the GitHub provider uses; undefined: GITHUB_TOKEN, read by index.ts (see there). */
        readonly token: string | undefined;
        /** The GitHub App the provider authenticates as; undefined: the provider uses the token. */
        readonly appAuth: GithubAppAuth | undefined;
        /** The repository whose Actions secrets and variables the stack writes. */
        readonly repository: string;
        /** The GitHub deployment environment of this stack; named as the environment. */
        readonly environment: Environment;
    };
    /** This environment's console: the app that verifies the audit ingest token, and its URL. */
    readonly console: { readonly app: string; readonly internalUrl: string };
    /** Present in the production stack only. */
    readonly shared: SharedConfig | undefined;
    /** The rotation of each credential this stack issues for its environment. */
    readonly environmentRotation: Readonly<Record<EnvironmentCredentialId, Rotation>>;
    /** The rotation state of every credential this stack issues, shared or not, by id; absent for the others. */
    readonly rotation: Readonly<Partial<Record<CredentialId, Rotation>>>;
    /** The maximum age of a credential that sets none of its own. */
    readonly rotationMaxAgeDays: number;
    /** Stack config verifyCredentials: false only for a break-glass apply. */
    readonly verifyCredentials: boolean;
}

/** One config key: its full name, what it means, and a valid example. */
export interface KeySpec {
    readonly key: string;
    readonly description: string;
    readonly example: string;
    /** Used when the key is unset. */
    readonly default?: string;
    /** An optional key may be unset or empty; a required one (the default) may not. */
    readonly optional?: boolean;
    /** `shared` keys belong to the production stack and must not be set in another. Default: every stack. */
    readonly scope?: "shared";
    /**
     * A secret key's value is never echoed in a message or a plan, and a value
     * set in plain text (not with `pulumi config set --secret`) is a problem.
     * Default: false.
     */
    readonly secret?: boolean;
}

/** Every key the program reads, except the rotation entries (`rotationKeySpec`). Project keys are declared in Pulumi.yaml. */
export const KEYS = {
    environment: {
        key: `${PROJECT}:environment`,
        description: "Which environment this stack is: production or staging. Production owns everything that exists once for Raxx.",
        example: "production",
    },
    githubOwner: {
        key: "github:owner",
        description: "The GitHub organisation or user that owns the repository.",
        example: "MooseQuest",
    },
    githubToken: {
        key: "github:token",
        description: "Optional, secret. The token the GitHub provider uses, instead of the GITHUB_TOKEN environment variable.",
        example: "pulumi config set --secret github:token <token>",
        optional: true,
        secret: true,
    },
    githubAppAuth: {
        key: "github:appAuth",
        description:
            "Optional, secret. The GitHub App the GitHub provider authenticates as, instead of a token: its id, installationId and pemFile (the private key's contents). Unset, the provider uses the token (github:token or GITHUB_TOKEN): it reads GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE only inside an appAuth that is set.",
        example: 'pulumi config set --secret --path github:appAuth.pemFile "$(cat app.pem)", and likewise github:appAuth.id and github:appAuth.installationId',
        optional: true,
        secret: true,
    },
    githubRepository: {
        key: `${PROJECT}:githubRepository`,
        description: "The GitHub repository (name only, without the owner) whose Actions secrets and variables the stack writes.",
        example: "raxx",
    },
    consoleApp: {
        key: `${PROJECT}:consoleApp`,
        description: "This environment's console Heroku app, which verifies the deploy audit ingest token.",
        example: "raxx-console-prod",
    },
    consoleInternalUrl: {
        key: `${PROJECT}:consoleInternalUrl`,
        description: "This environment's console URL, written to the GitHub environment variable CONSOLE_INTERNAL_URL. Must be https.",
        example: "https://console.raxx.app",
    },
    herokuApiKey: {
        key: `${PROJECT}:herokuApiKey`,
        description:
            "Optional, secret. The Heroku API key the Heroku providers use, instead of the HEROKU_API_KEY environment variable. Never the platform token the stack rotates.",
        example: "pulumi config set --secret herokuApiKey <key>",
        optional: true,
        secret: true,
    },
    herokuApiUrl: {
        key: `${PROJECT}:herokuApiUrl`,
        description: "Optional. The Heroku Platform API's base URL, instead of HEROKU_API_URL. Default: https://api.heroku.com.",
        example: "https://api.heroku.com",
        optional: true,
    },
    verifyCredentials: {
        key: `${PROJECT}:verifyCredentials`,
        description:
            "Whether the stack checks each new credential before any consumer gets it, every place after the write, and every revocation (docs/rotation.md, \"Checks\"). false is break-glass: the checks are still declared, record that they did not run, and rotation-status and the preview comment say so. Default: true.",
        example: "false",
        default: "true",
        optional: true,
    },
    rotationMaxAgeDays: {
        key: `${PROJECT}:rotationMaxAgeDays`,
        description: `The age in days after which a credential is overdue for rotation, unless its rotation entry sets maxAgeDays. Default: ${DEFAULT_MAX_AGE_DAYS}.`,
        example: "90",
        default: String(DEFAULT_MAX_AGE_DAYS),
    },
    awsAccountId: {
        key: `${PROJECT}:awsAccountId`,
        description: "Production only. The 12-digit AWS account the stack manages; the AWS provider refuses credentials for any other account.",
        example: "521228113048",
        scope: "shared",
    },
    awsRegion: {
        key: "aws:region",
        description: "Production only. The AWS region of the SSM parameters and of the IAM policy ARNs.",
        example: "us-east-1",
        scope: "shared",
    },
    deployTokenApps: {
        key: `${PROJECT}:deployTokenApps`,
        description: "Production only. The Heroku apps that get the deploy token as HEROKU_API_KEY.",
        example: '["raxx-console-prod", "raxx-api-prod"]',
        scope: "shared",
    },
    freescoutBackupBucket: {
        key: `${PROJECT}:freescoutBackupBucket`,
        description: "Production only. The S3 bucket the FreeScout backup writes to. Default: raxx-support-attachments.",
        example: "raxx-support-attachments",
        default: "raxx-support-attachments",
        scope: "shared",
    },
    freescoutBackupKmsKeyArn: {
        key: `${PROJECT}:freescoutBackupKmsKeyArn`,
        description:
            "Production only, optional. The ARN of the KMS key that encrypts the backup bucket. Unset, the backup user may use any key of the account in the region, and only through S3.",
        example: "arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        optional: true,
        scope: "shared",
    },
    cloudflareApiToken: {
        key: "cloudflare:apiToken",
        description: "Production only, optional, secret. The API token the Cloudflare provider uses, instead of the CLOUDFLARE_API_TOKEN environment variable.",
        example: "pulumi config set --secret cloudflare:apiToken <token>",
        optional: true,
        scope: "shared",
        secret: true,
    },
    cloudflareZoneId: {
        key: `${PROJECT}:cloudflareZoneId`,
        description: "Production only. The id of the Cloudflare zone that holds the mail records.",
        example: "f12dbb5cac57d5591a5058874498a6d1",
        scope: "shared",
    },
    cloudflareZoneName: {
        key: `${PROJECT}:cloudflareZoneName`,
        description: "Production only. The name of that zone.",
        example: "raxx.app",
        scope: "shared",
    },
    cloudflareAccountId: {
        key: `${PROJECT}:cloudflareAccountId`,
        description: "Production only, optional. The Cloudflare account the billing token reads. Unset, it is looked up from the zone.",
        example: "0123456789abcdef0123456789abcdef",
        optional: true,
        scope: "shared",
    },
    cloudflareBillingReadPermissionGroupId: {
        key: `${PROJECT}:cloudflareBillingReadPermissionGroupId`,
        description: 'Production only, optional. The id of Cloudflare\'s "Billing Read" permission group. Unset, it is looked up by name.',
        example: "0123456789abcdef0123456789abcdef",
        optional: true,
        scope: "shared",
    },
    dkimRecord: {
        key: `${PROJECT}:dkimRecord`,
        description:
            "Production only, optional. The DKIM TXT value Google Admin generates for google._domainkey, unquoted. Unset, no DKIM record is declared.",
        example: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...",
        optional: true,
        scope: "shared",
    },
    vaultAccessApplicationId: {
        key: `${PROJECT}:vaultAccessApplicationId`,
        description:
            "Production only. The id (a UUID) of the Cloudflare Access application in front of the vault, vault.raxx.app. It was made by hand: the stack adds one policy of its own to it, and never writes the application or its other policies. See docs/adoption.md.",
        example: "pulumi config set vaultAccessApplicationId 3b9c1f4e-7a2d-4c8b-9e1f-5d6a7b8c9d0e",
        scope: "shared",
    },
    infisicalProjectId: {
        key: `${PROJECT}:infisicalProjectId`,
        description: "Production only. The id (a UUID) of the Infisical project that holds the vault paths the stack writes.",
        example: "pulumi config set infisicalProjectId 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        scope: "shared",
    },
    infisicalEnvironment: {
        key: `${PROJECT}:infisicalEnvironment`,
        description: "Production only. The slug of the Infisical environment the stack writes, for example prod.",
        example: "prod",
        scope: "shared",
    },
    infisicalUrl: {
        key: `${PROJECT}:infisicalUrl`,
        description: "Production only, optional. The vault's base URL, instead of INFISICAL_API_URL. Default: https://vault.raxx.app.",
        example: "https://vault.raxx.app",
        optional: true,
        scope: "shared",
    },
    infisicalClientId: {
        key: `${PROJECT}:infisicalClientId`,
        description:
            "Production only, optional. The client id of the machine identity (Universal Auth) the vault provider logs in as, instead of INFISICAL_UNIVERSAL_AUTH_CLIENT_ID.",
        example: "pulumi config set infisicalClientId 4d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a",
        optional: true,
        scope: "shared",
    },
    infisicalClientSecret: {
        key: `${PROJECT}:infisicalClientSecret`,
        description:
            "Production only, optional, secret. The client secret of that machine identity, instead of INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET.",
        example: "pulumi config set --secret infisicalClientSecret <client secret>",
        optional: true,
        scope: "shared",
        secret: true,
    },
    workspaceAdminUser: {
        key: `${PROJECT}:workspaceAdminUser`,
        description:
            "Production only; with the other workspace keys. The Google Workspace admin the stack's service account acts as (domain-wide delegation). Set with workspaceOwner, the stack declares ops@, billing@ and no-reply@ on the mail domain (docs/workspace.md); with no workspace key set, it declares none.",
        example: "kris@moosequest.net",
        optional: true,
        scope: "shared",
    },
    workspaceOwner: {
        key: `${PROJECT}:workspaceOwner`,
        description: "Production only; with the other workspace keys. The Workspace user who owns the three groups (the session log's Kristerpher; docs/workspace.md says why this address).",
        example: "kris@moosequest.net",
        optional: true,
        scope: "shared",
    },
    workspaceOpsMembers: {
        key: `${PROJECT}:workspaceOpsMembers`,
        description: "Production only, optional. Members of ops@ besides the owner. Members added by hand and not listed are kept, and reported as drift.",
        example: '["oncall@moosequest.net"]',
        optional: true,
        scope: "shared",
    },
    workspaceBillingMembers: {
        key: `${PROJECT}:workspaceBillingMembers`,
        description: "Production only, optional. Members of billing@ besides the owner, who is its first member.",
        example: '["finance@moosequest.net"]',
        optional: true,
        scope: "shared",
    },
    workspaceNoReplyForm: {
        key: `${PROJECT}:workspaceNoReplyForm`,
        description:
            "Production only, optional. What no-reply@ is: group (default; a group that refuses all mail, with no licence and no password) or user (a suspended user whose random password the stack rotates as workspaceNoReplyPasswordRotation). docs/workspace.md says why group.",
        example: "group",
        default: "group",
        optional: true,
        scope: "shared",
    },
    workspaceCredentials: {
        key: `${PROJECT}:workspaceCredentials`,
        description:
            "Production only, optional, secret. The JSON key of the service account with domain-wide delegation, instead of the GOOGLE_WORKSPACE_CREDENTIALS environment variable. Read only by the Workspace providers, in the provider host.",
        example: 'pulumi config set --secret workspaceCredentials "$(cat service-account.json)"',
        optional: true,
        scope: "shared",
        secret: true,
    },
} as const satisfies Record<string, KeySpec>;

/** When a conditional credential is issued, in words: `workspaceNoReplyForm is user`. */
function issuedWhenWords(w: NonNullable<CredentialSpec["issuedWhen"]>): string {
    return `${cliKey(KEYS[w.key].key)} is ${w.equals}`;
}

/** The spec of a credential's rotation entry key. */
export function rotationKeySpec(id: CredentialId): KeySpec {
    const spec: CredentialSpec = credentialSpec(id);
    const shared = spec.scope === "shared";
    const when = spec.issuedWhen === undefined ? "" : `Only when ${issuedWhenWords(spec.issuedWhen)}, and then required. `;
    return {
        key: rotationKey(id),
        description: `${shared ? "Production only. " : ""}${when}Rotation of the ${spec.description}: the active slot and each slot's generation date. See docs/rotation.md.`,
        example: ROTATION_EXAMPLE,
        ...(shared ? { scope: "shared" as const } : {}),
    };
}

/** Where raw config values come from: the Pulumi runtime, a stack's config read offline, or a test. */
export interface ConfigSource {
    /** The key's raw value, as `pulumi config` hands it to the program; undefined when unset. */
    value(fullKey: string): string | undefined;
    /** Whether the key's value is secret: set with `pulumi config set --secret` (`secure:` in the stack's file). */
    isSecret(fullKey: string): boolean;
}

/** A source over a map of full keys to raw values, of which `secretKeys` are secret. */
export function configSource(values: Readonly<Record<string, string | undefined>>, secretKeys: readonly string[]): ConfigSource {
    return {
        value: (fullKey) => (Object.hasOwn(values, fullKey) ? values[fullKey] : undefined),
        isSecret: (fullKey) => secretKeys.includes(fullKey),
    };
}

/** Whether config.ts holds `fullKey` secret: its value is never shown, even when it is given in plain text. */
export function isSecretKey(fullKey: string): boolean {
    return (Object.values(KEYS) as KeySpec[]).some((spec) => spec.secret === true && spec.key === fullKey);
}

/** How `pulumi config set` names a key: project keys without the project. */
function cliKey(fullKey: string): string {
    return fullKey.startsWith(`${PROJECT}:`) ? fullKey.slice(PROJECT.length + 1) : fullKey;
}

/** All config problems, reported at once. Its message never contains a secret value. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n") +
                "\nSet a value with `pulumi config set <key> <value>`; Pulumi.yaml describes every key.",
        );
        this.name = "ConfigError";
    }
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
// GitHub: owner names are alphanumeric with single inner hyphens, at most 39 characters.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
// GitHub: repository names are at most 100 of [A-Za-z0-9._-], and not "." or "..".
const GITHUB_REPOSITORY = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
// S3 bucket names (general purpose): 3-63 of [a-z0-9.-], starting and ending alphanumeric.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;
// Cloudflare Access applications, and Infisical projects and machine identities, are named by UUIDs.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Infisical environment slugs: lowercase letters, digits and inner hyphens.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// An email address as Google Workspace stores it: lowercase, a dot-atom local part, a domain.
const EMAIL = /^(?=.{3,254}$)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// What Google Admin generates: `v=DKIM1; k=rsa; p=<base64 public key>`.
const DKIM = /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{100,}={0,2}$/;

class Collector {
    readonly problems: string[] = [];
    /** This stack's environment, once it is known: production reads the `shared` keys, another stack refuses them. */
    environment: Environment | undefined;
    constructor(private readonly source: ConfigSource) {}

    /** The key's raw value; undefined when unset or left at Pulumi.yaml's "unset" default ("" or []). */
    raw(spec: Pick<KeySpec, "key">): string | undefined {
        const value = this.source.value(spec.key);
        return value === "" || value === "[]" ? undefined : value;
    }

    /**
     * Whether `spec` applies to this stack. A shared key set in another stack is a problem.
     * While the environment is unknown, a shared key is checked only when it is set.
     */
    applies(spec: KeySpec): boolean {
        if (spec.scope !== "shared") return true;
        if (this.environment === undefined) return this.raw(spec) !== undefined;
        const shared = this.environment === "production";
        if (!shared && this.raw(spec) !== undefined) {
            this.problems.push(`${spec.key}: is set, but only the production stack uses it, not the ${this.environment} stack; remove the key`);
        }
        return shared;
    }

    /** The key's string value; "" when it is unset (a problem unless optional) or does not apply, so validation can go on. */
    string(spec: KeySpec): string {
        if (!this.applies(spec)) return "";
        if (spec.secret && this.raw(spec) !== undefined && !this.source.isSecret(spec.key)) {
            // Already in the stack's file (and the state) in clear: it must be set again, encrypted.
            this.problems.push(
                `${spec.key}: is set in plain text, but it is a secret; set it with \`pulumi config set --secret ${cliKey(spec.key)} <value>\``,
            );
        }
        const value = this.raw(spec) ?? spec.default;
        if (value === undefined || value.trim() === "") {
            if (spec.optional) return "";
            this.problems.push(`${spec.key}: is required and must not be empty; for example \`${spec.example}\``);
            return "";
        }
        if (value !== value.trim()) {
            this.fail(spec, value, "has leading or trailing white space");
            return "";
        }
        return value;
    }

    matching(spec: KeySpec, pattern: RegExp, what: string): string {
        const value = this.string(spec);
        if (value !== "" && !pattern.test(value)) {
            this.fail(spec, value, `is not ${what}`);
            return "";
        }
        return value;
    }

    oneOf<T extends string>(spec: KeySpec, allowed: readonly T[]): T | "" {
        const value = this.string(spec);
        if (value !== "" && !(allowed as readonly string[]).includes(value)) {
            this.fail(spec, value, `is not one of ${allowed.join(", ")}`);
            return "";
        }
        return value as T | "";
    }

    /** A JSON list of strings, as the CLI passes a YAML list. */
    list(spec: KeySpec): string[] {
        const value = this.string(spec);
        if (value === "") return [];
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            // Not JSON: parsed stays undefined, and is refused below.
        }
        if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === "string")) {
            this.fail(spec, value, "is not a non-empty list of names");
            return [];
        }
        return parsed as string[];
    }

    fail(spec: KeySpec, value: string, why: string): void {
        const shown = spec.secret ? "the value (secret, not shown)" : JSON.stringify(value);
        this.problems.push(`${spec.key}: ${shown} ${why}; for example \`${spec.example}\``);
    }
}

/**
 * Checks that the URL in `spec` is https, with no query or fragment (a base URL or an address the
 * stack writes has neither), and never echoes one that carries credentials. Unset is fine.
 */
function checkHttpsUrl(c: Collector, spec: KeySpec): string {
    const value = c.string(spec);
    if (value === "") return value;
    let url: URL | undefined;
    try {
        url = new URL(value);
    } catch {
        // Not a URL: url stays undefined, and is refused below.
    }
    if (url !== undefined && (url.username !== "" || url.password !== "")) {
        c.problems.push(`${spec.key}: must not carry credentials; for example \`${spec.example}\``);
    } else if (url === undefined || url.protocol !== "https:" || /[?#]/.test(value)) {
        // An empty query or fragment ("https://x?") is still written as given.
        c.fail(spec, value, "is not an https URL without query or fragment");
    }
    return value;
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

/**
 * Cloudflare provider settings for the legacy global API key, which the stack
 * does not pass on (README: it takes a scoped API token): set, they would be
 * silently ignored.
 */
const UNREAD_CLOUDFLARE_KEYS = ["cloudflare:apiKey", "cloudflare:email", "cloudflare:apiUserServiceKey"];

const APP_AUTH_FIELDS = ["id", "installationId", "pemFile"];

/** `github:appAuth`, an object (the CLI hands it over as JSON): exactly id and installationId (digits) and pemFile, none empty. */
function parseAppAuth(c: Collector): GithubAppAuth | undefined {
    const spec = KEYS.githubAppAuth;
    const value = c.string(spec);
    if (value === "") return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        // Not JSON: parsed stays undefined, and is refused below.
    }
    // YAML writes a number for an unquoted id; the provider takes strings.
    // (Number.isSafeInteger is false for anything but a number.)
    const digits = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? String(v) : typeof v === "string" && /^\d+$/.test(v) ? v : undefined);
    // No JSON, or null, has no fields. Any other value but an object of exactly these fails below: a string,
    // number or boolean has none of them, and an array has keys other than these.
    const o = (parsed ?? {}) as Record<string, unknown>;
    const id = digits(o.id);
    const installationId = digits(o.installationId);
    const pemFile = o.pemFile;
    if (Object.keys(o).some((k) => !APP_AUTH_FIELDS.includes(k)) || !id || !installationId || typeof pemFile !== "string" || pemFile.trim() === "") {
        c.fail(spec, value, "is not an object of exactly id and installationId (numbers) and pemFile (the private key's contents)");
        return undefined;
    }
    return { id, installationId, pemFile };
}

/**
 * The workspace keys, all or none: their values with the no-reply form, or undefined when none is set.
 * The form is "" only when its value is refused (it defaults to group), and then parseConfig throws.
 */
type WorkspaceDraft = Omit<WorkspaceConfig, "noReply"> & { readonly noReplyForm: NoReplyForm | "" };

const WORKSPACE_KEYS = [KEYS.workspaceAdminUser, KEYS.workspaceOwner, KEYS.workspaceOpsMembers, KEYS.workspaceBillingMembers, KEYS.workspaceNoReplyForm, KEYS.workspaceCredentials];

function parseWorkspace(c: Collector, domain: string): WorkspaceDraft | undefined {
    if (!WORKSPACE_KEYS.some((spec) => c.raw(spec) !== undefined)) return undefined;
    const email = (spec: KeySpec, value: string) => {
        if (value !== "" && !EMAIL.test(value)) c.fail(spec, value, "is not an email address in lowercase");
        return value;
    };
    // Required once any workspace key is set: a half-set section would declare groups without an owner.
    const required = (spec: KeySpec) => {
        const value = c.string(spec);
        if (value === "") c.problems.push(`${spec.key}: is required once any workspace key is set; for example \`${spec.example}\``);
        return email(spec, value);
    };
    const adminUser = required(KEYS.workspaceAdminUser);
    const owner = required(KEYS.workspaceOwner);
    const members = (spec: KeySpec) => {
        const list = c.list(spec);
        // Every member, "" too: unlike a required key's, an empty member has not been reported.
        for (const m of list) if (!EMAIL.test(m)) c.fail(spec, m, "is not an email address in lowercase");
        const twice = list.find((m, i) => list.indexOf(m) !== i);
        if (twice !== undefined) c.fail(spec, twice, "is listed twice");
        if (owner !== "" && list.includes(owner)) c.fail(spec, owner, "is the owner, who is already a member of every group; remove it");
        return list;
    };
    const ops = members(KEYS.workspaceOpsMembers);
    const billing = members(KEYS.workspaceBillingMembers);
    const form = c.oneOf(KEYS.workspaceNoReplyForm, NO_REPLY_FORMS);
    // Read only by the Workspace providers (in `configure`); checked here with everything else.
    c.string(KEYS.workspaceCredentials);
    return { domain, adminUser, owner, members: { ops, billing }, noReplyForm: form };
}

function parseShared(c: Collector): Omit<SharedConfig, "rotation" | "workspace"> & { workspaceDraft: WorkspaceDraft | undefined } {
    const accountId = c.matching(KEYS.awsAccountId, ACCOUNT_ID, "a 12-digit AWS account id");
    const region = c.matching(KEYS.awsRegion, REGION, "an AWS region name");
    const bucket = c.matching(KEYS.freescoutBackupBucket, S3_BUCKET, "an S3 bucket name");
    const kmsKeyArn = c.matching(KEYS.freescoutBackupKmsKeyArn, KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)");
    const kms = KMS_KEY_ARN.exec(kmsKeyArn);
    if (kms && region !== "" && accountId !== "" && (kms[1] !== region || kms[2] !== accountId)) {
        c.fail(KEYS.freescoutBackupKmsKeyArn, kmsKeyArn, `is not in the stack's account ${accountId} and region ${region}`);
    }

    const apps = c.list(KEYS.deployTokenApps);
    for (const app of apps) {
        if (herokuAppEnvironment(app) === undefined) {
            c.fail(KEYS.deployTokenApps, app, `is not a Raxx Heroku app (${Object.keys(HEROKU_APPS).join(", ")})`);
        }
    }
    const duplicate = apps.find((app, i) => apps.indexOf(app) !== i);
    if (duplicate !== undefined) c.fail(KEYS.deployTokenApps, duplicate, "is listed twice");

    const apiToken = c.string(KEYS.cloudflareApiToken);
    const zoneId = c.matching(KEYS.cloudflareZoneId, CLOUDFLARE_ID, "a Cloudflare zone id (32 lowercase hex characters)");
    const zoneName = c.matching(KEYS.cloudflareZoneName, DOMAIN, "a domain name");
    const cfAccount = c.matching(KEYS.cloudflareAccountId, CLOUDFLARE_ID, "a Cloudflare account id (32 lowercase hex characters)");
    const group = c.matching(
        KEYS.cloudflareBillingReadPermissionGroupId,
        CLOUDFLARE_ID,
        "a Cloudflare permission group id (32 lowercase hex characters)",
    );
    const dkim = c.string(KEYS.dkimRecord);
    if (dkim !== "" && !DKIM.test(dkim)) {
        // The value is public, but long: name its shape rather than echo it.
        c.problems.push(
            `${KEYS.dkimRecord.key}: is not a DKIM record of the form "v=DKIM1; k=rsa; p=<base64 public key>" (as Google Admin shows it, without quotes); for example \`${KEYS.dkimRecord.example}\``,
        );
    }
    return {
        aws: { accountId, region },
        deployTokenApps: apps,
        vault: parseVault(c),
        freescoutBackup: { bucket, kmsKeyArn: kmsKeyArn === "" ? undefined : kmsKeyArn },
        cloudflare: {
            apiToken: apiToken === "" ? undefined : apiToken,
            zoneId,
            zoneName,
            accountId: cfAccount === "" ? undefined : cfAccount,
            billingReadPermissionGroupId: group === "" ? undefined : group,
        },
        dkim: dkim === "" ? undefined : dkim,
        workspaceDraft: parseWorkspace(c, zoneName),
    };
}

function parseVault(c: Collector): VaultConfig {
    const accessApplicationId = c.matching(KEYS.vaultAccessApplicationId, UUID, "an Access application id (a lowercase UUID)");
    const projectId = c.matching(KEYS.infisicalProjectId, UUID, "an Infisical project id (a lowercase UUID)");
    const environment = c.matching(KEYS.infisicalEnvironment, SLUG, "an Infisical environment slug (lowercase letters, digits and inner hyphens)");
    checkHttpsUrl(c, KEYS.infisicalUrl);
    c.matching(KEYS.infisicalClientId, UUID, "a machine identity client id (a lowercase UUID)");
    // Read only by the vault provider (in `configure`); checked here with everything else.
    c.string(KEYS.infisicalClientSecret);
    return { accessApplicationId, projectId, environment };
}

/**
 * Validates every key from `source` and returns the typed config, or throws
 * one ConfigError listing every problem. `today` bounds rotation dates.
 */
export function parseConfig(source: ConfigSource, today: string = todayUtc()): StackConfig {
    const c = new Collector(source);
    const environment = c.oneOf(KEYS.environment, ENVIRONMENTS);
    // Until the environment is known, keys that depend on it are checked only when set.
    if (environment !== "") c.environment = environment;
    const owns = environment === "" ? undefined : environment === "production";

    const owner = c.matching(KEYS.githubOwner, GITHUB_OWNER, "a GitHub owner name (letters, digits and single hyphens, at most 39)");
    const githubToken = c.string(KEYS.githubToken);
    const appAuth = parseAppAuth(c);
    if (githubToken !== "" && appAuth !== undefined) {
        c.problems.push(
            `${KEYS.githubToken.key}, ${KEYS.githubAppAuth.key}: both are set, but the GitHub provider authenticates one way; remove one of them (\`pulumi config rm ${KEYS.githubToken.key}\`)`,
        );
    }
    const repository = c.matching(
        KEYS.githubRepository,
        GITHUB_REPOSITORY,
        "a GitHub repository name (at most 100 letters, digits, '.', '-' or '_', without the owner)",
    );

    const consoleApp = c.string(KEYS.consoleApp);
    if (consoleApp !== "") {
        const appEnvironment = herokuAppEnvironment(consoleApp);
        if (appEnvironment === undefined) {
            c.fail(KEYS.consoleApp, consoleApp, `is not a Raxx Heroku app (${Object.keys(HEROKU_APPS).join(", ")})`);
        } else if (environment !== "" && appEnvironment !== environment) {
            c.fail(KEYS.consoleApp, consoleApp, `is a ${appEnvironment} app, not a ${environment} one`);
        }
    }
    const internalUrl = checkHttpsUrl(c, KEYS.consoleInternalUrl);

    // Read only by the Heroku providers (in `configure`); checked here with everything else.
    c.string(KEYS.herokuApiKey);
    checkHttpsUrl(c, KEYS.herokuApiUrl);

    for (const key of UNREAD_CLOUDFLARE_KEYS) {
        if (c.raw({ key }) !== undefined) {
            c.problems.push(
                `${key}: is set, but the stack's Cloudflare provider does not read it: it authenticates with an API token only; remove the key, and set \`${KEYS.cloudflareApiToken.example}\` or CLOUDFLARE_API_TOKEN`,
            );
        }
    }

    const verifyCredentials = c.oneOf(KEYS.verifyCredentials, ["true", "false"] as const) !== "false";
    const maxAge = c.matching(KEYS.rotationMaxAgeDays, /^[1-9]\d{0,3}$/, "a whole number of days from 1 to 9999");
    // The key defaults to DEFAULT_MAX_AGE_DAYS: maxAge is "" only when its value is refused, and then parseConfig throws.
    const rotationMaxAgeDays = Number(maxAge);
    const sharedConfig = owns === false ? undefined : parseShared(c);
    // In another stack than production, each shared key that is set is a problem, which `applies` reports.
    for (const spec of Object.values(KEYS) as KeySpec[]) c.applies(spec);

    const rotation: Partial<Record<CredentialId, Rotation>> = {};
    for (const id of CREDENTIAL_IDS) {
        const spec = rotationKeySpec(id);
        if (!issues(c, credentialSpec(id))) {
            if (c.applies(spec) && c.raw(spec) !== undefined) {
                // Not issued: a conditional credential, whose condition does not hold.
                c.problems.push(`${spec.key}: is set, but the stack issues this credential only when ${issuedWhenWords(credentialSpec(id).issuedWhen!)}; remove the key`);
            }
            continue;
        }
        const entry = c.string(spec);
        if (entry === "") continue;
        const parsed = parseRotation(entry, rotationMaxAgeDays, today);
        for (const problem of parsed.problems) {
            c.problems.push(`${spec.key}: ${problem}; for example \`${spec.example}\``);
        }
        if (parsed.rotation === undefined) continue;
        const lifetime = credentialSpec(id).lifetimeDays ?? Infinity;
        if (parsed.rotation.maxAgeDays >= lifetime) {
            c.problems.push(
                `${spec.key}: maxAgeDays ${parsed.rotation.maxAgeDays} is not shorter than the ${lifetime} days the credential stays valid, so it could expire before it is rotated; give maxAgeDays=<n> under ${lifetime} in the entry, for example \`${ROTATION_EXAMPLE}\``,
            );
        }
        rotation[id] = parsed.rotation;
    }

    if (c.problems.length > 0) {
        throw new ConfigError(c.problems);
    }
    // Every entry a stack issues is required above, so each of these is there.
    const pick = <K extends CredentialId>(ids: readonly K[]) => Object.fromEntries(ids.map((id) => [id, rotation[id]!])) as Record<K, Rotation>;
    const sharedIds = CREDENTIAL_IDS.filter((id): id is AlwaysSharedCredentialId => credentialSpec(id).scope === "shared" && credentialSpec(id).issuedWhen === undefined);
    const environmentIds = CREDENTIAL_IDS.filter((id): id is EnvironmentCredentialId => credentialSpec(id).scope === "environment");
    return {
        environment: environment as Environment,
        github: { owner, token: githubToken === "" ? undefined : githubToken, appAuth, repository, environment: environment as Environment },
        console: { app: consoleApp, internalUrl },
        // Parsed unless the stack is known not to be production; past the throw above, the environment is known.
        shared: sharedConfig === undefined ? undefined : sharedOf(sharedConfig, pick(sharedIds), rotation),
        environmentRotation: pick(environmentIds),
        rotation,
        rotationMaxAgeDays,
        verifyCredentials,
    };
}

/** Whether the stack issues the credential of `spec`: always, or, for a conditional one, when its config key has its value (the key's default when unset). */
function issues(c: Collector, spec: CredentialSpec): boolean {
    const w = spec.issuedWhen;
    if (w === undefined) return true;
    return (c.raw(KEYS[w.key]) ?? (KEYS[w.key] as KeySpec).default) === w.equals;
}

function sharedOf(
    parsed: ReturnType<typeof parseShared>,
    always: Record<AlwaysSharedCredentialId, Rotation>,
    rotation: Partial<Record<CredentialId, Rotation>>,
): SharedConfig {
    const { workspaceDraft, ...rest } = parsed;
    let workspace: WorkspaceConfig | undefined;
    if (workspaceDraft !== undefined) {
        const { noReplyForm, ...w } = workspaceDraft;
        // Parsed and required above when the form is user.
        workspace = { ...w, noReply: noReplyForm === "user" ? { form: "user", rotation: rotation.workspaceNoReplyPassword! } : { form: "group" } };
    }
    return { ...rest, workspace, rotation: always };
}

/** Reads and validates the running stack's config. */
export function loadConfig(): StackConfig {
    return parseConfig({
        value(fullKey) {
            // A Config only names its namespace: it reads the runtime's config on every get.
            const i = fullKey.indexOf(":");
            return new pulumi.Config(fullKey.slice(0, i)).get(fullKey.slice(i + 1));
        },
        isSecret: runtimeIsConfigSecret,
    });
}

/**
 * Whether the CLI handed the program `fullKey` as a secret (its
 * PULUMI_CONFIG_SECRET_KEYS; under mocks, `setAllConfig`'s `secretKeys`).
 * `runtime.isConfigSecret` is in @pulumi/pulumi 3.276's JavaScript but not in
 * its typings (it is marked internal), so it is checked for before use.
 */
function runtimeIsConfigSecret(fullKey: string): boolean {
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof isConfigSecret !== "function") {
        throw new Error("@pulumi/pulumi has no runtime.isConfigSecret: config.ts cannot tell a secret config value from a plain one (see loadConfig)");
    }
    return isConfigSecret(fullKey);
}
