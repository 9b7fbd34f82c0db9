// One application-scoped Cloudflare Access policy, added to an Access application that was
// made by hand and is never written: the policy admits exactly the stack's service tokens
// (decision non_identity, one service_token include rule per token, OR'ed).
//
//   check   → local validation only
//   diff    → accountId or applicationId replaces (create before delete: see below);
//             policyName, domain, serviceTokenIds, drift seen by a refresh, or new provider code: update
//   create  → GET  /accounts/{a}/access/apps/{app}                 (the application: it must guard `domain`)
//             GET  /accounts/{a}/access/apps/{app}/policies        (all pages; refuse if `policyName` is taken)
//             POST /accounts/{a}/access/apps/{app}/policies        {name, decision, include, precedence: highest + 1}
//             GET  /accounts/{a}/access/apps/{app}/policies        (only when the POST's outcome is unknown)
//   read    → GET  the application (domain), GET /accounts/{a}/access/apps/{app}/policies/{id}
//             (404 of the policy: gone; 404 of the application, or a 403: an error)
//   update  → GET  the application (domain), GET the policy (its live precedence),
//             GET  the policies (only when the name changes: refuse a name another policy has),
//             PUT  /accounts/{a}/access/apps/{app}/policies/{id}   {name, decision, include, precedence}
//             (no PUT when the live policy already is what the inputs say)
//   delete  → DELETE /accounts/{a}/access/apps/{app}/policies/{id} (404: GET the application; there, done)
//
// Endpoints: Cloudflare API v4 "Access application-scoped policies"
// (https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/applications/subresources/policies/;
// the `cloudflare` npm SDK, src/resources/zero-trust/access/applications/policies.ts: create = POST
// `/accounts/{account_id}/access/apps/{app_id}/policies` with required `decision`, `include`, `name` and
// optional `precedence` ("Must be unique for each policy within an app"); update = PUT `.../policies/{policy_id}`
// with the same body; list = GET `.../policies`, "Returns both exclusively scoped and reusable policies used
// by the application", paginated by `page`/`per_page` with `result_info` (cloudflare-go access_policy.go
// AccessPolicies(…, PaginationOptions) → ResultInfo); get and delete = GET/DELETE `.../policies/{policy_id}`).
// A reusable policy in the list carries `reusable: true` (OpenAPI access_reusable_policy_resp).
// The service token rule is `{"service_token": {"token_id": "<id>"}}` (SDK ServiceTokenRule).
// The application: GET `/accounts/{account_id}/access/apps/{app_id}`, whose `domain` is the host it guards.
import * as pulumi from "@pulumi/pulumi";

import { ConfiguredProvider, UNKNOWN, codeChanged, sameSet } from "../http";
import {
    CLOUDFLARE_API_TOKEN_CONFIG,
    ClientSettings,
    CloudflareResponse,
    ConfiguredCredentials,
    HttpOptions,
    RUN_AGAIN,
    cfRequest,
    cloudflareError,
    isCloudflareApiError,
    isNotFound,
    resolveSettings,
} from "./client";
import { BundledResource } from "../bundle";

/** The stack config key that names the hand-made application (for messages). */
export const APPLICATION_ID_CONFIG = "raxx-platform:vaultAccessApplicationId";
/** The decision of a Service Auth policy: service tokens, no identity. */
export const DECISION = "non_identity";
/** Cloudflare account ids: 32 lowercase hex characters. */
export const ACCOUNT_ID = /^[0-9a-f]{32}$/;
/** Access application and service token ids: UUIDs. */
export const ACCESS_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** The most pages of policies create reads (50 each) before it gives up. */
const LIST_PAGES = 20;
const PER_PAGE = 50;

/** Inputs after `check`. */
export interface AccessApplicationPolicyInputs {
    readonly accountId: string;
    readonly applicationId: string;
    readonly domain: string;
    readonly policyName: string;
    readonly serviceTokenIds: string[];
}

/** State. After a refresh, `policyName`, `serviceTokenIds` and `precedence` are the live ones. */
export interface AccessApplicationPolicyOutputs extends AccessApplicationPolicyInputs {
    readonly policyId: string;
    readonly precedence: number;
    /**
     * Set by a refresh when the live policy has what the inputs cannot say: another decision,
     * include rules that are not service tokens, require or exclude rules. The next update
     * writes the policy back. Absent when there is none.
     */
    readonly drift?: string[];
}

/** An Access policy as the API returns it, as far as we use it. */
interface RemotePolicy {
    readonly id?: string;
    readonly name?: string;
    readonly decision?: string;
    readonly precedence?: number;
    readonly include?: unknown[];
    readonly exclude?: unknown[];
    readonly require?: unknown[];
    readonly reusable?: boolean;
}

interface RemoteApplication {
    readonly id?: string;
    readonly name?: string;
    readonly domain?: string;
}

type Listed = RemotePolicy & { readonly id: string };

/** CRUD for `pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy`. Exported for tests; use `AccessApplicationPolicy`. */
export class AccessApplicationPolicyProvider
    extends ConfiguredProvider<HttpOptions, ConfiguredCredentials>
    implements pulumi.dynamic.ResourceProvider<AccessApplicationPolicyInputs, AccessApplicationPolicyOutputs> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    /**
     * The provider host hands over the whole stack config, keys with their namespace
     * (@pulumi/pulumi cmd/dynamic-provider: `Config.get` prefixes the project only to a key
     * without a colon), secrets unwrapped; so `cloudflare:apiToken` is readable here.
     */
    protected configKeys(): { apiToken: string } {
        return { apiToken: CLOUDFLARE_API_TOKEN_CONFIG };
    }

    private settings(): ClientSettings {
        return resolveSettings(this.configured, this.httpOptions);
    }

    async check(_olds: AccessApplicationPolicyInputs, news: AccessApplicationPolicyInputs): Promise<pulumi.dynamic.CheckResult<AccessApplicationPolicyInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        const bad = (property: string, test: (v: string) => boolean, reason: string) => {
            const v = raw[property];
            if (v === UNKNOWN) return;
            if (typeof v !== "string" || !test(v)) failures.push({ property, reason: `${reason}; got ${shown(v)}` });
        };
        bad("accountId", (v) => ACCOUNT_ID.test(v), 'accountId must be a Cloudflare account id, 32 lowercase hex characters (e.g. "0a1b2c3d4e5f60718293a4b5c6d7e8f9")');
        bad("applicationId", (v) => ACCESS_UUID.test(v), `applicationId must be the Access application's id, a lowercase UUID (config ${APPLICATION_ID_CONFIG}, e.g. "f174e90a-fafe-4643-bbbc-4a0ed4fc8415")`);
        bad("domain", (v) => HOSTNAME.test(v), 'domain must be the lowercase host the application guards (e.g. "vault.raxx.app")');
        bad("policyName", (v) => v.trim() === v && v !== "" && v.length <= 350, 'policyName must be a non-empty name without leading or trailing spaces (e.g. "raxx-platform-automation")');
        const ids = raw.serviceTokenIds;
        if (ids !== UNKNOWN) {
            if (!Array.isArray(ids) || ids.length === 0) {
                failures.push({ property: "serviceTokenIds", reason: "serviceTokenIds must list at least one Access service token id (a policy without an include rule admits no one, and Cloudflare refuses it)" });
            } else {
                const known = ids.filter((x) => x !== UNKNOWN);
                for (const id of known) {
                    if (typeof id !== "string" || !ACCESS_UUID.test(id)) {
                        failures.push({ property: "serviceTokenIds", reason: `${shown(id)} is not an Access service token id: use the token's id, a lowercase UUID, not its client id` });
                    }
                }
                if (new Set(known).size !== known.length) failures.push({ property: "serviceTokenIds", reason: "serviceTokenIds lists a token twice: list each slot's token once" });
            }
        }
        const inputs = Object.fromEntries(
            ["accountId", "applicationId", "domain", "policyName", "serviceTokenIds"].filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]),
        ) as unknown as AccessApplicationPolicyInputs;
        return { inputs, failures };
    }

    async diff(_id: pulumi.ID, olds: AccessApplicationPolicyOutputs, news: AccessApplicationPolicyInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = (["accountId", "applicationId"] as const).filter((k) => olds[k] !== news[k]);
        let changes = replaces.length > 0 || olds.policyName !== news.policyName || olds.domain !== news.domain;
        changes ||= !sameSet(olds.serviceTokenIds, news.serviceTokenIds) || (olds.drift?.length ?? 0) > 0 || codeChanged(olds, news);
        // Create before delete. The replacement goes into another application (or account),
        // whose policies never hold this one, so create's name check cannot trip on it; and
        // the tokens stay admitted until the replacement is in place. The one replacement
        // create refuses is a forced one into the same application (`pulumi up --replace`):
        // see docs/cloudflare-access-provider.md.
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: AccessApplicationPolicyInputs): Promise<pulumi.dynamic.CreateResult<AccessApplicationPolicyOutputs>> {
        const settings = this.settings();
        await getApplication(settings, inputs);
        const before = await listPolicies(settings, inputs);
        const taken = before.find((p) => p.name === inputs.policyName);
        if (taken !== undefined) {
            throw cloudflareError(
                `Access application ${inputs.applicationId} (${inputs.domain}) already has a policy named "${inputs.policyName}" (id ${taken.id}${taken.reusable ? ", a reusable policy" : ""}). ` +
                    `Nothing was written. If it is a leftover of this stack (a lost state, or \`pulumi up --replace\`), delete it in Cloudflare Zero Trust ` +
                    `(Access > Applications > ${inputs.domain} > Policies); if it is someone else's, give this resource another policyName. Then run Pulumi again.`,
                { method: "GET", path: policiesPath(inputs), status: 200 },
            );
        }
        const precedence = before.reduce((max, p) => Math.max(max, typeof p.precedence === "number" ? p.precedence : 0), 0) + 1;
        const body = policyBody(inputs.policyName, inputs.serviceTokenIds, precedence);
        let made: CloudflareResponse<RemotePolicy>;
        try {
            made = await cfRequest<RemotePolicy>(settings, {
                method: "POST",
                path: policiesPath(inputs),
                body,
                // A repeated POST after a lost reply would make a second policy: look instead.
                retryable: false,
            });
        } catch (e) {
            if (isCloudflareApiError(e) && e.outcomeUnknown) return this.reconcile(settings, inputs, before, e.summary);
            throw e;
        }
        const id = made.result?.id;
        if (typeof id !== "string" || id === "") {
            return this.reconcile(settings, inputs, before, `Cloudflare API POST ${policiesPath(inputs)} returned ${made.status} without a policy id.`);
        }
        // Stryker disable next-line OptionalChaining: `made.result` is an object here (its id was just read from it), so `?.` and `.` read the same
        return { id, outs: outputs(inputs, id, typeof made.result?.precedence === "number" ? made.result.precedence : precedence) };
    }

    /**
     * After a POST whose outcome is unknown: the policy named `policyName` that was not in
     * the list before is the one it made. Never adopts one that was there before.
     */
    private async reconcile(
        settings: ClientSettings,
        inputs: AccessApplicationPolicyInputs,
        before: readonly Listed[],
        postFailure: string,
    ): Promise<pulumi.dynamic.CreateResult<AccessApplicationPolicyOutputs>> {
        const fields = { method: "POST", path: policiesPath(inputs), status: 0 };
        let after: Listed[];
        try {
            after = await listPolicies(settings, inputs);
        } catch (e) {
            const why = isCloudflareApiError(e) ? e.summary.replace(/\.$/, "") : "the request failed";
            throw cloudflareError(
                `${postFailure} The outcome is unknown: Cloudflare may or may not have created policy "${inputs.policyName}", and listing the application's policies to find out failed too (${why}). ` +
                    `Look for it in Cloudflare Zero Trust (Access > Applications > ${inputs.domain} > Policies) and delete it if it is there, ${RUN_AGAIN}.`,
                { ...fields, outcomeUnknown: true },
            );
        }
        const known = new Set(before.map((p) => p.id));
        // New since the first list, and exactly what the POST asked for: never a reusable policy, or another someone made meanwhile.
        const ours = after.filter(
            (p) =>
                !known.has(p.id) &&
                p.name === inputs.policyName &&
                p.reusable !== true &&
                p.decision === DECISION &&
                admitsExactly(p, inputs.serviceTokenIds),
        );
        if (ours.length === 1) {
            const p = ours[0];
            return { id: p.id, outs: outputs(inputs, p.id, typeof p.precedence === "number" ? p.precedence : 0) };
        }
        if (ours.length === 0) {
            // A POST that got no reply may still be applied after this list: say so, rather than "not created".
            throw cloudflareError(
                `${postFailure} The outcome is unknown: the application's policies, listed again, have no new policy "${inputs.policyName}" admitting these tokens, ` +
                    `but Cloudflare may still apply the request. Look for it in Cloudflare Zero Trust (Access > Applications > ${inputs.domain} > Policies) and delete it if it is there, ${RUN_AGAIN}.`,
                { ...fields, outcomeUnknown: true },
            );
        }
        throw cloudflareError(
            `${postFailure} The outcome is unknown: the application now has ${ours.length} new policies named "${inputs.policyName}" (${ours.map((p) => p.id).join(", ")}), ` +
                `so Pulumi cannot tell which one is its own. Delete them all in Cloudflare Zero Trust (Access > Applications > ${inputs.domain} > Policies), ${RUN_AGAIN}.`,
            { ...fields, outcomeUnknown: true },
        );
    }

    async read(id: pulumi.ID, props?: AccessApplicationPolicyOutputs): Promise<pulumi.dynamic.ReadResult<AccessApplicationPolicyOutputs>> {
        if (props === undefined || typeof props.accountId !== "string" || typeof props.applicationId !== "string" || typeof props.domain !== "string") {
            throw new Error(
                `Cloudflare Access policy ${id}: read needs the resource's state (its account, application and domain). Importing is not supported: ` +
                    "delete the policy in Cloudflare Zero Trust and let `pulumi up` create it, or declare another policyName.",
            );
        }
        const settings = this.settings();
        await getApplication(settings, props);
        let live: RemotePolicy;
        try {
            live = (await cfRequest<RemotePolicy>(settings, { method: "GET", path: policyPath(props, id) })).result ?? {};
        } catch (e) {
            if (isNotFound(e)) return {}; // the application is there (just read), the policy is not: gone
            throw e;
        }
        const drift = driftOf(live);
        const outs: AccessApplicationPolicyOutputs = {
            accountId: props.accountId,
            applicationId: props.applicationId,
            domain: props.domain,
            policyName: typeof live.name === "string" ? live.name : props.policyName,
            serviceTokenIds: serviceTokenIdsOf(live),
            policyId: id,
            precedence: typeof live.precedence === "number" ? live.precedence : props.precedence,
            ...(drift.length === 0 ? {} : { drift }),
        };
        return { id, props: outs };
    }

    async update(id: pulumi.ID, olds: AccessApplicationPolicyOutputs, news: AccessApplicationPolicyInputs): Promise<pulumi.dynamic.UpdateResult<AccessApplicationPolicyOutputs>> {
        const settings = this.settings();
        await getApplication(settings, news);
        let live: RemotePolicy;
        try {
            live = (await cfRequest<RemotePolicy>(settings, { method: "GET", path: policyPath(news, id) })).result ?? {};
        } catch (e) {
            if (isNotFound(e)) {
                throw cloudflareError(
                    `Access policy ${id} ("${olds.policyName}") is no longer on application ${news.applicationId} (${news.domain}): someone deleted it. Nothing was written. ` +
                        "Run `pulumi refresh` (it drops the policy from state), then `pulumi up` (it creates it again).",
                    { method: "GET", path: policyPath(news, id), status: 404 },
                );
            }
            throw e;
        }
        const precedence = typeof live.precedence === "number" ? live.precedence : olds.precedence;
        if (live.name !== news.policyName) {
            const other = (await listPolicies(settings, news)).find((p) => p.id !== id && p.name === news.policyName);
            if (other !== undefined) {
                throw cloudflareError(
                    `Access application ${news.applicationId} (${news.domain}) already has another policy named "${news.policyName}" (id ${other.id}). Nothing was written. ` +
                        `Give this resource a policyName no other policy of the application has, ${RUN_AGAIN}.`,
                    { method: "GET", path: policiesPath(news), status: 200 },
                );
            }
        }
        const upToDate = live.name === news.policyName && driftOf(live).length === 0 && admitsExactly(live, news.serviceTokenIds);
        if (!upToDate) {
            await cfRequest<RemotePolicy>(settings, {
                method: "PUT",
                path: policyPath(news, id),
                body: policyBody(news.policyName, news.serviceTokenIds, precedence),
                unknownOutcomeHint: `The update of Access policy ${id} may or may not have been applied: run \`pulumi refresh\`, ${RUN_AGAIN}.`,
            });
        }
        return { outs: outputs(news, String(id), precedence) };
    }

    /** Deletes this policy only; never the application or another policy. */
    async delete(id: pulumi.ID, props: AccessApplicationPolicyOutputs): Promise<void> {
        const settings = this.settings();
        try {
            await cfRequest(settings, {
                method: "DELETE",
                path: policyPath(props, id),
                unknownOutcomeHint: `The delete of Access policy ${id} may or may not have been applied: run Pulumi again (a policy already gone counts as deleted).`,
            });
        } catch (e) {
            if (!isNotFound(e)) throw e;
            // A 404 of the policy is done; a 404 of the application (a wrong account or id) is not.
            await getApplication(settings, props);
        }
    }
}

/** The application, checked: it exists (404: an error naming the config key) and guards `domain`. */
async function getApplication(settings: ClientSettings, where: { accountId: string; applicationId: string; domain: string }): Promise<RemoteApplication> {
    const path = appPath(where);
    let app: RemoteApplication;
    try {
        app = (await cfRequest<RemoteApplication>(settings, { method: "GET", path })).result ?? {};
    } catch (e) {
        if (isNotFound(e)) {
            throw cloudflareError(
                `Access application ${where.applicationId} does not exist in Cloudflare account ${where.accountId} (GET ${path} answered 404). Nothing was written. ` +
                    `Set ${APPLICATION_ID_CONFIG} to the id of the application that guards ${where.domain} ` +
                    `(Cloudflare Zero Trust > Access > Applications > ${where.domain} > Overview > Application ID), and check the account id, ${RUN_AGAIN}.`,
                { method: "GET", path, status: 404, errors: e.errors },
            );
        }
        throw e;
    }
    const live = typeof app.domain === "string" ? app.domain.trim().toLowerCase().replace(/\/+$/, "") : "";
    if (live !== where.domain) {
        throw cloudflareError(
            `Access application ${where.applicationId}${app.name ? ` ("${app.name}")` : ""} guards ${live === "" ? "no domain" : live}, not ${where.domain}. Nothing was written. ` +
                `Set ${APPLICATION_ID_CONFIG} to the id of the application that guards ${where.domain}, ${RUN_AGAIN}.`,
            { method: "GET", path, status: 200 },
        );
    }
    return app;
}

/** Every policy the application uses, app-scoped and reusable, all pages. */
async function listPolicies(settings: ClientSettings, where: { accountId: string; applicationId: string }): Promise<Listed[]> {
    const path = policiesPath(where);
    const all: RemotePolicy[] = [];
    for (let page = 1; ; page++) {
        if (page > LIST_PAGES) {
            throw cloudflareError(
                `Cloudflare API GET ${path} has more than ${LIST_PAGES} pages of ${PER_PAGE} policies: Pulumi stops reading there. Remove the application's unused policies, ${RUN_AGAIN}.`,
                { method: "GET", path, status: 200 },
            );
        }
        const res = await cfRequest<RemotePolicy[]>(settings, { method: "GET", path, query: { page: String(page), per_page: String(PER_PAGE) } });
        const items = Array.isArray(res.result) ? res.result : [];
        all.push(...items);
        // The last page: as result_info counts it (total_pages, or total_count over per_page), or else the
        // first page that is not full, as Cloudflare's SDKs page (they do not rely on total_pages).
        const info = res.resultInfo;
        const pages =
            typeof info?.total_pages === "number" ? info.total_pages : typeof info?.total_count === "number" ? Math.ceil(info.total_count / PER_PAGE) : undefined;
        if (items.length === 0 || (pages !== undefined ? page >= pages : items.length < PER_PAGE)) break;
    }
    return all.filter((p): p is Listed => typeof p?.id === "string" && p.id !== "");
}

function policyBody(name: string, tokenIds: readonly string[], precedence: number): Record<string, unknown> {
    return { name, decision: DECISION, include: tokenIds.map((id) => ({ service_token: { token_id: id } })), precedence };
}

function outputs(inputs: AccessApplicationPolicyInputs, policyId: string, precedence: number): AccessApplicationPolicyOutputs {
    return {
        accountId: inputs.accountId,
        applicationId: inputs.applicationId,
        domain: inputs.domain,
        policyName: inputs.policyName,
        serviceTokenIds: [...inputs.serviceTokenIds],
        policyId,
        precedence,
    };
}

/** The token ids of the policy's service_token include rules, in its order. */
function serviceTokenIdsOf(p: RemotePolicy): string[] {
    const ids: string[] = [];
    // Stryker disable next-line ArrayDeclaration: any element put in the fallback list has no service_token, so no id is read from it either way
    for (const rule of Array.isArray(p.include) ? p.include : []) {
        const id = (rule as { service_token?: { token_id?: unknown } } | null)?.service_token?.token_id;
        if (typeof id === "string") ids.push(id);
    }
    return ids;
}

/** What the live policy has that the inputs cannot say (each one is undone by the next update). */
function driftOf(p: RemotePolicy): string[] {
    const drift: string[] = [];
    if (p.decision !== DECISION) drift.push(`decision is ${shown(p.decision)}, not ${DECISION}`);
    const others = (Array.isArray(p.include) ? p.include : []).filter((r) => typeof (r as { service_token?: { token_id?: unknown } } | null)?.service_token?.token_id !== "string");
    if (others.length > 0) drift.push(`include has ${others.length} rule(s) other than service tokens: ${clip(JSON.stringify(others))}`);
    if (Array.isArray(p.require) && p.require.length > 0) drift.push(`require has ${p.require.length} rule(s)`);
    if (Array.isArray(p.exclude) && p.exclude.length > 0) drift.push(`exclude has ${p.exclude.length} rule(s)`);
    return drift;
}

/** True when the policy's service_token rules are exactly `tokenIds`, each once (a repeated rule is not the same policy). */
function admitsExactly(p: RemotePolicy, tokenIds: readonly string[]): boolean {
    const live = serviceTokenIdsOf(p);
    return sameSet(live, tokenIds) && live.length === tokenIds.length;
}

function shown(v: unknown): string {
    return typeof v === "string" ? `"${clip(v)}"` : v === undefined ? "nothing" : `a ${Array.isArray(v) ? "list" : typeof v}`;
}

function clip(s: string): string {
    return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

function appPath(w: { accountId: string; applicationId: string }): string {
    return `/accounts/${encodeURIComponent(w.accountId)}/access/apps/${encodeURIComponent(w.applicationId)}`;
}

function policiesPath(w: { accountId: string; applicationId: string }): string {
    return `${appPath(w)}/policies`;
}

function policyPath(w: { accountId: string; applicationId: string }, id: string): string {
    return `${policiesPath(w)}/${encodeURIComponent(id)}`;
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const accessApplicationPolicyProvider = /* @__PURE__ */ new AccessApplicationPolicyProvider();

export interface AccessApplicationPolicyArgs {
    /** The Cloudflare account of the application. Changing it replaces the policy (create first). Required. */
    readonly accountId: pulumi.Input<string>;
    /** The hand-made Access application's id (config `raxx-platform:vaultAccessApplicationId`); never written. Changing it replaces the policy (create first). Required. */
    readonly applicationId: string;
    /** The host the application must guard, e.g. `vault.raxx.app`: create, read and update refuse an application for another domain. Required. */
    readonly domain: string;
    /** The policy's name, unique in the application, e.g. `raxx-platform-automation`. A change renames it in place. Required. */
    readonly policyName: string;
    /** Exactly the Access service tokens (their ids, not client ids) the policy admits; OR'ed include rules, decision non_identity. A change is an update. Required, at least one. */
    readonly serviceTokenIds: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * One application-scoped Access policy on a hand-made Access application: it admits exactly
 * `serviceTokenIds` (decision non_identity). The application and its other policies are
 * never written. See docs/cloudflare-access-provider.md.
 */
export class AccessApplicationPolicy extends BundledResource {
    declare readonly accountId: pulumi.Output<string>;
    declare readonly applicationId: pulumi.Output<string>;
    declare readonly domain: pulumi.Output<string>;
    /** The policy's name (after a refresh, the live one). */
    declare readonly policyName: pulumi.Output<string>;
    /** The admitted service token ids (after a refresh, the live ones). */
    declare readonly serviceTokenIds: pulumi.Output<string[]>;
    /** Cloudflare's id of the policy. */
    declare readonly policyId: pulumi.Output<string>;
    /** Its precedence in the application: one more than the highest at create. */
    declare readonly precedence: pulumi.Output<number>;
    /** After a refresh: what the live policy has that the inputs cannot say; undone by the next update. */
    declare readonly drift: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: AccessApplicationPolicyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "accessApplicationPolicyProvider",
            name,
            {
                accountId: args.accountId,
                applicationId: args.applicationId,
                domain: args.domain,
                policyName: args.policyName,
                serviceTokenIds: args.serviceTokenIds,
                policyId: undefined,
                precedence: undefined,
                drift: undefined,
            },
            opts,
            "cloudflare",
            "AccessApplicationPolicy",
        );
    }
}
