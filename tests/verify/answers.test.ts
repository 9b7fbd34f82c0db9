// The answers the in-process tests of the checks script (tests/verify/github.test.ts,
// heroku.test.ts, cloudflare.test.ts), given to the check providers as the engine runs them:
// the serialized text in the emulated host, each client pointed at a scripted server. Each
// outcome is the one the function called directly gives, in the provider's own words (the
// subject and check the provider names).
import { strict as assert } from "node:assert";

import { checkedCreate } from "../harness/serializedProvider";
import { CLOUDFLARE_TOKEN, CheckTexts, GITHUB_TOKEN, checkTexts, consumerInputs, failsWith, host, useFakes } from "./helpers";
import { ScriptedReply, ScriptedServer } from "../harness/scriptedServer";
import { scripted } from "./scripted";

const VALUE = "written-value-7b2d-do-not-leak";
const NEW_TOKEN = "cf-new-token-4d6f-do-not-leak";
const OLD_TOKEN = "cf-old-token-1e3a-do-not-leak";
const HEROKU_TOKEN = "heroku-new-token-8c1b-do-not-leak";
const ACCESS = { clientId: "slot-b.access", clientSecret: "access-secret-2f7c-do-not-leak" };
const SECRETS = [VALUE, NEW_TOKEN, OLD_TOKEN, HEROKU_TOKEN, ACCESS.clientSecret];

const GROUP_A = "b111ee7ead0000000000000000000001";
const GROUP_B = "b111ee7ead0000000000000000000002";
const ACCOUNT = "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const ZONE = "com.cloudflare.api.account.zone.7f6e5d4c3b2a10f9e8d7c6b5a4938271";
const POLICIES = [
    { effect: "allow", permissionGroupIds: [GROUP_B, GROUP_A], resources: { [ZONE]: "*", [ACCOUNT]: "*" } },
    { effect: "deny", permissionGroupIds: [GROUP_B], resources: { [ACCOUNT]: "*" } },
];
const SHOWN = [
    { id: "p2", effect: "deny", resources: { [ACCOUNT]: "*" }, permission_groups: [{ id: GROUP_B, name: "Billing Write" }] },
    { id: "p1", effect: "allow", resources: { [ACCOUNT]: "*", [ZONE]: "*" }, permission_groups: [{ id: GROUP_B, name: "Billing Write" }, { id: GROUP_A, name: "Billing Read" }] },
];
const DENY = `{"effect":"deny","groups":["${GROUP_B}"],"resources":{"${ACCOUNT}":"*"}}`;

const envelope = (success: boolean, result: unknown, errors: { code: number; message: string }[] = []) => ({ success, errors, messages: [], result });
const ok = (result: unknown): ScriptedReply => ({ status: 200, body: envelope(true, result) });
const refused = (status: number, code: number, message: string): ScriptedReply => ({ status, body: envelope(false, null, [{ code, message }]) });
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("the checks' scripted answers, through the serialized providers", () => {
    useFakes();
    let texts: CheckTexts;
    let server: ScriptedServer;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });
    beforeEach(async () => {
        server = await scripted().start();
    });
    afterEach(async () => {
        await server.stop();
    });

    const fails = (p: Promise<unknown>, message: string | RegExp) => failsWith(p, message, SECRETS);
    const credential = (kind: string, value: Record<string, string>, expect: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
        credential: "someCredential",
        slot: "b",
        kind,
        enabled: true,
        timeoutSeconds: 1,
        value,
        expect,
        __provider: texts.credential,
        ...over,
    });

    describe("GitHub secret (ConsumerCheck githubSecret)", () => {
        const where = { owner: "MooseQuest", repository: "raxx", name: "HEROKU_API_KEY" };
        const PATH = "/repos/MooseQuest/raxx/actions/secrets/HEROKU_API_KEY";
        const HEAD = `the place (someCredential): GET ${PATH} failed:`;
        const inputs = () => consumerInputs(texts.consumer, VALUE, "githubSecret", where);
        const reply = (status: number, body: unknown) => ({ status, body });

        it("sends one GET with the token and GitHub's headers to the base URL, trailing slashes dropped; asks again after a 5xx", async () => {
            process.env.GITHUB_API_URL = `${server.url}//`;
            server.script(PATH, reply(502, { message: "Bad Gateway" }), reply(200, { name: where.name, updated_at: "2026-11-29T10:00:05Z" }));
            const { outs } = await checkedCreate(host(), inputs());
            assert.equal(outs.updatedAt, "2026-11-29T10:00:05Z");
            assert.equal(server.requests.length, 2);
            const [r] = server.requests;
            assert.deepEqual(
                { method: r.method, path: r.url, accept: r.headers.accept, token: r.headers.authorization === `Bearer ${GITHUB_TOKEN}`, agent: r.headers["user-agent"], version: r.headers["x-github-api-version"] },
                { method: "GET", path: PATH, accept: "application/vnd.github+json", token: true, agent: "raxx-platform-verify", version: "2022-11-28" },
            );
        });

        it("fails on a 200 without updated_at, on updated_at with another status, on a refusal (the token masked) and on a 404 that is not JSON", async () => {
            process.env.GITHUB_API_URL = server.url;
            const cases: [ScriptedReply, string][] = [
                [reply(200, { name: where.name }), `${HEAD} GitHub answered 200.`],
                [reply(203, { updated_at: "2026-11-29T10:00:05Z" }), `${HEAD} GitHub answered 203.`],
                [reply(401, { message: `Bad credentials: ${GITHUB_TOKEN}` }), `${HEAD} GitHub answered 401: Bad credentials: [redacted].`],
                [reply(404, "<html>Not Found</html>"), `${HEAD} GitHub answered 404. The secret is missing, or the token cannot see it: check the token's repository access.`],
            ];
            for (const [answer, expected] of cases) {
                server.script(PATH, answer);
                await fails(checkedCreate(host(), inputs()), expected);
            }
        });

        it("names the request and the lack of an answer when nothing listens, and the GitHub API when its URL cannot be parsed", async () => {
            process.env.GITHUB_API_URL = server.url;
            await server.stop();
            await fails(checkedCreate(host(), inputs()), new RegExp(`^${esc(HEAD)} GitHub API GET ${esc(PATH)} failed after 2 attempts: no response \\(.*ECONNREFUSED.*\\)\\.$`));
            await server.start();
            process.env.GITHUB_API_URL = "not a url";
            await fails(checkedCreate(host(), inputs()), `${HEAD} GitHub API GET ${PATH} failed after 2 attempts: no response (network error reaching the GitHub API: ERR_INVALID_URL).`);
        });
    });

    describe("Heroku (CredentialCheck herokuAuthorization, ConsumerCheck herokuConfigVars)", () => {
        const AUTH_ID = "01234567-89ab-4cde-8f01-23456789abcd";
        const AUTH = `/oauth/authorizations/${AUTH_ID}`;
        const HEAD = "someCredential slot b: GET /account with the new token failed:";
        const AUTH_HEAD = `someCredential slot b: GET ${AUTH} with the new token failed:`;
        const REVOKE = "Revoke it (`heroku authorizations:revoke <id>`) and run `pulumi up` with the API key of the account that should own it.";
        const NEW_DATE = "Heroku cannot change a scope: give the slot a new date so that a new authorization is made.";
        const inputs = (expect: Record<string, unknown>) => credential("herokuAuthorization", { token: HEROKU_TOKEN }, { authorizationId: AUTH_ID, ...expect });

        it("reads an account without id or email, a null account, an authorization without a scope, and a scope of several; names a refused authorization request", async () => {
            process.env.HEROKU_API_URL = server.url;
            server.script("/account", { status: 200, body: {} });
            await fails(
                checkedCreate(host(), inputs({ accountId: "acc-1", scope: ["global"] })),
                `${HEAD} the token belongs to an unnamed account (id none), not to the account that created the authorization (id acc-1). ${REVOKE}`,
            );
            assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ["GET /account"]);
            server.script("/account", { status: 200, body: "null" }).script(AUTH, { status: 200, body: "null" });
            await fails(checkedCreate(host(), inputs({ scope: ["global", "identity"] })), `${AUTH_HEAD} its scope is empty, not the declared global identity. ${NEW_DATE}`);
            server.script("/account", { status: 200, body: { id: "acc-1", email: "ops@raxx.app" } }).script(AUTH, { status: 200, body: { id: AUTH_ID } });
            await fails(checkedCreate(host(), inputs({ accountId: "acc-1", scope: ["global"] })), `${AUTH_HEAD} its scope is empty, not the declared global. ${NEW_DATE}`);
            server.script(AUTH, { status: 200, body: { scope: ["read", "write"] } });
            await fails(checkedCreate(host(), inputs({ accountId: "acc-1", scope: ["global", "identity"] })), `${AUTH_HEAD} its scope is read write, not the declared global identity. ${NEW_DATE}`);
            server.script(AUTH, { status: 403, body: { id: "forbidden", message: "You do not have access to this authorization." } });
            await fails(
                checkedCreate(host(), inputs({ accountId: "acc-1", scope: ["global"] })),
                `${AUTH_HEAD} Heroku answered Heroku API GET ${AUTH} failed: 403 forbidden: You do not have access to this authorization.`,
            );
        });

        it("config vars: an answer of null is no var; a refusal echoing the value written is masked", async () => {
            process.env.HEROKU_API_URL = server.url;
            const VARS = "/apps/raxx-api-prod/config-vars";
            const where = { app: "raxx-api-prod", name: "HEROKU_API_KEY" };
            server.script(VARS, { status: 200, body: "null" });
            await fails(
                checkedCreate(host(), consumerInputs(texts.consumer, VALUE, "herokuConfigVars", where)),
                `the place (someCredential): GET ${VARS} failed: app raxx-api-prod has no config var HEROKU_API_KEY. Something removed it after the write: run \`pulumi up\` again.`,
            );
            server.script(VARS, { status: 422, body: { id: "invalid_params", message: `HEROKU_API_KEY is ${VALUE}` } });
            await fails(
                checkedCreate(host(), consumerInputs(texts.consumer, VALUE, "herokuConfigVars", where)),
                `the place (someCredential): GET ${VARS} failed: Heroku answered Heroku API GET ${VARS} failed: 422 invalid_params: HEROKU_API_KEY is [redacted].`,
            );
        });
    });

    describe("Cloudflare (CredentialCheck cloudflareApiToken and accessServiceToken)", () => {
        const VERIFY = "/client/v4/user/tokens/verify";
        const TOKEN_ID = "cf-token-id-b";
        const READ = `/client/v4/user/tokens/${TOKEN_ID}`;
        const HEAD = "someCredential slot b: GET /user/tokens/verify with the new token failed:";
        const READ_HEAD = `someCredential slot b: GET /user/tokens/${TOKEN_ID} with the stack's token failed:`;
        const CHANGED = "Something changed the token after it was made: run `pulumi up` to put its policies back.";
        const NOT_ACTIVE = "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).";
        const inputs = (policies: readonly unknown[] = POLICIES, over: Record<string, unknown> = {}) =>
            credential("cloudflareApiToken", { token: NEW_TOKEN }, { tokenId: TOKEN_ID, policies }, over);
        beforeEach(() => {
            process.env.CLOUDFLARE_API_BASE_URL = `${server.url}/client/v4`;
        });

        it("passes on the declared policies in any order, each token where it belongs; asks again after a 401, a 429 or a 500", async () => {
            for (const first of [refused(401, 1000, "Invalid API Token"), refused(429, 10000, "Rate limited"), refused(500, 10000, "Internal error")]) {
                server.requests.splice(0);
                server.script(VERIFY, first, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ id: TOKEN_ID, policies: SHOWN }));
                await checkedCreate(host(), inputs());
                const who = (a: string | undefined) => (a === `Bearer ${NEW_TOKEN}` ? "new" : a === `Bearer ${CLOUDFLARE_TOKEN}` ? "stack" : "other");
                assert.deepEqual(server.requests.map((r) => `${r.path} ${who(r.headers.authorization)}`), [`${VERIFY} new`, `${VERIFY} new`, `${READ} stack`]);
            }
        });

        it("fails at once on a 403, on another id, on an answer with no id or status, and when the stack's token cannot read the policies", async () => {
            server.script(VERIFY, refused(403, 9109, "Unauthorized to access requested resource"));
            await fails(checkedCreate(host(), inputs()), `${HEAD} Cloudflare answered Cloudflare API GET /user/tokens/verify failed: 403 (9109 Unauthorized to access requested resource).`);
            assert.equal(server.count(VERIFY), 1);
            server.script(VERIFY, ok({ id: "cf-token-id-other", status: "active" }));
            await fails(checkedCreate(host(), inputs()), `${HEAD} Cloudflare answered token cf-token-id-other, status active; expected token ${TOKEN_ID}, status active. ${NOT_ACTIVE}`);
            assert.equal(server.count(READ), 0);
            server.script(VERIFY, ok(null));
            await fails(checkedCreate(host(), inputs()), `${HEAD} Cloudflare answered token none, status unknown; expected token ${TOKEN_ID}, status active. ${NOT_ACTIVE}`);
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, refused(404, 1003, "Invalid token id"));
            await fails(checkedCreate(host(), inputs()), `${READ_HEAD} Cloudflare answered Cloudflare API GET /user/tokens/${TOKEN_ID} failed: 404 (1003 Invalid token id).`);
        });

        it("compares the policies shown: none (null, or no list), one more, a shapeless one, one twice, a group without an id", async () => {
            const declared = [POLICIES[1]];
            const shown = (result: unknown) => server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok(result));
            shown(null);
            await fails(checkedCreate(host(), inputs(declared)), `${READ_HEAD} its policies are none; declared: ${DENY}. ${CHANGED}`);
            shown({ id: TOKEN_ID });
            await fails(checkedCreate(host(), inputs(declared)), `${READ_HEAD} its policies are none; declared: ${DENY}. ${CHANGED}`);
            const shapeless = `{"effect":"undefined","groups":[],"resources":{}}`;
            shown({ policies: [SHOWN[0], { permission_groups: "all", resources: null }, null] });
            await fails(checkedCreate(host(), inputs(declared)), `${READ_HEAD} its policies are ${DENY}, ${shapeless}, ${shapeless}; declared: ${DENY}. ${CHANGED}`);
            shown({ policies: [SHOWN[0], SHOWN[0]] });
            await fails(checkedCreate(host(), inputs(declared)), `${READ_HEAD} its policies are ${DENY}, ${DENY}; declared: ${DENY}. ${CHANGED}`);
            shown({ policies: [{ effect: "deny", resources: { [ACCOUNT]: "*" }, permission_groups: [null] }] });
            await fails(checkedCreate(host(), inputs(declared)), `${READ_HEAD} its policies are {"effect":"deny","groups":["undefined"],"resources":{"${ACCOUNT}":"*"}}; declared: ${DENY}. ${CHANGED}`);
        });

        it("asks again while no answer comes, and names the lack of one at the deadline", async () => {
            await server.stop();
            await fails(
                checkedCreate(host(), inputs()),
                new RegExp(`^${esc(HEAD)} Cloudflare answered Cloudflare API GET /user/tokens/verify failed: no response \\(network error reaching http://127\\.0\\.0\\.1:\\d+: ECONNREFUSED\\)\\. \\((?:[2-9]|[1-9]\\d+) tries within the check's limit of 1 s\\)\\.$`),
            );
            await server.start();
        });

        it("revocation of the old token: done at once when Cloudflare refuses it (401, 403) or answers it disabled, with no status, or no token; asks again after a 500 and while it is active", async () => {
            const olds = { ...inputs(POLICIES, { value: { token: OLD_TOKEN }, expect: { tokenId: "cf-token-id-old", policies: POLICIES } }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            const oldChecks = () => server.requests.filter((r) => r.path === VERIFY && r.headers.authorization === `Bearer ${OLD_TOKEN}`).length;
            const news = inputs();
            const answersToNew = ok({ id: TOKEN_ID, status: "active" });
            server.script(READ, ok({ id: TOKEN_ID, policies: SHOWN }));
            for (const answer of [refused(401, 1000, "Invalid API Token"), refused(403, 9109, "Unauthorized to access requested resource"), ok({ id: "old", status: "disabled" }), ok({ id: "old" }), ok(null)]) {
                server.requests.splice(0);
                server.script(VERIFY, answersToNew, answer);
                const { outs } = await host().update("someCredential/b", olds, news);
                assert.equal(outs.revocation, "Cloudflare no longer accepts the old token cf-token-id-old");
                assert.equal(oldChecks(), 1, JSON.stringify(answer.body));
            }
            server.requests.splice(0);
            server.script(VERIFY, answersToNew, ok({ status: "active" }), ok({ status: "active" }), refused(401, 1000, "Invalid API Token"));
            await host().update("someCredential/b", olds, news);
            assert.equal(oldChecks(), 3);
            server.script(VERIFY, answersToNew, refused(500, 10000, "Internal error"));
            await fails(
                host().update("someCredential/b", olds, news),
                new RegExp(
                    "^someCredential slot b: GET /user/tokens/verify with the old token, after its delete failed: no clear answer: Cloudflare API GET /user/tokens/verify failed: 500 \\(10000 Internal error\\)\\. \\((?:[2-9]|[1-9]\\d+) tries within the check's limit of 1 s\\)\\.$",
                ),
            );
        });

        describe("accessServiceToken: through Access", () => {
            const access = () => credential("accessServiceToken", ACCESS, { tokenId: "token-b", policyId: "policy-1" });
            const head = (url: string) => `someCredential slot b: GET ${url}/api/status through Access with the new service token failed:`;

            it("sends the service token's headers, not following a redirect, to the vault URL's /api/status, trailing slashes dropped", async () => {
                process.env.INFISICAL_API_URL = `${server.url}//`;
                server.script("/api/status", { status: 200, body: { ok: true } });
                await checkedCreate(host(), access());
                assert.equal(server.requests.length, 1);
                const [r] = server.requests;
                assert.deepEqual(
                    { method: r.method, path: r.url, id: r.headers["cf-access-client-id"], secret: r.headers["cf-access-client-secret"] === ACCESS.clientSecret, agent: r.headers["user-agent"] },
                    { method: "GET", path: "/api/status", id: ACCESS.clientId, secret: true, agent: "raxx-platform-verify" },
                );
            });

            it("is not admitted by a 300, a 302 to the Access login or a 403: asks again, and names the answer at the deadline", async () => {
                process.env.INFISICAL_API_URL = server.url;
                for (const status of [300, 302, 403]) {
                    server.script("/api/status", { status, headers: status === 302 ? { Location: "https://raxx.cloudflareaccess.com/cdn-cgi/access/login" } : {} });
                    await fails(checkedCreate(host(), access()), new RegExp(`^${esc(head(server.url))} GET ${esc(server.url)}/api/status answered ${status} \\((?:[2-9]|[1-9]\\d+) tries within the check's limit of 1 s\\)\\.$`));
                }
            });

            it("names a refused connection, a try's own timeout, and a URL that cannot be parsed (the vault, not the URL)", async () => {
                const url = server.url;
                process.env.INFISICAL_API_URL = url;
                await server.stop();
                await fails(checkedCreate(host(), access()), new RegExp(`^${esc(head(url))} GET ${esc(url)}/api/status got no answer \\(network error ECONNREFUSED\\) \\(\\d+ tries? within the check's limit of 1 s\\)\\.$`));
                await server.start();
                process.env.INFISICAL_API_URL = server.url;
                process.env.INFISICAL_HTTP_TIMEOUT_MS = "40";
                server.script("/api/status", { status: 200, delayMs: 300 });
                await fails(checkedCreate(host(), access()), new RegExp(`^${esc(head(server.url))} GET ${esc(server.url)}/api/status got no answer \\(timed out after 40 ms\\) \\(\\d+ tries? within the check's limit of 1 s\\)\\.$`));
                process.env.INFISICAL_API_URL = "http://vault raxx.app";
                await fails(
                    checkedCreate(host(), access()),
                    /^someCredential slot b: GET http:\/\/vault raxx\.app\/api\/status through Access with the new service token failed: GET the vault\/api\/status got no answer \(network error ERR_INVALID_URL\) \(\d+ tries? within the check's limit of 1 s\)\.$/,
                );
            });
        });
    });
});
