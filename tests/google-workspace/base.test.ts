// The helpers every Workspace provider's check and diff share (providers/google-workspace/base.ts):
// the email rule, how an address is compared, and when two records of settings are the same.
import { strict as assert } from "node:assert";

import { failures, lowerEmail, sameRecord } from "../../providers/google-workspace/base";

describe("Google Workspace providers' shared checks", () => {
    it("takes as an email only a string that is one: not a list holding one, nor a number", () => {
        const f = failures({ a: "kris@raxx.app", b: ["kris@raxx.app"], c: 7, d: "kris" });
        for (const property of ["a", "b", "c", "d"]) f.email(property, "kris@raxx.app");
        assert.deepEqual(
            f.list.map((x) => x.property),
            ["b", "c", "d"],
        );
        assert.equal(f.list[0].reason, 'b must be an email address (e.g. "kris@raxx.app")');
    });

    it("compares an address trimmed and lowercased, and leaves what is not a string as it is", () => {
        assert.equal(lowerEmail("  Kris@Raxx.App "), "kris@raxx.app");
        assert.equal(lowerEmail(7), 7);
        assert.deepEqual(lowerEmail(["Kris@Raxx.App"]), ["Kris@Raxx.App"]);
    });

    it("counts two records the same when they hold the same keys and values, in any order; a missing record is an empty one", () => {
        const settings = { whoCanJoin: "INVITED_CAN_JOIN", allowExternalMembers: "false", whoCanPostMessage: "ALL_MEMBERS_CAN_POST", archiveOnly: "false" };
        const reversed = Object.fromEntries(Object.entries(settings).reverse());
        assert.ok(sameRecord(settings, reversed));
        assert.ok(sameRecord(reversed, settings));
        assert.ok(sameRecord(undefined, {}));
        assert.ok(!sameRecord(settings, { ...settings, archiveOnly: "true" }));
        assert.ok(!sameRecord(settings, { ...reversed, extra: "x" }));
        assert.ok(!sameRecord(undefined, { archiveOnly: "false" }));
    });
});
