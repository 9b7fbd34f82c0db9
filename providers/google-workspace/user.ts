// A Google Workspace user, as a Pulumi dynamic resource: the send-only no-reply user, when
// config chooses a user (suspended: nobody signs in, and inbound mail is refused).
//
//   check   → local validation only (primaryEmail, givenName, familyName, password, suspended); never echoes the password
//   diff    → any change of input, or new provider code, is an update: never a replacement
//   create  → GET the user by email; 404 → insert it with the password; 409 → adopt it;
//             found → adopt it: name and suspended set, the password NEVER written (a live value)
//   read    → GET the user by id (404: gone); Google never returns a password, so state keeps its own
//   update  → GET by id; PATCH primaryEmail, name and suspended where they differ, and the password
//             when the password input changed
//   delete  → DELETE the user by id (404: already gone)
//
// Directory API (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users),
// scope admin.directory.user:
//   GET    users/{userKey}     userKey: the id, the primary email or an alias
//   POST   users               {primaryEmail, name: {givenName, familyName}, password, changePasswordAtNextLogin, suspended}
//   PATCH  users/{userKey}     the fields to change
//   DELETE users/{userKey}
import * as pulumi from "@pulumi/pulumi";

import type { admin_directory_v1 } from "@googleapis/admin";

import { codeChanged } from "../http";
import { RUN_AGAIN, SCOPES, Session, callApi, isConflict, isNotFound, isOutcomeUnknown, workspaceError } from "./client";
import { failures, WorkspaceProvider, lowerEmail, pick } from "./base";
import { BundledResource } from "../bundle";

/** The password's length, in characters: at least 32 (the stack's RandomPassword), at most Google's 100. */
export const MIN_PASSWORD_LENGTH = 32;
export const MAX_PASSWORD_LENGTH = 100;

/** Inputs after `check`. `password` is secret. */
export interface UserInputs {
    readonly primaryEmail: string;
    readonly givenName: string;
    readonly familyName: string;
    readonly password: string;
    readonly suspended: boolean;
}

/** State. `password` is secret. */
export interface UserOutputs extends UserInputs {
    /** Google's immutable id; also the resource id. */
    readonly userId: string;
    /** True when the user existed before the stack. */
    readonly adopted: boolean;
    /** True once the stack has written `password` to Google: at create, or at an update that changed it. */
    readonly passwordWritten: boolean;
}

const SCOPE_LIST = [SCOPES.user];
/** What a refresh reads with: the read-only environments' service account is delegated this. */
const READ_SCOPE_LIST = [SCOPES.userReadonly];

/** CRUD for `pulumi-nodejs:dynamic/google-workspace:User`. Exported for tests; use `User`. */
export class UserProvider extends WorkspaceProvider implements pulumi.dynamic.ResourceProvider<UserInputs, UserOutputs> {
    async check(_olds: UserInputs, news: UserInputs): Promise<pulumi.dynamic.CheckResult<UserInputs>> {
        const raw = { ...(news as unknown as Record<string, unknown>) };
        raw.primaryEmail = lowerEmail(raw.primaryEmail);
        const f = failures(raw);
        f.email("primaryEmail", "no-reply@raxx.app");
        const namePart = (v: unknown) => typeof v === "string" && v.trim() !== "";
        f.expect("givenName", namePart, 'givenName must not be empty (e.g. "No Reply")');
        f.expect("familyName", namePart, 'familyName must not be empty (e.g. "Raxx")');
        // The reason never shows the password.
        f.expect(
            "password",
            (v) => typeof v === "string" && v.length >= MIN_PASSWORD_LENGTH && v.length <= MAX_PASSWORD_LENGTH,
            `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters (Google takes at most ${MAX_PASSWORD_LENGTH}): pass the stack's RandomPassword (length 32 or more)`,
        );
        f.expect("suspended", (v) => typeof v === "boolean", "suspended must be true or false (true for the send-only user: nobody signs in, inbound mail is refused)");
        return { inputs: pick<UserInputs>(raw, ["primaryEmail", "givenName", "familyName", "password", "suspended"]), failures: f.list };
    }

    async diff(_id: pulumi.ID, olds: UserOutputs, news: UserInputs): Promise<pulumi.dynamic.DiffResult> {
        const changes = (["primaryEmail", "givenName", "familyName", "password", "suspended"] as const).some((k) => olds[k] !== news[k]) || codeChanged(olds, news);
        return { changes, replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: UserInputs): Promise<pulumi.dynamic.CreateResult<UserOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        const secrets = [inputs.password];
        let user = await findUser(session, inputs.primaryEmail, secrets);
        let adopted = user !== undefined;
        let passwordWritten = false;
        if (user === undefined) {
            try {
                user = await insertUser(session, inputs);
                passwordWritten = true;
            } catch (e) {
                if (!isConflict(e) && !isOutcomeUnknown(e)) throw e;
                user = await findUser(session, inputs.primaryEmail, secrets);
                if (user === undefined) {
                    if (isConflict(e)) throw takenByAnother(inputs.primaryEmail, e);
                    throw e;
                }
                // 409: someone made it in between, so it is adopted and its password left alone.
                // A lost reply: the GET just before found nothing, so this is the user the insert made.
                adopted = isConflict(e);
                passwordWritten = !adopted;
            }
        }
        // Google finds a user by any of its addresses: one found by an alias is someone else, never to be renamed or suspended.
        const primary = String(user.primaryEmail ?? "").toLowerCase();
        if (primary !== inputs.primaryEmail) {
            throw workspaceError(
                `Google user ${inputs.primaryEmail}: Google answers for this address with the user ${primary}, whose alias it is. The stack adopts a user only by its own address, ` +
                    `and never renames or suspends another: remove the alias from ${primary} in the Admin console (Directory > Users > the user > User information > Alternate email addresses), or declare another address, ${RUN_AGAIN}.`,
                { method: "GET", path: `users/${inputs.primaryEmail}`, status: 200 },
            );
        }
        // An adopted user's password is live: only its name and suspension are set.
        await patchUser(session, user, inputs, false, secrets);
        return { id: String(user.id), outs: { ...inputs, userId: String(user.id), adopted, passwordWritten } };
    }

    async read(id: pulumi.ID, props?: UserOutputs): Promise<pulumi.dynamic.ReadResult<UserOutputs>> {
        if (props === undefined || typeof props.password !== "string") {
            throw new Error(
                `Google user ${id}: read needs the resource's state (its password is not readable from Google). Importing is not supported: ` +
                    "declare the user and run `pulumi up`, which adopts it without writing its password.",
            );
        }
        const user = await findUser(this.openWith(READ_SCOPE_LIST), id, [props.password]);
        if (user === undefined) return {}; // deleted outside Pulumi: the engine forgets it
        return {
            id,
            props: {
                ...props,
                primaryEmail: String(user.primaryEmail ?? props.primaryEmail).toLowerCase(),
                givenName: user.name?.givenName ?? "",
                familyName: user.name?.familyName ?? "",
                suspended: user.suspended === true,
            },
        };
    }

    async update(id: pulumi.ID, olds: UserOutputs, news: UserInputs): Promise<pulumi.dynamic.UpdateResult<UserOutputs>> {
        const session = this.openWith(SCOPE_LIST);
        const secrets = [news.password, olds.password];
        const user = await findUser(session, id, secrets);
        if (user === undefined) {
            throw workspaceError(
                `Google user ${olds.primaryEmail} (id ${id}) no longer exists: it was deleted outside Pulumi. Run \`pulumi refresh\`, which drops it from the state, then \`pulumi up\` to make it again.`,
                { method: "GET", path: `users/${id}`, status: 404 },
            );
        }
        const writePassword = news.password !== olds.password;
        await patchUser(session, user, news, writePassword, secrets);
        return { outs: { ...news, userId: id, adopted: olds.adopted === true, passwordWritten: writePassword || olds.passwordWritten === true } };
    }

    async delete(id: pulumi.ID, props: UserOutputs): Promise<void> {
        try {
            await callApi(this.openWith(SCOPE_LIST), {
                api: "Directory API",
                method: "DELETE",
                path: `users/${id}`,
                secrets: typeof props?.password === "string" ? [props.password] : [],
                send: (apis) => apis.directory.users.delete({ userKey: id }),
            });
        } catch (e) {
            if (isNotFound(e)) return; // already gone
            throw e;
        }
    }
}

/** The user with this key (id or address), or undefined. */
async function findUser(session: Session, key: string, secrets: readonly string[]): Promise<admin_directory_v1.Schema$User | undefined> {
    try {
        return await callApi(session, { api: "Directory API", method: "GET", path: `users/${key}`, secrets, send: (apis) => apis.directory.users.get({ userKey: key }) });
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

async function insertUser(session: Session, u: UserInputs): Promise<admin_directory_v1.Schema$User> {
    return callApi(session, {
        api: "Directory API",
        method: "POST",
        path: "users",
        retryable: false,
        secrets: [u.password],
        unknownOutcomeHint: `The insert of user ${u.primaryEmail} may or may not have been applied: ${RUN_AGAIN} (a create adopts the user if it is there).`,
        send: (apis) =>
            apis.directory.users.insert({
                requestBody: {
                    primaryEmail: u.primaryEmail,
                    name: { givenName: u.givenName, familyName: u.familyName },
                    password: u.password,
                    changePasswordAtNextLogin: false,
                    suspended: u.suspended,
                },
            }),
    });
}

/** PATCHes the address, name and suspension where Google's differ from `want`, and the password when `writePassword`. */
async function patchUser(session: Session, user: admin_directory_v1.Schema$User, want: UserInputs, writePassword: boolean, secrets: readonly string[]): Promise<void> {
    const body: admin_directory_v1.Schema$User = {};
    if (String(user.primaryEmail ?? "").toLowerCase() !== want.primaryEmail) body.primaryEmail = want.primaryEmail;
    if (user.name?.givenName !== want.givenName || user.name?.familyName !== want.familyName) body.name = { givenName: want.givenName, familyName: want.familyName };
    if ((user.suspended === true) !== want.suspended) body.suspended = want.suspended;
    if (writePassword) {
        body.password = want.password;
        body.changePasswordAtNextLogin = false;
    }
    if (Object.keys(body).length === 0) return;
    const id = String(user.id);
    await callApi(session, { api: "Directory API", method: "PATCH", path: `users/${id}`, secrets, send: (apis) => apis.directory.users.patch({ userKey: id, requestBody: body }) });
}

function takenByAnother(email: string, cause: unknown): Error {
    const c = cause as { summary?: string; attempts?: number };
    return workspaceError(
        `${c.summary ?? "Directory API POST users failed: 409."} ${email} is taken, but not by a user: a group, or an alias of a user or group, has it. ` +
            `Choose another address, or free this one in the Admin console, ${RUN_AGAIN}.`,
        { method: "POST", path: "users", status: 409, attempts: c.attempts, reason: "duplicate" },
    );
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const userProvider = /* @__PURE__ */ new UserProvider();

export interface UserArgs {
    /** The user's address, e.g. "no-reply@raxx.app". Required; a change renames the user in place. */
    readonly primaryEmail: pulumi.Input<string>;
    /** Required, e.g. "No Reply". */
    readonly givenName: pulumi.Input<string>;
    /** Required, e.g. "Raxx". */
    readonly familyName: pulumi.Input<string>;
    /** The password, 32 to 100 characters (the stack's RandomPassword); always secret. Written at create and when it changes, never on adoption. Required. */
    readonly password: pulumi.Input<string>;
    /** True for the send-only user: nobody signs in, inbound mail is refused. Required. */
    readonly suspended: pulumi.Input<boolean>;
}

/**
 * A Google Workspace user. An existing user with the address is adopted, never deleted and
 * made again, and its password is left as it is (`passwordWritten: false`) until the
 * password input changes.
 */
export class User extends BundledResource {
    declare readonly primaryEmail: pulumi.Output<string>;
    declare readonly givenName: pulumi.Output<string>;
    declare readonly familyName: pulumi.Output<string>;
    /** Secret. */
    declare readonly password: pulumi.Output<string>;
    declare readonly suspended: pulumi.Output<boolean>;
    /** Google's id of the user. */
    declare readonly userId: pulumi.Output<string>;
    /** Whether the user existed before the stack. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** Whether the stack has written the password. */
    declare readonly passwordWritten: pulumi.Output<boolean>;

    constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "userProvider",
            name,
            {
                primaryEmail: args.primaryEmail,
                givenName: args.givenName,
                familyName: args.familyName,
                password: pulumi.secret(args.password),
                suspended: args.suspended,
                userId: undefined,
                adopted: undefined,
                passwordWritten: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            "google-workspace",
            "User",
        );
    }
}
