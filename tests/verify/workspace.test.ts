// The consumer check of the no-reply user, as the engine runs it: the serialized ConsumerCheck
// against the fake Google (tests/google-workspace/fakeWorkspace.ts). The Directory API never
// returns a password, so the check proves what it can: the user exists, is suspended and holds
// no admin role, read with the read-only scope alone.
import { strict as assert } from "node:assert";

import { ProviderHost, checkedCreate } from "../harness/serializedProvider";
import { ADMIN, AUTH, CLIENT_ID, fails, serviceAccountKey, useFakeWorkspace } from "../google-workspace/helpers";
import { CheckTexts, assertClean, checkTexts, host } from "./helpers";

const PASSWORD = "Ab3".repeat(13) + "Z";
const EMAIL = "no-reply@raxx.app";

describe("ConsumerCheck of a Workspace user, serialized (providers/verify/workspace.ts)", () => {
    const ctx = useFakeWorkspace();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });
    const inputs = (over: Record<string, unknown> = {}) => ({
        credential: "workspaceNoReplyPassword",
        consumer: `workspace user ${EMAIL}`,
        kind: "workspaceUser",
        enabled: true,
        timeoutSeconds: 1,
        value: PASSWORD,
        where: { primaryEmail: EMAIL },
        __provider: texts.consumer,
        ...over,
    });
    const subject = `workspace user ${EMAIL} (workspaceNoReplyPassword): Directory API GET users/${EMAIL} failed`;

    it("passes for a suspended user without an admin role, with the read-only scope, and says what it could not compare", async () => {
        ctx.google.delegate(CLIENT_ID, [`${AUTH}admin.directory.user.readonly`]);
        ctx.google.addUser(EMAIL, { suspended: true, password: PASSWORD });
        const { outs } = await checkedCreate(host(), inputs());
        assert.equal(
            outs.result,
            `passed: ${EMAIL} exists, suspended (no sign-in, no mail) and holds no admin role; the Directory API never returns a password, so the value itself is not compared`,
        );
        assert.deepEqual(ctx.google.writes(), []);
        assertClean(JSON.stringify(outs.result), [PASSWORD]);
    });

    it("reads the key and the admin user from stack config, as the provider host hands it to configure, with neither in the env", async () => {
        delete process.env.GOOGLE_WORKSPACE_CREDENTIALS;
        delete process.env.GOOGLE_WORKSPACE_ADMIN_USER;
        ctx.google.addUser(EMAIL, { suspended: true });
        const configured = new ProviderHost({ workspaceCredentials: serviceAccountKey().json, workspaceAdminUser: ADMIN });
        const { outs } = await checkedCreate(configured, inputs());
        assert.match(String(outs.result), /^passed: no-reply@raxx\.app exists, suspended/);
        await fails(
            ctx.google,
            checkedCreate(host(), inputs()),
            /^workspace user no-reply@raxx\.app \(workspaceNoReplyPassword\): Directory API GET users\/no-reply@raxx\.app failed: no response \(not sent: neither stack config workspaceCredentials nor GOOGLE_WORKSPACE_CREDENTIALS is set/,
        );
    });

    it("fails for a user someone restored by hand, naming what to do", async () => {
        ctx.google.addUser(EMAIL, { suspended: false });
        await fails(
            ctx.google,
            checkedCreate(host(), inputs()),
            `${subject}: ${EMAIL} is not suspended, so anyone with its password could sign in and it takes mail. Someone restored it by hand: run \`pulumi up\` to suspend it again.`,
        );
    });

    it("fails for a user with an admin role, and for no user at all", async () => {
        ctx.google.addUser(EMAIL, { suspended: true, isAdmin: true });
        await fails(
            ctx.google,
            checkedCreate(host(), inputs()),
            `${subject}: ${EMAIL} holds an admin role. A send-only identity needs none: remove the role in the Admin console, then run \`pulumi up\`.`,
        );
        for (const [id, u] of ctx.google.users) if (u.primaryEmail === EMAIL) ctx.google.users.delete(id);
        await fails(
            ctx.google,
            checkedCreate(host(), inputs()),
            `${subject}: there is no user ${EMAIL}. Something deleted it after the write: run \`pulumi refresh\`, then \`pulumi up\`.`,
        );
    });

    it("fails with Google's refusal when the read-only scope is not delegated, holding no secret", async () => {
        ctx.google.delegate(CLIENT_ID, [`${AUTH}admin.directory.user`]);
        ctx.google.addUser(EMAIL, { suspended: true });
        const err = await fails(
            ctx.google,
            checkedCreate(host(), inputs()),
            /^workspace user no-reply@raxx\.app \(workspaceNoReplyPassword\): Directory API GET users\/no-reply@raxx\.app was not sent: Google's OAuth token endpoint refused .*401 unauthorized_client/,
        );
        assert.ok(err.message.includes(`${AUTH}admin.directory.user.readonly`), "names the scope to delegate");
        assertClean(err.message, [PASSWORD]);
    });
});
