// The Heroku checks called directly (providers/verify/heroku.ts), against a server on
// 127.0.0.1 that answers what each test scripts: what the check reads from answers the fake
// Heroku never gives (no id or email, no scope, no body), and the exact words of each failure.
import { strict as assert } from "node:assert";
import * as http from "node:http";

import { CHECK_FAILED, CheckContext } from "../../providers/verify/check";
import { settingsWithToken, verifyConfigVar, verifyHerokuToken } from "../../providers/verify/heroku";
import { assertNoSecrets, rejection } from "../harness/assertions";
import { LocalServer } from "../harness/localServer";

const TOKEN = "heroku-scripted-token-5d3a-do-not-leak";
const VALUE = "config-value-9c4e-do-not-leak";
const AUTH_ID = "01234567-89ab-4cde-8f01-23456789abcd";
const SUBJECT = "herokuPlatformToken slot b";
const REVOKE = "Revoke it (`heroku authorizations:revoke <id>`) and run `pulumi up` with the API key of the account that should own it.";
const NEW_DATE = "Heroku cannot change a scope: give the slot a new date so that a new authorization is made.";

/** Answers each path with its scripted status and body text. */
class ScriptedHeroku extends LocalServer {
    readonly replies = new Map<string, { status: number; body: string }>();
    readonly requests: string[] = [];

    script(path: string, status: number, body: unknown): this {
        this.replies.set(path, { status, body: typeof body === "string" ? body : JSON.stringify(body) });
        return this;
    }

    protected internalErrorBody(e: unknown): unknown {
        return { id: "internal", message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const path = (req.url ?? "").split("?")[0];
        this.requests.push(`${req.method} ${path}`);
        const reply = this.replies.get(path) ?? { status: 404, body: JSON.stringify({ id: "not_found", message: "Couldn't find that." }) };
        res.writeHead(reply.status, { "Content-Type": "application/json" });
        res.end(reply.body);
    }
}

const ctx = (check: string, secrets: string[] = [TOKEN]): CheckContext => ({ subject: SUBJECT, check, deadlineMs: 1000, secrets });

async function fails(p: Promise<unknown>, expected: string): Promise<void> {
    const err = await rejection(p);
    assert.equal(err.message, expected);
    assert.equal(err.name, CHECK_FAILED);
    assertNoSecrets(`${err.message}\n${err.stack ?? ""}`, [TOKEN, VALUE]);
}

describe("Heroku checks against scripted answers (providers/verify/heroku.ts)", () => {
    let heroku: ScriptedHeroku;
    beforeEach(async () => {
        heroku = await new ScriptedHeroku().start();
    });
    afterEach(async () => {
        await heroku.stop();
    });

    const settings = () => settingsWithToken(TOKEN, heroku.url, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2000 }, "the new token");
    const ACCOUNT_CHECK = "GET /account with the new token";
    const AUTH_CHECK = `GET /oauth/authorizations/${AUTH_ID} with the new token`;

    describe("verifyHerokuToken", () => {
        it("names an account without id or email as an unnamed account with id none", async () => {
            heroku.script("/account", 200, {});
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${ACCOUNT_CHECK} failed: the token belongs to an unnamed account (id none), not to the account that created the authorization (id acc-1). ${REVOKE}`,
            );
            assert.deepEqual(heroku.requests, ["GET /account"]);
        });

        it("reads an account answered as null, and an authorization without a scope, as none: its scope is empty", async () => {
            heroku.script("/account", 200, "null").script(`/oauth/authorizations/${AUTH_ID}`, 200, "null");
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: undefined, authorizationId: AUTH_ID, scope: ["global", "identity"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is empty, not the declared global identity. ${NEW_DATE}`,
            );
            heroku.script("/account", 200, { id: "acc-1", email: "ops@raxx.app" }).script(`/oauth/authorizations/${AUTH_ID}`, 200, { id: AUTH_ID });
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is empty, not the declared global. ${NEW_DATE}`,
            );
        });

        it("lists a scope of several, each named once", async () => {
            heroku.script("/account", 200, { id: "acc-1", email: "ops@raxx.app" }).script(`/oauth/authorizations/${AUTH_ID}`, 200, { scope: ["read", "write"] });
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global", "identity"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is read write, not the declared global identity. ${NEW_DATE}`,
            );
        });

        it("passes, naming the owner, when both answers are the declared ones", async () => {
            heroku.script("/account", 200, { id: "acc-1", email: "ops@raxx.app" }).script(`/oauth/authorizations/${AUTH_ID}`, 200, { scope: ["identity", "global"] });
            assert.deepEqual(await verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global", "identity"] }), {
                account: "ops@raxx.app, the authorization's owner",
            });
            assert.deepEqual(heroku.requests, ["GET /account", `GET /oauth/authorizations/${AUTH_ID}`]);
        });

        it("fails with Heroku's answer, naming the authorization's request, when that request is refused", async () => {
            heroku.script("/account", 200, { id: "acc-1", email: "ops@raxx.app" }).script(`/oauth/authorizations/${AUTH_ID}`, 403, { id: "forbidden", message: "You do not have access to this authorization." });
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: Heroku answered Heroku API GET /oauth/authorizations/${AUTH_ID} failed: 403 forbidden: You do not have access to this authorization.`,
            );
        });
    });

    describe("verifyConfigVar", () => {
        const CHECK = "GET /apps/raxx-api-prod/config-vars";

        it("reads config vars answered as null as no var", async () => {
            heroku.script("/apps/raxx-api-prod/config-vars", 200, "null");
            await fails(
                verifyConfigVar(ctx(CHECK), settings(), { app: "raxx-api-prod", name: "HEROKU_API_KEY", value: VALUE }),
                `${SUBJECT}: ${CHECK} failed: app raxx-api-prod has no config var HEROKU_API_KEY. Something removed it after the write: run \`pulumi up\` again.`,
            );
        });

        it("masks the value written where Heroku's refusal echoes it, even when the caller names no secret", async () => {
            heroku.script("/apps/raxx-api-prod/config-vars", 422, { id: "invalid_params", message: `HEROKU_API_KEY is ${VALUE}` });
            const err = await rejection(verifyConfigVar(ctx(CHECK, []), settings(), { app: "raxx-api-prod", name: "HEROKU_API_KEY", value: VALUE }));
            assert.equal(err.message, `${SUBJECT}: ${CHECK} failed: Heroku answered Heroku API GET /apps/raxx-api-prod/config-vars failed: 422 invalid_params: HEROKU_API_KEY is [redacted].`);
            assertNoSecrets(err.message, [VALUE]);
        });
    });
});
