import * as pulumi from "@pulumi/pulumi";
import { FreescoutBackupScope, freescoutBackupPolicy } from "./iam/policies";
import { GithubActionsValues } from "./github/actions";
import { ServiceUser } from "./iam/serviceUser";
import { Rotation } from "./rotation";
import { Checks } from "./verification";
import { AdoptedSecureParameter, parameterResourceName } from "./ssm/parameters";

/** The FreeScout parameters that exist already and hold live values (SPEC 4 in docs/session-2026-05-06.md). */
export const FREESCOUT_PARAMETERS = {
    dbPassword: "/raxx/freescout/db_password",
    sshKey: "/raxx/freescout/ssh_key",
} as const;

export interface FreescoutBackupArgs {
    /** The account, region, bucket and KMS key the backup policy is scoped to. */
    readonly scope: FreescoutBackupScope;
    /** The repository whose backup workflow uses the access key. */
    readonly repository: string;
    /** The rotation of the user's access key. */
    readonly rotation: Rotation;
    /** Tags for every taggable child. Default: none. */
    readonly tags?: Record<string, string>;
    /** How the key is checked before it goes out, and both Actions secrets after. */
    readonly checks: Checks;
}

/**
 * The FreeScout backup (SPEC 4): the backup job's IAM user, its policy and
 * access key (in the repository's Actions secrets), and the two live SSM
 * parameters it reads, adopted without ever writing their values.
 */
export class FreescoutBackup extends pulumi.ComponentResource {
    public readonly backupUser: ServiceUser;
    public readonly parameters: typeof FREESCOUT_PARAMETERS = FREESCOUT_PARAMETERS;

    constructor(name: string, args: FreescoutBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:freescout:FreescoutBackup", name, {}, opts);

        this.backupUser = new ServiceUser(
            `${name}-aws`,
            {
                credential: "freescoutBackupKey",
                userName: "raxx-freescout-backup",
                policyName: "raxx-freescout-backup-policy",
                policyDescription: "FreeScout backup: its SSM parameters, its S3 bucket through KMS, Lightsail snapshots",
                policy: freescoutBackupPolicy(args.scope),
                rotation: args.rotation,
                tags: args.tags,
                checks: args.checks,
                region: args.scope.region,
            },
            { parent: this },
        );
        new GithubActionsValues(
            `${name}-github`,
            {
                repository: args.repository,
                secrets: {
                    AWS_BACKUP_ACCESS_KEY_ID: this.backupUser.accessKeyId,
                    AWS_BACKUP_SECRET_ACCESS_KEY: this.backupUser.secretAccessKey,
                },
                check: { checks: args.checks, credentials: { AWS_BACKUP_ACCESS_KEY_ID: "freescoutBackupKey", AWS_BACKUP_SECRET_ACCESS_KEY: "freescoutBackupKey" } },
            },
            { parent: this },
        );
        for (const path of Object.values(FREESCOUT_PARAMETERS)) {
            new AdoptedSecureParameter(parameterResourceName(path), { path }, { parent: this });
        }

        this.registerOutputs({ backupUserArn: this.backupUser.userArn });
    }
}
