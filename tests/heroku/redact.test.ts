// What a Heroku error message may show (providers/heroku/client.ts): `redact` and the
// reading of Heroku's error body, rule by rule, on texts made here.
import { strict as assert } from "node:assert";

import { errorBody, redact } from "../../providers/heroku/client";

describe("Heroku client: redaction", () => {
    it("masks each secret wherever it occurs, even inside a word", () => {
        assert.equal(redact("key=s3cr3t-value;again:s3cr3t-valueX", ["s3cr3t-value"]), "key=[redacted];again:[redacted]X");
    });

    it("masks any Heroku-style token, given or not, through its last letter, digit, _ or -", () => {
        assert.equal(redact("Bearer HRKU-abc_DEF-123.rest and HRKU-x", []), "Bearer [redacted].rest and [redacted]");
    });

    it("masks a plain value only as a whole word, every time, the longest first", () => {
        assert.equal(redact("on GET /apps/raxx-on: on, onward, _on, on", [], ["on"]), "[redacted] GET /apps/raxx-[redacted]: [redacted], onward, _on, [redacted]");
        assert.equal(redact("flag=abc.def abc", [], ["abc", "abc.def"]), "flag=[redacted] [redacted]");
    });

    it("reads a plain value literally, never as a pattern, and skips an empty or missing one", () => {
        assert.equal(redact("abc a.c a+c", [], ["a.c", "a+c"]), "abc [redacted] [redacted]");
        assert.equal(redact("nothing to hide", [], ["", undefined as unknown as string]), "nothing to hide");
        assert.equal(redact("nothing to hide", []), "nothing to hide");
    });

    it("never reads an empty value as a word: a place between two non-word characters stays as it is", () => {
        assert.equal(redact("a, b: (c) -- d.", [], [""]), "a, b: (c) -- d.");
        assert.equal(redact("a, b: (c) -- d.", [], ["", "c"]), "a, b: ([redacted]) -- d.");
    });

    it("masks no plain word when given no values, and still masks secrets and HRKU- tokens then", () => {
        assert.equal(redact("on GET /apps/raxx-on: on", ["unused-secret"]), "on GET /apps/raxx-on: on");
        assert.equal(redact("key s3cr3t-value, token HRKU-abc_12-x", ["s3cr3t-value"]), "key [redacted], token [redacted]");
    });
});

describe("Heroku client: the error body", () => {
    const upper = (t: string) => t.toUpperCase();

    it("takes Heroku's id and message through the mask, flattened and cut to 60 and 300 characters", () => {
        assert.deepEqual(errorBody(JSON.stringify({ id: "not_found", message: "Couldn't find\nthat app." }), upper), { herokuId: "NOT_FOUND", herokuMessage: "COULDN'T FIND THAT APP." });
        const long = errorBody(JSON.stringify({ id: "i".repeat(61), message: "m".repeat(301) }), (t) => t);
        assert.deepEqual(long, { herokuId: `${"i".repeat(60)}…`, herokuMessage: `${"m".repeat(300)}…` });
    });

    it("shows neither when they are not strings, nor anything of a body that is not JSON", () => {
        assert.deepEqual(errorBody(JSON.stringify({ id: 404, message: { text: "x" } }), upper), { herokuId: undefined, herokuMessage: undefined });
        assert.deepEqual(errorBody("<html>Bad gateway HRKU-leak</html>", upper), { herokuId: undefined, herokuMessage: undefined });
    });

    it("keeps the one that is a string when the other is not", () => {
        const same = (t: string) => t;
        assert.deepEqual(errorBody(JSON.stringify({ id: 404, message: "Couldn't find that app." }), same), { herokuId: undefined, herokuMessage: "Couldn't find that app." });
        assert.deepEqual(errorBody(JSON.stringify({ id: "not_found", message: ["Couldn't", "find"] }), same), { herokuId: "not_found", herokuMessage: undefined });
        assert.deepEqual(errorBody(JSON.stringify({ message: "No id." }), upper), { herokuId: undefined, herokuMessage: "NO ID." });
    });
});
