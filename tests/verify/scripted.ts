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

/** One scripted AWS answer: XML (STS, IAM) unless `json` (SSM). */
export interface AwsReply {
    readonly status: number;
    readonly body: string;
    readonly json?: boolean;
}

/** Answers each request for an AWS action (STS and IAM by `Action`, SSM by `X-Amz-Target`) with the next scripted reply for it (the last one repeats), unsigned. */
export class ScriptedAws extends LocalServer {
    readonly replies = new Map<string, AwsReply[]>();
    readonly requests: { action: string; params: Record<string, unknown> }[] = [];

    script(action: string, ...replies: AwsReply[]): this {
        this.replies.set(action, replies);
        return this;
    }

    protected internalErrorBody(e: unknown): unknown {
        return { __type: "InternalFailure", message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks).toString("utf8");
        const target = req.headers["x-amz-target"];
        const params: Record<string, unknown> = target ? (JSON.parse(body || "{}") as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
        const action = target ? String(target).replace(/^AmazonSSM\./, "") : String(params.Action);
        this.requests.push({ action, params });
        const list = this.replies.get(action) ?? [{ status: 400, body: "" }];
        const reply = list.length > 1 ? list.shift()! : list[0];
        res.writeHead(reply.status, { "Content-Type": reply.json ? "application/x-amz-json-1.1" : "text/xml", "x-amzn-RequestId": "req-1" });
        res.end(reply.body);
    }
}

export const xmlResult = (action: string, inner: string): AwsReply => ({
    status: 200,
    body: `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`,
});
export const xmlError = (status: number, code: string, message: string): AwsReply => ({
    status,
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
export const jsonReply = (status: number, body: unknown): AwsReply => ({ status, body: JSON.stringify(body), json: true });
