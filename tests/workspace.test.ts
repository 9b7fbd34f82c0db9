// SPEC 9 (docs/session-2026-05-06.md, docs/workspace.md): the Workspace addresses the prod
// stack declares, under mocks. The providers themselves are tested on their serialized text
// in tests/google-workspace, and by the real CLI in tests/engine/workspace.test.ts.
import { strict as assert } from "node:assert";
import { MockRunResult, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { credentialEntries } from "../scripts/lib/credentials";
import { byName, ofType, okRun, parentName, runPinned } from "./harness/query";

const T = (kind: string) => `pulumi-nodejs:dynamic/google-workspace:${kind}`;
const USER_FORM = {
    "raxx-platform:workspaceNoReplyForm": "user",
    "raxx-platform:workspaceNoReplyPasswordRotation": "active=b a=2026-08-04 b=2026-11-28",
};
const TEAM = {
    whoCanJoin: "INVITED_CAN_JOIN",
    whoCanPostMessage: "ALL_IN_DOMAIN_CAN_POST",
    whoCanViewMembership: "ALL_IN_DOMAIN_CAN_VIEW",
    whoCanViewGroup: "ALL_IN_DOMAIN_CAN_VIEW",
    whoCanModerateMembers: "OWNERS_AND_MANAGERS",
    allowExternalMembers: "false",
};

/** Each Workspace registration as `<kind> <name> < <parent>`, sorted. */
function workspaceTree(run: MockRunResult): string[] {
    return run.registrations
        .filter((r) => r.type.includes("google-workspace") || r.name.startsWith("workspace"))
        .map((r) => `${r.type.split(":").pop()} ${r.name} < ${parentName(r)}`)
        .sort();
}

describe("the Workspace addresses: what the prod stack declares", () => {
    let prod: MockRunResult;
    let user: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
        user = await okRun(runPinned("prod", { config: USER_FORM }));
    });

    it("declares the precondition check, three groups and their owner, with no-reply@ a group by default", () => {
        assert.deepEqual(workspaceTree(prod), [
            "Addresses workspace < raxx-platform-prod",
            "DomainCheck workspace-preconditions < workspace",
            "Group workspace-billing < workspace",
            "Group workspace-no-reply < workspace",
            "Group workspace-ops < workspace",
            "Member workspace-billing-member-kris@moosequest.net < workspace",
            "Member workspace-no-reply-member-kris@moosequest.net < workspace",
            "Member workspace-ops-member-kris@moosequest.net < workspace",
        ]);
        assert.deepEqual(
            ofType(prod, T("Member")).map((m) => [plain(m.inputs.group), plain(m.inputs.email), plain(m.inputs.role)]),
            [
                ["billing@raxx.app", "kris@moosequest.net", "OWNER"],
                ["no-reply@raxx.app", "kris@moosequest.net", "OWNER"],
                ["ops@raxx.app", "kris@moosequest.net", "OWNER"],
            ],
        );
    });

    it("gives ops@ and billing@ access type Team, and no-reply@ a refusal of all mail", () => {
        const settings = (name: string) => plain(byName(prod, name).inputs.settings);
        assert.deepEqual(settings("workspace-ops"), TEAM);
        assert.deepEqual(settings("workspace-billing"), TEAM);
        assert.deepEqual(settings("workspace-no-reply"), {
            archiveOnly: "true",
            sendMessageDenyNotification: "true",
            defaultMessageDenyNotificationText: "This address does not accept replies. For support, email support@raxx.app.",
            allowWebPosting: "false",
            whoCanJoin: "INVITED_CAN_JOIN",
            whoCanViewMembership: "ALL_MANAGERS_CAN_VIEW",
            whoCanViewGroup: "ALL_MANAGERS_CAN_VIEW",
            includeInGlobalAddressList: "false",
            allowExternalMembers: "false",
        });
        assert.deepEqual(
            ofType(prod, T("Group")).map((g) => [plain(g.inputs.email), plain(g.inputs.name), plain(g.inputs.declaredMembers)]),
            [
                ["billing@raxx.app", "Raxx Billing", ["kris@moosequest.net"]],
                ["no-reply@raxx.app", "No Reply Raxx", ["kris@moosequest.net"]],
                ["ops@raxx.app", "Raxx Ops", ["kris@moosequest.net"]],
            ],
        );
    });

    it("makes nothing before the preconditions hold, and checks them after the mail records", () => {
        const check = byName(prod, "workspace-preconditions");
        assert.deepEqual({ domain: plain(check.inputs.domain), dkimDeclared: plain(check.inputs.dkimDeclared) }, { domain: "raxx.app", dkimDeclared: false });
        // dependsOn a component is on each of its resources: the DKIM record among them, once declared.
        const mail = prod.registrations.filter((r) => parentName(r) === "mail-dns").map((r) => r.urn);
        assert.equal(mail.length, 8);
        assert.deepEqual([...check.options.dependsOn].sort(), mail.sort());
        for (const group of ofType(prod, T("Group"))) {
            assert.deepEqual(group.options.dependsOn, [check.urn], group.name);
            assert.equal(group.options.protect, true, `${group.name} is protected`);
            assert.equal(group.options.retainOnDelete, true, `${group.name} is retained on delete`);
        }
        // A member waits for its group through the group's email, an output.
        for (const member of ofType(prod, T("Member"))) {
            const group = byName(prod, member.name.replace(/-member-.*$/, ""));
            assert.deepEqual(member.options.propertyDependencies.group, [group.urn], member.name);
            assert.equal(member.options.protect, false, `${member.name} is not protected`);
        }
    });

    it("declares DKIM when the stack publishes it, and checks after that record", async () => {
        const dkim = `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "x1Y2")}IDAQAB`;
        const run = await okRun(runPinned("prod", { config: { "raxx-platform:dkimRecord": dkim } }));
        const check = byName(run, "workspace-preconditions");
        assert.equal(plain(check.inputs.dkimDeclared), true);
        assert.ok(check.options.dependsOn.includes(byName(run, "mail-dns-txt-dkim-google").urn));
    });

    it("adds the configured members to ops@ and billing@, as members", async () => {
        const run = await okRun(
            runPinned("prod", {
                config: { "raxx-platform:workspaceOpsMembers": JSON.stringify(["oncall@moosequest.net"]), "raxx-platform:workspaceBillingMembers": JSON.stringify(["finance@moosequest.net"]) },
            }),
        );
        assert.deepEqual(
            ofType(run, T("Member")).map((m) => `${String(plain(m.inputs.group))} ${String(plain(m.inputs.email))} ${String(plain(m.inputs.role))}`),
            [
                "billing@raxx.app finance@moosequest.net MEMBER",
                "billing@raxx.app kris@moosequest.net OWNER",
                "no-reply@raxx.app kris@moosequest.net OWNER",
                "ops@raxx.app kris@moosequest.net OWNER",
                "ops@raxx.app oncall@moosequest.net MEMBER",
            ],
        );
        assert.deepEqual(plain(byName(run, "workspace-ops").inputs.declaredMembers), ["kris@moosequest.net", "oncall@moosequest.net"]);
    });

    it("exports the addresses as a stack output", () => {
        assert.deepEqual(prod.outputs.workspaceAddresses, ["ops@raxx.app", "billing@raxx.app", "no-reply@raxx.app"]);
    });

    it("declares nothing in Workspace without the workspace keys, and never in staging", async () => {
        const without = await okRun(runPinned("prod", { config: { "raxx-platform:workspaceAdminUser": "", "raxx-platform:workspaceOwner": "" } }));
        assert.deepEqual(workspaceTree(without), []);
        assert.deepEqual(without.outputs.workspaceAddresses, []);
        assert.deepEqual(workspaceTree(await okRun(runPinned("staging"))), []);
    });

    describe("no-reply@ as a user", () => {
        it("issues a password per slot, checks each, and writes the active one to a suspended user, protected", () => {
            assert.deepEqual(workspaceTree(user).filter((l) => l.includes("no-reply")), [
                "ConsumerCheck workspace-no-reply-user-check < workspace",
                "CredentialCheck workspace-no-reply-password-check-a < workspace-no-reply-password",
                "CredentialCheck workspace-no-reply-password-check-b < workspace-no-reply-password",
                "RandomPassword workspace-no-reply-password-password-a < workspace-no-reply-password",
                "RandomPassword workspace-no-reply-password-password-b < workspace-no-reply-password",
                "RotatingPassword workspace-no-reply-password < workspace",
                "User workspace-no-reply-user < workspace",
            ]);
            assert.deepEqual(
                ofType(user, "random:index/randomPassword:RandomPassword").map((p) => [p.name, plain(p.inputs.length), plain(p.inputs.special), p.options.replacementTrigger]),
                [
                    ["workspace-no-reply-password-password-a", 40, false, "2026-08-04"],
                    ["workspace-no-reply-password-password-b", 40, false, "2026-11-28"],
                ],
            );
            const u = byName(user, "workspace-no-reply-user");
            assert.deepEqual(
                Object.fromEntries(["primaryEmail", "givenName", "familyName", "suspended"].map((k) => [k, plain(u.inputs[k])])),
                { primaryEmail: "no-reply@raxx.app", givenName: "No Reply", familyName: "Raxx", suspended: true },
            );
            assert.equal(u.options.protect, true);
            assert.equal(u.options.retainOnDelete, true);
            // The preconditions, and (through the password) slot b's password and its check.
            const b = ["workspace-no-reply-password-password-b", "workspace-no-reply-password-check-b"].map((n) => byName(user, n).urn);
            assert.deepEqual([...u.options.dependsOn].sort(), [byName(user, "workspace-preconditions").urn, ...b].sort());
        });

        it("hands the user the active slot's password, as a secret, only through that slot's check", () => {
            const u = byName(user, "workspace-no-reply-user");
            assert.ok(isSecretValue(u.inputs.password), "the password reaches the user as a secret");
            assert.ok(u.options.additionalSecretOutputs.includes("password"));
            const b = byName(user, "workspace-no-reply-password-password-b");
            const check = byName(user, "workspace-no-reply-password-check-b");
            assert.deepEqual([...u.options.propertyDependencies.password].sort(), [b.urn, check.urn].sort());
            assert.equal(plain(check.inputs.kind), "randomPassword");
            assert.deepEqual(plain(check.inputs.expect), { length: 40 });
        });

        it("checks the user after the write, and declares no no-reply group", () => {
            const check = byName(user, "workspace-no-reply-user-check");
            assert.deepEqual(
                Object.fromEntries(["kind", "credential", "consumer", "where"].map((k) => [k, plain(check.inputs[k])])),
                { kind: "workspaceUser", credential: "workspaceNoReplyPassword", consumer: "workspace user no-reply@raxx.app", where: { primaryEmail: "no-reply@raxx.app" } },
            );
            const after = ["workspace-no-reply-user", "workspace-no-reply-password-password-b", "workspace-no-reply-password-check-b"].map((n) => byName(user, n).urn);
            assert.deepEqual([...check.options.dependsOn].sort(), after.sort());
            assert.deepEqual(ofType(user, T("Group")).map((g) => g.name), ["workspace-billing", "workspace-ops"]);
            assert.deepEqual(user.outputs.workspaceAddresses, ["ops@raxx.app", "billing@raxx.app", "no-reply@raxx.app"]);
        });

        it("puts the password in the secrets map, issued in both slots and written to the user from the active one; and nowhere in the group form", () => {
            const entry = (run: MockRunResult) => credentialEntries(run).find((r) => r.id === "workspaceNoReplyPassword");
            assert.equal(entry(prod), undefined);
            assert.deepEqual(entry(user), {
                id: "workspaceNoReplyPassword",
                description: "password of the suspended Workspace user no-reply@, which nobody holds",
                issuedBy: "random password",
                issuers: [
                    { slot: "a", resource: "workspace-no-reply-password-password-a", type: "random:index/randomPassword:RandomPassword" },
                    { slot: "b", resource: "workspace-no-reply-password-password-b", type: "random:index/randomPassword:RandomPassword" },
                ],
                placements: [{ place: "workspace user no-reply@raxx.app", kind: "workspace-user", slot: "b", resource: "workspace-no-reply-user" }],
            });
        });
    });
});
