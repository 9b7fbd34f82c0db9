// The Group provider, run from its serialized text through the provider-host emulation,
// against the fake Google: what the fake holds after each step, and the exact outputs.
import { strict as assert } from "node:assert";

import { checkedCreate, checkedUpdate } from "../harness/serializedProvider";
import { DEFAULT_SETTINGS } from "./fakeWorkspace";
import { ADMIN, fails, useFakeWorkspace } from "./helpers";
import { useSerializedWorkspace } from "./serialized";

const OPS = "ops@raxx.app";
const SETTINGS = { whoCanPostMessage: "ALL_MEMBERS_CAN_POST", allowExternalMembers: "false" };

/** A Group's inputs as the engine sends them: ops@ with SETTINGS, `over` on top, and the registered text. */
function groupInputs(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return { email: OPS, name: "Raxx Ops", description: "Operations", settings: SETTINGS, declaredMembers: [ADMIN], undeclaredMembers: "keep", ...over, __provider: text };
}

describe("Google Workspace Group, from the serialized text", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => groupInputs(p.text.Group, over);
    const outs = (x: Record<string, unknown>) => {
        const { __provider: _, ...rest } = x;
        return rest;
    };
    const settingsPatches = () => ctx.google.requests.filter((r) => r.method === "PATCH" && r.path === `/groups/v1/groups/${OPS}`).map((r) => r.body);

    it("creates a group that does not exist: inserts it, patches only the declared settings that differ, and reports no one undeclared", async () => {
        const made = await checkedCreate(p.host, inputs());
        const g = ctx.google.group(OPS)!;
        assert.equal(made.id, g.id);
        assert.deepEqual(outs(made.outs), {
            email: OPS,
            name: "Raxx Ops",
            description: "Operations",
            settings: SETTINGS,
            declaredMembers: [ADMIN],
            undeclaredMembers: "keep",
            groupId: g.id,
            adopted: false,
            previousSettings: {},
            undeclared: [],
        });
        assert.deepEqual([g.name, g.description], ["Raxx Ops", "Operations"]);
        assert.deepEqual(g.settings, { ...DEFAULT_SETTINGS, whoCanPostMessage: "ALL_MEMBERS_CAN_POST" });
        // allowExternalMembers is "false" already: only whoCanPostMessage is sent.
        assert.deepEqual(settingsPatches(), [{ whoCanPostMessage: "ALL_MEMBERS_CAN_POST" }]);
        assert.deepEqual(ctx.google.writes(), ["POST /admin/directory/v1/groups", `PATCH /groups/v1/groups/${OPS}`]);
        assert.ok(ctx.google.requests.filter((r) => r.path.startsWith("/groups/v1/")).every((r) => r.query.alt === "json"), "every Groups Settings call asks for JSON");
    });

    it("adopts a group made by hand: nothing deleted, name and description set, the old settings kept in previousSettings, hand-added members reported", async () => {
        const hand = ctx.google.addGroup(OPS, {
            name: "ops",
            description: "",
            settings: { whoCanPostMessage: "ANYONE_CAN_POST", allowExternalMembers: "true", whoCanJoin: "INVITED_CAN_JOIN" },
            members: [{ email: "Zed@Example.com" }, { email: ADMIN, role: "OWNER" }, { email: "ann@raxx.app" }],
        });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.id, hand.id, "the same group, never made again");
        assert.deepEqual(outs(made.outs), {
            ...outs(inputs()),
            groupId: hand.id,
            adopted: true,
            previousSettings: { whoCanPostMessage: "ANYONE_CAN_POST", allowExternalMembers: "true" },
            undeclared: ["ann@raxx.app", "zed@example.com"],
        });
        const g = ctx.google.group(OPS)!;
        assert.deepEqual([g.name, g.description], ["Raxx Ops", "Operations"]);
        assert.deepEqual(g.settings, { ...DEFAULT_SETTINGS, ...SETTINGS, whoCanJoin: "INVITED_CAN_JOIN" }, "undeclared settings are left as they are");
        assert.deepEqual(ctx.google.memberList(OPS), ["zed@example.com: MEMBER", `${ADMIN}: OWNER`, "ann@raxx.app: MEMBER"], "keep: no member removed");
        assert.deepEqual(ctx.google.writes(), [`PATCH /admin/directory/v1/groups/${hand.id}`, `PATCH /groups/v1/groups/${OPS}`]);
    });

    it("undeclaredMembers remove: an adopted group's undeclared members are deleted, the declared ones kept", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", members: [{ email: "ann@raxx.app" }, { email: ADMIN, role: "OWNER" }, { email: "bob@raxx.app" }] });
        const made = await checkedCreate(p.host, inputs({ undeclaredMembers: "remove" }));
        assert.deepEqual(made.outs.undeclared, []);
        assert.deepEqual(ctx.google.memberList(OPS), [`${ADMIN}: OWNER`]);
        const id = ctx.google.group(OPS)!.id;
        assert.deepEqual(ctx.google.writes(), [`PATCH /groups/v1/groups/${OPS}`, `DELETE /admin/directory/v1/groups/${id}/members/ann@raxx.app`, `DELETE /admin/directory/v1/groups/${id}/members/bob@raxx.app`]);
    });

    it("lists every page of members", async () => {
        ctx.google.memberPageSize = 2;
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", members: ["e", "d", "c", "b", "a"].map((x) => ({ email: `${x}@raxx.app` })) });
        const made = await checkedCreate(p.host, inputs());
        assert.deepEqual(made.outs.undeclared, ["a@raxx.app", "b@raxx.app", "c@raxx.app", "d@raxx.app", "e@raxx.app"]);
        assert.equal(ctx.google.count("GET", /\/members$/), 3);
    });

    it("updates a setting: only that key is patched, in place, and previousSettings stays", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", settings: { whoCanPostMessage: "ANYONE_CAN_POST" } });
        const made = await checkedCreate(p.host, inputs());
        const before = ctx.google.requests.length;
        const news = inputs({ settings: { ...SETTINGS, whoCanPostMessage: "ALL_MANAGERS_CAN_POST", whoCanJoin: "INVITED_CAN_JOIN" } });
        const after = await checkedUpdate(p.host, made.id, made.outs, news);
        assert.deepEqual(outs(after), {
            ...outs(news),
            groupId: made.id,
            adopted: true,
            // whoCanJoin is newly owned: its value before the stack is recorded too.
            previousSettings: { whoCanPostMessage: "ANYONE_CAN_POST", whoCanJoin: "CAN_REQUEST_TO_JOIN" },
            undeclared: [],
        });
        assert.deepEqual(settingsPatches().slice(-1), [{ whoCanPostMessage: "ALL_MANAGERS_CAN_POST", whoCanJoin: "INVITED_CAN_JOIN" }]);
        assert.deepEqual(
            ctx.google.requests.slice(before).filter((r) => r.method !== "GET" && r.path !== "/token").map((r) => `${r.method} ${r.path}`),
            [`PATCH /groups/v1/groups/${OPS}`],
        );
    });

    it("renames the group in place: an email change is an update of the same id, never a replacement", async () => {
        const made = await checkedCreate(p.host, inputs());
        const news = inputs({ email: "operations@raxx.app", name: "Raxx Operations" });
        const after = await checkedUpdate(p.host, made.id, made.outs, news);
        assert.equal(after.groupId, made.id);
        // Google keeps the old address, as an alias of the same group.
        assert.equal(ctx.google.group(OPS)?.id, made.id);
        assert.deepEqual(ctx.google.group(OPS)?.aliases, [OPS]);
        const g = ctx.google.group("operations@raxx.app")!;
        assert.deepEqual([g.id, g.name], [made.id, "Raxx Operations"]);
        assert.ok(!ctx.google.writes().some((w) => w.startsWith("DELETE")), "nothing deleted");
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 1, "nothing made again");
        assert.ok(ctx.google.requests.some((r) => r.method === "PATCH" && r.path === `/admin/directory/v1/groups/${made.id}` && JSON.stringify(r.body) === '{"email":"operations@raxx.app","name":"Raxx Operations"}'));
    });

    it("diff: every change is an update, never a replacement; a refresh that found members to remove is a change", async () => {
        const made = await checkedCreate(p.host, inputs());
        const same = await p.host.diff(made.id, made.outs, (await p.host.check(made.outs, inputs())).inputs);
        assert.deepEqual(same, { changes: false, replaces: [], deleteBeforeReplace: false });
        for (const over of [{ email: "x@raxx.app" }, { name: "X" }, { description: "X" }, { settings: {} }, { declaredMembers: [] }, { undeclaredMembers: "remove" }]) {
            const d = await p.host.diff(made.id, made.outs, (await p.host.check(made.outs, inputs(over))).inputs);
            assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false }, JSON.stringify(over));
        }
        const refreshed = { ...made.outs, undeclaredMembers: "remove", undeclared: ["zed@example.com"] };
        assert.equal((await p.host.diff(made.id, refreshed, (await p.host.check(refreshed, inputs({ undeclaredMembers: "remove" }))).inputs)).changes, true);
        // keep leaves them, and reports them as drift: an update (that writes nothing) until they are declared or removed.
        assert.equal((await p.host.diff(made.id, { ...made.outs, undeclared: ["zed@example.com"] }, (await p.host.check(made.outs, inputs())).inputs)).changes, true, "keep reports");
        assert.equal((await p.host.diff(made.id, { ...made.outs, undeclared: [] }, (await p.host.check(made.outs, inputs())).inputs)).changes, false);
    });

    it("read (refresh) shows drift: a hand-added member in undeclared, a hand-changed setting, name and description; the next update puts them back", async () => {
        const made = await checkedCreate(p.host, inputs());
        const g = ctx.google.group(OPS)!;
        g.members.push({ id: "1x", email: "intruder@example.com", role: "MEMBER", type: "USER" });
        g.settings.whoCanPostMessage = "ANYONE_CAN_POST";
        g.settings.whoCanJoin = "ALL_IN_DOMAIN_CAN_JOIN"; // not declared: not read
        g.name = "ops (hand)";
        const read = await p.host.read(made.id, made.outs);
        assert.equal(read.id, made.id);
        assert.deepEqual(outs(read.props!), {
            ...outs(made.outs),
            name: "ops (hand)",
            settings: { whoCanPostMessage: "ANYONE_CAN_POST", allowExternalMembers: "false" },
            undeclared: ["intruder@example.com"],
        });
        const updated = await checkedUpdate(p.host, made.id, read.props!, inputs());
        assert.equal(g.name, "Raxx Ops");
        assert.equal(g.settings.whoCanPostMessage, "ALL_MEMBERS_CAN_POST");
        assert.deepEqual(updated.undeclared, ["intruder@example.com"], "keep: still there, still reported");
        assert.deepEqual(ctx.google.memberList(OPS), ["intruder@example.com: MEMBER"]);
    });

    it("read of a group deleted by hand: gone (no id), so a refresh drops it", async () => {
        const made = await checkedCreate(p.host, inputs());
        ctx.google.groups.delete(made.id);
        assert.deepEqual(await p.host.read(made.id, made.outs), { id: undefined, props: { __provider: p.text.Group } });
    });

    it("delete removes the group; a group already gone is fine", async () => {
        const made = await checkedCreate(p.host, inputs());
        await p.host.delete(made.id, made.outs);
        assert.equal(ctx.google.group(OPS), undefined);
        await p.host.delete(made.id, made.outs);
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.method === "DELETE").map((r) => r.status),
            [204, 404],
        );
    });

    it("an insert that races another (GET 404, then 409): the group is adopted, not made twice", async () => {
        const hand = ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations" });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${OPS}`, status: 404, body: { error: { code: 404, message: "Resource Not Found: groupKey", errors: [{ reason: "notFound" }] } } });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.id, hand.id);
        assert.equal(made.outs.adopted, true);
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.path.startsWith("/admin/directory/v1/groups") && !r.path.endsWith("/members")).map((r) => `${r.method} ${r.status}`),
            ["GET 404", "POST 409", "GET 200"],
        );
        assert.equal(ctx.google.groups.size, 1);
    });

    it("an address a user has: 409, and the message says so", async () => {
        ctx.google.addUser(OPS);
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs()),
            "Directory API POST groups failed: 409 duplicate: Entity already exists. ops@raxx.app is taken, but not by a group: a user, or an alias of a user or group, has it. " +
                "Choose another address, or free this one in the Admin console, then run Pulumi again.",
        );
    });

    it("a 5xx on the insert is never sent again: the create looks the group up, and adopts the one its lost reply made", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 502, applied: true });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.id, ctx.google.group(OPS)!.id);
        assert.equal(made.outs.adopted, false, "made by this create");
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 1);
        assert.equal(ctx.google.groups.size, 1);
    });

    it("a 5xx on an insert that was not applied: one POST, then the error, saying a create adopts", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 503, times: 10 });
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs()),
            "Directory API POST groups failed: 503 backendError: The service is currently unavailable. " +
                "The insert of group ops@raxx.app may or may not have been applied: then run Pulumi again (a create adopts the group if it is there).",
        );
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 1);
        assert.equal(ctx.google.groups.size, 0);
    });

    it("update of a group deleted by hand: an error that says to refresh", async () => {
        const made = await checkedCreate(p.host, inputs());
        ctx.google.groups.delete(made.id);
        await fails(
            ctx.google,
            p.host.update(made.id, made.outs, inputs({ name: "New" })),
            `Google group ${OPS} (id ${made.id}) no longer exists: it was deleted outside Pulumi. Run \`pulumi refresh\`, which drops it from the state, then \`pulumi up\` to make it again.`,
        );
    });

    it("import is not supported: read without state says how to adopt", async () => {
        await fails(
            undefined,
            p.host.read("0abc", { __provider: p.text.Group }),
            "Google group 0abc: read needs the resource's state (its declared settings and members). Importing is not supported: declare the group with its address and run `pulumi up`, which adopts it without deleting anything.",
        );
    });

    it("check: lowercases addresses, fills defaults, and names each bad input", async () => {
        const ok = await p.host.check({}, { email: "Ops@Raxx.App", name: "Raxx Ops", declaredMembers: ["Kris@raxx.app", "kris@raxx.app"], __provider: p.text.Group });
        assert.deepEqual(ok.failures, []);
        assert.deepEqual(outs(ok.inputs), { email: OPS, name: "Raxx Ops", description: "", settings: {}, declaredMembers: [ADMIN], undeclaredMembers: "keep" });
        const bad = await p.host.check(
            {},
            inputs({ email: "ops", name: "", settings: { allowWebPosting: true, name: "x", "bad-key": "1" }, declaredMembers: ["nobody"], undeclaredMembers: "delete" }),
        );
        assert.deepEqual(bad.failures, [
            { property: "email", reason: 'email must be an email address (e.g. "ops@raxx.app")' },
            { property: "name", reason: 'name must be the group\'s display name, not empty (e.g. "Raxx Ops")' },
            { property: "settings", reason: 'settings.allowWebPosting must be a string, as the Groups Settings API has every value (e.g. "true", not true)' },
            { property: "settings", reason: "settings.name is not a Groups Settings API field the stack can set (set the group's email, name and description through their own inputs)" },
            { property: "settings", reason: "settings.bad-key is not a Groups Settings API field the stack can set" },
            { property: "declaredMembers", reason: 'declaredMembers must be the list of member addresses the stack declares (e.g. ["kris@raxx.app"])' },
            { property: "undeclaredMembers", reason: 'undeclaredMembers must be "keep" (report them) or "remove" (delete them from the group)' },
        ]);
    });

    it("check: the group's own fields are not settings, each named with where to set it", async () => {
        const r = await p.host.check({}, inputs({ settings: { kind: "x", email: "x", description: "x" } }));
        const own = " is not a Groups Settings API field the stack can set (set the group's email, name and description through their own inputs)";
        assert.deepEqual(r.failures, ["kind", "email", "description"].map((k) => ({ property: "settings", reason: `settings.${k}${own}` })));
    });

    it("check: unknown values (preview) pass", async () => {
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const r = await p.host.check({}, inputs({ email: UNKNOWN, name: UNKNOWN, settings: { whoCanJoin: UNKNOWN }, declaredMembers: [UNKNOWN] }));
        assert.deepEqual(r.failures, []);
    });
});

describe("Google Workspace Group, from the serialized text: what Google does that the happy path hides", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => groupInputs(p.text.Group, over);
    const SETTINGS_PATH = `/groups/v1/groups/${OPS}`;

    it("never adopts another group that has the address as an alias: refuses, and writes nothing", async () => {
        const team = ctx.google.addGroup("team@raxx.app", { name: "Team" });
        team.aliases.push(OPS);
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs()),
            "Google group ops@raxx.app: Google answers for this address with the group team@raxx.app, whose alias it is. The stack adopts a group only by its own address, " +
                "and never renames another group: remove the alias from team@raxx.app in the Admin console (Directory > Groups > the group > Group information), or declare another address, then run Pulumi again.",
        );
        assert.deepEqual(ctx.google.writes(), []);
        assert.deepEqual([team.email, team.name], ["team@raxx.app", "Team"]);
    });

    it("a failure after the insert reports the group made (its id, no settings yet), and the next up's update finishes it", async () => {
        ctx.google.inject({ method: "PATCH", path: SETTINGS_PATH, status: 400 });
        const err = (await fails(ctx.google, checkedCreate(p.host, inputs()), /^Groups Settings API PATCH groups\/ops@raxx\.app failed: 400 /)) as Error & { id?: string; properties?: Record<string, unknown> };
        const made = ctx.google.group(OPS)!;
        assert.equal(err.id, made.id, "the engine records the group it made");
        const { __provider: _, ...state } = err.properties!;
        const { __provider: __, ...declared } = inputs();
        assert.deepEqual(state, { ...declared, settings: {}, groupId: made.id, adopted: false, previousSettings: {}, undeclared: [] });
        // The engine updates a resource that failed to initialize: the same group, finished, not adopted.
        const { outs } = await p.host.update(made.id, err.properties!, (await p.host.check(err.properties!, inputs())).inputs);
        assert.deepEqual([outs.adopted, outs.settings, outs.previousSettings], [false, SETTINGS, {}]);
        assert.equal(ctx.google.group(OPS)?.settings.whoCanPostMessage, "ALL_MEMBERS_CAN_POST");
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/groups"), 1, "made once");
    });

    it("an adopted group whose create fails after its settings keeps what they were, for the update that finishes it", async () => {
        ctx.google.addGroup(OPS, { name: "ops", settings: { whoCanPostMessage: "ANYONE_CAN_POST" } });
        // Every attempt of the member listing (3 here, FAST_ENV) fails.
        ctx.google.inject({ method: "GET", path: /\/members$/, status: 500, times: 3 });
        const err = (await fails(ctx.google, checkedCreate(p.host, inputs()), /members failed after 3 attempts: 500/)) as Error & { properties?: Record<string, unknown> };
        assert.deepEqual([err.properties?.adopted, err.properties?.settings, err.properties?.previousSettings], [true, SETTINGS, { whoCanPostMessage: "ANYONE_CAN_POST" }]);
        ctx.google.requests.splice(0);
        const { outs } = await p.host.update(String((err as { id?: string }).id), err.properties!, (await p.host.check(err.properties!, inputs())).inputs);
        assert.deepEqual([outs.adopted, outs.previousSettings], [true, { whoCanPostMessage: "ANYONE_CAN_POST" }]);
    });

    it("a new group Google does not know yet (404 from Groups Settings) and a 403 rate limit are sent again, within the attempts", async () => {
        ctx.google.inject({ method: "GET", path: SETTINGS_PATH, status: 404, times: 2 });
        ctx.google.inject({
            method: "GET",
            path: `/admin/directory/v1/groups/${OPS}`,
            status: 403,
            body: { error: { code: 403, message: "Quota exceeded for quota metric 'Queries'.", errors: [{ reason: "userRateLimitExceeded", domain: "usageLimits" }], status: "PERMISSION_DENIED" } },
        });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.outs.adopted, false);
        assert.equal(ctx.google.count("GET", SETTINGS_PATH), 3);
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${OPS}`), 2);
    });

    it("a 404 from Groups Settings for a group made long ago is an answer, not retried", async () => {
        const made = await checkedCreate(p.host, inputs());
        ctx.google.inject({ method: "GET", path: SETTINGS_PATH, status: 404 });
        const before = ctx.google.count("GET", SETTINGS_PATH);
        await fails(ctx.google, checkedUpdate(p.host, made.id, made.outs, inputs({ settings: { whoCanPostMessage: "ALL_IN_DOMAIN_CAN_POST" } })), /^Groups Settings API GET groups\/ops@raxx\.app failed: 404 /);
        assert.equal(ctx.google.count("GET", SETTINGS_PATH) - before, 1);
    });
});
