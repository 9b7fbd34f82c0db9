// No token-shaped string in the repository: secretlint with its recommended
// rules (.secretlintrc.json) over every file git tracks or would track, and a
// check that the scan does fail on a committed-looking key. See
// docs/operations.md ("Checks in npm test").
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const CONFIG = path.join(ROOT, ".secretlintrc.json");

interface LintMessage {
    readonly ruleId: string;
    readonly message: string;
    readonly loc: { readonly start: { readonly line: number } };
}
interface LintResult {
    readonly filePath: string;
    readonly messages: LintMessage[];
}
interface Engine {
    executeOnFiles(args: { filePathList: string[] }): Promise<{ ok: boolean; output: string }>;
}

// secretlint is ESM only; a real dynamic import keeps ts-node's CommonJS output from turning it into require().
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

async function engine(): Promise<Engine> {
    const { createEngine } = (await importEsm("@secretlint/node")) as { createEngine(options: object): Promise<Engine> };
    return createEngine({ cwd: ROOT, configFilePath: CONFIG, formatter: "json", color: false, maskSecrets: true });
}

/** `file:line rule` for every finding: never the finding's text, which may be a secret. */
function findings(output: string): string[] {
    return (JSON.parse(output) as LintResult[]).flatMap((r) =>
        r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.loc.start.line} ${m.ruleId}`),
    );
}

/** Every file git tracks or would track (untracked, not ignored), but lockfiles. */
function repositoryFiles(): string[] {
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
    return [...new Set(listed.split("\0"))]
        .filter((f) => f !== "" && !f.split("/").includes("node_modules") && !/(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/.test(f))
        .map((f) => path.join(ROOT, f))
        .filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

describe("secret scan (secretlint, recommended rules)", () => {
    let lint: Engine;
    before(async () => {
        lint = await engine();
    });

    it("finds nothing in the repository", async () => {
        const files = repositoryFiles();
        assert.ok(files.some((f) => f.endsWith(path.join(".github", "workflows", "preview.yml"))), "the scan must cover the workflows");
        const { output } = await lint.executeOnFiles({ filePathList: files });
        assert.deepEqual(findings(output), []);
    });

    it("fails on a committed token-shaped string", async () => {
        // Built from pieces at run time, so the repository itself holds no such string.
        const accessKeyId = ["AK", "IA", "Z7QW", "4XRT", "9KPL", "M2VB"].join("");
        const secretAccessKey = ["wJ9x", "Lr2T", "vB7q", "Nz4K", "pY8s", "Dm3F", "hQ6c", "Xa1G", "tU5e", "Rk0W"].join("");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-scan-"));
        const file = path.join(dir, "leak.env");
        fs.writeFileSync(file, `AWS_ACCESS_KEY_ID=${accessKeyId}\nAWS_SECRET_ACCESS_KEY=${secretAccessKey}\n`);
        try {
            const { ok, output } = await lint.executeOnFiles({ filePathList: [file] });
            assert.equal(ok, false);
            const rules = (JSON.parse(output) as LintResult[]).flatMap((r) => r.messages.map((m) => `${m.loc.start.line} ${m.ruleId}`));
            assert.deepEqual(rules, ["1 @secretlint/secretlint-rule-aws", "2 @secretlint/secretlint-rule-aws"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
