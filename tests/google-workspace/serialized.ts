// The Google Workspace providers as the engine runs them: the `__provider` texts the program
// registers, with canary credentials in the env and in the secret stack config while the
// module is imported and serialized, driven through tests/harness/serializedProvider.ts's
// emulation of the dynamic provider host.
import * as path from "node:path";

import type * as workspaceModule from "../../providers/google-workspace";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { SerializedContext, freshModule as freshCopy, once, registeredProviderText, useSerialized, withEnv } from "../harness/serializedProvider";

export { ProviderHost, rebuild } from "../harness/serializedProvider";

/** In the env while the module is imported and serialized; none may reach a text. */
export const CANARY_CREDENTIALS = '{"type":"service_account","client_email":"canary@canary.iam.gserviceaccount.com","private_key":"canary-private-key-3e9d-do-not-leak"}';
export const CANARY_ADMIN = "canary-admin-5b1f@raxx.app";
export const CANARY_URL = "http://127.0.0.1:9/canary-google-workspace-url";
/** In the secret stack config at the same time. */
export const CANARY_CONFIG_CREDENTIALS = "canary-credentials-in-stack-config-8a2c";
/** The password the registered User carries (a secret input, not part of the provider). */
export const CANARY_PASSWORD = "canary-password-0c4e-0123456789abcdef-do-not-leak";

export const KINDS = ["DomainCheck", "Group", "Member", "User"] as const;
export type Kind = (typeof KINDS)[number];
export type Texts = Record<Kind, string>;

const PROVIDERS_DIR = path.resolve(__dirname, "../../providers/google-workspace");

/** A private copy of providers/google-workspace, imported now, with the caller's environment in place. */
export function freshModule(): typeof workspaceModule {
    return freshCopy<typeof workspaceModule>(PROVIDERS_DIR);
}

/** Declares one resource of each kind with `mod`. */
export function declareAll(mod: typeof workspaceModule): void {
    const check = new mod.DomainCheck("raxx-app", { domain: "raxx.app", dkimDeclared: true });
    const ops = new mod.Group(
        "ops",
        { email: "ops@raxx.app", name: "Raxx Ops", settings: { whoCanPostMessage: "ALL_MEMBERS_CAN_POST" }, declaredMembers: ["kris@raxx.app"] },
        { dependsOn: [check] },
    );
    new mod.Member("ops-kris", { group: ops.email, email: "kris@raxx.app", role: "OWNER" });
    new mod.User("no-reply", { primaryEmail: "no-reply@raxx.app", givenName: "No Reply", familyName: "Raxx", password: CANARY_PASSWORD, suspended: true }, { dependsOn: [check] });
}

/** The `__provider` text of each kind, declared with `mod` under mocks. */
export async function registeredTexts(mod: typeof workspaceModule, opts: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<Texts> {
    const result = await runWithMocks(() => declareAll(mod), opts);
    return Object.fromEntries(KINDS.map((k) => [k, registeredProviderText(result, `pulumi-nodejs:dynamic/google-workspace:${k}`)])) as Texts;
}

/** Serializes a fresh copy of the module with canaries in the env and the secret stack config. */
export function serializeWithCanaries(): Promise<Texts> {
    const env = { GOOGLE_WORKSPACE_CREDENTIALS: CANARY_CREDENTIALS, GOOGLE_WORKSPACE_ADMIN_USER: CANARY_ADMIN, GOOGLE_WORKSPACE_API_URL: CANARY_URL };
    return withEnv(env, () =>
        registeredTexts(freshModule(), {
            config: { "raxx-platform:workspaceCredentials": CANARY_CONFIG_CREDENTIALS, "raxx-platform:workspaceAdminUser": CANARY_ADMIN },
            secretKeys: ["raxx-platform:workspaceCredentials"],
        }),
    );
}

/** The texts the program registers, serialized with canaries in place; taken once per process. */
export const providerTexts: () => Promise<Texts> = once(serializeWithCanaries);

/** Registers mocha hooks: the texts once, and a fresh host per test handing `config` to `configure`. */
export function useSerializedWorkspace(config: Record<string, string> = {}): SerializedContext<Texts> {
    // A Group's create reports a failure after its insert as ErrorResourceInitFailed (providers/google-workspace/group.ts).
    return useSerialized(providerTexts, config, { initFailures: true });
}
