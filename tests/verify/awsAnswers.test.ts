// The AWS checks against answers tests/harness/fakeAws.ts never gives (a reply without an
// ARN or a value, an error code that asking again cannot change, a page that says it is the
// last), from a server on 127.0.0.1 that answers what each test scripts, unsigned.
import { strict as assert } from "node:assert";

import { CheckContext } from "../../providers/verify/check";
import { confirmAccessKeysGone, readParameter, verifyAccessKey } from "../../providers/verify/aws";
import { restoreEnvAfterEach } from "../harness/env";
import { ScriptedServer } from "../harness/scriptedServer";
import { freshCopy } from "../harness/serializedProvider";
import type * as awsModule from "../../providers/verify/aws";
import { failsAsCheck } from "./helpers";
import { jsonReply, paramsOf, scriptedAws, xmlError, xmlResult } from "./scripted";

const KEY = { id: "AKIA-FAKE-SCRIPTED-1", secret: "scripted-secret-8e2b-do-not-leak" };
const STACK = { id: "AKIA-FAKE-STACK-2", secret: "stack-secret-4a6c-do-not-leak" };
const ARN = "arn:aws:iam::521228113048:user/raxx-ci";
const PARAMETER = "/raxx/ci/aws-secret-access-key";
const SUBJECT = "awsAccessKey raxx-ci slot b";


const ctx = (check: string, deadlineMs = 100): CheckContext => ({ subject: SUBJECT, check, deadlineMs, secrets: [] });

const fails = (p: Promise<unknown>, expected: string | RegExp) => failsAsCheck(p, expected, [KEY.secret, STACK.secret]);

describe("AWS checks against scripted answers (providers/verify/aws.ts)", () => {
    let aws: ScriptedServer;
    restoreEnvAfterEach([
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM",
        "AWS_ENDPOINT_URL_SSM", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "VERIFY_BACKOFF_MS", "VERIFY_REQUEST_TIMEOUT_MS",
    ]);
    beforeEach(async () => {
        aws = await scriptedAws().start();
        for (const k of ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "VERIFY_REQUEST_TIMEOUT_MS"]) delete process.env[k];
        Object.assign(process.env, {
            AWS_ACCESS_KEY_ID: STACK.id, AWS_SECRET_ACCESS_KEY: STACK.secret, AWS_REGION: "us-east-1",
            AWS_ENDPOINT_URL_STS: aws.url, AWS_ENDPOINT_URL_IAM: aws.url, AWS_ENDPOINT_URL_SSM: aws.url,
            AWS_CONFIG_FILE: "/nonexistent/aws-config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials", AWS_EC2_METADATA_DISABLED: "true",
            VERIFY_BACKOFF_MS: "1",
        });
    });
    afterEach(async () => {
        await aws.stop();
    });

    const key = () => ({ region: "eu-west-1", accessKeyId: KEY.id, secretAccessKey: KEY.secret, expectedArn: ARN });
    const STS = "STS GetCallerIdentity with the new key";

    it("STS: an answer without an ARN fails at once, saying so", async () => {
        aws.script("GetCallerIdentity", xmlResult("GetCallerIdentity", "<Account>521228113048</Account>"));
        await fails(
            verifyAccessKey(ctx(STS), key()),
            `${SUBJECT}: ${STS} failed: STS answered no ARN, not ${ARN}. The key ${KEY.id} belongs to another identity: check which user it was made for.`,
        );
        assert.equal(aws.requests.length, 1);
    });

    it("STS: an error that asking again cannot change (ExpiredToken) fails at once, with AWS's code and words", async () => {
        aws.script("GetCallerIdentity", xmlError(403, "ExpiredToken", "The security token included in the request is expired"));
        await fails(verifyAccessKey(ctx(STS), key()), `${SUBJECT}: ${STS} failed: STS answered ExpiredToken: The security token included in the request is expired.`);
        assert.equal(aws.requests.length, 1);
    });

    it("STS: a 5xx is asked again, and passes once STS answers the ARN", async () => {
        aws.script("GetCallerIdentity", xmlError(503, "ServiceUnavailable", "Service is unavailable"), xmlResult("GetCallerIdentity", `<Arn>${ARN}</Arn>`));
        assert.deepEqual(await verifyAccessKey(ctx(STS, 2000), key()), { arn: ARN });
        assert.equal(aws.requests.length, 2);
    });

    it("STS: asks again after each throttling code, and after each answer a brand-new key gets, then passes", async () => {
        // A fresh copy, so that the tables of codes are built inside this test.
        const fresh = freshCopy<typeof awsModule>("../../providers/verify/aws");
        const codes = ["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied"];
        const retried: string[] = [];
        for (const code of codes) {
            aws.requests.splice(0);
            aws.script("GetCallerIdentity", xmlError(400, code, "not now"), xmlResult("GetCallerIdentity", `<Arn>${ARN}</Arn>`));
            assert.deepEqual(await fresh.verifyAccessKey(ctx(STS, 2000), key()), { arn: ARN });
            if (aws.requests.length === 2) retried.push(code);
        }
        assert.deepEqual(retried, codes);
    });

    it("SSM: an answer without a value, or without a version, or without a parameter, fails at once", async () => {
        const SSM = `SSM GetParameter ${PARAMETER}`;
        for (const parameter of [{ Name: PARAMETER, Version: 3 }, { Name: PARAMETER, Value: "held-value" }, undefined]) {
            aws.script("GetParameter", jsonReply(200, parameter === undefined ? {} : { Parameter: parameter }));
            await fails(readParameter(ctx(SSM), { region: "eu-west-1", name: PARAMETER }), `${SUBJECT}: ${SSM} failed: SSM answered no value or version for ${PARAMETER}.`);
        }
        assert.equal(aws.requests.length, 3);
    });

    it("IAM: a page that says it is the last ends the listing, whatever marker it carries", async () => {
        const page = (ids: string[], truncated: boolean, marker?: string) =>
            xmlResult(
                "ListAccessKeys",
                `<UserName>raxx-ci</UserName><AccessKeyMetadata>${ids.map((id) => `<member><AccessKeyId>${id}</AccessKeyId><UserName>raxx-ci</UserName><Status>Active</Status></member>`).join("")}</AccessKeyMetadata>` +
                    `<IsTruncated>${truncated}</IsTruncated>${marker === undefined ? "" : `<Marker>${marker}</Marker>`}`,
            );
        aws.script("ListAccessKeys", page(["AKIA-FAKE-NEW-3"], false, "bWFya2Vy"), page(["AKIA-FAKE-OLD-4"], false));
        await confirmAccessKeysGone(ctx("IAM ListAccessKeys for raxx-ci", 2000), { region: "eu-west-1", userName: "raxx-ci", retiredKeyIds: ["AKIA-FAKE-OLD-4"] });
        assert.deepEqual(aws.requests.map((r) => paramsOf(r).Marker), [undefined]);
    });

    it("IAM: names every retired key still listed, in the order given", async () => {
        const listed = xmlResult(
            "ListAccessKeys",
            "<UserName>raxx-ci</UserName><AccessKeyMetadata><member><AccessKeyId>AKIA-FAKE-OLD-4</AccessKeyId></member><member><AccessKeyId>AKIA-FAKE-OLD-5</AccessKeyId></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>",
        );
        aws.script("ListAccessKeys", listed);
        await fails(
            confirmAccessKeysGone(ctx("IAM ListAccessKeys for raxx-ci"), { region: "eu-west-1", userName: "raxx-ci", retiredKeyIds: ["AKIA-FAKE-OLD-5", "AKIA-FAKE-OLD-4"] }),
            /^awsAccessKey raxx-ci slot b: IAM ListAccessKeys for raxx-ci failed: IAM still lists AKIA-FAKE-OLD-5, AKIA-FAKE-OLD-4 for user raxx-ci \(\d+ tries within the check's limit of 100 ms\)\.$/,
        );
    });

    it("STS: an answer that is not XML fails at once, named by its HTTP status", async () => {
        aws.script("GetCallerIdentity", { status: 400, body: "not xml" });
        await fails(verifyAccessKey(ctx(STS), key()), /^awsAccessKey raxx-ci slot b: STS GetCallerIdentity with the new key failed: STS answered HTTP 400: @aws-sdk XML parse error: unexpected content\.\s/);
        assert.equal(aws.requests.length, 1);
    });

    it("SSM: an error AWS gives no words for is named by its code alone, and one with words by both, each at once", async () => {
        const SSM = `SSM GetParameter ${PARAMETER}`;
        aws.script("GetParameter", jsonReply(418, {}));
        await fails(readParameter(ctx(SSM), { region: "eu-west-1", name: PARAMETER }), `${SUBJECT}: ${SSM} failed: SSM answered Unknown.`);
        aws.script("GetParameter", jsonReply(400, { __type: "com.amazon.coral.validate#ValidationException", message: "Parameter name: can't be prefixed with \"aws\"." }));
        await fails(readParameter(ctx(SSM), { region: "eu-west-1", name: PARAMETER }), `${SUBJECT}: ${SSM} failed: SSM answered ValidationException: Parameter name: can't be prefixed with "aws".`);
        assert.equal(aws.requests.length, 2);
    });

    it("STS: a client that cannot be made (a region that is no hostname) fails at once, sending nothing, with the SDK's reason", async () => {
        await fails(
            verifyAccessKey(ctx(STS), { ...key(), region: "not a region!" }),
            `${SUBJECT}: ${STS} failed: STS call failed: Region not accepted: region="not a region!" is not a valid hostname component.`,
        );
        assert.equal(aws.requests.length, 0);
    });

    it("STS: an endpoint that is no URL is a network error at an endpoint it cannot name, asked again to the deadline", async () => {
        process.env.AWS_ENDPOINT_URL_STS = "not-a-url";
        await fails(verifyAccessKey(ctx(STS), key()), /^awsAccessKey raxx-ci slot b: STS GetCallerIdentity with the new key failed: network error reaching STS at its endpoint: ERR_INVALID_URL \(\d+ tries within the check's limit of 100 ms\)\.$/);
    });

    it("STS: masks the new key's secret where AWS's words echo it, and drops the words' trailing dots before the count of tries", async () => {
        aws.script("GetCallerIdentity", xmlError(403, "ExpiredToken", `The key signed with ${KEY.secret} has expired`));
        await fails(verifyAccessKey(ctx(STS), key()), `${SUBJECT}: ${STS} failed: STS answered ExpiredToken: The key signed with [redacted] has expired.`);
        aws.script("GetCallerIdentity", xmlError(503, "ServiceUnavailable", "Service is unavailable. ."));
        await fails(verifyAccessKey(ctx(STS), key()), /^awsAccessKey raxx-ci slot b: STS GetCallerIdentity with the new key failed: STS answered ServiceUnavailable: Service is unavailable \(\d+ tries within the check's limit of 100 ms\)\.$/);
    });

    it("STS: a 429 is asked again whatever its code", async () => {
        aws.script("GetCallerIdentity", xmlError(429, "SlowDown", "Reduce your request rate"), xmlResult("GetCallerIdentity", `<Arn>${ARN}</Arn>`));
        assert.deepEqual(await verifyAccessKey(ctx(STS, 2000), key()), { arn: ARN });
        assert.equal(aws.requests.length, 2);
    });
});
