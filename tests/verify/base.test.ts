// What both check providers share (providers/verify/base.ts, check.ts): the stack config they
// read in the provider host instead of the env, the GitHub knobs from GITHUB_HTTP_*, the
// switch and limit they accept, read, and the failure, retry and hash helpers.
import { strict as assert } from "node:assert";

import { ProviderHost, checkedCreate, freshCopy } from "../harness/serializedProvider";
import { CheckContext, checkFailed, isCheckFailed, retryUntil } from "../../providers/verify/check";
import { verifyWorkspaceUser } from "../../providers/verify/workspace";
import { resolveWorkspaceSettings } from "../../providers/google-workspace/client";
import type * as checkModule from "../../providers/verify/check";
import { CLOUDFLARE_TOKEN, CheckTexts, HEROKU_KEY, consumerInputs, IDENTITY, PROJECT, checkTexts, failsWith, host, rejection, useFakes } from "./helpers";

const VALUE = "written-value-1d7f-do-not-leak";
const ACCESS = { clientId: "stack-slot.access", clientSecret: "access-secret-3e5a-do-not-leak" };
const CF_NEW = "cf-new-token-7a9c-do-not-leak";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("what the check providers share (providers/verify/base.ts, check.ts)", () => {
    const f = useFakes();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });

    const consumer = (kind: string, where: Record<string, string>, over: Record<string, unknown> = {}) => consumerInputs(texts.consumer, VALUE, kind, where, over);

    describe("stack config in the provider host, with nothing in the env", () => {
        it("reads Heroku's key and URL from stack config", async () => {
            f.heroku.addApp("raxx-api-prod", { HEROKU_API_KEY: VALUE });
            const url = process.env.HEROKU_API_URL!;
            delete process.env.HEROKU_API_KEY;
            delete process.env.HEROKU_API_URL;
            const { outs } = await checkedCreate(new ProviderHost({ herokuApiKey: HEROKU_KEY, herokuApiUrl: url }), consumer("herokuConfigVars", { app: "raxx-api-prod", name: "HEROKU_API_KEY" }));
            assert.equal(outs.result, "passed: raxx-api-prod's HEROKU_API_KEY has the value written (SHA-256 equal)");
        });

        it("reads Cloudflare's token from stack config cloudflare:apiToken", async () => {
            const policies = [{ effect: "allow", permissionGroupIds: ["b111ee7ead0000000000000000000001"], resources: { "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9": "*" } }];
            f.cloudflare.add(CF_NEW, { id: "cf-token-id-b", status: "active", policies: [{ id: "p1", effect: "allow", resources: policies[0].resources, permission_groups: [{ id: policies[0].permissionGroupIds[0], name: "Billing Read" }] }] });
            delete process.env.CLOUDFLARE_API_TOKEN;
            const { outs } = await checkedCreate(new ProviderHost({ "cloudflare:apiToken": CLOUDFLARE_TOKEN }), {
                credential: "someCredential", slot: "b", kind: "cloudflareApiToken", enabled: true, timeoutSeconds: 1, value: { token: CF_NEW }, expect: { tokenId: "cf-token-id-b", policies }, __provider: texts.credential,
            });
            assert.equal(outs.result, "passed: GET /user/tokens/verify answered token cf-token-id-b active; its policies are the declared ones");
        });

        it("reads the vault's identity and URL from stack config", async () => {
            f.vault.admit(ACCESS.clientId, ACCESS.clientSecret);
            f.vault.putSecret(PROJECT, "prod", "/p", "K", VALUE);
            const url = process.env.INFISICAL_API_URL!;
            for (const k of ["INFISICAL_API_URL", "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET"]) delete process.env[k];
            const { outs } = await checkedCreate(
                new ProviderHost({ infisicalClientId: IDENTITY.id, infisicalClientSecret: IDENTITY.secret, infisicalUrl: url }),
                consumer("infisicalSecret", { projectId: PROJECT, environment: "prod", path: "/p", key: "K" }, { access: ACCESS }),
            );
            assert.equal(outs.result, "passed: /p/K has the value written (SHA-256 equal)");
        });

        it("tries GitHub as often as GITHUB_HTTP_MAX_ATTEMPTS says", async () => {
            f.github.write({ owner: "MooseQuest", repository: "raxx", name: "K" });
            await f.github.stop();
            await failsWith(
                checkedCreate(host(), consumer("githubSecret", { owner: "MooseQuest", repository: "raxx", name: "K" })),
                /^the place \(someCredential\): GET \/repos\/MooseQuest\/raxx\/actions\/secrets\/K failed: GitHub API GET \/repos\/MooseQuest\/raxx\/actions\/secrets\/K failed after 2 attempts: no response \(/,
                [VALUE],
            );
            await f.github.start();
        });
    });

    describe("the switch, the limit, and read", () => {
        const failures = async (over: Record<string, unknown>) => (await host().check({}, consumer("ssmParameter", { region: "us-east-1", name: "/x" }, over))).failures;
        const LIMIT = { property: "timeoutSeconds", reason: "timeoutSeconds must be a whole number from 1 to 600, e.g. 30" };

        it("accepts a switch and a limit not yet known in a preview, and the limits 1 and 600", async () => {
            assert.deepEqual(await failures({ enabled: UNKNOWN, timeoutSeconds: UNKNOWN }), []);
            assert.deepEqual(await failures({ timeoutSeconds: 1 }), []);
            assert.deepEqual(await failures({ timeoutSeconds: 600 }), []);
        });

        it("refuses a limit that is a string, a fraction, 0 or over 600", async () => {
            for (const timeoutSeconds of ["30", 1.5, 0, 601]) assert.deepEqual(await failures({ timeoutSeconds }), [LIMIT], String(timeoutSeconds));
        });

        it("reads back the state it is given, as is", async () => {
            const props = { ...consumer("ssmParameter", { region: "us-east-1", name: "/x" }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier", version: 3 };
            const got = await host().read("ssmParameter:us-east-1//x", props);
            assert.deepEqual(got, { id: "ssmParameter:us-east-1//x", props });
        });
    });

    describe("check.ts", () => {
        const ctx = (deadlineMs: number): CheckContext => ({ subject: "someCredential slot b", check: "a check", deadlineMs, secrets: [] });

        it("a check failure is named CredentialCheckFailed, and only it counts as one", () => {
            const fresh = freshCopy<typeof checkModule>("../../providers/verify/check");
            const err = fresh.checkFailed(ctx(1), "no");
            assert.equal(err.name, "CredentialCheckFailed");
            assert.equal(isCheckFailed(checkFailed(ctx(1), "no")), true);
            assert.equal(isCheckFailed({ name: "CredentialCheckFailed" }), true);
            for (const other of [new Error("CredentialCheckFailed"), null, undefined, "CredentialCheckFailed", { name: "Error" }, {}]) assert.equal(isCheckFailed(other), false, String(other));
        });

        it("a Workspace client's refusal is a check failure too, the subject in front", async () => {
            const saved = [process.env.GOOGLE_WORKSPACE_CREDENTIALS, process.env.GOOGLE_WORKSPACE_ADMIN_USER];
            delete process.env.GOOGLE_WORKSPACE_CREDENTIALS;
            delete process.env.GOOGLE_WORKSPACE_ADMIN_USER;
            try {
                const err = await rejection(verifyWorkspaceUser({ ...ctx(1), subject: "workspace user no-reply@raxx.app (workspaceNoReplyPassword)" }, resolveWorkspaceSettings({}, {}), "no-reply@raxx.app"));
                assert.equal(err.name, "CredentialCheckFailed");
                assert.equal(isCheckFailed(err), true);
                assert.match(err.message, /^workspace user no-reply@raxx\.app \(workspaceNoReplyPassword\): Directory API GET users\/no-reply@raxx\.app failed: no response \(not sent: neither stack config workspaceCredentials nor GOOGLE_WORKSPACE_CREDENTIALS is set;/);
            } finally {
                if (saved[0] !== undefined) process.env.GOOGLE_WORKSPACE_CREDENTIALS = saved[0];
                if (saved[1] !== undefined) process.env.GOOGLE_WORKSPACE_ADMIN_USER = saved[1];
            }
        });

        it("ends the answer with exactly one full stop, whatever dots and spaces it ended with", () => {
            assert.equal(checkFailed(ctx(1), "it answered 403. .\n ", "Do this.").message, "someCredential slot b: a check failed: it answered 403. Do this.");
        });

        it("reads VERIFY_BACKOFF_MS for the first wait", () => {
            process.env.VERIFY_BACKOFF_MS = "7";
            assert.equal(freshCopy<typeof checkModule>("../../providers/verify/check").backoffMs(), 7);
        });

        it("doubles the wait between tries, so a 100 ms limit with a 20 ms first wait takes a handful of tries", async () => {
            process.env.VERIFY_BACKOFF_MS = "20";
            let tries = 0;
            await assert.rejects(
                retryUntil(ctx(100), async () => {
                    tries++;
                    return { retry: "not yet" };
                }),
                /^CredentialCheckFailed: someCredential slot b: a check failed: not yet \(\d tries within the check's limit of 100 ms\)\.$/,
            );
            assert.ok(tries >= 2 && tries <= 5, `${tries} tries`);
        });
    });
});
