// A Google Group, as a Pulumi dynamic resource: its address, name, description, the settings
// the stack declares, and a report (or removal) of the members the stack does not declare.
//
//   check   → local validation only (email, name, description, settings, declaredMembers, undeclaredMembers)
//   diff    → any change of input, or new provider code, is an update: never a replacement
//             (an email change renames the group in place; a group is never deleted and re-made)
//   create  → GET the group by email; 404 → insert it (409 → adopt it); found → adopt it:
//             name and description set if they differ; then the declared settings PATCHed (only
//             keys that differ, the old values of an adopted group kept in previousSettings);
//             then the members listed: undeclared reported, or removed with undeclaredMembers "remove"
//   read    → GET the group by id (404: gone), its declared settings, all members: drift shows
//             in name, description, settings and `undeclared`
//   update  → GET by id; PATCH email, name and description where they differ; settings and members as in create
//   delete  → DELETE the group by id (404: already gone)
//
// Directory API (https://developers.google.com/admin-sdk/directory/reference/rest/v1/groups and
// members), scope admin.directory.group:
//   GET    groups/{groupKey}                  groupKey: the id, the email or an alias
//   POST   groups                             {email, name, description} → 409 "Entity already exists." when the address is taken
//   PATCH  groups/{groupKey}                  {email?, name?, description?}
//   DELETE groups/{groupKey}
//   GET    groups/{groupKey}/members?pageToken → {members: [{email, role, type, id}], nextPageToken}
//   DELETE groups/{groupKey}/members/{memberKey}
// Groups Settings API (./groupsSettings), scope apps.groups.settings: GET and PATCH groups/{email}.
import * as pulumi from "@pulumi/pulumi";

import { UNKNOWN, codeChanged, sameSet } from "../http";
import { EMAIL, RUN_AGAIN, SCOPES, Session, callApi, isConflict, isNotFound, isOutcomeUnknown, workspaceError } from "./client";
import { failures, WorkspaceProvider, lowerEmail, pick, sameRecord } from "./base";
import type { GroupSettings } from "./groupsSettings";
import { BundledResource } from "../bundle";

/** What to do with members Google has that the stack does not declare. */
export type UndeclaredMembers = "keep" | "remove";
export const UNDECLARED_MEMBERS: readonly UndeclaredMembers[] = ["keep", "remove"];

/** Settings that are not settings: the group's own fields, set through name and description, or read-only. */
export const NOT_SETTINGS: readonly string[] = ["kind", "email", "name", "description"];
/** A Groups Settings API field name (whoCanPostMessage, allowExternalMembers, ...). */
export const SETTING_NAME = /^[a-z][A-Za-z]*$/;
/** Google's limit on a group's description (Directory API groups reference). */
export const MAX_DESCRIPTION_LENGTH = 4096;

/** Inputs after `check`. */
export interface GroupInputs {
    /** The group's address, lowercase. */
    readonly email: string;
    readonly name: string;
    /** "" for none. */
    readonly description: string;
    /** Groups Settings API fields and their string values ("true", "ALL_MEMBERS_CAN_POST"). */
    readonly settings: Record<string, string>;
    /** The member addresses the stack declares (as Member resources), lowercase. */
    readonly declaredMembers: string[];
    readonly undeclaredMembers: UndeclaredMembers;
}

/** State. */
export interface GroupOutputs extends GroupInputs {
    /** The group's immutable id; also the resource id. */
    readonly groupId: string;
    /** True when the group existed before the stack (found by create, or taken by another insert first). */
    readonly adopted: boolean;
    /** For an adopted group, what the settings the stack changed were before, to restore them by hand; {} otherwise. */
    readonly previousSettings: Record<string, string>;
    /** Members Google has that declaredMembers does not name, lowercase, sorted. */
    readonly undeclared: string[];
}

interface RemoteGroup {
    id: string;
    email: string;
    name: string;
    description: string;
}

const SCOPE_LIST = [SCOPES.group, SCOPES.groupsSettings];
/** What a refresh reads with: the read-only environments' service account is delegated these (the Groups Settings API has no read-only scope). */
const READ_SCOPE_LIST = [SCOPES.groupReadonly, SCOPES.groupsSettings];

/** CRUD for `pulumi-nodejs:dynamic/google-workspace:Group`. Exported for tests; use `Group`. */
export class GroupProvider extends WorkspaceProvider implements pulumi.dynamic.ResourceProvider<GroupInputs, GroupOutputs> {
    async check(_olds: GroupInputs, news: GroupInputs): Promise<pulumi.dynamic.CheckResult<GroupInputs>> {
        const raw = { ...(news as unknown as Record<string, unknown>) };
        raw.email = lowerEmail(raw.email);
        raw.description ??= "";
        raw.settings ??= {};
        raw.declaredMembers ??= [];
        raw.undeclaredMembers ??= "keep";
        if (Array.isArray(raw.declaredMembers)) raw.declaredMembers = [...new Set(raw.declaredMembers.map(lowerEmail))];
        const f = failures(raw);
        f.email("email", "ops@raxx.app");
        f.expect(
            "name",
            (v) => typeof v === "string" && v.trim() !== "",
            'name must be the group\'s display name, not empty (e.g. "Raxx Ops")',
        );
        f.expect("description", (v) => typeof v === "string" && v.length <= MAX_DESCRIPTION_LENGTH, `description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters ("" for none)`);
        f.expect(
            "settings",
            (v) => typeof v === "object" && v !== null && !Array.isArray(v),
            'settings must be an object of Groups Settings API fields to string values (e.g. { whoCanPostMessage: "ALL_MEMBERS_CAN_POST", allowExternalMembers: "false" })',
        );
        const settings = raw.settings;
        if (typeof settings === "object" && settings !== null && !Array.isArray(settings)) {
            for (const [k, v] of Object.entries(settings as Record<string, unknown>)) {
                if (!SETTING_NAME.test(k) || NOT_SETTINGS.includes(k)) {
                    f.list.push({
                        property: "settings",
                        reason: `settings.${k} is not a Groups Settings API field the stack can set${NOT_SETTINGS.includes(k) ? " (set the group's email, name and description through their own inputs)" : ""}`,
                    });
                } else if (v !== UNKNOWN && typeof v !== "string") {
                    f.list.push({ property: "settings", reason: `settings.${k} must be a string, as the Groups Settings API has every value (e.g. "true", not true)` });
                }
            }
        }
        f.expect(
            "declaredMembers",
            (v) => Array.isArray(v) && v.every((m) => m === UNKNOWN || (typeof m === "string" && EMAIL.test(m))),
            'declaredMembers must be the list of member addresses the stack declares (e.g. ["kris@raxx.app"])',
        );
        f.expect("undeclaredMembers", (v) => UNDECLARED_MEMBERS.includes(v as UndeclaredMembers), 'undeclaredMembers must be "keep" (report them) or "remove" (delete them from the group)');
        return { inputs: pick<GroupInputs>(raw, ["email", "name", "description", "settings", "declaredMembers", "undeclaredMembers"]), failures: f.list };
    }

    async diff(_id: pulumi.ID, olds: GroupOutputs, news: GroupInputs): Promise<pulumi.dynamic.DiffResult> {
        let changes = olds.email !== news.email || olds.name !== news.name || (olds.description ?? "") !== news.description;
        changes ||= !sameRecord(olds.settings, news.settings) || !sameSet(olds.declaredMembers, news.declaredMembers) || olds.undeclaredMembers !== news.undeclaredMembers;
        // A refresh found members nobody declared: "remove" deletes them; "keep" leaves them, and the
        // group shows as an update (drift) until they are declared or removed by hand.
        changes ||= (olds.undeclared ?? []).length > 0;
        changes ||= codeChanged(olds, news);
        return { changes, replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: GroupInputs): Promise<pulumi.dynamic.CreateResult<GroupOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        let group = await findGroup(session, inputs.email);
        let adopted = group !== undefined;
        // Made (or found made) by this create a moment ago: Google may not know it everywhere yet.
        let fresh = false;
        if (group === undefined) {
            try {
                group = await insertGroup(session, inputs);
                fresh = true;
            } catch (e) {
                if (isConflict(e)) {
                    // Taken between the GET and the insert: adopt it, if a group has the address.
                    group = await findGroup(session, inputs.email);
                    if (group === undefined) throw takenByAnother(inputs.email, e);
                    adopted = true;
                } else if (isOutcomeUnknown(e)) {
                    // Not sent again: look whether it was made.
                    group = await findGroup(session, inputs.email);
                    if (group === undefined) throw e;
                    fresh = true;
                } else {
                    throw e;
                }
            }
        }
        // Google finds a group by any of its addresses: one found by an alias is another group.
        if (group.email.toLowerCase() !== inputs.email) throw aliasOfAnother(inputs.email, group.email);
        // From here on the group exists: a failure is reported with its id and what was done (no
        // settings yet, or all of them, and the values they replaced), which the engine records
        // (ErrorResourceInitFailed) and finishes with an update on the next `up`. Without the id it
        // would forget the group, and the next create would adopt what this one made, or lose what
        // an adopted group's settings were.
        const outs: { -readonly [K in keyof GroupOutputs]: GroupOutputs[K] } = { ...inputs, settings: {}, groupId: group.id, adopted, previousSettings: {}, undeclared: [] };
        try {
            await setFields(session, group, inputs);
            if (Object.keys(inputs.settings).length > 0) {
                const current = await getSettings(session, inputs.email, fresh);
                // Stryker disable next-line ArrayDeclaration: a filler key can never be a setting (check allows only /^[a-z][A-Za-z]*$/), so recording it records nothing
                const planned = planSettings(current, inputs.settings, adopted ? Object.keys(inputs.settings) : [], {});
                outs.previousSettings = planned.previous;
                await patchSettings(session, inputs.email, planned.body, fresh);
            }
            outs.settings = inputs.settings;
            outs.undeclared = await reconcileMembers(session, group.id, inputs, fresh);
        } catch (e) {
            throw Object.assign(e as Error, { id: group.id, properties: outs });
        }
        return { id: group.id, outs };
    }

    async read(id: pulumi.ID, props?: GroupOutputs): Promise<pulumi.dynamic.ReadResult<GroupOutputs>> {
        if (props === undefined || typeof props.email !== "string") {
            throw new Error(
                `Google group ${id}: read needs the resource's state (its declared settings and members). Importing is not supported: ` +
                    "declare the group with its address and run `pulumi up`, which adopts it without deleting anything.",
            );
        }
        const session = this.openWith(READ_SCOPE_LIST);
        const group = await getGroupById(session, id);
        if (group === undefined) return {}; // deleted outside Pulumi: the engine forgets it
        const declared = Object.keys(props.settings ?? {});
        let settings: Record<string, string> = {};
        if (declared.length > 0) {
            const current = await getSettings(session, group.email);
            settings = Object.fromEntries(declared.filter((k) => typeof current[k] === "string").map((k) => [k, current[k] as string]));
        }
        const members = await listMembers(session, id);
        const undeclared = undeclaredOf(members, props.declaredMembers ?? []).map((m) => m.label);
        return { id, props: { ...props, email: group.email.toLowerCase(), name: group.name, description: group.description, settings, undeclared } };
    }

    async update(id: pulumi.ID, olds: GroupOutputs, news: GroupInputs): Promise<pulumi.dynamic.UpdateResult<GroupOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        const group = await getGroupById(session, id);
        if (group === undefined) {
            throw workspaceError(
                `Google group ${olds.email} (id ${id}) no longer exists: it was deleted outside Pulumi. Run \`pulumi refresh\`, which drops it from the state, then \`pulumi up\` to make it again.`,
                { method: "GET", path: `groups/${id}`, status: 404 },
            );
        }
        // A rename: the new address may take Google a moment to resolve everywhere.
        const renamed = group.email.toLowerCase() !== news.email;
        await setFields(session, group, news);
        // Keys the stack takes over now, on a group it adopted, have their old values recorded too.
        // Stryker disable next-line ArrayDeclaration: a filler key can never be a setting (check allows only /^[a-z][A-Za-z]*$/), so recording it records nothing
        const newlyOwned = olds.adopted ? Object.keys(news.settings).filter((k) => !(k in (olds.settings ?? {}))) : [];
        const settings = await applySettings(session, news.email, news.settings, newlyOwned, olds.previousSettings ?? {}, renamed);
        const undeclared = await reconcileMembers(session, id, news, renamed);
        return { outs: { ...news, groupId: id, adopted: olds.adopted === true, previousSettings: settings.previous, undeclared } };
    }

    async delete(id: pulumi.ID): Promise<void> {
        try {
            await callApi(this.openWith(SCOPE_LIST), { api: "Directory API", method: "DELETE", path: `groups/${id}`, send: (apis) => apis.directory.groups.delete({ groupKey: id }) });
        } catch (e) {
            if (isNotFound(e)) return; // already gone
            throw e;
        }
    }
}

function remote(g: { id?: string | null; email?: string | null; name?: string | null; description?: string | null }): RemoteGroup {
    return { id: String(g.id ?? ""), email: String(g.email ?? ""), name: String(g.name ?? ""), description: g.description ?? "" };
}

/** The group with this address, or undefined. */
async function findGroup(session: Session, email: string): Promise<RemoteGroup | undefined> {
    try {
        return remote(await callApi(session, { api: "Directory API", method: "GET", path: `groups/${email}`, send: (apis) => apis.directory.groups.get({ groupKey: email }) }));
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

async function getGroupById(session: Session, id: string): Promise<RemoteGroup | undefined> {
    return findGroup(session, id);
}

async function insertGroup(session: Session, inputs: GroupInputs): Promise<RemoteGroup> {
    const requestBody = { email: inputs.email, name: inputs.name, ...(inputs.description === "" ? {} : { description: inputs.description }) };
    return remote(
        await callApi(session, {
            api: "Directory API",
            method: "POST",
            path: "groups",
            // A second insert after a lost reply would fail 409; the create looks the group up instead.
            retryable: false,
            unknownOutcomeHint: `The insert of group ${inputs.email} may or may not have been applied: ${RUN_AGAIN} (a create adopts the group if it is there).`,
            send: (apis) => apis.directory.groups.insert({ requestBody }),
        }),
    );
}

function aliasOfAnother(email: string, primary: string): Error {
    return workspaceError(
        `Google group ${email}: Google answers for this address with the group ${primary.toLowerCase()}, whose alias it is. The stack adopts a group only by its own address, ` +
            `and never renames another group: remove the alias from ${primary.toLowerCase()} in the Admin console (Directory > Groups > the group > Group information), or declare another address, ${RUN_AGAIN}.`,
        { method: "GET", path: `groups/${email}`, status: 200 },
    );
}

function takenByAnother(email: string, cause: unknown): Error {
    const c = cause as { summary?: string; attempts?: number };
    return workspaceError(
        `${c.summary ?? `Directory API POST groups failed: 409.`} ${email} is taken, but not by a group: a user, or an alias of a user or group, has it. ` +
            `Choose another address, or free this one in the Admin console, ${RUN_AGAIN}.`,
        { method: "POST", path: "groups", status: 409, attempts: c.attempts, reason: "duplicate" },
    );
}

/** PATCHes the group's address, name and description where Google's differ from `want`. */
async function setFields(session: Session, group: RemoteGroup, want: GroupInputs): Promise<void> {
    const body: Record<string, string> = {};
    if (group.email.toLowerCase() !== want.email) body.email = want.email;
    if (group.name !== want.name) body.name = want.name;
    if (group.description !== want.description) body.description = want.description;
    if (Object.keys(body).length === 0) return;
    await callApi(session, { api: "Directory API", method: "PATCH", path: `groups/${group.id}`, send: (apis) => apis.directory.groups.patch({ groupKey: group.id, requestBody: body }) });
}

async function getSettings(session: Session, email: string, fresh = false): Promise<GroupSettings> {
    const s = await callApi(session, { api: "Groups Settings API", method: "GET", path: `groups/${email}`, fresh, send: (apis) => apis.groupsSettings.groups.get({ groupUniqueId: email }) });
    if (typeof s !== "object" || s === null) {
        throw workspaceError(
            `Groups Settings API GET groups/${email} answered something that is not the group's settings in JSON: something other than Google answered. ${RUN_AGAIN[0].toUpperCase()}${RUN_AGAIN.slice(1)}.`,
            { method: "GET", path: `groups/${email}`, status: 200 },
        );
    }
    return s;
}

/**
 * What a settings PATCH must send (the declared settings whose values differ from `current`),
 * and `previous`: `recorded` plus, for each key of `record` that the PATCH changes, the value it
 * had, which an operator restores.
 */
function planSettings(
    current: GroupSettings,
    want: Record<string, string>,
    record: readonly string[],
    recorded: Record<string, string>,
): { body: Record<string, string>; previous: Record<string, string> } {
    const changed = Object.keys(want).filter((k) => current[k] !== want[k]);
    const previous = { ...recorded };
    for (const k of changed) if (record.includes(k) && !(k in previous) && typeof current[k] === "string") previous[k] = current[k] as string;
    return { body: Object.fromEntries(changed.map((k) => [k, want[k]])), previous };
}

/** PATCHes `body`; no call when it is empty. */
async function patchSettings(session: Session, email: string, body: Record<string, string>, fresh: boolean): Promise<void> {
    if (Object.keys(body).length === 0) return;
    await callApi(session, {
        api: "Groups Settings API",
        method: "PATCH",
        path: `groups/${email}`,
        fresh,
        send: (apis) => apis.groupsSettings.groups.patch({ groupUniqueId: email, requestBody: body }),
    });
}

/** Reads the settings (none when none are declared), then PATCHes those that differ; see planSettings for `previous`. */
async function applySettings(
    session: Session,
    email: string,
    want: Record<string, string>,
    record: readonly string[],
    recorded: Record<string, string>,
    fresh = false,
): Promise<{ previous: Record<string, string> }> {
    if (Object.keys(want).length === 0) return { previous: { ...recorded } };
    const planned = planSettings(await getSettings(session, email, fresh), want, record, recorded);
    await patchSettings(session, email, planned.body, fresh);
    return { previous: planned.previous };
}

interface RemoteMember {
    /** The member's address, lowercase; the id for a member without one (the whole customer). */
    label: string;
    key: string;
}

/** Every member of the group, all pages. */
async function listMembers(session: Session, groupId: string, fresh = false): Promise<RemoteMember[]> {
    const members: RemoteMember[] = [];
    let pageToken: string | undefined;
    do {
        const token = pageToken;
        const page = await callApi(session, {
            api: "Directory API",
            method: "GET",
            path: `groups/${groupId}/members`,
            fresh,
            send: (apis) => apis.directory.members.list({ groupKey: groupId, maxResults: 200, ...(token === undefined ? {} : { pageToken: token }) }),
        });
        for (const m of page.members ?? []) {
            const key = m.email ?? m.id ?? "";
            if (key !== "") members.push({ label: key.toLowerCase(), key });
        }
        pageToken = page.nextPageToken ?? undefined;
    } while (pageToken !== undefined && pageToken !== "");
    return members;
}

function undeclaredOf(members: readonly RemoteMember[], declared: readonly string[]): RemoteMember[] {
    const known = new Set(declared.map((d) => d.toLowerCase()));
    return members.filter((m) => !known.has(m.label)).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The undeclared members, after removing them when `undeclaredMembers` is "remove" (then none). */
async function reconcileMembers(session: Session, groupId: string, want: GroupInputs, fresh = false): Promise<string[]> {
    const undeclared = undeclaredOf(await listMembers(session, groupId, fresh), want.declaredMembers);
    if (want.undeclaredMembers !== "remove") return undeclared.map((m) => m.label);
    for (const m of undeclared) {
        try {
            await callApi(session, {
                api: "Directory API",
                method: "DELETE",
                path: `groups/${groupId}/members/${m.key}`,
                send: (apis) => apis.directory.members.delete({ groupKey: groupId, memberKey: m.key }),
            });
        } catch (e) {
            if (!isNotFound(e)) throw e;
        }
    }
    return [];
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const groupProvider = /* @__PURE__ */ new GroupProvider();

export interface GroupArgs {
    /** The group's address, e.g. "ops@raxx.app". Required; a change renames the group in place. */
    readonly email: pulumi.Input<string>;
    /** Display name, e.g. "Raxx Ops". Required. */
    readonly name: pulumi.Input<string>;
    /** Description. Default "". */
    readonly description?: pulumi.Input<string>;
    /** Groups Settings API fields to string values, e.g. `{ whoCanPostMessage: "ALL_MEMBERS_CAN_POST" }`. Only these keys are managed. Default {}. */
    readonly settings?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The addresses of the stack's Member resources of this group. Default []. */
    readonly declaredMembers?: pulumi.Input<pulumi.Input<string>[]>;
    /** Members Google has that declaredMembers does not name: "keep" reports them in `undeclared`, "remove" deletes them. Default "keep". */
    readonly undeclaredMembers?: pulumi.Input<UndeclaredMembers>;
}

/**
 * A Google Group. An existing group with the address is adopted, never deleted and made
 * again: its name and description are set, the declared settings patched (their old values
 * kept in `previousSettings`), and its other members reported or removed.
 */
export class Group extends BundledResource {
    declare readonly email: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string>;
    declare readonly settings: pulumi.Output<Record<string, string>>;
    declare readonly declaredMembers: pulumi.Output<string[]>;
    declare readonly undeclaredMembers: pulumi.Output<UndeclaredMembers>;
    /** The group's immutable id. */
    declare readonly groupId: pulumi.Output<string>;
    /** Whether the group existed before the stack. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** For an adopted group, the values the stack replaced. */
    declare readonly previousSettings: pulumi.Output<Record<string, string>>;
    /** Members Google has that the stack does not declare. */
    declare readonly undeclared: pulumi.Output<string[]>;

    constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "groupProvider",
            name,
            {
                email: args.email,
                name: args.name,
                description: args.description ?? "",
                settings: args.settings ?? {},
                declaredMembers: args.declaredMembers ?? [],
                undeclaredMembers: args.undeclaredMembers ?? "keep",
                groupId: undefined,
                adopted: undefined,
                previousSettings: undefined,
                undeclared: undefined,
            },
            opts,
            "google-workspace",
            "Group",
        );
    }
}
