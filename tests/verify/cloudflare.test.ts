// The Cloudflare checks called directly (providers/verify/cloudflare.ts), against a server on
// 127.0.0.1 that answers what each test scripts: which answers are asked again until the
// deadline and which end the check at once, the exact words of each failure, how a token's
// policies are compared, and what a request through Access sends and is told.
import { strict as assert } from "node:assert";

import { CheckContext } from "../../providers/verify/check";
import { TokenPolicy, confirmAccessAdmits, confirmApiTokenRevoked, verifyApiToken } from "../../providers/verify/cloudflare";
import type { ClientSettings } from "../../providers/cloudflare/client";
import { restoreEnvAfterEach } from "../harness/env";
import { ScriptedReply, ScriptedServer } from "../harness/scriptedServer";
import { failsAsCheck } from "./helpers";

const NEW_TOKEN = "cf-new-token-3c5e-do-not-leak";
const STACK_TOKEN = "cf-stack-token-9f1a-do-not-leak";
const ACCESS = { clientId: "slot-b.access", clientSecret: "access-secret-6b2d-do-not-leak" };
const SECRETS = [NEW_TOKEN, STACK_TOKEN, ACCESS.clientSecret];
const GROUP_A = "b111ee7ead0000000000000000000001";
const GROUP_B = "b111ee7ead0000000000000000000002";
const ACCOUNT = "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const ZONE = "com.cloudflare.api.account.zone.7f6e5d4c3b2a10f9e8d7c6b5a4938271";
/** Answers each request with the next scripted reply for its path (the last one repeats); a path with none, as Cloudflare answers an unknown route. */
const scripted = () =>
    new ScriptedServer({
        unscripted: { status: 404, body: JSON.stringify(envelope(false, null, [{ code: 7003, message: "no route in this fake" }])) },
        internalErrorBody: (e) => envelope(false, null, [{ code: 10000, message: String(e) }]),
    });

function envelope(success: boolean, result: unknown, errors: { code: number; message: string }[] = []): unknown {
    return { success, errors, messages: [], result };
}

const ok = (result: unknown): ScriptedReply => ({ status: 200, body: JSON.stringify(envelope(true, result)) });
const refused = (status: number, code: number, message: string): ScriptedReply => ({ status, body: JSON.stringify(envelope(false, null, [{ code, message }])) });

const VERIFY = "/client/v4/user/tokens/verify";
const TOKEN_ID = "cf-token-id-b";
const READ = `/client/v4/user/tokens/${TOKEN_ID}`;
const SUBJECT = "billingToken slot b";
const POLICIES: TokenPolicy[] = [
    { effect: "allow", permissionGroupIds: [GROUP_B, GROUP_A], resources: { [ZONE]: "*", [ACCOUNT]: "*" } },
    { effect: "deny", permissionGroupIds: [GROUP_B], resources: { [ACCOUNT]: "*" } },
];
/** The declared policies as Cloudflare shows them: groups and resource keys in another order. */
const SHOWN = [
    { id: "p2", effect: "deny", resources: { [ACCOUNT]: "*" }, permission_groups: [{ id: GROUP_B, name: "Billing Write" }] },
    { id: "p1", effect: "allow", resources: { [ACCOUNT]: "*", [ZONE]: "*" }, permission_groups: [{ id: GROUP_B, name: "Billing Write" }, { id: GROUP_A, name: "Billing Read" }] },
];

const ctx = (check: string, deadlineMs = 400): CheckContext => ({ subject: SUBJECT, check, deadlineMs, secrets: [NEW_TOKEN, ACCESS.clientSecret] });

const fails = (p: Promise<unknown>, expected: string | RegExp) => failsAsCheck(p, expected, SECRETS);

describe("Cloudflare checks, called directly (providers/verify/cloudflare.ts)", () => {
    let server: ScriptedServer;
    restoreEnvAfterEach(["VERIFY_BACKOFF_MS"]);
    beforeEach(async () => {
        process.env.VERIFY_BACKOFF_MS = "1";
        server = await scripted().start();
    });
    afterEach(async () => {
        await server.stop();
    });

    const settings = (apiToken: string, tokenSource: string, baseUrl = `${server.url}/client/v4`): ClientSettings => ({
        apiToken,
        tokenSource,
        baseUrl,
        timeoutMs: 2000,
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 2,
        maxRetryAfterMs: 0,
    });
    const withNew = () => settings(NEW_TOKEN, "the new token of billingToken slot b");
    const stack = () => settings(STACK_TOKEN, "CLOUDFLARE_API_TOKEN");
    const verify = (policies: readonly TokenPolicy[] = POLICIES, deadlineMs = 400) =>
        verifyApiToken(ctx("a caller's check", deadlineMs), withNew(), stack(), { tokenId: TOKEN_ID, policies });

    describe("verifyApiToken", () => {
        it("passes on the declared policies whatever order Cloudflare lists policies, groups and resources in, sending each token where it belongs", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ id: TOKEN_ID, policies: SHOWN }));
            await verify();
            assert.deepEqual(
                server.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization === `Bearer ${NEW_TOKEN}` ? "new" : r.headers.authorization === `Bearer ${STACK_TOKEN}` ? "stack" : "other"}`),
                [`GET ${VERIFY} new`, `GET ${READ} stack`],
            );
        });

        for (const [what, first] of [
            ["a 401 (not known everywhere yet)", refused(401, 1000, "Invalid API Token")],
            ["a 429 (rate limited)", refused(429, 10000, "Rate limited")],
            ["a 500", refused(500, 10000, "Internal error")],
        ] as const) {
            it(`asks again, once per try, after ${what}, and passes when the token verifies`, async () => {
                server.script(VERIFY, first, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ policies: SHOWN }));
                await verify();
                assert.equal(server.count(VERIFY), 2);
            });
        }

        it("asks again while no answer comes, and names the lack of one at the deadline", async () => {
            const closed = await scripted().start();
            await closed.stop();
            await fails(
                verifyApiToken(ctx("a caller's check", 100), settings(NEW_TOKEN, "the new token", `${closed.url}/client/v4`), stack(), { tokenId: TOKEN_ID, policies: POLICIES }),
                /^billingToken slot b: GET \/user\/tokens\/verify with the new token failed: Cloudflare answered Cloudflare API GET \/user\/tokens\/verify failed: no response \(network error reaching http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\)\. \([2-9]\d* tries within the check's limit of 100 ms\)\.$/,
            );
        });

        it("fails at once, with Cloudflare's answer, on a refusal that asking again cannot change (403)", async () => {
            server.script(VERIFY, refused(403, 9109, "Unauthorized to access requested resource"));
            await fails(verify(), /^billingToken slot b: GET \/user\/tokens\/verify with the new token failed: Cloudflare answered Cloudflare API GET \/user\/tokens\/verify failed: 403 \(9109 Unauthorized to access requested resource\)\.$/);
            assert.equal(server.count(VERIFY), 1);
        });

        it("fails when the token verifies active under another id", async () => {
            server.script(VERIFY, ok({ id: "cf-token-id-other", status: "active" }));
            await fails(
                verify(),
                "billingToken slot b: GET /user/tokens/verify with the new token failed: Cloudflare answered token cf-token-id-other, status active; expected token cf-token-id-b, status active. " +
                    "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).",
            );
            assert.equal(server.count(READ), 0);
        });

        it("names an answer with no id or status as token none, status unknown", async () => {
            server.script(VERIFY, ok(null));
            await fails(
                verify(),
                "billingToken slot b: GET /user/tokens/verify with the new token failed: Cloudflare answered token none, status unknown; expected token cf-token-id-b, status active. " +
                    "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).",
            );
        });

        it("fails, saying none, when Cloudflare shows the token with no policies, or shows no token", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok(null));
            await fails(verify([POLICIES[1]]), /^billingToken slot b: GET \/user\/tokens\/cf-token-id-b with the stack's token failed: its policies are none; declared: /);
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ id: TOKEN_ID }));
            await fails(
                verify([POLICIES[1]]),
                `billingToken slot b: GET /user/tokens/${TOKEN_ID} with the stack's token failed: its policies are none; declared: {"effect":"deny","groups":["${GROUP_B}"],"resources":{"${ACCOUNT}":"*"}}. ` +
                    "Something changed the token after it was made: run `pulumi up` to put its policies back.",
            );
        });

        it("fails, listing both sides, when one more policy than declared is shown, and reads a shapeless policy as undefined with no groups or resources", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ policies: [SHOWN[0], { permission_groups: "all", resources: null }, null] }));
            await fails(
                verify([POLICIES[1]]),
                `billingToken slot b: GET /user/tokens/${TOKEN_ID} with the stack's token failed: its policies are ` +
                    `{"effect":"deny","groups":["${GROUP_B}"],"resources":{"${ACCOUNT}":"*"}}, {"effect":"undefined","groups":[],"resources":{}}, {"effect":"undefined","groups":[],"resources":{}}; ` +
                    `declared: {"effect":"deny","groups":["${GROUP_B}"],"resources":{"${ACCOUNT}":"*"}}. Something changed the token after it was made: run \`pulumi up\` to put its policies back.`,
            );
        });

        it("fails when the same policy is shown twice but declared once", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ policies: [SHOWN[0], SHOWN[0]] }));
            await fails(verify([POLICIES[1]]), /^billingToken slot b: GET \/user\/tokens\/cf-token-id-b with the stack's token failed: its policies are (\{"effect":"deny"[^;]*), \1; declared: /);
        });

        it("reads a group without an id as undefined, and so does not match a declared group", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, ok({ policies: [{ effect: "deny", resources: { [ACCOUNT]: "*" }, permission_groups: [null] }] }));
            await fails(verify([POLICIES[1]]), /its policies are \{"effect":"deny","groups":\["undefined"\],"resources":\{"com\.cloudflare\.api\.account\.0a1b2c3d4e5f60718293a4b5c6d7e8f9":"\*"\}\}; declared: /);
        });

        it("fails, with Cloudflare's answer, when the stack's token cannot read the token's policies", async () => {
            server.script(VERIFY, ok({ id: TOKEN_ID, status: "active" })).script(READ, refused(404, 1003, "Invalid token id"));
            await fails(verify(), /^billingToken slot b: GET \/user\/tokens\/cf-token-id-b with the stack's token failed: Cloudflare answered Cloudflare API GET \/user\/tokens\/cf-token-id-b failed: 404 \(1003 Invalid token id\)\.$/);
        });
    });

    describe("confirmApiTokenRevoked", () => {
        const old = () => settings("cf-old-token-0d7f-do-not-leak", "the old token of billingToken slot b");
        const revoked = (deadlineMs = 200) => confirmApiTokenRevoked(ctx("GET /user/tokens/verify with the old token, after its delete", deadlineMs), old());

        for (const [what, reply] of [
            ["refuses it (401)", refused(401, 1000, "Invalid API Token")],
            ["refuses it (403)", refused(403, 9109, "Unauthorized to access requested resource")],
            ["answers it disabled", ok({ id: "old", status: "disabled" })],
            ["answers it with no status", ok({ id: "old" })],
            ["answers no token at all", ok(null)],
        ] as const) {
            it(`is done at the first try when Cloudflare ${what}`, async () => {
                server.script(VERIFY, reply);
                await revoked();
                assert.equal(server.count(VERIFY), 1);
            });
        }

        it("asks again after an unclear answer (500), and fails at the deadline naming it", async () => {
            server.script(VERIFY, refused(500, 10000, "Internal error"));
            await fails(
                revoked(100),
                /^billingToken slot b: GET \/user\/tokens\/verify with the old token, after its delete failed: no clear answer: Cloudflare API GET \/user\/tokens\/verify failed: 500 \(10000 Internal error\)\. \([2-9]\d* tries within the check's limit of 100 ms\)\.$/,
            );
        });

        it("asks again while the old token still verifies active, and is done once it no longer does", async () => {
            server.script(VERIFY, ok({ status: "active" }), ok({ status: "active" }), refused(401, 1000, "Invalid API Token"));
            await revoked(2000);
            assert.equal(server.count(VERIFY), 3);
        });
    });

    describe("confirmAccessAdmits", () => {
        const STATUS = "/api/status";
        const admits = (url: string, deadlineMs = 100, timeoutMs = 2000) => confirmAccessAdmits(ctx(`GET ${url}/api/status through Access`, deadlineMs), url, ACCESS, timeoutMs);

        it("sends the service token's headers, without following a redirect, to the URL's /api/status, trailing slashes dropped", async () => {
            server.script(STATUS, { status: 200, body: JSON.stringify({ ok: true }) });
            await admits(`${server.url}//`);
            assert.equal(server.requests.length, 1);
            const [r] = server.requests;
            assert.deepEqual(
                { method: r.method, path: r.path, id: r.headers["cf-access-client-id"], secret: r.headers["cf-access-client-secret"] === ACCESS.clientSecret, agent: r.headers["user-agent"] },
                { method: "GET", path: "/api/status", id: ACCESS.clientId, secret: true, agent: "raxx-platform-verify" },
            );
        });

        for (const status of [300, 302, 403]) {
            it(`is not admitted by a ${status}: asks again, and names the answer at the deadline`, async () => {
                server.script(STATUS, { status, headers: status === 302 ? { Location: "https://raxx.cloudflareaccess.com/cdn-cgi/access/login" } : {} });
                await fails(admits(server.url), new RegExp(`^billingToken slot b: GET ${server.url}/api/status through Access failed: GET ${server.url}/api/status answered ${status} \\([2-9]\\d* tries within the check's limit of 100 ms\\)\\.$`));
            });
        }

        it("names a refused connection as a network error with its code", async () => {
            const closed = await scripted().start();
            await closed.stop();
            await fails(admits(closed.url), new RegExp(`^billingToken slot b: GET ${closed.url}/api/status through Access failed: GET ${closed.url}/api/status got no answer \\(network error ECONNREFUSED\\) \\(\\d+ tries? within the check's limit of 100 ms\\)\\.$`));
        });

        it("gives up on a try after its own timeout, and says so", async () => {
            server.script(STATUS, { status: 200, delayMs: 300 });
            await fails(admits(server.url, 50, 40), new RegExp(`^billingToken slot b: GET ${server.url}/api/status through Access failed: GET ${server.url}/api/status got no answer \\(timed out after 40 ms\\) \\(\\d+ tries? within the check's limit of 50 ms\\)\\.$`));
        });

        it("names the vault, not a URL, when the URL cannot be parsed", async () => {
            await fails(admits("not a url", 20), /^billingToken slot b: GET not a url\/api\/status through Access failed: GET the vault\/api\/status got no answer \(network error ERR_INVALID_URL\) \(\d+ tries? within the check's limit of 20 ms\)\.$/);
        });
    });
});
