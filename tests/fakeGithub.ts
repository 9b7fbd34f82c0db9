// The few GitHub issue endpoints the drift check calls, on 127.0.0.1 only: it
// lists the open issues it holds, and records every request, so a test can
// assert exactly what the check did to them.
import * as http from "node:http";
import type { Issue } from "../.github/scripts/github";
import { LocalServer } from "./harness/localServer";

export interface GithubRequest {
    readonly method: string;
    /** Path and query. */
    readonly path: string;
    readonly body?: unknown;
}

export class FakeGithub extends LocalServer {
    readonly requests: GithubRequest[] = [];

    constructor(readonly openIssues: Issue[] = []) {
        super();
    }

    /** The requests that change anything: every one but a GET. */
    writes(): GithubRequest[] {
        return this.requests.filter((r) => r.method !== "GET");
    }

    protected internalErrorBody(e: unknown): unknown {
        return { message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        let text = "";
        for await (const chunk of req) text += String(chunk);
        const path = req.url ?? "";
        this.requests.push({ method: req.method ?? "", path, ...(text === "" ? {} : { body: JSON.parse(text) as unknown }) });
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/issues\?/.test(path)) {
            const page = Number(new URL(path, "http://x").searchParams.get("page") ?? "1");
            return send(200, page === 1 ? this.openIssues : []);
        }
        if (req.method === "POST" && /\/issues\/\d+\/comments$/.test(path)) return send(201, { id: 1, body: "", user: null, created_at: "" });
        if (req.method === "POST" && /\/issues$/.test(path)) return send(201, { number: 100, title: "", body: "", state: "open", html_url: `${this.url}/issues/100` });
        if (req.method === "PATCH" && /\/issues\/\d+$/.test(path)) return send(200, { number: Number(path.split("/").pop()), title: "", body: "", state: "open", html_url: "" });
        send(404, { message: "Not Found" });
    }
}
