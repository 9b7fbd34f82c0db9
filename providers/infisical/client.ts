// A small Infisical REST client for the dynamic provider in this folder.
//
// The vault (https://vault.raxx.app) sits behind Cloudflare Access: every request,
// the Universal Auth login included, carries the stack's Access service token as
// `CF-Access-Client-Id` / `CF-Access-Client-Secret`
// (https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/).
//
// Like providers/heroku/client.ts, everything here must survive Pulumi's serialization
// of the provider: no classes with `#private` fields, no captured `Output`s, only global
// `fetch`/`AbortController`/`setTimeout`, credentials read at call time (env, or what
// `configure` read from stack config), and errors built with `Object.assign(new Error())`.

import { ApiError, ApiErrorFields, HttpKnobs, RUN_AGAIN, apiError, baseUrlOr, clean, knob, isApiError, maskSecrets, nonEmpty, originOf, parseJson, resolveKnobs, sendWithRetries, sentence } from "../http";

export { RUN_AGAIN };

/** Env var with the machine identity's Universal Auth client id (the Infisical CLI's name). */
export const INFISICAL_CLIENT_ID_ENV = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID";
/** Env var with the machine identity's Universal Auth client secret (the Infisical CLI's name). */
export const INFISICAL_CLIENT_SECRET_ENV = "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET";
/** Env var overriding the Infisical base URL (tests point it at 127.0.0.1). */
export const INFISICAL_API_URL_ENV = "INFISICAL_API_URL";
/** Stack config key (project namespace) overriding INFISICAL_UNIVERSAL_AUTH_CLIENT_ID; set it with `--secret`. */
export const INFISICAL_CLIENT_ID_CONFIG = "infisicalClientId";
/** Stack config key (project namespace) overriding INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET; set it with `--secret`. */
export const INFISICAL_CLIENT_SECRET_CONFIG = "infisicalClientSecret";
/** Stack config key (project namespace) overriding INFISICAL_API_URL. */
export const INFISICAL_URL_CONFIG = "infisicalUrl";
/** The vault. */
export const DEFAULT_INFISICAL_URL = "https://vault.raxx.app";

/** A Cloudflare Access service token, as the resource's `access` input carries it. */
export interface AccessToken {
    readonly clientId: string;
    readonly clientSecret: string;
}

/** Retry and timeout knobs. Each field falls back to its env var `INFISICAL_HTTP_*` (see HttpKnobs), then to the default. */
export interface HttpOptions extends Partial<HttpKnobs> {
    /**
     * Attempts, the first included, of a request Cloudflare Access refuses: a
     * policy change takes a few seconds to reach every Cloudflare location, so a
     * token the stack has just admitted may still be refused for a moment. The
     * request never reached the vault, so sending it again is safe, a write
     * included. Env `INFISICAL_HTTP_ACCESS_ATTEMPTS`; default 8 (15 to 30 s of
     * backoff in all: Cloudflare gives no bound for a policy change to spread).
     */
    readonly accessAttempts?: number;
}

/** What `configure` read from stack config, if anything. */
export interface ConfiguredCredentials {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly url?: string;
}

/** Everything a request needs, resolved at call time. */
export interface ClientSettings extends HttpKnobs {
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    /** Where the machine identity came from, for messages: env var names or stack config keys. */
    readonly identitySource: string;
    readonly baseUrl: string;
    readonly accessAttempts: number;
    /** Why no request can be sent, and what to do; reported by the first request. */
    readonly unusable?: string;
}

/** A logged-in session: the settings, the Access token of the resource, and Infisical's access token. */
export interface Session {
    readonly settings: ClientSettings;
    readonly access: AccessToken;
    readonly accessToken: string;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface RequestSpec {
    readonly method: HttpMethod;
    /** Path under the base URL, e.g. `/api/v4/secrets/KEY`. */
    readonly path: string;
    /** Query parameters, URL-encoded by the client. */
    readonly query?: Record<string, string>;
    readonly body?: unknown;
    /** Secret strings that must never appear in an error (values); masked wherever found. */
    readonly secrets?: readonly string[];
    /** False for a create that must not be repeated after a 5xx or a lost reply. Default true. */
    readonly retryable?: boolean;
    /** Replaces the generic advice when a write's outcome is unknown (no response, a 5xx). */
    readonly unknownOutcomeHint?: string;
}

/**
 * An Infisical call that failed for good. Its message names the method, path, status and
 * what to do; `deniedBy` says whether Cloudflare Access or Infisical refused it.
 */
export interface InfisicalApiError extends ApiError<"InfisicalApiError"> {
    /** Infisical's `error` field (e.g. `NotFound`, `PermissionDenied`), when the body was Infisical's. */
    readonly infisicalError: string | undefined;
    /** Infisical's `message`, masked, when the body was Infisical's. */
    readonly infisicalMessage: string | undefined;
    /** Who refused a 401/403/redirect: Cloudflare Access in front of the vault, or Infisical itself. */
    readonly deniedBy: "cloudflare-access" | "infisical" | undefined;
}

interface InfisicalErrorFields extends ApiErrorFields {
    readonly infisicalError?: string;
    readonly infisicalMessage?: string;
    readonly deniedBy?: "cloudflare-access" | "infisical";
}

/** Builds an InfisicalApiError (see `apiError`). */
export function infisicalError(message: string, fields: InfisicalErrorFields): InfisicalApiError {
    const own = { infisicalError: fields.infisicalError, infisicalMessage: fields.infisicalMessage, deniedBy: fields.deniedBy };
    return apiError("InfisicalApiError", message, fields, own);
}

export function isInfisicalApiError(e: unknown): e is InfisicalApiError {
    return isApiError(e, "InfisicalApiError");
}

export const URL_WORDS = `the vault URL (${INFISICAL_API_URL_ENV} or stack config ${INFISICAL_URL_CONFIG}; default ${DEFAULT_INFISICAL_URL})`;
const IDENTITY_TODO =
    `Set the machine identity's Universal Auth client id and secret in ${INFISICAL_CLIENT_ID_ENV} and ${INFISICAL_CLIENT_SECRET_ENV}, ` +
    `or in stack config (\`pulumi config set ${INFISICAL_CLIENT_ID_CONFIG} <id>\`, \`pulumi config set --secret ${INFISICAL_CLIENT_SECRET_CONFIG} <secret>\`).`;

/** Credentials and knobs now: stack config (via `configure`), then env, then defaults. Never throws. */
export function resolveSettings(configured: ConfiguredCredentials = {}, http: HttpOptions = {}): ClientSettings {
    const problems: string[] = [];
    const idFromConfig = nonEmpty(configured.clientId);
    const secretFromConfig = nonEmpty(configured.clientSecret);
    const clientId = idFromConfig ?? nonEmpty(process.env[INFISICAL_CLIENT_ID_ENV]);
    const clientSecret = secretFromConfig ?? nonEmpty(process.env[INFISICAL_CLIENT_SECRET_ENV]);
    const missing = [clientId === undefined ? INFISICAL_CLIENT_ID_ENV : "", clientSecret === undefined ? INFISICAL_CLIENT_SECRET_ENV : ""].filter((x) => x !== "");
    if (missing.length > 0) problems.push(`${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set). ${IDENTITY_TODO}`);
    const identitySource =
        idFromConfig !== undefined || secretFromConfig !== undefined
            ? `stack config ${INFISICAL_CLIENT_ID_CONFIG}/${INFISICAL_CLIENT_SECRET_CONFIG}`
            : `${INFISICAL_CLIENT_ID_ENV}/${INFISICAL_CLIENT_SECRET_ENV}`;
    const baseUrl = baseUrlOr(
        nonEmpty(configured.url) ?? nonEmpty(process.env[INFISICAL_API_URL_ENV]) ?? DEFAULT_INFISICAL_URL,
        DEFAULT_INFISICAL_URL,
        `${URL_WORDS} is not an http(s) URL). Set it to the vault's base URL, such as ${DEFAULT_INFISICAL_URL}, or unset it.`,
        problems,
    );
    const knobs = resolveKnobs("INFISICAL", http, problems);
    const accessAttempts = knob(http.accessAttempts, "INFISICAL_HTTP_ACCESS_ATTEMPTS", 8, 1, problems);
    const settings: ClientSettings = { clientId, clientSecret, identitySource, baseUrl, ...knobs, accessAttempts };
    return problems.length === 0 ? settings : { ...settings, unusable: problems[0] };
}

/**
 * Universal Auth login: `POST /api/v1/auth/universal-auth/login` with `{clientId, clientSecret}`,
 * answering `{accessToken, expiresIn, accessTokenMaxTTL, tokenType: "Bearer"}`
 * (Infisical backend/src/server/routes/v1/identity-universal-auth-router.ts; API reference
 * https://infisical.com/docs/api-reference/endpoints/universal-auth/login). One login per
 * provider operation: the token is short-lived, held in memory only, never in state.
 */
export async function login(settings: ClientSettings, access: AccessToken): Promise<Session> {
    const path = "/api/v1/auth/universal-auth/login";
    const res = await send<{ accessToken?: unknown }>(settings, access, undefined, {
        method: "POST",
        path,
        body: { clientId: settings.clientId, clientSecret: settings.clientSecret },
    });
    const token = res.body?.accessToken;
    if (typeof token !== "string" || token === "") {
        throw infisicalError(
            `Infisical API POST ${path} returned ${res.status} without an accessToken. Something other than Infisical's Universal Auth answered: check ${URL_WORDS}, ${RUN_AGAIN}.`,
            { method: "POST", path, status: res.status },
        );
    }
    return { settings, access, accessToken: token };
}

/** One authenticated request (Bearer token and Access headers). */
export function request<T>(session: Session, spec: RequestSpec): Promise<{ status: number; body: T }> {
    return send<T>(session.settings, session.access, session.accessToken, spec);
}

/**
 * Sends a request with the Access headers, retrying 429 always (after `Retry-After`), and
 * 5xx, timeouts and network errors unless `retryable` is false, with capped exponential
 * backoff; at most `maxAttempts` in all. Resolves with a 2xx whose body is JSON; throws a
 * masked InfisicalApiError otherwise.
 */
async function send<T>(settings: ClientSettings, access: AccessToken, bearer: string | undefined, spec: RequestSpec): Promise<{ status: number; body: T }> {
    const where = `${spec.method} ${spec.path}`;
    const write = spec.method !== "GET";
    const secrets = [settings.clientSecret, settings.clientId, access?.clientId, access?.clientSecret, bearer, ...(spec.secrets ?? [])].filter(
        (s): s is string => typeof s === "string" && s !== "",
    );
    const mask = (text: string) => maskSecrets(text, secrets);
    const fail = (message: string, f: Omit<InfisicalErrorFields, "method" | "path"> & { summary: string }) =>
        infisicalError(mask(message), { method: spec.method, path: spec.path, ...f, summary: mask(f.summary) });

    if (settings.unusable !== undefined) {
        const summary = `Infisical API ${where} failed: no response (not sent: ${settings.unusable}`;
        throw fail(summary, { status: 0, attempts: 0, summary });
    }
    if (typeof access?.clientId !== "string" || access.clientId === "" || typeof access.clientSecret !== "string" || access.clientSecret === "") {
        const summary =
            `Infisical API ${where} failed: no response (not sent: the resource's access input has no Cloudflare Access service token). ` +
            `Pass the stack's active Access slot's clientId and clientSecret as access, ${RUN_AGAIN}.`;
        throw fail(summary, { status: 0, attempts: 0, summary });
    }
    const query = spec.query === undefined ? "" : `?${new URLSearchParams(spec.query).toString()}`;
    const headers: Record<string, string> = {
        Accept: "application/json",
        "CF-Access-Client-Id": access.clientId,
        "CF-Access-Client-Secret": access.clientSecret,
        "User-Agent": "raxx-platform-pulumi-infisical",
        ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }),
        ...(spec.body === undefined ? {} : { "Content-Type": "application/json" }),
    };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    return sendWithRetries<{ status: number; body: T }>(settings, {
        url: settings.baseUrl + spec.path + query,
        // Access answers an unauthenticated request with a redirect to its login page: see it, do not follow it.
        init: { method: spec.method, headers, body, redirect: "manual" },
        retryable: spec.retryable ?? true,
        label: `Infisical API ${where}`,
        baseUrl: settings.baseUrl,
        server: "the vault",
        noReply: ({ timedOut, summary, attempt }) => {
            const todo =
                write && spec.unknownOutcomeHint
                    ? spec.unknownOutcomeHint
                    : timedOut
                      ? `Check the network and that the vault answers, ${RUN_AGAIN} (INFISICAL_HTTP_TIMEOUT_MS sets the timeout of each attempt).`
                      : `Check the network and ${URL_WORDS}, ${RUN_AGAIN}.`;
            return fail(`${summary} ${todo}`, { status: 0, attempts: attempt, outcomeUnknown: write, summary });
        },
        read: ({ res, text, attempt, tries }) => {
            const parsed = parseJson(text);
            const infisicalBody = parsed.ok && isInfisicalErrorBody(parsed.value) ? parsed.value : undefined;

            if (res.status >= 200 && res.status < 300) {
                if (parsed.ok && parsed.value !== undefined) return { done: { status: res.status, body: parsed.value as T } };
                const summary = `Infisical API ${where} returned ${res.status} with a body that is not JSON.`;
                const todo = write && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Something other than Infisical answered: check ${URL_WORDS} and any proxy on the way, ${RUN_AGAIN}.`;
                throw fail(`${summary} ${todo}`, { status: res.status, attempts: attempt, outcomeUnknown: write, summary });
            }

            // Cloudflare Access refuses with its own page (a 403, or a redirect to the Access login), never Infisical's JSON.
            // The request never reached the vault, so it is sent again, a write included, up to accessAttempts.
            const location = res.headers.get("location") ?? "";
            const accessDenied = infisicalBody === undefined && (res.status === 401 || res.status === 403 || (res.status >= 300 && res.status < 400));
            if (accessDenied) {
                // Stryker disable next-line ObjectLiteral,BooleanLiteral: sendWithRetries sends again whenever the verdict has no "done", whatever else it holds
                if (attempt < settings.accessAttempts) return { again: true };
                const how = res.status >= 300 && res.status < 400 ? `${res.status} redirect${/cloudflareaccess\.com/.test(location) ? " to the Cloudflare Access login" : ""}` : `${res.status}`;
                const summary = `Cloudflare Access refused ${where} at ${originOf(settings.baseUrl, "the vault")}${tries}: ${how}, not an answer from Infisical.`;
                const message =
                    `${summary} The Access service token this resource sends (its access input: the stack's active Access slot) is missing, ` +
                    `not admitted by the Access application's Service Auth policy, or revoked. Check that slot's service token in Cloudflare Zero Trust ` +
                    `(Access > Service credentials > Service Tokens) and that the vault's Access policy includes it, ${RUN_AGAIN}.`;
                throw fail(message, { status: res.status, deniedBy: "cloudflare-access", attempts: attempt, summary });
            }

            const errName = infisicalBody && typeof infisicalBody.error === "string" ? clean(mask(infisicalBody.error), 60) : undefined;
            const errMessage = infisicalBody ? clean(mask(typeof infisicalBody.message === "string" ? infisicalBody.message : JSON.stringify(infisicalBody.message ?? "")), 300) : undefined;
            const detail = `${res.status}${errName ? ` ${errName}` : ""}${errMessage ? `: ${errMessage}` : ""}`;
            const summary = sentence(`Infisical API ${where} failed${tries}: ${detail}`);
            const unknown = write && res.status >= 500;
            const fields = { status: res.status, infisicalError: errName, infisicalMessage: errMessage, attempts: attempt, outcomeUnknown: unknown, summary };
            let message: string;
            if (res.status === 401) {
                message =
                    `Infisical rejected the machine identity (${settings.identitySource}) on ${where}: ${sentence(detail)} ` +
                    `Check that the client id is the identity's Universal Auth client id and that the client secret is live (not expired, revoked or used up), ` +
                    `and that the identity's trusted IPs admit this machine. ${IDENTITY_TODO}`;
            } else if (res.status === 403) {
                message =
                    `Infisical refused the machine identity (${settings.identitySource}) on ${where}: ${sentence(detail)} ` +
                    `The identity lacks permission: give it a role in the Infisical project that can read, create, edit and delete secrets ` +
                    `and create folders in this environment and path (Project > Access Control > Machine Identities), ${RUN_AGAIN}.`;
            } else if (res.status === 429) {
                message = `${summary} Infisical's rate limit is used up: wait a minute for it to refill, ${RUN_AGAIN}.`;
            } else if (res.status >= 500) {
                message = `${summary} ${unknown && spec.unknownOutcomeHint ? spec.unknownOutcomeHint : `Infisical is failing: check that the vault is up, ${RUN_AGAIN}.`}`;
            } else {
                message = `${summary} Infisical refused the request: correct what its message names, ${RUN_AGAIN}.`;
            }
            throw fail(message, { ...fields, ...(res.status === 401 || res.status === 403 ? { deniedBy: "infisical" as const } : {}) });
        },
    });
}

/** Infisical's error body: `{reqId, statusCode, message, error}` (backend/src/server/plugins/error-handler.ts). */
function isInfisicalErrorBody(x: unknown): x is { statusCode?: unknown; reqId?: unknown; message?: unknown; error?: unknown } {
    if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
    const b = x as { statusCode?: unknown; reqId?: unknown };
    return typeof b.statusCode === "number" || typeof b.reqId === "string";
}

