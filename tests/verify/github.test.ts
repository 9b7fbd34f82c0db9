// The GitHub secret check called directly (providers/verify/github.ts), against a server on
// 127.0.0.1 that answers what each test scripts: the request it sends, what it reads from
// each answer, and the exact words of each failure, the token never among them.
import { strict as assert } from "node:assert";

import { CheckContext } from "../../providers/verify/check";
import { githubSecretUpdatedAt } from "../../providers/verify/github";
import type { HttpKnobs } from "../../providers/http";
import { restoreEnvAfterEach } from "../harness/env";
import { ScriptedServer } from "../harness/scriptedServer";
import { failsAsCheck } from "./helpers";

const TOKEN = "gh-scripted-token-2b7e-do-not-leak";
const PLACE = { owner: "MooseQuest", repository: "raxx", name: "HEROKU_API_KEY" };
const PATH = "/repos/MooseQuest/raxx/actions/secrets/HEROKU_API_KEY";
const SUBJECT = "github MooseQuest/raxx HEROKU_API_KEY (herokuPlatformToken)";
const KNOBS: HttpKnobs = { timeoutMs: 2000, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 0 };
/** Answers every request with the next scripted reply, whatever its path (the last one repeats); with none, a 404. */
const scriptedGithub = () => new ScriptedServer({ keyOf: () => "", unscripted: { status: 404, body: "{}" }, internalErrorBody: (e) => ({ message: String(e) }) });

const ctx = (): CheckContext => ({ subject: SUBJECT, check: "the caller's words", deadlineMs: 1000, secrets: [] });

const fails = (p: Promise<unknown>, expected: string | RegExp) => failsAsCheck(p, expected, [TOKEN]);

describe("the GitHub secret check, called directly (providers/verify/github.ts)", () => {
    let gh: ScriptedServer;
    restoreEnvAfterEach(["GITHUB_API_URL"]);
    beforeEach(async () => {
        gh = await scriptedGithub().start();
        process.env.GITHUB_API_URL = gh.url;
    });
    afterEach(async () => {
        await gh.stop();
    });

    const reply = (status: number, body: unknown) => gh.enqueue("", { status, body: typeof body === "string" ? body : JSON.stringify(body) });

    it("sends one GET with the token and GitHub's headers to the base URL, trailing slashes dropped, and answers updated_at", async () => {
        process.env.GITHUB_API_URL = `${gh.url}//`;
        reply(200, { name: PLACE.name, created_at: "2026-05-06T12:00:00Z", updated_at: "2026-11-29T10:00:05Z" });
        assert.equal(await githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), "2026-11-29T10:00:05Z");
        assert.equal(gh.requests.length, 1);
        const [r] = gh.requests;
        assert.deepEqual(
            { method: r.method, path: r.path, accept: r.headers.accept, token: r.headers.authorization === `Bearer ${TOKEN}`, agent: r.headers["user-agent"], version: r.headers["x-github-api-version"] },
            { method: "GET", path: PATH, accept: "application/vnd.github+json", token: true, agent: "raxx-platform-verify", version: "2022-11-28" },
        );
    });

    it("asks again after a 5xx, and passes on the next answer", async () => {
        reply(502, { message: "Bad Gateway" });
        reply(200, { updated_at: "2026-11-29T10:00:05Z" });
        assert.equal(await githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), "2026-11-29T10:00:05Z");
        assert.equal(gh.requests.length, 2);
    });

    it("fails on a 200 without updated_at, with no advice", async () => {
        reply(200, { name: PLACE.name });
        await fails(githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), `${SUBJECT}: GET ${PATH} failed: GitHub answered 200.`);
    });

    it("fails on an updated_at that came with another status", async () => {
        reply(203, { updated_at: "2026-11-29T10:00:05Z" });
        await fails(githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), `${SUBJECT}: GET ${PATH} failed: GitHub answered 203.`);
    });

    it("fails on a refusal with GitHub's message, the token masked where GitHub echoes it, and no advice but for a 404", async () => {
        reply(401, { message: `Bad credentials: ${TOKEN}` });
        await fails(githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), `${SUBJECT}: GET ${PATH} failed: GitHub answered 401: Bad credentials: [redacted].`);
    });

    it("fails on a 404 that is not JSON, with the advice on token access", async () => {
        reply(404, "<html>Not Found</html>");
        await fails(
            githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE),
            `${SUBJECT}: GET ${PATH} failed: GitHub answered 404. The secret is missing, or the token cannot see it: check the token's repository access.`,
        );
    });

    it("fails, asking nothing, with an empty token", async () => {
        await fails(
            githubSecretUpdatedAt(ctx(), KNOBS, "", PLACE),
            `${SUBJECT}: GET ${PATH} failed: no GitHub token to read it with (GITHUB_TOKEN is not set, nor the secret stack config github:token). ` +
                "Set GITHUB_TOKEN to a token that can read the repository's Actions secrets, as the apply workflow does.",
        );
        assert.equal(gh.requests.length, 0);
    });

    it("names the request and the lack of an answer when nothing listens", async () => {
        await gh.stop();
        await fails(githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), new RegExp(`^${SUBJECT.replace(/[()]/g, "\\$&")}: GET ${PATH} failed: GitHub API GET ${PATH} failed after 2 attempts: no response \\(.*ECONNREFUSED.*\\)\\.$`));
        await gh.start();
    });

    it("names the GitHub API, not a URL, when its URL cannot be parsed", async () => {
        process.env.GITHUB_API_URL = "not a url";
        await fails(githubSecretUpdatedAt(ctx(), KNOBS, TOKEN, PLACE), `${SUBJECT}: GET ${PATH} failed: GitHub API GET ${PATH} failed after 2 attempts: no response (network error reaching the GitHub API: ERR_INVALID_URL).`);
    });
});
