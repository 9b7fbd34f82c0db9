// Cloudflare's user API tokens, as the checks ask about them, on 127.0.0.1 only:
//
//   GET /client/v4/user/tokens/verify   with the token itself: `{id, status}`, or 401 code 1000
//   GET /client/v4/user/tokens/{id}     with the stack's token: the token's policies
//
// Every reply is the v4 envelope. A token Cloudflare does not know (or has deleted) gets 401
// `{code: 1000, message: "Invalid API Token"}`, as the real API answers it.
import * as http from "node:http";

import { LocalServer } from "../harness/localServer";

export interface FakeToken {
    readonly id: string;
    status: "active" | "disabled" | "expired";
    readonly policies: { id: string; effect: string; resources: Record<string, string>; permission_groups: { id: string; name: string }[] }[];
}

export class FakeCloudflareTokens extends LocalServer {
    /** The stack's own token, which may read any token's policies. */
    apiToken = "";
    /** Token value to the token. */
    readonly tokens = new Map<string, FakeToken>();
    /** Deleted tokens that still verify active, for a revocation that did not take effect. */
    readonly stillActive = new Set<string>();
    readonly requests: { method: string; path: string; authorization: string | undefined }[] = [];

    add(value: string, token: FakeToken): void {
        this.tokens.set(value, token);
    }

    /** Deletes the token; with `lingers`, it still verifies active. */
    remove(value: string, lingers = false): void {
        this.tokens.delete(value);
        if (lingers) this.stillActive.add(value);
    }

    protected internalErrorBody(e: unknown): unknown {
        return envelope(false, null, [{ code: 10000, message: String(e) }]);
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const path = (req.url ?? "").split("?")[0];
        const authorization = req.headers.authorization;
        this.requests.push({ method: req.method ?? "", path, authorization });
        const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        const invalid = () => send(401, envelope(false, null, [{ code: 1000, message: "Invalid API Token" }]));
        if (req.method === "GET" && path === "/client/v4/user/tokens/verify") {
            if (this.stillActive.has(bearer)) return send(200, envelope(true, { id: "lingering", status: "active" }));
            const t = this.tokens.get(bearer);
            return t === undefined ? invalid() : send(200, envelope(true, { id: t.id, status: t.status }));
        }
        const m = /^\/client\/v4\/user\/tokens\/([^/]+)$/.exec(path);
        if (req.method === "GET" && m) {
            if (bearer !== this.apiToken) return invalid();
            const t = [...this.tokens.values()].find((x) => x.id === decodeURIComponent(m[1]));
            if (t === undefined) return send(404, envelope(false, null, [{ code: 1003, message: "Invalid token id" }]));
            return send(200, envelope(true, { id: t.id, name: "raxx-billing-readonly", status: t.status, policies: t.policies }));
        }
        send(405, envelope(false, null, [{ code: 10000, message: "method not allowed in this fake" }]));
    }
}

function envelope(success: boolean, result: unknown, errors: { code: number; message: string }[] = []): unknown {
    return { success, errors, messages: [], result };
}
