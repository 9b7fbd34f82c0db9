// The physical identity of each kind of resource (scripts/lib/inventory.ts), by which the
// program refuses to declare one thing twice, and the words of that refusal.
import { strict as assert } from "node:assert";

import { OwnershipError, describeDoubleDeclaration, doubleDeclarations, physicalIds } from "../scripts/lib/inventory";

const reg = (type: string, inputs: Record<string, unknown>, name = "r") => ({ type, name, inputs });

describe("physical identities", () => {
    it("names each kind of thing by what makes it one thing at its provider", () => {
        const cases: [string, Record<string, unknown>, string[]][] = [
            ["aws:iam/user:User", { name: "raxx-billing" }, ["aws iam user raxx-billing"]],
            ["aws:iam/policy:Policy", { name: "raxx-billing-read" }, ["aws iam policy raxx-billing-read"]],
            ["aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "raxx-billing", policyArn: "arn:aws:iam::1:policy/p" }, ["aws iam attachment raxx-billing arn:aws:iam::1:policy/p"]],
            ["pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy", { applicationId: "app-1", policyName: "raxx-vault" }, ["cloudflare access policy app-1 raxx-vault"]],
            ["cloudflare:index/dnsRecord:DnsRecord", { zoneId: "z1", type: "TXT", name: "raxx.app", content: "v=spf1 -all" }, ["cloudflare dns z1 TXT raxx.app v=spf1 -all"]],
            ["pulumi-nodejs:dynamic/google-workspace:Group", { email: "ops@raxx.app" }, ["google workspace address ops@raxx.app"]],
            ["pulumi-nodejs:dynamic/google-workspace:Member", { group: "ops@raxx.app", email: "kris@raxx.app" }, ["google workspace member ops@raxx.app kris@raxx.app"]],
            ["random:index/randomBytes:RandomBytes", { length: 32 }, []],
        ];
        for (const [type, inputs, ids] of cases) assert.deepEqual(physicalIds(reg(type, inputs)), ids, type);
    });

    it("finds a thing declared twice, within a stack or across stacks, and says who declares it", () => {
        const user = (name: string) => reg("aws:iam/user:User", { name: "raxx-billing" }, name);
        const stacks = new Map([
            ["prod", [user("billing-user"), reg("aws:iam/policy:Policy", { name: "p" }, "policy")]],
            ["staging", [user("billing-user-2"), user("billing-user-3")]],
        ]);
        const found = doubleDeclarations(stacks);
        assert.deepEqual(found, [
            {
                id: "aws iam user raxx-billing",
                by: [
                    { stack: "prod", resource: "billing-user" },
                    { stack: "staging", resource: "billing-user-2" },
                    { stack: "staging", resource: "billing-user-3" },
                ],
            },
        ]);
        assert.equal(
            describeDoubleDeclaration(found[0]),
            "aws iam user raxx-billing: declared by stack prod (resource billing-user), stack staging (resource billing-user-2) and stack staging (resource billing-user-3); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
        );
        assert.equal(
            describeDoubleDeclaration({ id: "heroku config var raxx-api-prod/HEROKU_API_KEY", by: [{ stack: "prod", resource: "a" }, { stack: "staging", resource: "b" }] }),
            "Heroku app raxx-api-prod, config var HEROKU_API_KEY: declared by stack prod (resource a) and stack staging (resource b); each would overwrite or remove the other's on update or delete, so declare it in one stack only",
        );
        assert.equal(describeDoubleDeclaration({ id: "x heroku config var a/b", by: [{ stack: "s", resource: "r" }, { stack: "t", resource: "q" }] }).split(":")[0], "x heroku config var a/b");
    });

    it("counts the problems of a refusal in words", () => {
        assert.equal(new OwnershipError(["one"]).message.split("\n")[0], "Declared twice (1 problem):");
        assert.equal(new OwnershipError(["one", "two"]).message, 'Declared twice (2 problems):\n  - one\n  - two\nEvery physical thing belongs to exactly one stack and one resource; see "Stacks and who owns what" in README.md.');
        assert.equal(new OwnershipError([]).name, "OwnershipError");
    });
});
