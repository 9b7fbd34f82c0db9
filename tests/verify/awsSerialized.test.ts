// What tests/verify/aws.test.ts asks of the AWS check functions called directly, asked of the
// check providers as the engine runs them (the serialized text in the emulated host) against
// the fake AWS: what STS, IAM and SSM are sent and with whose key, the answers asked again
// (a brand-new key, a key still listed, throttling, a 5xx), those that end a check at its
// deadline or at once, a request cut at VERIFY_REQUEST_TIMEOUT_MS, and no server at all.
import { strict as assert } from "node:assert";

import { checkedCreate } from "../harness/serializedProvider";
import { BILLING, CheckTexts, DEPLOYER, checkTexts, consumerInputs, failsWith, host, useFakes } from "./helpers";

const NEW_KEY = { id: "AKIA-FAKE-NEW-7", secret: "new-key-secret-3a9c-do-not-leak" };
const OLD_KEY = { id: "AKIA-FAKE-OLD-8", secret: "old-key-secret-6d2e-do-not-leak" };
const PARAMETER = "/raxx/billing-readonly/heroku_billing_api_key";
const VALUE = "parameter-value-0b4f-do-not-leak";
const SECRETS = [NEW_KEY.secret, OLD_KEY.secret, VALUE];
const STS = "someCredential slot b: STS GetCallerIdentity with the new key failed:";
const IAM = `someCredential slot b: IAM ListAccessKeys for ${BILLING.user}, after the old key's delete failed:`;
const SSM = `the place (someCredential): SSM GetParameter ${PARAMETER} failed:`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const LIMIT = "tries? within the check's limit of 1 s\\)\\.$";

describe("AWS checks through the serialized providers, against the fake AWS", () => {
    const f = useFakes();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });
    beforeEach(() => {
        f.aws.addKey(BILLING.user, NEW_KEY.id, NEW_KEY.secret);
        f.aws.addKey(BILLING.user, OLD_KEY.id, OLD_KEY.secret);
    });

    const fails = (p: Promise<unknown>, message: string | RegExp) => failsWith(p, message, SECRETS);
    const inputs = (key: { id: string; secret: string } = NEW_KEY, over: Record<string, unknown> = {}) => ({
        credential: "someCredential",
        slot: "b",
        kind: "awsAccessKey",
        enabled: true,
        timeoutSeconds: 1,
        value: { accessKeyId: key.id, secretAccessKey: key.secret },
        expect: { arn: BILLING.arn, userName: BILLING.user, region: "eu-west-1" },
        __provider: texts.credential,
        ...over,
    });
    const rotate = (over: Record<string, unknown> = {}) =>
        host().update("someCredential/b", { ...inputs(OLD_KEY), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" }, inputs(NEW_KEY, over));
    const parameter = () => checkedCreate(host(), consumerInputs(texts.consumer, VALUE, "ssmParameter", { region: "eu-west-1", name: PARAMETER }));

    describe("STS, for the new key", () => {
        it("asks once, with the new key, in the key's region; a brand-new key STS does not know yet is asked again until it does", async () => {
            await checkedCreate(host(), inputs());
            assert.deepEqual(f.aws.requests, [{ service: "sts", action: "GetCallerIdentity", accessKeyId: NEW_KEY.id, region: "eu-west-1", params: { Action: "GetCallerIdentity", Version: "2011-06-15" } }]);
            f.aws.notYetConsistent(NEW_KEY.id, 3);
            await checkedCreate(host(), inputs(NEW_KEY, { timeoutSeconds: 5 }));
            assert.equal(f.aws.calls("GetCallerIdentity"), 5);
        });

        it("a key STS never knows, or a wrong secret, fails at the deadline with STS's words, the secret never shown", async () => {
            await fails(
                checkedCreate(host(), inputs({ id: "AKIA-FAKE-NEVER-VALID-4", secret: NEW_KEY.secret })),
                new RegExp(`^${esc(STS)} STS answered InvalidClientTokenId: The security token included in the request is invalid \\(\\d+ ${LIMIT}`),
            );
            await fails(
                checkedCreate(host(), inputs({ id: NEW_KEY.id, secret: OLD_KEY.secret })),
                new RegExp(
                    `^${esc(STS)} STS answered SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided\\. ` +
                        `Check your AWS Secret Access Key and signing method\\. Consult the service documentation for details \\(\\d+ ${LIMIT}`,
                ),
            );
        });

        it("a request that gets no answer is cut at VERIFY_REQUEST_TIMEOUT_MS, naming the endpoint; no server at all is a network error naming the origin", async () => {
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            f.aws.fail("GetCallerIdentity", "hang", 1000);
            await fails(checkedCreate(host(), inputs()), new RegExp(`^${esc(STS)} no answer from STS at ${esc(f.aws.url)} within 100 ms \\(\\d+ ${LIMIT}`));
            await f.aws.stop();
            await fails(checkedCreate(host(), inputs()), new RegExp(`^${esc(STS)} network error reaching STS at ${esc(f.aws.url)}: ECONNREFUSED \\(\\d+ ${LIMIT}`));
            await f.aws.start(); // the fakes' afterEach stops it
        });
    });

    describe("IAM, after a rotation", () => {
        it("asks with the stack's own key; a deleted key IAM still lists for a while is asked about again until it is gone", async () => {
            f.aws.deleteKey(OLD_KEY.id);
            await rotate();
            assert.deepEqual(
                f.aws.requests.filter((r) => r.action === "ListAccessKeys"),
                [{ service: "iam", action: "ListAccessKeys", accessKeyId: DEPLOYER.id, region: "eu-west-1", params: { Action: "ListAccessKeys", Version: "2010-05-08", UserName: BILLING.user } }],
            );
            f.aws.addKey(BILLING.user, OLD_KEY.id, OLD_KEY.secret);
            f.aws.deleteKey(OLD_KEY.id, 2);
            f.aws.requests.splice(0);
            await rotate({ timeoutSeconds: 5 });
            assert.equal(f.aws.calls("ListAccessKeys"), 3);
        });

        it("a user that no longer exists (NoSuchEntity) has no keys left: the old key is gone", async () => {
            const expect = { arn: BILLING.arn, userName: "raxx-gone", region: "eu-west-1" };
            const olds = { ...inputs(OLD_KEY, { expect }), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
            const { outs } = await host().update("someCredential/b", olds, inputs(NEW_KEY, { expect }));
            assert.equal(outs.revocation, `the old key ${OLD_KEY.id} is gone from ListAccessKeys`);
            assert.equal(f.aws.calls("ListAccessKeys"), 1);
        });

        it("every page is read: a key still listed on the second page counts; a 5xx is asked again", async () => {
            f.aws.pageSize = 1;
            f.aws.deleteKey(OLD_KEY.id, 1);
            f.aws.requests.splice(0);
            await rotate({ timeoutSeconds: 5 });
            assert.deepEqual(f.aws.requests.filter((r) => r.action === "ListAccessKeys").map((r) => r.params.Marker), [undefined, "MQ==", undefined]);
            f.aws.pageSize = 100;
            f.aws.addKey(BILLING.user, OLD_KEY.id, OLD_KEY.secret);
            f.aws.deleteKey(OLD_KEY.id);
            f.aws.fail("ListAccessKeys", "server-error", 2);
            const before = f.aws.calls("ListAccessKeys");
            await rotate({ timeoutSeconds: 5 });
            assert.equal(f.aws.calls("ListAccessKeys") - before, 3);
        });

        it("without the stack's credentials IAM is not called, saying which to set; a request with no answer is cut at VERIFY_REQUEST_TIMEOUT_MS", async () => {
            f.aws.deleteKey(OLD_KEY.id);
            delete process.env.AWS_ACCESS_KEY_ID;
            await fails(
                rotate(),
                `${IAM} IAM was not called: Could not load credentials from any providers. Give the stack AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.`,
            );
            assert.equal(f.aws.calls("ListAccessKeys"), 0);
            process.env.AWS_ACCESS_KEY_ID = DEPLOYER.id;
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            f.aws.fail("ListAccessKeys", "hang", 1000);
            await fails(rotate(), new RegExp(`^${esc(IAM)} no answer from IAM at ${esc(f.aws.url)} within 100 ms \\(\\d+ ${LIMIT}`));
        });
    });

    describe("SSM, for a parameter written", () => {
        it("asks for the decrypted value with the stack's key; ParameterNotFound fails at once", async () => {
            f.aws.putParameter(PARAMETER, VALUE);
            await parameter();
            assert.deepEqual(f.aws.requests, [{ service: "ssm", action: "GetParameter", accessKeyId: DEPLOYER.id, region: "eu-west-1", params: { Name: PARAMETER, WithDecryption: true } }]);
            await fails(
                checkedCreate(host(), consumerInputs(texts.consumer, VALUE, "ssmParameter", { region: "eu-west-1", name: "/raxx/none" })),
                "the place (someCredential): SSM GetParameter /raxx/none failed: SSM answered ParameterNotFound.",
            );
            assert.equal(f.aws.calls("GetParameter"), 2);
        });

        it("throttling is asked again until it passes; a request with no answer is cut at VERIFY_REQUEST_TIMEOUT_MS", async () => {
            f.aws.putParameter(PARAMETER, VALUE);
            f.aws.fail("GetParameter", "throttling", 2);
            await parameter();
            assert.equal(f.aws.calls("GetParameter"), 3);
            process.env.VERIFY_REQUEST_TIMEOUT_MS = "100";
            f.aws.fail("GetParameter", "hang", 1000);
            await fails(parameter(), new RegExp(`^${esc(SSM)} no answer from SSM at ${esc(f.aws.url)} within 100 ms \\(\\d+ ${LIMIT}`));
        });

        it("throttling for good ends at the deadline, naming it", async () => {
            f.aws.putParameter(PARAMETER, VALUE);
            f.aws.fail("GetParameter", "throttling", 1000);
            await fails(parameter(), new RegExp(`^${esc(SSM)} SSM answered ThrottlingException: Rate exceeded \\(\\d+ ${LIMIT}`));
        });
    });
});
