// One membership of a Google Group, as a Pulumi dynamic resource. Its id is `<group>/<email>`.
//
//   check   → local validation only (group, email, role)
//   diff    → group or email replaces (another membership; the new one first); role is an update
//   create  → insert {email, role}; 409 → GET it and adopt it, PATCHing the role if it differs
//   read    → GET the membership (404: gone)
//   update  → PATCH the role
//   delete  → DELETE the membership (404: already gone)
//
// Directory API (https://developers.google.com/admin-sdk/directory/reference/rest/v1/members),
// scope admin.directory.group.member:
//   POST   groups/{groupKey}/members              {email, role} → 409 "Member already exists." when it is one
//   GET    groups/{groupKey}/members/{memberKey}
//   PATCH  groups/{groupKey}/members/{memberKey}  {role}
//   DELETE groups/{groupKey}/members/{memberKey}
import * as pulumi from "@pulumi/pulumi";

import { codeChanged } from "../http";
import { RUN_AGAIN, SCOPES, Session, callApi, isConflict, isNotFound, isOutcomeUnknown, workspaceError } from "./client";
import { failures, WorkspaceProvider, lowerEmail, pick } from "./base";
import { BundledResource } from "../bundle";

export type MemberRole = "OWNER" | "MANAGER" | "MEMBER";
export const MEMBER_ROLES: readonly MemberRole[] = ["OWNER", "MANAGER", "MEMBER"];

/** Inputs after `check`. */
export interface MemberInputs {
    /** The group's address, lowercase. */
    readonly group: string;
    /** The member's address, lowercase. */
    readonly email: string;
    readonly role: MemberRole;
}

/** State. */
export interface MemberOutputs extends MemberInputs {
    /** True when the membership existed before the stack (the insert answered 409). */
    readonly adopted: boolean;
}

/** The resource id: `<group>/<email>`. */
export function memberId(x: { group: string; email: string }): string {
    return `${x.group}/${x.email}`;
}

const SCOPE_LIST = [SCOPES.groupMember];
/** A delete also reads the group, to tell a renamed group (see delete) from its old address. */
const DELETE_SCOPE_LIST = [SCOPES.groupMember, SCOPES.groupReadonly];
/** What a refresh reads with: the read-only environments' service account is delegated this. */
const READ_SCOPE_LIST = [SCOPES.groupMemberReadonly];

/** CRUD for `pulumi-nodejs:dynamic/google-workspace:Member`. Exported for tests; use `Member`. */
export class MemberProvider extends WorkspaceProvider implements pulumi.dynamic.ResourceProvider<MemberInputs, MemberOutputs> {
    async check(_olds: MemberInputs, news: MemberInputs): Promise<pulumi.dynamic.CheckResult<MemberInputs>> {
        const raw = { ...(news as unknown as Record<string, unknown>) };
        raw.group = lowerEmail(raw.group);
        raw.email = lowerEmail(raw.email);
        raw.role ??= "MEMBER";
        const f = failures(raw);
        f.email("group", "ops@raxx.app");
        f.email("email", "kris@raxx.app");
        f.expect("role", (v) => MEMBER_ROLES.includes(v as MemberRole), `role must be one of ${MEMBER_ROLES.join(", ")}`);
        return { inputs: pick<MemberInputs>(raw, ["group", "email", "role"]), failures: f.list };
    }

    async diff(_id: pulumi.ID, olds: MemberOutputs, news: MemberInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = (["group", "email"] as const).filter((k) => olds[k] !== news[k]);
        const changes = replaces.length > 0 || olds.role !== news.role || codeChanged(olds, news);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: MemberInputs): Promise<pulumi.dynamic.CreateResult<MemberOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        let adopted = false;
        let role: string | undefined;
        try {
            role = await insertMember(session, inputs);
        } catch (e) {
            if (!isConflict(e) && !isOutcomeUnknown(e)) throw e;
            // A member already (409), or an insert whose reply was lost: look it up instead of sending it again.
            role = await getRole(session, inputs);
            if (role === undefined) throw e;
            adopted = isConflict(e);
        }
        if (role !== inputs.role) await patchRole(session, inputs);
        return { id: memberId(inputs), outs: { ...inputs, adopted } };
    }

    async read(id: pulumi.ID, props?: MemberOutputs): Promise<pulumi.dynamic.ReadResult<MemberOutputs>> {
        // An import: the provider host always passes properties (at least __provider), so state is known by its addresses, not by props being there.
        const where = typeof props?.group === "string" && typeof props.email === "string" ? props : parseId(id);
        const role = await getRole(this.openWith(READ_SCOPE_LIST), where);
        if (role === undefined) return {}; // removed outside Pulumi: the engine forgets it
        return { id, props: { adopted: false, ...props, group: where.group, email: where.email, role: role as MemberRole } };
    }

    async update(_id: pulumi.ID, olds: MemberOutputs, news: MemberInputs): Promise<pulumi.dynamic.UpdateResult<MemberOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        if (olds.role !== news.role) {
            try {
                await patchRole(session, news);
            } catch (e) {
                if (!isNotFound(e)) throw e;
                throw workspaceError(
                    `${news.email} is no longer a member of ${news.group}: it was removed outside Pulumi. Run \`pulumi refresh\`, which drops it from the state, then \`pulumi up\` to add it again.`,
                    { method: "PATCH", path: memberPath(news), status: 404 },
                );
            }
        }
        return { outs: { ...news, adopted: olds.adopted === true } };
    }

    async delete(_id: pulumi.ID, props: MemberOutputs): Promise<void> {
        const session = this.openWith(DELETE_SCOPE_LIST);
        // A group renamed by its Group resource keeps its old address as an alias, and the Member of
        // the new address (made first: a replace creates before it deletes) adopted this same
        // membership. Deleting by the old address would remove it: leave it to that Member.
        const current = await groupAddress(session, props.group);
        if (current === undefined) return; // the group is gone, and its members with it
        if (current !== props.group) return;
        try {
            await callApi(session, {
                api: "Directory API",
                method: "DELETE",
                path: memberPath(props),
                send: (apis) => apis.directory.members.delete({ groupKey: props.group, memberKey: props.email }),
            });
        } catch (e) {
            if (isNotFound(e)) return; // already gone, or the group is
            throw e;
        }
    }
}

function memberPath(x: { group: string; email: string }): string {
    return `groups/${x.group}/members/${x.email}`;
}

/** `<group>/<email>` (an import id) as its parts. */
function parseId(id: string): { group: string; email: string } {
    const at = id.indexOf("/");
    if (at <= 0) throw new Error(`Google group member ${id}: the id must be "<group email>/<member email>" (e.g. "ops@raxx.app/kris@raxx.app").`);
    return { group: id.slice(0, at).toLowerCase(), email: id.slice(at + 1).toLowerCase() };
}

/** The group's address now (lowercase), by any of its addresses; undefined when there is no such group. */
async function groupAddress(session: Session, groupKey: string): Promise<string | undefined> {
    try {
        const got = await callApi(session, { api: "Directory API", method: "GET", path: `groups/${groupKey}`, send: (apis) => apis.directory.groups.get({ groupKey }) });
        return typeof got.email === "string" ? got.email.toLowerCase() : undefined;
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** Inserts the membership; resolves with the role Google recorded. */
async function insertMember(session: Session, m: MemberInputs): Promise<string | undefined> {
    const made = await callApi(session, {
        api: "Directory API",
        method: "POST",
        path: `groups/${m.group}/members`,
        retryable: false,
        // Its group may have been made a moment ago, in the same up: Google answers 404 for it for a few seconds.
        fresh: true,
        unknownOutcomeHint: `The insert of ${m.email} into ${m.group} may or may not have been applied: ${RUN_AGAIN} (a create adopts the membership if it is there).`,
        send: (apis) => apis.directory.members.insert({ groupKey: m.group, requestBody: { email: m.email, role: m.role } }),
    });
    return made.role ?? undefined;
}

/** The member's role, or undefined when it is not a member (or the group is gone). */
async function getRole(session: Session, m: { group: string; email: string }): Promise<string | undefined> {
    try {
        const got = await callApi(session, {
            api: "Directory API",
            method: "GET",
            path: memberPath(m),
            send: (apis) => apis.directory.members.get({ groupKey: m.group, memberKey: m.email }),
        });
        return got.role ?? "MEMBER";
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

async function patchRole(session: Session, m: MemberInputs): Promise<void> {
    await callApi(session, {
        api: "Directory API",
        method: "PATCH",
        path: memberPath(m),
        send: (apis) => apis.directory.members.patch({ groupKey: m.group, memberKey: m.email, requestBody: { role: m.role } }),
    });
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const memberProvider = /* @__PURE__ */ new MemberProvider();

export interface MemberArgs {
    /** The group's address, e.g. "ops@raxx.app". Required; a change replaces the membership. */
    readonly group: pulumi.Input<string>;
    /** The member's address. Required; a change replaces the membership. */
    readonly email: pulumi.Input<string>;
    /** OWNER, MANAGER or MEMBER. Default MEMBER; a change is an update. */
    readonly role?: pulumi.Input<MemberRole>;
}

/** One member of a Google Group. An existing membership is adopted, its role set. */
export class Member extends BundledResource {
    declare readonly group: pulumi.Output<string>;
    declare readonly email: pulumi.Output<string>;
    declare readonly role: pulumi.Output<MemberRole>;
    /** Whether the membership existed before the stack. */
    declare readonly adopted: pulumi.Output<boolean>;

    constructor(name: string, args: MemberArgs, opts?: pulumi.CustomResourceOptions) {
        super(module, "memberProvider", name, { group: args.group, email: args.email, role: args.role ?? "MEMBER", adopted: undefined }, opts, "google-workspace", "Member");
    }
}
