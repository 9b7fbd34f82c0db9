// The credential check as the engine runs it: every kind, its pass and each failure, and
// the revocation of the slot's previous credential, through the serialized provider.
import { strict as assert } from "node:assert";

import { SKIPPED } from "../../providers/verify/credentialCheck";
import { checkedCreate } from "../harness/serializedProvider";
import { BILLING, CheckTexts, DEPLOYER, assertClean, checkTexts, host, failsWith, useFakes } from "./helpers";

const POLICIES = [{ effect: "allow", permissionGroupIds: ["b111ee7ead0000000000000000000001"], resources: { "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9": "*" } }];
const NEW_KEY = { id: "AKIA-FAKE-NEW-KEY-B", secret: "new-key-secret-7c1d-do-not-leak" };
const OLD_KEY = { id: "AKIA-FAKE-OLD-KEY-B", secret: "old-key-secret-9e3f-do-not-leak" };
const CF_NEW = "cf-new-billing-token-6d2a-do-not-leak";
const CF_OLD = "cf-old-billing-token-1b8c-do-not-leak";
const ACCESS_NEW = { clientId: "new-slot.access", clientSecret: "access-new-secret-4e7a-do-not-leak" };
const ACCESS_OLD = { clientId: "old-slot.access", clientSecret: "access-old-secret-2f9b-do-not-leak" };
const SECRETS = [NEW_KEY.secret, OLD_KEY.secret, CF_NEW, CF_OLD, ACCESS_NEW.clientSecret, ACCESS_OLD.clientSecret];

describe("CredentialCheck, serialized (providers/verify/credentialCheck.ts)", () => {
    const f = useFakes();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });

    /** The inputs of one slot's check, as the program sends them. */
    const inputs = (kind: string, value: Record<string, string>, expect: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
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

    /** Creates through the host; answers the outputs but `__provider`. */
    async function passes(props: Record<string, unknown>): Promise<Record<string, unknown>> {
        const { outs } = await checkedCreate(host(), props);
        const { __provider: _, checkedAt, ...rest } = outs;
        assert.match(String(checkedAt), /^\d{4}-\d{2}-\d{2}T/);
        assertClean(JSON.stringify(rest.result), SECRETS);
        return rest;
    }

    const fails = (p: Promise<unknown>, message: string | RegExp) => failsWith(p, message, SECRETS);

    it("holds no credential of the machine that serialized it", () => {
        assertClean(texts.credential);
    });

    describe("herokuAuthorization", () => {
        const heroku = (token: string, over: Record<string, unknown> = {}) => ({ token, ...over });
        it("passes when GET /account with the new token answers the authorization's owner and the scope is the declared one", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29" });
            const outs = await passes(inputs("herokuAuthorization", heroku(a.token), { accountId: f.heroku.user.id, authorizationId: a.id, scope: ["global"] }));
            assert.equal(outs.result, "passed: GET /account with the new token answered ops@raxx.app, the authorization's owner; its scope is global");
            assert.deepEqual(
                f.heroku.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization === `Bearer ${a.token}` ? "with the new token" : "with another"}`),
                ["GET /account with the new token", `GET /oauth/authorizations/${a.id} with the new token`],
            );
        });

        it("fails at once, naming the credential and Heroku's answer, when the new token does not work", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29" });
            f.heroku.deadTokenDescriptions.add(a.description);
            await fails(
                checkedCreate(host(), inputs("herokuAuthorization", heroku(a.token), { accountId: f.heroku.user.id, authorizationId: a.id, scope: ["global"] })),
                "someCredential slot b: GET /account with the new token failed: Heroku answered Heroku API GET /account failed: 401 unauthorized: Invalid credentials provided.",
            );
            assert.equal(f.heroku.requests.length, 1);
        });

        it("fails when the token belongs to another account than the authorization's", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29" });
            await fails(
                checkedCreate(host(), inputs("herokuAuthorization", heroku(a.token), { accountId: "another-account-id", authorizationId: a.id, scope: ["global"] })),
                `someCredential slot b: GET /account with the new token failed: the token belongs to ops@raxx.app (id ${f.heroku.user.id}), not to the account that created the authorization (id another-account-id). ` +
                    "Revoke it (`heroku authorizations:revoke <id>`) and run `pulumi up` with the API key of the account that should own it.",
            );
        });

        it("fails when the authorization's scope is not the declared one", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29", scope: ["read"] });
            await fails(
                checkedCreate(host(), inputs("herokuAuthorization", heroku(a.token), { accountId: f.heroku.user.id, authorizationId: a.id, scope: ["global"] })),
                `someCredential slot b: GET /oauth/authorizations/${a.id} with the new token failed: its scope is read, not the declared global. Heroku cannot change a scope: give the slot a new date so that a new authorization is made.`,
            );
        });

        it("with an authorization that records no owner, checks the token works and says there was no owner to compare with", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29" });
            const outs = await passes(inputs("herokuAuthorization", { token: a.token }, { authorizationId: a.id, scope: ["global"] }));
            assert.equal(outs.result, "passed: GET /account with the new token answered ops@raxx.app (the authorization records no owner to compare with); its scope is global");
        });
    });

    describe("awsAccessKey", () => {
        const key = (k: { id: string; secret: string }) => ({ accessKeyId: k.id, secretAccessKey: k.secret });
        const expect = { arn: BILLING.arn, userName: BILLING.user, region: "us-east-1" };

        it("passes when STS GetCallerIdentity with the new key answers the user's ARN", async () => {
            f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
            const outs = await passes(inputs("awsAccessKey", key(NEW_KEY), expect));
            assert.equal(outs.result, `passed: STS GetCallerIdentity with the new key answered ${BILLING.arn}`);
            assert.equal(outs.revocation, undefined);
        });

        it("fails, naming the ARN it got, when the key is another user's", async () => {
            f.aws.addKey(DEPLOYER.user, NEW_KEY.id, NEW_KEY.secret);
            await fails(
                checkedCreate(host(), inputs("awsAccessKey", key(NEW_KEY), expect)),
                `someCredential slot b: STS GetCallerIdentity with the new key failed: STS answered arn:aws:iam::521228113048:user/${DEPLOYER.user}, not ${BILLING.arn}. The key ${NEW_KEY.id} belongs to another identity: check which user it was made for.`,
            );
        });

        it("confirms, after a rotation, that the slot's old key is gone from ListAccessKeys", async () => {
            f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
            const h = host();
            const olds = { ...inputs("awsAccessKey", key(OLD_KEY), expect), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            const outs = await h.update("someCredential/b", olds, inputs("awsAccessKey", key(NEW_KEY), expect));
            assert.equal(outs.outs.revocation, `the old key ${OLD_KEY.id} is gone from ListAccessKeys`);
        });

        it("fails, naming the old key id and never a secret, when the old key is still listed at the deadline", async () => {
            f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
            f.aws.addKey(BILLING.user, OLD_KEY.id, OLD_KEY.secret);
            const olds = { ...inputs("awsAccessKey", key(OLD_KEY), expect), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            await fails(
                host().update("someCredential/b", olds, inputs("awsAccessKey", key(NEW_KEY), expect)),
                new RegExp(`^someCredential slot b: IAM ListAccessKeys for ${BILLING.user}, after the old key's delete failed: .*${OLD_KEY.id}.* \\(\\d+ tries within the check's limit of 1 s\\)\\.$`),
            );
        });
    });

    describe("cloudflareApiToken", () => {
        const token = { id: "cf-token-id-b", status: "active" as const, policies: [{ id: "p1", effect: "allow", resources: POLICIES[0].resources, permission_groups: [{ id: POLICIES[0].permissionGroupIds[0], name: "Billing Read" }] }] };

        it("passes when /user/tokens/verify answers it active and its policies are the declared ones", async () => {
            f.cloudflare.add(CF_NEW, { ...token });
            const outs = await passes(inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES }));
            assert.equal(outs.result, "passed: GET /user/tokens/verify answered token cf-token-id-b active; its policies are the declared ones");
            assert.deepEqual(
                f.cloudflare.requests.map((r) => `${r.path} ${r.authorization === `Bearer ${CF_NEW}` ? "with the new token" : "with the stack's"}`),
                ["/client/v4/user/tokens/verify with the new token", "/client/v4/user/tokens/cf-token-id-b with the stack's"],
            );
        });

        it("fails when Cloudflare answers the token disabled", async () => {
            f.cloudflare.add(CF_NEW, { ...token, status: "disabled" });
            await fails(
                checkedCreate(host(), inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES })),
                "someCredential slot b: GET /user/tokens/verify with the new token failed: Cloudflare answered token cf-token-id-b, status disabled; expected token cf-token-id-b, status active. " +
                    "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).",
            );
        });

        it("fails when its policies are not the declared ones", async () => {
            f.cloudflare.add(CF_NEW, { ...token, policies: [{ ...token.policies[0], permission_groups: [{ id: "b111ee7ead0000000000000000000002", name: "Billing Write" }] }] });
            await fails(
                checkedCreate(host(), inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES })),
                /^someCredential slot b: GET \/user\/tokens\/cf-token-id-b with the stack's token failed: its policies are .*b111ee7ead0000000000000000000002.*; declared: .*b111ee7ead0000000000000000000001.*\. Something changed the token after it was made/,
            );
        });

        it("asks again while Cloudflare does not know the new token yet, and fails at its deadline when it never does", async () => {
            await fails(
                checkedCreate(host(), inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES })),
                /^someCredential slot b: GET \/user\/tokens\/verify with the new token failed: Cloudflare answered Cloudflare API GET \/user\/tokens\/verify failed: 401 \(1000 Invalid API Token\)\. \(\d+ tries within the check's limit of 1 s\)\.$/,
            );
            assert.ok(f.cloudflare.requests.length > 1, "asked more than once");
            setTimeout(() => f.cloudflare.add(CF_NEW, { ...token }), 100);
            const outs = await passes(inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES }, { timeoutSeconds: 5 }));
            assert.match(String(outs.result), /^passed: /);
        });

        it("confirms after a rotation that Cloudflare refuses the slot's old token, and fails while it still answers it active", async () => {
            f.cloudflare.add(CF_NEW, { ...token });
            const olds = { ...inputs("cloudflareApiToken", { token: CF_OLD }, { tokenId: "cf-token-id-old", policies: POLICIES }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            const news = inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id, policies: POLICIES });
            assert.equal((await host().update("someCredential/b", olds, news)).outs.revocation, "Cloudflare no longer accepts the old token cf-token-id-old");
            f.cloudflare.remove(CF_OLD, true);
            await fails(
                host().update("someCredential/b", olds, news),
                /^someCredential slot b: GET \/user\/tokens\/verify with the old token, after its delete failed: Cloudflare still answers the revoked token active \(\d+ tries within the check's limit of 1 s\)\.$/,
            );
        });
    });

    describe("accessServiceToken", () => {
        it("passes when Access admits the new token to the vault", async () => {
            f.vault.admit(ACCESS_NEW.clientId, ACCESS_NEW.clientSecret);
            const outs = await passes(inputs("accessServiceToken", ACCESS_NEW, { tokenId: "token-b", policyId: "policy-1" }));
            assert.equal(outs.result, `passed: Access admitted the new service token to ${f.vault.url}`);
        });

        it("leaves the old token be after a rotation: a hand-made policy may admit any valid service token until its delete", async () => {
            f.vault.admit(ACCESS_NEW.clientId, ACCESS_NEW.clientSecret);
            f.vault.admit(ACCESS_OLD.clientId, ACCESS_OLD.clientSecret);
            const olds = { ...inputs("accessServiceToken", ACCESS_OLD, { tokenId: "token-old", policyId: "policy-1" }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            const { outs } = await host().update("someCredential/b", olds, inputs("accessServiceToken", ACCESS_NEW, { tokenId: "token-b", policyId: "policy-1" }));
            assert.equal(outs.revocation, undefined);
            assert.equal(f.vault.requests.filter((r) => r.headers["cf-access-client-id"] === ACCESS_OLD.clientId).length, 0, "nothing was asked with the old token");
        });

        it("fails after its deadline, naming Access's answer, when the token is refused", async () => {
            await fails(
                checkedCreate(host(), inputs("accessServiceToken", ACCESS_NEW, { tokenId: "token-b", policyId: "policy-1" })),
                new RegExp(`^someCredential slot b: GET ${f.vault.url}/api/status through Access with the new service token failed: GET ${f.vault.url}/api/status answered 403 \\(\\d+ tries within the check's limit of 1 s\\)\\.$`),
            );
        });
    });

    describe("randomBytes", () => {
        it("passes on 2n lowercase hex digits, and says there is nothing else to check", async () => {
            const outs = await passes(inputs("randomBytes", { hex: "ab".repeat(32) }, { bytes: 32 }));
            assert.equal(outs.result, "passed: 64 hex digits; random bytes have nothing else to check");
        });

        it("fails on any other shape, without showing the value", async () => {
            await fails(
                checkedCreate(host(), inputs("randomBytes", { hex: "AB".repeat(32) }, { bytes: 32 })),
                "someCredential slot b: its shape failed: it is not 64 lowercase hex digits (32 random bytes).",
            );
        });
    });

    describe("randomPassword", () => {
        const PASSWORD = "Ab3".repeat(13) + "Z";
        it("passes on exactly the asked-for count of letters and digits, and says there is nothing else to check", async () => {
            const outs = await passes(inputs("randomPassword", { password: PASSWORD }, { length: 40 }));
            assert.equal(outs.result, "passed: 40 letters and digits; a random password has nothing else to check");
        });

        for (const [what, password, length] of [
            ["a symbol", `${PASSWORD.slice(0, 39)}!`, 40],
            ["one character short", PASSWORD.slice(0, 39), 40],
            ["a length under 32 asked for", PASSWORD.slice(0, 31), 31],
        ] as const) {
            it(`fails on ${what}, without showing the value`, async () => {
                // The password counts as a secret: failsWith fails if the message or stack holds it.
                await failsWith(
                    checkedCreate(host(), inputs("randomPassword", { password }, { length })),
                    `someCredential slot b: its shape failed: it is not ${length} letters and digits (at least 32).`,
                    [...SECRETS, password],
                );
            });
        }
    });

    describe("what each kind is given and proves", () => {
        it("answers the slot's id, credential/slot", async () => {
            const { id } = await checkedCreate(host(), inputs("randomBytes", { hex: "ab" }, { bytes: 1 }, { slot: "a" }));
            assert.equal(id, "someCredential/a");
        });

        for (const [kind, value, missing] of [
            ["herokuAuthorization", { token: "" }, "token"],
            ["awsAccessKey", { accessKeyId: NEW_KEY.id }, "secretAccessKey"],
            ["awsAccessKey", { secretAccessKey: NEW_KEY.secret }, "accessKeyId"],
            ["cloudflareApiToken", {}, "token"],
            ["accessServiceToken", { clientId: ACCESS_NEW.clientId }, "clientSecret"],
            ["accessServiceToken", { clientSecret: ACCESS_NEW.clientSecret }, "clientId"],
            ["randomBytes", {}, "hex"],
            ["randomPassword", { password: "" }, "password"],
        ] as const) {
            it(`${kind}: fails before asking anything when the issuer gave no ${missing} (${JSON.stringify(Object.keys(value))})`, async () => {
                await fails(
                    checkedCreate(host(), inputs(kind, value as Record<string, string>, { bytes: 1, length: 32 })),
                    `someCredential slot b: reading the credential failed: the issuer gave no ${missing}. An adopted credential whose value is not in state cannot be checked: rotate the slot, or set verifyCredentials to false for one break-glass up.`,
                );
                assert.equal(f.requests(), 0);
            });
        }

        it("fails, naming the first field, when the issuer gave no value at all", async () => {
            const { value: _, ...noValue } = inputs("awsAccessKey", {}, {});
            await fails(
                checkedCreate(host(), noValue),
                "someCredential slot b: reading the credential failed: the issuer gave no accessKeyId. An adopted credential whose value is not in state cannot be checked: rotate the slot, or set verifyCredentials to false for one break-glass up.",
            );
        });

        for (const [what, accountId] of [["an empty owner", ""], ["an owner that is not a string", 5]] as const) {
            it(`herokuAuthorization: reads ${what} as none recorded`, async () => {
                const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29", scope: ["global", "identity"] });
                const outs = await passes(inputs("herokuAuthorization", { token: a.token }, { accountId, authorizationId: a.id, scope: ["identity", "global"] }));
                assert.equal(outs.result, "passed: GET /account with the new token answered ops@raxx.app (the authorization records no owner to compare with); its scope is identity global");
            });
        }

        it("herokuAuthorization: with no declared scope, expects none", async () => {
            const a = f.heroku.addAuthorization({ description: "raxx-platform-token-2026-11-29" });
            await fails(
                checkedCreate(host(), inputs("herokuAuthorization", { token: a.token }, { accountId: f.heroku.user.id, authorizationId: a.id })),
                `someCredential slot b: GET /oauth/authorizations/${a.id} with the new token failed: its scope is global, not the declared. Heroku cannot change a scope: give the slot a new date so that a new authorization is made.`,
            );
        });

        it("cloudflareApiToken: with no declared policies, expects none", async () => {
            const token = { id: "cf-token-id-b", status: "active" as const, policies: [{ id: "p1", effect: "allow", resources: POLICIES[0].resources, permission_groups: [{ id: POLICIES[0].permissionGroupIds[0], name: "Billing Read" }] }] };
            f.cloudflare.add(CF_NEW, token);
            await fails(
                checkedCreate(host(), inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: token.id })),
                /^someCredential slot b: GET \/user\/tokens\/cf-token-id-b with the stack's token failed: its policies are \{"effect":"allow".*\}; declared:\. Something changed the token/,
            );
        });

        it("randomPassword: passes at exactly 32 letters and digits, the least it accepts", async () => {
            const outs = await passes(inputs("randomPassword", { password: "Ab3".repeat(10) + "Zz" }, { length: 32 }));
            assert.equal(outs.result, "passed: 32 letters and digits; a random password has nothing else to check");
        });
    });

    describe("what a failure masks", () => {
        it("masks the new and the old credential wherever an answer echoes them, and shows the key id", async () => {
            const token = { id: CF_OLD, status: "disabled" as const, policies: [] };
            f.cloudflare.add(CF_NEW, token);
            const news = inputs("cloudflareApiToken", { token: CF_NEW }, { tokenId: "cf-token-id-b", policies: POLICIES });
            const olds = { ...inputs("cloudflareApiToken", { token: CF_OLD }, { tokenId: "cf-token-id-a", policies: POLICIES }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            await fails(
                host().update("someCredential/b", olds, news),
                "someCredential slot b: GET /user/tokens/verify with the new token failed: Cloudflare answered token [redacted], status disabled; expected token cf-token-id-b, status active. " +
                    "A token that is disabled or not yet valid cannot be handed out: look at it in the dashboard (My Profile, API Tokens).",
            );
            f.cloudflare.add(CF_NEW, { ...token, id: CF_NEW });
            await fails(checkedCreate(host(), news), /^someCredential slot b: GET \/user\/tokens\/verify with the new token failed: Cloudflare answered token \[redacted\], status disabled;/);
        });

        it("masks only the credential's strings: a number among its fields is no secret", async () => {
            await fails(
                checkedCreate(host(), inputs("randomBytes", { hex: "ZZ", size: 1 as unknown as string }, { bytes: 1 })),
                "someCredential slot b: its shape failed: it is not 2 lowercase hex digits (1 random bytes).",
            );
        });
    });

    describe("revocation of the slot's previous credential", () => {
        const earlier = (props: Record<string, unknown>, over: Record<string, unknown> = {}) => ({ ...props, checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier", ...over });
        const token = { id: "cf-token-id-b", status: "active" as const, policies: [{ id: "p1", effect: "allow", resources: POLICIES[0].resources, permission_groups: [{ id: POLICIES[0].permissionGroupIds[0], name: "Billing Read" }] }] };
        const cfExpect = { tokenId: token.id, policies: POLICIES };
        const awsExpect = { arn: BILLING.arn, userName: BILLING.user, region: "us-east-1" };

        it("confirms nothing when the slot's credential is the same (only what it should be changed)", async () => {
            f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
            const news = inputs("awsAccessKey", { accessKeyId: NEW_KEY.id, secretAccessKey: NEW_KEY.secret }, awsExpect);
            const { outs } = await host().update("someCredential/b", earlier(news, { expect: { ...awsExpect, arn: "arn:aws:iam::521228113048:user/before" } }), news);
            assert.equal(outs.result, `passed: STS GetCallerIdentity with the new key answered ${BILLING.arn}`);
            assert.equal(outs.revocation, undefined);
            assert.equal(f.aws.calls("ListAccessKeys"), 0);
        });

        it("confirms nothing when the slot held another kind before", async () => {
            f.cloudflare.add(CF_NEW, { ...token });
            const news = inputs("cloudflareApiToken", { token: CF_NEW }, cfExpect);
            const { outs } = await host().update("someCredential/b", earlier(news, { kind: "herokuAuthorization", value: { token: CF_OLD } }), news);
            assert.equal(outs.revocation, undefined);
            assert.equal(f.cloudflare.requests.filter((r) => r.authorization === `Bearer ${CF_OLD}`).length, 0);
        });

        it("confirms nothing when the previous state holds no old key id or token", async () => {
            f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
            f.cloudflare.add(CF_NEW, { ...token });
            const aws = inputs("awsAccessKey", { accessKeyId: NEW_KEY.id, secretAccessKey: NEW_KEY.secret }, awsExpect);
            assert.equal((await host().update("someCredential/b", earlier(aws, { value: {} }), aws)).outs.revocation, undefined);
            assert.equal(f.aws.calls("ListAccessKeys"), 0);
            const cf = inputs("cloudflareApiToken", { token: CF_NEW }, cfExpect);
            assert.equal((await host().update("someCredential/b", earlier(cf, { value: {} }), cf)).outs.revocation, undefined);
            assert.deepEqual(f.cloudflare.requests.map((r) => r.path), ["/client/v4/user/tokens/verify", "/client/v4/user/tokens/cf-token-id-b"]);
        });

        it("says which old token Cloudflare no longer accepts, and just that when the state names none", async () => {
            f.cloudflare.add(CF_NEW, { ...token });
            const news = inputs("cloudflareApiToken", { token: CF_NEW }, cfExpect);
            const { outs } = await host().update("someCredential/b", earlier(news, { value: { token: CF_OLD }, expect: undefined }), news);
            assert.equal(outs.revocation, "Cloudflare no longer accepts the old token");
            assert.equal(f.cloudflare.requests.filter((r) => r.authorization === `Bearer ${CF_OLD}`).length, 1);
        });
    });

    describe("every kind", () => {
        it("with enabled false (break-glass) records that it did not run, and asks nothing", async () => {
            const outs = await passes(inputs("awsAccessKey", { accessKeyId: NEW_KEY.id, secretAccessKey: NEW_KEY.secret }, { arn: BILLING.arn }, { enabled: false }));
            assert.equal(outs.result, SKIPPED);
            assert.equal(f.requests(), 0);
        });

        it("fails, naming the field, when the issuer gave no value (an adopted credential)", async () => {
            await fails(
                checkedCreate(host(), inputs("herokuAuthorization", {}, { accountId: "x", authorizationId: "y", scope: ["global"] })),
                "someCredential slot b: reading the credential failed: the issuer gave no token. An adopted credential whose value is not in state cannot be checked: rotate the slot, or set verifyCredentials to false for one break-glass up.",
            );
        });

        it("accepts slot a, b, or one not yet known in a preview", async () => {
            for (const slot of ["a", "b", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]) {
                assert.deepEqual((await host().check({}, inputs("randomBytes", { hex: "ab" }, { bytes: 1 }, { slot }))).failures, [], slot);
            }
        });

        it("refuses a credential name that is not a string", async () => {
            const { failures } = await host().check({}, inputs("randomBytes", { hex: "ab" }, { bytes: 1 }, { credential: 5 }));
            assert.deepEqual(failures, [{ property: "credential", reason: 'credential must name the credential, e.g. "herokuPlatformToken"' }]);
        });

        it("refuses inputs it cannot check, naming each property and a valid example", async () => {
            const { failures } = await host().check({}, inputs("sshKey", {}, {}, { slot: "c", enabled: "yes", timeoutSeconds: 0, credential: "" }));
            assert.deepEqual(failures, [
                { property: "credential", reason: 'credential must name the credential, e.g. "herokuPlatformToken"' },
                { property: "slot", reason: 'slot must be "a" or "b"' },
                { property: "kind", reason: "kind must be one of herokuAuthorization, awsAccessKey, cloudflareApiToken, accessServiceToken, randomBytes, randomPassword, e.g. \"awsAccessKey\"" },
                { property: "enabled", reason: "enabled must be true or false" },
                { property: "timeoutSeconds", reason: "timeoutSeconds must be a whole number from 1 to 600, e.g. 60" },
            ]);
        });

        it("updates in place when the credential changes, and reports no change when nothing does", async () => {
            const h = host();
            const olds = { ...inputs("randomBytes", { hex: "ab" }, { bytes: 1 }), checkedAt: "t", result: "passed: x" };
            assert.deepEqual(await h.diff("someCredential/b", olds, inputs("randomBytes", { hex: "ab" }, { bytes: 1 })), { changes: false, replaces: [], deleteBeforeReplace: false });
            assert.deepEqual(await h.diff("someCredential/b", olds, inputs("randomBytes", { hex: "cd" }, { bytes: 1 })), { changes: true, replaces: [], deleteBeforeReplace: false });
        });
    });
});
