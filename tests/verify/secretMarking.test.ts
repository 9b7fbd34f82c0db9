// The two check resources as the program registers them, each given values that are NOT
// already secret: only their own pulumi.secret() and additionalSecretOutputs keep the
// credential encrypted in state. tests/secret-marking.test.ts checks the same marks beside
// the other dynamic resources; these cases sit with the verify group's tests so that a
// mutant of providers/verify/ meets them, each registration made inside its test.
import { strict as assert } from "node:assert";

import { CREDENTIAL_CHECK_KINDS, ConsumerCheck, CredentialCheck } from "../../providers/verify";
import { MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../../scripts/lib/offline/mocks";
import { freshCopy } from "../harness/serializedProvider";
import type * as credentialCheckModule from "../../providers/verify/credentialCheck";

const PLAIN = "plain-value-not-yet-secret-3f9a";
const ACCESS = { clientId: "plain-client-id-5e0c", clientSecret: "plain-client-secret-7d21" };
const CREDENTIAL_TYPE = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const CONSUMER_TYPE = "pulumi-nodejs:dynamic/verify:ConsumerCheck";

/** The one registration of `type`, after a run without error. */
function only(result: MockRunResult, type: string, name: string): Registration {
    assert.equal(result.error, undefined, String(result.error));
    const found = result.registrations.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `one ${type} named ${name}`);
    return found[0];
}

/** Every input but the provider's text, as [secret?, plain value]. */
function inputsOf(reg: Registration): Record<string, [boolean, unknown]> {
    assert.equal(typeof reg.inputs.__provider, "string", "the provider's text is an input");
    return Object.fromEntries(
        Object.keys(reg.inputs)
            .filter((k) => k !== "__provider")
            .sort()
            .map((k) => [k, [isSecretValue(reg.inputs[k]), plain(reg.inputs[k])]]),
    );
}

describe("the check resources mark the credential secret themselves (providers/verify)", () => {
    it("a credential check registers its value secret, everything else plain, and declares value an additional secret output", async () => {
        const r = await runWithMocks(() => {
            new CredentialCheck("c", { credential: "auditIngestToken", slot: "a", kind: "randomBytes", enabled: true, timeoutSeconds: 7, value: { hex: PLAIN }, expect: { bytes: 16 } });
        });
        const reg = only(r, CREDENTIAL_TYPE, "c");
        assert.deepEqual(inputsOf(reg), {
            credential: [false, "auditIngestToken"],
            enabled: [false, true],
            expect: [false, { bytes: 16 }],
            kind: [false, "randomBytes"],
            slot: [false, "a"],
            timeoutSeconds: [false, 7],
            value: [true, { hex: PLAIN }],
        });
        assert.deepEqual(reg.options.additionalSecretOutputs, ["value"]);
    });

    it("a credential check keeps the caller's additionalSecretOutputs and adds value after them", async () => {
        const r = await runWithMocks(() => {
            new CredentialCheck("c", { credential: "auditIngestToken", slot: "b", kind: "randomPassword", enabled: false, value: { password: PLAIN }, expect: { length: 40 } }, { additionalSecretOutputs: ["callers"] });
        });
        const reg = only(r, CREDENTIAL_TYPE, "c");
        assert.deepEqual(reg.options.additionalSecretOutputs, ["callers", "value"]);
        assert.deepEqual(inputsOf(reg).value, [true, { password: PLAIN }]);
    });

    it("a consumer check registers its value and Access token secret, everything else plain, and declares both additional secret outputs", async () => {
        const r = await runWithMocks(() => {
            new ConsumerCheck("k", {
                credential: "vaultAccessToken",
                consumer: "infisical /Raxx/TOKEN",
                kind: "infisicalSecret",
                enabled: true,
                timeoutSeconds: 9,
                value: PLAIN,
                where: { projectId: "p", environment: "prod", path: "/Raxx", key: "TOKEN" },
                access: ACCESS,
            });
        });
        const reg = only(r, CONSUMER_TYPE, "k");
        assert.deepEqual(inputsOf(reg), {
            access: [true, ACCESS],
            consumer: [false, "infisical /Raxx/TOKEN"],
            credential: [false, "vaultAccessToken"],
            enabled: [false, true],
            kind: [false, "infisicalSecret"],
            timeoutSeconds: [false, 9],
            value: [true, PLAIN],
            where: [false, { projectId: "p", environment: "prod", path: "/Raxx", key: "TOKEN" }],
        });
        assert.deepEqual(reg.options.additionalSecretOutputs, ["value", "access"]);
    });

    it("a consumer check without an Access token registers no access input, still declaring value and access secret on top of the caller's", async () => {
        const r = await runWithMocks(() => {
            new ConsumerCheck("k", { credential: "herokuPlatformToken", consumer: "heroku raxx-api-prod/HEROKU_API_KEY", kind: "herokuConfigVars", enabled: true, value: PLAIN, where: { app: "raxx-api-prod", name: "HEROKU_API_KEY" } }, { additionalSecretOutputs: ["callers"] });
        });
        const reg = only(r, CONSUMER_TYPE, "k");
        assert.deepEqual(Object.keys(reg.inputs).sort(), ["__provider", "consumer", "credential", "enabled", "kind", "timeoutSeconds", "value", "where"]);
        assert.deepEqual(Object.keys(reg.options.propertyDependencies ?? {}).sort(), ["__provider", "consumer", "credential", "enabled", "kind", "timeoutSeconds", "value", "where"]);
        assert.deepEqual(inputsOf(reg).value, [true, PLAIN]);
        assert.deepEqual(inputsOf(reg).timeoutSeconds, [false, 30], "the default limit, 30 s");
        assert.deepEqual(reg.options.additionalSecretOutputs, ["callers", "value", "access"]);
    });

    it("a credential check without a limit takes its kind's default: 60 s for IAM keys and Access tokens, 30 s for Heroku and Cloudflare tokens, 1 s for random values", async () => {
        // A fresh copy, so that the table of defaults is built inside this test.
        const mod = freshCopy<typeof credentialCheckModule>("../../providers/verify/credentialCheck");
        const r = await runWithMocks(() => {
            for (const kind of CREDENTIAL_CHECK_KINDS) {
                new mod.CredentialCheck(kind, { credential: "someCredential", slot: "a", kind, enabled: true, value: { token: PLAIN }, expect: {} });
            }
        });
        assert.deepEqual(
            Object.fromEntries(CREDENTIAL_CHECK_KINDS.map((kind) => [kind, plain(only(r, CREDENTIAL_TYPE, kind).inputs.timeoutSeconds)])),
            { herokuAuthorization: 30, awsAccessKey: 60, cloudflareApiToken: 30, accessServiceToken: 60, randomBytes: 1, randomPassword: 1 },
        );
    });
});
