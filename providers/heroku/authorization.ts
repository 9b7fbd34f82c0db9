// Heroku OAuth authorization (a revocable API token) as a Pulumi dynamic resource.
//
//   check   → local validation only
//   diff    → any change of scope, description or expiresIn replaces (create-before-delete);
//             new provider code alone is an update
//   create  → POST   /oauth/authorizations        { scope, description, expires_in? }
//   read    → GET    /oauth/authorizations/{id}   (404: revoked or missing, so the resource is gone)
//   update  → nothing at Heroku: stores the new provider code with the same outputs
//   delete  → DELETE /oauth/authorizations/{id}   (404: already gone)
//
// Heroku cannot change an authorization's scope, and a new description or lifetime
// should come with a new token, so every change of an input is a replacement. The new
// token exists before the old one is revoked.
import * as pulumi from "@pulumi/pulumi";

import { HerokuProviderBase, UNKNOWN, codeChanged } from "./base";
import { ClientSettings, HttpOptions, RUN_AGAIN, herokuError, herokuRequest, isNotFound } from "./client";

/** OAuth scopes the Platform API knows (https://devcenter.heroku.com/articles/oauth#scopes). */
export const HEROKU_OAUTH_SCOPES: readonly string[] = ["global", "identity", "read", "write", "read-protected", "write-protected"];

/** Inputs after `check`, as the provider sees them. */
export interface AuthorizationInputs {
    readonly scope: string[];
    readonly description: string;
    readonly expiresIn?: number;
}

/** State after create/read. `token` is secret (see `Authorization`). */
export interface AuthorizationOutputs extends AuthorizationInputs {
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
}

/** CRUD for `pulumi-nodejs:dynamic/heroku:Authorization`. Exported for tests; use `Authorization`. */
export class AuthorizationProvider extends HerokuProviderBase implements pulumi.dynamic.ResourceProvider<AuthorizationInputs, AuthorizationOutputs> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    async check(_olds: AuthorizationInputs, news: AuthorizationInputs): Promise<pulumi.dynamic.CheckResult<AuthorizationInputs>> {
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
        const inputs: AuthorizationInputs = {
            scope: news.scope,
            description: news.description,
            ...(expiresIn === undefined || expiresIn === null ? {} : { expiresIn: news.expiresIn }),
        };
        return { inputs, failures };
    }

    async diff(_id: pulumi.ID, olds: AuthorizationOutputs, news: AuthorizationInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces: string[] = [];
        if (!sameScopes(olds.scope, news.scope)) replaces.push("scope");
        if (olds.description !== news.description) replaces.push("description");
        if ((olds.expiresIn ?? null) !== (news.expiresIn ?? null)) replaces.push("expiresIn");
        // Create the replacement first: consumers get the new token before the old one is revoked.
        return { changes: replaces.length > 0 || codeChanged(olds, news), replaces, deleteBeforeReplace: false };
    }

    async create(inputs: AuthorizationInputs): Promise<pulumi.dynamic.CreateResult<AuthorizationOutputs>> {
        const settings = this.settings();
        const body: Record<string, unknown> = { scope: inputs.scope, description: inputs.description };
        if (inputs.expiresIn !== undefined) body.expires_in = inputs.expiresIn;
        const res = await herokuRequest<HerokuAuthorization>(settings, {
            method: "POST",
            path: "/oauth/authorizations",
            body,
            unknownOutcomeHint: mayHaveCreated(inputs.description),
        });
        const auth = res.body ?? {};
        const token = auth.access_token?.token;
        if (typeof auth.id !== "string" || auth.id === "") {
            throw herokuError(`Heroku API POST /oauth/authorizations returned ${res.status} without an authorization id. ${mayHaveCreated(inputs.description)}`, {
                method: "POST",
                path: "/oauth/authorizations",
                status: res.status,
                outcomeUnknown: true,
            });
        }
        if (typeof token !== "string" || token === "") {
            // create must leave nothing behind when it fails; a token we cannot hand out is useless.
            await revoke(settings, auth.id);
            throw herokuError(
                `Heroku API POST /oauth/authorizations returned ${res.status} for authorization ${auth.id} without an access token. ` +
                    "Pulumi revoked it again, so nothing is left behind: run Pulumi again.",
                { method: "POST", path: "/oauth/authorizations", status: res.status },
            );
        }
        return {
            id: auth.id,
            outs: {
                scope: inputs.scope,
                description: inputs.description,
                ...(inputs.expiresIn === undefined ? {} : { expiresIn: inputs.expiresIn }),
                authorizationId: auth.id,
                token,
                ...(auth.created_at === undefined ? {} : { createdAt: auth.created_at }),
            },
        };
    }

    /**
     * Refresh, and `import` (then `props` is empty). Heroku may leave the token out
     * of GET responses, so the token from state is kept when the response has none.
     */
    async read(id: pulumi.ID, props?: AuthorizationOutputs): Promise<pulumi.dynamic.ReadResult<AuthorizationOutputs>> {
        const settings = this.settings();
        let auth: HerokuAuthorization;
        try {
            const res = await herokuRequest<HerokuAuthorization>(settings, {
                method: "GET",
                path: `/oauth/authorizations/${encodeURIComponent(id)}`,
                secrets: props?.token === undefined ? [] : [props.token],
            });
            auth = res.body ?? {};
        } catch (e) {
            if (isNotFound(e)) return {}; // revoked or never existed: no id tells the engine it is gone
            throw e;
        }
        const importing = props === undefined || props.scope === undefined;
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
    async update(_id: pulumi.ID, olds: AuthorizationOutputs, _news: AuthorizationInputs): Promise<pulumi.dynamic.UpdateResult<AuthorizationOutputs>> {
        const { __provider: _code, ...outs } = olds as AuthorizationOutputs & { __provider?: string };
        return { outs };
    }

    async delete(id: pulumi.ID, props: AuthorizationOutputs): Promise<void> {
        await revoke(this.settings(), id, props?.token);
    }
}

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

function mayHaveCreated(description: string): string {
    return (
        `Heroku may or may not have created the authorization: look for description "${description}" in \`heroku authorizations\`, ` +
        `revoke (\`heroku authorizations:revoke <id>\`) every one that Pulumi does not track, ${RUN_AGAIN}.`
    );
}

function sameScopes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    const norm = (x: readonly string[] | undefined) => JSON.stringify([...new Set(x ?? [])].sort());
    return norm(a) === norm(b);
}

function nonEmpty(s: string | undefined): string | undefined {
    return typeof s === "string" && s !== "" ? s : undefined;
}

const authorizationProvider = new AuthorizationProvider();

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
export class Authorization extends pulumi.dynamic.Resource {
    /** Heroku's id of the authorization (what `heroku authorizations:revoke` takes). */
    declare readonly authorizationId: pulumi.Output<string>;
    /** The access token (secret). */
    declare readonly token: pulumi.Output<string>;
    declare readonly scope: pulumi.Output<string[]>;
    declare readonly description: pulumi.Output<string>;
    declare readonly expiresIn: pulumi.Output<number | undefined>;
    declare readonly createdAt: pulumi.Output<string>;

    constructor(name: string, args: AuthorizationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            authorizationProvider,
            name,
            {
                scope: args.scope,
                description: args.description,
                expiresIn: args.expiresIn,
                authorizationId: undefined,
                token: undefined,
                createdAt: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "heroku",
            "Authorization",
        );
    }
}
