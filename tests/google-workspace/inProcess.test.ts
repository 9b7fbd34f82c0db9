// The Group, User, Member and DomainCheck providers in process, against the fake Google: what
// an operator reads when each call fails (the call named, the fields a caller in process gets),
// what is sent and what is not, and the edges of check, read and delete the happy paths miss.
import { strict as assert } from "node:assert";

import { GroupOutputs, GroupProvider } from "../../providers/google-workspace/group";
import { MemberOutputs, MemberProvider } from "../../providers/google-workspace/member";
import { UserOutputs, UserProvider } from "../../providers/google-workspace/user";
import { ADMIN, FAILING, fails, NEW_PASSWORD, PASSWORD, RETRY, useFakeWorkspace } from "./helpers";

const OPS = "ops@raxx.app";

function fieldsOf(e: Error): Record<string, unknown> {
    const { method, path, status } = e as Error & Record<string, unknown>;
    return { method, path, status };
}

describe("Google Workspace Group, in process", () => {
    const ctx = useFakeWorkspace();
    const group = () => new GroupProvider();
    const inputs = (over: Partial<GroupOutputs> = {}) => ({ email: OPS, name: "Raxx Ops", description: "Operations", settings: {}, declaredMembers: [ADMIN], undeclaredMembers: "keep" as const, ...over });
    const settingsCalls = () => ctx.google.requests.filter((r) => r.path.startsWith("/groups/v1/")).map((r) => r.method);

    it("check: a description of 4096 characters passes, one more does not; a blank or missing name, settings not an object, members not a list, each fail once", async () => {
        const p = group();
        assert.deepStrictEqual((await p.check(inputs(), inputs({ description: "d".repeat(4096), settings: { whoCanJoin: "INVITED_CAN_JOIN" } }))).failures, []);
        const failures = async (over: Record<string, unknown>) => (await p.check(inputs(), { ...inputs(), ...over } as never)).failures!.map((f) => `${f.property}: ${f.reason}`);
        assert.deepStrictEqual(await failures({ description: "d".repeat(4097) }), ['description: description must be a string of at most 4096 characters ("" for none)']);
        assert.deepStrictEqual(await failures({ description: 4096 }), ['description: description must be a string of at most 4096 characters ("" for none)']);
        const NAME = 'name: name must be the group\'s display name, not empty (e.g. "Raxx Ops")';
        assert.deepStrictEqual(await failures({ name: "   " }), [NAME]);
        assert.deepStrictEqual(await failures({ name: 7 }), [NAME]);
        const SETTINGS = 'settings: settings must be an object of Groups Settings API fields to string values (e.g. { whoCanPostMessage: "ALL_MEMBERS_CAN_POST", allowExternalMembers: "false" })';
        assert.deepStrictEqual(await failures({ settings: ["whoCanJoin"] }), [SETTINGS]);
        assert.deepStrictEqual(await failures({ settings: "whoCanJoin" }), [SETTINGS]);
        const MEMBERS = 'declaredMembers: declaredMembers must be the list of member addresses the stack declares (e.g. ["kris@raxx.app"])';
        assert.deepStrictEqual(await failures({ declaredMembers: ADMIN }), [MEMBERS]);
        assert.deepStrictEqual(await failures({ declaredMembers: [7] }), [MEMBERS]);
    });

    it("diff: state without description or undeclared (older state) is no change when the inputs match", async () => {
        const { description: _, ...olds } = { ...inputs({ description: "" }), groupId: "0x", adopted: false, previousSettings: {} };
        assert.deepStrictEqual(await group().diff("0x", olds as unknown as GroupOutputs, inputs({ description: "" })), { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("create: the insert body leaves out an empty description; no Groups Settings call when no setting is declared", async () => {
        const made = await group().create(inputs({ description: "" }));
        assert.deepStrictEqual(ctx.google.requests.filter((r) => r.method === "POST" && r.path === "/admin/directory/v1/groups").map((r) => r.body), [{ email: OPS, name: "Raxx Ops" }]);
        assert.deepStrictEqual(settingsCalls(), []);
        assert.deepStrictEqual(made.outs!, { ...inputs({ description: "" }), groupId: made.id, adopted: false, previousSettings: {}, undeclared: [] });
    });

    it("create: an insert Google refuses is final, looked up once only, and names the call", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 400 });
        const err = await fails(ctx.google, group().create(inputs()), `Directory API POST groups failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`);
        assert.deepStrictEqual(fieldsOf(err), { method: "POST", path: "groups", status: 400 });
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${OPS}`), 1);
    });

    it("create: the group a lost reply made is new, so Groups Settings' 404 for it is waited out", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 502, applied: true });
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 404 });
        const made = await group().create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepStrictEqual([made.outs!.adopted, ctx.google.group(OPS)?.settings.whoCanJoin], [false, "INVITED_CAN_JOIN"]);
        assert.deepStrictEqual(settingsCalls(), ["GET", "GET", "PATCH"]);
    });

    it("create: an alias of another group is refused with the GET's fields", async () => {
        ctx.google.addGroup("team@raxx.app").aliases.push(OPS);
        const err = await fails(ctx.google, group().create(inputs()), /^Google group ops@raxx\.app: Google answers for this address with the group team@raxx\.app, whose alias it is\./);
        assert.deepStrictEqual(fieldsOf(err), { method: "GET", path: `groups/${OPS}`, status: 200 });
    });

    it("create: an address a user has is refused with the insert's fields", async () => {
        ctx.google.addUser(OPS);
        const err = await fails(ctx.google, group().create(inputs()), /is taken, but not by a group/);
        assert.deepStrictEqual({ ...fieldsOf(err), reason: (err as Error & { reason?: string }).reason }, { method: "POST", path: "groups", status: 409, reason: "duplicate" });
    });

    it("create: a setting Google does not have is not recorded as a previous value; settings already right are not patched", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", settings: { whoCanJoin: "INVITED_CAN_JOIN" } });
        const { whoCanContactOwner: _, ...partial }: Record<string, string> = { kind: "groupsSettings#groups", email: OPS, ...ctx.google.group(OPS)!.settings };
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 200, body: partial });
        const made = await group().create(inputs({ settings: { whoCanContactOwner: "ALL_MEMBERS_CAN_CONTACT", whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepStrictEqual([made.outs!.adopted, made.outs!.previousSettings], [true, {}]);
        ctx.google.requests.splice(0);
        const same = await group().update(made.id, made.outs!, inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepStrictEqual(settingsCalls(), ["GET"], "nothing to patch");
        assert.deepStrictEqual(same.outs!.previousSettings, {});
    });

    it("update: a key owned since adoption, unchanged then, records nothing when the stack changes it later; state without settings reads as none owned", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", settings: { whoCanJoin: "INVITED_CAN_JOIN" } });
        const made = await group().create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepStrictEqual(made.outs!.previousSettings, {});
        const later = await group().update(made.id, made.outs!, inputs({ settings: { whoCanJoin: "ALL_IN_DOMAIN_CAN_JOIN" } }));
        assert.deepStrictEqual(later.outs!.previousSettings, {}, "the value it replaced was the stack's own");
        const { settings: _, ...old } = later.outs!;
        const again = await group().update(made.id, old as GroupOutputs, inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepStrictEqual(again.outs!.previousSettings, { whoCanJoin: "ALL_IN_DOMAIN_CAN_JOIN" }, "newly owned: its value before is recorded");
    });

    it("update: no declared settings, no Groups Settings call; a rename waits out Groups Settings' 404 for the new address", async () => {
        const made = await group().create(inputs());
        ctx.google.requests.splice(0);
        await group().update(made.id, made.outs!, inputs({ name: "Ops" }));
        assert.deepStrictEqual(settingsCalls(), []);
        ctx.google.inject({ method: "GET", path: "/groups/v1/groups/operations@raxx.app", status: 404 });
        const renamed = await group().update(made.id, made.outs!, inputs({ email: "operations@raxx.app", settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.equal(renamed.outs!.email, "operations@raxx.app");
        assert.equal(ctx.google.group("operations@raxx.app")?.settings.whoCanJoin, "INVITED_CAN_JOIN");
    });

    it("update: a group deleted by hand, with the GET's fields; a PATCH that fails names its call", async () => {
        const made = await group().create(inputs());
        ctx.google.inject({ method: "PATCH", path: `/admin/directory/v1/groups/${made.id}`, status: 503, times: 3 });
        await fails(ctx.google, group().update(made.id, made.outs!, inputs({ name: "New" })), `Directory API PATCH groups/${made.id} failed after 3 attempts: ${FAILING}`);
        ctx.google.groups.delete(made.id);
        const err = await fails(ctx.google, group().update(made.id, made.outs!, inputs({ name: "New" })), /no longer exists: it was deleted outside Pulumi/);
        assert.deepStrictEqual(fieldsOf(err), { method: "GET", path: `groups/${made.id}`, status: 404 });
    });

    it("read: without an email in state it refuses; Google's missing fields read as empty; undeclared settings Google lacks are dropped; every member undeclared when none are declared", async () => {
        await fails(undefined, group().read("0abc", { settings: {} } as unknown as GroupOutputs), /^Google group 0abc: read needs the resource's state/);
        const made = await group().create(inputs({ description: "" }));
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${made.id}`, status: 200, body: { id: made.id, email: "OPS@raxx.app" } });
        const { declaredMembers: _, ...state } = { ...made.outs!, settings: { whoCanJoin: "CAN_REQUEST_TO_JOIN", customFooterText: "x" } };
        ctx.google.addMember(OPS, "Zed@raxx.app");
        ctx.google.addMember(OPS, ADMIN);
        const read = await group().read(made.id, state as unknown as GroupOutputs);
        assert.deepStrictEqual(read, {
            id: made.id,
            props: { ...state, email: OPS, name: "", description: "", settings: { whoCanJoin: "CAN_REQUEST_TO_JOIN" }, undeclared: ["zed@raxx.app", ADMIN].sort() },
        });
    });

    it("read: a 404 from Groups Settings or the member list of a group made long ago is an answer, not retried", async () => {
        const made = await group().create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 404 });
        await fails(ctx.google, group().read(made.id, made.outs!), /^Groups Settings API GET groups\/ops@raxx\.app failed: 404 failedPrecondition/);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${made.id}/members`, status: 404 });
        await fails(ctx.google, group().read(made.id, made.outs!), new RegExp(`^Directory API GET groups/${made.id}/members failed: 404 failedPrecondition`));
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${made.id}/members`), 2, "one at create, one at read");
    });

    it("read: settings that are not JSON (something else answered) are refused", async () => {
        const made = await group().create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 200, body: "<entry>not json</entry>" });
        const err = await fails(
            ctx.google,
            group().read(made.id, made.outs!),
            `Groups Settings API GET groups/${OPS} answered something that is not the group's settings in JSON: something other than Google answered. Then run Pulumi again.`,
        );
        assert.deepStrictEqual(fieldsOf(err), { method: "GET", path: `groups/${OPS}`, status: 200 });
    });

    it("members: one without an address is known by its id, one without either is skipped, an empty page token ends the list, and the undeclared are sorted", async () => {
        const made = await group().create(inputs());
        ctx.google.inject({
            method: "GET",
            path: `/admin/directory/v1/groups/${made.id}/members`,
            status: 200,
            body: { members: ["c@raxx.app", "a@raxx.app", "f@raxx.app", "b@raxx.app", "e@raxx.app", "d@raxx.app"].map((email) => ({ email })).concat([{ id: "C0Fake" } as never, {} as never]), nextPageToken: "" },
        });
        const read = await group().read(made.id, made.outs!);
        assert.deepStrictEqual(read.props?.undeclared, ["a@raxx.app", "b@raxx.app", "c0fake", "c@raxx.app", "d@raxx.app", "e@raxx.app", "f@raxx.app"]);
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${made.id}/members`), 2);
        assert.deepStrictEqual(ctx.google.requests.filter((r) => r.path.endsWith("/members")).map((r) => r.query), [{ maxResults: "200" }, { maxResults: "200" }]);
    });

    it("remove: a member already gone is fine; another failure names the DELETE", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", members: [{ email: "ann@raxx.app" }, { email: "bob@raxx.app" }] });
        const id = ctx.google.group(OPS)!.id;
        ctx.google.inject({ method: "DELETE", path: `/admin/directory/v1/groups/${id}/members/ann@raxx.app`, status: 404 });
        const made = await group().create(inputs({ declaredMembers: [], undeclaredMembers: "remove" }));
        assert.deepStrictEqual([made.outs!.undeclared, ctx.google.memberList(OPS)], [[], ["ann@raxx.app: MEMBER"]]);
        ctx.google.inject({ method: "DELETE", path: `/admin/directory/v1/groups/${id}/members/ann@raxx.app`, status: 503, times: 3 });
        await fails(ctx.google, group().update(id, made.outs!, inputs({ declaredMembers: [], undeclaredMembers: "remove" })), `Directory API DELETE groups/${id}/members/ann@raxx.app failed after 3 attempts: ${FAILING}`);
    });

    it("delete: a failure other than 404 is the DELETE's error", async () => {
        const made = await group().create(inputs());
        ctx.google.inject({ method: "DELETE", status: 503, times: 3 });
        const err = await fails(ctx.google, group().delete(made.id), `Directory API DELETE groups/${made.id} failed after 3 attempts: ${FAILING}`);
        assert.deepStrictEqual(fieldsOf(err), { method: "DELETE", path: `groups/${made.id}`, status: 503 });
        assert.ok(ctx.google.group(OPS));
    });
});

describe("Google Workspace User, in process", () => {
    const ctx = useFakeWorkspace();
    const user = () => new UserProvider();
    const NR = "no-reply@raxx.app";
    const inputs = (over: Partial<UserOutputs> = {}) => ({ primaryEmail: NR, givenName: "No Reply", familyName: "Raxx", password: PASSWORD, suspended: true, ...over });

    it("check: passwords of 32 and 100 characters pass, 31 and 101 do not; a blank name part fails", async () => {
        const p = user();
        const failures = async (over: Record<string, unknown>) => (await p.check(inputs(), { ...inputs(), ...over } as never)).failures!.map((f) => f.property);
        assert.deepStrictEqual(await failures({ password: "p".repeat(32) }), []);
        assert.deepStrictEqual(await failures({ password: "p".repeat(100) }), []);
        assert.deepStrictEqual(await failures({ password: "p".repeat(31) }), ["password"]);
        assert.deepStrictEqual(await failures({ password: "p".repeat(101) }), ["password"]);
        assert.deepStrictEqual(await failures({ givenName: "  ", familyName: 3 }), ["givenName", "familyName"]);
    });

    it("create: the password is masked in a lookup's failure; an insert Google refuses is final and looked up once", async () => {
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${NR}`, status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}`, errors: [{ reason: "invalid" }] } } });
        await fails(ctx.google, user().create(inputs()), `Directory API GET users/${NR} failed: 400 invalid: echo [redacted]. Google refused the request: correct what its message names, ${RETRY}.`);
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 400 });
        ctx.google.requests.splice(0);
        await fails(ctx.google, user().create(inputs()), /^Directory API POST users failed: 400 /);
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/users/${NR}`), 1);
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 503 });
        await fails(
            ctx.google,
            user().create(inputs()),
            `Directory API POST users failed: 503 backendError: The service is currently unavailable. The insert of user ${NR} may or may not have been applied: ${RETRY} (a create adopts the user if it is there).`,
        );
    });

    it("create: an address a group has is refused, with the insert's fields", async () => {
        ctx.google.addGroup(NR);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${NR}`, status: 404, times: 2 });
        const err = await fails(
            ctx.google,
            user().create(inputs()),
            `Directory API POST users failed: 409 duplicate: Entity already exists. ${NR} is taken, but not by a user: a group, or an alias of a user or group, has it. Choose another address, or free this one in the Admin console, ${RETRY}.`,
        );
        assert.deepStrictEqual({ ...fieldsOf(err), reason: (err as Error & { reason?: string }).reason }, { method: "POST", path: "users", status: 409, reason: "duplicate" });
    });

    it("create: a user found by an alias is refused, with the GET's fields; a user whose family name alone differs is patched", async () => {
        ctx.google.addUser("someone@raxx.app", { aliases: [NR] });
        const err = await fails(ctx.google, user().create(inputs()), /^Google user no-reply@raxx\.app: Google answers for this address with the user someone@raxx\.app/);
        assert.deepStrictEqual(fieldsOf(err), { method: "GET", path: `users/${NR}`, status: 200 });
        ctx.google.addUser("ann@raxx.app", { givenName: "Ann", familyName: "Old", suspended: true });
        await user().create(inputs({ primaryEmail: "ann@raxx.app", givenName: "Ann", familyName: "New" }));
        assert.equal(ctx.google.user("ann@raxx.app")?.familyName, "New");
    });

    it("read: needs the password in state; Google's missing fields read as the state's address and empty names", async () => {
        await fails(undefined, user().read("1x", { primaryEmail: NR } as UserOutputs), /^Google user 1x: read needs the resource's state/);
        const made = await user().create(inputs());
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${made.id}`, status: 200, body: { id: made.id } });
        assert.deepStrictEqual((await user().read(made.id, made.outs!)).props, { ...made.outs!, primaryEmail: NR, givenName: "", familyName: "", suspended: false });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${made.id}`, status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}` } } });
        await fails(ctx.google, user().read(made.id, made.outs!), `Directory API GET users/${made.id} failed: 400: echo [redacted]. Google refused the request: correct what its message names, ${RETRY}.`);
    });

    it("update: keeps adopted and passwordWritten from state; both passwords masked; a user deleted by hand, with the GET's fields", async () => {
        const made = await user().create(inputs());
        const kept = await user().update(made.id, { ...made.outs!, adopted: true, passwordWritten: true }, inputs({ suspended: false }));
        assert.deepStrictEqual([kept.outs!.adopted, kept.outs!.passwordWritten], [true, true]);
        const notAdopted = await user().update(made.id, { ...made.outs!, adopted: false, passwordWritten: false }, inputs());
        assert.deepStrictEqual([notAdopted.outs!.adopted, notAdopted.outs!.passwordWritten], [false, false]);
        ctx.google.inject({ method: "PATCH", path: `/admin/directory/v1/users/${made.id}`, status: 400, body: { error: { code: 400, message: `${PASSWORD} ${NEW_PASSWORD}` } } });
        await fails(ctx.google, user().update(made.id, made.outs!, inputs({ password: NEW_PASSWORD })), `Directory API PATCH users/${made.id} failed: 400: [redacted] [redacted]. Google refused the request: correct what its message names, ${RETRY}.`);
        ctx.google.users.delete(made.id);
        const err = await fails(ctx.google, user().update(made.id, made.outs!, inputs()), /^Google user no-reply@raxx\.app \(id \w+\) no longer exists: it was deleted outside Pulumi\. Run `pulumi refresh`/);
        assert.deepStrictEqual(fieldsOf(err), { method: "GET", path: `users/${made.id}`, status: 404 });
    });

    it("delete: one already gone is fine; another failure is the DELETE's, its password masked", async () => {
        const made = await user().create(inputs());
        ctx.google.inject({ method: "DELETE", status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}` } } });
        await fails(ctx.google, user().delete(made.id, made.outs!), `Directory API DELETE users/${made.id} failed: 400: echo [redacted]. Google refused the request: correct what its message names, ${RETRY}.`);
        ctx.google.inject({ method: "DELETE", status: 400, body: { error: { code: 400, message: "no password in state" } } });
        await fails(ctx.google, user().delete(made.id, undefined as unknown as UserOutputs), /^Directory API DELETE users\/\w+ failed: 400: no password in state\./);
        ctx.google.users.delete(made.id);
        await user().delete(made.id, made.outs!);
    });
});

describe("Google Workspace Member, in process", () => {
    const ctx = useFakeWorkspace();
    const member = () => new MemberProvider();
    const ANN = "ann@raxx.app";
    const inputs = (over: Partial<MemberOutputs> = {}) => ({ group: OPS, email: ANN, role: "MEMBER" as const, ...over });
    const path = `/admin/directory/v1/groups/${OPS}/members/${ANN}`;

    it("create: an insert whose reply was lost and that made nothing rethrows the insert's error, with its hint", async () => {
        ctx.google.addGroup(OPS);
        ctx.google.inject({ method: "POST", path: `/admin/directory/v1/groups/${OPS}/members`, status: 503 });
        await fails(
            ctx.google,
            member().create(inputs()),
            `Directory API POST groups/${OPS}/members failed: 503 backendError: The service is currently unavailable. The insert of ${ANN} into ${OPS} may or may not have been applied: ${RETRY} (a create adopts the membership if it is there).`,
        );
        assert.deepStrictEqual(ctx.google.writes(), []);
    });

    it("create: a lookup after a 409 that fails names the member GET; a role PATCH that fails names the PATCH", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN, role: "MANAGER" }] });
        ctx.google.inject({ method: "GET", path, status: 503, times: 3 });
        await fails(ctx.google, member().create(inputs()), `Directory API GET groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "PATCH", path, status: 503, times: 3 });
        await fails(ctx.google, member().create(inputs()), `Directory API PATCH groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
    });

    it("read: an import id is split at its first slash and lowercased; a malformed one is refused; adopted defaults to false", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN, role: "OWNER" }] });
        assert.deepStrictEqual(await member().read(`Ops@Raxx.app/Ann@Raxx.app`), { id: "Ops@Raxx.app/Ann@Raxx.app", props: { adopted: false, group: OPS, email: ANN, role: "OWNER" } });
        for (const id of ["ann@raxx.app", "/ann@raxx.app"]) {
            await fails(undefined, member().read(id), `Google group member ${id}: the id must be "<group email>/<member email>" (e.g. "ops@raxx.app/kris@raxx.app").`);
        }
    });

    it("update: the same role sends nothing and keeps adopted; a membership removed by hand, with the PATCH's fields; another failure as it is", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN }] });
        const same = await member().update(`${OPS}/${ANN}`, { ...inputs(), adopted: true }, inputs());
        assert.deepStrictEqual([same.outs, ctx.google.writes()], [{ ...inputs(), adopted: true }, []]);
        assert.equal(ctx.google.requests.filter((r) => r.path !== "/token").length, 0);
        const notAdopted = await member().update(`${OPS}/${ANN}`, { ...inputs(), adopted: undefined as unknown as boolean }, inputs({ role: "MANAGER" }));
        assert.equal(notAdopted.outs!.adopted, false);
        ctx.google.inject({ method: "PATCH", path, status: 400 });
        await fails(ctx.google, member().update(`${OPS}/${ANN}`, { ...inputs(), adopted: false }, inputs({ role: "OWNER" })), /^Directory API PATCH groups\/ops@raxx\.app\/members\/ann@raxx\.app failed: 400 /);
        ctx.google.group(OPS)!.members.splice(0);
        const err = await fails(ctx.google, member().update(`${OPS}/${ANN}`, { ...inputs(), adopted: false }, inputs({ role: "OWNER" })), /^ann@raxx\.app is no longer a member of ops@raxx\.app: it was removed outside Pulumi/);
        assert.deepStrictEqual(fieldsOf(err), { method: "PATCH", path: `groups/${OPS}/members/${ANN}`, status: 404 });
    });

    it("delete: nothing sent when the group is gone; one already gone is fine; other failures name the GET or the DELETE", async () => {
        const state = { ...inputs(), adopted: false };
        await member().delete(`${OPS}/${ANN}`, state);
        assert.equal(ctx.google.requests.filter((r) => r.method === "DELETE").length, 0);
        ctx.google.addGroup(OPS, { members: [{ email: ANN }] });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${OPS}`, status: 503, times: 3 });
        await fails(ctx.google, member().delete(`${OPS}/${ANN}`, state), `Directory API GET groups/${OPS} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${OPS}`, status: 200, body: { id: "0x" } });
        await member().delete(`${OPS}/${ANN}`, state);
        assert.deepStrictEqual(ctx.google.memberList(OPS), [`${ANN}: MEMBER`], "a group without an address is not this one");
        ctx.google.inject({ method: "DELETE", path, status: 503, times: 3 });
        await fails(ctx.google, member().delete(`${OPS}/${ANN}`, state), `Directory API DELETE groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "DELETE", path, status: 404 });
        await member().delete(`${OPS}/${ANN}`, state);
        await member().delete(`${OPS}/${ANN}`, state);
        assert.deepStrictEqual(ctx.google.memberList(OPS), []);
    });
});
