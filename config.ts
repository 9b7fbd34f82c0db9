// The stack's one typed config module. Every key is declared here and in
// Pulumi.yaml; `parseConfig` validates all of them before any resource is
// registered, collects every problem, and throws once with all of them.
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MAX_AGE_DAYS, ROTATION_EXAMPLE, Rotation, parseRotation } from "./components/rotation";

export const PROJECT = "raxx-platform";

export type Environment = "production" | "staging";
export const ENVIRONMENTS: readonly Environment[] = ["production", "staging"];

export interface AwsConfig {
    /** The one AWS account the stack may touch; the provider refuses any other. */
    readonly accountId: string;
    readonly region: string;
}

export interface GithubConfig {
    readonly owner: string;
    /** The repository whose Actions secrets the stack writes. */
    readonly repository: string;
}

export interface FreescoutBackupConfig {
    /** The S3 bucket the backups go to. */
    readonly bucket: string;
    /** The KMS key that encrypts the bucket; undefined allows any key of the account in the region, through S3 only. */
    readonly kmsKeyArn: string | undefined;
}

/**
 * Every credential the stack issues. `account` credentials belong to the
 * production stack; `environment` ones exist once per stack.
 */
export interface CredentialSpec {
    readonly scope: "account" | "environment";
    readonly description: string;
}

export const CREDENTIALS = {
    awsBillingKey: { scope: "account", description: "AWS access key of IAM user raxx-billing-readonly" },
    freescoutBackupKey: { scope: "account", description: "AWS access key of IAM user raxx-freescout-backup" },
} as const satisfies Record<string, CredentialSpec>;

export type CredentialId = keyof typeof CREDENTIALS;
export const CREDENTIAL_IDS = Object.keys(CREDENTIALS) as CredentialId[];

export function credentialSpec(id: CredentialId): CredentialSpec {
    return CREDENTIALS[id];
}

/** The config key of a credential's rotation entry. */
export function rotationKey(id: CredentialId): string {
    return `${PROJECT}:${id}Rotation`;
}

export interface StackConfig {
    readonly environment: Environment;
    /**
     * Whether this stack owns the account-wide resources (IAM users, SSM
     * parameters, shared credentials). Exactly one stack does: production.
     */
    readonly ownsAccountResources: boolean;
    readonly aws: AwsConfig;
    readonly github: GithubConfig;
    readonly freescoutBackup: FreescoutBackupConfig;
    /** The rotation state of each credential this stack issues; absent for the others. */
    readonly rotation: Readonly<Partial<Record<CredentialId, Rotation>>>;
    /** The maximum age of a credential that sets none of its own. */
    readonly rotationMaxAgeDays: number;
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
}

/** Every key the program reads. Project keys are also declared in Pulumi.yaml. */
export const KEYS = {
    environment: {
        key: `${PROJECT}:environment`,
        description: "Which environment this stack is: production or staging. Production owns the account-wide resources.",
        example: "production",
    },
    awsAccountId: {
        key: `${PROJECT}:awsAccountId`,
        description: "The 12-digit AWS account the stack manages; the AWS provider refuses credentials for any other account.",
        example: "521228113048",
    },
    awsRegion: {
        key: "aws:region",
        description: "The AWS region of the SSM parameters and of the IAM policy ARNs.",
        example: "us-east-1",
    },
    githubOwner: {
        key: "github:owner",
        description: "The GitHub organisation or user that owns the repository.",
        example: "MooseQuest",
    },
    githubRepository: {
        key: `${PROJECT}:githubRepository`,
        description: "The GitHub repository (name only, without the owner) whose Actions secrets and variables the stack writes.",
        example: "raxx",
    },
    freescoutBackupBucket: {
        key: `${PROJECT}:freescoutBackupBucket`,
        description: "The S3 bucket the FreeScout backup writes to.",
        example: "raxx-support-attachments",
        default: "raxx-support-attachments",
    },
    freescoutBackupKmsKeyArn: {
        key: `${PROJECT}:freescoutBackupKmsKeyArn`,
        description:
            "Optional. The ARN of the KMS key that encrypts the backup bucket. Unset, the backup user may use any key of the account in the region, and only through S3.",
        example: "arn:aws:kms:us-east-1:521228113048:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        optional: true,
    },
    rotationMaxAgeDays: {
        key: `${PROJECT}:rotationMaxAgeDays`,
        description: `The age in days after which a credential is overdue for rotation, unless its rotation entry sets maxAgeDays. Default: ${DEFAULT_MAX_AGE_DAYS}.`,
        example: "90",
        default: String(DEFAULT_MAX_AGE_DAYS),
    },
} as const satisfies Record<string, KeySpec>;

/** The spec of a credential's rotation entry key. */
export function rotationKeySpec(id: CredentialId): KeySpec {
    const scope = credentialSpec(id).scope === "account" ? "Production stack only." : "Every stack.";
    return {
        key: rotationKey(id),
        description: `Rotation of the ${CREDENTIALS[id].description}: the active slot and each slot's generation date. ${scope} See docs/rotation.md.`,
        example: ROTATION_EXAMPLE,
    };
}

/** Where raw config values come from: the Pulumi runtime, or a test. */
export type ConfigSource = (fullKey: string) => string | undefined;

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

class Collector {
    readonly problems: string[] = [];
    constructor(private readonly source: ConfigSource) {}

    /** The key's string value; "" when it is unset (a problem unless optional), so validation can go on. */
    string(spec: KeySpec): string {
        const value = this.source(spec.key) ?? spec.default;
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

    oneOf<T extends string>(spec: KeySpec, allowed: readonly T[]): T {
        const value = this.string(spec);
        if (value !== "" && !(allowed as readonly string[]).includes(value)) {
            this.fail(spec, value, `is not one of ${allowed.join(", ")}`);
            return "" as T;
        }
        return value as T;
    }

    fail(spec: KeySpec, value: string, why: string): void {
        this.problems.push(`${spec.key}: ${JSON.stringify(value)} ${why}; for example \`${spec.example}\``);
    }
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

/**
 * Validates every key from `source` and returns the typed config, or throws
 * one ConfigError listing every problem. `today` bounds rotation dates.
 */
export function parseConfig(source: ConfigSource, today: string = todayUtc()): StackConfig {
    const c = new Collector(source);
    const environment = c.oneOf(KEYS.environment, ENVIRONMENTS);
    const accountId = c.matching(KEYS.awsAccountId, ACCOUNT_ID, "a 12-digit AWS account id");
    const region = c.matching(KEYS.awsRegion, REGION, "an AWS region name");
    const owner = c.matching(KEYS.githubOwner, GITHUB_OWNER, "a GitHub owner name (letters, digits and single hyphens, at most 39)");
    const repository = c.matching(
        KEYS.githubRepository,
        GITHUB_REPOSITORY,
        "a GitHub repository name (at most 100 letters, digits, '.', '-' or '_', without the owner)",
    );
    const bucket = c.matching(KEYS.freescoutBackupBucket, S3_BUCKET, "an S3 bucket name");
    const kmsKeyArn = c.matching(KEYS.freescoutBackupKmsKeyArn, KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)");

    const kms = KMS_KEY_ARN.exec(kmsKeyArn);
    if (kms && region !== "" && accountId !== "" && (kms[1] !== region || kms[2] !== accountId)) {
        c.fail(KEYS.freescoutBackupKmsKeyArn, kmsKeyArn, `is not in the stack's account ${accountId} and region ${region}`);
    }

    const ownsAccountResources = environment === "production";
    const maxAge = c.matching(KEYS.rotationMaxAgeDays, /^[1-9]\d{0,3}$/, "a whole number of days from 1 to 9999");
    const rotationMaxAgeDays = maxAge === "" ? DEFAULT_MAX_AGE_DAYS : Number(maxAge);
    const rotation: Partial<Record<CredentialId, Rotation>> = {};
    for (const id of CREDENTIAL_IDS) {
        const spec = rotationKeySpec(id);
        // Which entries belong here depends on the environment; without one, check none.
        if ((environment as string) === "") continue;
        const issued = credentialSpec(id).scope === "environment" || ownsAccountResources;
        if (!issued) {
            if (source(spec.key) !== undefined) {
                c.problems.push(`${spec.key}: is set, but the ${environment} stack does not issue this credential (the production stack does); remove the key`);
            }
            continue;
        }
        const entry = c.string(spec);
        if (entry === "") continue;
        const parsed = parseRotation(entry, rotationMaxAgeDays, today);
        for (const problem of parsed.problems) {
            c.problems.push(`${spec.key}: ${problem}; for example \`${spec.example}\``);
        }
        if (parsed.rotation) rotation[id] = parsed.rotation;
    }

    if (c.problems.length > 0) {
        throw new ConfigError(c.problems);
    }
    return {
        environment,
        ownsAccountResources,
        aws: { accountId, region },
        github: { owner, repository },
        freescoutBackup: { bucket, kmsKeyArn: kmsKeyArn === "" ? undefined : kmsKeyArn },
        rotation,
        rotationMaxAgeDays,
    };
}

/** Reads and validates the running stack's config. */
export function loadConfig(): StackConfig {
    const configs = new Map<string, pulumi.Config>();
    return parseConfig((fullKey) => {
        const i = fullKey.indexOf(":");
        const ns = fullKey.slice(0, i);
        if (!configs.has(ns)) configs.set(ns, new pulumi.Config(ns));
        return configs.get(ns)!.get(fullKey.slice(i + 1));
    });
}
