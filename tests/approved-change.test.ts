// apply.yml's guard that the update applied is the change approved
// (.github/scripts/approved-change.ts), on hand-written preview JSON; the
// engine tier runs it on the real CLI's (tests/engine/approved-change.test.ts).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changeId, differences, parseApproved, run } from "../.github/scripts/approved-change";

const URN = "urn:pulumi:prod::raxx-platform::aws:ssm/parameter:Parameter::p";

function preview(steps: unknown[], summary: Record<string, number> = { update: steps.length }, diagnostics: unknown[] = []): string {
    return JSON.stringify({ steps, changeSummary: summary, diagnostics });
}

describe("apply: the change approved is the change applied", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-approved-unit-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function env(json: string, code: string, extra: Record<string, string> = {}): Record<string, string> {
        const file = path.join(dir, "preview.json");
        fs.writeFileSync(file, json);
        fs.writeFileSync(path.join(dir, "output"), "");
        return { STACK: "prod", GITHUB_SHA: "abc", PREVIEW_JSON: file, PREVIEW_EXIT_CODE: code, GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary"), ...extra };
    }
    const update = { op: "update", urn: URN, detailedDiff: { value: { kind: "update" } }, oldState: { inputs: { value: "[secret]" } }, newState: { type: "aws:ssm/parameter:Parameter", inputs: { value: "[secret]" } } };

    it("records each operation with its changed properties, secret-only updates included, and no value", () => {
        const e = env(preview([update]), "7");
        const log: string[] = [];
        assert.equal(run("record", e, (l) => log.push(l)), 0);
        assert.equal(fs.readFileSync(e.GITHUB_OUTPUT, "utf8"), `change=${JSON.stringify([`update ${URN} [value]`])}\n`);
        assert.deepEqual(log, [`stack prod: recorded 1 operation(s), change id ${changeId([`update ${URN} [value]`])}`]);
    });

    it("records nothing and fails when the preview failed, whatever it lists, with one escaped error line", () => {
        const e = env(preview([update], { update: 1 }, [{ severity: "error", message: "boom\n::add-mask::x" }]), "1");
        const log: string[] = [];
        assert.equal(run("record", e, (l) => log.push(l)), 1);
        assert.equal(fs.readFileSync(e.GITHUB_OUTPUT, "utf8"), "");
        assert.equal(log.length, 1);
        assert.match(log[0], /^::error::the preview of stack prod failed, so there is nothing to approve: .*boom%0A::add-mask::x/);
        assert.match(fs.readFileSync(e.GITHUB_STEP_SUMMARY, "utf8"), /^### The preview of stack `prod` failed\n/);
    });

    it("goes on only when the preview proposes exactly the approved operations", () => {
        const approved = JSON.stringify([`update ${URN} [value]`]);
        assert.equal(run("check", env(preview([update]), "7", { APPROVED_CHANGE: approved }), () => undefined), 0);
        assert.equal(run("check", env(preview([], {}), "0", { APPROVED_CHANGE: approved }), () => undefined), 1, "an approved change that vanished");
        assert.equal(run("check", env(preview([update]), "7", { APPROVED_CHANGE: "[]" }), () => undefined), 1, "a change nobody approved");
        assert.equal(run("check", env(preview([], {}), "0", { APPROVED_CHANGE: "[]" }), () => undefined), 0, "nothing approved, nothing proposed");
    });

    it("takes the approval only as a list of strings, and compares lists both ways", () => {
        for (const bad of [undefined, "", "{}", '"x"', "[1]", "not json"]) assert.equal(parseApproved(bad), undefined, String(bad));
        assert.deepEqual(parseApproved('["a","b"]'), ["a", "b"]);
        assert.deepEqual(differences(["a", "b"], ["b", "c"]), { added: ["c"], gone: ["a"] });
        assert.notEqual(changeId(["a"]), changeId(["b"]));
        assert.throws(() => run("apply", {}), /usage: approved-change\.ts record\|check/);
    });
});
