// The repository stands on its own: every relative link in its Markdown
// resolves to a file (and heading) inside it, no file points at a path outside
// it, and its account of the hand-run session it replaces is here and linked.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const SESSION_DOC = "docs/session-2026-05-06.md";

/** Every file git tracks or would track (untracked, not ignored), as repository-relative paths, but lockfiles. */
function repositoryFiles(root: string): string[] {
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
    return [...new Set(listed.split("\0"))]
        .filter((f) => f !== "" && !f.split("/").includes("node_modules") && !/(^|\/)package-lock\.json$/.test(f))
        .filter((f) => fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).isFile())
        .sort();
}

/** The text outside fenced code blocks and inline code spans, where a link is a link. */
function prose(markdown: string): string {
    return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of inline links and images, and of reference definitions. */
export function linkTargets(markdown: string): string[] {
    const text = prose(markdown);
    const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
    const reference = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$/gm)].map((m) => m[1]);
    return [...inline, ...reference];
}

/** GitHub's anchors for a Markdown file's headings (lower case, punctuation dropped, spaces as hyphens, repeats numbered). */
export function headingAnchors(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const m of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
        const base = m[1]
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .replace(/\s/g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

/**
 * Every relative link in `file` (repository-relative) that leaves the repository,
 * is absolute, names no file, or names a heading its target does not have. Web
 * links (`https:`, `mailto:`) are not checked.
 */
export function linkProblems(root: string, file: string, markdown: string): string[] {
    const problems: string[] = [];
    for (const target of linkTargets(markdown)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^file:/i.test(target)) continue;
        const [pathPart, anchor] = target.split("#", 2);
        if (/^file:/i.test(target) || pathPart.startsWith("/")) {
            problems.push(`${file}: link ${target} is absolute; link to a file of the repository by a relative path`);
            continue;
        }
        const resolved = pathPart === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
        if (resolved === ".." || resolved.startsWith("../")) {
            problems.push(`${file}: link ${target} leaves the repository`);
            continue;
        }
        const full = path.join(root, resolved);
        if (!fs.existsSync(full)) {
            problems.push(`${file}: link ${target} names ${resolved}, which is not in the repository`);
            continue;
        }
        if (anchor !== undefined && anchor !== "" && resolved.endsWith(".md") && !headingAnchors(fs.readFileSync(full, "utf8")).has(anchor)) {
            problems.push(`${file}: link ${target} names a heading ${resolved} does not have`);
        }
    }
    return problems;
}

// Built from pieces, so this file does not name them itself.
const OUTSIDE = [["..", "/shared"].join(""), ["/wo", "rk/"].join(""), ["se", "ed/"].join(""), ["SPEC", ".md"].join("")];

/** Each place `text` names a path outside the repository (the shared folder the project was specified in). */
export function outsidePaths(file: string, text: string): string[] {
    return text.split("\n").flatMap((line, i) => OUTSIDE.filter((p) => line.includes(p)).map((p) => `${file}:${i + 1} names ${p}, outside the repository`));
}

describe("the repository stands on its own", () => {
    const files = repositoryFiles(ROOT);
    const markdown = files.filter((f) => f.endsWith(".md"));
    const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

    it("resolves every relative link of every Markdown file inside the repository", () => {
        assert.ok(markdown.includes("README.md") && markdown.includes("docs/rotation.md"), "the check must cover the README and docs/");
        assert.deepEqual(
            markdown.flatMap((f) => linkProblems(ROOT, f, read(f))),
            [],
        );
    });

    it("names no path outside the repository in any file", () => {
        const text = files.filter((f) => !fs.readFileSync(path.join(ROOT, f)).includes(0));
        assert.ok(text.includes("index.ts") && text.includes("README.md"), "the check must cover code and docs");
        assert.deepEqual(
            text.flatMap((f) => outsidePaths(f, read(f))),
            [],
        );
    });

    it("carries its account of the 2026-05-06 session, linked from the README and the adoption guide", () => {
        assert.ok(files.includes(SESSION_DOC), `${SESSION_DOC} must be in the repository`);
        for (const f of ["README.md", "docs/adoption.md"]) {
            const targets = linkTargets(read(f)).map((t) => path.posix.normalize(path.posix.join(path.posix.dirname(f), t.split("#")[0])));
            assert.ok(targets.includes(SESSION_DOC), `${f} must link to ${SESSION_DOC}`);
        }
    });

    it("defines SPEC 1-5, which the code and docs cite, and every Markdown file that cites them links to it", () => {
        const anchors = headingAnchors(read(SESSION_DOC));
        for (const n of [1, 2, 3, 4, 5]) {
            assert.ok([...anchors].some((a) => a.startsWith(`spec-${n}-`)), `${SESSION_DOC} must have a heading "SPEC ${n}: ..."`);
        }
        const citing = markdown.filter((f) => f !== SESSION_DOC && /\bSPEC\b/.test(read(f)));
        assert.ok(citing.includes("README.md"));
        assert.deepEqual(
            citing.filter((f) => !read(f).includes(path.posix.relative(path.posix.dirname(f), SESSION_DOC))),
            [],
        );
    });

    describe("the checks fail on a bad link or path", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
            fs.mkdirSync(path.join(dir, "docs"));
            fs.writeFileSync(path.join(dir, "README.md"), "# Title\n\n## Two words\n");
            fs.writeFileSync(path.join(dir, "docs", "a.md"), "# A\n");
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("accepts links that resolve, web links, and links in code", () => {
            const md = [
                "[readme](../README.md) [heading](../README.md#two-words) [self](#a) [web](https://example.com/x)",
                "`[not a link](../../x.md)`",
                "```",
                "[not a link](../../x.md)",
                "```",
                "[ref]: a.md",
            ].join("\n");
            assert.deepEqual(linkProblems(dir, "docs/a.md", md), []);
        });

        it("names each bad link: out of the repository, absolute, missing, or a missing heading", () => {
            const log = ["../../sh", "ared/se", "ed/log.txt"].join("");
            const md = [
                `[log](${log})`,
                "[abs](/etc/passwd) [file](file:///etc/passwd)",
                "[missing](missing.md) ![img](img/x.png)",
                "[heading](../README.md#three-words)",
                "[ref]: ../../outside.md",
            ].join("\n");
            assert.deepEqual(linkProblems(dir, "docs/a.md", md), [
                `docs/a.md: link ${log} leaves the repository`,
                "docs/a.md: link /etc/passwd is absolute; link to a file of the repository by a relative path",
                "docs/a.md: link file:///etc/passwd is absolute; link to a file of the repository by a relative path",
                "docs/a.md: link missing.md names docs/missing.md, which is not in the repository",
                "docs/a.md: link img/x.png names docs/img/x.png, which is not in the repository",
                "docs/a.md: link ../README.md#three-words names a heading README.md does not have",
                "docs/a.md: link ../../outside.md leaves the repository",
            ]);
        });

        it("names each line that points outside the repository", () => {
            const text = ["fine", `see ${OUTSIDE[0]}/x and ${OUTSIDE[1]}main`, `the ${OUTSIDE[2]}log`, `per ${OUTSIDE[3]}`].join("\n");
            assert.deepEqual(outsidePaths("x.md", text), [
                `x.md:2 names ${OUTSIDE[0]}, outside the repository`,
                `x.md:2 names ${OUTSIDE[1]}, outside the repository`,
                `x.md:3 names ${OUTSIDE[2]}, outside the repository`,
                `x.md:4 names ${OUTSIDE[3]}, outside the repository`,
            ]);
        });

        it("finds a planted bad link in a copy of the repository's Markdown", () => {
            for (const f of markdown) {
                fs.mkdirSync(path.dirname(path.join(dir, "copy", f)), { recursive: true });
                fs.copyFileSync(path.join(ROOT, f), path.join(dir, "copy", f));
            }
            const planted = `${read("README.md")}\nThe log: [log](../${["sha", "red"].join("")}/log.txt), [adoption](docs/adopt.md).\n`;
            assert.deepEqual(linkProblems(path.join(dir, "copy"), "README.md", planted), [
                `README.md: link ../${["sha", "red"].join("")}/log.txt leaves the repository`,
                "README.md: link docs/adopt.md names docs/adopt.md, which is not in the repository",
            ]);
        });
    });
});
