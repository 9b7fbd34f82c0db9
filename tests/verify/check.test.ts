// What every check shares (providers/verify/check.ts): its wording, its bounded retries and
// their default pace, and the hash it compares.
import { strict as assert } from "node:assert";

import { CHECK_FAILED, backoffMs, checkFailed, duration, retryUntil, sha256 } from "../../providers/verify/check";
import { restoreEnvAfterEach } from "../harness/env";
import { rejection } from "../harness/assertions";

const ctx = (deadlineMs: number) => ({ subject: "someCredential slot b", check: "asking", deadlineMs, secrets: ["s3cr3t-value"] });

describe("providers/verify/check.ts", () => {
    restoreEnvAfterEach(["VERIFY_BACKOFF_MS"]);

    it("words a failure as subject, check, answer and advice, with every secret masked", () => {
        const e = checkFailed(ctx(1), "it answered s3cr3t-value.", "Do this.");
        assert.equal(e.message, "someCredential slot b: asking failed: it answered [redacted]. Do this.");
        assert.equal(e.name, CHECK_FAILED);
    });

    it("waits 1000 ms, doubling, between tries when VERIFY_BACKOFF_MS is unset or not a whole number", () => {
        for (const v of [undefined, "", " ", "abc", "-5", "1.5"]) {
            if (v === undefined) delete process.env.VERIFY_BACKOFF_MS;
            else process.env.VERIFY_BACKOFF_MS = v;
            assert.equal(backoffMs(), 1000, String(v));
        }
        process.env.VERIFY_BACKOFF_MS = "0";
        assert.equal(backoffMs(), 0);
        process.env.VERIFY_BACKOFF_MS = "25";
        assert.equal(backoffMs(), 25);
    });

    it("by default tries a few times within its limit, not back to back", async () => {
        delete process.env.VERIFY_BACKOFF_MS;
        let tries = 0;
        const err = await rejection(retryUntil(ctx(1100), async () => (tries++, { retry: "not yet" })));
        // A try at 0, one after the 1000 ms wait, one after the ~100 ms left (and at most one more on timer jitter).
        assert.ok(tries >= 3 && tries <= 4, `${tries} tries`);
        assert.equal(err.message, `someCredential slot b: asking failed: not yet (${tries} tries within the check's limit of 1 s).`);
    });

    it("stops at once on a final answer, and returns a result as soon as there is one", async () => {
        process.env.VERIFY_BACKOFF_MS = "1";
        let tries = 0;
        const err = await rejection(retryUntil(ctx(5000), async () => (++tries < 2 ? { retry: "not yet" } : { fail: "no such key", advice: "Look." })));
        assert.equal([tries, err.message].join(" "), "2 someCredential slot b: asking failed: no such key. Look.");
        assert.equal(await retryUntil(ctx(5000), async () => ({ done: 42 })), 42);
    });

    it("says a duration in ms under a second, in whole seconds above, and hashes with SHA-256", () => {
        assert.deepEqual([duration(50), duration(999), duration(1000), duration(1500), duration(60_000)], ["50 ms", "999 ms", "1 s", "2 s", "60 s"]);
        assert.equal(sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    });
});
