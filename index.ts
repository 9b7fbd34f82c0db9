// raxx-platform: Raxx's credentials, secrets and mail DNS. See README.md.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BillingReadonly } from "./components/billing";
import { FreescoutBackup } from "./components/freescout";
import { loadConfig } from "./config";

const config = loadConfig();
const tags = { "managed-by": `pulumi/raxx-platform/${pulumi.getStack()}` };

// Account-wide resources belong to exactly one stack (production); see the README's ownership table.
const account = config.ownsAccountResources ? defineAccountResources() : undefined;

function defineAccountResources() {
    // The provider refuses credentials for any account but the stack's own.
    const provider = new aws.Provider("aws", {
        region: config.aws.region as aws.Region,
        allowedAccountIds: [config.aws.accountId],
    });
    const billing = new BillingReadonly(
        "billing-readonly",
        { scope: config.aws, rotation: config.rotation.awsBillingKey!, tags },
        { providers: [provider] },
    );
    const freescout = new FreescoutBackup(
        "freescout-backup",
        { scope: { ...config.aws, ...config.freescoutBackup }, rotation: config.rotation.freescoutBackupKey!, tags },
        { providers: [provider] },
    );
    return { billing, freescout };
}

export const environment = config.environment;
export const iamUsers = account ? [account.billing.awsUser.userArn, account.freescout.backupUser.userArn] : [];
export const ssmParameters = account
    ? [...Object.values(account.billing.parameters), ...Object.values(account.freescout.parameters)]
    : [];
