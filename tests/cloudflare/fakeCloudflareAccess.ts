// A small stand-in for the Cloudflare API v4's Access applications and their policies, on
// 127.0.0.1 only, for the endpoints providers/cloudflare calls:
//
//   GET                /client/v4/accounts/{a}/access/apps/{app}
//   GET|POST           /client/v4/accounts/{a}/access/apps/{app}/policies      (list: page/per_page, result_info)
//   GET|PUT|DELETE     /client/v4/accounts/{a}/access/apps/{app}/policies/{id}
//
// Every reply is the v4 envelope `{success, errors: [{code, message}], messages, result}`.
// A request without the expected bearer token gets 403 `{code: 10000, message: "Authentication
// error"}`; a missing application or policy 404 `{code: 12130, message: "access.api.error.not_found"}`
// (the code and message Cloudflare answers a missing Access object with). A POST answers 201
// (the OpenAPI's status for it). Precedence must be unique per application (SDK: "Must be
// unique for each policy within an app"). Anything else the provider might send (a PUT or
// DELETE of the application, say) is recorded, and answered 405, so a test sees it.
//
// The applications hold app-scoped and reusable policies and settings of their own, which a
// test can compare byte for byte. Faults (429 with Retry-After, 5xx, a dropped reply after the
// request was applied) can be injected for the next N matching requests.
import * as crypto from "node:crypto";
import * as http from "node:http";

import { FaultMatch, FaultQueue } from "../harness/faults";
import { LocalServer, readBody } from "../harness/localServer";

export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string>;
    readonly authorization: string | undefined;
    /** The request's headers, as Node reads them (lower-case names). */
    readonly headers: http.IncomingHttpHeaders;
    /** The request target as sent, query included. */
    readonly url: string;
    readonly body: unknown;
    status?: number;
}

export interface Fault extends FaultMatch {
    /** The status to answer with; ignored with `dropReply`. */
    readonly status?: number;
    readonly headers?: Record<string, string>;
    /** The envelope's errors; default one made from the status. */
    readonly errors?: { code: number; message: string }[];
    /** Sent as the JSON body instead of the failure envelope, e.g. a 2xx without an id or without an envelope. */
    readonly body?: unknown;
    /** Apply the request, then close the connection without a reply (a lost reply). */
    readonly dropReply?: boolean;
    /** Runs when the fault answers: what someone else does meanwhile. */
    readonly meanwhile?: () => void;
    /** No answer at all: the request hangs until the client gives up (a timeout). */
    readonly hang?: boolean;
}

export interface FakePolicy {
    id: string;
    name: string;
    decision: string;
    include: unknown[];
    exclude: unknown[];
    require: unknown[];
    precedence: number;
    /** True for an account-level reusable policy attached to the application. */
    reusable: boolean;
    created_at: string;
    updated_at: string;
    [extra: string]: unknown;
}

export interface FakeApplication {
    id: string;
    accountId: string;
    domain: string;
    name: string;
    /** Any other settings (session_duration, allowed_idps, ...), returned as they are. */
    settings: Record<string, unknown>;
    policies: FakePolicy[];
}

const NOT_FOUND = { code: 12130, message: "access.api.error.not_found" };
const AUTH_ERROR = { code: 10000, message: "Authentication error" };

export class FakeCloudflareAccess extends LocalServer {
    /** The bearer token the fake accepts. */
    apiToken = "";
    readonly apps = new Map<string, FakeApplication>();
    readonly requests: RecordedRequest[] = [];
    /** Service tokens: id to client id, so a fake vault can map a client id to the id a policy names. */
    readonly serviceTokens = new Map<string, string>();
    /** Whether a list's result_info gives total_pages; Cloudflare's SDKs do not count on it. */
    listsTotalPages = true;
    /**
     * How long a policy write (POST, PUT) takes before it applies and answers:
     * whatever does not wait for the write to finish meets the old policy.
     */
    policyWriteMs = 0;
    private readonly faults = new FaultQueue<Fault>();
    private clock = Date.parse("2026-05-06T10:00:00Z");

    /** Starts the server; `url` is then the base URL to put in CLOUDFLARE_API_BASE_URL (`http://127.0.0.1:<port>/client/v4`). */
    override async start(): Promise<this> {
        await super.start();
        this.url += "/client/v4";
        return this;
    }

    /** Adds an application with its own settings and policies (ids and timestamps filled in). */
    addApp(app: { id?: string; accountId: string; domain: string; name?: string; settings?: Record<string, unknown>; policies?: Partial<FakePolicy>[] }): FakeApplication {
        const made: FakeApplication = {
            id: app.id ?? crypto.randomUUID(),
            accountId: app.accountId,
            domain: app.domain,
            name: app.name ?? app.domain,
            settings: structuredClone(app.settings ?? {}),
            policies: [],
        };
        for (const p of app.policies ?? []) made.policies.push(this.policy(p));
        this.apps.set(made.id, made);
        return made;
    }

    /** Adds a policy to an application (what someone else does in the dashboard). */
    addPolicy(appId: string, p: Partial<FakePolicy>): FakePolicy {
        const made = this.policy(p);
        this.apps.get(appId)!.policies.push(made);
        return made;
    }

    /** Registers a service token (id and client id), for `admits`. */
    addServiceToken(id: string, clientId: string): void {
        this.serviceTokens.set(id, clientId);
    }

    /** The next `times` requests matching `method` and `path` get the fault. */
    inject(fault: Fault): void {
        this.faults.add(fault);
    }

    /** `METHOD /path` of every request, in order (path without the /client/v4 prefix). */
    calls(): string[] {
        return this.requests.map((r) => `${r.method} ${r.path}`);
    }

    /** The application's JSON as GET answers it: what a test compares before and after. */
    appJson(appId: string): string {
        const app = this.apps.get(appId);
        return app === undefined ? "" : JSON.stringify(this.appResult(app));
    }

    /** The application's policies other than `except`, as JSON, in order. */
    otherPoliciesJson(appId: string, except: string | undefined): string {
        return JSON.stringify((this.apps.get(appId)?.policies ?? []).filter((p) => p.id !== except));
    }

    /**
     * The service token ids that the application's non_identity policies (app-scoped or
     * reusable) include: whom Access admits with a service token. Only include rules count;
     * a policy with require or exclude rules is not modelled and admits no one here.
     */
    admittedTokenIds(appId: string): string[] {
        const ids = new Set<string>();
        for (const p of this.apps.get(appId)?.policies ?? []) {
            if (p.decision !== "non_identity" || p.require.length > 0 || p.exclude.length > 0) continue;
            for (const rule of p.include) {
                const id = (rule as { service_token?: { token_id?: unknown } })?.service_token?.token_id;
                if (typeof id === "string") ids.add(id);
            }
        }
        return [...ids].sort();
    }

    /** Whether Access admits a service token, by its client id, to the application (for a fake vault's `admits`). */
    admits(appId: string, clientId: string | undefined): boolean {
        if (clientId === undefined) return false;
        return this.admittedTokenIds(appId).some((id) => this.serviceTokens.get(id) === clientId);
    }

    private policy(p: Partial<FakePolicy>): FakePolicy {
        const at = this.now();
        return {
            ...p,
            id: p.id ?? crypto.randomUUID(),
            name: p.name ?? "policy",
            decision: p.decision ?? "allow",
            include: structuredClone(p.include ?? [{ everyone: {} }]),
            exclude: structuredClone(p.exclude ?? []),
            require: structuredClone(p.require ?? []),
            precedence: p.precedence ?? 1,
            reusable: p.reusable ?? false,
            created_at: p.created_at ?? at,
            updated_at: p.updated_at ?? at,
        };
    }

    private now(): string {
        this.clock += 1000;
        return new Date(this.clock).toISOString();
    }

    private appResult(app: FakeApplication): Record<string, unknown> {
        return { id: app.id, name: app.name, domain: app.domain, type: "self_hosted", ...app.settings, policies: app.policies.map((p) => ({ ...p })) };
    }

    protected internalErrorBody(e: unknown): unknown {
        return { success: false, errors: [{ code: 10001, message: String(e) }], messages: [], result: null };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const text = await readBody(req);
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const path = url.pathname.replace(/^\/client\/v4/, "");
        let body: unknown = undefined;
        try {
            body = text === "" ? undefined : JSON.parse(text);
        } catch {
            body = text;
        }
        const rec: RecordedRequest = { method: req.method ?? "", path, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, headers: req.headers, url: req.url ?? "", body };
        this.requests.push(rec);
        const send = (status: number, envelope: Record<string, unknown>, headers: Record<string, string> = {}) => {
            rec.status = status;
            res.writeHead(status, { "Content-Type": "application/json", ...headers });
            res.end(JSON.stringify(envelope));
        };
        const ok = (status: number, result: unknown, extra: Record<string, unknown> = {}) => send(status, { success: true, errors: [], messages: [], result, ...extra });
        const err = (status: number, error: { code: number; message: string }) => send(status, { success: false, errors: [error], messages: [], result: null });

        const fault = this.faults.take(rec.method, path);
        fault?.meanwhile?.();
        if (fault?.hang) return;
        if (fault !== undefined && !fault.dropReply) {
            const status = fault.status ?? 500;
            rec.status = status;
            res.writeHead(status, { "Content-Type": "application/json", ...(fault.headers ?? {}) });
            const errors = fault.errors ?? [{ code: status === 429 ? 971 : 10001, message: status === 429 ? "Please wait and consider throttling your request speed" : "Internal server error" }];
            res.end(JSON.stringify(fault.body !== undefined ? fault.body : { success: false, errors, messages: [], result: null }));
            return;
        }
        const answer = fault?.dropReply
            ? (status: number) => {
                  rec.status = status;
                  req.socket.destroy();
              }
            : undefined;

        if (req.headers.authorization !== `Bearer ${this.apiToken}` || this.apiToken === "") return err(403, AUTH_ERROR);

        const m = /^\/accounts\/([^/]+)\/access\/apps\/([^/]+)(\/policies(?:\/([^/]+))?)?$/.exec(path);
        if (m === null) return err(404, { code: 7003, message: "Could not route to " + path + ", perhaps your object identifier is invalid?" });
        const [, accountId, appId, policiesPart, policyId] = m;
        const app = this.apps.get(decodeURIComponent(appId));
        if (app === undefined || app.accountId !== decodeURIComponent(accountId)) return err(404, NOT_FOUND);

        if (policiesPart === undefined) {
            if (rec.method === "GET") return ok(200, this.appResult(app));
            return err(405, { code: 10405, message: `Method ${rec.method} not allowed by this fake on an application` });
        }
        if (policyId === undefined) {
            if (rec.method === "GET") {
                const page = Math.max(1, Number(rec.query.page ?? "1") || 1);
                const perPage = Math.max(1, Math.min(1000, Number(rec.query.per_page ?? "25") || 25));
                const all = app.policies;
                const slice = all.slice((page - 1) * perPage, page * perPage);
                const info = { page, per_page: perPage, count: slice.length, total_count: all.length };
                return ok(200, slice, { result_info: this.listsTotalPages ? { ...info, total_pages: Math.max(1, Math.ceil(all.length / perPage)) } : info });
            }
            if (rec.method === "POST") {
                await sleep(this.policyWriteMs);
                const problem = invalid(body, app, undefined);
                if (problem !== undefined) return err(400, problem);
                const b = body as Record<string, unknown>;
                const made = this.policy({
                    name: b.name as string,
                    decision: b.decision as string,
                    include: b.include as unknown[],
                    exclude: (b.exclude as unknown[]) ?? [],
                    require: (b.require as unknown[]) ?? [],
                    precedence: typeof b.precedence === "number" ? b.precedence : Math.max(0, ...app.policies.map((p) => p.precedence)) + 1,
                });
                app.policies.push(made);
                if (answer) return answer(201);
                return ok(201, made);
            }
            return err(405, { code: 10405, message: `Method ${rec.method} not allowed` });
        }
        const policy = app.policies.find((p) => p.id === decodeURIComponent(policyId));
        if (policy === undefined || policy.reusable) return err(404, NOT_FOUND);
        if (rec.method === "GET") return ok(200, policy);
        if (rec.method === "PUT") {
            await sleep(this.policyWriteMs);
            const problem = invalid(body, app, policy.id);
            if (problem !== undefined) return err(400, problem);
            const b = body as Record<string, unknown>;
            policy.name = b.name as string;
            policy.decision = b.decision as string;
            policy.include = structuredClone(b.include as unknown[]);
            policy.exclude = structuredClone((b.exclude as unknown[]) ?? []);
            policy.require = structuredClone((b.require as unknown[]) ?? []);
            if (typeof b.precedence === "number") policy.precedence = b.precedence;
            policy.updated_at = this.now();
            if (answer) return answer(200);
            return ok(200, policy);
        }
        if (rec.method === "DELETE") {
            app.policies = app.policies.filter((p) => p !== policy);
            if (answer) return answer(200);
            return ok(200, { id: policy.id });
        }
        return err(405, { code: 10405, message: `Method ${rec.method} not allowed` });
    }
}

/** Cloudflare's checks of a policy body that the fake models. */
function invalid(body: unknown, app: FakeApplication, self: string | undefined): { code: number; message: string } | undefined {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof b.name !== "string" || b.name === "") return { code: 12130, message: "access.api.error.invalid_request: name is required" };
    if (!["allow", "deny", "non_identity", "bypass"].includes(b.decision as string)) return { code: 12130, message: "access.api.error.invalid_request: decision is invalid" };
    if (!Array.isArray(b.include) || b.include.length === 0) return { code: 12130, message: "access.api.error.invalid_request: include must not be empty" };
    if (typeof b.precedence === "number" && app.policies.some((p) => p.id !== self && p.precedence === b.precedence)) {
        return { code: 12130, message: "access.api.error.invalid_request: precedence must be unique per application" };
    }
    return undefined;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
