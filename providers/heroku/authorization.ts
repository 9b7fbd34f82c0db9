// Heroku OAuth authorization (a revocable API token) as a Pulumi dynamic resource.
//
//   check   → local validation only
//   diff    → any change of scope, description or expiresIn replaces (create-before-delete);
//             new provider code alone is an update
//   create  → GET    /oauth/authorizations        (adopt an orphan with this description, if any)
//             POST   /oauth/authorizations        { scope, description, expires_in? }
//             GET    /oauth/authorizations        (only when the POST's outcome is unknown: adopt what it made)
//   read    → GET    /oauth/authorizations/{id}   (404: gone only if GET /account is the recorded owner)
//   update  → nothing at Heroku: stores the new provider code with the same outputs
//             (GET /oauth/authorizations/{id} to record the owner when state has none)
//   delete  → DELETE /oauth/authorizations/{id}   (404: gone only if GET /account is the recorded owner)
//             GET    /account with the revoked token, until Heroku answers 401 (unless verifyCredentials is false)
//
// Heroku cannot change an authorization's scope, and a new description or lifetime
// should come with a new token, so every change of an input is a replacement. The new
// token exists before the old one is revoked.
import * as pulumi from "@pulumi/pulumi";

import { UNKNOWN, codeChanged, knob, sameSet } from "../http";
import { confirmHerokuTokenRevoked, settingsWithToken } from "./tokenCheck";
import { GoneWords, HerokuIdentity, HerokuProviderBase, OwnerFields, confirmGone, currentAccount, definedOnly, ownerFields } from "./base";
import { ClientSettings, HerokuResponse, HttpOptions, RUN_AGAIN, herokuError, herokuRequest, isHerokuApiError, isNotFound } from "./client";
import { BundledResource } from "../bundle";

/** OAuth scopes the Platform API knows (https://devcenter.heroku.com/articles/oauth#scopes). */
export const HEROKU_OAUTH_SCOPES: readonly string[] = ["global", "identity", "read", "write", "read-protected", "write-protected"];

/** Inputs after `check`, as the provider sees them. */
export interface AuthorizationInputs {
    readonly scope: string[];
    readonly description: string;
    readonly expiresIn?: number;
}

/**
 * State after create/read. `token` is secret (see `Authorization`). `ownerId` and
 * `ownerEmail` name the account that created it, the only one Heroku shows it to.
 */
export interface AuthorizationOutputs extends AuthorizationInputs, OwnerFields {
    readonly authorizationId: string;
    /** Absent only for an imported authorization whose token Heroku did not return. */
    readonly token?: string;
    readonly createdAt?: string;
}

/** The Platform API's oauth-authorization object, as far as we use it. */
interface HerokuAuthorization {
    readonly id?: string;
    readonly description?: string;
    readonly scope?: string[];
    readonly created_at?: string;
    readonly access_token?: { readonly token?: string; readonly expires_in?: number | null } | null;
    /** The account that created it. */
    readonly user?: { readonly id?: string; readonly email?: string } | null;
}

/** One with an id, as a list returns them. */
type ListedAuthorization = HerokuAuthorization & { readonly id: string };

/** CRUD for `pulumi-nodejs:dynamic/heroku:Authorization`. Exported for tests; use `Authorization`. */
export class AuthorizationProvider extends HerokuProviderBase implements pulumi.dynamic.ResourceProvider<AuthorizationInputs, AuthorizationOutputs> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    async check(olds: AuthorizationInputs, news: AuthorizationInputs): Promise<pulumi.dynamic.CheckResult<AuthorizationInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        const scope = raw.scope;
        if (scope !== UNKNOWN) {
            if (!Array.isArray(scope) || scope.length === 0) {
                failures.push({ property: "scope", reason: 'scope must list at least one OAuth scope, e.g. ["global"]' });
            } else {
                for (const s of scope) {
                    if (s === UNKNOWN) continue;
                    if (typeof s !== "string" || !HEROKU_OAUTH_SCOPES.includes(s)) {
                        const shown = typeof s === "string" ? `"${s.slice(0, 40)}"` : `a ${typeof s}`;
                        failures.push({
                            property: "scope",
                            reason: `${shown} is not a Heroku OAuth scope; use one of ${HEROKU_OAUTH_SCOPES.join(", ")} (e.g. ["global"])`,
                        });
                    }
                }
            }
        }
        const description = raw.description;
        if (description !== UNKNOWN && (typeof description !== "string" || description.trim() === "")) {
            failures.push({
                property: "description",
                reason: 'description must be a non-empty string that names the token and its rotation, e.g. "raxx-platform-token-2026-05-06"',
            });
        }
        const expiresIn = raw.expiresIn;
        if (expiresIn !== undefined && expiresIn !== null && expiresIn !== UNKNOWN) {
            if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn <= 0) {
                failures.push({
                    property: "expiresIn",
                    reason: "expiresIn must be a whole number of seconds greater than 0 (e.g. 2592000 for 30 days), or unset for a token that does not expire",
                });
            }
        }
        // A new scope or lifetime is a new generation: it gets a description of its own, so
        // that `heroku authorizations` (and create, after a lost reply) can tell it apart
        // from the authorization it replaces, which stays live until the replacement is done.
        const known = (x: unknown) => x !== UNKNOWN && !(Array.isArray(x) && x.includes(UNKNOWN));
        if (
            typeof olds?.description === "string" &&
            olds.description === description &&
            [scope, expiresIn].every(known) &&
            (!sameSet(olds.scope, news.scope) || (olds.expiresIn ?? null) !== (news.expiresIn ?? null))
        ) {
            failures.push({
                property: "description",
                reason:
                    "description must change when scope or expiresIn does: the change replaces the authorization, and create tells its own " +
                    'authorizations apart by description. Give the replacement a new one (for a rotating slot, a new date), e.g. "raxx-platform-token-2026-08-04"',
            });
        }
        const inputs: AuthorizationInputs = definedOnly({
            scope: news.scope,
            description: news.description,
            ...(expiresIn === undefined || expiresIn === null ? {} : { expiresIn: news.expiresIn }),
        });
        return { inputs, failures };
    }

    async diff(_id: pulumi.ID, olds: AuthorizationOutputs, news: AuthorizationInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces: string[] = [];
        if (!sameSet(olds.scope, news.scope)) replaces.push("scope");
        if (olds.description !== news.description) replaces.push("description");
        if ((olds.expiresIn ?? null) !== (news.expiresIn ?? null)) replaces.push("expiresIn");
        // Create the replacement first: consumers get the new token before the old one is revoked.
        return { changes: replaces.length > 0 || codeChanged(olds, news), replaces, deleteBeforeReplace: false };
    }

    /**
     * Creates the authorization. When Heroku's reply is lost, finds what the POST made
     * by comparing the key's authorizations with this description before and after it.
     * Those that were there before are never adopted: one of them may be the very
     * authorization this create replaces (`pulumi up --replace`, a rename without an
     * alias), which the engine revokes once the create is done.
     */
    async create(inputs: AuthorizationInputs): Promise<pulumi.dynamic.CreateResult<AuthorizationOutputs>> {
        const settings = this.settings();
        const before = await listDescribed(settings, inputs.description);
        const body: Record<string, unknown> = { scope: inputs.scope, description: inputs.description };
        if (inputs.expiresIn !== undefined) body.expires_in = inputs.expiresIn;
        let auth: HerokuAuthorization;
        let status: number;
        try {
            const res = await herokuRequest<HerokuAuthorization>(settings, { method: "POST", path: "/oauth/authorizations", body });
            auth = res.body ?? {};
            status = res.status;
        } catch (e) {
            // Never retried: a second POST could mint a second global token. Look instead.
            if (isHerokuApiError(e) && e.outcomeUnknown) return this.reconcile(settings, inputs, before, e);
            throw e;
        }
        if (typeof auth.id !== "string" || auth.id === "") {
            return this.reconcile(settings, inputs, before, { summary: `Heroku API POST /oauth/authorizations returned ${status} without an authorization id.`, status });
        }
        if (nonEmpty(auth.access_token?.token) === undefined) {
            // create must leave nothing behind when it fails; a token we cannot hand out is useless.
            await revoke(settings, auth.id);
            throw herokuError(
                `Heroku API POST /oauth/authorizations returned ${status} for authorization ${auth.id} without an access token. ` +
                    "Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
                { method: "POST", path: "/oauth/authorizations", status },
            );
        }
        return this.adopt(settings, inputs, auth as ListedAuthorization, []);
    }

    /**
     * After a POST whose outcome is unknown: the authorizations with this description
     * that were not there before are this create's. Adopt the newest one with a token and
     * revoke the rest; if none has a token, revoke them all and fail.
     */
    private async reconcile(
        settings: ClientSettings,
        inputs: AuthorizationInputs,
        before: readonly ListedAuthorization[],
        post: { readonly summary: string; readonly status: number },
    ): Promise<pulumi.dynamic.CreateResult<AuthorizationOutputs>> {
        const postFailure = post.summary;
        const fields = { method: "POST", path: "/oauth/authorizations", status: post.status };
        let after: ListedAuthorization[];
        try {
            after = await listDescribed(settings, inputs.description);
        } catch (e) {
            const why = isHerokuApiError(e) ? e.summary : "the request failed";
            throw herokuError(
                `${postFailure} Heroku may or may not have created the authorization, and listing authorizations to find out failed too (${why}): ` +
                    `look for description "${inputs.description}" in \`heroku authorizations\`, revoke (\`heroku authorizations:revoke <id>\`) every one that Pulumi does not track, ${RUN_AGAIN}.`,
                { ...fields, outcomeUnknown: true },
            );
        }
        const known = new Set(before.map((a) => a.id));
        const ours = after.filter((a) => !known.has(a.id));
        if (ours.length === 0) {
            throw herokuError(
                `${postFailure} Heroku did not create the authorization (GET /oauth/authorizations lists none described "${inputs.description}"): run Pulumi again.`,
                fields,
            );
        }
        const adopted = withTokens(ours)[0];
        if (adopted === undefined) {
            for (const a of ours) await revoke(settings, a.id);
            const n = ours.length;
            const it = n === 1 ? "it" : "them";
            throw herokuError(
                `${postFailure} Heroku had created ${n === 1 ? "1 authorization" : `${n} authorizations`} described "${inputs.description}" (${ours.map((a) => a.id).join(", ")}), ` +
                    `but returns no token for ${it}, so Pulumi revoked ${it} again: run Pulumi again.`,
                fields,
            );
        }
        return this.adopt(settings, inputs, adopted, ours);
    }

    /** Returns `auth` as this resource's state, after revoking every other one of `group`. */
    private async adopt(
        settings: ClientSettings,
        inputs: AuthorizationInputs,
        auth: ListedAuthorization,
        group: readonly ListedAuthorization[],
    ): Promise<pulumi.dynamic.CreateResult<AuthorizationOutputs>> {
        for (const other of group) {
            if (other.id !== auth.id) await revoke(settings, other.id, nonEmpty(other.access_token?.token));
        }
        const owner = userOf(auth) ?? (await currentAccount(settings));
        return {
            id: auth.id,
            outs: {
                scope: inputs.scope,
                description: inputs.description,
                ...(inputs.expiresIn === undefined ? {} : { expiresIn: inputs.expiresIn }),
                authorizationId: auth.id,
                token: auth.access_token!.token!,
                ...(auth.created_at === undefined ? {} : { createdAt: auth.created_at }),
                ...ownerFields(owner),
            },
        };
    }

    /**
     * Refresh, and `import` (then `props` is empty). Heroku may leave the token out
     * of GET responses, so the token from state is kept when the response has none.
     */
    async read(id: pulumi.ID, props?: AuthorizationOutputs): Promise<pulumi.dynamic.ReadResult<AuthorizationOutputs>> {
        const settings = this.settings();
        const importing = props === undefined || props.scope === undefined;
        let auth: HerokuAuthorization;
        try {
            const res = await herokuRequest<HerokuAuthorization>(settings, {
                method: "GET",
                path: `/oauth/authorizations/${encodeURIComponent(id)}`,
                secrets: props?.token === undefined ? [] : [props.token],
            });
            auth = res.body ?? {};
        } catch (e) {
            if (isNotFound(e) && isHerokuApiError(e)) {
                if (!importing) await confirmGone(settings, e, props!, goneWords(id));
                return {}; // revoked: no id tells the engine it is gone
            }
            throw e;
        }
        const token = nonEmpty(auth.access_token?.token) ?? props?.token;
        const scope = Array.isArray(auth.scope) ? auth.scope : (props?.scope ?? []);
        const description = typeof auth.description === "string" ? auth.description : (props?.description ?? "");
        const createdAt = auth.created_at ?? props?.createdAt;
        const outs: AuthorizationOutputs = {
            scope,
            description,
            ...(props?.expiresIn === undefined ? {} : { expiresIn: props.expiresIn }),
            authorizationId: auth.id ?? id,
            ...(token === undefined ? {} : { token }),
            ...(createdAt === undefined ? {} : { createdAt }),
            ...ownerFields(userOf(auth) ?? recordedOwner(props)),
        };
        if (importing) {
            return { id, props: outs, inputs: { scope, description } as AuthorizationOutputs };
        }
        return { id, props: outs };
    }

    /**
     * Reached only when the provider code changed (any input change replaces). Without it
     * the host would keep nothing but `__provider`, losing the token from state.
     */
    async update(id: pulumi.ID, olds: AuthorizationOutputs, _news: AuthorizationInputs): Promise<pulumi.dynamic.UpdateResult<AuthorizationOutputs>> {
        const { __provider: _code, ...outs } = olds as AuthorizationOutputs & { __provider?: string };
        if (outs.ownerId !== undefined) return { outs };
        // State from older code has no owner. Heroku shows an authorization only to its
        // owner, so a 200 names it; a 404 leaves it unrecorded (read and delete then refuse
        // to treat a 404 as gone).
        try {
            const res = await herokuRequest<HerokuAuthorization>(this.settings(), {
                method: "GET",
                path: `/oauth/authorizations/${encodeURIComponent(id)}`,
                secrets: outs.token === undefined ? [] : [outs.token],
            });
            return { outs: { ...outs, ...ownerFields(userOf(res.body ?? {})) } };
        } catch (e) {
            if (isNotFound(e)) return { outs };
            throw e;
        }
    }

    async delete(id: pulumi.ID, props: AuthorizationOutputs): Promise<void> {
        const settings = this.settings();
        try {
            await herokuRequest(settings, {
                method: "DELETE",
                path: `/oauth/authorizations/${encodeURIComponent(id)}`,
                secrets: props?.token === undefined ? [] : [props.token],
            });
        } catch (e) {
            if (!(isNotFound(e) && isHerokuApiError(e))) throw e;
            await confirmGone(settings, e, props ?? {}, goneWords(id));
        }
        await this.confirmRevoked(id, props);
    }

    /**
     * The revocation took effect: Heroku answers 401 to the revoked token. Fails the delete
     * (the engine keeps it pending, and the next `up` tries again) naming the authorization,
     * never the token. Skipped for a break-glass apply, or when the state has no token.
     */
    private async confirmRevoked(id: string, props: AuthorizationOutputs | undefined): Promise<void> {
        if (props?.token === undefined || this.configured.verify === "false") return;
        const problems: string[] = [];
        const deadlineMs = knob(undefined, "HEROKU_REVOCATION_TIMEOUT_MS", 30_000, 1, problems);
        if (problems.length > 0) throw new Error(problems[0]);
        const subject = `authorization ${id} (${props.description})`;
        const ctx = { subject, check: "GET /account with the revoked token", deadlineMs, secrets: [props.token] };
        const withToken = settingsWithToken(props.token, this.configured.apiUrl, this.httpOptions, `the revoked token of ${subject}`);
        await confirmHerokuTokenRevoked(ctx, withToken);
    }
}

function goneWords(id: string): GoneWords {
    return {
        subject: `authorization ${id}`,
        pronoun: "it",
        hidden: "and Heroku shows an authorization only to its owner, so it may well be live",
        madeBy: "was created by",
        goneMeans: "a revoked authorization",
        dropIf: "if that account no longer has it",
    };
}

function userOf(auth: HerokuAuthorization): HerokuIdentity | undefined {
    const id = auth.user?.id;
    // Stryker disable next-line OptionalChaining: the email is read only when auth.user.id is a non-empty string, so auth.user is an object there
    return typeof id === "string" && id !== "" ? { id, email: auth.user?.email ?? "" } : undefined;
}

function recordedOwner(props: OwnerFields | undefined): HerokuIdentity | undefined {
    return props?.ownerId === undefined ? undefined : { id: props.ownerId, email: props.ownerEmail ?? "" };
}

/** Revokes one of the key's own authorizations that create just listed or made; 404 means already revoked. */
async function revoke(settings: ClientSettings, id: string, token?: string): Promise<void> {
    try {
        await herokuRequest(settings, {
            method: "DELETE",
            path: `/oauth/authorizations/${encodeURIComponent(id)}`,
            secrets: token === undefined ? [] : [token],
        });
    } catch (e) {
        if (isNotFound(e)) return; // already revoked
        throw e;
    }
}

/** The API key's own authorizations (Heroku lists no one else's) with exactly this description. */
async function listDescribed(settings: ClientSettings, description: string): Promise<ListedAuthorization[]> {
    const all: HerokuAuthorization[] = [];
    // Heroku answers a list a page at a time (206 and Next-Range while more remain).
    let range: string | undefined = "id ..; max=1000";
    for (let pages = 0; range !== undefined; pages++) {
        if (pages === LIST_PAGES) {
            throw herokuError(
                `Heroku API GET /oauth/authorizations returned 206 for ${LIST_PAGES} pages and more remain: ` +
                    `revoke the authorizations this key no longer needs (\`heroku authorizations\`), ${RUN_AGAIN}.`,
                { method: "GET", path: "/oauth/authorizations", status: 206 },
            );
        }
        const res: HerokuResponse<HerokuAuthorization[]> = await herokuRequest<HerokuAuthorization[]>(settings, { method: "GET", path: "/oauth/authorizations", range });
        if (Array.isArray(res.body)) all.push(...res.body);
        range = res.nextRange;
    }
    return all.filter((a): a is ListedAuthorization => typeof a?.id === "string" && a.id !== "" && a.description === description);
}

/** The most pages of authorizations create reads (1000 each) before it gives up. */
const LIST_PAGES = 20;

/** Those whose token Heroku returned, newest first. */
function withTokens(auths: readonly ListedAuthorization[]): ListedAuthorization[] {
    return auths.filter((a) => nonEmpty(a.access_token?.token) !== undefined).sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""));
}

function nonEmpty(s: string | undefined): string | undefined {
    return typeof s === "string" && s !== "" ? s : undefined;
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const authorizationProvider = /* @__PURE__ */ new AuthorizationProvider();

export interface AuthorizationArgs {
    /** OAuth scopes, e.g. `["global"]`. Required. Heroku has no billing-only scope; see docs/heroku-provider.md. */
    readonly scope: pulumi.Input<pulumi.Input<string>[]>;
    /** Human-friendly description shown by `heroku authorizations`, e.g. `raxx-platform-token-2026-05-06`. Required. */
    readonly description: pulumi.Input<string>;
    /** Token lifetime in seconds. Default: unset, a token that never expires. */
    readonly expiresIn?: pulumi.Input<number>;
}

/**
 * A Heroku OAuth authorization and its access token. `token` is a secret output.
 * Changing any argument creates a new authorization first, then revokes the old one.
 */
export class Authorization extends BundledResource {
    /** Heroku's id of the authorization (what `heroku authorizations:revoke` takes). */
    declare readonly authorizationId: pulumi.Output<string>;
    /** The access token (secret). */
    declare readonly token: pulumi.Output<string>;
    declare readonly scope: pulumi.Output<string[]>;
    declare readonly description: pulumi.Output<string>;
    declare readonly expiresIn: pulumi.Output<number | undefined>;
    declare readonly createdAt: pulumi.Output<string>;
    /** Heroku account id of the key that created it; only that account can see or revoke it. */
    declare readonly ownerId: pulumi.Output<string>;
    /** That account's email. */
    declare readonly ownerEmail: pulumi.Output<string>;

    constructor(name: string, args: AuthorizationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "authorizationProvider",
            name,
            {
                scope: args.scope,
                description: args.description,
                expiresIn: args.expiresIn,
                authorizationId: undefined,
                token: undefined,
                createdAt: undefined,
                ownerId: undefined,
                ownerEmail: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "heroku",
            "Authorization",
        );
    }
}
