// Shared set-up for the Infisical provider tests: a fake vault on 127.0.0.1, the env vars
// pointing at it, fast bounded retries, and recognizable credentials whose leak is easy to spot.
import { restoreEnvAfterEach } from "../harness/env";
import { FakeInfisical } from "./fakeInfisical";

export { assertNoSecrets, rejection } from "../harness/assertions";

export const PROJECT = "6f1c9a2e-8b7d-4c3a-9e5f-1a2b3c4d5e6f";
export const ENVIRONMENT = "prod";
export const PATH = "/MooseQuest/heroku";
export const KEY = "HEROKU_PLATFORM_API_TOKEN";
export const IDENTITY_ID = "a1b2c3d4-identity-client-id-7e8f";
export const IDENTITY_SECRET = "identity-client-secret-3f9a-do-not-leak";
/** The stack's Access slots: a and b. */
export const ACCESS_A = { clientId: "slot-a-3c1e.access", clientSecret: "access-slot-a-secret-71d0-do-not-leak" };
export const ACCESS_B = { clientId: "slot-b-9f2a.access", clientSecret: "access-slot-b-secret-4b6e-do-not-leak" };
export const VALUE = "HRKU-platform-token-value-2d7c-do-not-leak";
export const NEW_VALUE = "HRKU-platform-token-value-8e1f-do-not-leak";
export const STACK = "raxx-platform/prod";

/** The Secret's inputs the provider tests start from: VALUE at PATH/KEY, sent with slot a's Access token (add `__provider`). */
export const SECRET_INPUTS = {
    projectId: PROJECT,
    environment: ENVIRONMENT,
    path: PATH,
    key: KEY,
    value: VALUE,
    access: ACCESS_A,
    owner: `${STACK}/heroku-token-vault`,
};

/** Every secret a message must not carry (Infisical's access tokens are added by the fake). */
export const SECRETS = [IDENTITY_SECRET, ACCESS_A.clientSecret, ACCESS_B.clientSecret, VALUE, NEW_VALUE];

export const FAST_ENV: Record<string, string> = {
    INFISICAL_HTTP_TIMEOUT_MS: "2000",
    INFISICAL_HTTP_MAX_ATTEMPTS: "3",
    INFISICAL_HTTP_BACKOFF_MS: "1",
    INFISICAL_HTTP_MAX_BACKOFF_MS: "4",
    INFISICAL_HTTP_MAX_RETRY_AFTER_MS: "400",
    INFISICAL_HTTP_ACCESS_ATTEMPTS: "2",
};

const ENV_KEYS = ["INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "INFISICAL_API_URL", ...Object.keys(FAST_ENV)];

/** Mocha hooks: a fresh fake per test with slot a admitted, the identity registered, the project with prod; env pointing at it. */
export function useFakeInfisical(): { vault: FakeInfisical } {
    const ctx = {} as { vault: FakeInfisical };
    restoreEnvAfterEach(ENV_KEYS);
    before(async () => {
        await (await fetch("data:,warm-up")).text();
    });
    beforeEach(async () => {
        ctx.vault = await new FakeInfisical().start();
        ctx.vault.admit(ACCESS_A.clientId, ACCESS_A.clientSecret);
        ctx.vault.addIdentity(IDENTITY_ID, IDENTITY_SECRET);
        ctx.vault.addProject(PROJECT, [ENVIRONMENT]);
        Object.assign(process.env, FAST_ENV, {
            INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: IDENTITY_ID,
            INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: IDENTITY_SECRET,
            INFISICAL_API_URL: ctx.vault.url,
        });
    });
    afterEach(async () => {
        await ctx.vault.stop();
    });
    return ctx;
}

// Words the tests expect in messages, and values several test files share.
export const RETRY = "then run Pulumi again";
export const SECRET = `/api/v4/secrets/${KEY}`;
export const URL_WORDS = "the vault URL (INFISICAL_API_URL or stack config infisicalUrl; default https://vault.raxx.app)";
export const ACCESS_TODO =
    "The Access service token this resource sends (its access input: the stack's active Access slot) is missing, not admitted by the Access application's Service Auth policy, " +
    `or revoked. Check that slot's service token in Cloudflare Zero Trust (Access > Service credentials > Service Tokens) and that the vault's Access policy includes it, ${RETRY}.`;
export const PERMISSION_TODO =
    "The identity lacks permission: give it a role in the Infisical project that can read, create, edit and delete secrets and create folders in this environment and path " +
    `(Project > Access Control > Machine Identities), ${RETRY}.`;
export const IDENTITY_TODO =
    "Set the machine identity's Universal Auth client id and secret in INFISICAL_UNIVERSAL_AUTH_CLIENT_ID and INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, or in stack config " +
    "(`pulumi config set infisicalClientId <id>`, `pulumi config set --secret infisicalClientSecret <secret>`).";
export const REJECTED_TODO =
    "Check that the client id is the identity's Universal Auth client id and that the client secret is live (not expired, revoked or used up), " +
    `and that the identity's trusted IPs admit this machine. ${IDENTITY_TODO}`;
export const REFUSED_TODO = `Infisical refused the request: correct what its message names, ${RETRY}.`;
export const WRITE_HINT = `The write of Infisical secret ${KEY} at ${PATH} may or may not have been applied: run \`pulumi refresh\`, ${RETRY} (a create adopts a secret that is already there).`;
