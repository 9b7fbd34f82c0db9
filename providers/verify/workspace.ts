// What the Directory API shows of the send-only no-reply user: that it exists, is suspended
// (nobody signs in, no mail reaches it) and holds no admin role. No Google API returns a
// password, so this is all a check can learn of the place its password was written.
import * as workspace from "../google-workspace/client";
import { maskSecrets } from "../http";
import { CHECK_FAILED, CheckContext, checkFailed } from "./check";

/** Passes when `primaryEmail` is a suspended user without admin rights; answers what it proved. */
export async function verifyWorkspaceUser(ctx: CheckContext, settings: workspace.WorkspaceSettings, primaryEmail: string): Promise<string> {
    let user: workspace.WorkspaceUser | undefined;
    try {
        user = await workspace.getWorkspaceUser(settings, primaryEmail);
    } catch (e) {
        // The client's message names the request and says what to do; the check's subject goes in front.
        throw Object.assign(new Error(maskSecrets(`${ctx.subject}: ${(e as Error).message}`, ctx.secrets)), { name: CHECK_FAILED });
    }
    if (user === undefined) {
        throw checkFailed(ctx, `there is no user ${primaryEmail}`, "Something deleted it after the write: run `pulumi refresh`, then `pulumi up`.");
    }
    if (!user.suspended) {
        throw checkFailed(ctx, `${primaryEmail} is not suspended, so anyone with its password could sign in and it takes mail`, "Someone restored it by hand: run `pulumi up` to suspend it again.");
    }
    if (user.isAdmin) {
        throw checkFailed(ctx, `${primaryEmail} holds an admin role`, "A send-only identity needs none: remove the role in the Admin console, then run `pulumi up`.");
    }
    return `${primaryEmail} exists, suspended (no sign-in, no mail) and holds no admin role`;
}
