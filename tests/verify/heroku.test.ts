// The Heroku checks called directly (providers/verify/heroku.ts), against a server on
// 127.0.0.1 that answers what each test scripts: what the check reads from answers the fake
// Heroku never gives (no id or email, no scope, no body), and the exact words of each failure.
import { strict as assert } from "node:assert";

import { CheckContext } from "../../providers/verify/check";
import { settingsWithToken, verifyConfigVar, verifyHerokuToken } from "../../providers/verify/heroku";
import { ScriptedReply, ScriptedServer } from "../harness/scriptedServer";
import { assertNoSecrets, rejection } from "../harness/assertions";
import { failsAsCheck } from "./helpers";

const TOKEN = "heroku-scripted-token-5d3a-do-not-leak";
const VALUE = "config-value-9c4e-do-not-leak";
const AUTH_ID = "01234567-89ab-4cde-8f01-23456789abcd";
const SUBJECT = "herokuPlatformToken slot b";
const REVOKE = "Revoke it (`heroku authorizations:revoke <id>`) and run `pulumi up` with the API key of the account that should own it.";
const NEW_DATE = "Heroku cannot change a scope: give the slot a new date so that a new authorization is made.";

/** Heroku's answer: a body given as text is sent as it is, anything else as JSON. */
const reply = (status: number, body: unknown): ScriptedReply => ({ status, body: typeof body === "string" ? body : JSON.stringify(body) });

/** Answers each path with its scripted reply; a path with none, as Heroku answers an unknown one. */
const scriptedHeroku = () =>
    new ScriptedServer({ unscripted: reply(404, { id: "not_found", message: "Couldn't find that." }), internalErrorBody: (e) => ({ id: "internal", message: String(e) }) });

const ctx = (check: string, secrets: string[] = [TOKEN]): CheckContext => ({ subject: SUBJECT, check, deadlineMs: 1000, secrets });

const fails = (p: Promise<unknown>, expected: string) => failsAsCheck(p, expected, [TOKEN, VALUE]);

describe("Heroku checks against scripted answers (providers/verify/heroku.ts)", () => {
    let heroku: ScriptedServer;
    beforeEach(async () => {
        heroku = await scriptedHeroku().start();
    });
    afterEach(async () => {
        await heroku.stop();
    });

    const settings = () => settingsWithToken(TOKEN, heroku.url, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2000 }, "the new token");
    const ACCOUNT_CHECK = "GET /account with the new token";
    const AUTH_CHECK = `GET /oauth/authorizations/${AUTH_ID} with the new token`;

    describe("verifyHerokuToken", () => {
        it("names an account without id or email as an unnamed account with id none", async () => {
            heroku.script("/account", reply(200, {}));
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${ACCOUNT_CHECK} failed: the token belongs to an unnamed account (id none), not to the account that created the authorization (id acc-1). ${REVOKE}`,
            );
            assert.deepEqual(heroku.calls(), ["GET /account"]);
        });

        it("reads an account answered as null, and an authorization without a scope, as none: its scope is empty", async () => {
            heroku.script("/account", reply(200, "null")).script(`/oauth/authorizations/${AUTH_ID}`, reply(200, "null"));
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: undefined, authorizationId: AUTH_ID, scope: ["global", "identity"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is empty, not the declared global identity. ${NEW_DATE}`,
            );
            heroku.script("/account", reply(200, { id: "acc-1", email: "ops@raxx.app" })).script(`/oauth/authorizations/${AUTH_ID}`, reply(200, { id: AUTH_ID }));
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is empty, not the declared global. ${NEW_DATE}`,
            );
        });

        it("lists a scope of several, each named once", async () => {
            heroku.script("/account", reply(200, { id: "acc-1", email: "ops@raxx.app" })).script(`/oauth/authorizations/${AUTH_ID}`, reply(200, { scope: ["read", "write"] }));
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global", "identity"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: its scope is read write, not the declared global identity. ${NEW_DATE}`,
            );
        });

        it("passes, naming the owner, when both answers are the declared ones", async () => {
            heroku.script("/account", reply(200, { id: "acc-1", email: "ops@raxx.app" })).script(`/oauth/authorizations/${AUTH_ID}`, reply(200, { scope: ["identity", "global"] }));
            assert.deepEqual(await verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global", "identity"] }), {
                account: "ops@raxx.app, the authorization's owner",
            });
            assert.deepEqual(heroku.calls(), ["GET /account", `GET /oauth/authorizations/${AUTH_ID}`]);
        });

        it("fails with Heroku's answer, naming the authorization's request, when that request is refused", async () => {
            heroku.script("/account", reply(200, { id: "acc-1", email: "ops@raxx.app" })).script(`/oauth/authorizations/${AUTH_ID}`, reply(403, { id: "forbidden", message: "You do not have access to this authorization." }));
            await fails(
                verifyHerokuToken(ctx(ACCOUNT_CHECK), settings(), { accountId: "acc-1", authorizationId: AUTH_ID, scope: ["global"] }),
                `${SUBJECT}: ${AUTH_CHECK} failed: Heroku answered Heroku API GET /oauth/authorizations/${AUTH_ID} failed: 403 forbidden: You do not have access to this authorization.`,
            );
        });
    });

    describe("verifyConfigVar", () => {
        const CHECK = "GET /apps/raxx-api-prod/config-vars";

        it("reads config vars answered as null as no var", async () => {
            heroku.script("/apps/raxx-api-prod/config-vars", reply(200, "null"));
            await fails(
                verifyConfigVar(ctx(CHECK), settings(), { app: "raxx-api-prod", name: "HEROKU_API_KEY", value: VALUE }),
                `${SUBJECT}: ${CHECK} failed: app raxx-api-prod has no config var HEROKU_API_KEY. Something removed it after the write: run \`pulumi up\` again.`,
            );
        });

        it("masks the value written where Heroku's refusal echoes it, even when the caller names no secret", async () => {
            heroku.script("/apps/raxx-api-prod/config-vars", reply(422, { id: "invalid_params", message: `HEROKU_API_KEY is ${VALUE}` }));
            const err = await rejection(verifyConfigVar(ctx(CHECK, []), settings(), { app: "raxx-api-prod", name: "HEROKU_API_KEY", value: VALUE }));
            assert.equal(err.message, `${SUBJECT}: ${CHECK} failed: Heroku answered Heroku API GET /apps/raxx-api-prod/config-vars failed: 422 invalid_params: HEROKU_API_KEY is [redacted].`);
            assertNoSecrets(err.message, [VALUE]);
        });
    });
});
