// Secret marking, one consumer at a time, each given a value that is NOT already secret.
// In the whole program every credential comes from an issuer's secret output, and the SDK
// keeps anything computed from a secret secret: there, a consumer that forgot to mark its
// value still registers a secret, and no assertion on the program can see it. Here the
// value is a plain string. For the dynamic providers (Heroku, vault, Workspace, the checks)
// only their own pulumi.secret() makes it secret; for the bridged GitHub and AWS resources
// their SDK's schema marks the field sensitive too (so the component's own mark is
// redundant there), and a consumer of the wrong type (a variable, a String parameter) fails.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { GithubActionsValues } from "../components/github/actions";
import { SecureParameter } from "../components/ssm/parameters";
import { afterCheck } from "../components/verification";
import { User } from "../providers/google-workspace";
import { Authorization, ConfigVars } from "../providers/heroku";
import { Secret } from "../providers/infisical";
import { ConsumerCheck, CredentialCheck } from "../providers/verify";
import { MockRunResult, Registration, isSecretValue, plain, runWithMocks } from "../scripts/lib/offline/mocks";

const PLAIN = "plain-value-not-yet-secret-3f9a";
const ACCESS = { clientId: "plain-client-id-5e0c", clientSecret: "plain-client-secret-7d21" };

function only(result: MockRunResult, type: string): Registration {
    assert.equal(result.error, undefined, String(result.error));
    const found = result.registrations.filter((r) => r.type === type);
    assert.equal(found.length, 1, `one ${type}`);
    return found[0];
}

/** Each input of `reg` named in `fields`: secret, and holding the plain value it was given. */
function secretInputs(reg: Registration, fields: string[]): Record<string, [boolean, unknown]> {
    return Object.fromEntries(fields.map((f) => [f, [isSecretValue(reg.inputs[f]), plain(reg.inputs[f])]]));
}

describe("secret marking: each dynamic resource keeps its secret outputs encrypted in state", () => {
    it("declares its secret fields as additionalSecretOutputs, on top of the caller's", async () => {
        const r = await runWithMocks(() => {
            const mine = { additionalSecretOutputs: ["callers"] };
            new Authorization("a", { scope: ["global"], description: "d" }, mine);
            new ConfigVars("v", { app: "raxx-api-prod", secretVars: { TOKEN: PLAIN } }, mine);
            new Secret("s", { projectId: "p", environment: "prod", path: "/Raxx", key: "TOKEN", value: PLAIN, access: ACCESS }, mine);
            new User("u", { primaryEmail: "no-reply@raxx.app", givenName: "No", familyName: "Reply", password: PLAIN, suspended: false }, mine);
            new CredentialCheck("c", { credential: "auditIngestToken", slot: "a", kind: "randomBytes", enabled: true, value: { hex: PLAIN }, expect: {} }, mine);
            new ConsumerCheck("k", { credential: "vaultAccessToken", consumer: "x", kind: "infisicalSecret", enabled: true, value: PLAIN, where: {}, access: ACCESS }, mine);
        });
        assert.equal(r.error, undefined, String(r.error));
        assert.deepEqual(
            r.registrations.map((x) => [x.type.split(":").pop(), x.options.additionalSecretOutputs]).sort(([a], [b]) => String(a).localeCompare(String(b))),
            [
                ["Authorization", ["callers", "token"]],
                ["ConfigVars", ["callers", "secretVars", "written"]],
                ["ConsumerCheck", ["callers", "value", "access"]],
                ["CredentialCheck", ["callers", "value"]],
                ["Secret", ["callers", "value", "access", "written"]],
                ["User", ["callers", "password"]],
            ],
        );
    });
});

describe("secret marking: each consumer makes a plain value secret itself", () => {
    it("a GitHub Actions secret, repository and environment, and never a variable", async () => {
        const r = await runWithMocks(() => {
            new GithubActionsValues("repo", { repository: "raxx", secrets: { TOKEN: PLAIN }, variables: { URL: "https://x" } });
            new GithubActionsValues("env", { repository: "raxx", environment: "production", secrets: { TOKEN: PLAIN } });
        });
        assert.deepEqual(secretInputs(only(r, "github:index/actionsSecret:ActionsSecret"), ["value"]), { value: [true, PLAIN] });
        assert.deepEqual(secretInputs(only(r, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"), ["value"]), { value: [true, PLAIN] });
        assert.deepEqual(secretInputs(only(r, "github:index/actionsVariable:ActionsVariable"), ["value"]), { value: [false, "https://x"] });
    });

    it("an SSM SecureString parameter, and what the component hands on", async () => {
        let handed: boolean | undefined;
        const r = await runWithMocks(async () => {
            const p = new SecureParameter("p", { path: "/raxx/test/value", value: PLAIN, description: "d" });
            handed = await pulumi.isSecret(p.value);
        });
        assert.deepEqual(secretInputs(only(r, "aws:ssm/parameter:Parameter"), ["value"]), { value: [true, PLAIN] });
        assert.equal(handed, true);
    });

    it("a Heroku config var given as secret, and a plain one left plain", async () => {
        const r = await runWithMocks(() => {
            new ConfigVars("v", { app: "raxx-api-prod", vars: { FLAG: "on" }, secretVars: { TOKEN: PLAIN } });
        });
        assert.deepEqual(secretInputs(only(r, "pulumi-nodejs:dynamic/heroku:ConfigVars"), ["secretVars", "vars"]), { secretVars: [true, { TOKEN: PLAIN }], vars: [false, { FLAG: "on" }] });
    });

    it("a vault secret's value and the Access token it is sent with", async () => {
        const r = await runWithMocks(() => {
            new Secret("s", { projectId: "p", environment: "prod", path: "/Raxx", key: "TOKEN", value: PLAIN, access: ACCESS });
        });
        assert.deepEqual(secretInputs(only(r, "pulumi-nodejs:dynamic/infisical:Secret"), ["value", "access"]), { value: [true, PLAIN], access: [true, ACCESS] });
    });

    it("a Workspace user's password", async () => {
        const r = await runWithMocks(() => {
            new User("u", { primaryEmail: "no-reply@raxx.app", givenName: "No", familyName: "Reply", password: PLAIN, suspended: false });
        });
        assert.deepEqual(secretInputs(only(r, "pulumi-nodejs:dynamic/google-workspace:User"), ["password"]), { password: [true, PLAIN] });
    });

    it("what a credential check and a consumer check are given to check", async () => {
        const r = await runWithMocks(() => {
            new CredentialCheck("c", { credential: "auditIngestToken", slot: "a", kind: "randomBytes", enabled: true, value: { hex: PLAIN }, expect: {} });
            new ConsumerCheck("k", { credential: "vaultAccessToken", consumer: "x", kind: "infisicalSecret", enabled: true, value: PLAIN, where: {}, access: ACCESS });
        });
        assert.deepEqual(secretInputs(only(r, "pulumi-nodejs:dynamic/verify:CredentialCheck"), ["value"]), { value: [true, { hex: PLAIN }] });
        assert.deepEqual(secretInputs(only(r, "pulumi-nodejs:dynamic/verify:ConsumerCheck"), ["value", "access"]), { value: [true, PLAIN], access: [true, ACCESS] });
    });

    it("a value handed on after its check", async () => {
        let secret: boolean | undefined;
        const r = await runWithMocks(async () => {
            const check = new CredentialCheck("c", { credential: "auditIngestToken", slot: "a", kind: "randomBytes", enabled: true, value: { hex: PLAIN }, expect: {} });
            secret = await pulumi.isSecret(afterCheck(check, pulumi.output(PLAIN)));
        });
        assert.equal(r.error, undefined, String(r.error));
        assert.equal(secret, true);
    });
});
