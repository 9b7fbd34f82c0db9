// The AWS and Cloudflare checks under the real engine, against fakes of STS, IAM, SSM and
// Cloudflare's tokens. Their issuers (the AWS and Cloudflare plugins) cannot run here, so the
// program hands the checks the credentials itself; what runs is the checks' own code as the
// engine's provider host rebuilds it, the AWS SDK it requires when a check runs included.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";

import { ConsumerCheck, CredentialCheck } from "../../providers/verify";
import { FakeAws } from "../harness/fakeAws";
import { FakeCloudflareTokens } from "../verify/fakeCloudflareTokens";
import { Engine, EngineStack } from "./harness";

const ACCOUNT = "521228113048";
const USER = "raxx-billing-readonly";
const ARN = `arn:aws:iam::${ACCOUNT}:user/${USER}`;
const DEPLOYER = { id: "AKIA-FAKE-ENGINE-DEPLOYER", secret: "engine-deployer-secret-1c5e-do-not-leak" };
const KEYS = {
    one: { id: "AKIA-FAKE-ENGINE-KEY-1", secret: "engine-key-one-secret-7a2b-do-not-leak" },
    two: { id: "AKIA-FAKE-ENGINE-KEY-2", secret: "engine-key-two-secret-3d9f-do-not-leak" },
};
const CF_TOKEN = "engine-cf-stack-token-5b1e-do-not-leak";
const CF = { one: "engine-cf-billing-one-8c3a-do-not-leak", two: "engine-cf-billing-two-2e6d-do-not-leak" };
const GROUP = "b111ee7ead0000000000000000000001";
const RESOURCES = { "com.cloudflare.api.account.0a1b2c3d4e5f60718293a4b5c6d7e8f9": "*" };
const PARAMETER = "/raxx/billing-readonly/aws_secret_access_key";
const SECRETS = [DEPLOYER.secret, KEYS.one.secret, KEYS.two.secret, CF_TOKEN, CF.one, CF.two];

describe("engine: the AWS and Cloudflare checks, as the provider host runs them", function () {
    this.timeout(300_000);
    let engine: Engine;
    let aws: FakeAws;
    let cloudflare: FakeCloudflareTokens;
    let stack: EngineStack;
    /** Which key and token slot b holds. */
    const state = { key: KEYS.one, token: CF.one, tokenId: "cf-token-one" };

    before(async () => {
        engine = await Engine.start();
        aws = await new FakeAws().start();
        aws.addUser("raxx-platform-deployer", `arn:aws:iam::${ACCOUNT}:user/raxx-platform-deployer`);
        aws.addKey("raxx-platform-deployer", DEPLOYER.id, DEPLOYER.secret);
        aws.addUser(USER, ARN);
        aws.addKey(USER, KEYS.one.id, KEYS.one.secret);
        cloudflare = await new FakeCloudflareTokens().start();
        cloudflare.apiToken = CF_TOKEN;
        const policies = [{ id: "p", effect: "allow", resources: RESOURCES, permission_groups: [{ id: GROUP, name: "Billing Read" }] }];
        cloudflare.add(CF.one, { id: "cf-token-one", status: "active", policies });
        cloudflare.add(CF.two, { id: "cf-token-two", status: "active", policies });
        aws.putParameter(PARAMETER, KEYS.one.secret);
        const checks = { enabled: true, timeoutSeconds: 3 };
        stack = await engine.stack("prod", async () => {
            const key = new CredentialCheck("billing-aws-check-b", {
                ...checks,
                credential: "awsBillingKey",
                slot: "b",
                kind: "awsAccessKey",
                value: { accessKeyId: state.key.id, secretAccessKey: pulumi.secret(state.key.secret) },
                expect: { arn: ARN, userName: USER, region: "us-east-1" },
            });
            new CredentialCheck("billing-cloudflare-check-b", {
                ...checks,
                credential: "cloudflareBillingToken",
                slot: "b",
                kind: "cloudflareApiToken",
                value: { token: pulumi.secret(state.token) },
                expect: { tokenId: state.tokenId, policies: [{ effect: "allow", permissionGroupIds: [GROUP], resources: RESOURCES }] },
            });
            new ConsumerCheck(
                "raxx-billing-readonly-aws_secret_access_key-check",
                { ...checks, credential: "awsBillingKey", consumer: `ssm ${PARAMETER}`, kind: "ssmParameter", value: pulumi.secret(state.key.secret), where: { region: "us-east-1", name: PARAMETER } },
                { dependsOn: [key] },
            );
        }, {
            env: {
                ...aws.env(DEPLOYER, "us-east-1"),
                CLOUDFLARE_API_TOKEN: CF_TOKEN,
                CLOUDFLARE_API_BASE_URL: `${cloudflare.url}/client/v4`,
                VERIFY_BACKOFF_MS: "20",
            },
        });
    });
    after(async () => {
        await aws?.stop();
        await cloudflare?.stop();
        await engine?.stop();
    });

    async function results(): Promise<Record<string, unknown>> {
        const rs = await stack.resources();
        return Object.fromEntries(
            rs.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/verify:")).map((r) => [r.urn.split("::").pop()!, [(r.outputs as { result?: unknown }).result, (r.outputs as { revocation?: unknown }).revocation ?? null]]),
        );
    }

    function assertNoSecret(text: string): void {
        for (const s of SECRETS) assert.ok(!text.includes(s), "a secret is in the output");
    }

    it("passes: STS answers the user's ARN, Cloudflare the token active with its policies, SSM the value's hash", async () => {
        await stack.up();
        assert.deepEqual(await results(), {
            "billing-aws-check-b": [`passed: STS GetCallerIdentity with the new key answered ${ARN}`, null],
            "billing-cloudflare-check-b": ["passed: GET /user/tokens/verify answered token cf-token-one active; its policies are the declared ones", null],
            "raxx-billing-readonly-aws_secret_access_key-check": [`passed: ${PARAMETER} version 1 has the value written (SHA-256 equal)`, null],
        });
        assertNoSecret(await stack.exportText());
    });

    it("a rotation whose old key is still listed fails the up, naming the key, and the SSM check does not run", async () => {
        aws.addKey(USER, KEYS.two.id, KEYS.two.secret);
        aws.putParameter(PARAMETER, KEYS.two.secret);
        const ssmCalls = aws.calls("GetParameter");
        Object.assign(state, { key: KEYS.two });
        const o = await stack.outcome([], (s) => s.up());
        assert.notEqual(o.code, 0);
        const output = `${o.stdout}\n${o.stderr}`;
        assert.match(output, new RegExp(`awsBillingKey slot b: IAM ListAccessKeys for ${USER}, after the old key's delete failed: .*${KEYS.one.id}`));
        assertNoSecret(output);
        assert.equal(aws.calls("GetParameter"), ssmCalls, "the parameter's check waited for the key's");
    });

    it("once the old key is gone, the same up confirms it, and the new token's and parameter's checks pass", async () => {
        aws.deleteKey(KEYS.one.id);
        Object.assign(state, { token: CF.two, tokenId: "cf-token-two" });
        cloudflare.remove(CF.one);
        await stack.up();
        assert.deepEqual(await results(), {
            "billing-aws-check-b": [`passed: STS GetCallerIdentity with the new key answered ${ARN}`, `the old key ${KEYS.one.id} is gone from ListAccessKeys`],
            "billing-cloudflare-check-b": ["passed: GET /user/tokens/verify answered token cf-token-two active; its policies are the declared ones", "Cloudflare no longer accepts the old token cf-token-one"],
            "raxx-billing-readonly-aws_secret_access_key-check": [`passed: ${PARAMETER} version 2 has the value written (SHA-256 equal)`, null],
        });
        assertNoSecret(await stack.exportText());
    });
});
