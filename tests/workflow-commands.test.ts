// Workflow commands (`::error::`, `::warning::`) that the workflow scripts
// print are escaped as the runner unescapes them, so that text from the CLI or
// an API cannot end the command and start one of its own.
import { strict as assert } from "node:assert";
import { workflowCommand } from "../.github/scripts/github";
import { RotationReport, overdueWarning } from "../.github/scripts/preview-comment";

describe("workflow commands: escaped, so text cannot inject commands", () => {
    it("escapes % CR LF in the message, and also : and , in properties, as the runner unescapes them", () => {
        assert.equal(workflowCommand("warning", "50% done\r\nnext", { title: "a: b, c\nd" }), "::warning title=a%3A b%2C c%0Ad::50%25 done%0D%0Anext");
        assert.equal(workflowCommand("notice", "plain"), "::notice::plain");
    });

    it("the preview comment's rotation warning is escaped too", () => {
        const report = { overdue: 2 } as RotationReport;
        assert.equal(
            overdueWarning(report, "prod\n::error::forged"),
            "::warning title=Rotation overdue::2 credential(s) of stack prod%0A::error::forged are overdue for rotation; see docs/rotation.md",
        );
    });
});
