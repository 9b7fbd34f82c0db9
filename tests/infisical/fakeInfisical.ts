// A small, faithful stand-in for the vault (Infisical behind Cloudflare Access), on 127.0.0.1 only.
//
// Cloudflare Access, as Cloudflare enforces it in front of the vault: a request without
// both CF-Access-Client-Id and CF-Access-Client-Secret, or with a token the test has not
// admitted (or has revoked), gets a 403 HTML page, never Infisical's JSON. `admits` can be
// replaced by a callback (a fake Cloudflare, say).
//
// Infisical, for the endpoints the provider calls, with Infisical's error body
// `{reqId, statusCode, message, error}` (backend/src/server/plugins/error-handler.ts):
//   POST   /api/v1/auth/universal-auth/login        machine identities the test registers → {accessToken, expiresIn, accessTokenMaxTTL, tokenType}
//   POST   /api/v1/folders                          idempotent; creates missing parents (secret-folder-service createFolder)
//   GET|POST|PATCH|DELETE /api/v4/secrets/{key}     a folder must exist: 404 "Folder with path ..." otherwise
// Faults (429 with Retry-After, 5xx, an Infisical 403) can be injected for the next N matching
// requests; every request is recorded, and writes are counted.
import * as crypto from "node:crypto";
import * as http from "node:http";

import { FaultMatch, FaultQueue } from "../harness/faults";
import { LocalServer, readBody } from "../harness/localServer";

export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    /** The request target as sent: path and query string. */
    readonly url: string;
    readonly query: Record<string, string>;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: unknown;
    /** What answered: "access" (Cloudflare refused it), "fault", or "infisical". */
    answeredBy?: "access" | "fault" | "infisical";
    status?: number;
}

export interface Fault extends FaultMatch {
    readonly status: number;
    /** An Infisical error body; default one made from the status. */
    readonly body?: unknown;
    /** A body sent as it is, not as JSON (an HTML page, a proxy's text); wins over `body`. */
    readonly raw?: string;
    /** "hang": no answer at all (a timeout); "drop": the connection is closed unanswered (a network error). */
    readonly silence?: "hang" | "drop";
    readonly headers?: Record<string, string>;
}

export interface StoredSecret {
    id: string;
    value: string;
    metadata: { key: string; value: string; isEncrypted: boolean }[];
    version: number;
}

/** The 403 page Cloudflare Access serves to a request it does not admit. */
export const ACCESS_DENIED_HTML = "<!DOCTYPE html><html><head><title>Access denied</title></head><body>Forbidden. You don't have permission to view this. Cloudflare Access.</body></html>";

export class FakeInfisical extends LocalServer {
    /** Admitted Access service tokens: client id to client secret. */
    readonly accessTokens = new Map<string, string>();
    /** Whether Cloudflare Access lets a request through; replace it to plug in a fake Cloudflare. */
    admits: (clientId: string | undefined, clientSecret: string | undefined) => boolean = (id, secret) =>
        id !== undefined && secret !== undefined && this.accessTokens.get(id) === secret;
    /** Machine identities: Universal Auth client id to client secret. */
    readonly identities = new Map<string, string>();
    /** Issued Infisical access tokens. */
    readonly tokens = new Set<string>();
    /** Projects, then environments, then folder paths, then secrets by key. */
    readonly projects = new Map<string, Map<string, Map<string, Map<string, StoredSecret>>>>();
    readonly requests: RecordedRequest[] = [];
    /** Successful POST/PATCH/DELETE of secrets, and of them the ones that set a value. */
    writes = 0;
    valueWrites = 0;
    private readonly faults = new FaultQueue<Fault>();
    private counter = 0;

    admit(clientId: string, clientSecret: string): void {
        this.accessTokens.set(clientId, clientSecret);
    }

    revoke(clientId: string): void {
        this.accessTokens.delete(clientId);
    }

    addIdentity(clientId: string, clientSecret: string): void {
        this.identities.set(clientId, clientSecret);
    }

    /** A project with environments, each with its root folder. */
    addProject(projectId: string, environments: readonly string[] = ["prod"]): void {
        this.projects.set(projectId, new Map(environments.map((e) => [e, new Map([["/", new Map()]])])));
    }

    addFolder(projectId: string, environment: string, path: string): void {
        const env = this.projects.get(projectId)!.get(environment)!;
        const segments = path.split("/").filter(Boolean);
        for (let i = 1; i <= segments.length; i++) {
            const p = `/${segments.slice(0, i).join("/")}`;
            if (!env.has(p)) env.set(p, new Map());
        }
    }

    /** Stores a secret as if made earlier (by hand, or by another stack). */
    putSecret(projectId: string, environment: string, path: string, key: string, value: string, owner?: string): StoredSecret {
        this.addFolder(projectId, environment, path);
        const s: StoredSecret = { id: crypto.randomUUID(), value, metadata: owner === undefined ? [] : [{ key: "raxx-platform-owner", value: owner, isEncrypted: false }], version: 1 };
        this.projects.get(projectId)!.get(environment)!.get(path)!.set(key, s);
        return s;
    }

    secret(projectId: string, environment: string, path: string, key: string): StoredSecret | undefined {
        return this.projects.get(projectId)?.get(environment)?.get(path)?.get(key);
    }

    folders(projectId: string, environment: string): string[] {
        return [...(this.projects.get(projectId)?.get(environment)?.keys() ?? [])].sort();
    }

    inject(fault: Fault): void {
        this.faults.add(fault);
    }

    /** Requests that reached Infisical (past Access, not a fault), as `METHOD path`. */
    calls(): string[] {
        return this.requests.filter((r) => r.answeredBy === "infisical").map((r) => `${r.method} ${r.path}`);
    }

    protected internalErrorBody(e: unknown): unknown {
        return { reqId: "req-fake", statusCode: 500, message: String(e), error: "InternalServerError" };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const raw = await readBody(req);
        const url = new URL(req.url ?? "/", "http://fake");
        let body: unknown;
        try {
            body = raw === "" ? undefined : JSON.parse(raw);
        } catch {
            body = undefined;
        }
        const method = req.method ?? "GET";
        const recorded: RecordedRequest = { method, path: url.pathname, url: req.url ?? "/", query: Object.fromEntries(url.searchParams), headers: req.headers, body };
        this.requests.push(recorded);

        const header = (name: string) => {
            const v = req.headers[name];
            return typeof v === "string" ? v : undefined;
        };
        if (!this.admits(header("cf-access-client-id"), header("cf-access-client-secret"))) {
            recorded.answeredBy = "access";
            recorded.status = 403;
            res.writeHead(403, { "Content-Type": "text/html", Server: "cloudflare", "CF-RAY": "8f00000000000000-FRA" });
            res.end(ACCESS_DENIED_HTML);
            return;
        }
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
            recorded.status = status;
            res.writeHead(status, { "Content-Type": "application/json", ...headers });
            res.end(JSON.stringify(payload));
        };
        const fault = this.faults.take(method, url.pathname);
        if (fault !== undefined) {
            recorded.answeredBy = "fault";
            if (fault.silence === "hang") return;
            if (fault.silence === "drop") {
                req.socket.destroy();
                return;
            }
            if (fault.raw !== undefined) {
                recorded.status = fault.status;
                res.writeHead(fault.status, { "Content-Type": "text/html", ...fault.headers });
                res.end(fault.raw);
                return;
            }
            send(fault.status, fault.body ?? errorBody(fault.status, fault.status === 429 ? "Rate limit exceeded. Please try again later." : "Something went wrong"), fault.headers);
            return;
        }
        recorded.answeredBy = "infisical";
        const [status, payload] = this.route(method, url, body, header("authorization"));
        send(status, payload);
    }

    private route(method: string, url: URL, body: unknown, authorization: string | undefined): [number, unknown] {
        const b = (body ?? {}) as Record<string, unknown>;
        // Infisical's health endpoint, needing no login: what the Access check asks for.
        if (url.pathname === "/api/status" && method === "GET") return [200, { date: new Date().toISOString(), message: "Ok" }];
        if (url.pathname === "/api/v1/auth/universal-auth/login" && method === "POST") {
            if (typeof b.clientId !== "string" || typeof b.clientSecret !== "string") return [422, { ...errorBody(422, "Required"), error: "ValidationFailure" }];
            if (this.identities.get(b.clientId) !== b.clientSecret) return [401, errorBody(401, "Invalid credentials")];
            const token = `fake-access-token-${++this.counter}-${crypto.randomBytes(6).toString("hex")}`;
            this.tokens.add(token);
            return [200, { accessToken: token, expiresIn: 7200, accessTokenMaxTTL: 7200, tokenType: "Bearer" }];
        }
        const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
        if (bearer === undefined || !this.tokens.has(bearer)) return [401, { ...errorBody(401, "Token missing or invalid"), error: "UnauthorizedError" }];

        if (url.pathname === "/api/v1/folders" && method === "POST") {
            const projectId = String(b.workspaceId ?? b.projectId ?? "");
            const env = this.env(projectId, String(b.environment ?? ""));
            if (typeof env === "string") return [404, errorBody(404, env)];
            const name = String(b.name ?? "");
            if (!/^[A-Za-z0-9_-]+$/.test(name)) return [422, { ...errorBody(422, "Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed."), error: "ValidationFailure" }];
            const parent = `/${String(b.path ?? "/").split("/").filter(Boolean).join("/")}`;
            const full = parent === "/" ? `/${name}` : `${parent}/${name}`;
            this.addFolder(projectId, String(b.environment), full);
            return [200, { folder: { id: `folder-${full}`, name, envId: String(b.environment), parentId: `folder-${parent}`, version: 1 } }];
        }
        const m = /^\/api\/v4\/secrets\/([^/]+)$/.exec(url.pathname);
        if (m) {
            const key = decodeURIComponent(m[1]);
            const src = method === "GET" ? Object.fromEntries(url.searchParams) : b;
            const projectId = String(src.projectId ?? "");
            const environment = String(src.environment ?? "");
            const secretPath = `/${String(src.secretPath ?? "/").split("/").filter(Boolean).join("/")}`;
            const env = this.env(projectId, environment);
            if (typeof env === "string") return [404, errorBody(404, env)];
            const folder = env.get(secretPath);
            if (folder === undefined) return [404, errorBody(404, `Folder with path '${secretPath}' in environment with slug '${environment}' not found`)];
            const existing = folder.get(key);
            const view = (s: StoredSecret) => ({
                secret: {
                    id: s.id,
                    _id: s.id,
                    workspace: projectId,
                    environment,
                    version: s.version,
                    type: "shared",
                    secretKey: key,
                    secretValue: s.value,
                    secretComment: "",
                    secretValueHidden: false,
                    secretPath,
                    secretMetadata: s.metadata.map((x) => ({ ...x })),
                    tags: [],
                },
            });
            if (method === "GET") {
                if (!existing) return [404, errorBody(404, `Secret with name '${key}' not found`)];
                return [200, view(existing)];
            }
            const metadata = (x: unknown) => (Array.isArray(x) ? x.map((e: { key: string; value?: string; isEncrypted?: boolean }) => ({ key: e.key, value: e.value ?? "", isEncrypted: e.isEncrypted ?? false })) : undefined);
            if (method === "POST") {
                if (existing) return [400, errorBody(400, "Secret already exist")];
                if (typeof b.secretValue !== "string") return [422, { ...errorBody(422, "Required"), error: "ValidationFailure" }];
                const s: StoredSecret = { id: crypto.randomUUID(), value: trimLikeInfisical(b.secretValue), metadata: metadata(b.secretMetadata) ?? [], version: 1 };
                folder.set(key, s);
                this.writes++;
                this.valueWrites++;
                return [200, view(s)];
            }
            if (method === "PATCH") {
                if (!existing) return [404, errorBody(404, `Secret with name ${key} not found`)];
                if (typeof b.secretValue === "string") {
                    existing.value = trimLikeInfisical(b.secretValue);
                    this.valueWrites++;
                }
                const md = metadata(b.secretMetadata);
                if (md !== undefined) existing.metadata = md;
                existing.version++;
                this.writes++;
                return [200, view(existing)];
            }
            if (method === "DELETE") {
                if (!existing) return [404, errorBody(404, `Secret with name '${key}' not found`)];
                folder.delete(key);
                this.writes++;
                return [200, view(existing)];
            }
        }
        return [404, { ...errorBody(404, `Route ${method}:${url.pathname} not found`), error: "Not Found" }];
    }

    private env(projectId: string, environment: string): Map<string, Map<string, StoredSecret>> | string {
        const project = this.projects.get(projectId);
        if (!project) return `Project with ID '${projectId}' not found`;
        const env = project.get(environment);
        if (!env) return `Environment with slug '${environment}' in project with ID '${projectId}' not found`;
        return env;
    }
}

/** Infisical's error body for a status (backend/src/server/plugins/error-handler.ts). */
export function errorBody(status: number, message: string): { reqId: string; statusCode: number; message: string; error: string } {
    const error = { 400: "BadRequest", 401: "UnauthorizedError", 403: "PermissionDenied", 404: "NotFound", 422: "ValidationFailure", 429: "RateLimitExceeded" }[status] ?? "InternalServerError";
    return { reqId: `req-${crypto.randomBytes(4).toString("hex")}`, statusCode: status, message, error };
}

/** The v4 routes' `secretValue` transform: trimmed, keeping one trailing newline. */
function trimLikeInfisical(v: string): string {
    return v.at(-1) === "\n" ? `${v.trim()}\n` : v.trim();
}
