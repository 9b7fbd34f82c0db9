// The offline plan's redactor (scripts/lib/plan/redact.ts), on values made here: what it
// hides, how it names where a value came from, and what it leaves alone. tests/plan.test.ts
// checks the tool's outputs end to end; this pins each rule, so none can loosen unseen.
import { strict as assert } from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { fakeCloud } from "../scripts/lib/offline/fakeCloud";
import { MockRunResult, Registration } from "../scripts/lib/offline/mocks";
import { secretPlaceholder } from "../scripts/lib/offline/stack";
import { Lookup, Redactor, deepPlain, describedInputs, fakeValues, recordingCall } from "../scripts/lib/plan/redact";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

function registration(type: string, name: string, inputs: Record<string, unknown> = {}): Registration {
    return { type, name, urn: `urn:pulumi:prod::raxx-platform::${type}::${name}`, parent: "", custom: true, provider: "", inputs, options: {} as Registration["options"] };
}

const run = (...registrations: Registration[]) => ({ registrations, outputs: {}, secretOutputs: [], calls: [], error: undefined }) as MockRunResult;

describe("the offline plan's redactor", () => {
    // The shorter value first: the redactor must still replace the longer one whole.
    // Built in each test, not here: Stryker's per-test coverage runs only what a test itself runs.
    const redactor = () =>
        new Redactor(
            new Map([
                ["tok-abc", "output of b.token"],
                ["tok-abcdef", "output of a.token"],
                ["acct-0123", "looked up by getZone (account.id)"],
            ]),
        );

    it("replaces a whole value by where it came from, and each value inside a text, every time, the longest first", () => {
        const r = redactor();
        assert.equal(r.text("tok-abc"), "[output of b.token]");
        assert.equal(r.text("Bearer tok-abcdef and tok-abc, again tok-abc"), "Bearer [output of a.token] and [output of b.token], again [output of b.token]");
        assert.equal(r.text("nothing to hide"), "nothing to hide");
        assert.deepEqual(r.values(), ["tok-abc", "tok-abcdef", "acct-0123"]);
    });

    it("never searches a label it put in, and hides a value that contains regular-expression syntax as written", () => {
        const r = new Redactor(new Map([["secret-one", "from a"], ["from", "x"]]));
        assert.equal(r.text("secret-one, from"), "[from a], [x]");
        // Each character that means something in a pattern: only the value itself is hidden, never a text it would match as a pattern.
        for (const c of [".", "*", "+", "?", "^", "$", "{", "}", "(", ")", "|", "[", "]", "\\"]) {
            const value = `ab${c}cd`;
            assert.equal(new Redactor(new Map([[value, "v"]])).text(`x ${value} y abXcd ab abcd ${value}`), "x [v] y abXcd ab abcd [v]", `a value with ${c}`);
        }
    });

    it("with no value to hide, leaves every text as it is and names no source", () => {
        const r = new Redactor(new Map());
        assert.equal(r.text("tok-abc and more"), "tok-abc and more");
        assert.deepEqual(r.sources({ a: "tok-abc" }), []);
    });

    it("shows a recorded input with secrets as [secret], strings and object keys redacted, and the provider's code left out", () => {
        const r = redactor();
        const input = {
            token: secret("tok-abcdef"),
            header: "tok-abc",
            list: ["a", "acct-0123", 3, true, null],
            resources: { "com.cloudflare.api.account.acct-0123": "*" },
            nested: { deep: { value: secret({ x: "tok-abc" }) } },
            __provider: "exports.handler = ...",
            count: 7,
        };
        assert.deepEqual(r.value(input), {
            token: "[secret]",
            header: "[output of b.token]",
            list: ["a", "[looked up by getZone (account.id)]", 3, true, null],
            resources: { "com.cloudflare.api.account.[looked up by getZone (account.id)]": "*" },
            nested: { deep: { value: "[secret]" } },
            count: 7,
        });
        assert.equal(r.value(undefined), undefined);
    });

    it("names every source inside a value, secret or not, keys included, each once and sorted, never the value", () => {
        const r = redactor();
        assert.deepEqual(r.sources(secret({ a: ["tok-abcdef", "x tok-abc"], "acct-0123": 1 })), [
            "looked up by getZone (account.id)",
            "output of a.token",
            "output of b.token",
        ]);
        assert.deepEqual(r.sources({ a: "plain" }), []);
        assert.deepEqual(r.sources("tok-abc tok-abc"), ["output of b.token"]);
        // A value that merely contains another comes from its own source only.
        assert.deepEqual(r.sources("tok-abcdef"), ["output of a.token"]);
        // Empty places and plain scalars are passed over, not read.
        assert.deepEqual(r.sources({ a: null, b: undefined, c: [null, undefined, 3, true, "tok-abc"] }), ["output of b.token"]);
    });

    it("collects each fake output, each looked-up id the program did not give, and each secret config placeholder", () => {
        const bytes = registration("random:index/randomBytes:RandomBytes", "audit-bytes-a", { length: 32 });
        const fake = fakeCloud(bytes)!;
        const lookups: Lookup[] = [
            {
                token: "cloudflare:index/getZone:getZone",
                inputs: { zoneId: "zone-given-by-the-program" },
                answer: { id: "zone-given-by-the-program", account: { id: "acct-looked-up-1" }, accountId: "not-an-id-path", results: [{ id: "acct-looked-up-2" }], short: { id: "ab" } },
            },
        ];
        const found = fakeValues(run(bytes), lookups, ["raxx-platform:herokuApiKey"]);
        assert.deepEqual([...found.entries()], [
            [fake.hex, "output of audit-bytes-a.hex"],
            [fake.base64, "output of audit-bytes-a.base64"],
            ["acct-looked-up-1", "looked up by getZone (account.id)"],
            ["acct-looked-up-2", "looked up by getZone (results[0].id)"],
            [secretPlaceholder("raxx-platform:herokuApiKey"), "secret config raxx-platform:herokuApiKey"],
        ]);
    });

    it("keeps the first source of a value met twice, and never treats a value under 4 characters, or an id that is no string, as one", () => {
        const answer = { id: "abc", other: { id: "dup-value-1" }, again: { id: "dup-value-1" }, four: { id: "abcd" }, none: { id: null }, count: { id: 12345 } };
        const found = fakeValues(run(), [{ token: "aws:iam/getGroup:getGroup", inputs: {}, answer }], []);
        assert.deepEqual([...found.entries()], [
            ["dup-value-1", "looked up by getGroup (other.id)"],
            ["abcd", "looked up by getGroup (four.id)"],
        ]);
    });

    it("takes as a looked-up id exactly a value at a key named id: at the top, nested, or in a list there; not a key that starts with id", () => {
        const ids = Array.from({ length: 11 }, (_, i) => `zone-id-${i}`);
        const answer = { id: "top-level-id", idempotencyKey: "not-an-id-1", account: { identity: "not-an-id-2", name: null }, zones: { id: ids } };
        const found = fakeValues(run(), [{ token: "cloudflare:index/getZones:getZones", inputs: { count: 11 }, answer }], []);
        assert.deepEqual([...found.entries()], [
            ["top-level-id", "looked up by getZones (id)"],
            ...ids.map((id, i) => [id, `looked up by getZones (zones.id[${i}])`]),
        ]);
    });

    it("records the answers of the lookups the fakes answer, and only those", () => {
        const into: Lookup[] = [];
        const call = recordingCall(into);
        const answered = call({ token: "cloudflare:index/getZone:getZone", inputs: { zoneId: "f12dbb5cac57d5591a5058874498a6d1" }, provider: "" } as pulumi.runtime.MockCallArgs);
        const unknown = call({ token: "nobody:index/getNothing:getNothing", inputs: {}, provider: "" } as pulumi.runtime.MockCallArgs);
        assert.equal(unknown, undefined);
        assert.deepEqual(into, [{ token: "cloudflare:index/getZone:getZone", inputs: { zoneId: "f12dbb5cac57d5591a5058874498a6d1" }, answer: answered }]);
    });

    it("unwraps every nested secret for comparison, and describes a resource without its provider's code", () => {
        assert.deepEqual(deepPlain(secret({ a: secret("x"), b: [secret(1), 2], c: null })), { a: "x", b: [1, 2], c: null });
        assert.deepEqual(describedInputs(registration("t", "n", { a: 1, __provider: "code" })), { a: 1 });
    });
});
