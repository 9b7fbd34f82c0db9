// The rotating components one by one, each constructed alone under mocks with small
// arguments: the issuer in each dated slot (its inputs, parent, replace trigger and
// replacement order), the check of each slot (its kind, the credential it checks as a
// secret, and what it expects), what the component hands consumers, and what it records
// as its outputs in the state.
//
// Every run happens inside its test, never in a `before` hook or a cached whole-stack run:
// `npm run mutate` attributes a mutant to the tests that execute it, and a cached run
// would show every mutant the unmutated result.
import { strict as assert } from "node:assert";
import { RotatingApiToken } from "../components/cloudflare/rotatingApiToken";
import { RotatingServiceToken } from "../components/cloudflare/rotatingServiceToken";
import { RotatingAuthorization } from "../components/heroku/rotatingAuthorization";
import { PolicyDocument } from "../components/iam/policies";
import { ServiceUser } from "../components/iam/serviceUser";
import { RotatingPassword } from "../components/random/rotatingPassword";
import { RotatingToken } from "../components/random/rotatingToken";
import { Rotation } from "../components/rotation";
import { Checks } from "../components/verification";
import { FakeOutputs, MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../scripts/lib/offline/mocks";
import { byName, okRun, ofType } from "./harness/query";

const A = "2026-05-06";
const B = "2026-08-04";
/** Both slots dated, b active: what consumers get must be b's, never a's. */
const ROTATION: Rotation = { active: "b", dates: { a: A, b: B }, maxAgeDays: 90 };
const CHECKS: Checks = { enabled: true, githubOwner: "raxx-test" };

const CREDENTIAL_CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const API_TOKEN = "cloudflare:index/apiToken:ApiToken";
const SERVICE_TOKEN = "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken";
const AUTHORIZATION = "pulumi-nodejs:dynamic/heroku:Authorization";
const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const BYTES = "random:index/randomBytes:RandomBytes";

/** What each cloud returns for a resource, besides its inputs and the id `<name>-id`: distinct per resource. */
const fakes: FakeOutputs = ({ type, name, inputs }) => {
    switch (type) {
        case API_TOKEN:
            return { value: `fake-cloudflare-token-of-${name}` };
        case SERVICE_TOKEN:
            return { clientId: `fake-client-id-of-${name}.access`, clientSecret: `fake-client-secret-of-${name}` };
        case AUTHORIZATION:
            return { authorizationId: `fake-authorization-id-of-${name}`, token: `fake-heroku-token-of-${name}`, ownerId: "fake-heroku-owner" };
        case "aws:iam/user:User":
            return { arn: `arn:aws:iam::123456789012:user/${String(inputs.name)}` };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::123456789012:policy/${String(inputs.name)}` };
        case ACCESS_KEY:
            return { secret: `fake-secret-access-key-of-${name}` };
        case PASSWORD:
            return { result: `fake-password-of-${name}` };
        case BYTES:
            return { hex: `fake-hex-of-${name}` };
        default:
            return undefined;
    }
};

/** Runs `program` (which constructs one component and returns what it hands consumers) under mocks; fails on any error. */
function run(program: () => Record<string, unknown>): Promise<MockRunResult> {
    return okRun(runWithMocks(program, { outputs: fakes }));
}

/** A registration's inputs as sent, without a dynamic resource's provider text. */
function inputsOf(reg: Registration): Record<string, unknown> {
    const { __provider: _provider, ...rest } = reg.inputs;
    return rest;
}

/** Each registration of `type`: name, inputs, whether its parent is `parent`, and the options that decide how a slot is replaced. */
function slots(result: MockRunResult, type: string, parent: string) {
    const component = byName(result, parent);
    return ofType(result, type).map((r) => ({
        name: r.name,
        inputs: inputsOf(r),
        underComponent: r.parent === component.urn,
        replacementTrigger: r.options.replacementTrigger,
        deleteBeforeReplace: r.options.deleteBeforeReplace,
    }));
}

/** Each CredentialCheck under `parent`: its inputs, with `value` unwrapped after asserting it is sent as a secret. */
function checks(result: MockRunResult, parent: string) {
    const component = byName(result, parent);
    return ofType(result, CREDENTIAL_CHECK).map((r) => {
        assert.ok(isSecretValue(r.inputs.value), `${r.name}: value is not sent as a secret`);
        return { name: r.name, underComponent: r.parent === component.urn, inputs: { ...inputsOf(r), value: plain(r.inputs.value) } };
    });
}

/** What the component named `name` recorded as its outputs in the state, with the fields in `secret` unwrapped after asserting they are secret. */
function recorded(result: MockRunResult, name: string, secret: string[]): Record<string, unknown> {
    const outputs = result.componentOutputs?.[byName(result, name).urn];
    assert.ok(outputs !== undefined, `${name} recorded no outputs`);
    const out: Record<string, unknown> = { ...outputs };
    for (const key of Object.keys(out)) {
        assert.equal(isSecretValue(out[key]), secret.includes(key), `${name}: output ${key} secret`);
        out[key] = plain(out[key]);
    }
    return out;
}

describe("RotatingApiToken", () => {
    const RESOURCES = { "com.cloudflare.api.account.acc123": "*" };
    const make = () => new RotatingApiToken("cf", { credential: "cloudflareBillingToken", tokenName: "raxx-test-token", permissionGroupIds: ["group-1", "group-2"], resources: RESOURCES, rotation: ROTATION, checks: CHECKS });

    it("declares the token with its one allow policy in each dated slot, replaced delete-first when the slot's date changes", async () => {
        const result = await run(() => (make(), {}));
        const policies = [{ effect: "allow", permissionGroups: [{ id: "group-1" }, { id: "group-2" }], resources: JSON.stringify(RESOURCES) }];
        assert.deepEqual(slots(result, API_TOKEN, "cf"), [
            { name: "cf-token-a", inputs: { name: "raxx-test-token", policies }, underComponent: true, replacementTrigger: A, deleteBeforeReplace: true },
            { name: "cf-token-b", inputs: { name: "raxx-test-token", policies }, underComponent: true, replacementTrigger: B, deleteBeforeReplace: true },
        ]);
    });

    it("checks each slot's token as a cloudflareApiToken, expecting that token's id and exactly its one allow policy", async () => {
        const result = await run(() => (make(), {}));
        const expect = (slot: string) => ({ tokenId: `cf-token-${slot}-id`, policies: [{ effect: "allow", permissionGroupIds: ["group-1", "group-2"], resources: RESOURCES }] });
        assert.deepEqual(checks(result, "cf"), ["a", "b"].map((slot) => ({
            name: `cf-check-${slot}`,
            underComponent: true,
            inputs: { credential: "cloudflareBillingToken", slot, kind: "cloudflareApiToken", enabled: true, timeoutSeconds: 30, value: { token: `fake-cloudflare-token-of-cf-token-${slot}` }, expect: expect(slot) },
        })));
    });

    it("hands out every slot's token id", async () => {
        const result = await run(() => ({ tokenIds: make().tokenIds }));
        assert.deepEqual(result.outputs.tokenIds, { a: "cf-token-a-id", b: "cf-token-b-id" });
        assert.deepEqual(result.secretOutputs, []);
    });

    it("records the active slot's token, as a secret, and every slot's token id as its outputs in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "cf", ["value"]), { value: "fake-cloudflare-token-of-cf-token-b", tokenIds: { a: "cf-token-a-id", b: "cf-token-b-id" } });
    });
});

describe("RotatingServiceToken", () => {
    const make = () => new RotatingServiceToken("access", { credential: "vaultAccessToken", accountId: "acc123", namePrefix: "raxx-vault", lifetimeDays: 30, rotation: ROTATION });

    it("declares a token named by its date in each dated slot, valid for the lifetime given in hours, created before the slot's old one is deleted", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(slots(result, SERVICE_TOKEN, "access"), [
            { name: "access-token-a", inputs: { accountId: "acc123", name: `raxx-vault-${A}`, duration: "720h" }, underComponent: true, replacementTrigger: A, deleteBeforeReplace: false },
            { name: "access-token-b", inputs: { accountId: "acc123", name: `raxx-vault-${B}`, duration: "720h" }, underComponent: true, replacementTrigger: B, deleteBeforeReplace: false },
        ]);
    });

    it("hands out the active slot's client id and client secret together, as a secret", async () => {
        const result = await run(() => ({ credentials: make().credentials }));
        assert.deepEqual(result.secretOutputs, ["credentials"]);
        assert.deepEqual(result.outputs.credentials, { clientId: "fake-client-id-of-access-token-b.access", clientSecret: "fake-client-secret-of-access-token-b" });
    });

    it("records every slot's token id as its outputs in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "access", []), { tokenIds: { a: "access-token-a-id", b: "access-token-b-id" } });
    });
});

describe("RotatingAuthorization", () => {
    const make = (scope?: string[]) => new RotatingAuthorization("heroku", { credential: "herokuBillingToken", descriptionPrefix: "raxx-test", scope, rotation: ROTATION, checks: CHECKS });

    it("declares an authorization with the global scope, described by its date, in each dated slot, when no scope is given", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(slots(result, AUTHORIZATION, "heroku"), [
            { name: "heroku-authorization-a", inputs: { scope: ["global"], description: `raxx-test-${A}` }, underComponent: true, replacementTrigger: A, deleteBeforeReplace: false },
            { name: "heroku-authorization-b", inputs: { scope: ["global"], description: `raxx-test-${B}` }, underComponent: true, replacementTrigger: B, deleteBeforeReplace: false },
        ]);
    });

    it("declares each slot's authorization with exactly the scope given", async () => {
        const result = await run(() => (make(["identity", "read"]), {}));
        assert.deepEqual(
            ofType(result, AUTHORIZATION).map((r) => [r.name, r.inputs.scope]),
            [
                ["heroku-authorization-a", ["identity", "read"]],
                ["heroku-authorization-b", ["identity", "read"]],
            ],
        );
    });

    it("checks each slot's token as a herokuAuthorization, expecting that authorization's owner, id and scope", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(checks(result, "heroku"), ["a", "b"].map((slot) => ({
            name: `heroku-check-${slot}`,
            underComponent: true,
            inputs: {
                credential: "herokuBillingToken",
                slot,
                kind: "herokuAuthorization",
                enabled: true,
                timeoutSeconds: 30,
                value: { token: `fake-heroku-token-of-heroku-authorization-${slot}` },
                expect: { accountId: "fake-heroku-owner", authorizationId: `fake-authorization-id-of-heroku-authorization-${slot}`, scope: ["global"] },
            },
        })));
    });

    it("hands out every slot's authorization id", async () => {
        const result = await run(() => ({ authorizationIds: make().authorizationIds }));
        assert.deepEqual(result.outputs.authorizationIds, { a: "fake-authorization-id-of-heroku-authorization-a", b: "fake-authorization-id-of-heroku-authorization-b" });
        assert.deepEqual(result.secretOutputs, []);
    });

    it("records the active slot's authorization id, its token as a secret, and every slot's authorization id as its outputs in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "heroku", ["token"]), {
            authorizationId: "fake-authorization-id-of-heroku-authorization-b",
            authorizationIds: { a: "fake-authorization-id-of-heroku-authorization-a", b: "fake-authorization-id-of-heroku-authorization-b" },
            token: "fake-heroku-token-of-heroku-authorization-b",
        });
    });
});

describe("ServiceUser", () => {
    const POLICY: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Read", Effect: "Allow", Action: ["ce:GetCostAndUsage"], Resource: "*" }] };
    const TAGS = { team: "platform" };
    const USER_ARN = "arn:aws:iam::123456789012:user/raxx-test-user";
    const POLICY_ARN = "arn:aws:iam::123456789012:policy/raxx-test-policy";
    const make = () =>
        new ServiceUser("svc", {
            credential: "awsBillingKey",
            userName: "raxx-test-user",
            policyName: "raxx-test-policy",
            policyDescription: "what the test user may do",
            policy: POLICY,
            rotation: ROTATION,
            tags: TAGS,
            checks: CHECKS,
            region: "eu-west-1",
        });

    it("declares the IAM user, named and tagged as given, under the component and protected from deletion", async () => {
        const result = await run(() => (make(), {}));
        const user = byName(result, "svc-user");
        assert.deepEqual(
            { type: user.type, inputs: user.inputs, underComponent: user.parent === byName(result, "svc").urn, protect: user.options.protect },
            { type: "aws:iam/user:User", inputs: { name: "raxx-test-user", tags: TAGS }, underComponent: true, protect: true },
        );
    });

    it("declares the policy as given under the component, never changing its description after creation", async () => {
        const result = await run(() => (make(), {}));
        const policy = byName(result, "svc-policy");
        assert.deepEqual(
            { type: policy.type, inputs: policy.inputs, underComponent: policy.parent === byName(result, "svc").urn, ignoreChanges: policy.options.ignoreChanges, protect: policy.options.protect },
            {
                type: "aws:iam/policy:Policy",
                inputs: { name: "raxx-test-policy", description: "what the test user may do", policy: JSON.stringify(POLICY), tags: TAGS },
                underComponent: true,
                ignoreChanges: ["description"],
                protect: false,
            },
        );
    });

    it("attaches the policy to the user, under the component", async () => {
        const result = await run(() => (make(), {}));
        const attachment = byName(result, "svc-policy-attachment");
        assert.deepEqual(
            { type: attachment.type, inputs: attachment.inputs, underComponent: attachment.parent === byName(result, "svc").urn },
            { type: "aws:iam/userPolicyAttachment:UserPolicyAttachment", inputs: { user: "raxx-test-user", policyArn: POLICY_ARN }, underComponent: true },
        );
    });

    it("declares an access key for the user in each dated slot, deleting the slot's old key before creating its new one", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(slots(result, ACCESS_KEY, "svc"), [
            { name: "svc-access-key-a", inputs: { user: "raxx-test-user" }, underComponent: true, replacementTrigger: A, deleteBeforeReplace: true },
            { name: "svc-access-key-b", inputs: { user: "raxx-test-user" }, underComponent: true, replacementTrigger: B, deleteBeforeReplace: true },
        ]);
    });

    it("checks each slot's key as an awsAccessKey, expecting the user's ARN and name in the region given", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(checks(result, "svc"), ["a", "b"].map((slot) => ({
            name: `svc-check-${slot}`,
            underComponent: true,
            inputs: {
                credential: "awsBillingKey",
                slot,
                kind: "awsAccessKey",
                enabled: true,
                timeoutSeconds: 60,
                value: { accessKeyId: `svc-access-key-${slot}-id`, secretAccessKey: `fake-secret-access-key-of-svc-access-key-${slot}` },
                expect: { arn: USER_ARN, userName: "raxx-test-user", region: "eu-west-1" },
            },
        })));
    });

    it("records the user, the policy, the active slot's key (its secret as a secret) and every slot's key id as its outputs in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "svc", ["secretAccessKey"]), {
            userName: "raxx-test-user",
            userArn: USER_ARN,
            policyArn: POLICY_ARN,
            accessKeyId: "svc-access-key-b-id",
            secretAccessKey: "fake-secret-access-key-of-svc-access-key-b",
            accessKeyIds: { a: "svc-access-key-a-id", b: "svc-access-key-b-id" },
        });
    });
});

describe("RotatingPassword", () => {
    const make = () => new RotatingPassword("pw", { credential: "workspaceNoReplyPassword", rotation: ROTATION, checks: CHECKS });

    it("declares in each dated slot a password of 40 letters and digits, with an upper and a lower case letter and a digit, and nothing to escape", async () => {
        const result = await run(() => (make(), {}));
        const inputs = { length: 40, special: false, minUpper: 1, minLower: 1, minNumeric: 1 };
        assert.deepEqual(slots(result, PASSWORD, "pw"), [
            { name: "pw-password-a", inputs, underComponent: true, replacementTrigger: A, deleteBeforeReplace: false },
            { name: "pw-password-b", inputs, underComponent: true, replacementTrigger: B, deleteBeforeReplace: false },
        ]);
    });

    it("checks each slot's password as a randomPassword of 40 characters", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(checks(result, "pw"), ["a", "b"].map((slot) => ({
            name: `pw-check-${slot}`,
            underComponent: true,
            inputs: { credential: "workspaceNoReplyPassword", slot, kind: "randomPassword", enabled: true, timeoutSeconds: 1, value: { password: `fake-password-of-pw-password-${slot}` }, expect: { length: 40 } },
        })));
    });

    it("records the active slot's password, as a secret, as its output in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "pw", ["password"]), { password: "fake-password-of-pw-password-b" });
    });
});

describe("RotatingToken", () => {
    const make = () => new RotatingToken("tok", { credential: "auditIngestToken", bytes: 16, rotation: ROTATION, checks: CHECKS });

    it("checks each slot's token as randomBytes of the byte count given", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(checks(result, "tok"), ["a", "b"].map((slot) => ({
            name: `tok-check-${slot}`,
            underComponent: true,
            inputs: { credential: "auditIngestToken", slot, kind: "randomBytes", enabled: true, timeoutSeconds: 1, value: { hex: `fake-hex-of-tok-bytes-${slot}` }, expect: { bytes: 16 } },
        })));
    });

    it("records the active slot's token, as a secret, as its output in the state", async () => {
        const result = await run(() => (make(), {}));
        assert.deepEqual(recorded(result, "tok", ["hex"]), { hex: "fake-hex-of-tok-bytes-b" });
    });
});
