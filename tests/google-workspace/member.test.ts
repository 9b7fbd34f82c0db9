// The Member provider, run from its serialized text through the provider-host emulation,
// against the fake Google.
import { strict as assert } from "node:assert";

import { checkedCreate, checkedUpdate } from "../harness/serializedProvider";
import { ADMIN, fails, useFakeWorkspace } from "./helpers";
import { useSerializedWorkspace } from "./serialized";

const OPS = "ops@raxx.app";
const ANN = "ann@raxx.app";

describe("Google Workspace Member, from the serialized text", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => ({ group: OPS, email: ANN, role: "MEMBER", ...over, __provider: p.text.Member });
    const outs = (x: Record<string, unknown>) => {
        const { __provider: _, ...rest } = x;
        return rest;
    };
    beforeEach(() => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", members: [{ email: ADMIN, role: "OWNER" }] });
    });

    it("adds a member: one insert, id <group>/<email>", async () => {
        const made = await checkedCreate(p.host, inputs());
        assert.deepEqual(made.id, `${OPS}/${ANN}`);
        assert.deepEqual(outs(made.outs), { group: OPS, email: ANN, role: "MEMBER", adopted: false });
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`, `${ANN}: MEMBER`]);
        assert.deepEqual(ctx.google.writes(), [`POST /admin/directory/v1/groups/${OPS}/members`]);
    });

    it("adopts a membership made by hand (409): nothing removed, the role set to the declared one", async () => {
        const made = await checkedCreate(p.host, inputs({ email: ADMIN, role: "MANAGER" }));
        assert.deepEqual(outs(made.outs), { group: OPS, email: ADMIN, role: "MANAGER", adopted: true });
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: MANAGER`]);
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.path !== "/token").map((r) => `${r.method} ${r.status}`),
            ["POST 409", "GET 200", "PATCH 200"],
        );
    });

    it("adopts a membership with the declared role without writing anything after the 409", async () => {
        const made = await checkedCreate(p.host, inputs({ email: ADMIN, role: "OWNER" }));
        assert.equal(made.outs.adopted, true);
        assert.deepEqual(ctx.google.writes(), []);
    });

    it("a role change is an update: one PATCH of the role", async () => {
        const made = await checkedCreate(p.host, inputs());
        const after = await checkedUpdate(p.host, made.id, made.outs, inputs({ role: "OWNER" }));
        assert.deepEqual(outs(after), { group: OPS, email: ANN, role: "OWNER", adopted: false });
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`, `${ANN}: OWNER`]);
        assert.deepEqual(ctx.google.writes(), [`POST /admin/directory/v1/groups/${OPS}/members`, `PATCH /admin/directory/v1/groups/${OPS}/members/${ANN}`]);
    });

    it("diff: group or email replaces (the new membership first), role updates, nothing else changes", async () => {
        const made = await checkedCreate(p.host, inputs());
        const diff = async (over: Record<string, unknown>) => p.host.diff(made.id, made.outs, (await p.host.check(made.outs, inputs(over))).inputs);
        assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ email: "bob@raxx.app" }), { changes: true, replaces: ["email"], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ group: "billing@raxx.app" }), { changes: true, replaces: ["group"], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ role: "MANAGER" }), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ email: "ANN@Raxx.app" }), { changes: false, replaces: [], deleteBeforeReplace: false }, "addresses compare without case");
    });

    it("a replacement (another member): the new one is added, then the old one removed", async () => {
        const made = await checkedCreate(p.host, inputs());
        const next = await checkedCreate(p.host, inputs({ email: "bob@raxx.app" }));
        await p.host.delete(made.id, made.outs);
        assert.equal(next.id, `${OPS}/bob@raxx.app`);
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`, "bob@raxx.app: MEMBER"]);
    });

    it("read shows a role changed by hand, and a member removed by hand as gone", async () => {
        const made = await checkedCreate(p.host, inputs());
        ctx.google.group(OPS)!.members.find((m) => m.email === ANN)!.role = "MANAGER";
        const read = await p.host.read(made.id, made.outs);
        assert.deepEqual({ id: read.id, props: outs(read.props!) }, { id: made.id, props: { group: OPS, email: ANN, role: "MANAGER", adopted: false } });
        const g = ctx.google.group(OPS)!;
        g.members = g.members.filter((m) => m.email !== ANN);
        assert.deepEqual(await p.host.read(made.id, made.outs), { id: undefined, props: { __provider: p.text.Member } });
    });

    it("delete removes the membership; one already gone, or a group gone, is fine", async () => {
        const made = await checkedCreate(p.host, inputs());
        await p.host.delete(made.id, made.outs);
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`]);
        await p.host.delete(made.id, made.outs);
        ctx.google.groups.clear();
        await p.host.delete(made.id, made.outs);
        // With the group gone, the delete finds no group and sends no DELETE at all.
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.path !== "/token").map((r) => `${r.method} ${r.status}`),
            ["POST 200", "GET 200", "DELETE 204", "GET 200", "DELETE 404", "GET 404"],
        );
    });

    it("delete by a renamed group's old address removes nothing: the Member of the new address, made first, holds it", async () => {
        // The engine's replace of a Member whose group was renamed: create at the new address, then delete at the old.
        const made = await checkedCreate(p.host, inputs());
        const g = ctx.google.group(OPS)!;
        g.aliases.push(OPS);
        g.email = "team@raxx.app";
        const moved = await checkedCreate(p.host, inputs({ group: "team@raxx.app" }));
        assert.equal(moved.outs.adopted, true);
        await p.host.delete(made.id, made.outs);
        assert.deepEqual(ctx.google.memberList("team@raxx.app"), [`${ADMIN}: OWNER`, `${ANN}: MEMBER`]);
        assert.equal(ctx.google.count("DELETE", /members/), 0);
    });

    it("a 5xx on the insert is never sent again: the create looks the membership up", async () => {
        ctx.google.inject({ method: "POST", path: `/admin/directory/v1/groups/${OPS}/members`, status: 500, applied: true });
        const made = await checkedCreate(p.host, inputs({ role: "MANAGER" }));
        assert.deepEqual(outs(made.outs), { group: OPS, email: ANN, role: "MANAGER", adopted: false });
        assert.equal(ctx.google.count("POST", `/admin/directory/v1/groups/${OPS}/members`), 1);
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`, `${ANN}: MANAGER`]);
    });

    it("a role removed by hand before an update: an error that says to refresh", async () => {
        const made = await checkedCreate(p.host, inputs());
        const g = ctx.google.group(OPS)!;
        g.members = g.members.filter((m) => m.email !== ANN);
        await fails(
            ctx.google,
            p.host.update(made.id, made.outs, inputs({ role: "OWNER" })),
            `${ANN} is no longer a member of ${OPS}: it was removed outside Pulumi. Run \`pulumi refresh\`, which drops it from the state, then \`pulumi up\` to add it again.`,
        );
    });

    it("a group that does not exist: the insert's 404, sent again while a new group may not be known yet (bounded), then what to do", async () => {
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs({ group: "nobody@raxx.app" })),
            "Directory API POST groups/nobody@raxx.app/members failed after 3 attempts: 404 notFound: Resource Not Found: groupKey. It does not exist, or the admin user cannot see it: then run Pulumi again once it does.",
        );
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups/nobody@raxx.app/members"), 3);
    });

    it("a group Google does not know yet: the insert's 404 is sent again, and the member is added", async () => {
        ctx.google.inject({ method: "POST", path: `/admin/directory/v1/groups/${OPS}/members`, status: 404, times: 2 });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.outs.adopted, false);
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`, `${ANN}: MEMBER`]);
        assert.equal(ctx.google.count("POST", `/admin/directory/v1/groups/${OPS}/members`), 3);
    });

    it("check: lowercases both addresses, defaults the role, and names bad inputs", async () => {
        const ok = await p.host.check({}, { group: "OPS@raxx.app", email: "Ann@Raxx.app", __provider: p.text.Member });
        assert.deepEqual(outs(ok.inputs), { group: OPS, email: ANN, role: "MEMBER" });
        const bad = await p.host.check({}, inputs({ group: "ops", email: 3, role: "ADMIN" }));
        assert.deepEqual(bad.failures, [
            { property: "group", reason: 'group must be an email address (e.g. "ops@raxx.app")' },
            { property: "email", reason: 'email must be an email address (e.g. "kris@raxx.app")' },
            { property: "role", reason: "role must be one of OWNER, MANAGER, MEMBER" },
        ]);
    });
});
