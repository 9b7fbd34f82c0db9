// SPEC 9 under the real CLI: the WorkspaceAddresses component, as index.ts declares it, run by
// the engine's dynamic-provider host against the fake Google (tests/google-workspace/
// fakeWorkspace.ts) on 127.0.0.1: the preconditions stop the up before anything exists;
// groups are made, or adopted with a hand-added member kept; a refresh shows drift; and in
// the user form the password is rotated into the same user, updated in place.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { WorkspaceAddresses } from "../../components/workspace/addresses";
import { Rotation } from "../../components/rotation";
import { WorkspaceConfig } from "../../config";
import { FakeWorkspace } from "../google-workspace/fakeWorkspace";
import { ALL_SCOPES, CLIENT_EMAIL, CLIENT_ID, FAST_ENV, serviceAccountKey } from "../google-workspace/helpers";
import { classify } from "../../.github/scripts/drift";
import { Engine, EngineStack } from "./harness";

const T = (kind: string) => `pulumi-nodejs:dynamic/google-workspace:${kind}`;
const ADMIN = "admin@moosequest.net";
const OWNER = "kris@moosequest.net";
const HAND_ADDED = "contractor@moosequest.net";

/** The program: the component as index.ts declares it, with a stand-in for the mail records it waits for. */
function declare(workspace: WorkspaceConfig, dkimDeclared: boolean): void {
    const mailDns = new pulumi.ComponentResource("raxx:cloudflare:MailDns", "mail-dns", {});
    new WorkspaceAddresses("workspace", { workspace, dkimDeclared, mailDns, checks: { enabled: true, githubOwner: "MooseQuest" } });
}

/** Another Workspace account, ready for the addresses: the service account delegated, raxx.app a verified secondary domain, the admin and the owner. */
async function readyWorkspace(): Promise<FakeWorkspace> {
    const google = await new FakeWorkspace().start();
    google.addServiceAccount(CLIENT_EMAIL, CLIENT_ID, serviceAccountKey().publicKey);
    google.delegate(CLIENT_ID, ALL_SCOPES);
    google.addDomain("moosequest.net", { isPrimary: true });
    google.addDomain("raxx.app");
    google.addUser(ADMIN, { isAdmin: true });
    google.addUser(OWNER);
    return google;
}

describe("engine: the Workspace addresses", function () {
    this.timeout(300_000);
    let engine: Engine;
    let google: FakeWorkspace;
    const env = () => ({
        ...FAST_ENV,
        GOOGLE_WORKSPACE_API_URL: google.url,
        GOOGLE_WORKSPACE_CREDENTIALS: serviceAccountKey().json,
        GOOGLE_WORKSPACE_ADMIN_USER: ADMIN,
        VERIFY_BACKOFF_MS: "10",
    });
    const base: WorkspaceConfig = { domain: "raxx.app", adminUser: ADMIN, owner: OWNER, members: { ops: [], billing: [] }, noReply: { form: "group" } };

    before(async () => {
        engine = await Engine.start();
        google = await new FakeWorkspace().start();
        google.addServiceAccount(CLIENT_EMAIL, CLIENT_ID, serviceAccountKey().publicKey);
        google.delegate(CLIENT_ID, ALL_SCOPES);
        google.addDomain("moosequest.net", { isPrimary: true });
        google.addUser(ADMIN, { isAdmin: true });
        google.addUser(OWNER);
        google.addUser(HAND_ADDED);
    });
    after(async () => {
        await google?.stop();
        await engine?.stop();
    });

    describe("the group form", () => {
        let stack: EngineStack;
        const program = { dkimDeclared: false, billingMembers: [] as string[] };
        before(async () => {
            stack = await engine.stack("workspace-groups", async () => declare({ ...base, members: { ops: [], billing: program.billingMembers } }, program.dkimDeclared), { env: env() });
        });

        it("stops the up at the preconditions, with every unmet one in one message, before any group exists", async () => {
            google.addDomainAlias("raxx.app", "moosequest.net");
            const o = await stack.outcome([], (s) => s.up());
            assert.notEqual(o.code, 0);
            const out = o.stdout + o.stderr;
            assert.ok(out.includes("Google Workspace is not ready for groups and users on raxx.app: 2 problems; nothing was created."), out.slice(0, 3000));
            assert.ok(out.includes("1. raxx.app is a domain alias of moosequest.net, not a secondary domain"), out.slice(0, 3000));
            assert.ok(out.includes("2. The DKIM record google._domainkey.raxx.app is not declared."), out.slice(0, 3000));
            assert.deepEqual(google.writes(), []);
            assert.deepEqual((await stack.resources()).filter((r) => r.type.includes("google-workspace")).map((r) => r.type), []);
            assert.ok(!out.includes(serviceAccountKey().privateKey.split("\n")[1]), "the key is in the CLI output");
        });

        it("once raxx.app is a secondary domain and DKIM is declared: makes ops@ and no-reply@, adopts billing@ with its hand-added member kept", async () => {
            google.domainAliases.delete("raxx.app");
            google.addDomain("raxx.app");
            program.dkimDeclared = true;
            // billing@ was made by hand, with a member nobody declared and a setting of its own.
            const billing = google.addGroup("billing@raxx.app", { name: "billing", settings: { whoCanPostMessage: "ANYONE_CAN_POST" }, members: [{ email: HAND_ADDED, role: "MEMBER" }] });
            await stack.up();
            assert.deepEqual([...google.groups.values()].map((g) => g.email).sort(), ["billing@raxx.app", "no-reply@raxx.app", "ops@raxx.app"]);
            assert.equal(google.group("billing@raxx.app")?.id, billing.id, "adopted, not made again");
            assert.deepEqual(google.memberList("billing@raxx.app"), [`${HAND_ADDED}: MEMBER`, `${OWNER}: OWNER`]);
            assert.deepEqual(google.memberList("ops@raxx.app"), [`${OWNER}: OWNER`]);
            assert.equal(google.group("ops@raxx.app")?.settings.whoCanPostMessage, "ALL_IN_DOMAIN_CAN_POST");
            assert.deepEqual(
                [google.group("no-reply@raxx.app")?.settings.archiveOnly, google.group("no-reply@raxx.app")?.settings.whoCanPostMessage],
                ["true", "NONE_CAN_POST"],
            );
            const [b] = (await stack.resources(T("Group"))).filter((r) => r.urn.endsWith("::workspace-billing"));
            assert.deepEqual([b.outputs?.adopted, b.outputs?.undeclared, b.outputs?.previousSettings], [
                true,
                [HAND_ADDED],
                // What adoption changed, as it was: the hand-made setting, and Google's defaults the Team access differs from.
                { whoCanJoin: "CAN_REQUEST_TO_JOIN", whoCanPostMessage: "ANYONE_CAN_POST", whoCanViewGroup: "ALL_MEMBERS_CAN_VIEW" },
            ]);
            assert.equal(b.protect, true);
            // The hand-added member is kept, and reported: billing@ shows as drift until it is declared.
            assert.deepEqual(await stack.planned(), [`update ${T("Group")} workspace-billing`]);
            program.billingMembers = [HAND_ADDED];
            await stack.up();
            assert.deepEqual(await stack.planned(), [], "declared, it is drift no more");
            assert.deepEqual(google.memberList("billing@raxx.app"), [`${HAND_ADDED}: MEMBER`, `${OWNER}: OWNER`]);
        });

        it("a refresh shows a member and a setting changed by hand; the next up puts the setting back and keeps the member", async () => {
            const ops = google.group("ops@raxx.app")!;
            google.addMember("ops@raxx.app", HAND_ADDED, "MEMBER");
            ops.settings.whoCanPostMessage = "ANYONE_CAN_POST";
            // What the daily drift check runs and reads: the real CLI's JSON, classified.
            const o = await stack.outcome(["--json", "--refresh", "--suppress-outputs"], (s) => s.preview());
            const found = classify(JSON.parse(o.stdout)).drift;
            assert.deepEqual(
                found.map((f) => [f.name, f.op, f.changes]),
                [
                    [
                        "workspace-ops",
                        "update",
                        [
                            { path: "settings.whoCanPostMessage", kind: "changed", from: '"ANYONE_CAN_POST"', to: '"ALL_IN_DOMAIN_CAN_POST"' },
                            { path: "members", kind: "undeclared", from: JSON.stringify([HAND_ADDED]) },
                        ],
                    ],
                ],
            );
            await stack.stack.refresh();
            const [state] = (await stack.resources(T("Group"))).filter((r) => r.urn.endsWith("::workspace-ops"));
            assert.deepEqual(state.outputs?.undeclared, [HAND_ADDED]);
            assert.deepEqual(await stack.planned(), [`update ${T("Group")} workspace-ops`]);
            await stack.up();
            assert.equal(google.group("ops@raxx.app")?.settings.whoCanPostMessage, "ALL_IN_DOMAIN_CAN_POST");
            assert.deepEqual(google.memberList("ops@raxx.app"), [`${OWNER}: OWNER`, `${HAND_ADDED}: MEMBER`]);
        });
    });

    describe("a failure after a group's insert", () => {
        let stack: EngineStack;
        before(async () => {
            await google.stop();
            google = await readyWorkspace();
            stack = await engine.stack("workspace-partial", async () => declare(base, true), { env: env() });
        });

        it("leaves the group in the state, failed to initialize, and the next up finishes it as made, not adopted", async () => {
            google.inject({ method: "PATCH", path: "/groups/v1/groups/ops@raxx.app", status: 400 });
            const o = await stack.outcome([], (s) => s.up());
            assert.notEqual(o.code, 0);
            const made = google.group("ops@raxx.app")!;
            const [ops] = (await stack.resources(T("Group"))).filter((r) => r.urn.endsWith("::workspace-ops"));
            assert.equal(ops?.id, made.id, "the engine keeps the group the create made");
            await stack.up();
            const [after] = (await stack.resources(T("Group"))).filter((r) => r.urn.endsWith("::workspace-ops"));
            assert.deepEqual([after.id, after.outputs?.adopted, after.outputs?.previousSettings], [made.id, false, {}]);
            assert.equal(google.group("ops@raxx.app")?.settings.whoCanPostMessage, "ALL_IN_DOMAIN_CAN_POST");
            assert.equal(google.count("POST", "/admin/directory/v1/groups"), 3, "each group made once");
        });
    });

    describe("the user form", () => {
        let stack: EngineStack;
        // Another Workspace account: this one's no-reply@ is the group form's group.
        before(async () => {
            await google.stop();
            google = await readyWorkspace();
        });
        const rotation: { current: Rotation } = { current: { active: "a", dates: { a: "2026-08-04" }, maxAgeDays: 90 } };
        before(async () => {
            stack = await engine.stack(
                "workspace-user",
                async () => declare({ ...base, noReply: { form: "user", rotation: { ...rotation.current, dates: { ...rotation.current.dates } } } }, true),
                { env: env() },
            );
        });
        const password = () => google.user("no-reply@raxx.app")?.password;

        it("makes a suspended user with the active slot's password, which the state holds only encrypted", async () => {
            await stack.up();
            const u = google.user("no-reply@raxx.app");
            assert.deepEqual([u?.suspended, u?.givenName, u?.familyName], [true, "No Reply", "Raxx"]);
            const slotA = engine.cloud("random").resources;
            const a = Object.values(slotA).find((r) => r.name === "workspace-no-reply-password-password-a");
            assert.equal(password(), a?.inputs.result);
            assert.match(String(password()), /^[A-Za-z0-9]{40}$/);
            assert.ok(!(await stack.exportText()).includes(String(password())), "the password is in plain state");
            const [check] = (await stack.resources("pulumi-nodejs:dynamic/verify:ConsumerCheck")).map((r) => r.outputs?.result);
            assert.match(String(check), /^passed: no-reply@raxx\.app exists, suspended \(no sign-in, no mail\) and holds no admin role/);
        });

        it("a rotation writes slot b's password into the same user, updated in place, never replaced", async () => {
            const id = google.user("no-reply@raxx.app")?.id;
            const before = password();
            rotation.current = { active: "b", dates: { a: "2026-08-04", b: "2026-11-28" }, maxAgeDays: 90 };
            const planned = await stack.planned();
            assert.ok(planned.includes(`update ${T("User")} workspace-no-reply-user`), planned.join("\n"));
            assert.ok(!planned.some((p) => p.includes("workspace-no-reply-user") && !p.startsWith("update")), planned.join("\n"));
            await stack.up();
            const b = Object.values(engine.cloud("random").resources).find((r) => r.name === "workspace-no-reply-password-password-b");
            assert.equal(google.user("no-reply@raxx.app")?.id, id);
            assert.notEqual(password(), before);
            assert.equal(password(), b?.inputs.result);
        });
    });
});
