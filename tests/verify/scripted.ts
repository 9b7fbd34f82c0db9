// A server on 127.0.0.1 that answers each path with the replies a test scripts (the last one
// repeats), for the answers the fakes never give: what the in-process tests of the checks
// script, put in front of the serialized check providers.
import * as http from "node:http";

import { LocalServer } from "../harness/localServer";

export interface Reply {
    readonly status: number;
    /** Sent as JSON; `raw` wins over it. */
    readonly body?: unknown;
    /** Sent as it is. */
    readonly raw?: string;
    readonly headers?: Record<string, string>;
    /** Ms to wait before answering. */
    readonly delayMs?: number;
}

export class Scripted extends LocalServer {
    readonly replies = new Map<string, Reply[]>();
    readonly requests: { method: string; path: string; url: string; headers: http.IncomingHttpHeaders }[] = [];

    /** `path` (without the query) gets `replies` in turn, the last one for good. */
    script(path: string, ...replies: Reply[]): this {
        this.replies.set(path, replies);
        return this;
    }

    count(path: string): number {
        return this.requests.filter((r) => r.path === path).length;
    }

    protected internalErrorBody(e: unknown): unknown {
        return { message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = req.url ?? "";
        const path = url.split("?")[0];
        this.requests.push({ method: req.method ?? "", path, url, headers: req.headers });
        const list = this.replies.get(path) ?? [{ status: 404, body: { message: "no route in this fake" } }];
        const reply = list.length > 1 ? list.shift()! : list[0];
        if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
        res.end(reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body)));
    }
}
