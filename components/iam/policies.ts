// The IAM policy documents of the stack's service users, as plain data, so a
// test can compare them statement by statement.

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export interface AccountScope {
    /** The 12-digit AWS account id. */
    readonly accountId: string;
    /** The AWS region, for example `us-east-1`. */
    readonly region: string;
}

/**
 * Read-only billing access for the billing collector (SPEC 2 in docs/session-2026-05-06.md): Cost Explorer
 * reads, the Billing console's read actions (the `billing:` actions of the
 * AWS-managed AWSBillingReadOnlyAccess), budgets and report definitions.
 */
export function billingReadonlyPolicy(scope: AccountScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CostExplorerRead",
                Effect: "Allow",
                Action: ["ce:Get*", "ce:Describe*", "ce:List*"],
                // Cost and usage queries have no resource type in IAM.
                Resource: "*",
            },
            {
                Sid: "BillingRead",
                Effect: "Allow",
                Action: [
                    "billing:GetBillingData",
                    "billing:GetBillingDetails",
                    "billing:GetBillingNotifications",
                    "billing:GetBillingPreferences",
                    "billing:GetContractInformation",
                    "billing:GetCredits",
                    "billing:GetIAMAccessPreference",
                    "billing:GetSellerOfRecord",
                    "billing:ListBillingViews",
                ],
                // These billing actions have no resource type in IAM.
                Resource: "*",
            },
            {
                Sid: "BudgetsView",
                Effect: "Allow",
                Action: ["budgets:ViewBudget"],
                Resource: `arn:aws:budgets::${scope.accountId}:budget/*`,
            },
            {
                Sid: "ReportDefinitionsRead",
                Effect: "Allow",
                Action: ["cur:DescribeReportDefinitions"],
                // DescribeReportDefinitions has no resource type in IAM.
                Resource: "*",
            },
        ],
    };
}

export interface FreescoutBackupScope extends AccountScope {
    /** The backup bucket's name. */
    readonly bucket: string;
    /** The bucket's KMS key; undefined allows every key of the account in the region (still only through S3). */
    readonly kmsKeyArn: string | undefined;
}

/**
 * What the FreeScout backup job needs (SPEC 4 in docs/session-2026-05-06.md): read its SSM parameters,
 * write and prune objects in its bucket, use the bucket's KMS key through S3,
 * and manage Lightsail instance snapshots.
 */
export function freescoutBackupPolicy(scope: FreescoutBackupScope): PolicyDocument {
    const { accountId, region, bucket } = scope;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadFreescoutParameters",
                Effect: "Allow",
                Action: ["ssm:GetParameter"],
                // SecureString decryption needs no kms: grant here: the AWS-managed aws/ssm key
                // allows its use through SSM to every principal of the account.
                Resource: `arn:aws:ssm:${region}:${accountId}:parameter/raxx/freescout/*`,
            },
            {
                Sid: "BackupObjects",
                Effect: "Allow",
                // HeadObject is authorised by s3:GetObject; there is no s3:HeadObject action.
                Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                Resource: `arn:aws:s3:::${bucket}/*`,
            },
            {
                Sid: "BackupBucket",
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:CreateBucket"],
                Resource: `arn:aws:s3:::${bucket}`,
            },
            {
                Sid: "BucketKeyThroughS3",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
                Resource: scope.kmsKeyArn ?? `arn:aws:kms:${region}:${accountId}:key/*`,
                Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
            },
            {
                Sid: "LightsailSnapshots",
                Effect: "Allow",
                Action: ["lightsail:CreateInstanceSnapshot", "lightsail:GetInstanceSnapshots", "lightsail:DeleteInstanceSnapshot"],
                // GetInstanceSnapshots has no resource type in IAM, and Lightsail ARNs carry
                // generated ids rather than names, so the region condition is the scope.
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestedRegion": region } },
            },
        ],
    };
}
