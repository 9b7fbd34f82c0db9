// The providers' failures, run from the serialized text through the provider-host emulation,
// which hands the engine only `e.message`: missing and malformed credentials, a client
// without domain-wide delegation, an admin user Google refuses, 429 and 5xx with bounded
// retries, timeouts. Each message is pinned exactly, says what to do, and holds no secret:
// not the private key (nor a line of it), not an access token, not an assertion, not a password.
import { strict as assert } from "node:assert";

import * as workspace from "../../providers/google-workspace";
import { checkedCreate } from "../harness/serializedProvider";
import { LocalServer } from "../harness/localServer";
import { NOT_AUTHORIZED, UNAUTHORIZED_CLIENT } from "./fakeWorkspace";
import { ADMIN, ADMIN_TODO, ALL_SCOPES, assertNoSecrets, AUTH, CLIENT_EMAIL, CLIENT_ID, DELEGATION, fails, KEY_TODO, PASSWORD, READ_SCOPES, RETRY, secrets, seenMessages, serviceAccountKey, unknownKey, useFakeWorkspace, WHO } from "./helpers";
import { ProviderHost, useSerializedWorkspace } from "./serialized";

const GROUP_SCOPES = `${AUTH}admin.directory.group, ${AUTH}apps.groups.settings`;
const GET_GROUP = "Directory API GET groups/ops@raxx.app";

describe("Google Workspace providers: errors, from the serialized text", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const group = (over: Record<string, unknown> = {}) => ({ email: "ops@raxx.app", name: "Raxx Ops", settings: { whoCanPostMessage: "ALL_MEMBERS_CAN_POST" }, ...over, __provider: p.text.Group });
    const hostWith = (config: Record<string, string>) => new ProviderHost(config);

    describe("credentials and delegation", () => {
        it("a client id without domain-wide delegation for the scopes: names the account, the client id, the scopes and where to grant them; nothing written", async () => {
            ctx.google.delegate(CLIENT_ID, ALL_SCOPES.filter((s) => !s.endsWith("apps.groups.settings")));
            const err = await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} was not sent: Google's OAuth token endpoint refused ${WHO} acting as ${ADMIN}: 401 unauthorized_client: ${UNAUTHORIZED_CLIENT} ` +
                    `Client id ${CLIENT_ID} has no domain-wide delegation for these scopes: ${GROUP_SCOPES}. In the ${DELEGATION}, add the numeric client id (not the account's email) ` +
                    `with these scopes, or add the missing ones to its entry (the stack's resources use ${ALL_SCOPES.join(", ")}); a change there can take up to 24 hours to apply. ` +
                    "Then run Pulumi again.",
            );
            assert.ok(err.message.startsWith(GET_GROUP), "names the request");
            assert.deepEqual(ctx.google.writes(), []);
            assert.equal(ctx.google.count("POST", "/token"), 1, "a refusal is not retried");
        });

        it("the token's refusal carries tokenRefused and no id, for callers in process", async () => {
            ctx.google.delegate(CLIENT_ID, []);
            const provider = (await import("../harness/serializedProvider")).rebuild<{ create(i: unknown): Promise<unknown> }>(p.text.Group);
            const err = (await fails(ctx.google, provider.create(group()), /unauthorized_client/)) as unknown as Record<string, unknown>;
            assert.deepEqual([err.name, err.tokenRefused, err.reason, err.id], ["WorkspaceApiError", true, "unauthorized_client", undefined]);
        });

        it("an admin user Google does not know (invalid_grant): names the admin user's config", async () => {
            process.env.GOOGLE_WORKSPACE_ADMIN_USER = "nobody@raxx.app";
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} was not sent: Google's OAuth token endpoint refused ${WHO} acting as nobody@raxx.app: 400 invalid_grant: Invalid email or User ID. ` +
                    "Google does not let the key act as nobody@raxx.app: the admin user (GOOGLE_WORKSPACE_ADMIN_USER) must be an active user of this Workspace account, a super admin, " +
                    "and the key (GOOGLE_WORKSPACE_CREDENTIALS) must be live, not deleted or disabled (Google Cloud > IAM & Admin > Service Accounts), with this machine's clock right. " +
                    ADMIN_TODO,
            );
        });

        it("a key Google does not know (deleted): invalid_grant, naming the key's config", async () => {
            process.env.GOOGLE_WORKSPACE_CREDENTIALS = unknownKey().json;
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} was not sent: Google's OAuth token endpoint refused ${WHO} acting as ${ADMIN}: 400 invalid_grant: Invalid JWT Signature. ` +
                    `Google does not let the key act as ${ADMIN}: the admin user (GOOGLE_WORKSPACE_ADMIN_USER) must be an active user of this Workspace account, a super admin, ` +
                    "and the key (GOOGLE_WORKSPACE_CREDENTIALS) must be live, not deleted or disabled (Google Cloud > IAM & Admin > Service Accounts), with this machine's clock right. " +
                    ADMIN_TODO,
            );
        });

        it("an admin user who is not an admin: the Directory API's 403, saying the user lacks the role or the scopes", async () => {
            ctx.google.addUser("clerk@raxx.app", { isAdmin: false });
            process.env.GOOGLE_WORKSPACE_ADMIN_USER = "clerk@raxx.app";
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} failed: 403 forbidden: ${NOT_AUTHORIZED}. The admin user clerk@raxx.app (GOOGLE_WORKSPACE_ADMIN_USER) may not make this call: it must be a super admin ` +
                    `(Admin console > Account > Admin roles), and the delegation of client id ${CLIENT_ID} must grant ${GROUP_SCOPES} (${DELEGATION}), ${RETRY}.`,
            );
            assert.deepEqual(ctx.google.writes(), []);
        });

        it("stack config wins over the env, and messages name the config keys", async () => {
            process.env.GOOGLE_WORKSPACE_ADMIN_USER = "nobody@raxx.app";
            const made = await checkedCreate(hostWith({ workspaceAdminUser: ADMIN, workspaceCredentials: serviceAccountKey().json }), group());
            assert.equal(typeof made.id, "string");
            await fails(
                ctx.google,
                checkedCreate(hostWith({ workspaceAdminUser: "ghost@raxx.app" }), group({ email: "billing@raxx.app" })),
                /^Directory API GET groups\/billing@raxx\.app was not sent: .* 400 invalid_grant: Invalid email or User ID\. .*the admin user \(stack config workspaceAdminUser\) must be/,
            );
            process.env.GOOGLE_WORKSPACE_CREDENTIALS = "not json, and the env loses anyway";
            await checkedCreate(hostWith({ workspaceAdminUser: ADMIN, workspaceCredentials: serviceAccountKey().json }), group({ email: "billing@raxx.app" }));
        });

        it("no key and no admin user: both named, with their config keys and env vars; nothing sent", async () => {
            delete process.env.GOOGLE_WORKSPACE_CREDENTIALS;
            delete process.env.GOOGLE_WORKSPACE_ADMIN_USER;
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} failed: no response (not sent: neither stack config workspaceCredentials nor GOOGLE_WORKSPACE_CREDENTIALS is set; ` +
                    `neither stack config workspaceAdminUser nor GOOGLE_WORKSPACE_ADMIN_USER is set). ${KEY_TODO} ${ADMIN_TODO}`,
            );
            assert.equal(ctx.google.requests.length, 0);
        });

        it("a key that is not JSON: named without quoting it", async () => {
            process.env.GOOGLE_WORKSPACE_CREDENTIALS = `-----BEGIN PRIVATE KEY-----${PASSWORD}`;
            const err = await fails(ctx.google, checkedCreate(p.host, group()), `${GET_GROUP} failed: no response (not sent: GOOGLE_WORKSPACE_CREDENTIALS is not JSON). ${KEY_TODO}`);
            assert.ok(!err.message.includes(PASSWORD));
        });

        it("JSON that is not a service account key: names what is missing, or the wrong type", async () => {
            process.env.GOOGLE_WORKSPACE_CREDENTIALS = JSON.stringify({ client_email: CLIENT_EMAIL, private_key: "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n" });
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} failed: no response (not sent: GOOGLE_WORKSPACE_CREDENTIALS has no usable private_key: it is not a service account's JSON key, or not all of it). ${KEY_TODO}`,
            );
            const config = { workspaceCredentials: JSON.stringify({ type: "authorized_user", client_id: "x", client_secret: PASSWORD, refresh_token: "x" }) };
            await fails(
                ctx.google,
                checkedCreate(hostWith(config), group()),
                `${GET_GROUP} failed: no response (not sent: stack config workspaceCredentials is a key of type "authorized_user", not a service account's ("type": "service_account")). ${KEY_TODO}`,
            );
            assert.equal(ctx.google.requests.length, 0);
        });

        it("an admin user that is not an email, and a malformed knob: each named", async () => {
            process.env.GOOGLE_WORKSPACE_ADMIN_USER = "kris";
            process.env.GOOGLE_WORKSPACE_HTTP_MAX_ATTEMPTS = "many";
            await fails(
                ctx.google,
                checkedCreate(p.host, group()),
                `${GET_GROUP} failed: no response (not sent: GOOGLE_WORKSPACE_ADMIN_USER is "kris", not an email address; GOOGLE_WORKSPACE_HTTP_MAX_ATTEMPTS is "many", not an integer of at least 1). ` +
                    `${ADMIN_TODO} Set it to a whole number, or unset it for the default 5.`,
            );
        });
    });

    describe("retries", () => {
        it("429 with Retry-After: waits as told (capped by GOOGLE_WORKSPACE_HTTP_MAX_RETRY_AFTER_MS), then succeeds", async () => {
            ctx.google.inject({ method: "GET", path: "/admin/directory/v1/groups/ops@raxx.app", status: 429, headers: { "Retry-After": "5" } });
            const t0 = Date.now();
            await checkedCreate(p.host, group());
            const waited = Date.now() - t0;
            assert.ok(waited >= 290 && waited < 2500, `waited ${waited} ms: Retry-After 5 s capped at 300 ms`);
            assert.equal(ctx.google.count("GET", "/admin/directory/v1/groups/ops@raxx.app"), 2);
        });

        it("429 is retried for an insert too, and bounded by GOOGLE_WORKSPACE_HTTP_MAX_ATTEMPTS", async () => {
            ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 429, headers: { "Retry-After": "0" }, times: 1 });
            await checkedCreate(p.host, group());
            assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 2);
            ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 429, headers: { "Retry-After": "0" }, times: 100 });
            await fails(
                ctx.google,
                checkedCreate(p.host, group({ email: "billing@raxx.app" })),
                "Directory API POST groups failed after 3 attempts: 429 rateLimitExceeded: Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'. " +
                    `Google's quota for the API is used up: wait a minute, ${RETRY}.`,
            );
            assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 2 + 3);
        });

        it("5xx on a GET and a PATCH of settings is retried, and bounded", async () => {
            ctx.google.inject({ method: "GET", path: "/admin/directory/v1/groups/ops@raxx.app", status: 503, times: 2 });
            ctx.google.inject({ method: "PATCH", path: "/groups/v1/groups/ops@raxx.app", status: 500, times: 1 });
            await checkedCreate(p.host, group());
            assert.equal(ctx.google.count("GET", "/admin/directory/v1/groups/ops@raxx.app"), 3, "two 503s, then the answer");
            assert.equal(ctx.google.count("PATCH", "/groups/v1/groups/ops@raxx.app"), 2);
            ctx.google.inject({ method: "GET", path: "/admin/directory/v1/groups/billing@raxx.app", status: 503, times: 100 });
            await fails(
                ctx.google,
                checkedCreate(p.host, group({ email: "billing@raxx.app" })),
                `Directory API GET groups/billing@raxx.app failed after 3 attempts: 503 backendError: The service is currently unavailable. Google is failing: ${RETRY}.`,
            );
            assert.equal(ctx.google.count("GET", "/admin/directory/v1/groups/billing@raxx.app"), 3);
        });

        it("a 5xx of the token endpoint is retried even before an insert, which is then sent once; one that never ends says so", async () => {
            ctx.google.addGroup("ops@raxx.app", { name: "Raxx Ops" });
            ctx.google.inject({ method: "POST", path: "/token", status: 503, times: 2 });
            // A Member's first call is its insert: the token comes first.
            await checkedCreate(p.host, { group: "ops@raxx.app", email: "ann@raxx.app", role: "MEMBER", __provider: p.text.Member });
            assert.equal(ctx.google.count("POST", "/token"), 3, "two 503s, then a token");
            assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups/ops@raxx.app/members"), 1);
            assert.deepEqual(ctx.google.memberList("ops@raxx.app"), ["ann@raxx.app: MEMBER"]);
            ctx.google.inject({ method: "POST", path: "/token", status: 503, times: 10 });
            await fails(
                ctx.google,
                checkedCreate(p.host, { group: "ops@raxx.app", email: "bob@raxx.app", role: "MEMBER", __provider: p.text.Member }),
                "Directory API POST groups/ops@raxx.app/members was not sent: Google's OAuth token endpoint failed after 3 attempts: 503 backendError: The service is currently unavailable. " +
                    `Google's token endpoint is failing or rate limited: wait a minute, ${RETRY}.`,
            );
            assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups/ops@raxx.app/members"), 1, "the second insert never went");
        });

        it("a DELETE is retried after a 5xx", async () => {
            const made = await checkedCreate(p.host, group());
            ctx.google.inject({ method: "DELETE", status: 500, times: 1 });
            await p.host.delete(made.id, made.outs);
            assert.equal(ctx.google.group("ops@raxx.app"), undefined);
            assert.deepEqual(
                ctx.google.requests.filter((r) => r.method === "DELETE").map((r) => r.status),
                [500, 204],
            );
        });

        it("a request that hangs times out, is retried, and a second timeout of an insert is final, saying a create adopts", async () => {
            process.env.GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS = "200";
            ctx.google.inject({ method: "GET", path: "/admin/directory/v1/groups/ops@raxx.app", hang: true });
            await checkedCreate(p.host, group());
            assert.equal(ctx.google.count("GET", "/admin/directory/v1/groups/ops@raxx.app"), 2);
            ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", hang: true, times: 5 });
            await fails(
                ctx.google,
                checkedCreate(p.host, group({ email: "billing@raxx.app" })),
                `Directory API POST groups failed: no response (timed out after 200 ms). The insert of group billing@raxx.app may or may not have been applied: ${RETRY} (a create adopts the group if it is there).`,
            );
            assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 2, "one for ops@, one for billing@: none sent twice");
        });

        it("a token request that hangs times out too, and is retried", async () => {
            process.env.GOOGLE_WORKSPACE_HTTP_TIMEOUT_MS = "200";
            ctx.google.inject({ method: "POST", path: "/token", hang: true, times: 2 });
            await checkedCreate(p.host, group());
            assert.equal(ctx.google.count("POST", "/token"), 3);
            ctx.google.inject({ method: "POST", path: "/token", hang: true, times: 3 });
            await fails(
                ctx.google,
                checkedCreate(p.host, group({ email: "billing@raxx.app" })),
                `Directory API GET groups/billing@raxx.app was not sent: Google's OAuth token endpoint gave no token after 3 attempts: no response (timed out after 200 ms). Check the network, ${RETRY}.`,
            );
        });

        it("nothing listening: the token request's network error, after the attempts", async () => {
            class Closed extends LocalServer {
                protected async handle(): Promise<void> {}
                protected internalErrorBody(): unknown {
                    return {};
                }
            }
            const gone = await new Closed().start();
            await gone.stop();
            process.env.GOOGLE_WORKSPACE_API_URL = gone.url;
            await fails(
                undefined,
                checkedCreate(p.host, group()),
                `${GET_GROUP} was not sent: Google's OAuth token endpoint gave no token after 3 attempts: no response (network error reaching ${gone.url}/token: ECONNREFUSED). Check the network, ${RETRY}.`,
            );
        });
    });

    describe("a read-only delegation (the preview and drift environments)", () => {
        // What the read-only delegation cannot stop: apps.groups.settings has no read-only form, so its token could change a
        // group's settings through the API directly (docs/workspace.md says so). The providers' writes all need a write scope.
        it("refreshes a group, a member and a user with the read-only scopes alone; a provider's write is refused", async () => {
            // Made with every scope, as the deploy environment would.
            const made = await checkedCreate(p.host, group());
            const member = await checkedCreate(p.host, { group: "ops@raxx.app", email: ADMIN, role: "OWNER", __provider: p.text.Member });
            const user = await checkedCreate(p.host, { primaryEmail: "no-reply@raxx.app", givenName: "No Reply", familyName: "Raxx", password: PASSWORD, suspended: true, __provider: p.text.User });
            ctx.google.delegate(CLIENT_ID, READ_SCOPES);
            const tokens = ctx.google.tokens.size;
            const read = new ProviderHost();
            assert.equal((await read.read(made.id, made.outs)).id, made.id);
            assert.equal((await read.read(member.id, member.outs)).id, member.id);
            assert.equal((await read.read(user.id, user.outs)).id, user.id);
            const asked = [...ctx.google.tokens.values()].slice(tokens).map((t) => [...t.scopes].sort());
            assert.deepEqual(asked, [
                [`${AUTH}admin.directory.group.readonly`, `${AUTH}apps.groups.settings`],
                [`${AUTH}admin.directory.group.member.readonly`],
                [`${AUTH}admin.directory.user.readonly`],
            ]);
            const writes = ctx.google.writes().length;
            await fails(ctx.google, checkedCreate(read, group({ email: "billing@raxx.app", name: "Raxx Billing" })), /401 unauthorized_client/);
            const changed = { ...made.outs, settings: { whoCanPostMessage: "ANYONE_CAN_POST" } };
            await fails(ctx.google, read.update(made.id, made.outs, changed), /401 unauthorized_client/);
            assert.equal(ctx.google.writes().length, writes);
        });
    });

    describe("getWorkspaceUser and resolveWorkspaceSettings, for the verify provider", () => {
        it("reads a user with the read-only scope alone; 404 is undefined", async () => {
            ctx.google.delegate(CLIENT_ID, [`${AUTH}admin.directory.user.readonly`]);
            const noReply = ctx.google.addUser("no-reply@raxx.app", { suspended: true });
            const settings = workspace.resolveWorkspaceSettings({ credentials: serviceAccountKey().json, adminUser: ADMIN });
            assert.deepEqual(await workspace.getWorkspaceUser(settings, "no-reply@raxx.app"), { id: noReply.id, primaryEmail: "no-reply@raxx.app", suspended: true, isAdmin: false });
            assert.deepEqual(await workspace.getWorkspaceUser(settings, ADMIN), { id: ctx.google.user(ADMIN)!.id, primaryEmail: ADMIN, suspended: false, isAdmin: true });
            assert.equal(await workspace.getWorkspaceUser(settings, "ghost@raxx.app"), undefined);
            assert.deepEqual([...new Set([...ctx.google.tokens.values()].flatMap((t) => [...t.scopes]))], [`${AUTH}admin.directory.user.readonly`]);
        });

        it("settings from a config object win over the env; a bad one names the keys and sends nothing", async () => {
            delete process.env.GOOGLE_WORKSPACE_CREDENTIALS;
            const s = workspace.resolveWorkspaceSettings({ credentials: serviceAccountKey().json });
            assert.deepEqual(
                { clientEmail: s.clientEmail, clientId: s.clientId, adminUser: s.adminUser, credentialsSource: s.credentialsSource, adminUserSource: s.adminUserSource, unusable: s.unusable },
                { clientEmail: CLIENT_EMAIL, clientId: CLIENT_ID, adminUser: ADMIN, credentialsSource: "stack config workspaceCredentials", adminUserSource: "GOOGLE_WORKSPACE_ADMIN_USER", unusable: undefined },
            );
            const bad = workspace.resolveWorkspaceSettings({ adminUser: "x" });
            await fails(
                ctx.google,
                workspace.getWorkspaceUser(bad, "no-reply@raxx.app"),
                "Directory API GET users/no-reply@raxx.app failed: no response (not sent: neither stack config workspaceCredentials nor GOOGLE_WORKSPACE_CREDENTIALS is set; " +
                    `stack config workspaceAdminUser is "x", not an email address). ${KEY_TODO} ${ADMIN_TODO}`,
            );
            assert.equal(ctx.google.requests.length, 0);
        });
    });

    describe("after them all", () => {
        it("no message any test saw holds a secret: keys, key lines, passwords, access tokens, assertions", () => {
            assert.ok(seenMessages.length >= 15, `${seenMessages.length} messages checked`);
            for (const m of seenMessages) assertNoSecrets(m, secrets(ctx.google));
        });
    });
});
