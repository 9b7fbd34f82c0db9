// What a Cloudflare error message may show (providers/cloudflare/client.ts): the envelope's
// errors, read rule by rule on bodies made here.
import { strict as assert } from "node:assert";

import { errorEntries } from "../../providers/cloudflare/client";

describe("Cloudflare client: the envelope's errors", () => {
    const mask = (s: string) => s.split("tok-secret").join("[redacted]");

    it("keeps the first five, each code and message, the message masked, flattened and cut to 200 characters", () => {
        const errors = [
            { code: 10000, message: "Authentication error for tok-secret" },
            { code: 7003, message: "line one\nline two" },
            { code: "9109", message: "m".repeat(201) },
            { message: "no code" },
            { code: 1, message: "fifth" },
            { code: 2, message: "sixth, dropped" },
        ];
        assert.deepEqual(errorEntries(errors, mask), [
            { code: 10000, message: "Authentication error for [redacted]" },
            { code: 7003, message: "line one line two" },
            { code: undefined, message: `${"m".repeat(200)}…` },
            { code: undefined, message: "no code" },
            { code: 1, message: "fifth" },
        ]);
    });

    it("shows an entry that is not an object, or has no message, as its JSON, masked too", () => {
        assert.deepEqual(errorEntries(["tok-secret leaked", 42, null, { code: 5, message: { nested: "x" } }], mask), [
            { code: undefined, message: '"[redacted] leaked"' },
            { code: undefined, message: "42" },
            { code: undefined, message: '""' },
            { code: 5, message: '{"code":5,"message":{"nested":"x"}}' },
        ]);
    });

    it("reads no errors from anything but a list", () => {
        for (const errors of [undefined, null, "error", { code: 1, message: "x" }]) assert.deepEqual(errorEntries(errors, mask), [], JSON.stringify(errors));
    });
});
