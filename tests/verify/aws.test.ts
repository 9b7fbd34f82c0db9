// The AWS checks against tests/harness/fakeAws.ts, reached the way the SDK reaches AWS
// (AWS_ENDPOINT_URL_<SERVICE>, SigV4 checked against each key's secret), with no AWS config
// file, profile or instance metadata in play. Every failure is pinned exactly, is a check
// failure, and carries no secret: no secret access key, no parameter value.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";

import * as pulumi from "@pulumi/pulumi";

import { CHECK_FAILED, CheckContext } from "../../providers/verify/check";
import { confirmAccessKeysGone, readParameter, verifyAccessKey } from "../../providers/verify/aws";
import { assertNoSecrets, rejection } from "../harness/assertions";
import { restoreEnvAfterEach } from "../harness/env";
import { FakeAws } from "../harness/fakeAws";
import { ProviderHost, assertNoLocalPath, freshCopy } from "../harness/serializedProvider";
import type * as awsModule from "../../providers/verify/aws";

const ACCOUNT = "521228113048";
const DEPLOYER = { user: "raxx-platform-deployer", id: "AKIA-FAKE-DEPLOYER-1", secret: "deployer-secret-7c2e-do-not-leak" };
const CI = { user: "raxx-ci", arn: `arn:aws:iam::${ACCOUNT}:user/raxx-ci` };
const NEW_KEY = { id: "AKIA-FAKE-NEW-KEY-2", secret: "new-key-secret-5b9d-do-not-leak" };
const OLD_KEY = { id: "AKIA-FAKE-OLD-KEY-1", secret: "old-key-secret-0a4f-do-not-leak" };
const PARAMETER = "/raxx/ci/aws-secret-access-key";
const VALUE = "parameter-value-3e8a-do-not-leak";
const SECRETS = [DEPLOYER.secret, NEW_KEY.secret, OLD_KEY.secret, VALUE];

const SUBJECT = "awsAccessKey raxx-ci slot b";
const STS_CHECK = "STS GetCallerIdentity with the new key";
const IAM_CHECK = "IAM ListAccessKeys for raxx-ci";
const SSM_CHECK = `SSM GetParameter ${PARAMETER}`;
const INVALID_TOKEN = "STS answered InvalidClientTokenId: The security token included in the request is invalid";
/** The end of a check that ran out of time, for a limit of `ms`. */
const limit = (ms = 300) => `within the check's limit of ${ms} ms`;

const ENV_KEYS = [
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_SSM",
    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
    "VERIFY_BACKOFF_MS", "VERIFY_REQUEST_TIMEOUT_MS",
];

const ctx = (check: string, deadlineMs = 300): CheckContext => ({ subject: SUBJECT, check, deadlineMs, secrets: [NEW_KEY.secret] });
const newKey = (over: Partial<{ accessKeyId: string; secretAccessKey: string; expectedArn: string }> = {}) =>
    ({ region: "eu-west-1", accessKeyId: NEW_KEY.id, secretAccessKey: NEW_KEY.secret, expectedArn: CI.arn, ...over });
const gone = (retiredKeyIds = [OLD_KEY.id]) => ({ region: "eu-west-1", userName: CI.user, retiredKeyIds });
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * Fails unless `call` rejects with a check failure whose message is `expected` (made after the
 * call, so it can count the fake's requests) and holds no secret. Through the host only the
 * message arrives, so the name is not checked there.
 */
async function fails(call: Promise<unknown>, expected: string | RegExp | (() => string), { viaHost = false } = {}): Promise<void> {
    const err = await rejection(call);
    if (expected instanceof RegExp) assert.match(err.message, expected);
    else assert.equal(err.message, typeof expected === "function" ? expected() : expected);
    if (!viaHost) assert.equal(err.name, CHECK_FAILED);
    assertNoSecrets(`${err.message}\n${err.stack}`, SECRETS);
}

describe("AWS credential checks (providers/verify/aws.ts)", () => {
    let aws: FakeAws;
    restoreEnvAfterEach(ENV_KEYS);
    beforeEach(async () => {
        aws = await new FakeAws().start();
        aws.addUser(DEPLOYER.user, `arn:aws:iam::${ACCOUNT}:user/${DEPLOYER.user}`);
        aws.addKey(DEPLOYER.user, DEPLOYER.id, DEPLOYER.secret);
        aws.addUser(CI.user, CI.arn);
        aws.addKey(CI.user, OLD_KEY.id, OLD_KEY.secret);
        aws.addKey(CI.user, NEW_KEY.id, NEW_KEY.secret);
        for (const k of ENV_KEYS) delete process.env[k];
        Object.assign(process.env, aws.env(DEPLOYER, "us-west-2"), { VERIFY_BACKOFF_MS: "1" });
    });
    afterEach(async () => {
        await aws.stop();
    });

    describe("verifyAccessKey", () => {
        it("passes when STS, asked with the new key, answers the expected ARN", async () => {
            assert.deepEqual(await verifyAccessKey(ctx(STS_CHECK), newKey()), { arn: CI.arn });
            assert.deepEqual(aws.requests, [{ service: "sts", action: "GetCallerIdentity", accessKeyId: NEW_KEY.id, region: "eu-west-1", params: { Action: "GetCallerIdentity", Version: "2011-06-15" } }]);
        });

        it("a key of another identity fails at once, naming the ARN STS answered", async () => {
            aws.addUser("raxx-other", `arn:aws:iam::${ACCOUNT}:user/raxx-other`);
            aws.addKey("raxx-other", "AKIA-FAKE-OTHER-3", NEW_KEY.secret);
            await fails(
                verifyAccessKey(ctx(STS_CHECK), newKey({ accessKeyId: "AKIA-FAKE-OTHER-3" })),
                `${SUBJECT}: ${STS_CHECK} failed: STS answered arn:aws:iam::${ACCOUNT}:user/raxx-other, not ${CI.arn}. ` +
                    "The key AKIA-FAKE-OTHER-3 belongs to another identity: check which user it was made for.",
            );
            assert.equal(aws.calls("GetCallerIdentity"), 1);
        });

        it("a brand-new key STS does not know yet is tried again until it does", async () => {
            aws.notYetConsistent(NEW_KEY.id, 3);
            assert.deepEqual(await verifyAccessKey(ctx(STS_CHECK, 5000), newKey()), { arn: CI.arn });
            assert.equal(aws.calls("GetCallerIdentity"), 4);
        });

        it("a key STS never knows fails at the deadline, naming InvalidClientTokenId and the tries", async () => {
            await fails(
                verifyAccessKey(ctx(STS_CHECK), newKey({ accessKeyId: "AKIA-FAKE-NEVER-VALID-4" })),
                () => `${SUBJECT}: ${STS_CHECK} failed: ${INVALID_TOKEN} (${aws.calls("GetCallerIdentity")} tries ${limit()}).`,
            );
            assert.ok(aws.calls("GetCallerIdentity") > 2);
        });

        it("a wrong secret is SignatureDoesNotMatch, retried to the deadline, and the secret stays out of the message", async () => {
            await fails(
                verifyAccessKey(ctx(STS_CHECK), newKey({ secretAccessKey: OLD_KEY.secret })),
                () =>
                    `${SUBJECT}: ${STS_CHECK} failed: STS answered SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. ` +
                    `Check your AWS Secret Access Key and signing method. Consult the service documentation for details (${aws.calls("GetCallerIdentity")} tries ${limit()}).`,
            );
        });

        it("a request that gets no answer is cut at VERIFY_REQUEST_TIMEOUT_MS, naming the endpoint", async () => {
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            aws.fail("GetCallerIdentity", "hang");
            await fails(verifyAccessKey(ctx(STS_CHECK, 50), newKey()), `${SUBJECT}: ${STS_CHECK} failed: no answer from STS at ${aws.url} within 100 ms (1 try ${limit(50)}).`);
        });

        it("no server at the endpoint: retried to the deadline, naming the origin and ECONNREFUSED", async () => {
            await aws.stop();
            const origin = aws.url.replace(/[.]/g, "\\.");
            await fails(verifyAccessKey(ctx(STS_CHECK), newKey()), new RegExp(`^${SUBJECT}: ${STS_CHECK} failed: network error reaching STS at ${origin}: ECONNREFUSED \\(\\d+ tries ${limit()}\\)\\.$`));
            await aws.start(); // afterEach stops it
        });
    });

    describe("confirmAccessKeysGone", () => {
        it("passes once IAM no longer lists the retired key, asking with the stack's own credentials", async () => {
            aws.deleteKey(OLD_KEY.id);
            await confirmAccessKeysGone(ctx(IAM_CHECK), gone());
            assert.deepEqual(aws.requests, [
                { service: "iam", action: "ListAccessKeys", accessKeyId: DEPLOYER.id, region: "eu-west-1", params: { Action: "ListAccessKeys", Version: "2010-05-08", UserName: CI.user } },
            ]);
        });

        it("a deleted key IAM still lists for a while is asked about again until it is gone", async () => {
            aws.deleteKey(OLD_KEY.id, 2);
            await confirmAccessKeysGone(ctx(IAM_CHECK, 5000), gone());
            assert.equal(aws.calls("ListAccessKeys"), 3);
        });

        it("fails at the deadline naming the key ids still listed", async () => {
            await fails(
                confirmAccessKeysGone(ctx(IAM_CHECK), gone([OLD_KEY.id, "AKIA-FAKE-GONE-5"])),
                () => `${SUBJECT}: ${IAM_CHECK} failed: IAM still lists ${OLD_KEY.id} for user ${CI.user} (${aws.calls("ListAccessKeys")} tries ${limit()}).`,
            );
            assert.ok(aws.calls("ListAccessKeys") > 2);
        });

        it("a request that gets no answer is cut at VERIFY_REQUEST_TIMEOUT_MS, naming the endpoint", async () => {
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            aws.fail("ListAccessKeys", "hang");
            await fails(confirmAccessKeysGone(ctx(IAM_CHECK, 50), gone()), `${SUBJECT}: ${IAM_CHECK} failed: no answer from IAM at ${aws.url} within 100 ms (1 try ${limit(50)}).`);
        });

        it("a user that no longer exists (NoSuchEntity) has no keys left", async () => {
            aws.deleteUser(CI.user);
            await confirmAccessKeysGone(ctx(IAM_CHECK), gone());
            assert.equal(aws.calls("ListAccessKeys"), 1);
        });

        it("reads every page: a key on the second page counts", async () => {
            aws.pageSize = 1;
            aws.deleteKey(NEW_KEY.id, 1);
            await confirmAccessKeysGone(ctx(IAM_CHECK, 5000), gone([NEW_KEY.id]));
            // Try 1: [old], then from marker "1" [new]; try 2: [old], the only page.
            assert.deepEqual(aws.requests.map((r) => r.params.Marker), [undefined, "MQ==", undefined]);
        });

        it("a 5xx is retried; missing credentials fail at once, saying which to set", async () => {
            aws.deleteKey(OLD_KEY.id);
            aws.fail("ListAccessKeys", "server-error", 2);
            await confirmAccessKeysGone(ctx(IAM_CHECK, 5000), gone());
            assert.equal(aws.calls("ListAccessKeys"), 3);
            delete process.env.AWS_ACCESS_KEY_ID;
            await fails(
                confirmAccessKeysGone(ctx(IAM_CHECK), gone()),
                `${SUBJECT}: ${IAM_CHECK} failed: IAM was not called: Could not load credentials from any providers. ` +
                    "Give the stack AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.",
            );
            assert.equal(aws.calls("ListAccessKeys"), 3);
        });
    });

    describe("readParameter", () => {
        it("answers the value's sha256 and its version, asking for decryption", async () => {
            aws.putParameter(PARAMETER, "an older value");
            aws.putParameter(PARAMETER, VALUE);
            const got = await readParameter(ctx(SSM_CHECK), { region: "eu-west-1", name: PARAMETER });
            assert.deepEqual(got, { sha256: sha256(VALUE), version: 2 });
            assert.deepEqual(aws.requests, [{ service: "ssm", action: "GetParameter", accessKeyId: DEPLOYER.id, region: "eu-west-1", params: { Name: PARAMETER, WithDecryption: true } }]);
        });

        it("a request that gets no answer is cut at VERIFY_REQUEST_TIMEOUT_MS, naming the endpoint", async () => {
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            aws.putParameter(PARAMETER, VALUE);
            aws.fail("GetParameter", "hang");
            // A fresh copy, so that the name of the variable is read inside this test.
            const fresh = freshCopy<typeof awsModule>("../../providers/verify/aws");
            await fails(fresh.readParameter(ctx(SSM_CHECK, 50), { region: "eu-west-1", name: PARAMETER }), `${SUBJECT}: ${SSM_CHECK} failed: no answer from SSM at ${aws.url} within 100 ms (1 try ${limit(50)}).`);
        });

        it("ParameterNotFound fails at once", async () => {
            await fails(readParameter(ctx(SSM_CHECK), { region: "eu-west-1", name: PARAMETER }), `${SUBJECT}: ${SSM_CHECK} failed: SSM answered ParameterNotFound.`);
            assert.equal(aws.calls("GetParameter"), 1);
        });

        it("throttling is retried until it passes, or until the deadline", async () => {
            aws.putParameter(PARAMETER, VALUE);
            aws.fail("GetParameter", "throttling", 2);
            assert.deepEqual(await readParameter(ctx(SSM_CHECK, 5000), { region: "eu-west-1", name: PARAMETER }), { sha256: sha256(VALUE), version: 1 });
            assert.equal(aws.calls("GetParameter"), 3);
            aws.fail("GetParameter", "throttling", 1000);
            await fails(
                readParameter(ctx(SSM_CHECK), { region: "eu-west-1", name: PARAMETER }),
                () => `${SUBJECT}: ${SSM_CHECK} failed: SSM answered ThrottlingException: Rate exceeded (${aws.calls("GetParameter") - 3} tries ${limit()}).`,
            );
        });
    });

    describe("from serialized text, as the engine runs a provider", () => {
        // A test-only provider: the checks must survive serializeFunction's capture (no
        // classes extending Error, nothing read at module load, the SDK by require).
        const provider = {
            async create(inputs: Record<string, unknown>) {
                const x = inputs as unknown as { subject: string; accessKeyId: string; secretAccessKey: string; expectedArn: string };
                const check = { subject: x.subject, check: "STS GetCallerIdentity with the new key", deadlineMs: 300, secrets: [x.secretAccessKey] };
                const got = await verifyAccessKey(check, { region: "eu-west-1", accessKeyId: x.accessKeyId, secretAccessKey: x.secretAccessKey, expectedArn: x.expectedArn });
                return { id: got.arn, outs: got };
            },
        };
        let text = "";
        before(async () => {
            text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
        });

        it("requires the SDK by name when a check runs, no checkout path, and passes and fails through the host", async () => {
            // The SDK is required when a check runs, by package name, from where the host runs the text.
            assert.ok(text.includes('require("@aws-sdk/client-sts")'));
            assert.ok(!text.includes("dist-cjs"), "no module object of the SDK is captured");
            assertNoLocalPath(text);
            assertNoSecrets(text, SECRETS);
            const host = new ProviderHost();
            const inputs = { subject: SUBJECT, accessKeyId: NEW_KEY.id, secretAccessKey: NEW_KEY.secret, expectedArn: CI.arn, __provider: text };
            assert.deepEqual(await host.create(inputs), { id: CI.arn, outs: { arn: CI.arn, __provider: text } });
            await fails(
                host.create({ ...inputs, accessKeyId: "AKIA-FAKE-NEVER-VALID-4" }),
                () => `${SUBJECT}: ${STS_CHECK} failed: ${INVALID_TOKEN} (${aws.calls("GetCallerIdentity") - 1} tries ${limit()}).`,
                { viaHost: true },
            );
        });
    });
});
