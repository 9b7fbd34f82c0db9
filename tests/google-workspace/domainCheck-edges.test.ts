// The DomainCheck provider in process, against the fake Google: the domain-name pattern's
// edges, check on values that are not strings, what a failed precondition's error carries,
// and what a failed lookup (not a 404) does. tests/google-workspace/domainCheck.test.ts runs
// the messages through the serialized text.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { DomainCheckProvider } from "../../providers/google-workspace/domainCheck";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { freshCopy } from "../harness/serializedProvider";
import { byName, okRun } from "../harness/query";
import { DOMAIN, fails, RETRY, useFakeWorkspace } from "./helpers";


/** providers/google-workspace/domainCheck.ts loaded anew inside the calling test, so its module-level pattern is the one under test. */
const freshDomainCheck = () => freshCopy<typeof import("../../providers/google-workspace/domainCheck")>(require.resolve("../../providers/google-workspace/domainCheck"));

function fieldsOf(e: Error): Record<string, unknown> {
    const { method, path, status } = e as Error & Record<string, unknown>;
    return { method, path, status };
}

describe("Google Workspace DomainCheck, in process", () => {
    const ctx = useFakeWorkspace();
    const inputs = (over: Record<string, unknown> = {}) => ({ domain: DOMAIN, dkimDeclared: true, ...over }) as never;

    it("takes as a domain name exactly: lowercase labels of 1 to 63 characters, dot-separated, a letter first in the last, at most 253 in all", () => {
        const { DOMAIN_NAME } = freshDomainCheck();
        const label63 = "a".repeat(63);
        // 63 + 1 + 63 + 1 + 63 + 1 + 57 + 1 + 3 = 253 characters.
        const longest = `${label63}.${label63}.${label63}.${"b".repeat(57)}.app`;
        assert.equal(longest.length, 253);
        for (const ok of ["raxx.app", "mail.raxx.app", "x.raxx.app", "a-b.raxx.app", longest]) assert.ok(DOMAIN_NAME.test(ok), ok);
        for (const bad of ["raxx", "bad_label.raxx.app", "raxx.app!", `c${longest}`, "-raxx.app", "raxx-.app", "raxx.1app", "Raxx.app", `${"a".repeat(64)}.app`]) {
            assert.ok(!DOMAIN_NAME.test(bad), bad);
        }
    });

    it("check: trims and lowercases a domain; refuses one that is not a string, a list holding a domain included, without throwing", async () => {
        const p = new DomainCheckProvider();
        assert.deepEqual(await p.check(inputs(), inputs({ domain: "  Raxx.App " })), { inputs: { domain: DOMAIN, dkimDeclared: true }, failures: [] });
        const DOMAIN_FAILURE = { property: "domain", reason: 'domain must be a domain name (e.g. "raxx.app")' };
        for (const domain of [42, [DOMAIN], { toString: () => DOMAIN }]) {
            assert.deepEqual((await p.check(inputs(), inputs({ domain }))).failures, [DOMAIN_FAILURE], JSON.stringify(domain));
        }
    });

    it("an unmet precondition's error names the domain's path, and Google's answer for it: 404 where the account has no such domain, 200 where it is unverified", async () => {
        const p = new DomainCheckProvider();
        ctx.google.domains.delete(DOMAIN);
        const missing = await fails(ctx.google, p.create(inputs()), /^Google Workspace is not ready for groups and users on raxx\.app: one problem; nothing was created\.\n {2}1\. raxx\.app is not a domain of this Workspace account\./);
        assert.deepEqual(fieldsOf(missing), { method: "GET", path: `customer/my_customer/domains/${DOMAIN}`, status: 404 });
        ctx.google.addDomain(DOMAIN, { verified: false });
        const unverified = await fails(ctx.google, p.create(inputs()), /^Google Workspace is not ready for groups and users on raxx\.app: one problem; nothing was created\.\n {2}1\. raxx\.app is not verified\./);
        assert.deepEqual(fieldsOf(unverified), { method: "GET", path: `customer/my_customer/domains/${DOMAIN}`, status: 200 });
    });

    it("a lookup Google fails (not a 404) is that failure, named by API, method and path, never read as no alias", async () => {
        const p = new DomainCheckProvider();
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/customer/my_customer/domainaliases/${DOMAIN}`, status: 400 });
        const aliasErr = await fails(
            ctx.google,
            p.create(inputs()),
            `Directory API GET customer/my_customer/domainaliases/${DOMAIN} failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`,
        );
        assert.deepEqual(fieldsOf(aliasErr), { method: "GET", path: `customer/my_customer/domainaliases/${DOMAIN}`, status: 400 });
        ctx.google.inject({ method: "GET", path: `/admin/directory/v1/customer/my_customer/domains/${DOMAIN}`, status: 400 });
        await fails(
            ctx.google,
            p.create(inputs()),
            `Directory API GET customer/my_customer/domains/${DOMAIN} failed: 400 failedPrecondition: Fault injected by the test. Google refused the request: correct what its message names, ${RETRY}.`,
        );
    });

    it("registers the domain and whether DKIM is declared as its inputs, and checkedAt and domainKind as outputs to come", async () => {
        const { DomainCheck } = freshDomainCheck();
        const result = await okRun(runWithMocks(() => void new DomainCheck("raxx-app", { domain: DOMAIN, dkimDeclared: pulumi.output(false) })));
        const { __provider: _code, ...registered } = byName(result, "raxx-app").inputs;
        assert.deepEqual(registered, { domain: DOMAIN, dkimDeclared: false });
    });
});
