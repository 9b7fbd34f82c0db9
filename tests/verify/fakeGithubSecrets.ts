// What GitHub's REST API shows of Actions secrets, on 127.0.0.1 only: a repository's or an
// environment's secret by name, `{name, created_at, updated_at}` and never a value. A request
// without the expected token gets 401 "Bad credentials"; a missing secret 404 "Not Found".
import * as http from "node:http";

import { LocalServer } from "../harness/localServer";

export class FakeGithubSecrets extends LocalServer {
    token = "";
    /** `<owner>/<repo>[/<environment>]/<name>` to its times. */
    readonly secrets = new Map<string, { created_at: string; updated_at: string }>();
    readonly requests: { path: string; authorization: string | undefined }[] = [];
    /** Where a secret's times come from, by `<owner>/<repo>[/<environment>]/<name>`; the engine tier reads the fake plugin's cloud. */
    lookup: (key: string) => { created_at: string; updated_at: string } | undefined = (key) => this.secrets.get(key);

    /** Records a write of the secret now (or at `at`). */
    write(place: { owner: string; repository: string; environment?: string; name: string }, at = new Date()): void {
        const key = [place.owner, place.repository, ...(place.environment === undefined ? [] : [place.environment]), place.name].join("/");
        const iso = at.toISOString().replace(/\.\d{3}Z$/, "Z");
        this.secrets.set(key, { created_at: this.secrets.get(key)?.created_at ?? iso, updated_at: iso });
    }

    protected internalErrorBody(e: unknown): unknown {
        return { message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const path = (req.url ?? "").split("?")[0];
        this.requests.push({ path, authorization: req.headers.authorization });
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
        const m = /^\/repos\/([^/]+)\/([^/]+)(?:\/environments\/([^/]+))?\/(?:actions\/)?secrets\/([^/]+)$/.exec(path);
        const isRepo = m !== null && (m[3] === undefined) === path.includes("/actions/secrets/");
        const found = m && isRepo ? this.lookup([m[1], m[2], ...(m[3] === undefined ? [] : [decodeURIComponent(m[3])]), m[4]].join("/")) : undefined;
        if (req.method !== "GET" || found === undefined) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
        send(200, { name: m![4], ...found });
    }
}
