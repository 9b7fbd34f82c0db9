// What the fake services share: an HTTP server on 127.0.0.1 only, at a port the OS picks.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A request's body, as text. */
export async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

export abstract class LocalServer {
    /** `http://127.0.0.1:<port>`, once started. */
    url = "";
    private readonly server = http.createServer((req, res) => {
        this.handle(req, res).catch((e: unknown) => {
            res.writeHead(500, { "Content-Type": "application/json" });
            res.end(JSON.stringify(this.internalErrorBody(e)));
        });
    });

    /** Answers one request. */
    protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

    /** The body of the 500 a request gets when `handle` throws, in the faked service's error shape. */
    protected abstract internalErrorBody(e: unknown): unknown;

    async start(): Promise<this> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** Stops at once: open connections, a hung request's included, are dropped rather than waited for. */
    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
