// A small, faithful stand-in for Google Workspace's APIs, on 127.0.0.1 only: the OAuth token
// endpoint a service account with domain-wide delegation uses, the Directory API and the
// Groups Settings API, for what the providers call, in Google's shapes.
//
//   POST /token   form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>:
//                 the RS256 signature checked with the registered service account's public key,
//                 then iss, aud (https://oauth2.googleapis.com/token), exp/iat, the delegation of
//                 every requested scope to the account's client id (401 unauthorized_client
//                 otherwise), and sub (400 invalid_grant for an unknown user)
//                 → {access_token, expires_in, token_type: "Bearer"}; each token keeps its scopes and subject
//   /admin/directory/v1/customer/my_customer/domains/{d}, .../domainaliases/{d}       GET
//   /admin/directory/v1/groups                       POST (409 "Entity already exists.")
//   /admin/directory/v1/groups/{key}                 GET, PUT, PATCH, DELETE (key: id, email or alias)
//   /admin/directory/v1/groups/{key}/members         GET (pageToken, maxResults), POST (409 "Member already exists.")
//   /admin/directory/v1/groups/{key}/members/{m}     GET, PUT, PATCH, DELETE
//   /admin/directory/v1/users                        POST (409 "Entity already exists.")
//   /admin/directory/v1/users/{key}                  GET, PUT, PATCH, DELETE (never a password in a reply)
//   /groups/v1/groups/{email}                        GET, PATCH (Atom XML unless alt=json, as the real one)
// An API call needs a live token with a scope that covers it (403 "Request had insufficient
// authentication scopes." otherwise), and a subject that is an admin (403 "Not Authorized to
// access this resource/api" otherwise). Errors are Google's JSON: {error: {code, message,
// errors: [{message, domain, reason}], status}}. Faults (a status, Retry-After, a hang) can be
// injected for the next N matching requests; every request is recorded.
import * as crypto from "node:crypto";
import * as http from "node:http";

import { FaultMatch, FaultQueue } from "../harness/faults";
import { LocalServer, readBody } from "../harness/localServer";

export const TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
export const UNAUTHORIZED_CLIENT =
    "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.";
export const NOT_AUTHORIZED = "Not Authorized to access this resource/api";
const DIRECTORY = "/admin/directory/v1/";
const SETTINGS = "/groups/v1/groups/";
const AUTH = "https://www.googleapis.com/auth/";

export interface RecordedRequest {
    readonly method: string;
    /** The path, percent-decoded. */
    readonly path: string;
    readonly query: Record<string, string>;
    readonly body: unknown;
    /** What answered: a fault, or the fake Google. */
    answeredBy?: "fault" | "google";
    status?: number;
}

export interface Fault extends FaultMatch {
    /** The status to answer; ignored with `hang`. */
    readonly status?: number;
    /** Default: Google's error JSON for the status. */
    readonly body?: unknown;
    readonly headers?: Record<string, string>;
    /** Never answer (the client's timeout must end it). */
    readonly hang?: boolean;
    /** Do what the request asks, then answer the fault instead of the result: a write applied whose reply is lost to a 5xx. */
    readonly applied?: boolean;
}

export interface FakeUser {
    id: string;
    primaryEmail: string;
    givenName: string;
    familyName: string;
    suspended: boolean;
    isAdmin: boolean;
    /** What the last write set; never in a reply. */
    password?: string;
    changePasswordAtNextLogin: boolean;
    /** Other addresses of the user (Google keeps the old one on a rename). */
    aliases: string[];
}

export interface FakeGroup {
    id: string;
    email: string;
    name: string;
    description: string;
    aliases: string[];
    settings: Record<string, string>;
    members: FakeMember[];
}

export interface FakeMember {
    id: string;
    email: string;
    role: string;
    type: "USER" | "GROUP" | "CUSTOMER";
}

interface IssuedToken {
    readonly clientId: string;
    readonly subject: string | undefined;
    readonly scopes: ReadonlySet<string>;
}

/** A new group's settings, as Google sets them (a subset of the API's fields). */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
    whoCanJoin: "CAN_REQUEST_TO_JOIN",
    whoCanViewMembership: "ALL_IN_DOMAIN_CAN_VIEW",
    whoCanViewGroup: "ALL_MEMBERS_CAN_VIEW",
    whoCanPostMessage: "ANYONE_CAN_POST",
    whoCanContactOwner: "ANYONE_CAN_CONTACT",
    allowExternalMembers: "false",
    allowWebPosting: "true",
    isArchived: "false",
    archiveOnly: "false",
    messageModerationLevel: "MODERATE_NONE",
    includeInGlobalAddressList: "true",
    membersCanPostAsTheGroup: "false",
    enableCollaborativeInbox: "false",
    spamModerationLevel: "MODERATE",
    replyTo: "REPLY_TO_IGNORE",
    whoCanModerateMembers: "OWNERS_AND_MANAGERS",
    sendMessageDenyNotification: "false",
    defaultMessageDenyNotificationText: "",
};
const BOOLEAN_SETTINGS = new Set([
    "allowExternalMembers",
    "allowWebPosting",
    "isArchived",
    "archiveOnly",
    "includeInGlobalAddressList",
    "membersCanPostAsTheGroup",
    "enableCollaborativeInbox",
    "sendMessageDenyNotification",
]);

const STATUS_NAMES: Record<number, string> = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
};

/** Google's error JSON. */
export function googleError(code: number, message: string, reason: string): { error: { code: number; message: string; errors: { message: string; domain: string; reason: string }[]; status: string } } {
    return { error: { code, message, errors: [{ message, domain: "global", reason }], status: STATUS_NAMES[code] ?? "UNKNOWN" } };
}

/** What a fault answers by default. */
function faultBody(status: number): unknown {
    if (status === 429) return googleError(429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.", "rateLimitExceeded");
    if (status >= 500) return googleError(status, "The service is currently unavailable.", "backendError");
    return googleError(status, "Fault injected by the test.", "failedPrecondition");
}

export class FakeWorkspace extends LocalServer {
    /** Service accounts by client_email. */
    readonly serviceAccounts = new Map<string, { clientId: string; publicKey: crypto.KeyObject }>();
    /** Domain-wide delegation: client id → the scopes granted. */
    readonly delegations = new Map<string, Set<string>>();
    readonly domains = new Map<string, { domainName: string; verified: boolean; isPrimary: boolean }>();
    readonly domainAliases = new Map<string, { domainAliasName: string; parentDomainName: string; verified: boolean }>();
    readonly users = new Map<string, FakeUser>();
    readonly groups = new Map<string, FakeGroup>();
    readonly tokens = new Map<string, IssuedToken>();
    /** Every assertion posted to /token: secrets a message must never hold. */
    readonly assertions: string[] = [];
    readonly requests: RecordedRequest[] = [];
    /** Members per page of a list, unless maxResults asks for fewer. */
    memberPageSize = 200;
    private readonly faults = new FaultQueue<Fault>();
    private counter = 0;

    /** A service account whose key signs assertions. */
    addServiceAccount(clientEmail: string, clientId: string, publicKey: crypto.KeyObject): void {
        this.serviceAccounts.set(clientEmail, { clientId, publicKey });
    }

    /** Admin console > Security > API controls > Domain-wide delegation: `clientId` may get tokens with these scopes. */
    delegate(clientId: string, scopes: readonly string[]): void {
        this.delegations.set(clientId, new Set(scopes));
    }

    addDomain(domainName: string, opts: { verified?: boolean; isPrimary?: boolean } = {}): void {
        this.domains.set(domainName, { domainName, verified: opts.verified ?? true, isPrimary: opts.isPrimary ?? false });
    }

    addDomainAlias(domainAliasName: string, parentDomainName: string, verified = true): void {
        this.domainAliases.set(domainAliasName, { domainAliasName, parentDomainName, verified });
    }

    /** A user made by hand. */
    addUser(primaryEmail: string, opts: Partial<Omit<FakeUser, "id" | "primaryEmail">> = {}): FakeUser {
        const u: FakeUser = {
            id: this.newId("1"),
            primaryEmail: primaryEmail.toLowerCase(),
            givenName: opts.givenName ?? "Given",
            familyName: opts.familyName ?? "Family",
            suspended: opts.suspended ?? false,
            isAdmin: opts.isAdmin ?? false,
            password: opts.password,
            changePasswordAtNextLogin: opts.changePasswordAtNextLogin ?? false,
            aliases: opts.aliases ?? [],
        };
        this.users.set(u.id, u);
        return u;
    }

    /** A group made by hand, with Google's default settings unless told otherwise. */
    addGroup(email: string, opts: { name?: string; description?: string; settings?: Record<string, string>; members?: { email: string; role?: string }[] } = {}): FakeGroup {
        const g: FakeGroup = {
            id: this.newId("0"),
            email: email.toLowerCase(),
            name: opts.name ?? email,
            description: opts.description ?? "",
            aliases: [],
            settings: { ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) },
            members: [],
        };
        this.groups.set(g.id, g);
        for (const m of opts.members ?? []) g.members.push(this.newMember(m.email, m.role ?? "MEMBER"));
        return g;
    }

    /** A member added by hand, in the Admin console. */
    addMember(groupKey: string, email: string, role = "MEMBER"): void {
        const g = this.group(groupKey);
        if (g === undefined) throw new Error(`no group ${groupKey}`);
        g.members.push(this.newMember(email, role));
    }

    /** The group with this id, address or alias. */
    group(key: string): FakeGroup | undefined {
        const k = key.toLowerCase();
        return this.groups.get(key) ?? [...this.groups.values()].find((g) => g.email === k || g.aliases.includes(k));
    }

    /** The user with this id, address or alias. */
    user(key: string): FakeUser | undefined {
        const k = key.toLowerCase();
        return this.users.get(key) ?? [...this.users.values()].find((u) => u.primaryEmail === k || u.aliases.includes(k));
    }

    /** `email: role` of each member of a group, in order. */
    memberList(groupKey: string): string[] {
        return (this.group(groupKey)?.members ?? []).map((m) => `${m.email}: ${m.role}`);
    }

    inject(fault: Fault): void {
        this.faults.add(fault);
    }

    /** How many requests matched, faults included. */
    count(method: string, path: string | RegExp): number {
        return this.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path))).length;
    }

    /** Requests that changed something (not GET, not /token), as `METHOD path`, answered by the fake Google. */
    writes(): string[] {
        return this.requests.filter((r) => r.method !== "GET" && r.path !== "/token" && r.answeredBy === "google" && (r.status ?? 0) < 300).map((r) => `${r.method} ${r.path}`);
    }

    /** Every access token issued: secrets a message must never hold. */
    issuedTokens(): string[] {
        return [...this.tokens.keys()];
    }

    protected internalErrorBody(e: unknown): unknown {
        return googleError(500, `Internal error in the fake: ${String(e)}`, "backendError");
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const raw = await readBody(req);
        const url = new URL(req.url ?? "/", "http://fake");
        const method = req.method ?? "GET";
        const path = decodeURIComponent(url.pathname);
        const form = /x-www-form-urlencoded/.test(String(req.headers["content-type"] ?? ""));
        let body: unknown;
        try {
            body = raw === "" ? undefined : form ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
        } catch {
            body = raw;
        }
        const recorded: RecordedRequest = { method, path, query: Object.fromEntries(url.searchParams), body };
        this.requests.push(recorded);
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
            recorded.status = status;
            const text = typeof payload === "string" ? payload : JSON.stringify(payload);
            res.writeHead(status, { "Content-Type": typeof payload === "string" ? "application/atom+xml; charset=UTF-8" : "application/json; charset=UTF-8", ...headers });
            res.end(status === 204 ? undefined : text);
        };

        const fault = this.faults.take(method, path);
        if (fault?.applied) {
            recorded.answeredBy = "fault";
            this.answer(method, path, url, body, req.headers);
            const status = fault.status ?? 500;
            send(status, fault.body ?? faultBody(status), fault.headers);
            return;
        }
        if (fault !== undefined) {
            recorded.answeredBy = "fault";
            if (fault.hang) return; // the client's timeout ends it; stop() drops the connection
            const status = fault.status ?? 500;
            send(status, fault.body ?? faultBody(status), fault.headers);
            return;
        }
        recorded.answeredBy = "google";
        const [status, payload] = this.answer(method, path, url, body, req.headers);
        send(status, payload);
    }

    private answer(method: string, path: string, url: URL, body: unknown, headers: http.IncomingHttpHeaders): [number, unknown] {
        if (path === "/token" && method === "POST") return this.token(body as Record<string, string> | undefined);
        const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ""))?.[1];
        const token = bearer === undefined ? undefined : this.tokens.get(bearer);
        if (token === undefined) {
            return [
                401,
                googleError(
                    401,
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                    "authError",
                ),
            ];
        }
        if (path.startsWith(DIRECTORY)) return this.directory(method, path.slice(DIRECTORY.length).split("/"), url.searchParams, body, token);
        if (path.startsWith(SETTINGS)) return this.groupsSettings(method, path.slice(SETTINGS.length), url.searchParams, body, token);
        return [404, googleError(404, `Not Found: ${path}`, "notFound")];
    }

    private token(form: Record<string, string> | undefined): [number, unknown] {
        const invalid = (description: string): [number, unknown] => [400, { error: "invalid_grant", error_description: description }];
        if (form?.grant_type !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return [400, { error: "unsupported_grant_type", error_description: "Invalid grant_type: " + String(form?.grant_type) }];
        const assertion = form.assertion ?? "";
        this.assertions.push(assertion);
        const [h, p, s] = assertion.split(".");
        let header: { alg?: string };
        let claims: { iss?: string; sub?: string; aud?: string; scope?: string; iat?: number; exp?: number };
        try {
            header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
            claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
        } catch {
            return invalid("Invalid JWT: could not be parsed.");
        }
        const account = this.serviceAccounts.get(String(claims.iss));
        if (account === undefined) return invalid("Invalid grant: account not found");
        if (header.alg !== "RS256" || !crypto.verify("RSA-SHA256", Buffer.from(`${h}.${p}`), account.publicKey, Buffer.from(s ?? "", "base64url"))) {
            return invalid("Invalid JWT Signature.");
        }
        const now = Math.floor(Date.now() / 1000);
        if (claims.aud !== TOKEN_AUDIENCE) return invalid("Invalid JWT: Failed audience check.");
        if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp - claims.iat > 3600 || claims.exp < now || claims.iat > now + 300) {
            return invalid("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        const scopes = String(claims.scope ?? "").split(" ").filter((x) => x !== "");
        if (scopes.length === 0) return [400, { error: "invalid_scope", error_description: "Invalid OAuth scope or ID token audience provided." }];
        if (claims.sub !== undefined) {
            const granted = this.delegations.get(account.clientId) ?? new Set<string>();
            if (!scopes.every((x) => granted.has(x))) return [401, { error: "unauthorized_client", error_description: UNAUTHORIZED_CLIENT }];
            if (this.user(claims.sub) === undefined) return invalid("Invalid email or User ID");
        }
        const accessToken = `ya29.fake-${++this.counter}-${crypto.randomBytes(12).toString("base64url")}`;
        this.tokens.set(accessToken, { clientId: account.clientId, subject: claims.sub, scopes: new Set(scopes) });
        return [200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" }];
    }

    /** 403 unless the token carries one of `scopes` and acts as an admin; undefined when allowed. */
    private refuse(token: IssuedToken, scopes: readonly string[]): [number, unknown] | undefined {
        if (!scopes.some((s) => token.scopes.has(AUTH + s))) {
            return [403, googleError(403, "Request had insufficient authentication scopes.", "insufficientPermissions")];
        }
        const subject = token.subject === undefined ? undefined : this.user(token.subject);
        if (subject?.isAdmin !== true) return [403, googleError(403, NOT_AUTHORIZED, "forbidden")];
        return undefined;
    }

    private directory(method: string, seg: string[], query: URLSearchParams, body: unknown, token: IssuedToken): [number, unknown] {
        const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
        const notFound = (what: string): [number, unknown] => [404, googleError(404, `Resource Not Found: ${what}`, "notFound")];
        const exists: [number, unknown] = [409, googleError(409, "Entity already exists.", "duplicate")];

        if (seg[0] === "customer" && seg.length === 4 && method === "GET") {
            const denied = this.refuse(token, ["admin.directory.domain", "admin.directory.domain.readonly"]);
            if (denied) return denied;
            if (seg[1] !== "my_customer") return notFound("customer");
            if (seg[2] === "domains") {
                const d = this.domains.get(seg[3]);
                if (!d) return notFound("domain");
                return [200, { kind: "admin#directory#domain", etag: '"etag"', domainName: d.domainName, isPrimary: d.isPrimary, verified: d.verified, creationTime: "1714000000000", domainAliases: [] }];
            }
            if (seg[2] === "domainaliases") {
                const a = this.domainAliases.get(seg[3]);
                if (!a) return notFound("domainAlias");
                return [200, { kind: "admin#directory#domainAlias", etag: '"etag"', domainAliasName: a.domainAliasName, parentDomainName: a.parentDomainName, verified: a.verified, creationTime: "1714000000000" }];
            }
        }

        if (seg[0] === "groups") {
            const isMembers = seg[2] === "members";
            const read = method === "GET";
            const denied = isMembers
                ? this.refuse(token, ["admin.directory.group", "admin.directory.group.member", ...(read ? ["admin.directory.group.readonly", "admin.directory.group.member.readonly"] : [])])
                : this.refuse(token, ["admin.directory.group", ...(read ? ["admin.directory.group.readonly"] : [])]);
            if (denied) return denied;
            if (seg.length === 1 && method === "POST") {
                const email = String(b.email ?? "").toLowerCase();
                if (!/^[^@\s]+@[^@\s]+$/.test(email)) return [400, googleError(400, "Invalid Input: email", "invalid")];
                if (!this.ownsDomain(email)) return [400, googleError(400, "Domain not found.", "notFound")];
                if (this.taken(email)) return exists;
                const g = this.addGroup(email, { name: typeof b.name === "string" ? b.name : email, description: typeof b.description === "string" ? b.description : "" });
                return [200, this.groupJson(g)];
            }
            const g = seg[1] === undefined ? undefined : this.group(seg[1]);
            if (seg.length === 2) {
                if (!g) return notFound("groupKey");
                if (method === "GET") return [200, this.groupJson(g)];
                if (method === "DELETE") {
                    this.groups.delete(g.id);
                    return [204, ""];
                }
                if (method === "PATCH" || method === "PUT") {
                    if (typeof b.email === "string" && b.email.toLowerCase() !== g.email) {
                        const email = b.email.toLowerCase();
                        if (this.taken(email)) return exists;
                        // Google keeps the old address as an alias of the renamed group.
                        g.aliases.push(g.email);
                        g.email = email;
                    }
                    if (typeof b.name === "string") g.name = b.name;
                    if (typeof b.description === "string") g.description = b.description;
                    return [200, this.groupJson(g)];
                }
            }
            if (isMembers && seg.length === 3) {
                if (!g) return notFound("groupKey");
                if (method === "GET") {
                    const size = Math.min(this.memberPageSize, Number(query.get("maxResults") ?? 200));
                    const start = Number(query.get("pageToken") ?? 0);
                    const page = g.members.slice(start, start + size);
                    const next = start + size < g.members.length ? String(start + size) : undefined;
                    return [200, { kind: "admin#directory#members", etag: '"etag"', members: page.map((m) => this.memberJson(m)), ...(next ? { nextPageToken: next } : {}) }];
                }
                if (method === "POST") {
                    const email = String(b.email ?? "").toLowerCase();
                    if (!/^[^@\s]+@[^@\s]+$/.test(email)) return [400, googleError(400, "Missing required field: memberKey", "required")];
                    if (g.members.some((m) => m.email === email)) return [409, googleError(409, "Member already exists.", "duplicate")];
                    const m = this.newMember(email, typeof b.role === "string" ? b.role : "MEMBER");
                    g.members.push(m);
                    return [200, this.memberJson(m)];
                }
            }
            if (isMembers && seg.length === 4) {
                if (!g) return notFound("groupKey");
                const key = seg[3].toLowerCase();
                const m = g.members.find((x) => x.email === key || x.id === seg[3]);
                if (!m) return notFound("memberKey");
                if (method === "GET") return [200, this.memberJson(m)];
                if (method === "DELETE") {
                    g.members.splice(g.members.indexOf(m), 1);
                    return [204, ""];
                }
                if (method === "PATCH" || method === "PUT") {
                    if (typeof b.role === "string") {
                        if (!["OWNER", "MANAGER", "MEMBER"].includes(b.role)) return [400, googleError(400, "Invalid Input: role", "invalid")];
                        m.role = b.role;
                    }
                    return [200, this.memberJson(m)];
                }
            }
        }

        if (seg[0] === "users") {
            const denied = this.refuse(token, ["admin.directory.user", ...(method === "GET" ? ["admin.directory.user.readonly"] : [])]);
            if (denied) return denied;
            if (seg.length === 1 && method === "POST") {
                const email = String(b.primaryEmail ?? "").toLowerCase();
                const name = (b.name ?? {}) as { givenName?: unknown; familyName?: unknown };
                if (!/^[^@\s]+@[^@\s]+$/.test(email)) return [400, googleError(400, "Invalid Input: primary_user_email", "invalid")];
                if (typeof name.givenName !== "string" || typeof name.familyName !== "string") return [400, googleError(400, "Invalid Given/Family Name: FamilyName", "invalid")];
                if (typeof b.password !== "string" || b.password.length < 8 || b.password.length > 100) return [400, googleError(400, "Invalid Password", "invalid")];
                if (!this.ownsDomain(email)) return [400, googleError(400, "Domain not found.", "notFound")];
                if (this.taken(email)) return exists;
                const u = this.addUser(email, {
                    givenName: name.givenName,
                    familyName: name.familyName,
                    password: b.password,
                    suspended: b.suspended === true,
                    changePasswordAtNextLogin: b.changePasswordAtNextLogin === true,
                });
                return [200, this.userJson(u)];
            }
            const u = seg[1] === undefined ? undefined : this.user(seg[1]);
            if (seg.length === 2) {
                if (!u) return notFound("userKey");
                if (method === "GET") return [200, this.userJson(u)];
                if (method === "DELETE") {
                    this.users.delete(u.id);
                    return [204, ""];
                }
                if (method === "PATCH" || method === "PUT") {
                    if (typeof b.primaryEmail === "string" && b.primaryEmail.toLowerCase() !== u.primaryEmail) {
                        if (this.taken(b.primaryEmail.toLowerCase())) return exists;
                        // Google keeps the old address as an alias of the renamed user.
                        u.aliases.push(u.primaryEmail);
                        u.primaryEmail = b.primaryEmail.toLowerCase();
                    }
                    const name = (b.name ?? {}) as { givenName?: unknown; familyName?: unknown };
                    if (typeof name.givenName === "string") u.givenName = name.givenName;
                    if (typeof name.familyName === "string") u.familyName = name.familyName;
                    if (typeof b.suspended === "boolean") u.suspended = b.suspended;
                    if (typeof b.changePasswordAtNextLogin === "boolean") u.changePasswordAtNextLogin = b.changePasswordAtNextLogin;
                    if (b.password !== undefined) {
                        if (typeof b.password !== "string" || b.password.length < 8 || b.password.length > 100) return [400, googleError(400, "Invalid Password", "invalid")];
                        u.password = b.password;
                    }
                    return [200, this.userJson(u)];
                }
            }
        }
        return [404, googleError(404, `Not Found: ${method} ${seg.join("/")}`, "notFound")];
    }

    private groupsSettings(method: string, key: string, query: URLSearchParams, body: unknown, token: IssuedToken): [number, unknown] {
        const denied = this.refuse(token, ["apps.groups.settings"]);
        if (denied) return denied;
        const g = this.group(key);
        if (!g) return [404, googleError(404, `Resource Not Found: ${key}`, "notFound")];
        if (method === "PATCH" || method === "PUT") {
            const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
            for (const [k, v] of Object.entries(b)) {
                if (!(k in DEFAULT_SETTINGS) && !["kind", "email", "name", "description"].includes(k)) {
                    return [400, googleError(400, `Invalid JSON payload received. Unknown name "${k}": Cannot find field.`, "invalid")];
                }
                if (typeof v !== "string" || (BOOLEAN_SETTINGS.has(k) && v !== "true" && v !== "false")) return [400, googleError(400, `Invalid Value: ${k}`, "invalid")];
            }
            // The reference: "When archiveOnly is false, updating whoCanPostMessage to NONE_CAN_POST, results in an error";
            // archiveOnly true sets whoCanPostMessage to NONE_CAN_POST, and back to false, to ALL_MANAGERS_CAN_POST.
            const archiveOnly = typeof b.archiveOnly === "string" ? b.archiveOnly : g.settings.archiveOnly;
            if (b.whoCanPostMessage === "NONE_CAN_POST" && archiveOnly !== "true") {
                return [400, googleError(400, "Invalid Value: whoCanPostMessage NONE_CAN_POST needs archiveOnly true", "invalid")];
            }
            const wasArchiveOnly = g.settings.archiveOnly;
            for (const [k, v] of Object.entries(b)) if (k in DEFAULT_SETTINGS) g.settings[k] = v as string;
            if (g.settings.archiveOnly === "true") g.settings.whoCanPostMessage = "NONE_CAN_POST";
            else if (wasArchiveOnly === "true" && b.whoCanPostMessage === undefined) g.settings.whoCanPostMessage = "ALL_MANAGERS_CAN_POST";
        } else if (method !== "GET") {
            return [404, googleError(404, "Not Found", "notFound")];
        }
        const json = { kind: "groupsSettings#groups", email: g.email, name: g.name, description: g.description, ...g.settings };
        if (query.get("alt") !== "json") {
            // The real API's default answer is an Atom entry.
            const fields = Object.entries(json)
                .map(([k, v]) => `<apps:${k}>${v}</apps:${k}>`)
                .join("");
            return [200, `<?xml version="1.0" encoding="UTF-8"?><entry xmlns="http://www.w3.org/2005/Atom" xmlns:apps="http://schemas.google.com/apps/2006"><id>tag:googleapis.com,2010:apps:groupssettings:GROUP:${g.email}</id>${fields}</entry>`];
        }
        return [200, json];
    }

    private ownsDomain(email: string): boolean {
        const domain = email.split("@")[1];
        return this.domains.has(domain) || this.domainAliases.has(domain);
    }

    private taken(email: string): boolean {
        return this.user(email) !== undefined || this.group(email) !== undefined;
    }

    private newId(prefix: string): string {
        return `${prefix}${(++this.counter).toString(36).padStart(4, "0")}${crypto.randomBytes(5).toString("hex")}`;
    }

    private newMember(email: string, role: string): FakeMember {
        const e = email.toLowerCase();
        const u = this.user(e);
        const g = u === undefined ? this.group(e) : undefined;
        return { id: u?.id ?? g?.id ?? this.newId("1"), email: e, role, type: g ? "GROUP" : "USER" };
    }

    private groupJson(g: FakeGroup): unknown {
        return {
            kind: "admin#directory#group",
            id: g.id,
            etag: '"etag"',
            email: g.email,
            name: g.name,
            directMembersCount: String(g.members.length),
            ...(g.description === "" ? {} : { description: g.description }),
            adminCreated: true,
            ...(g.aliases.length ? { aliases: g.aliases } : {}),
        };
    }

    private memberJson(m: FakeMember): unknown {
        return { kind: "admin#directory#member", etag: '"etag"', id: m.id, email: m.email, role: m.role, type: m.type, status: "ACTIVE" };
    }

    private userJson(u: FakeUser): unknown {
        return {
            kind: "admin#directory#user",
            id: u.id,
            etag: '"etag"',
            primaryEmail: u.primaryEmail,
            name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
            isAdmin: u.isAdmin,
            isDelegatedAdmin: false,
            suspended: u.suspended,
            changePasswordAtNextLogin: u.changePasswordAtNextLogin,
            agreedToTerms: true,
            archived: false,
            orgUnitPath: "/",
            isMailboxSetup: true,
            customerId: "C0fake000",
        };
    }
}
