// Shared set-up for the Google Workspace provider tests: a fake Google on 127.0.0.1 with a
// service account whose key is made now (never committed), its delegation, an admin user
// and the raxx.app domain; the env pointing at it; fast bounded retries; and the secrets no
// message may hold.
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";

import { assertNoSecrets, rejection } from "../harness/assertions";
import { restoreEnvAfterEach } from "../harness/env";
import { FakeWorkspace } from "./fakeWorkspace";

export { assertNoSecrets, rejection };

export const DOMAIN = "raxx.app";
export const ADMIN = "kris@raxx.app";
export const CLIENT_EMAIL = "raxx-platform@raxx-platform-ops.iam.gserviceaccount.com";
export const CLIENT_ID = "104729388312345678901";
export const AUTH = "https://www.googleapis.com/auth/";
export const ALL_SCOPES = [
    `${AUTH}admin.directory.domain.readonly`,
    `${AUTH}admin.directory.group`,
    `${AUTH}admin.directory.group.readonly`,
    `${AUTH}admin.directory.group.member`,
    `${AUTH}admin.directory.group.member.readonly`,
    `${AUTH}apps.groups.settings`,
    `${AUTH}admin.directory.user`,
    `${AUTH}admin.directory.user.readonly`,
];
/** What the read-only environments' service account is delegated: a refresh needs no more (the Groups Settings API has no read-only scope). */
export const READ_SCOPES = [
    `${AUTH}admin.directory.domain.readonly`,
    `${AUTH}admin.directory.group.readonly`,
    `${AUTH}admin.directory.group.member.readonly`,
    `${AUTH}apps.groups.settings`,
    `${AUTH}admin.directory.user.readonly`,
];
/** Passwords the tests use: 32+ characters, like the stack's RandomPassword. */
export const PASSWORD = "pw-1f0c9e7a2b4d6e8f0a1b3c5d7e9f1a2b-do-not-leak";
export const NEW_PASSWORD = "pw-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b-do-not-leak";
export const LIVE_PASSWORD = "live-password-of-an-existing-user-7d1e-do-not-leak";

/** A service account key pair, made once per process: generating RSA keys takes a moment. */
export interface ServiceAccountKey {
    /** The key as Google gives it: JSON text with client_email, client_id and private_key. */
    readonly json: string;
    readonly privateKey: string;
    readonly publicKey: crypto.KeyObject;
}

let made: ServiceAccountKey | undefined;
let other: ServiceAccountKey | undefined;

function makeKey(): ServiceAccountKey {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const json = JSON.stringify({
        type: "service_account",
        project_id: "raxx-platform-ops",
        private_key_id: crypto.randomBytes(20).toString("hex"),
        private_key: pem,
        client_email: CLIENT_EMAIL,
        client_id: CLIENT_ID,
        token_uri: "https://oauth2.googleapis.com/token",
    });
    return { json, privateKey: pem, publicKey };
}

/** The service account's key, registered with the fake. */
export function serviceAccountKey(): ServiceAccountKey {
    return (made ??= makeKey());
}

/** Another key of the same account's email, that the fake does not know (a deleted key, say). */
export function unknownKey(): ServiceAccountKey {
    return (other ??= makeKey());
}

/** Every secret no message may hold: the keys (whole, and each PEM line), the passwords, and what the fake issued or received. */
export function secrets(fake: FakeWorkspace | undefined): string[] {
    const lines = (k: ServiceAccountKey) => [k.json, k.privateKey, ...k.privateKey.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"))];
    return [
        ...lines(serviceAccountKey()),
        ...(other ? lines(other) : []),
        PASSWORD,
        NEW_PASSWORD,
        LIVE_PASSWORD,
        ...seenOnTheWire,
        ...(fake ? [...fake.issuedTokens(), ...fake.assertions] : []),
    ];
}

/** Every error message the tests saw, checked again after them all. */
export const seenMessages: string[] = [];
/** Every access token and assertion of every fake so far. */
const seenOnTheWire: string[] = [];

/** Awaits `call`, which must fail with exactly `expected` (or a match), and checks that the message holds no secret. */
export async function fails(fake: FakeWorkspace | undefined, call: Promise<unknown>, expected: string | RegExp): Promise<Error> {
    const err = await rejection(call);
    seenMessages.push(`${err.message}\n${err.stack ?? ""}`);
    if (expected instanceof RegExp) assert.match(err.message, expected);
    else assert.equal(err.message, expected);
    assertNoSecrets(`${err.message}\n${err.stack ?? ""}`, secrets(fake));
    return err;
}

export const FAST_ENV: Record<string, string> = {
    GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS: "1500",
    GOOGLE_WORKSPACE_HTTP_MAX_ATTEMPTS: "3",
    GOOGLE_WORKSPACE_HTTP_BACKOFF_MS: "1",
    GOOGLE_WORKSPACE_HTTP_MAX_BACKOFF_MS: "4",
    GOOGLE_WORKSPACE_HTTP_MAX_RETRY_AFTER_MS: "300",
};

const ENV_KEYS = ["GOOGLE_WORKSPACE_CREDENTIALS", "GOOGLE_WORKSPACE_ADMIN_USER", "GOOGLE_WORKSPACE_API_URL", ...Object.keys(FAST_ENV)];

/** Mocha hooks: a fresh fake per test, the service account delegated every scope, the admin user, raxx.app verified; env pointing at it. */
export function useFakeWorkspace(): { google: FakeWorkspace } {
    const ctx = {} as { google: FakeWorkspace };
    restoreEnvAfterEach(ENV_KEYS);
    beforeEach(async () => {
        const key = serviceAccountKey();
        ctx.google = await new FakeWorkspace().start();
        ctx.google.addServiceAccount(CLIENT_EMAIL, CLIENT_ID, key.publicKey);
        ctx.google.delegate(CLIENT_ID, ALL_SCOPES);
        ctx.google.addDomain("moosequest.net", { isPrimary: true });
        ctx.google.addDomain(DOMAIN);
        ctx.google.addUser(ADMIN, { givenName: "Workspace", familyName: "Admin", isAdmin: true });
        Object.assign(process.env, FAST_ENV, {
            GOOGLE_WORKSPACE_CREDENTIALS: key.json,
            GOOGLE_WORKSPACE_ADMIN_USER: ADMIN,
            GOOGLE_WORKSPACE_API_URL: ctx.google.url,
        });
    });
    afterEach(async () => {
        seenOnTheWire.push(...ctx.google.issuedTokens(), ...ctx.google.assertions);
        await ctx.google.stop();
    });
    after(() => {
        // Every message any test here saw, against every secret of the last fake too.
        for (const m of seenMessages) assertNoSecrets(m, secrets(undefined));
    });
    return ctx;
}

// Words the tests expect in messages, and values several test files share.
export const RETRY = "then run Pulumi again";
export const DELEGATION = "Admin console > Security > Access and data control > API controls > Manage Domain Wide Delegation";
export const WHO = `the service account ${CLIENT_EMAIL} (client_id ${CLIENT_ID})`;
export const KEY_TODO =
    "Give it the service account's JSON key, whole, as Google Cloud gives it (IAM & Admin > Service Accounts > the account > Keys > Add key > JSON): " +
    "`pulumi config set --secret workspaceCredentials < key.json`, or the file's text in GOOGLE_WORKSPACE_CREDENTIALS.";
export const ADMIN_TODO = "Set the email of a super admin for the service account to act as: `pulumi config set workspaceAdminUser admin@raxx.app`, or GOOGLE_WORKSPACE_ADMIN_USER.";
export const FAILING = `503 backendError: The service is currently unavailable. Google is failing: ${RETRY}.`;
