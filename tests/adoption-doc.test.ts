// docs/adoption.md, the adoption runbook, agrees with the tools and keeps its
// own rules: every preview and up runs with the guards, revocation comes last,
// the commands work as written (a protected resource needs --force to leave
// the state), the one secrets provider is the one `npm test` accepts, and
// step 2's targets are the program's explicit providers.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SECRETS_PROVIDER } from "../scripts/lib/offline/stack";
import { importPlan } from "../scripts/lib/plan/importPlan";
import { runOffline } from "../scripts/lib/plan/model";

const DOC = fs.readFileSync(path.join(__dirname, "..", "docs", "adoption.md"), "utf8");

/** The doc's sections by their `## ` heading. */
function sections(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const part of text.split(/^## /m).slice(1)) out.set(part.slice(0, part.indexOf("\n")), part);
    return out;
}

/** Every line of every fenced code block, with the heading of its section. */
function codeLines(text: string): { section: string; line: string }[] {
    const out: { section: string; line: string }[] = [];
    for (const [section, body] of sections(text)) {
        const blocks = body.split(/^\s*```.*$/m).filter((_, k) => k % 2 === 1);
        for (const b of blocks) for (const line of b.split("\n")) if (line.trim() !== "") out.push({ section, line: line.trim() });
    }
    return out;
}

/** The guards a line lacks, if it runs `pulumi preview` or `pulumi up`. */
function missingGuards(line: string): string[] {
    if (!/^pulumi (preview|up)\b/.test(line)) return [];
    return ["--policy-pack policy", "--refresh"].filter((g) => !line.includes(g));
}

describe("docs/adoption.md, the adoption runbook", () => {
    const code = codeLines(DOC);
    const steps = [...sections(DOC).keys()].filter((h) => /^\d+\. /.test(h));

    it("has steps 0 to 7 in order, each with its check and its back-out but the first's", () => {
        assert.deepEqual(
            steps.map((h) => h.split(".")[0]),
            ["0", "1", "2", "3", "4", "5", "6", "7"],
        );
        for (const h of steps.slice(1)) {
            const body = sections(DOC).get(h)!;
            assert.match(body, /\*\*Back out[:,]/, `step ${h} has no back-out`);
            if (!h.startsWith("6.") && !h.startsWith("7.")) assert.match(body, /\*\*Check:\*\*/, `step ${h} has no check`);
        }
    });

    it("runs every preview and up with the policy pack and --refresh, as CI does", () => {
        const commands = code.filter(({ line }) => /^pulumi (preview|up)\b/.test(line));
        assert.ok(commands.length >= 6, `${commands.length} previews and ups`);
        assert.deepEqual(
            commands.filter(({ line }) => missingGuards(line).length > 0).map(({ line }) => `${line}: lacks ${missingGuards(line).join(", ")}`),
            [],
        );
        // The rule catches a bare command.
        assert.deepEqual(missingGuards("pulumi up --stack prod"), ["--policy-pack policy", "--refresh"]);
    });

    it("revokes, deactivates and deletes what was made by hand only in its last step", () => {
        const removal = /authorizations:revoke|delete-access-key|--status Inactive/;
        const found = code.filter(({ line }) => removal.test(line));
        assert.ok(found.length >= 7, `${found.length} removal commands`);
        assert.deepEqual(
            found.filter(({ section }) => !section.startsWith("7. ")).map(({ section, line }) => `${section}: ${line}`),
            [],
        );
        assert.equal(steps[steps.length - 1], "7. Remove what was made by hand, last");
    });

    it("removes a protected resource from the state in a form that works", () => {
        const deletes = code.filter(({ line }) => /pulumi state delete/.test(line));
        assert.ok(deletes.length >= 2);
        for (const { line } of deletes) assert.match(line, /--force|pulumi state unprotect .* && pulumi state delete/, line);
    });

    it("creates the stack with the one secrets provider that npm test accepts, and names no other", () => {
        assert.ok(code.some(({ line }) => line === `pulumi stack init prod --secrets-provider "${SECRETS_PROVIDER}"`));
        const providers = [...DOC.matchAll(/--secrets-provider[ =]"?([^"\s]+)/g)].map((m) => m[1]);
        assert.deepEqual([...new Set(providers)], [SECRETS_PROVIDER]);
    });

    it("targets step 2 at exactly the program's explicit providers, and checks steps 2 and 4 with adoption-check", async () => {
        const prod = await runOffline("prod");
        const targets = importPlan(prod).prerequisites.map((p) => p.urn).sort();
        const targeted = code.filter(({ line }) => /^pulumi (preview|up) .*--target/.test(line));
        assert.equal(targeted.length, 2);
        // Quoted one by one, as import-plan prints them: a shell variable would not split in zsh.
        for (const { line } of targeted) assert.deepEqual([...line.matchAll(/--target '([^']+)'/g)].map((m) => m[1]).sort(), targets, line);
        for (const step of ["providers", "apply"]) {
            assert.ok(code.some(({ line }) => new RegExp(`^npm run adoption-check -- --stack prod --step ${step} --preview step[24]\\.json$`).test(line)), step);
        }
        // The check reads every resource: the JSON previews list the unchanged ones too.
        const json = code.filter(({ line }) => /^pulumi preview .*--json/.test(line));
        assert.equal(json.length, 2);
        for (const { line } of json) assert.match(line, / --json --show-sames > step[24]\.json$/);
        // What a preview must show is derived by the tool, never listed by hand.
        assert.doesNotMatch(DOC, /^Expect exactly:/m);
    });

    it("names every command never to run, with pulumi destroy first", () => {
        const never = sections(DOC).get("Never run these")!;
        const rows = never.split("\n").filter((l) => l.startsWith("| `"));
        assert.match(rows[0], /^\| `pulumi destroy` \| deletes `HEROKU_API_KEY` from all four apps/);
        assert.ok(rows.some((r) => r.startsWith("| `heroku authorizations:revoke`")));
    });

    it("searches every secret for holders of the deploy token, and cannot end `complete` when a read failed (run in bash, with a stub gh)", () => {
        const lines = code.filter(({ section }) => section.startsWith("0. ")).map(({ line }) => line);
        const start = lines.findIndex((l) => l.startsWith("( set -uo pipefail"));
        const end = lines.findIndex((l, k) => k > start && l.endsWith(")") && l.includes("INCOMPLETE"));
        assert.ok(start >= 0 && end > start);
        const script = lines.slice(start, end + 1).join("\n");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-holders-"));
        try {
            // The stub answers by path, already filtered as --jq would; FAIL names a path whose read fails.
            fs.writeFileSync(
                path.join(dir, "gh"),
                `#!/bin/bash
case "$*" in
  "repo list"*) echo "MooseQuest/raxx MooseQuest/other" ;;
  *"$FAIL"*) echo "HTTP 403" >&2; exit 1 ;;
  *orgs/MooseQuest/actions/secrets*) echo "organization 2026-01-02T00:00:00Z all" ;;
  *repos/MooseQuest/other/actions/secrets*) echo "MooseQuest/other 2025-12-01T00:00:00Z" ;;
  *"repos/MooseQuest/raxx/environments --jq"*) echo "prod" ;;
  *repos/MooseQuest/raxx/environments/prod/secrets*) echo "MooseQuest/raxx env prod 2026-05-06T10:00:00Z" ;;
esac
`,
                { mode: 0o755 },
            );
            const run = (fail: string) =>
                execFileSync("bash", ["-c", script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}`, FAIL: fail }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            assert.equal(
                run("no-such-path"),
                ["organization 2026-01-02T00:00:00Z all", "MooseQuest/raxx env prod 2026-05-06T10:00:00Z", "MooseQuest/other 2025-12-01T00:00:00Z", "complete", ""].join("\n"),
            );
            for (const fail of ["orgs/MooseQuest", "repos/MooseQuest/other/dependabot", "repos/MooseQuest/raxx/environments/prod/secrets"]) {
                assert.match(run(fail), /\nINCOMPLETE: some secrets could not be read \(above\)\n$/, fail);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
