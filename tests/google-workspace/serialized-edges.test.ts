// The provider paths tests/google-workspace/inProcess.test.ts and domainCheck-edges.test.ts
// take in process, run again from the serialized `__provider` texts through the host
// emulation (which hands the engine only an error's message, and a Group's id and
// properties when its create fails after the insert): the engine never runs the source,
// so each path must also hold from the bundled text.
import { strict as assert } from "node:assert";

import { checkedCreate } from "../harness/serializedProvider";
import { ADMIN, DOMAIN, FAILING, fails, NEW_PASSWORD, PASSWORD, RETRY, useFakeWorkspace } from "./helpers";
import { useSerializedWorkspace } from "./serialized";

const OPS = "ops@raxx.app";

/** `x` without the `__provider` the host adds. */
function bare(x: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (x === undefined) return undefined;
    const { __provider: _, ...rest } = x;
    return rest;
}

describe("Google Workspace Group, from the serialized text: the edges", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const plain = (over: Record<string, unknown> = {}) => ({ email: OPS, name: "Raxx Ops", description: "Operations", settings: {}, declaredMembers: [ADMIN], undeclaredMembers: "keep", ...over });
    const inputs = (over: Record<string, unknown> = {}) => ({ ...plain(over), __provider: p.text.Group });
    const settingsCalls = () => ctx.google.requests.filter((r) => r.path.startsWith("/groups/v1/")).map((r) => r.method);

    it("check: a description of 4096 characters passes, one more or not a string does not; a blank or non-string name, settings not an object, members not a list of addresses each fail", async () => {
        assert.deepEqual((await p.host.check({}, inputs({ description: "d".repeat(4096), settings: { whoCanJoin: "INVITED_CAN_JOIN" } }))).failures, []);
        const failures = async (over: Record<string, unknown>) => (await p.host.check({}, inputs(over))).failures.map((f) => `${f.property}: ${f.reason}`);
        const DESCRIPTION = 'description: description must be a string of at most 4096 characters ("" for none)';
        assert.deepEqual(await failures({ description: "d".repeat(4097) }), [DESCRIPTION]);
        assert.deepEqual(await failures({ description: 4096 }), [DESCRIPTION]);
        const NAME = 'name: name must be the group\'s display name, not empty (e.g. "Raxx Ops")';
        assert.deepEqual(await failures({ name: "   " }), [NAME]);
        assert.deepEqual(await failures({ name: 7 }), [NAME]);
        const SETTINGS = 'settings: settings must be an object of Groups Settings API fields to string values (e.g. { whoCanPostMessage: "ALL_MEMBERS_CAN_POST", allowExternalMembers: "false" })';
        assert.deepEqual(await failures({ settings: ["whoCanJoin"] }), [SETTINGS]);
        assert.deepEqual(await failures({ settings: "whoCanJoin" }), [SETTINGS]);
        const MEMBERS = 'declaredMembers: declaredMembers must be the list of member addresses the stack declares (e.g. ["kris@raxx.app"])';
        assert.deepEqual(await failures({ declaredMembers: ADMIN }), [MEMBERS]);
        assert.deepEqual(await failures({ declaredMembers: [7] }), [MEMBERS]);
    });

    it("diff: state without description or undeclared (older state) is no change when the inputs match", async () => {
        const { description: _, ...olds } = { ...plain({ description: "" }), groupId: "0x", adopted: false, previousSettings: {}, __provider: p.text.Group };
        const news = (await p.host.check(olds, inputs({ description: "" }))).inputs;
        assert.deepEqual(await p.host.diff("0x", olds, news), { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("create: an empty description is left out of the insert; no Groups Settings call when no setting is declared", async () => {
        const made = await checkedCreate(p.host, inputs({ description: "" }));
        assert.deepEqual(ctx.google.requests.filter((r) => r.method === "POST" && r.path === "/admin/directory/v1/groups").map((r) => r.body), [{ email: OPS, name: "Raxx Ops" }]);
        assert.deepEqual(settingsCalls(), []);
        assert.deepEqual(bare(made.outs), { ...plain({ description: "" }), groupId: made.id, adopted: false, previousSettings: {}, undeclared: [] });
    });

    it("create: an insert Google refuses is final, looked up once only, and names the call", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 400 });
        await fails(ctx.google, p.host.create(inputs()), `Directory API POST groups failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`);
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${OPS}`), 1);
        assert.equal(ctx.google.groups.size, 0);
    });

    it("create: the group a lost reply made is new, so Groups Settings' 404 for it is waited out", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/groups", status: 502, applied: true });
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 404 });
        const made = await p.host.create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepEqual([made.outs.adopted, ctx.google.group(OPS)?.settings.whoCanJoin], [false, "INVITED_CAN_JOIN"]);
        assert.deepEqual(settingsCalls(), ["GET", "GET", "PATCH"]);
    });

    it("create and update: a setting Google does not have is not recorded; settings already right are not patched; a key owned since adoption records nothing later", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", settings: { whoCanJoin: "INVITED_CAN_JOIN" } });
        const { whoCanContactOwner: _, ...partial }: Record<string, string> = { kind: "groupsSettings#groups", email: OPS, ...ctx.google.group(OPS)!.settings };
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 200, body: partial });
        const made = await p.host.create(inputs({ settings: { whoCanContactOwner: "ALL_MEMBERS_CAN_CONTACT", whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepEqual([made.outs.adopted, made.outs.previousSettings], [true, {}]);
        ctx.google.requests.splice(0);
        const same = await p.host.update(made.id, made.outs, inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepEqual(settingsCalls(), ["GET"], "nothing to patch");
        assert.deepEqual(same.outs.previousSettings, {});
        const later = await p.host.update(made.id, same.outs, inputs({ settings: { whoCanJoin: "ALL_IN_DOMAIN_CAN_JOIN" } }));
        assert.deepEqual(later.outs.previousSettings, {}, "the value it replaced was the stack's own");
        const { settings: __, ...old } = later.outs;
        const again = await p.host.update(made.id, old, inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.deepEqual(again.outs.previousSettings, { whoCanJoin: "ALL_IN_DOMAIN_CAN_JOIN" }, "newly owned: its value before is recorded");
    });

    it("update: no declared settings, no Groups Settings call; a rename waits out Groups Settings' 404; a PATCH that fails names its call", async () => {
        const made = await p.host.create(inputs());
        ctx.google.requests.splice(0);
        await p.host.update(made.id, made.outs, inputs({ name: "Ops" }));
        assert.deepEqual(settingsCalls(), []);
        ctx.google.inject({ method: "GET", path: "/groups/v1/groups/operations@raxx.app", status: 404 });
        const renamed = await p.host.update(made.id, made.outs, inputs({ email: "operations@raxx.app", settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        assert.equal(renamed.outs.email, "operations@raxx.app");
        assert.equal(ctx.google.group("operations@raxx.app")?.settings.whoCanJoin, "INVITED_CAN_JOIN");
        ctx.google.inject({ method: "PATCH", path: `/admin/directory/v1/groups/${made.id}`, status: 503, times: 3 });
        await fails(ctx.google, p.host.update(made.id, made.outs, inputs({ name: "New" })), `Directory API PATCH groups/${made.id} failed after 3 attempts: ${FAILING}`);
    });

    it("read: state without an email is refused; Google's missing fields read as empty; undeclared settings Google lacks are dropped; every member undeclared when none are declared", async () => {
        await fails(undefined, p.host.read("0abc", { settings: {}, __provider: p.text.Group }), /^Google group 0abc: read needs the resource's state/);
        const made = await p.host.create(inputs({ description: "" }));
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${made.id}`, status: 200, body: { id: made.id, email: "OPS@raxx.app" } });
        const { declaredMembers: _, ...rest } = bare(made.outs)!;
        const state = { ...rest, settings: { whoCanJoin: "CAN_REQUEST_TO_JOIN", customFooterText: "x" } };
        ctx.google.addMember(OPS, "Zed@raxx.app");
        ctx.google.addMember(OPS, ADMIN);
        const read = await p.host.read(made.id, { ...state, __provider: p.text.Group });
        assert.deepEqual([read.id, bare(read.props)], [made.id, { ...state, email: OPS, name: "", description: "", settings: { whoCanJoin: "CAN_REQUEST_TO_JOIN" }, undeclared: ["zed@raxx.app", ADMIN].sort() }]);
    });

    it("read: a 404 from Groups Settings or the member list of a group made long ago is an answer, not retried; settings that are not JSON are refused", async () => {
        const made = await p.host.create(inputs({ settings: { whoCanJoin: "INVITED_CAN_JOIN" } }));
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 404 });
        await fails(ctx.google, p.host.read(made.id, made.outs), /^Groups Settings API GET groups\/ops@raxx\.app failed: 404 failedPrecondition/);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${made.id}/members`, status: 404 });
        await fails(ctx.google, p.host.read(made.id, made.outs), new RegExp(`^Directory API GET groups/${made.id}/members failed: 404 failedPrecondition`));
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/groups/${made.id}/members`), 2, "one at create, one at read");
        ctx.google.inject({ method: "GET", path: `/groups/v1/groups/${OPS}`, status: 200, body: "<entry>not json</entry>" });
        await fails(
            ctx.google,
            p.host.read(made.id, made.outs),
            `Groups Settings API GET groups/${OPS} answered something that is not the group's settings in JSON: something other than Google answered. Then run Pulumi again.`,
        );
    });

    it("members: one without an address is known by its id, one without either is skipped, an empty page token ends the list, the undeclared sorted", async () => {
        const made = await p.host.create(inputs());
        ctx.google.inject({
            method: "GET",
            path: `/admin/directory/v1/groups/${made.id}/members`,
            status: 200,
            body: { members: ["c@raxx.app", "a@raxx.app", "f@raxx.app", "b@raxx.app", "e@raxx.app", "d@raxx.app"].map((email) => ({ email })).concat([{ id: "C0Fake" } as never, {} as never]), nextPageToken: "" },
        });
        const read = await p.host.read(made.id, made.outs);
        assert.deepEqual(read.props?.undeclared, ["a@raxx.app", "b@raxx.app", "c0fake", "c@raxx.app", "d@raxx.app", "e@raxx.app", "f@raxx.app"]);
        assert.deepEqual(ctx.google.requests.filter((r) => r.path.endsWith("/members")).map((r) => r.query), [{ maxResults: "200" }, { maxResults: "200" }]);
    });

    it("remove: a member already gone is fine; another failure names the DELETE; delete: a failure other than 404 is the DELETE's", async () => {
        ctx.google.addGroup(OPS, { name: "Raxx Ops", description: "Operations", members: [{ email: "ann@raxx.app" }, { email: "bob@raxx.app" }] });
        const id = ctx.google.group(OPS)!.id;
        ctx.google.inject({ method: "DELETE", path: `/admin/directory/v1/groups/${id}/members/ann@raxx.app`, status: 404 });
        const made = await p.host.create(inputs({ declaredMembers: [], undeclaredMembers: "remove" }));
        assert.deepEqual([made.outs.undeclared, ctx.google.memberList(OPS)], [[], ["ann@raxx.app: MEMBER"]]);
        ctx.google.inject({ method: "DELETE", path: `/admin/directory/v1/groups/${id}/members/ann@raxx.app`, status: 503, times: 3 });
        await fails(ctx.google, p.host.update(id, made.outs, inputs({ declaredMembers: [], undeclaredMembers: "remove" })), `Directory API DELETE groups/${id}/members/ann@raxx.app failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "DELETE", status: 503, times: 3 });
        await fails(ctx.google, p.host.delete(id, made.outs), `Directory API DELETE groups/${id} failed after 3 attempts: ${FAILING}`);
        assert.ok(ctx.google.group(OPS));
    });
});

describe("Google Workspace User, from the serialized text: the edges", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const NR = "no-reply@raxx.app";
    const plain = (over: Record<string, unknown> = {}) => ({ primaryEmail: NR, givenName: "No Reply", familyName: "Raxx", password: PASSWORD, suspended: true, ...over });
    const inputs = (over: Record<string, unknown> = {}) => ({ ...plain(over), __provider: p.text.User });
    const REFUSED = `Google refused the request: correct what its message names, ${RETRY}.`;

    it("check: passwords of 32 and 100 characters pass, 31 and 101 do not; a blank name part fails", async () => {
        const failures = async (over: Record<string, unknown>) => (await p.host.check({}, inputs(over))).failures.map((f) => f.property);
        assert.deepEqual(await failures({ password: "p".repeat(32) }), []);
        assert.deepEqual(await failures({ password: "p".repeat(100) }), []);
        assert.deepEqual(await failures({ password: "p".repeat(31) }), ["password"]);
        assert.deepEqual(await failures({ password: "p".repeat(101) }), ["password"]);
        assert.deepEqual(await failures({ givenName: "  ", familyName: 3 }), ["givenName", "familyName"]);
    });

    it("create: the password masked in a lookup's failure; an insert refused is final and looked up once; a 503 insert not applied says a create adopts", async () => {
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${NR}`, status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}`, errors: [{ reason: "invalid" }] } } });
        await fails(ctx.google, p.host.create(inputs()), `Directory API GET users/${NR} failed: 400 invalid: echo [redacted]. ${REFUSED}`);
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 400 });
        ctx.google.requests.splice(0);
        await fails(ctx.google, p.host.create(inputs()), /^Directory API POST users failed: 400 /);
        assert.equal(ctx.google.count("GET", `/admin/directory/v1/users/${NR}`), 1);
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 503 });
        await fails(
            ctx.google,
            p.host.create(inputs()),
            `Directory API POST users failed: 503 backendError: The service is currently unavailable. The insert of user ${NR} may or may not have been applied: ${RETRY} (a create adopts the user if it is there).`,
        );
        assert.equal(ctx.google.users.size, 1, "only the admin");
    });

    it("create: an address a group has is refused; a user whose family name alone differs is patched", async () => {
        ctx.google.addGroup(NR);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${NR}`, status: 404, times: 2 });
        await fails(
            ctx.google,
            p.host.create(inputs()),
            `Directory API POST users failed: 409 duplicate: Entity already exists. ${NR} is taken, but not by a user: a group, or an alias of a user or group, has it. Choose another address, or free this one in the Admin console, ${RETRY}.`,
        );
        ctx.google.addUser("ann@raxx.app", { givenName: "Ann", familyName: "Old", suspended: true });
        await p.host.create(inputs({ primaryEmail: "ann@raxx.app", givenName: "Ann", familyName: "New" }));
        assert.equal(ctx.google.user("ann@raxx.app")?.familyName, "New");
    });

    it("read: Google's missing fields read as the state's address and empty names; a failure masks the password", async () => {
        const made = await p.host.create(inputs());
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${made.id}`, status: 200, body: { id: made.id } });
        assert.deepEqual(bare((await p.host.read(made.id, made.outs)).props), { ...bare(made.outs), primaryEmail: NR, givenName: "", familyName: "", suspended: false });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${made.id}`, status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}` } } });
        await fails(ctx.google, p.host.read(made.id, made.outs), `Directory API GET users/${made.id} failed: 400: echo [redacted]. ${REFUSED}`);
    });

    it("update: keeps adopted and passwordWritten from state; both passwords masked; a user deleted by hand", async () => {
        const made = await p.host.create(inputs());
        const kept = await p.host.update(made.id, { ...made.outs, adopted: true, passwordWritten: true }, inputs({ suspended: false }));
        assert.deepEqual([kept.outs.adopted, kept.outs.passwordWritten], [true, true]);
        const notAdopted = await p.host.update(made.id, { ...made.outs, adopted: false, passwordWritten: false }, inputs());
        assert.deepEqual([notAdopted.outs.adopted, notAdopted.outs.passwordWritten], [false, false]);
        ctx.google.inject({ method: "PATCH", path: `/admin/directory/v1/users/${made.id}`, status: 400, body: { error: { code: 400, message: `${PASSWORD} ${NEW_PASSWORD}` } } });
        await fails(ctx.google, p.host.update(made.id, made.outs, inputs({ password: NEW_PASSWORD })), `Directory API PATCH users/${made.id} failed: 400: [redacted] [redacted]. ${REFUSED}`);
        ctx.google.users.delete(made.id);
        await fails(ctx.google, p.host.update(made.id, made.outs, inputs()), /^Google user no-reply@raxx\.app \(id \w+\) no longer exists: it was deleted outside Pulumi\. Run `pulumi refresh`/);
    });

    it("delete: a failure is the DELETE's, its password masked, with state or without", async () => {
        const made = await p.host.create(inputs());
        ctx.google.inject({ method: "DELETE", status: 400, body: { error: { code: 400, message: `echo ${PASSWORD}` } } });
        await fails(ctx.google, p.host.delete(made.id, made.outs), `Directory API DELETE users/${made.id} failed: 400: echo [redacted]. ${REFUSED}`);
        ctx.google.inject({ method: "DELETE", status: 400, body: { error: { code: 400, message: "no password in state" } } });
        await fails(ctx.google, p.host.delete(made.id, { __provider: p.text.User }), /^Directory API DELETE users\/\w+ failed: 400: no password in state\./);
        assert.ok(ctx.google.user(NR));
    });
});

describe("Google Workspace Member, from the serialized text: the edges", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const ANN = "ann@raxx.app";
    const plain = (over: Record<string, unknown> = {}) => ({ group: OPS, email: ANN, role: "MEMBER", ...over });
    const inputs = (over: Record<string, unknown> = {}) => ({ ...plain(over), __provider: p.text.Member });
    const state = (over: Record<string, unknown> = {}) => ({ ...inputs(), adopted: false, ...over });
    const path = `/admin/directory/v1/groups/${OPS}/members/${ANN}`;

    it("create: an insert whose reply was lost and that made nothing is the insert's error, with its hint", async () => {
        ctx.google.addGroup(OPS);
        ctx.google.inject({ method: "POST", path: `/admin/directory/v1/groups/${OPS}/members`, status: 503 });
        await fails(
            ctx.google,
            p.host.create(inputs()),
            `Directory API POST groups/${OPS}/members failed: 503 backendError: The service is currently unavailable. The insert of ${ANN} into ${OPS} may or may not have been applied: ${RETRY} (a create adopts the membership if it is there).`,
        );
        assert.deepEqual(ctx.google.writes(), []);
    });

    it("create: a lookup after a 409 that fails names the member GET; a role PATCH that fails names the PATCH", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN, role: "MANAGER" }] });
        ctx.google.inject({ method: "GET", path, status: 503, times: 3 });
        await fails(ctx.google, p.host.create(inputs()), `Directory API GET groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "PATCH", path, status: 503, times: 3 });
        await fails(ctx.google, p.host.create(inputs()), `Directory API PATCH groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
    });

    it("read (import): the id is split at its first slash and lowercased; a malformed one is refused; adopted defaults to false", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN, role: "OWNER" }] });
        const read = await p.host.read("Ops@Raxx.app/Ann@Raxx.app", { __provider: p.text.Member });
        assert.deepEqual([read.id, bare(read.props)], ["Ops@Raxx.app/Ann@Raxx.app", { adopted: false, group: OPS, email: ANN, role: "OWNER" }]);
        for (const id of ["ann@raxx.app", "/ann@raxx.app"]) {
            await fails(undefined, p.host.read(id, { __provider: p.text.Member }), `Google group member ${id}: the id must be "<group email>/<member email>" (e.g. "ops@raxx.app/kris@raxx.app").`);
        }
    });

    it("update: the same role sends nothing and keeps adopted; adopted missing is false; a PATCH refused; a membership removed by hand", async () => {
        ctx.google.addGroup(OPS, { members: [{ email: ANN }] });
        const same = await p.host.update(`${OPS}/${ANN}`, state({ adopted: true }), inputs());
        assert.deepEqual([bare(same.outs), ctx.google.writes()], [{ ...plain(), adopted: true }, []]);
        assert.equal(ctx.google.requests.filter((r) => r.path !== "/token").length, 0);
        const { adopted: _, ...older } = state();
        const notAdopted = await p.host.update(`${OPS}/${ANN}`, older, inputs({ role: "MANAGER" }));
        assert.equal(notAdopted.outs.adopted, false);
        ctx.google.inject({ method: "PATCH", path, status: 400 });
        await fails(ctx.google, p.host.update(`${OPS}/${ANN}`, state(), inputs({ role: "OWNER" })), /^Directory API PATCH groups\/ops@raxx\.app\/members\/ann@raxx\.app failed: 400 /);
        ctx.google.group(OPS)!.members.splice(0);
        await fails(ctx.google, p.host.update(`${OPS}/${ANN}`, state(), inputs({ role: "OWNER" })), /^ann@raxx\.app is no longer a member of ops@raxx\.app: it was removed outside Pulumi/);
    });

    it("delete: nothing sent when the group is gone; a GET or DELETE that fails names its call; a group without an address is not this one; one already gone is fine", async () => {
        await p.host.delete(`${OPS}/${ANN}`, state());
        assert.equal(ctx.google.requests.filter((r) => r.method === "DELETE").length, 0);
        ctx.google.addGroup(OPS, { members: [{ email: ANN }] });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${OPS}`, status: 503, times: 3 });
        await fails(ctx.google, p.host.delete(`${OPS}/${ANN}`, state()), `Directory API GET groups/${OPS} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/groups/${OPS}`, status: 200, body: { id: "0x" } });
        await p.host.delete(`${OPS}/${ANN}`, state());
        assert.deepEqual(ctx.google.memberList(OPS), [`${ANN}: MEMBER`], "a group without an address is not this one");
        ctx.google.inject({ method: "DELETE", path, status: 503, times: 3 });
        await fails(ctx.google, p.host.delete(`${OPS}/${ANN}`, state()), `Directory API DELETE groups/${OPS}/members/${ANN} failed after 3 attempts: ${FAILING}`);
        ctx.google.inject({ method: "DELETE", path, status: 404 });
        await p.host.delete(`${OPS}/${ANN}`, state());
        await p.host.delete(`${OPS}/${ANN}`, state());
        assert.deepEqual(ctx.google.memberList(OPS), []);
    });
});

describe("Google Workspace DomainCheck, from the serialized text: the edges", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => ({ domain: DOMAIN, dkimDeclared: true, ...over, __provider: p.text.DomainCheck });

    it("check: trims and lowercases a domain; refuses one that is not a string, a list holding a domain included", async () => {
        const ok = await p.host.check({}, inputs({ domain: "  Raxx.App " }));
        assert.deepEqual([bare(ok.inputs), ok.failures], [{ domain: DOMAIN, dkimDeclared: true }, []]);
        for (const domain of [42, [DOMAIN], { value: DOMAIN }]) {
            assert.deepEqual((await p.host.check({}, inputs({ domain }))).failures, [{ property: "domain", reason: 'domain must be a domain name (e.g. "raxx.app")' }], JSON.stringify(domain));
        }
    });

    it("a lookup Google fails (not a 404) is that failure, named by API, method and path, never read as no alias", async () => {
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/customer/my_customer/domainaliases/${DOMAIN}`, status: 400 });
        await fails(
            ctx.google,
            p.host.create(inputs()),
            `Directory API GET customer/my_customer/domainaliases/${DOMAIN} failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`,
        );
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/customer/my_customer/domains/${DOMAIN}`, status: 400 });
        await fails(
            ctx.google,
            p.host.create(inputs()),
            `Directory API GET customer/my_customer/domains/${DOMAIN} failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`,
        );
    });
});
