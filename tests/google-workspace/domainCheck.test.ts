// The DomainCheck provider, run from its serialized text through the provider-host
// emulation, against the fake Google: every precondition problem, alone and all at once.
import { strict as assert } from "node:assert";

import { checkedCreate, checkedUpdate } from "../harness/serializedProvider";
import { DOMAIN, fails, useFakeWorkspace } from "./helpers";
import { useSerializedWorkspace } from "./serialized";

const HEAD = (n: number) => `Google Workspace is not ready for groups and users on ${DOMAIN}: ${n === 1 ? "one problem" : `${n} problems`}; nothing was created.\n`;
const ALIAS =
    `raxx.app is a domain alias of moosequest.net, not a secondary domain: an alias only receives mail for the users of its parent, and no group or user can have an address of its own there. ` +
    `Make it a secondary domain, a one-way change: the 2026-05-06 session log calls it "Make this a secondary domain" (Admin console > Account > Domains > Manage domains, raxx.app); ` +
    "Google's help documents removing the alias there and adding raxx.app again as a secondary domain (mail to its alias addresses bounces in between). See docs/workspace.md.";
const MISSING =
    `raxx.app is not a domain of this Workspace account. Add it as a secondary domain: Admin console > Account > Domains > Manage domains > Add a domain, raxx.app, "Secondary domain", ` +
    `then verify it with the google-site-verification TXT record Google gives (see docs/workspace.md).`;
const UNVERIFIED =
    `raxx.app is not verified. Verify it: Admin console > Account > Domains > Manage domains, raxx.app, "Verify domain"; Google looks for its google-site-verification TXT record ` +
    `on raxx.app, which must be published first (the stack's MailDns declares it).`;
const NO_DKIM =
    `The DKIM record google._domainkey.raxx.app is not declared. In the Admin console > Apps > Google Workspace > Gmail > Authenticate email, pick raxx.app, ` +
    `"Generate new record" with a 2048-bit key and the prefix selector "google", set the TXT value it shows as stack config ` +
    '(`pulumi config set raxx-platform:dkimRecord "v=DKIM1; k=rsa; p=..."`), run `pulumi up`, then "Start authentication" there.';
const TAIL = "\nThen run Pulumi again.";

describe("Google Workspace DomainCheck, from the serialized text", () => {
    const ctx = useFakeWorkspace();
    const p = useSerializedWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => ({ domain: DOMAIN, dkimDeclared: true, ...over, __provider: p.text.DomainCheck });
    const problems = (...list: string[]) => HEAD(list.length) + list.map((x, i) => `  ${i + 1}. ${x}`).join("\n") + TAIL;

    it("passes for a verified secondary domain with DKIM declared, reading its alias (none) and the domain, and writing nothing", async () => {
        const made = await checkedCreate(p.host, inputs());
        assert.equal(made.id, DOMAIN);
        const { checkedAt, __provider: _, ...rest } = made.outs;
        assert.deepEqual(rest, { domain: DOMAIN, dkimDeclared: true, domainKind: "secondary" });
        assert.ok(Math.abs(Date.parse(String(checkedAt)) - Date.now()) < 5000, "checkedAt is now, ISO 8601");
        assert.deepEqual(
            ctx.google.requests.map((r) => `${r.method} ${r.path}`),
            ["POST /token", `GET /admin/directory/v1/customer/my_customer/domainaliases/${DOMAIN}`, `GET /admin/directory/v1/customer/my_customer/domains/${DOMAIN}`],
        );
    });

    it("a primary domain is primary", async () => {
        const made = await checkedCreate(p.host, inputs({ domain: "moosequest.net" }));
        assert.equal(made.outs.domainKind, "primary");
    });

    it("a domain alias: says it is one, of which domain, and how to convert it", async () => {
        ctx.google.domains.delete(DOMAIN);
        ctx.google.addDomainAlias(DOMAIN, "moosequest.net");
        await fails(ctx.google, checkedCreate(p.host, inputs()), problems(ALIAS));
    });

    it("an alias never passes for a domain, even where the domains API would answer for its name", async () => {
        // Google does not say what domains.get answers for an alias's name; here it answers a verified domain.
        ctx.google.addDomainAlias(DOMAIN, "moosequest.net");
        await fails(ctx.google, checkedCreate(p.host, inputs()), problems(ALIAS));
        assert.deepEqual(
            ctx.google.requests.filter((r) => r.path !== "/token").map((r) => `${r.method} ${r.path}`),
            [`GET /admin/directory/v1/customer/my_customer/domainaliases/${DOMAIN}`],
        );
    });

    it("a domain the account does not have: says how to add it", async () => {
        ctx.google.domains.delete(DOMAIN);
        await fails(ctx.google, checkedCreate(p.host, inputs()), problems(MISSING));
    });

    it("an unverified domain: says how to verify it", async () => {
        ctx.google.addDomain(DOMAIN, { verified: false });
        await fails(ctx.google, checkedCreate(p.host, inputs()), problems(UNVERIFIED));
    });

    it("no DKIM record declared: says how to get one and where to put it", async () => {
        await fails(ctx.google, checkedCreate(p.host, inputs({ dkimDeclared: false })), problems(NO_DKIM));
    });

    it("every problem at once, in one message", async () => {
        ctx.google.addDomain(DOMAIN, { verified: false });
        await fails(ctx.google, checkedCreate(p.host, inputs({ dkimDeclared: false })), problems(UNVERIFIED, NO_DKIM));
        ctx.google.domains.delete(DOMAIN);
        ctx.google.addDomainAlias(DOMAIN, "moosequest.net");
        await fails(ctx.google, checkedCreate(p.host, inputs({ dkimDeclared: false })), problems(ALIAS, NO_DKIM));
        ctx.google.domainAliases.clear();
        await fails(ctx.google, checkedCreate(p.host, inputs({ dkimDeclared: false })), problems(MISSING, NO_DKIM));
    });

    it("any change is an update that runs the checks again; read returns the state; delete does nothing", async () => {
        const made = await checkedCreate(p.host, inputs());
        const diff = async (over: Record<string, unknown>) => p.host.diff(made.id, made.outs, (await p.host.check(made.outs, inputs(over))).inputs);
        assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ dkimDeclared: false }), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await diff({ domain: "moosequest.net" }), { changes: true, replaces: [], deleteBeforeReplace: false });
        await fails(ctx.google, checkedUpdate(p.host, made.id, made.outs, inputs({ dkimDeclared: false })), problems(NO_DKIM));
        const moved = await checkedUpdate(p.host, made.id, made.outs, inputs({ domain: "moosequest.net" }));
        assert.equal(moved.domainKind, "primary");
        const before = ctx.google.requests.length;
        assert.deepEqual(await p.host.read(made.id, made.outs), { id: made.id, props: made.outs });
        await p.host.delete(made.id, made.outs);
        assert.equal(ctx.google.requests.length, before, "read and delete call nothing");
    });

    it("check: a domain name, lowercased, and a boolean; unknown values pass", async () => {
        const ok = await p.host.check({}, inputs({ domain: "Raxx.App" }));
        assert.deepEqual([ok.inputs.domain, ok.failures], [DOMAIN, []]);
        const bad = await p.host.check({}, inputs({ domain: "raxx", dkimDeclared: "yes" }));
        assert.deepEqual(bad.failures, [
            { property: "domain", reason: 'domain must be a domain name (e.g. "raxx.app")' },
            { property: "dkimDeclared", reason: "dkimDeclared must be true or false: whether the stack declares the DKIM record google._domainkey.<domain>" },
        ]);
        const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        assert.deepEqual((await p.host.check({}, inputs({ domain: UNKNOWN, dkimDeclared: UNKNOWN }))).failures, []);
    });
});
