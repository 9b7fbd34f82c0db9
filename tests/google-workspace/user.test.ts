// The User provider, run from its serialized text through the provider-host emulation,
// against the fake Google. The password is written at create and when it changes, never
// on adoption, and never appears in a message.
import { strict as assert } from "node:assert";

import { checkedCreate, checkedUpdate } from "../harness/serializedProvider";
import { LIVE_PASSWORD, NEW_PASSWORD, PASSWORD, fails, useFakeWorkspace } from "./helpers";
import { useSerializedWorkspace } from "./serialized";

const NO_REPLY = "no-reply@raxx.app";

describe("Google Workspace User, from the serialized text", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => ({
        primaryEmail: NO_REPLY,
        givenName: "No Reply",
        familyName: "Raxx",
        password: PASSWORD,
        suspended: true,
        ...over,
        __provider: p.text.User,
    });
    const outs = (x: Record<string, unknown>) => {
        const { __provider: _, ...rest } = x;
        return rest;
    };
    const passwordWrites = () =>
        ctx.google.requests.filter((r) => (r.method === "POST" || r.method === "PATCH") && r.path.startsWith("/admin/directory/v1/users") && (r.body as { password?: unknown })?.password !== undefined)
            .length;

    it("creates the user with the password, suspended, no change of password asked", async () => {
        const made = await checkedCreate(p.host, inputs());
        const u = ctx.google.user(NO_REPLY)!;
        assert.equal(made.id, u.id);
        assert.deepEqual(outs(made.outs), { ...outs(inputs()), userId: u.id, adopted: false, passwordWritten: true });
        assert.deepEqual(
            { givenName: u.givenName, familyName: u.familyName, suspended: u.suspended, password: u.password, changePasswordAtNextLogin: u.changePasswordAtNextLogin },
            { givenName: "No Reply", familyName: "Raxx", suspended: true, password: PASSWORD, changePasswordAtNextLogin: false },
        );
        assert.deepEqual(ctx.google.writes(), ["POST /admin/directory/v1/users"]);
    });

    it("adopts a user made by hand: name and suspension set, the live password never written", async () => {
        const hand = ctx.google.addUser(NO_REPLY, { givenName: "noreply", familyName: "x", suspended: false, password: LIVE_PASSWORD });
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.id, hand.id);
        assert.deepEqual(outs(made.outs), { ...outs(inputs()), userId: hand.id, adopted: true, passwordWritten: false });
        const u = ctx.google.user(NO_REPLY)!;
        assert.deepEqual([u.givenName, u.familyName, u.suspended, u.password], ["No Reply", "Raxx", true, LIVE_PASSWORD]);
        assert.equal(passwordWrites(), 0);
        assert.deepEqual(ctx.google.writes(), [`PATCH /admin/directory/v1/users/${hand.id}`]);
        assert.deepEqual(ctx.google.requests.find((r) => r.method === "PATCH")?.body, { name: { givenName: "No Reply", familyName: "Raxx" }, suspended: true });
    });

    it("an update whose password changed writes it (passwordWritten true); one that did not leaves it", async () => {
        const hand = ctx.google.addUser(NO_REPLY, { givenName: "No Reply", familyName: "Raxx", suspended: true, password: LIVE_PASSWORD });
        const made = await checkedCreate(p.host, inputs());
        assert.deepEqual(ctx.google.writes(), [], "adopted as it is");
        const renamed = await checkedUpdate(p.host, made.id, made.outs, inputs({ givenName: "Do Not Reply" }));
        assert.deepEqual([renamed.passwordWritten, ctx.google.user(NO_REPLY)!.password], [false, LIVE_PASSWORD]);
        const rotated = await checkedUpdate(p.host, made.id, renamed, inputs({ givenName: "Do Not Reply", password: NEW_PASSWORD }));
        assert.deepEqual(outs(rotated), { ...outs(inputs({ givenName: "Do Not Reply", password: NEW_PASSWORD })), userId: hand.id, adopted: true, passwordWritten: true });
        assert.deepEqual([ctx.google.user(NO_REPLY)!.password, ctx.google.user(NO_REPLY)!.changePasswordAtNextLogin], [NEW_PASSWORD, false]);
        assert.equal(passwordWrites(), 1);
        const again = await checkedUpdate(p.host, made.id, rotated, inputs({ givenName: "No Reply", password: NEW_PASSWORD }));
        assert.equal(again.passwordWritten, true, "stays true once written");
        assert.equal(passwordWrites(), 1);
    });

    it("never adopts another user that has the address as an alias: refuses, and renames, suspends and writes nothing", async () => {
        const person = ctx.google.addUser("kris.h@raxx.app", { aliases: [NO_REPLY] });
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs()),
            `Google user ${NO_REPLY}: Google answers for this address with the user kris.h@raxx.app, whose alias it is. The stack adopts a user only by its own address, ` +
                "and never renames or suspends another: remove the alias from kris.h@raxx.app in the Admin console (Directory > Users > the user > User information > Alternate email addresses), or declare another address, then run Pulumi again.",
        );
        assert.deepEqual(ctx.google.writes(), []);
        assert.deepEqual([person.primaryEmail, person.suspended], ["kris.h@raxx.app", false]);
    });

    it("a primaryEmail change renames the user in place", async () => {
        const made = await checkedCreate(p.host, inputs());
        const after = await checkedUpdate(p.host, made.id, made.outs, inputs({ primaryEmail: "donotreply@raxx.app" }));
        assert.equal(after.userId, made.id);
        assert.equal(ctx.google.user("donotreply@raxx.app")?.id, made.id);
        // Google keeps the old address, as an alias of the same user.
        assert.equal(ctx.google.user(NO_REPLY)?.id, made.id);
        assert.deepEqual(ctx.google.user(NO_REPLY)?.aliases, [NO_REPLY]);
        assert.equal(passwordWrites(), 1, "only at create");
    });

    it("diff: every change is an update, never a replacement", async () => {
        const made = await checkedCreate(p.host, inputs());
        const diff = async (over: Record<string, unknown>) => p.host.diff(made.id, made.outs, (await p.host.check(made.outs, inputs(over))).inputs);
        assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false });
        for (const over of [{ primaryEmail: "x@raxx.app" }, { givenName: "X" }, { familyName: "X" }, { password: NEW_PASSWORD }, { suspended: false }]) {
            assert.deepEqual(await diff(over), { changes: true, replaces: [], deleteBeforeReplace: false }, Object.keys(over)[0]);
        }
    });

    it("read shows the user as Google has it, keeping the password from state; a user deleted by hand is gone", async () => {
        const made = await checkedCreate(p.host, inputs());
        const u = ctx.google.user(NO_REPLY)!;
        u.suspended = false;
        u.givenName = "Changed";
        const read = await p.host.read(made.id, made.outs);
        assert.deepEqual({ id: read.id, props: outs(read.props!) }, { id: made.id, props: { ...outs(made.outs), givenName: "Changed", suspended: false, password: PASSWORD } });
        ctx.google.users.delete(u.id);
        assert.deepEqual(await p.host.read(made.id, made.outs), { id: undefined, props: { __provider: p.text.User } });
    });

    it("delete removes the user; one already gone is fine", async () => {
        const made = await checkedCreate(p.host, inputs());
        await p.host.delete(made.id, made.outs);
        assert.equal(ctx.google.user(NO_REPLY), undefined);
        await p.host.delete(made.id, made.outs);
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.method === "DELETE").map((r) => r.status),
            [204, 404],
        );
    });

    it("an insert that races another (409): adopted, the password not written", async () => {
        const hand = ctx.google.addUser(NO_REPLY, { givenName: "No Reply", familyName: "Raxx", suspended: false, password: LIVE_PASSWORD });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/users/${NO_REPLY}`, status: 404, body: { error: { code: 404, message: "Resource Not Found: userKey", errors: [{ reason: "notFound" }] } } });
        const made = await checkedCreate(p.host, inputs());
        assert.deepEqual(outs(made.outs), { ...outs(inputs()), userId: hand.id, adopted: true, passwordWritten: false });
        assert.equal(ctx.google.user(NO_REPLY)!.password, LIVE_PASSWORD);
        assert.equal(ctx.google.user(NO_REPLY)!.suspended, true);
        assert.equal(ctx.google.users.size, 2, "the admin and this one");
    });

    it("a 5xx on the insert is never sent again: the user its lost reply made is found, the password counted as written", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 503, applied: true });
        const made = await checkedCreate(p.host, inputs());
        assert.deepEqual([made.outs.adopted, made.outs.passwordWritten], [false, true]);
        assert.equal(ctx.google.count("POST", "/admin/directory/v1/users"), 1);
        assert.equal(ctx.google.user(NO_REPLY)!.password, PASSWORD);
    });

    it("Google refusing the insert names the call and never shows the password, even when Google echoes it", async () => {
        ctx.google.inject({ method: "POST", path: "/admin/directory/v1/users", status: 400, body: { error: { code: 400, message: `Invalid Password: ${PASSWORD}`, errors: [{ reason: "invalid" }], status: "INVALID_ARGUMENT" } } });
        await fails(
            ctx.google,
            checkedCreate(p.host, inputs()),
            "Directory API POST users failed: 400 invalid: Invalid Password: [redacted]. Google refused the request: correct what its message names, then run Pulumi again.",
        );
    });

    it("import is not supported: read without state says how to adopt", async () => {
        await fails(
            undefined,
            p.host.read("1abc", { __provider: p.text.User }),
            "Google user 1abc: read needs the resource's state (its password is not readable from Google). Importing is not supported: declare the user and run `pulumi up`, which adopts it without writing its password.",
        );
    });

    it("check: a short password is refused without showing it; every bad input named", async () => {
        const bad = await p.host.check({}, inputs({ primaryEmail: "no-reply", givenName: "", familyName: " ", password: "short-secret-password-1234", suspended: "yes" }));
        assert.deepEqual(bad.failures, [
            { property: "primaryEmail", reason: 'primaryEmail must be an email address (e.g. "no-reply@raxx.app")' },
            { property: "givenName", reason: 'givenName must not be empty (e.g. "No Reply")' },
            { property: "familyName", reason: 'familyName must not be empty (e.g. "Raxx")' },
            { property: "password", reason: "password must be 32 to 100 characters (Google takes at most 100): pass the stack's RandomPassword (length 32 or more)" },
            { property: "suspended", reason: "suspended must be true or false (true for the send-only user: nobody signs in, inbound mail is refused)" },
        ]);
        assert.ok(!JSON.stringify(bad.failures).includes("short-secret-password-1234"));
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        assert.deepEqual((await p.host.check({}, inputs({ password: UNKNOWN, primaryEmail: UNKNOWN, suspended: UNKNOWN }))).failures, []);
        assert.equal((await p.host.check({}, inputs({ primaryEmail: "No-Reply@Raxx.app" }))).inputs.primaryEmail, NO_REPLY);
    });
});
