// npm run mutate's own parts (scripts/lib/mutation): the groups cover what the docs say,
// the report is read as Stryker writes it, and the critical areas catch what they name.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import { CRITICAL, GROUPS } from "../scripts/lib/mutation/groups";
import { Mutant, criticalAreaOf, directives, filesOf, functionLines, globMatch, scoreOf, survivors, total } from "../scripts/lib/mutation/report";

const ROOT = path.resolve(__dirname, "..");

const mutant = (status: Mutant["status"], line: number, mutatorName = "StringLiteral"): Mutant => ({
    id: `${line}-${status}`,
    mutatorName,
    status,
    replacement: '""',
    location: { start: { line, column: 1 }, end: { line, column: 10 } },
});

describe("npm run mutate", () => {
    it("names each group in docs/mutation.md, and each group's files and tests exist", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "mutation.md"), "utf8");
        for (const g of GROUPS) assert.ok(doc.includes(`\`${g.name}\``), `docs/mutation.md names no group ${g.name}`);
        const all = filesOf(ROOT, ["config.ts", "components/**/*", "providers/**/*", "policy/**/*", "scripts/**/*", "tests/**/*", ".github/scripts/**/*"]);
        for (const g of GROUPS) {
            for (const glob of [...g.mutate, ...g.spec]) assert.ok(all.some((f) => globMatch(glob, f)), `${g.name}: ${glob} matches no file`);
        }
        // Each guarded file in exactly one group.
        const owners = all.filter((f) => f.endsWith(".ts")).map((f) => [f, GROUPS.filter((g) => g.mutate.some((glob) => globMatch(glob, f))).map((g) => g.name)] as const);
        assert.deepEqual(owners.filter(([, gs]) => gs.length > 1), []);
        for (const f of ["config.ts", "components/rotation.ts", "providers/http.ts", "providers/heroku/client.ts", "policy/policies.ts", "scripts/lib/credentials.ts", "scripts/lib/plan/redact.ts", ".github/scripts/drift.ts"]) {
            assert.equal(owners.find(([x]) => x === f)?.[1].length, 1, f);
        }
    });

    it("matches globs as Stryker does: * within a folder, ** across folders", () => {
        assert.equal(globMatch("providers/**/*.ts", "providers/heroku/client.ts"), true);
        assert.equal(globMatch("providers/**/*.ts", "providers/http.ts"), true);
        assert.equal(globMatch("providers/heroku/*.ts", "providers/heroku/sub/x.ts"), false);
        assert.equal(globMatch("components/random/rotating*.ts", "components/random/rotatingToken.ts"), true);
        assert.equal(globMatch("config.ts", "xconfig.ts"), false);
        assert.equal(globMatch("policy/*.ts", "policy/index.ts"), true);
    });

    it("scores as Stryker does: killed and timed out over those plus survived and not covered", () => {
        const mutants = [mutant("Killed", 1), mutant("Killed", 2), mutant("Timeout", 3), mutant("Survived", 4), mutant("NoCoverage", 5), mutant("Ignored", 6), mutant("RuntimeError", 7)];
        assert.deepEqual(scoreOf("f.ts", mutants), { file: "f.ts", killed: 2, timeout: 1, survived: 1, noCoverage: 1, ignored: 1, errors: 1, score: 60 });
        assert.deepEqual(scoreOf("g.ts", [mutant("Ignored", 1)]).score, null);
        assert.deepEqual(total([scoreOf("f.ts", mutants), scoreOf("g.ts", [mutant("Killed", 1)])]), { file: "all", killed: 3, timeout: 1, survived: 1, noCoverage: 1, ignored: 1, errors: 1, score: (100 * 4) / 6 });
    });

    it("puts a survivor in a critical area by file, by function and by line", () => {
        const source = ["export function maskSecrets(t: string) {", '    return t.split("x").join("[redacted]");', "}", "export function other() {", '    return "y";', "}"].join("\n");
        assert.equal(criticalAreaOf("providers/http.ts", source, mutant("Survived", 2))?.area, "redaction");
        assert.equal(criticalAreaOf("providers/http.ts", source, mutant("Survived", 5)), undefined);
        assert.equal(criticalAreaOf("config.ts", source, mutant("Survived", 5))?.area, "config validation");
        const component = ['const a = 1;', 'new X("x", {}, { additionalSecretOutputs: ["token"] });'].join("\n");
        assert.equal(criticalAreaOf("components/heroku/rotatingAuthorization.ts", component, mutant("Survived", 2))?.area, "secret marking");
        assert.equal(criticalAreaOf("components/heroku/rotatingAuthorization.ts", component, mutant("Survived", 1)), undefined);
        assert.deepEqual(functionLines("x.ts", source, ["other"]), [[4, 6]]);
        assert.deepEqual(
            survivors({ files: { "providers/http.ts": { source, mutants: [mutant("Killed", 2), mutant("Survived", 2), mutant("NoCoverage", 5)] } } }).map((s) => [s.line, s.status, s.area]),
            [
                [2, "Survived", "redaction"],
                [5, "NoCoverage", undefined],
            ],
        );
        assert.deepEqual(CRITICAL.map((c) => c.area).filter((a, i, all) => all.indexOf(a) === i), ["redaction", "secret marking", "slot attribution", "config validation"]);
    });

    it("lists each Stryker directive, and refuses one without a mutator or a reason", () => {
        const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "raxx-mutate-"));
        try {
            fs.writeFileSync(
                path.join(dir, "a.ts"),
                [
                    "// Stryker disable next-line StringLiteral: the message is never read, only its presence",
                    "const a = 1;",
                    "// Stryker disable next-line all",
                    "// Stryker disable next-line Regex",
                    "// Stryker restore all",
                ].join("\n"),
            );
            assert.deepEqual(
                directives(dir, ["a.ts"]).map((d) => [d.line, d.problem]),
                [
                    [1, undefined],
                    [3, "names no mutator: disable the one that is equivalent, not all"],
                    [4, "gives no reason: say in one line why the code behaves the same"],
                    [5, undefined],
                ],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
