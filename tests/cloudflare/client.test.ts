// The Cloudflare client itself (providers/cloudflare/client.ts), in process, against a bare
// HTTP server on 127.0.0.1 that answers what each test says: the settings it resolves, the
// request it sends (URL, headers, body), a reply that never comes, a 2xx that is not a
// success, and the errors' words and fields.
import { strict as assert } from "node:assert";
import * as http from "node:http";

import { ClientSettings, cfRequest, cloudflareError, resolveSettings } from "../../providers/cloudflare/client";
import { restoreEnvAfterEach } from "../harness/env";
import { LocalServer, readBody } from "../harness/localServer";
import { API_TOKEN, rejection, URL_WORDS } from "./helpers";

const TOKEN_TODO =
    'Set an API token with the account permission "Access: Apps and Policies Edit" in CLOUDFLARE_API_TOKEN, ' +
    "or in the secret stack config (`pulumi config set --secret cloudflare:apiToken <token>`).";
const PATH = "/accounts/acc/access/apps/app";
const HINT = "The update may or may not have been applied: run `pulumi refresh`.";

interface Seen {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

/** A server on 127.0.0.1 whose every request `answer` handles; what it got is in `seen`. */
class Serving extends LocalServer {
    readonly seen: Seen[] = [];

    constructor(private readonly answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
        super();
    }

    protected internalErrorBody(e: unknown): unknown {
        return { success: false, errors: [{ code: 10000, message: String(e) }], messages: [], result: null };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: await readBody(req) });
        this.answer(req, res);
    }
}

async function serve(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
    const server = await new Serving(answer).start();
    return { url: `${server.url}/client/v4`, seen: server.seen, stop: () => server.stop() };
}

const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
};

function settings(baseUrl: string, over: Partial<ClientSettings> = {}): ClientSettings {
    return { apiToken: API_TOKEN, tokenSource: "CLOUDFLARE_API_TOKEN", baseUrl, timeoutMs: 2000, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 2000, ...over };
}

type Fields = Record<string, unknown>;

describe("Cloudflare client: requests, replies and errors (in process)", () => {
    const KNOBS = ["TIMEOUT_MS", "MAX_ATTEMPTS", "BACKOFF_MS", "MAX_BACKOFF_MS", "MAX_RETRY_AFTER_MS"].map((k) => `CLOUDFLARE_HTTP_${k}`);
    restoreEnvAfterEach(["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_BASE_URL", ...KNOBS]);

    it("resolveSettings: a usable set has no `unusable` key; without a token it says so first, before a bad base URL", () => {
        for (const k of KNOBS) delete process.env[k];
        process.env.CLOUDFLARE_API_TOKEN = "cf-env-token-do-not-leak";
        process.env.CLOUDFLARE_API_BASE_URL = "http://127.0.0.1:9/client/v4";
        process.env.CLOUDFLARE_HTTP_TIMEOUT_MS = "70";
        process.env.CLOUDFLARE_HTTP_MAX_ATTEMPTS = "2";
        const good = resolveSettings({ apiToken: API_TOKEN }, { baseDelayMs: 3 });
        assert.deepStrictEqual(good, {
            apiToken: API_TOKEN,
            tokenSource: "stack config cloudflare:apiToken",
            baseUrl: "http://127.0.0.1:9/client/v4",
            timeoutMs: 70,
            maxAttempts: 2,
            baseDelayMs: 3,
            maxDelayMs: 8000,
            maxRetryAfterMs: 60000,
        });
        assert.equal(Object.hasOwn(good, "unusable"), false);
        delete process.env.CLOUDFLARE_API_TOKEN;
        process.env.CLOUDFLARE_API_BASE_URL = "api.cloudflare.com/client/v4";
        const bad = resolveSettings();
        assert.equal(bad.apiToken, undefined);
        assert.equal(bad.tokenSource, "CLOUDFLARE_API_TOKEN");
        assert.equal(bad.unusable, `CLOUDFLARE_API_TOKEN is not set). ${TOKEN_TODO}`);
    });

    it("settings without a token (however made) send nothing and name both places to set one", async () => {
        const server = await serve(json(200, { success: true, result: {} }));
        try {
            const e = (await rejection(cfRequest(settings(server.url, { apiToken: undefined }), { method: "GET", path: PATH }))) as unknown as Fields;
            assert.equal(e.message, `Cloudflare API GET ${PATH} failed: no response (not sent: CLOUDFLARE_API_TOKEN is not set). ${TOKEN_TODO}`);
            assert.deepEqual([e.status, e.attempts, e.outcomeUnknown], [0, 0, false]);
            assert.deepEqual(server.seen, []);
        } finally {
            await server.stop();
        }
    });

    it("a GET: the exact URL (no `?` without a query), Accept, the bearer token, the User-Agent, and no body or Content-Type", async () => {
        const server = await serve(json(200, { success: true, errors: [], messages: [], result: { id: "x" } }));
        try {
            const got = await cfRequest(settings(server.url), { method: "GET", path: PATH });
            assert.deepStrictEqual(got, { status: 200, result: { id: "x" }, resultInfo: undefined });
            await cfRequest(settings(server.url), { method: "GET", path: `${PATH}/policies`, query: { page: "2", per_page: "50" } });
            assert.deepEqual(
                server.seen.map((s) => s.url),
                [`/client/v4${PATH}`, `/client/v4${PATH}/policies?page=2&per_page=50`],
            );
            const h = server.seen[0].headers;
            assert.deepEqual([h.accept, h.authorization, h["user-agent"], h["content-type"]], ["application/json", `Bearer ${API_TOKEN}`, "raxx-platform-pulumi-cloudflare-access", undefined]);
            assert.equal(server.seen[0].body, "");
        } finally {
            await server.stop();
        }
    });

    it("a POST sends its body as JSON with Content-Type application/json", async () => {
        const server = await serve(json(201, { success: true, errors: [], messages: [], result: { id: "p1" } }));
        try {
            await cfRequest(settings(server.url), { method: "POST", path: `${PATH}/policies`, body: { name: "n", precedence: 3 } });
            assert.equal(server.seen[0].method, "POST");
            assert.equal(server.seen[0].headers["content-type"], "application/json");
            assert.equal(server.seen[0].body, '{"name":"n","precedence":3}');
        } finally {
            await server.stop();
        }
    });

    it("result_info is passed on only when it is an object", async () => {
        for (const [info, expected] of [
            [{ page: 1, total_pages: 3 }, { page: 1, total_pages: 3 }],
            ["3 pages", undefined],
            [[{ total_pages: 3 }], undefined],
            [null, undefined],
        ] as const) {
            const server = await serve(json(200, { success: true, errors: [], messages: [], result: [], result_info: info }));
            try {
                const got = await cfRequest(settings(server.url), { method: "GET", path: PATH });
                assert.deepStrictEqual(got.resultInfo, expected, JSON.stringify(info));
            } finally {
                await server.stop();
            }
        }
    });

    it("a reply that is not a success: a 3xx or 4xx with success true, and a 200 whose body is JSON null", async () => {
        for (const status of [302, 400]) {
            const server = await serve(json(status, { success: true, errors: [], messages: [], result: { id: "x" } }));
            try {
                const e = await rejection(cfRequest(settings(server.url), { method: "GET", path: PATH }));
                assert.equal(e.message, `Cloudflare API GET ${PATH} failed: ${status}. Cloudflare refused the request: correct what its message names, then run Pulumi again.`);
            } finally {
                await server.stop();
            }
        }
        const server = await serve(json(200, "null"));
        try {
            const e = await rejection(cfRequest(settings(server.url), { method: "GET", path: PATH }));
            assert.equal(e.message, `Cloudflare API GET ${PATH} returned 200 without a v4 envelope. Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, then run Pulumi again.`);
        } finally {
            await server.stop();
        }
    });

    it("several errors are joined with '; ', an error without a code shows its message alone", async () => {
        const errors = [{ message: "no code here" }, { code: 7003, message: "Could not route" }, { code: 1001, message: "third" }];
        const server = await serve(json(400, { success: false, errors, messages: [], result: null }));
        try {
            const e = (await rejection(cfRequest(settings(server.url), { method: "GET", path: PATH }))) as unknown as Fields;
            assert.equal(
                e.message,
                `Cloudflare API GET ${PATH} failed: 400 (no code here; 7003 Could not route; 1001 third). Cloudflare refused the request: correct what its message names, then run Pulumi again.`,
            );
            assert.deepEqual(e.errors, [
                { code: undefined, message: "no code here" },
                { code: 7003, message: "Could not route" },
                { code: 1001, message: "third" },
            ]);
        } finally {
            await server.stop();
        }
    });

    it("a 2xx with success false: a write with a hint gives the hint and an unknown outcome; a read never does", async () => {
        const server = await serve(json(200, { success: false, errors: [{ code: 1000, message: "odd" }], messages: [], result: null }));
        try {
            const put = (await rejection(cfRequest(settings(server.url), { method: "PUT", path: `${PATH}/policies/p1`, body: {}, unknownOutcomeHint: HINT }))) as unknown as Fields;
            assert.equal(put.message, `Cloudflare API PUT ${PATH}/policies/p1 returned 200 with success false (1000 odd). ${HINT}`);
            assert.deepEqual([put.status, put.outcomeUnknown], [200, true]);
            const get = (await rejection(cfRequest(settings(server.url), { method: "GET", path: PATH, unknownOutcomeHint: HINT }))) as unknown as Fields;
            assert.equal(
                get.message,
                `Cloudflare API GET ${PATH} returned 200 with success false (1000 odd). Something other than the Cloudflare API answered: check ${URL_WORDS} and any proxy on the way, then run Pulumi again.`,
            );
            assert.deepEqual([get.status, get.outcomeUnknown], [200, false]);
        } finally {
            await server.stop();
        }
    });

    it("no reply (the connection dropped): a read's outcome is known and gets the generic advice; a write with a hint gets the hint", async () => {
        const server = await serve((req) => req.socket.destroy());
        const origin = server.url.replace("/client/v4", "");
        try {
            const get = (await rejection(cfRequest(settings(server.url), { method: "GET", path: PATH, unknownOutcomeHint: HINT }))) as unknown as Fields;
            assert.match(String(get.message), new RegExp(`^Cloudflare API GET ${PATH} failed: no response \\(network error reaching ${origin.replace(/\./g, "\\.")}(: [A-Z_]+)?\\)\\. Check the network and ${URL_WORDS.replace(/[().]/g, "\\$&")}, then run Pulumi again\\.$`));
            assert.deepEqual([get.status, get.attempts, get.outcomeUnknown], [0, 1, false]);
            const put = (await rejection(cfRequest(settings(server.url), { method: "PUT", path: PATH, body: {}, unknownOutcomeHint: HINT }))) as unknown as Fields;
            assert.match(String(put.message), new RegExp(`^Cloudflare API PUT ${PATH} failed: no response \\(network error reaching [^)]+\\)\\. ${HINT.replace(/[.`]/g, "\\$&")}$`));
            assert.deepEqual([put.status, put.outcomeUnknown], [0, true]);
        } finally {
            await server.stop();
        }
    });

    it("no reply within the timeout: the advice names CLOUDFLARE_HTTP_TIMEOUT_MS", async () => {
        const server = await serve(() => undefined);
        try {
            const e = (await rejection(cfRequest(settings(server.url, { timeoutMs: 50 }), { method: "GET", path: PATH }))) as unknown as Fields;
            assert.equal(
                e.message,
                `Cloudflare API GET ${PATH} failed: no response (timed out after 50 ms). Check the network, then run Pulumi again (CLOUDFLARE_HTTP_TIMEOUT_MS sets the timeout of each attempt).`,
            );
            assert.deepEqual([e.status, e.outcomeUnknown], [0, false]);
        } finally {
            await server.stop();
        }
    });

    it("cloudflareError: errors default to none, and are kept when given", () => {
        const plain = cloudflareError("m", { method: "GET", path: PATH, status: 200 });
        assert.deepStrictEqual(plain.errors, []);
        const given = cloudflareError("m", { method: "GET", path: PATH, status: 404, errors: [{ code: 12130, message: "not found" }] });
        assert.deepStrictEqual(given.errors, [{ code: 12130, message: "not found" }]);
    });
});
