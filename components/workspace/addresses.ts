// SPEC 9: ops@, billing@ and no-reply@ on the mail domain, in Google Workspace. See
// docs/workspace.md for the service account, the preconditions and the choice of forms.
import * as pulumi from "@pulumi/pulumi";
import { WorkspaceConfig } from "../../config";
import { DomainCheck, Group, Member, MemberRole, User } from "../../providers/google-workspace";
import { RotatingPassword } from "../random/rotatingPassword";
import { Checks, checkConsumer } from "../verification";

/**
 * Groups Settings API values (https://developers.google.com/admin-sdk/groups-settings/v1/reference/groups)
 * for the Admin console's access type "Team" with Groups for Business on: only owners and
 * managers add members; anyone in the organisation can post, see the members and read the
 * archive; owners and managers manage members; nobody outside the organisation is a member.
 */
export const TEAM_ACCESS: Readonly<Record<string, string>> = {
    whoCanJoin: "INVITED_CAN_JOIN",
    whoCanPostMessage: "ALL_IN_DOMAIN_CAN_POST",
    whoCanViewMembership: "ALL_IN_DOMAIN_CAN_VIEW",
    whoCanViewGroup: "ALL_IN_DOMAIN_CAN_VIEW",
    whoCanModerateMembers: "OWNERS_AND_MANAGERS",
    allowExternalMembers: "false",
};

/**
 * A group that takes no mail from anyone. `archiveOnly` is the Groups Settings API's way:
 * "New messages to this group are rejected", and it sets whoCanPostMessage to NONE_CAN_POST
 * itself (setting NONE_CAN_POST without it is refused). The sender is sent `notice`, if
 * Google sends deny notices for an archived group's refusals (docs/workspace.md). Only its
 * managers see it; it is not in the directory.
 */
export function refusesAllMail(notice: string): Readonly<Record<string, string>> {
    return {
        archiveOnly: "true",
        sendMessageDenyNotification: "true",
        defaultMessageDenyNotificationText: notice,
        allowWebPosting: "false",
        whoCanJoin: "INVITED_CAN_JOIN",
        whoCanViewMembership: "ALL_MANAGERS_CAN_VIEW",
        whoCanViewGroup: "ALL_MANAGERS_CAN_VIEW",
        includeInGlobalAddressList: "false",
        allowExternalMembers: "false",
    };
}

/** What every address's description says, so the Admin console tells whoever looks where it is declared. */
const MANAGED = "Declared by the raxx-platform Pulumi stack (prod); change it there, not here.";

export interface WorkspaceAddressesArgs {
    readonly workspace: WorkspaceConfig;
    /** Whether the stack declares the DKIM record google._domainkey of the domain (a precondition). */
    readonly dkimDeclared: boolean;
    /** What declares the mail records: the precondition check runs after it. */
    readonly mailDns: pulumi.Resource;
    readonly checks: Checks;
}

/** One address: its group (or user), and its members by email. */
interface Address {
    readonly local: string;
    readonly name: string;
    readonly description: string;
    readonly settings: Readonly<Record<string, string>>;
    readonly members: ReadonlyArray<{ readonly email: string; readonly role: MemberRole }>;
}

/**
 * The Workspace addresses: a check of the domain's preconditions, which everything else waits
 * for; ops@ and billing@ as groups of access type Team; and no-reply@ as a group that refuses
 * all mail, or a suspended user whose password the stack issues and nobody holds.
 */
export class WorkspaceAddresses extends pulumi.ComponentResource {
    public readonly preconditions: DomainCheck;
    /** Each group by its local part (`ops`, `billing`, and `no-reply` in the group form). */
    public readonly groups: Record<string, Group> = {};
    /** The no-reply user, in the user form. */
    public readonly noReplyUser: User | undefined;

    constructor(name: string, args: WorkspaceAddressesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:workspace:Addresses", name, { domain: args.workspace.domain }, opts);
        const w = args.workspace;
        const at = (local: string) => `${local}@${w.domain}`;
        this.preconditions = new DomainCheck(`${name}-preconditions`, { domain: w.domain, dkimDeclared: args.dkimDeclared }, { parent: this, dependsOn: [args.mailDns] });
        // Groups and the user hold mail and history: removing one from the code takes an explicit
        // unprotect, and even then leaves it in Google (deleting an address is an Admin console step).
        // A create adopts what has the address, so a renamed resource must never delete what its
        // successor took over.
        const after: pulumi.CustomResourceOptions = { parent: this, dependsOn: [this.preconditions], protect: true, retainOnDelete: true };

        const owner = { email: w.owner, role: "OWNER" as const };
        const addresses: Address[] = [
            {
                local: "ops",
                name: "Raxx Ops",
                description: `Raxx operations. ${MANAGED}`,
                settings: TEAM_ACCESS,
                members: [owner, ...w.members.ops.map((email) => ({ email, role: "MEMBER" as const }))],
            },
            {
                local: "billing",
                name: "Raxx Billing",
                description: `Raxx billing. ${MANAGED}`,
                settings: TEAM_ACCESS,
                members: [owner, ...w.members.billing.map((email) => ({ email, role: "MEMBER" as const }))],
            },
        ];
        if (w.noReply.form === "group") {
            addresses.push({
                local: "no-reply",
                name: "No Reply Raxx",
                description: `Send-only sender identity: outbound mail goes through Postmark; nothing is received here. ${MANAGED}`,
                // The session's words for a reply to no-reply@ (docs/session-2026-05-06.md, SPEC 9).
                settings: refusesAllMail(`This address does not accept replies. For support, email ${at("support")}.`),
                members: [owner],
            });
        }
        for (const a of addresses) {
            const group = new Group(
                `${name}-${a.local}`,
                {
                    email: at(a.local),
                    name: a.name,
                    description: a.description,
                    settings: a.settings,
                    declaredMembers: a.members.map((m) => m.email),
                },
                after,
            );
            this.groups[a.local] = group;
            for (const m of a.members) {
                new Member(`${name}-${a.local}-member-${m.email}`, { group: group.email, email: m.email, role: m.role }, { parent: this });
            }
        }

        if (w.noReply.form === "user") {
            const credential = "workspaceNoReplyPassword";
            const password = new RotatingPassword(`${name}-no-reply-password`, { credential, rotation: w.noReply.rotation, checks: args.checks }, { parent: this });
            const primaryEmail = at("no-reply");
            // Suspended: nobody signs in with the password, and mail to the address is refused.
            this.noReplyUser = new User(
                `${name}-no-reply-user`,
                { primaryEmail, givenName: "No Reply", familyName: "Raxx", password: password.password, suspended: true },
                after,
            );
            checkConsumer(
                `${name}-no-reply-user-check`,
                { credential, consumer: `workspace user ${primaryEmail}`, kind: "workspaceUser", checks: args.checks, value: password.password, where: { primaryEmail } },
                this.noReplyUser,
                this,
            );
        }
        this.registerOutputs({});
    }
}
