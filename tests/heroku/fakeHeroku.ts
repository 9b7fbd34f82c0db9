// A small, faithful stand-in for the Heroku Platform API, on 127.0.0.1 only.
//
// It implements the endpoints the Heroku providers call, with Heroku's status codes
// and error bodies ({"id": "...", "message": "..."}), checks the Bearer token and the
// v3 Accept header, records every request, and lets a test inject faults: a status
// (429 with Retry-After, a 503 storm) for the next N matching requests, a hang, a
// delay, or a reply lost after the request was applied.
//
// Like Heroku, each API key is one user: an authorization belongs to the user who
// created it and is invisible (404) to everyone else, and an app answers 403 to a
// user who is not one of its collaborators.
import * as crypto from "node:crypto";
import * as http from "node:http";

import { FaultMatch, FaultQueue } from "../harness/faults";
import { LocalServer, readBody } from "../harness/localServer";

export const ACCEPT_V3 = "application/vnd.heroku+json; version=3";

export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    readonly headers: http.IncomingHttpHeaders;
    /** Parsed JSON body, or undefined when there was none. */
    readonly body: unknown;
    /** ms since the server started. */
    readonly at: number;
}

export interface Fault extends FaultMatch {
    /** Respond with this instead of the real endpoint. */
    readonly status?: number;
    readonly body?: unknown;
    /** Respond with this text as the body, as is (a proxy's HTML page, say), instead of `body` as JSON. */
    readonly rawBody?: string;
    readonly headers?: Record<string, string>;
    /** Never answer (until the client gives up or the server stops). */
    readonly hang?: boolean;
    /** Run the real endpoint, then hang instead of answering (the write is applied, the reply lost). */
    readonly applyThenHang?: boolean;
    /** Run the real endpoint, then destroy the connection (the write is applied, the reply lost). */
    readonly applyThenDrop?: boolean;
    /** Wait this long before running the real endpoint (to line up concurrent requests). */
    readonly delayMs?: number;
}

/** A Heroku user, as `GET /account` and an authorization's `user` show it. */
export interface FakeUser {
    readonly id: string;
    readonly email: string;
    readonly fullName: string;
}

/** The user of the API key a FakeHeroku is started with, unless it is given another. */
export const DEFAULT_USER: FakeUser = { id: "01234567-89ab-cdef-0123-456789abcdef", email: "ops@raxx.app", fullName: "Raxx Ops" };

interface StoredAuthorization {
    id: string;
    description: string;
    scope: string[];
    token: string;
    tokenId: string;
    expiresIn: number | null;
    createdAt: string;
    /** The user who created it; only that user can see or revoke it. */
    userId: string;
}

export interface FakeHerokuOptions {
    /** The API key of the first user; `addUser` adds more. */
    readonly apiKey: string;
    /** That key's user. Default: `DEFAULT_USER`. */
    readonly user?: FakeUser;
    /** When true, GET /oauth/authorizations and GET /oauth/authorizations/{id} leave the token out (`access_token: null`). */
    readonly hideTokenOnGet?: boolean;
}

/** Heroku pages lists: 200 items unless the Range header asks for up to 1000. */
const DEFAULT_PAGE = 200;

export class FakeHeroku extends LocalServer {
    readonly apiKey: string;
    readonly user: FakeUser;
    hideTokenOnGet: boolean;
    /** App name to its config vars. */
    readonly apps = new Map<string, Record<string, string>>();
    /** App name to the ids of the users who may use it. */
    readonly collaborators = new Map<string, Set<string>>();
    readonly authorizations = new Map<string, StoredAuthorization>();
    /** The most items one list response holds, whatever Range asks (Heroku: 1000); lower it to make a test page. */
    maxPageSize = 1000;
    /**
     * Descriptions whose authorizations Heroku makes with a token that authenticates no one:
     * a broken credential, for the checks. A live authorization's token otherwise
     * authenticates its user, as on Heroku, and a revoked one's does not.
     */
    readonly deadTokenDescriptions = new Set<string>();
    /** When true, a revoked authorization's token still authenticates: a revocation that did not take effect. */
    revokedTokensStayLive = false;
    private readonly stillLive = new Map<string, string>();
    /** API key to its user. */
    readonly users = new Map<string, FakeUser>();
    readonly requests: RecordedRequest[] = [];
    private readonly faults = new FaultQueue<Fault>();
    /** Called with each request before it is answered, for invariants a test checks at that moment. */
    onRequest: ((req: RecordedRequest) => void) | undefined;
    private readonly started = Date.now();
    private counter = 0;

    constructor(opts: FakeHerokuOptions) {
        super();
        this.apiKey = opts.apiKey;
        this.user = opts.user ?? DEFAULT_USER;
        this.users.set(opts.apiKey, this.user);
        this.hideTokenOnGet = opts.hideTokenOnGet ?? false;
    }

    /** Another user, who authenticates with `apiKey`. */
    addUser(apiKey: string, user: FakeUser): FakeUser {
        this.users.set(apiKey, user);
        return user;
    }

    /** An app with its config vars; its collaborators default to the first user. */
    addApp(name: string, vars: Record<string, string> = {}, collaborators: readonly FakeUser[] = [this.user]): void {
        this.apps.set(name, { ...vars });
        this.collaborators.set(name, new Set(collaborators.map((u) => u.id)));
    }

    /** Stores an authorization as if created earlier (by the first user unless `userId` says otherwise); returns it. */
    addAuthorization(a: Partial<StoredAuthorization> & { description: string }): StoredAuthorization {
        const stored: StoredAuthorization = {
            id: a.id ?? crypto.randomUUID(),
            description: a.description,
            scope: a.scope ?? ["global"],
            // A bare UUID, as older Heroku tokens are: redact()'s HRKU- pattern cannot hide a leak of it.
            token: a.token ?? crypto.randomUUID(),
            tokenId: crypto.randomUUID(),
            expiresIn: a.expiresIn ?? null,
            createdAt: a.createdAt ?? "2026-05-06T12:00:00Z",
            userId: a.userId ?? this.user.id,
        };
        this.authorizations.set(stored.id, stored);
        return stored;
    }

    /** Revoked tokens stop authenticating, those kept live by revokedTokensStayLive included. */
    forgetRevokedTokens(): void {
        this.revokedTokensStayLive = false;
        this.stillLive.clear();
    }

    /** The user an authorization's token authenticates: a live one's, unless it was made dead. */
    private userOfToken(token: string): FakeUser | undefined {
        const live = [...this.authorizations.values()].find((a) => a.token === token && !this.deadTokenDescriptions.has(a.description));
        const userId = live?.userId ?? this.stillLive.get(token);
        return userId === undefined ? undefined : [...this.users.values()].find((u) => u.id === userId);
    }

    inject(fault: Fault): void {
        this.faults.add(fault);
    }

    /** Drops every injected fault that has not fired yet. */
    clearFaults(): void {
        this.faults.clear();
    }

    /** Requests other than the given method, for "nothing was written" assertions. */
    requestsOf(method: string): RecordedRequest[] {
        return this.requests.filter((r) => r.method === method);
    }

    protected internalErrorBody(e: unknown): unknown {
        return { id: "internal_server_error", message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const raw = await readBody(req);
        const method = req.method ?? "GET";
        const path = (req.url ?? "/").split("?")[0];
        let body: unknown;
        let badJson = false;
        if (raw !== "") {
            try {
                body = JSON.parse(raw);
            } catch {
                badJson = true;
            }
        }
        const recorded = { method, path, headers: req.headers, body, at: Date.now() - this.started };
        this.requests.push(recorded);
        this.onRequest?.(recorded);

        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { "Content-Type": "application/json", ...headers });
            res.end(payload === undefined ? "" : JSON.stringify(payload));
        };

        const fault = this.faults.take(method, path);
        if (fault?.hang) return; // leave the socket open; stop() closes it
        if (fault?.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        const replaces = fault !== undefined && (fault.status !== undefined || (!fault.applyThenHang && !fault.applyThenDrop && fault.delayMs === undefined));
        if (replaces && fault.rawBody !== undefined) {
            res.writeHead(fault.status ?? 500, { "Content-Type": "text/html", ...fault.headers });
            res.end(fault.rawBody);
            return;
        }
        if (replaces) {
            send(fault.status ?? 500, fault.body ?? { id: "internal_server_error", message: "Internal server error." }, fault.headers);
            return;
        }

        if (req.headers.accept !== ACCEPT_V3) {
            send(400, {
                id: "bad_request",
                message: "Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.",
            });
            return;
        }
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        const user = bearer === undefined ? undefined : (this.users.get(bearer) ?? this.userOfToken(bearer));
        if (user === undefined) {
            send(401, { id: "unauthorized", message: "Invalid credentials provided." });
            return;
        }
        if (badJson) {
            send(400, { id: "bad_request", message: "Invalid JSON in request body." });
            return;
        }

        const [status, payload, headers] = this.route(user, method, path, body, req.headers.range);
        if (fault?.applyThenHang) return;
        if (fault?.applyThenDrop) {
            req.socket.destroy();
            return;
        }
        send(status, payload, headers);
    }

    /**
     * One page of `items` (sorted by id), as Heroku's Range protocol gives it: the
     * request's `Range: id [[]<id>]..; max=<n>` picks where to start and how many; a
     * partial answer is 206 with the Range of the next page in `Next-Range`.
     */
    private page<T extends { id: string }>(items: readonly T[], range: string | undefined, view: (t: T) => unknown): [number, unknown, Record<string, string>?] {
        const m = /^id\s+(\]?)([^.;\s]*)\.\.\s*(?:;\s*max=(\d+))?/.exec(range ?? "");
        let start = 0;
        if (m?.[2]) {
            const from = items.findIndex((t) => (m[1] === "]" ? t.id > m[2] : t.id >= m[2]));
            start = from < 0 ? items.length : from;
        }
        const max = Math.min(m?.[3] === undefined ? DEFAULT_PAGE : Number(m[3]), this.maxPageSize);
        const page = items.slice(start, start + max);
        if (start + max >= items.length) return [200, page.map(view)];
        return [206, page.map(view), { "Next-Range": `id ]${page[page.length - 1].id}..; max=${max}` }];
    }

    private route(user: FakeUser, method: string, path: string, body: unknown, range: string | undefined): [number, unknown, Record<string, string>?] {
        let m: RegExpMatchArray | null;
        if (path === "/account" && method === "GET") return [200, accountView(user)];
        if (path === "/oauth/authorizations" && method === "POST") return this.createAuthorization(user, body);
        if (path === "/oauth/authorizations" && method === "GET") {
            // Only the caller's own, as Heroku lists them, a page at a time.
            const own = [...this.authorizations.values()].filter((a) => a.userId === user.id).sort((a, b) => a.id.localeCompare(b.id));
            return this.page(own, range, (a) => this.view(a, !this.hideTokenOnGet));
        }
        if ((m = path.match(/^\/oauth\/authorizations\/([^/]+)$/))) {
            const a = this.authorizations.get(decodeURIComponent(m[1]));
            if (method !== "GET" && method !== "DELETE") return notFoundRoute();
            // Another user's authorization is indistinguishable from a missing one.
            if (!a || a.userId !== user.id) return [404, { id: "not_found", message: "Couldn't find that authorization.", resource: "authorization" }];
            if (method === "DELETE") {
                this.authorizations.delete(a.id);
                if (this.revokedTokensStayLive) this.stillLive.set(a.token, a.userId);
                return [200, this.view(a, true)];
            }
            return [200, this.view(a, !this.hideTokenOnGet)];
        }
        if ((m = path.match(/^\/apps\/([^/]+)(\/config-vars)?$/))) {
            const name = decodeURIComponent(m[1]);
            const vars = this.apps.get(name);
            if (!vars) return [404, { id: "not_found", message: "Couldn't find that app.", resource: "app" }];
            if (!this.collaborators.get(name)?.has(user.id)) {
                return [403, { id: "forbidden", message: `You do not have access to the app ${name}.` }];
            }
            if (!m[2]) {
                if (method !== "GET") return notFoundRoute();
                return [200, { id: uuidFor(name), name, created_at: "2024-01-01T00:00:00Z", web_url: `https://${name}.herokuapp.com/` }];
            }
            if (method === "GET") return [200, { ...vars }];
            if (method === "PATCH") return this.patchConfigVars(name, vars, body);
        }
        return notFoundRoute();
    }

    private createAuthorization(user: FakeUser, body: unknown): [number, unknown] {
        const b = (body ?? {}) as { scope?: unknown; description?: unknown; expires_in?: unknown };
        if (!Array.isArray(b.scope) || b.scope.length === 0 || b.scope.some((s) => typeof s !== "string")) {
            return [422, { id: "invalid_params", message: "Invalid scope: scope is required." }];
        }
        if (b.expires_in !== undefined && b.expires_in !== null && !(Number.isInteger(b.expires_in) && (b.expires_in as number) > 0)) {
            return [422, { id: "invalid_params", message: "Invalid expires_in." }];
        }
        this.counter++;
        const a = this.addAuthorization({
            description: typeof b.description === "string" ? b.description : "",
            scope: b.scope as string[],
            expiresIn: (b.expires_in as number | undefined) ?? null,
            createdAt: `2026-05-06T12:00:${String(this.counter).padStart(2, "0")}Z`,
            userId: user.id,
        });
        return [201, this.view(a, true)];
    }

    private patchConfigVars(name: string, vars: Record<string, string>, body: unknown): [number, unknown] {
        if (typeof body !== "object" || body === null || Array.isArray(body)) {
            return [422, { id: "invalid_params", message: "Config vars must be a hash." }];
        }
        for (const [k, v] of Object.entries(body)) {
            if (!/^\w+$/.test(k) || (v !== null && typeof v !== "string")) {
                return [422, { id: "invalid_params", message: `Invalid config var ${k}.` }];
            }
        }
        const next = { ...vars };
        for (const [k, v] of Object.entries(body as Record<string, string | null>)) {
            if (v === null) delete next[k];
            else next[k] = v;
        }
        this.apps.set(name, next);
        return [200, { ...next }];
    }

    private view(a: StoredAuthorization, withToken: boolean): unknown {
        const owner = [...this.users.values()].find((u) => u.id === a.userId) ?? { id: a.userId, email: "unknown@example.com", fullName: "" };
        return {
            access_token: withToken ? { expires_in: a.expiresIn, id: a.tokenId, token: a.token } : null,
            client: null,
            created_at: a.createdAt,
            description: a.description,
            grant: null,
            id: a.id,
            refresh_token: null,
            scope: a.scope,
            session: null,
            updated_at: a.createdAt,
            user: { id: owner.id, email: owner.email, full_name: owner.fullName },
        };
    }
}

/** The Platform API's account object (GET /account), as far as a fake needs it. */
function accountView(user: FakeUser): unknown {
    return {
        allow_tracking: true,
        beta: false,
        created_at: "2020-01-01T00:00:00Z",
        default_organization: null,
        default_team: null,
        delinquent_at: null,
        email: user.email,
        federated: false,
        id: user.id,
        identity_provider: null,
        last_login: "2026-05-06T12:00:00Z",
        name: user.fullName,
        sms_number: null,
        suspended_at: null,
        two_factor_authentication: true,
        updated_at: "2026-05-06T12:00:00Z",
        verified: true,
    };
}

function notFoundRoute(): [number, unknown] {
    return [
        404,
        {
            id: "not_found",
            message: "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
        },
    ];
}

function uuidFor(name: string): string {
    const h = crypto.createHash("sha1").update(name).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
