import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

export const BILLING_READ_PERMISSION_GROUP = "Billing Read";
const ACCOUNT_SCOPE = "com.cloudflare.api.account";

/**
 * The id of Cloudflare's "Billing Read" permission group: the configured id,
 * or the one account-scoped group of that exact name. Never a guessed constant.
 */
export function billingReadPermissionGroupId(configured: string | undefined, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    if (configured !== undefined) return pulumi.output(configured);
    // The plain name: the provider encodes the query itself (cloudflare-go's url.Values.Encode),
    // so an encoded name would reach Cloudflare as "Billing%20Read" and match nothing. The
    // provider's docs example ("Account%20Settings%20Write") is encoded; its acceptance test is not.
    return cloudflare
        .getApiTokenPermissionGroupsListOutput({ name: BILLING_READ_PERMISSION_GROUP, scope: ACCOUNT_SCOPE }, opts)
        .apply((list) => {
            const found = list.results.filter((g) => g.name === BILLING_READ_PERMISSION_GROUP && g.scopes.includes(ACCOUNT_SCOPE));
            if (found.length !== 1) {
                throw new Error(
                    `Cloudflare lists ${found.length} account permission groups named "${BILLING_READ_PERMISSION_GROUP}", not one; ` +
                        "set raxx-platform:cloudflareBillingReadPermissionGroupId to the right id",
                );
            }
            return found[0].id;
        });
}

/** The Cloudflare account: the configured id, or the account that owns `zoneId`. */
export function zoneAccountId(configured: string | undefined, zoneId: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    if (configured !== undefined) return pulumi.output(configured);
    return cloudflare.getZoneOutput({ zoneId }, opts).apply((zone) => zone.account.id);
}
