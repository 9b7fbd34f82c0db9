// The consumer check as the engine runs it: each place a credential is written, its pass
// and each failure, through the serialized provider. No value is ever shown.
import { strict as assert } from "node:assert";

import { SKIPPED } from "../../providers/verify/consumerCheck";
import { checkedCreate } from "../harness/serializedProvider";
import { CheckTexts, PROJECT, assertClean, checkTexts, consumerInputs, host, failsWith, useFakes } from "./helpers";

const VALUE = "written-value-5a1c-do-not-leak";
const OTHER = "other-value-8d3e-do-not-leak";
const ACCESS = { clientId: "stack-slot.access", clientSecret: "access-secret-0c4b-do-not-leak" };
const SECRETS = [VALUE, OTHER, ACCESS.clientSecret];

describe("ConsumerCheck, serialized (providers/verify/consumerCheck.ts)", () => {
    const f = useFakes();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });

    const inputs = (kind: string, where: Record<string, string>, over: Record<string, unknown> = {}) => consumerInputs(texts.consumer, VALUE, kind, where, over);
    /** The state of an earlier check of the same place. */
    const earlier = (props: Record<string, unknown>, over: Record<string, unknown>) => ({ ...props, value: OTHER, checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier", ...over });

    const fails = (p: Promise<unknown>, message: string | RegExp) => failsWith(p, message, SECRETS);

    it("holds no credential of the machine that serialized it", () => {
        assertClean(texts.consumer);
    });

    describe("herokuConfigVars", () => {
        const where = { app: "raxx-api-prod", name: "HEROKU_API_KEY" };
        it("passes when the app's var holds the value written", async () => {
            f.heroku.addApp("raxx-api-prod", { HEROKU_API_KEY: VALUE });
            const { outs } = await checkedCreate(host(), inputs("herokuConfigVars", where));
            assert.equal(outs.result, "passed: raxx-api-prod's HEROKU_API_KEY has the value written (SHA-256 equal)");
            assertClean(JSON.stringify(outs.result), SECRETS);
        });

        it("fails, naming the app and var but neither value, when the var holds something else", async () => {
            f.heroku.addApp("raxx-api-prod", { HEROKU_API_KEY: OTHER });
            await fails(
                checkedCreate(host(), inputs("herokuConfigVars", where)),
                "the place (someCredential): GET /apps/raxx-api-prod/config-vars failed: app raxx-api-prod's HEROKU_API_KEY is not the value just written (their SHA-256 hashes differ). " +
                    "Something else writes this var (a deploy, a person, another stack): find it, then run `pulumi up` again.",
            );
        });

        it("fails when the var is gone", async () => {
            f.heroku.addApp("raxx-api-prod", {});
            await fails(
                checkedCreate(host(), inputs("herokuConfigVars", where)),
                "the place (someCredential): GET /apps/raxx-api-prod/config-vars failed: app raxx-api-prod has no config var HEROKU_API_KEY. Something removed it after the write: run `pulumi up` again.",
            );
        });
    });

    describe("ssmParameter", () => {
        const where = { region: "us-east-1", name: "/raxx/billing-readonly/heroku_billing_api_key" };
        it("passes when the parameter holds the value written, and records its version", async () => {
            f.aws.putParameter(where.name, VALUE);
            const { outs } = await checkedCreate(host(), inputs("ssmParameter", where));
            assert.equal(outs.result, `passed: ${where.name} version 1 has the value written (SHA-256 equal)`);
            assert.equal(outs.version, 1);
        });

        it("fails when it holds something else", async () => {
            f.aws.putParameter(where.name, OTHER);
            await fails(
                checkedCreate(host(), inputs("ssmParameter", where)),
                `the place (someCredential): SSM GetParameter ${where.name} failed: ${where.name} (version 1) does not hold the value written (their SHA-256 hashes differ). Something else writes this parameter: find it, then run \`pulumi up\` again.`,
            );
        });

        it("after a new value, passes only when the version advanced", async () => {
            f.aws.putParameter(where.name, VALUE);
            const news = inputs("ssmParameter", where);
            await fails(
                host().update("id", earlier(news, { version: 1 }), news),
                `the place (someCredential): SSM GetParameter ${where.name} failed: ${where.name} is still at version 1, the version of the last check; a new value makes a new version. Run \`pulumi refresh\`, then \`pulumi up\`.`,
            );
            f.aws.putParameter(where.name, VALUE);
            assert.equal((await host().update("id", earlier(news, { version: 1 }), news)).outs.version, 2);
        });
    });

    describe("githubSecret", () => {
        const where = { owner: "MooseQuest", repository: "raxx", name: "HEROKU_API_KEY" };
        it("on its first check, passes when the secret exists, and says the value is not compared", async () => {
            f.github.write(where, new Date("2026-05-06T12:00:00Z"));
            const { outs } = await checkedCreate(host(), inputs("githubSecret", where));
            assert.equal(outs.result, "passed: HEROKU_API_KEY exists, last written at 2026-05-06T12:00:00Z; GitHub never returns a value, so the value itself is not compared");
            assert.equal(outs.updatedAt, "2026-05-06T12:00:00Z");
        });

        it("reads an environment's secret from the environment's path", async () => {
            const env = { ...where, environment: "production", name: "CONSOLE_AUDIT_INGEST_TOKEN" };
            f.github.write(env, new Date("2026-05-06T12:00:00Z"));
            await checkedCreate(host(), inputs("githubSecret", env));
            assert.deepEqual(f.github.requests.map((r) => r.path), ["/repos/MooseQuest/raxx/environments/production/secrets/CONSOLE_AUDIT_INGEST_TOKEN"]);
        });

        it("after a new value, passes only when GitHub shows a write after the last check", async () => {
            f.github.write(where, new Date("2026-11-29T10:00:00Z"));
            const news = inputs("githubSecret", where);
            const stale = earlier(news, { updatedAt: "2026-11-29T10:00:00Z" });
            await fails(
                host().update("id", stale, news),
                "the place (someCredential): GET /repos/MooseQuest/raxx/actions/secrets/HEROKU_API_KEY failed: HEROKU_API_KEY was last written at 2026-11-29T10:00:00Z, not after the last check (2026-11-29T10:00:00Z), so the new value did not reach it. Run `pulumi refresh`, then `pulumi up`.",
            );
            f.github.write(where, new Date("2026-11-29T10:00:05Z"));
            const { outs } = await host().update("id", stale, news);
            assert.equal(outs.result, "passed: HEROKU_API_KEY written at 2026-11-29T10:00:05Z, after the last check; GitHub never returns a value, so the value itself is not compared");
        });

        it("fails naming GitHub's answer when the secret is missing, and the token is never shown", async () => {
            await fails(
                checkedCreate(host(), inputs("githubSecret", where)),
                "the place (someCredential): GET /repos/MooseQuest/raxx/actions/secrets/HEROKU_API_KEY failed: GitHub answered 404: Not Found. The secret is missing, or the token cannot see it: check the token's repository access.",
            );
        });

        it("fails, naming where a token goes, when there is none", async () => {
            delete process.env.GITHUB_TOKEN;
            await fails(
                checkedCreate(host(), inputs("githubSecret", where)),
                "the place (someCredential): GET /repos/MooseQuest/raxx/actions/secrets/HEROKU_API_KEY failed: no GitHub token to read it with (GITHUB_TOKEN is not set, nor the secret stack config github:token). " +
                    "Set GITHUB_TOKEN to a token that can read the repository's Actions secrets, as the apply workflow does.",
            );
            assert.equal(f.github.requests.length, 0);
        });
    });

    describe("infisicalSecret", () => {
        const where = { projectId: PROJECT, environment: "prod", path: "/MooseQuest/heroku", key: "HEROKU_PLATFORM_API_TOKEN" };
        it("passes when the vault holds the value written, reached through Access", async () => {
            f.vault.admit(ACCESS.clientId, ACCESS.clientSecret);
            f.vault.putSecret(PROJECT, "prod", where.path, where.key, VALUE);
            const { outs } = await checkedCreate(host(), inputs("infisicalSecret", where, { access: ACCESS }));
            assert.equal(outs.result, "passed: /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN has the value written (SHA-256 equal)");
        });

        it("fails when the vault holds something else", async () => {
            f.vault.admit(ACCESS.clientId, ACCESS.clientSecret);
            f.vault.putSecret(PROJECT, "prod", where.path, where.key, OTHER);
            await fails(
                checkedCreate(host(), inputs("infisicalSecret", where, { access: ACCESS })),
                "the place (someCredential): GET /api/v4/secrets/HEROKU_PLATFORM_API_TOKEN in /MooseQuest/heroku failed: /MooseQuest/heroku/HEROKU_PLATFORM_API_TOKEN does not hold the value written (their SHA-256 hashes differ). Something else writes this secret: find it, then run `pulumi up` again.",
            );
        });

        it("without an Access token, sends nothing and says what to pass", async () => {
            f.vault.admit(ACCESS.clientId, ACCESS.clientSecret);
            f.vault.putSecret(PROJECT, "prod", where.path, where.key, VALUE);
            await fails(
                checkedCreate(host(), inputs("infisicalSecret", where)),
                "the place (someCredential): GET /api/v4/secrets/HEROKU_PLATFORM_API_TOKEN in /MooseQuest/heroku failed: the vault answered Infisical API POST /api/v1/auth/universal-auth/login failed: no response " +
                    "(not sent: the resource's access input has no Cloudflare Access service token). Pass the stack's active Access slot's clientId and clientSecret as access, then run Pulumi again.",
            );
            assert.equal(f.vault.requests.length, 0);
        });

        it("masks only strings: an Access token whose id is a number is refused unsent, and the number is no secret", async () => {
            await fails(
                checkedCreate(host(), inputs("infisicalSecret", where, { access: { clientId: 1, clientSecret: ACCESS.clientSecret } })),
                "the place (someCredential): GET /api/v4/secrets/HEROKU_PLATFORM_API_TOKEN in /MooseQuest/heroku failed: the vault answered Infisical API POST /api/v1/auth/universal-auth/login failed: no response " +
                    "(not sent: the resource's access input has no Cloudflare Access service token). Pass the stack's active Access slot's clientId and clientSecret as access, then run Pulumi again.",
            );
        });

        it("fails, naming Access, when Access refuses the stack's token", async () => {
            f.vault.putSecret(PROJECT, "prod", where.path, where.key, VALUE);
            await fails(
                checkedCreate(host(), inputs("infisicalSecret", where, { access: ACCESS })),
                `the place (someCredential): GET /api/v4/secrets/HEROKU_PLATFORM_API_TOKEN in /MooseQuest/heroku failed: the vault answered Cloudflare Access refused POST /api/v1/auth/universal-auth/login at ${f.vault.url}: 403, not an answer from Infisical.`,
            );
        });
    });

    describe("what check refuses and accepts, and the id", () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const failuresOf = async (props: Record<string, unknown>) => (await host().check({}, props)).failures;

        it("names every field of where each kind needs, when where is empty", async () => {
            const got: Record<string, unknown> = {};
            for (const kind of ["herokuConfigVars", "ssmParameter", "githubSecret", "infisicalSecret", "workspaceUser"]) got[kind] = await failuresOf(inputs(kind, {}));
            const where = (...fields: string[]) => fields.map((f) => ({ property: "where", reason: `where.${f} must be a non-empty string` }));
            assert.deepEqual(got, {
                herokuConfigVars: where("app", "name"),
                ssmParameter: where("region", "name"),
                githubSecret: where("owner", "repository", "name"),
                infisicalSecret: where("projectId", "environment", "path", "key"),
                workspaceUser: where("primaryEmail"),
            });
        });

        it("refuses a field of where that is empty or not a string", async () => {
            assert.deepEqual(await failuresOf(inputs("herokuConfigVars", { app: "", name: 5 as unknown as string })), [
                { property: "where", reason: "where.app must be a non-empty string" },
                { property: "where", reason: "where.name must be a non-empty string" },
            ]);
        });

        it("accepts a where, or a field of it, not yet known in a preview", async () => {
            assert.deepEqual(await failuresOf(inputs("herokuConfigVars", UNKNOWN as unknown as Record<string, string>)), []);
            assert.deepEqual(await failuresOf(inputs("herokuConfigVars", { app: UNKNOWN, name: "B" })), []);
        });

        it("refuses a kind it cannot check, naming the kinds it can, and then asks nothing of where", async () => {
            assert.deepEqual(await failuresOf(inputs("s3Object", {})), [
                { property: "kind", reason: 'kind must be one of herokuConfigVars, ssmParameter, githubSecret, infisicalSecret, workspaceUser, e.g. "ssmParameter"' },
            ]);
        });

        it("refuses a credential that is not a string, a switch that is not a boolean and a limit out of range", async () => {
            assert.deepEqual(await failuresOf(inputs("herokuConfigVars", { app: "a", name: "B" }, { credential: 5, enabled: "yes", timeoutSeconds: 601 })), [
                { property: "credential", reason: 'credential must be a non-empty string, e.g. "herokuPlatformToken"' },
                { property: "enabled", reason: "enabled must be true or false" },
                { property: "timeoutSeconds", reason: "timeoutSeconds must be a whole number from 1 to 600, e.g. 30" },
            ]);
        });

        it("answers the place's id, kind:where's values", async () => {
            f.heroku.addApp("raxx-api-prod", { HEROKU_API_KEY: VALUE });
            const { id } = await checkedCreate(host(), inputs("herokuConfigVars", { app: "raxx-api-prod", name: "HEROKU_API_KEY" }));
            assert.equal(id, "herokuConfigVars:raxx-api-prod/HEROKU_API_KEY");
        });
    });

    describe("after a new value, what counts as proof of the write", () => {
        const ssm = { region: "us-east-1", name: "/raxx/billing-readonly/heroku_billing_api_key" };
        const gh = { owner: "MooseQuest", repository: "raxx", name: "HEROKU_API_KEY" };

        it("SSM: a last check that was skipped (break-glass) asks for no newer version", async () => {
            f.aws.putParameter(ssm.name, VALUE);
            const news = inputs("ssmParameter", ssm);
            const { outs } = await host().update("id", earlier(news, { version: 1, enabled: false }), news);
            assert.equal(outs.result, `passed: ${ssm.name} version 1 has the value written (SHA-256 equal)`);
        });

        it("SSM: a last check that recorded no version asks for no newer one", async () => {
            f.aws.putParameter(ssm.name, VALUE);
            const news = inputs("ssmParameter", ssm);
            const { outs } = await host().update("id", earlier(news, {}), news);
            assert.equal(outs.version, 1);
        });

        it("GitHub: a last check that was skipped, or recorded no time, asks for no later write, and says the secret exists", async () => {
            f.github.write(gh, new Date("2026-11-29T10:00:00Z"));
            const news = inputs("githubSecret", gh);
            const skipped = await host().update("id", earlier(news, { updatedAt: "2026-11-29T10:00:00Z", enabled: false }), news);
            assert.equal(skipped.outs.result, "passed: HEROKU_API_KEY exists, last written at 2026-11-29T10:00:00Z; GitHub never returns a value, so the value itself is not compared");
            const noTime = await host().update("id", earlier(news, {}), news);
            assert.equal(noTime.outs.result, "passed: HEROKU_API_KEY written at 2026-11-29T10:00:00Z, after the last check; GitHub never returns a value, so the value itself is not compared");
        });

        it("SSM: asks again while AWS is failing, and names the limit in seconds at the deadline", async () => {
            f.aws.putParameter(ssm.name, VALUE);
            f.aws.fail("GetParameter", "server-error", 1000);
            await fails(
                checkedCreate(host(), inputs("ssmParameter", ssm)),
                new RegExp(`^the place \\(someCredential\\): SSM GetParameter ${ssm.name} failed: SSM answered InternalServerError: We encountered an internal error\\. Please try again \\(\\d+ tries within the check's limit of 1 s\\)\\.$`),
            );
            assert.ok(f.aws.calls("GetParameter") > 1, "asked more than once");
        });
    });

    describe("every kind", () => {
        it("with enabled false (break-glass) records that it did not run, and asks nothing", async () => {
            const { outs } = await checkedCreate(host(), inputs("ssmParameter", { region: "us-east-1", name: "/x" }, { enabled: false }));
            assert.equal(outs.result, SKIPPED);
            assert.equal(f.requests(), 0);
        });

        it("refuses a place it cannot check, naming the property", async () => {
            const { failures } = await host().check({}, inputs("ssmParameter", { region: "us-east-1" }, { consumer: "" }));
            assert.deepEqual(failures, [
                { property: "consumer", reason: 'consumer must be a non-empty string, e.g. "herokuPlatformToken"' },
                { property: "where", reason: "where.name must be a non-empty string" },
            ]);
        });

        it("ignores a new Access token alone: it is how the check reaches the vault, not what it checks", async () => {
            const news = inputs("infisicalSecret", { projectId: PROJECT, environment: "prod", path: "/p", key: "K" }, { access: ACCESS });
            const olds = { ...news, access: { clientId: "old", clientSecret: "old-secret" }, checkedAt: "t", result: "passed: x" };
            assert.deepEqual(await host().diff("id", olds, news), { changes: false, replaces: [], deleteBeforeReplace: false });
        });
    });
});
