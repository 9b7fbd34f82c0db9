// A server on 127.0.0.1 that answers what a test scripts, for answers the stateful fakes
// never give: each request is filed under a key (its path, or what the test's service calls
// it) and gets the next reply scripted for that key; the last one repeats.
import type * as http from "node:http";

import { LocalServer, readBody } from "./localServer";

export interface ScriptedReply {
    readonly status: number;
    /** A string is sent as it is, anything else as JSON; no body when undefined. */
    readonly body?: unknown;
    /** Headers on top of the server's own. */
    readonly headers?: Record<string, string>;
    /** Ms to wait before answering. */
    readonly delayMs?: number;
}

/** A request as received. */
export interface ReceivedRequest {
    readonly method: string;
    /** Path and query, as sent. */
    readonly url: string;
    /** The path without the query. */
    readonly path: string;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

export interface ScriptedOptions {
    /** The key a request's replies are scripted under; by default its path. */
    readonly keyOf?: (r: ReceivedRequest) => string;
    /** The answer to a request whose key has no reply scripted. */
    readonly unscripted: ScriptedReply;
    /** The body of the 500 a request gets when answering it throws, in the service's error shape. */
    readonly internalErrorBody: (e: unknown) => unknown;
    /** Headers every reply carries; by default a JSON content type. */
    readonly headers?: Record<string, string>;
}

export class ScriptedServer extends LocalServer {
    /** Every request, in order. */
    readonly requests: ReceivedRequest[] = [];
    private readonly replies = new Map<string, ScriptedReply[]>();

    constructor(private readonly options: ScriptedOptions) {
        super();
    }

    /** Answers the requests under `key` with `replies`, in order; the last one repeats. */
    script(key: string, ...replies: ScriptedReply[]): this {
        this.replies.set(key, replies);
        return this;
    }

    /** Adds `replies` after those already scripted under `key`. */
    enqueue(key: string, ...replies: ScriptedReply[]): this {
        return this.script(key, ...(this.replies.get(key) ?? []), ...replies);
    }

    /** The requests filed under `key`. */
    count(key: string): number {
        return this.requests.filter((r) => this.keyOf(r) === key).length;
    }

    /** Each request as `METHOD path`. */
    calls(): string[] {
        return this.requests.map((r) => `${r.method} ${r.path}`);
    }

    protected internalErrorBody(e: unknown): unknown {
        return this.options.internalErrorBody(e);
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = req.url ?? "";
        const received = { method: req.method ?? "", url, path: url.split("?")[0], headers: req.headers, body: await readBody(req) };
        this.requests.push(received);
        const list = this.replies.get(this.keyOf(received)) ?? [];
        const reply = list.length > 1 ? list.shift()! : (list[0] ?? this.options.unscripted);
        if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        res.writeHead(reply.status, { ...(this.options.headers ?? { "Content-Type": "application/json" }), ...reply.headers });
        res.end(reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    }

    private keyOf(r: ReceivedRequest): string {
        return (this.options.keyOf ?? ((x: ReceivedRequest) => x.path))(r);
    }
}
