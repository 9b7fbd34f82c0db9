// The answers tests/verify/awsAnswers.test.ts scripts for the AWS check functions, given to the
// check providers as the engine runs them (the serialized text in the emulated host): STS for a
// new key (CredentialCheck awsAccessKey), IAM's list after a rotation (its update), and SSM for
// a parameter written (ConsumerCheck ssmParameter).
import { strict as assert } from "node:assert";

import { checkedCreate } from "../harness/serializedProvider";
import { CheckTexts, checkTexts, consumerInputs, failsWith, host, useFakes } from "./helpers";
import { ScriptedServer } from "../harness/scriptedServer";
import { actionOf, jsonReply, paramsOf, scriptedAws, xmlError, xmlResult } from "./scripted";

const KEY = { id: "AKIA-FAKE-SCRIPTED-1", secret: "scripted-secret-8e2b-do-not-leak" };
const OLD = { id: "AKIA-FAKE-OLD-4", secret: "scripted-old-secret-1c3d-do-not-leak" };
const ARN = "arn:aws:iam::521228113048:user/raxx-ci";
const PARAMETER = "/raxx/ci/aws-secret-access-key";
const VALUE = "held-value-5e7f-do-not-leak";
const STS = "someCredential slot b: STS GetCallerIdentity with the new key failed:";
const SSM = `the place (someCredential): SSM GetParameter ${PARAMETER} failed:`;
const SECRETS = [KEY.secret, OLD.secret, VALUE];

describe("AWS checks' scripted answers, through the serialized providers", () => {
    useFakes();
    let texts: CheckTexts;
    let aws: ScriptedServer;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });
    beforeEach(async () => {
        aws = await scriptedAws().start();
        Object.assign(process.env, { AWS_ENDPOINT_URL_STS: aws.url, AWS_ENDPOINT_URL_IAM: aws.url, AWS_ENDPOINT_URL_SSM: aws.url });
    });
    afterEach(async () => {
        await aws.stop();
    });

    const fails = (p: Promise<unknown>, message: string | RegExp) => failsWith(p, message, SECRETS);
    const inputs = (value: { id: string; secret: string } = KEY, expect: Record<string, unknown> = {}) => ({
        credential: "someCredential",
        slot: "b",
        kind: "awsAccessKey",
        enabled: true,
        timeoutSeconds: 1,
        value: { accessKeyId: value.id, secretAccessKey: value.secret },
        expect: { arn: ARN, userName: "raxx-ci", region: "eu-west-1", ...expect },
        __provider: texts.credential,
    });
    const arn = xmlResult("GetCallerIdentity", `<Arn>${ARN}</Arn>`);

    it("STS: fails at once on an answer without an ARN, on an error asking again cannot change (its words masked), on an answer that is not XML", async () => {
        aws.script("GetCallerIdentity", xmlResult("GetCallerIdentity", "<Account>521228113048</Account>"));
        await fails(checkedCreate(host(), inputs()), `${STS} STS answered no ARN, not ${ARN}. The key ${KEY.id} belongs to another identity: check which user it was made for.`);
        aws.script("GetCallerIdentity", xmlError(403, "ExpiredToken", "The security token included in the request is expired"));
        await fails(checkedCreate(host(), inputs()), `${STS} STS answered ExpiredToken: The security token included in the request is expired.`);
        aws.script("GetCallerIdentity", xmlError(403, "ExpiredToken", `The key signed with ${KEY.secret} has expired`));
        await fails(checkedCreate(host(), inputs()), `${STS} STS answered ExpiredToken: The key signed with [redacted] has expired.`);
        aws.script("GetCallerIdentity", { status: 400, body: "not xml" });
        await fails(checkedCreate(host(), inputs()), /^someCredential slot b: STS GetCallerIdentity with the new key failed: STS answered HTTP 400: @aws-sdk XML parse error: unexpected content\.\s/);
        assert.equal(aws.requests.length, 4);
    });

    it("STS: asks again after a 5xx, a 429 of any code, each throttling code and each answer a brand-new key gets, then passes", async () => {
        const codes = ["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied"];
        const firsts = [xmlError(503, "ServiceUnavailable", "Service is unavailable"), xmlError(429, "SlowDown", "Reduce your request rate"), ...codes.map((code) => xmlError(400, code, "not now"))];
        for (const first of firsts) {
            aws.requests.splice(0);
            aws.script("GetCallerIdentity", first, arn);
            const { outs } = await checkedCreate(host(), inputs(KEY, {}));
            assert.equal(outs.result, `passed: STS GetCallerIdentity with the new key answered ${ARN}`);
            assert.equal(aws.requests.length, 2, String(first.body));
        }
    });

    it("STS: a 5xx to the deadline names AWS's words without their trailing dots", async () => {
        aws.script("GetCallerIdentity", xmlError(503, "ServiceUnavailable", "Service is unavailable. ."));
        await fails(checkedCreate(host(), inputs()), /^someCredential slot b: STS GetCallerIdentity with the new key failed: STS answered ServiceUnavailable: Service is unavailable \(\d+ tries within the check's limit of 1 s\)\.$/);
    });

    it("STS: a region that is no hostname fails at once, sending nothing; an endpoint that is no URL is a network error to the deadline", async () => {
        await fails(
            checkedCreate(host(), inputs(KEY, { region: "not a region!" })),
            `${STS} STS call failed: Region not accepted: region="not a region!" is not a valid hostname component.`,
        );
        assert.equal(aws.requests.length, 0);
        process.env.AWS_ENDPOINT_URL_STS = "not-a-url";
        await fails(checkedCreate(host(), inputs()), /^someCredential slot b: STS GetCallerIdentity with the new key failed: network error reaching STS at its endpoint: ERR_INVALID_URL \(\d+ tries within the check's limit of 1 s\)\.$/);
    });

    it("IAM, after a rotation: a page that says it is the last ends the listing, whatever marker it carries", async () => {
        const page = (ids: string[], marker?: string) =>
            xmlResult(
                "ListAccessKeys",
                `<UserName>raxx-ci</UserName><AccessKeyMetadata>${ids.map((id) => `<member><AccessKeyId>${id}</AccessKeyId><UserName>raxx-ci</UserName><Status>Active</Status></member>`).join("")}</AccessKeyMetadata>` +
                    `<IsTruncated>false</IsTruncated>${marker === undefined ? "" : `<Marker>${marker}</Marker>`}`,
            );
        aws.script("GetCallerIdentity", arn);
        aws.script("ListAccessKeys", page([KEY.id], "bWFya2Vy"), page([OLD.id]));
        const olds = { ...inputs(OLD), checkedAt: "2026-08-04T00:00:00.000Z", result: "passed: earlier" };
        const { outs } = await host().update("someCredential/b", olds, inputs());
        assert.equal(outs.revocation, `the old key ${OLD.id} is gone from ListAccessKeys`);
        assert.deepEqual(aws.requests.filter((r) => actionOf(r) === "ListAccessKeys").map((r) => paramsOf(r).Marker), [undefined]);
    });

    it("SSM: fails at once on an answer without a value, a version or a parameter, on an error with no words (its code alone) and one with words", async () => {
        const where = { region: "eu-west-1", name: PARAMETER };
        const check = () => checkedCreate(host(), consumerInputs(texts.consumer, VALUE, "ssmParameter", where));
        for (const parameter of [{ Name: PARAMETER, Version: 3 }, { Name: PARAMETER, Value: VALUE }, undefined]) {
            aws.script("GetParameter", jsonReply(200, parameter === undefined ? {} : { Parameter: parameter }));
            await fails(check(), `${SSM} SSM answered no value or version for ${PARAMETER}.`);
        }
        aws.script("GetParameter", jsonReply(418, {}));
        await fails(check(), `${SSM} SSM answered Unknown.`);
        aws.script("GetParameter", jsonReply(400, { __type: "com.amazon.coral.validate#ValidationException", message: "Parameter name: can't be prefixed with \"aws\"." }));
        await fails(check(), `${SSM} SSM answered ValidationException: Parameter name: can't be prefixed with "aws".`);
        assert.equal(aws.requests.length, 5);
    });
});
