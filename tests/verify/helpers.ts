// What the check tests share: every fake a check asks (Heroku, Cloudflare's tokens, the
// vault behind Access, GitHub, AWS), the env pointing each client at its fake with fast
// bounded retries, and the two check providers' texts as the program registers them,
// serialized with canary credentials in place and driven through the emulated provider host.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { CHECK_FAILED, CheckContext } from "../../providers/verify/check";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { assertNoSecrets, rejection } from "../harness/assertions";
import { restoreEnvAfterEach } from "../harness/env";
import { FakeAws } from "../harness/fakeAws";
import { ProviderHost, freshModule, once, registeredProviderText, withEnv } from "../harness/serializedProvider";
import { FakeHeroku } from "../heroku/fakeHeroku";
import { FakeInfisical } from "../infisical/fakeInfisical";
import { FakeCloudflareTokens } from "./fakeCloudflareTokens";
import { FakeGithubSecrets } from "./fakeGithubSecrets";
import type * as verifyModule from "../../providers/verify";

export { rejection } from "../harness/assertions";
export type { CheckContext };

/** A consumer check's inputs as the engine hands them to the provider `text`: `kind` at `where`, holding `value`, with `over` on top. */
export function consumerInputs(text: string, value: string, kind: string, where: Record<string, string>, over: Record<string, unknown> = {}): Record<string, unknown> {
    return { credential: "someCredential", consumer: "the place", kind, enabled: true, timeoutSeconds: 1, value, where, __provider: text, ...over };
}

export const HEROKU_KEY = "heroku-stack-key-1f3e-do-not-leak";
export const CLOUDFLARE_TOKEN = "cf-stack-token-8a2b-do-not-leak";
export const GITHUB_TOKEN = "gh-stack-token-4c7d-do-not-leak";
export const IDENTITY = { id: "7f1e2d3c-4b5a-4968-8776-655443322110", secret: "vault-identity-secret-6e1f-do-not-leak" };
export const DEPLOYER = { user: "raxx-platform-deployer", id: "AKIA-FAKE-DEPLOYER-0", secret: "deployer-secret-2d4f-do-not-leak" };
export const ACCOUNT = "521228113048";
export const BILLING = { user: "raxx-billing-readonly", arn: `arn:aws:iam::${ACCOUNT}:user/raxx-billing-readonly` };
export const PROJECT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

/** In every credential variable while the module is imported and serialized; must never reach the text. */
export const CANARY = "verify-canary-credential-3b9e-do-not-leak";

const ENV_KEYS = [
    "HEROKU_API_KEY", "HEROKU_API_URL", "HEROKU_HTTP_MAX_ATTEMPTS", "HEROKU_HTTP_BACKOFF_MS", "HEROKU_HTTP_MAX_BACKOFF_MS", "HEROKU_HTTP_TIMEOUT_MS",
    "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_BASE_URL", "CLOUDFLARE_HTTP_MAX_ATTEMPTS", "CLOUDFLARE_HTTP_BACKOFF_MS", "CLOUDFLARE_HTTP_MAX_BACKOFF_MS",
    "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_HTTP_MAX_ATTEMPTS", "GITHUB_HTTP_BACKOFF_MS",
    "INFISICAL_API_URL", "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_HTTP_ACCESS_ATTEMPTS", "INFISICAL_HTTP_BACKOFF_MS", "INFISICAL_HTTP_TIMEOUT_MS",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_SSM", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
    "VERIFY_BACKOFF_MS", "VERIFY_REQUEST_TIMEOUT_MS",
];

export interface Fakes {
    heroku: FakeHeroku;
    cloudflare: FakeCloudflareTokens;
    github: FakeGithubSecrets;
    vault: FakeInfisical;
    aws: FakeAws;
    /** Every request any fake got, counted: what a skipped check must leave at 0. */
    requests(): number;
}

/** Mocha hooks: fresh fakes per test, and the env pointing every client at them. */
export function useFakes(): Fakes {
    const f = {} as Fakes;
    restoreEnvAfterEach(ENV_KEYS);
    beforeEach(async () => {
        f.heroku = await new FakeHeroku({ apiKey: HEROKU_KEY }).start();
        f.cloudflare = await new FakeCloudflareTokens().start();
        f.cloudflare.apiToken = CLOUDFLARE_TOKEN;
        f.github = await new FakeGithubSecrets().start();
        f.github.token = GITHUB_TOKEN;
        f.vault = await new FakeInfisical().start();
        f.vault.addIdentity(IDENTITY.id, IDENTITY.secret);
        f.vault.addProject(PROJECT, ["prod"]);
        f.aws = await new FakeAws().start();
        f.aws.addUser(DEPLOYER.user, `arn:aws:iam::${ACCOUNT}:user/${DEPLOYER.user}`);
        f.aws.addKey(DEPLOYER.user, DEPLOYER.id, DEPLOYER.secret);
        f.aws.addUser(BILLING.user, BILLING.arn);
        f.requests = () =>
            f.heroku.requests.length + f.cloudflare.requests.length + f.github.requests.length + f.vault.requests.length + (["GetCallerIdentity", "ListAccessKeys", "GetParameter"] as const).reduce((n, a) => n + f.aws.calls(a), 0);
        for (const k of ENV_KEYS) delete process.env[k];
        Object.assign(process.env, {
            HEROKU_API_KEY: HEROKU_KEY, HEROKU_API_URL: f.heroku.url, HEROKU_HTTP_MAX_ATTEMPTS: "2", HEROKU_HTTP_BACKOFF_MS: "1", HEROKU_HTTP_MAX_BACKOFF_MS: "2",
            CLOUDFLARE_API_TOKEN: CLOUDFLARE_TOKEN, CLOUDFLARE_API_BASE_URL: `${f.cloudflare.url}/client/v4`, CLOUDFLARE_HTTP_MAX_ATTEMPTS: "2", CLOUDFLARE_HTTP_BACKOFF_MS: "1", CLOUDFLARE_HTTP_MAX_BACKOFF_MS: "2",
            GITHUB_TOKEN, GITHUB_API_URL: f.github.url, GITHUB_HTTP_MAX_ATTEMPTS: "2", GITHUB_HTTP_BACKOFF_MS: "1",
            INFISICAL_API_URL: f.vault.url, INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: IDENTITY.id, INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: IDENTITY.secret,
            INFISICAL_HTTP_ACCESS_ATTEMPTS: "1", INFISICAL_HTTP_BACKOFF_MS: "1", INFISICAL_HTTP_TIMEOUT_MS: "2000",
            ...f.aws.env(DEPLOYER, "us-east-1"),
            VERIFY_BACKOFF_MS: "1",
        });
    });
    afterEach(async () => {
        await Promise.all([f.heroku.stop(), f.cloudflare.stop(), f.github.stop(), f.vault.stop(), f.aws.stop()]);
    });
    return f;
}

/** The two providers' texts as a program registers them. */
export interface CheckTexts {
    readonly credential: string;
    readonly consumer: string;
}

/** Registers one check of each resource from `mod`, with canaries in every credential variable, and returns the texts. */
async function registeredTexts(mod: typeof verifyModule): Promise<CheckTexts> {
    const result = await runWithMocks(() => {
        new mod.CredentialCheck("c", { credential: "herokuPlatformToken", slot: "a", kind: "randomBytes", enabled: true, value: { hex: "00" }, expect: { bytes: 1 } });
        new mod.ConsumerCheck("k", { credential: "herokuPlatformToken", consumer: "heroku a/B", kind: "herokuConfigVars", enabled: true, value: "v", where: { app: "a", name: "B" } });
    });
    return {
        credential: registeredProviderText(result, "pulumi-nodejs:dynamic/verify:CredentialCheck"),
        consumer: registeredProviderText(result, "pulumi-nodejs:dynamic/verify:ConsumerCheck"),
    };
}

const CANARY_ENV = Object.fromEntries(
    ["HEROKU_API_KEY", "CLOUDFLARE_API_TOKEN", "GITHUB_TOKEN", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY", "GOOGLE_WORKSPACE_CREDENTIALS"].map((k) => [k, CANARY]),
);

/** The texts, taken once per process from a fresh copy of providers/verify imported with canaries in place. */
export const checkTexts: () => Promise<CheckTexts> = once(() =>
    withEnv(CANARY_ENV, () => registeredTexts(freshModule<typeof verifyModule>(require.resolve("../../providers/verify").replace(/\/index\.[jt]s$/, "")))),
);

/** A host as the engine's: stack config is empty, so every client reads the env. */
export function host(): ProviderHost {
    return new ProviderHost();
}

/** The secrets no message, output or text may hold. */
export const STACK_SECRETS = [HEROKU_KEY, CLOUDFLARE_TOKEN, GITHUB_TOKEN, IDENTITY.secret, DEPLOYER.secret, CANARY];

export function assertClean(text: string, more: readonly string[] = []): void {
    assertNoSecrets(text, [...STACK_SECRETS, ...more]);
}

/** Fails unless `p` rejects with exactly `message` (or a match of it), which holds none of the stack's secrets nor `secrets`, message and stack alike. */
export async function failsWith(p: Promise<unknown>, message: string | RegExp, secrets: readonly string[]): Promise<Error> {
    const err = await rejection(p);
    if (message instanceof RegExp) assert.match(err.message, message);
    else assert.equal(err.message, message);
    assertClean(`${err.message}\n${err.stack ?? ""}`, secrets);
    return err;
}

/** As failsWith, and the error is a check failure (its name is CHECK_FAILED). */
export async function failsAsCheck(p: Promise<unknown>, message: string | RegExp, secrets: readonly string[]): Promise<void> {
    assert.equal((await failsWith(p, message, secrets)).name, CHECK_FAILED);
}

export { pulumi };
