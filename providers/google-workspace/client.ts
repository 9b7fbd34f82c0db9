// What the Google Workspace providers share: their settings (the service account key, the
// admin user it acts as, the API root, the HTTP knobs), a session per provider operation
// (a JWT client with domain-wide delegation, the Directory API and the Groups Settings API
// on it), and the attempt loop every API call goes through.
//
// The official clients do the HTTP: @googleapis/admin (Directory API), googleapis-common
// (the Groups Settings binding in ./groupsSettings) and google-auth-library (the JWT, which
// signs an assertion and trades it at https://oauth2.googleapis.com/token for an access
// token with the requested scopes, `sub` being the admin user). They are required when a
// call is made, never when the program imports this folder: a program only declares
// resources, and loading the clients would cost every evaluation.
//
// Like providers/infisical/client.ts, everything here must survive Pulumi's serialization
// of the providers: no `#private` fields, no captured `Output`s, credentials read at call
// time (env, or what `configure` read from stack config), errors built with
// `Object.assign(new Error())`. gaxios' own retries are off (`retry: false`) on every
// request, the token's included: the loop here owns them, with the project's knobs.
import type { admin_directory_v1 } from "@googleapis/admin";
import type { GaxiosError, GaxiosOptionsPrepared, GaxiosResponse } from "gaxios";
import type { JWT } from "google-auth-library";

import { ApiError, ApiErrorFields, HttpKnobs, RUN_AGAIN, apiError, backoff, baseUrlOr, clean, isApiError, maskSecrets, nonEmpty, resolveKnobs, retryAfterMs, sentence, sleep } from "../http";
import { GROUPS_SETTINGS_ROOT_URL, GroupsSettingsApi, groupsSettingsApi } from "./groupsSettings";

export { RUN_AGAIN };

/** Secret stack config (project namespace) with the service account's JSON key; wins over the env var. */
export const WORKSPACE_CREDENTIALS_CONFIG = "workspaceCredentials";
/** Env var with the service account's JSON key, as text. */
export const WORKSPACE_CREDENTIALS_ENV = "GOOGLE_WORKSPACE_CREDENTIALS";
/** Stack config (project namespace) with the admin user the service account acts as; wins over the env var. */
export const WORKSPACE_ADMIN_USER_CONFIG = "workspaceAdminUser";
/** Env var with the admin user the service account acts as. */
export const WORKSPACE_ADMIN_USER_ENV = "GOOGLE_WORKSPACE_ADMIN_USER";
/** Test seam: one root for the Directory API, the Groups Settings API and the OAuth token endpoint (`<root>/token`). */
export const WORKSPACE_API_URL_ENV = "GOOGLE_WORKSPACE_API_URL";
/** Prefix of the HTTP knobs' env vars: GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS and its siblings (see HttpKnobs). */
export const WORKSPACE_HTTP_PREFIX = "GOOGLE_WORKSPACE";

/** Google's roots, as the generated clients and google-auth-library have them. */
export const DIRECTORY_ROOT_URL = "https://admin.googleapis.com/";
export { GROUPS_SETTINGS_ROOT_URL };
/** Where google-auth-library trades the signed assertion for a token (gtoken/getToken.js), and the assertion's `aud`. */
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

/** The OAuth scopes the providers ask for, each resource kind its own. Domain-wide delegation must grant every one. */
export const SCOPES = {
    domainReadonly: "https://www.googleapis.com/auth/admin.directory.domain.readonly",
    group: "https://www.googleapis.com/auth/admin.directory.group",
    groupReadonly: "https://www.googleapis.com/auth/admin.directory.group.readonly",
    groupMember: "https://www.googleapis.com/auth/admin.directory.group.member",
    groupMemberReadonly: "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
    groupsSettings: "https://www.googleapis.com/auth/apps.groups.settings",
    user: "https://www.googleapis.com/auth/admin.directory.user",
    userReadonly: "https://www.googleapis.com/auth/admin.directory.user.readonly",
} as const;

/** Every scope the stack's Workspace resources and checks use: the list to paste into the delegation. */
export const WORKSPACE_SCOPES: readonly string[] = Object.values(SCOPES);

/** Where an admin grants a client id its scopes. */
export const DELEGATION_PAGE = "Admin console > Security > Access and data control > API controls > Manage Domain Wide Delegation";

/** A loose email shape: one @, no spaces, a dot in the domain. Google has the last word. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Retry and timeout knobs. Each field falls back to its env var `GOOGLE_WORKSPACE_HTTP_*` (see HttpKnobs), then to the default. */
export type HttpOptions = Partial<HttpKnobs>;

/** What `configure` read from stack config, or what a caller (the verify provider) passes. */
export interface WorkspaceConfig {
    /** The service account's JSON key, as text. */
    readonly credentials?: string;
    /** The admin user's email. */
    readonly adminUser?: string;
}

/** Everything a session needs, resolved at call time. Holds the private key: keep it in memory, never in state or a message. */
export interface WorkspaceSettings extends HttpKnobs {
    readonly clientEmail: string | undefined;
    /** The service account's client id (the number domain-wide delegation is granted to), when the key has it. */
    readonly clientId: string | undefined;
    readonly privateKey: string | undefined;
    readonly adminUser: string | undefined;
    /** Where the key came from, for messages: the env var or the stack config key. */
    readonly credentialsSource: string;
    /** Where the admin user came from, for messages. */
    readonly adminUserSource: string;
    /** The test seam's root, without a trailing slash; undefined for Google's own endpoints. */
    readonly apiRoot: string | undefined;
    /** Why no request can be sent, each reason with what to do; reported by the first request. */
    readonly unusable?: readonly string[];
    /** The key's text and its PEM lines: masked in every message. */
    readonly secrets: readonly string[];
}

const CREDENTIALS_WORDS = `stack config ${WORKSPACE_CREDENTIALS_CONFIG}`;
const ADMIN_WORDS = `stack config ${WORKSPACE_ADMIN_USER_CONFIG}`;
const KEY_TODO =
    `Give it the service account's JSON key, whole, as Google Cloud gives it (IAM & Admin > Service Accounts > the account > Keys > Add key > JSON): ` +
    `\`pulumi config set --secret ${WORKSPACE_CREDENTIALS_CONFIG} < key.json\`, or the file's text in ${WORKSPACE_CREDENTIALS_ENV}.`;
const ADMIN_TODO =
    `Set the email of a super admin for the service account to act as: \`pulumi config set ${WORKSPACE_ADMIN_USER_CONFIG} admin@raxx.app\`, or ${WORKSPACE_ADMIN_USER_ENV}.`;

/**
 * The settings now: stack config (`configured`), then env, then defaults. Never throws and
 * never echoes the key: a missing or malformed key or admin user becomes a reason in
 * `unusable`, naming the config key and the env var.
 */
export function resolveWorkspaceSettings(configured: WorkspaceConfig = {}, http: HttpOptions = {}): WorkspaceSettings {
    const problems: string[] = [];
    const keyFromConfig = nonEmpty(configured.credentials);
    const keyText = keyFromConfig ?? nonEmpty(process.env[WORKSPACE_CREDENTIALS_ENV]);
    const credentialsSource = keyFromConfig !== undefined ? CREDENTIALS_WORDS : WORKSPACE_CREDENTIALS_ENV;
    const key = parseKey(keyText, credentialsSource, problems);

    const adminFromConfig = nonEmpty(configured.adminUser);
    const adminUser = adminFromConfig ?? nonEmpty(process.env[WORKSPACE_ADMIN_USER_ENV]);
    const adminUserSource = adminFromConfig !== undefined ? ADMIN_WORDS : WORKSPACE_ADMIN_USER_ENV;
    if (adminUser === undefined) {
        problems.push(`neither ${ADMIN_WORDS} nor ${WORKSPACE_ADMIN_USER_ENV} is set). ${ADMIN_TODO}`);
    } else if (!EMAIL.test(adminUser)) {
        problems.push(`${adminUserSource} is "${clean(adminUser, 80)}", not an email address). ${ADMIN_TODO}`);
    }

    const rawRoot = nonEmpty(process.env[WORKSPACE_API_URL_ENV]);
    const apiRoot =
        rawRoot === undefined
            ? undefined
            : baseUrlOr(rawRoot, "", `${WORKSPACE_API_URL_ENV} is not an http(s) URL). Unset it: it is a test seam, and Google's endpoints are the default.`, problems) || undefined;
    const knobs = resolveKnobs(WORKSPACE_HTTP_PREFIX, http, problems);
    const secrets = keyText === undefined ? [] : [keyText, ...(key.privateKey === undefined ? [] : pemLines(key.privateKey))];
    const settings: WorkspaceSettings = { ...key, adminUser, credentialsSource, adminUserSource, apiRoot, ...knobs, secrets };
    return problems.length === 0 ? settings : { ...settings, unusable: problems };
}

/** The key's fields, or problems naming `source`; the text itself is never quoted (a parse error would quote it). */
function parseKey(text: string | undefined, source: string, problems: string[]): { clientEmail: string | undefined; clientId: string | undefined; privateKey: string | undefined } {
    const none = { clientEmail: undefined, clientId: undefined, privateKey: undefined };
    if (text === undefined) {
        problems.push(`neither ${CREDENTIALS_WORDS} nor ${WORKSPACE_CREDENTIALS_ENV} is set). ${KEY_TODO}`);
        return none;
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        problems.push(`${source} is not JSON). ${KEY_TODO}`);
        return none;
    }
    const k = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
    const clientEmail = typeof k.client_email === "string" && EMAIL.test(k.client_email) ? k.client_email : undefined;
    const privateKey = typeof k.private_key === "string" && readablePrivateKey(k.private_key) ? k.private_key : undefined;
    const clientId = typeof k.client_id === "string" && /^\d+$/.test(k.client_id) ? k.client_id : undefined;
    const bad = [clientEmail === undefined ? "client_email" : "", privateKey === undefined ? "private_key" : ""].filter((x) => x !== "");
    if (typeof k.type === "string" && k.type !== "service_account") {
        problems.push(`${source} is a key of type "${clean(k.type, 40)}", not a service account's ("type": "service_account")). ${KEY_TODO}`);
    } else if (bad.length > 0) {
        problems.push(`${source} has no usable ${bad.join(" or ")}: it is not a service account's JSON key, or not all of it). ${KEY_TODO}`);
    }
    return { clientEmail, clientId, privateKey };
}

/** True when node can read `pem` as a private key (what the JWT will sign with). */
function readablePrivateKey(pem: string): boolean {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("node:crypto") as typeof import("node:crypto")).createPrivateKey(pem);
    } catch {
        return false;
    }
    return true;
}

/** The PEM's base64 lines: a message holding any one of them would leak part of the key. */
function pemLines(pem: string): string[] {
    // A base64 line never starts with "-": only the BEGIN and END lines do.
    return pem.split(/\r?\n|\\n/).filter((l) => l.length >= 16 && l[0] !== "-");
}

/** A Google API call that failed for good, or a session that could not start. */
export interface WorkspaceApiError extends ApiError<"WorkspaceApiError"> {
    /** Google's reason (`notFound`, `duplicate`, `forbidden`, ...) or the token endpoint's `error` (`unauthorized_client`). */
    readonly reason: string | undefined;
    /** Google's message, masked. */
    readonly googleMessage: string | undefined;
    /** True when the token endpoint refused, so the API request itself was never sent. */
    readonly tokenRefused: boolean;
}

interface WorkspaceErrorFields extends ApiErrorFields {
    readonly reason?: string;
    readonly googleMessage?: string;
    readonly tokenRefused?: boolean;
}

/** Builds a WorkspaceApiError (see `apiError`). */
export function workspaceError(message: string, fields: WorkspaceErrorFields): WorkspaceApiError {
    return apiError("WorkspaceApiError", message, fields, { reason: fields.reason, googleMessage: fields.googleMessage, tokenRefused: fields.tokenRefused ?? false });
}

export function isWorkspaceApiError(e: unknown): e is WorkspaceApiError {
    return isApiError(e, "WorkspaceApiError");
}

/** A 404 from the API: the thing is not there. */
export function isNotFound(e: unknown): boolean {
    return isWorkspaceApiError(e) && e.status === 404 && !e.tokenRefused;
}

/** A 409 from an insert: the thing exists already. */
export function isConflict(e: unknown): boolean {
    return isWorkspaceApiError(e) && e.status === 409 && !e.tokenRefused;
}

/** A write whose reply was lost or a 5xx: it may have been applied. */
export function isOutcomeUnknown(e: unknown): boolean {
    return isWorkspaceApiError(e) && e.outcomeUnknown;
}

/** The APIs of one session. */
export interface Apis {
    readonly directory: admin_directory_v1.Admin;
    readonly groupsSettings: GroupsSettingsApi;
}

/** One provider operation's clients, on one JWT (one token, for `scopes`). */
export interface Session {
    readonly settings: WorkspaceSettings;
    readonly scopes: readonly string[];
    readonly apis: Apis;
    /** Access tokens and assertions seen on the wire, added as they come: masked in every message. */
    readonly secrets: string[];
}

/**
 * A session acting as the admin user with `scopes`. Nothing is sent yet: the token is
 * fetched by the first call, so its failure names that call. Builds no client when the
 * settings are unusable (the first call reports why).
 */
export function openSession(settings: WorkspaceSettings, scopes: readonly string[]): Session {
    const secrets: string[] = [];
    if (settings.unusable !== undefined) return { settings, scopes, apis: undefined as unknown as Apis, secrets };
    // google-auth-library logs every request's headers (the bearer token) and every reply (the
    // access token) to stderr when GOOGLE_SDK_NODE_LOGGING is set, past the masking here; its
    // logger is made when the library is first loaded, which is just below in the provider host.
    delete process.env.GOOGLE_SDK_NODE_LOGGING;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const auth = require("google-auth-library") as typeof import("google-auth-library");
    const admin = require("@googleapis/admin") as typeof import("@googleapis/admin");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const jwt: JWT = new auth.JWT({
        email: settings.clientEmail,
        key: settings.privateKey,
        scopes: [...scopes],
        subject: settings.adminUser,
        // The token request sets no timeout of its own.
        transporterOptions: { timeout: settings.timeoutMs },
    });
    const tokenUrl = tokenUrlOf(settings);
    jwt.transporter.interceptors.request.add({
        resolved: async (opts: GaxiosOptionsPrepared) => {
            // The seam: google-auth-library hard-codes the token endpoint (gtoken/getToken.js).
            if (String(opts.url) === GOOGLE_TOKEN_URL) {
                opts.url = new URL(tokenUrl);
                const assertion = opts.body instanceof URLSearchParams ? opts.body.get("assertion") : null;
                if (assertion) secrets.push(assertion);
            }
            // The token request asks gaxios to retry POSTs; callApi retries instead, counting every attempt.
            opts.retry = false;
            delete opts.retryConfig;
            return opts;
        },
    });
    jwt.transporter.interceptors.response.add({
        resolved: async (res: GaxiosResponse) => {
            const token = (res?.data as { access_token?: unknown } | undefined)?.access_token;
            if (typeof token === "string" && token !== "") secrets.push(token);
            return res;
        },
    });
    const common = { auth: jwt, retry: false, timeout: settings.timeoutMs };
    const root = settings.apiRoot === undefined ? undefined : `${settings.apiRoot}/`;
    const directory = admin.admin({ version: "directory_v1", ...common, rootUrl: root ?? DIRECTORY_ROOT_URL });
    const groupsSettings = groupsSettingsApi({ ...common, rootUrl: root ?? GROUPS_SETTINGS_ROOT_URL });
    return { settings, scopes, apis: { directory, groupsSettings }, secrets };
}

/** Where the session gets its tokens: Google's endpoint, or the seam's `<root>/token`. */
function tokenUrlOf(settings: WorkspaceSettings): string {
    return settings.apiRoot === undefined ? GOOGLE_TOKEN_URL : `${settings.apiRoot}/token`;
}

/** One API call, as `callApi` sends it. */
export interface CallSpec<T> {
    /** `Directory API` or `Groups Settings API`. */
    readonly api: "Directory API" | "Groups Settings API";
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** The path under the API's base, for messages: `groups`, `groups/ops@raxx.app/members`. */
    readonly path: string;
    /** False for an insert: a 5xx or a lost reply is then final (the caller reconciles by GET); a 429 is still retried. Default true. */
    readonly retryable?: boolean;
    /** Secret strings this call carries (a password): masked in every message. */
    readonly secrets?: readonly string[];
    /** Replaces the generic advice when a write's outcome is unknown. */
    readonly unknownOutcomeHint?: string;
    /**
     * True for a call about a group made or renamed moments ago: Google's directory is
     * eventually consistent, and answers 404 for a new group for a few seconds, so a 404 is
     * retried like a 5xx (within maxAttempts). Default false: a 404 is an answer.
     */
    readonly fresh?: boolean;
    /** Sends the request once with the official client; resolves with a 2xx. */
    readonly send: (apis: Apis) => Promise<{ data: T }>;
}

/** What went wrong with one attempt. */
interface Failure {
    /** 0 when no reply came. */
    readonly status: number;
    readonly body: unknown;
    readonly retryAfter: string | null;
    readonly timedOut: boolean;
    readonly networkCode: string;
    /** True when the token endpoint answered (or did not): the API request was not sent. */
    readonly token: boolean;
    /** A failure that is not HTTP at all (a client-side error): its message, masked later. */
    readonly local?: string;
}

/**
 * Sends `spec` at most `maxAttempts` times, each bounded by `timeoutMs`: retries a 429
 * always (after `Retry-After`, capped, or backoff); a 5xx, a timeout or a network error
 * when the request is safe to send twice, or when it was the token request that failed
 * (the API request was then never sent). Resolves with the reply's data; throws a masked
 * WorkspaceApiError otherwise, naming the call, the status, Google's message and what to do.
 */
export async function callApi<T>(session: Session, spec: CallSpec<T>): Promise<T> {
    const { settings } = session;
    const label = `${spec.api} ${spec.method} ${spec.path}`;
    const write = spec.method !== "GET";
    const mask = (text: string) => maskSecrets(text, [...settings.secrets, ...session.secrets, ...(spec.secrets ?? [])]);
    const fields = { method: spec.method, path: spec.path };

    if (settings.unusable !== undefined) {
        // Each reason reads "<what is wrong>). <what to do>", as resolveKnobs words its own.
        const cut = (p: string) => (p.includes("). ") ? [p.slice(0, p.indexOf("). ")), p.slice(p.indexOf("). ") + 3)] : [p, ""]);
        const what = settings.unusable.map((p) => cut(p)[0]);
        const todo = [...new Set(settings.unusable.map((p) => cut(p)[1]).filter((t) => t !== ""))];
        const summary = `${label} failed: no response (not sent: ${what.join("; ")}).`;
        throw workspaceError(mask(`${summary} ${todo.join(" ")}`), { ...fields, status: 0, attempts: 0, summary: mask(summary) });
    }

    let attempt = 0;
    for (;;) {
        attempt++;
        let failure: Failure;
        try {
            const res = await spec.send(session.apis);
            return res.data;
        } catch (e) {
            failure = readFailure(e, settings);
        }
        const retryable = (spec.retryable ?? true) || failure.token;
        const transient = failure.status === 0 || failure.status >= 500;
        // Not processed, so safe to send again, an insert included: the Directory API's rate limits, which it
        // signals with 403 as well as 429 (its "Limits and quotas" page); and a 404 for a group made a moment ago.
        // Stryker disable next-line StringLiteral: the fallback stands for "no reason", and no other string but the three reasons is in RATE_LIMIT_REASONS either
        const throttled = failure.status === 429 || (failure.status === 403 && !failure.token && RATE_LIMIT_REASONS.includes(googleError(failure.body).reason ?? ""));
        const notYet = failure.status === 404 && spec.fresh === true && !failure.token;
        if (failure.local === undefined && attempt < settings.maxAttempts && (throttled || notYet || (transient && retryable))) {
            const after = retryAfterMs(failure.retryAfter);
            await sleep(throttled && after !== undefined ? Math.min(after, settings.maxRetryAfterMs) : backoff(settings, attempt));
            continue;
        }
        throw failed(session, spec, label, failure, attempt, write, mask);
    }
}

/** The `errors[].reason`s of a Google API error that mean "slow down" (Directory API "Limits and quotas"). */
const RATE_LIMIT_REASONS = ["userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded"];

/** The final error for `failure`. */
function failed<T>(session: Session, spec: CallSpec<T>, label: string, f: Failure, attempt: number, write: boolean, mask: (s: string) => string): WorkspaceApiError {
    const { settings } = session;
    const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;
    const base = { method: spec.method, path: spec.path, attempts: attempt };
    const who = `the service account ${settings.clientEmail} (client_id ${settings.clientId ?? "not in the key: see the account's Unique ID in Google Cloud"})`;
    const make = (message: string, summary: string, more: Partial<WorkspaceErrorFields> & { status: number }) =>
        workspaceError(mask(message), { ...base, ...more, summary: mask(summary) });

    if (f.local !== undefined) {
        const summary = `${label} failed: ${sentence(clean(f.local, 300))}`;
        return make(`${summary} ${RUN_AGAIN[0].toUpperCase()}${RUN_AGAIN.slice(1)}; if it fails again, this is a bug in the provider.`, summary, { status: 0 });
    }

    if (f.token) {
        const body = (typeof f.body === "object" && f.body !== null ? f.body : {}) as { error?: unknown; error_description?: unknown };
        // OAuth's own error shape, {error, error_description}; anything else (a proxy, an outage page) as Google's API errors.
        const oauth = typeof body.error === "string";
        const other = oauth ? {} : googleError(f.body);
        const error = oauth ? clean(String(body.error), 60) : other.reason;
        const description = oauth ? (typeof body.error_description === "string" ? clean(body.error_description, 300) : undefined) : other.message;
        const tokenWhere = tokenUrlOf(settings);
        if (f.status === 0) {
            const what = f.timedOut ? `timed out after ${settings.timeoutMs} ms` : `network error reaching ${tokenWhere}${f.networkCode ? `: ${f.networkCode}` : ""}`;
            const summary = `${label} was not sent: Google's OAuth token endpoint gave no token${tries}: no response (${what}).`;
            return make(`${summary} Check the network, ${RUN_AGAIN}.`, summary, { status: 0, tokenRefused: true });
        }
        const detail = `${f.status}${error ? ` ${error}` : ""}${description ? `: ${description}` : ""}`;
        const failing = f.status === 429 || f.status >= 500;
        const summary = sentence(
            failing
                ? `${label} was not sent: Google's OAuth token endpoint failed${tries}: ${detail}`
                : `${label} was not sent: Google's OAuth token endpoint refused ${who} acting as ${settings.adminUser}${tries}: ${detail}`,
        );
        let todo: string;
        if (error === "unauthorized_client" || error === "access_denied") {
            // Google's JWT error table: both mean the delegation lacks this client id or one of these scopes.
            todo =
                `Client id ${settings.clientId ?? "(see the service account's Unique ID)"} has no domain-wide delegation for these scopes: ${session.scopes.join(", ")}. ` +
                `In the ${DELEGATION_PAGE}, add the numeric client id (not the account's email) with these scopes, or add the missing ones to its entry ` +
                `(the stack's resources use ${WORKSPACE_SCOPES.join(", ")}); a change there can take up to 24 hours to apply. Then run Pulumi again.`;
        } else if (error === "invalid_grant") {
            todo =
                `Google does not let the key act as ${settings.adminUser}: the admin user (${settings.adminUserSource}) must be an active user of this Workspace account, a super admin, ` +
                `and the key (${settings.credentialsSource}) must be live, not deleted or disabled (Google Cloud > IAM & Admin > Service Accounts), with this machine's clock right. ${ADMIN_TODO}`;
        } else if (failing) {
            todo = `Google's token endpoint is failing or rate limited: wait a minute, ${RUN_AGAIN}.`;
        } else {
            todo = `Check the key (${settings.credentialsSource}) and the admin user (${settings.adminUserSource}), ${RUN_AGAIN}.`;
        }
        return make(`${summary} ${todo}`, summary, { status: f.status, reason: error, googleMessage: description, tokenRefused: true });
    }

    if (f.status === 0) {
        const unknown = write;
        const what = f.timedOut ? `timed out after ${settings.timeoutMs} ms` : `network error reaching ${apiOrigin(settings, spec.api)}${f.networkCode ? `: ${f.networkCode}` : ""}`;
        const summary = `${label} failed${tries}: no response (${what}).`;
        const todo = unknown && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Check the network, ${RUN_AGAIN} (${WORKSPACE_HTTP_PREFIX}_HTTP_TIMEOUT_MS sets each attempt's timeout).`;
        return make(`${summary} ${todo}`, summary, { status: 0, outcomeUnknown: unknown });
    }

    const google = googleError(f.body);
    const detail = `${f.status}${google.reason ? ` ${google.reason}` : ""}${google.message ? `: ${google.message}` : ""}`;
    const summary = sentence(`${label} failed${tries}: ${detail}`);
    const unknown = write && f.status >= 500;
    let todo: string;
    if (f.status === 403 && /Not Authorized to access this resource\/api/i.test(google.message ?? "")) {
        todo =
            `The admin user ${settings.adminUser} (${settings.adminUserSource}) may not make this call: it must be a super admin (Admin console > Account > Admin roles), ` +
            `and the delegation of client id ${settings.clientId ?? "(see the service account's Unique ID)"} must grant ${session.scopes.join(", ")} (${DELEGATION_PAGE}), ${RUN_AGAIN}.`;
    } else if (f.status === 403 && /accessNotConfigured|SERVICE_DISABLED|has not been used in project|is disabled/i.test(`${google.reason} ${google.message}`)) {
        todo = `Enable the Admin SDK API and the Groups Settings API in the service account's Google Cloud project (APIs & Services > Library), ${RUN_AGAIN}.`;
    } else if (f.status === 403) {
        todo = `Google refused ${who} acting as ${settings.adminUser}: check its delegated scopes (${session.scopes.join(", ")}) in the ${DELEGATION_PAGE}, and the admin user's role, ${RUN_AGAIN}.`;
    } else if (f.status === 401) {
        todo = `Google did not take the access token: check that the key (${settings.credentialsSource}) is live, ${RUN_AGAIN}.`;
    } else if (f.status === 429) {
        todo = `Google's quota for the API is used up: wait a minute, ${RUN_AGAIN}.`;
    } else if (unknown && spec.unknownOutcomeHint) {
        todo = spec.unknownOutcomeHint;
    } else if (f.status >= 500) {
        todo = `Google is failing: ${RUN_AGAIN}.`;
    } else if (f.status === 404) {
        todo = `It does not exist, or the admin user cannot see it: ${RUN_AGAIN} once it does.`;
    } else {
        todo = `Google refused the request: correct what its message names, ${RUN_AGAIN}.`;
    }
    return make(`${summary} ${todo}`, summary, { status: f.status, reason: google.reason, googleMessage: google.message, outcomeUnknown: unknown });
}

/** Google's JSON error, `{error: {code, message, errors: [{reason}], status}}`, or a plain body. */
function googleError(body: unknown): { reason?: string; message?: string } {
    const err = (body as { error?: unknown } | undefined)?.error;
    if (typeof err === "object" && err !== null) {
        const e = err as { message?: unknown; errors?: unknown; status?: unknown };
        const first = Array.isArray(e.errors) ? (e.errors[0] as { reason?: unknown } | undefined) : undefined;
        const reason = typeof first?.reason === "string" ? first.reason : typeof e.status === "string" ? e.status : undefined;
        return { reason: reason && clean(reason, 60), message: typeof e.message === "string" ? clean(e.message, 300) : undefined };
    }
    if (typeof body === "string" && body.trim() !== "") return { message: clean(body.replace(/<[^>]*>/g, " "), 200) };
    return {};
}

/** Reads what gaxios threw. */
function readFailure(e: unknown, settings: WorkspaceSettings): Failure {
    const g = e as Partial<GaxiosError> & { code?: unknown; config?: { url?: unknown } };
    const url = String(g?.config?.url ?? "");
    // The session's interceptor sends every token request to this URL, the seam's included.
    const token = url === tokenUrlOf(settings);
    const res = g?.response as { status?: number; data?: unknown; headers?: { get?(name: string): string | null } } | undefined;
    if (res && typeof res.status === "number") {
        // Stryker disable next-line BooleanLiteral: timedOut is read only for a failure without a reply (status 0)
        return { status: res.status, body: res.data, retryAfter: res.headers?.get?.("retry-after") ?? null, timedOut: false, networkCode: "", token };
    }
    // A missing code reads "undefined": neither TimeoutError, AbortError nor an E-code.
    const code = String(g?.code);
    if (code === "TimeoutError" || (code === "AbortError" && url !== "")) return { status: 0, body: undefined, retryAfter: null, timedOut: true, networkCode: "", token };
    if (url !== "" || /^E[A-Z_]+$/.test(code)) {
        return { status: 0, body: undefined, retryAfter: null, timedOut: false, networkCode: /^E[A-Z_]+$/.test(code) ? code : "", token };
    }
    // Not a request at all: a client-side error (a missing parameter, a key the signer refuses).
    // Stryker disable next-line BooleanLiteral: a local failure is never retried and is reported before timedOut or token is read
    return { status: 0, body: undefined, retryAfter: null, timedOut: false, networkCode: "", token: false, local: String((e as { message?: unknown })?.message ?? e) };
}

function apiOrigin(settings: WorkspaceSettings, api: CallSpec<unknown>["api"]): string {
    if (settings.apiRoot !== undefined) return new URL(settings.apiRoot).origin;
    return new URL(api === "Directory API" ? DIRECTORY_ROOT_URL : GROUPS_SETTINGS_ROOT_URL).origin;
}

/** A Workspace user as the verify provider reads it. */
export interface WorkspaceUser {
    readonly id: string;
    readonly primaryEmail: string;
    readonly suspended: boolean;
    readonly isAdmin: boolean;
}

/** `users.get(email)` with the read-only user scope: the user, or undefined when Google has none (404). */
export async function getWorkspaceUser(settings: WorkspaceSettings, email: string): Promise<WorkspaceUser | undefined> {
    const session = openSession(settings, [SCOPES.userReadonly]);
    try {
        const u = await callApi(session, {
            api: "Directory API",
            method: "GET",
            path: `users/${email}`,
            send: (apis) => apis.directory.users.get({ userKey: email }),
        });
        return { id: String(u.id ?? ""), primaryEmail: String(u.primaryEmail ?? email), suspended: u.suspended === true, isAdmin: u.isAdmin === true };
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}
