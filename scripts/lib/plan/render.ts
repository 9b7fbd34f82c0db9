// The plan as text (for a terminal) and as Markdown (for PR comments and docs).
// Everything rendered here comes from the Plan and PlanDiff, which hold no
// value that is secret, fake or looked up.
import { ChangeEntry, DIFF_LIMITS, PlanDiff } from "./diff";
import { Plan, PlanResource, SecretCheck, SecretRow } from "./model";

export interface Style {
    bold(s: string): string;
    dim(s: string): string;
    green(s: string): string;
    yellow(s: string): string;
    red(s: string): string;
    cyan(s: string): string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLOUR: Style = { bold: ansi(1), dim: ansi(2), green: ansi(32), yellow: ansi(33), red: ansi(31), cyan: ansi(36) };
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, green: id, yellow: id, red: id, cyan: id };

export interface DiffReport {
    readonly file: string;
    /** With `--diff-base`: the stack file the change started from. */
    readonly against?: string;
    readonly config: readonly { key: string; before: string | null; after: string | null }[];
    readonly changes: PlanDiff;
    readonly limits: readonly string[];
}

function flags(r: PlanResource): string[] {
    const out: string[] = [];
    if (r.slot !== null) out.push(`slot ${r.slot}, ${r.generation}`);
    if (r.importId !== null) out.push(`import ${r.importId}`);
    if (r.protect) out.push("protected");
    if (r.retainOnDelete) out.push("retained on delete");
    if (r.deleteBeforeReplace) out.push("delete before replace");
    if (r.ignoreChanges.length > 0) out.push(`ignores ${r.ignoreChanges.join(", ")}`);
    return out;
}

/** The resources in tree order: each group's top, then its children depth-first, siblings by name. */
export function treeOrder(resources: readonly PlanResource[]): { resource: PlanResource; depth: number }[] {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const out: { resource: PlanResource; depth: number }[] = [];
    const visit = (parent: string | null, depth: number) => {
        const kids = (children.get(parent) ?? []).sort((a, b) => {
            const pa = a.type.startsWith("pulumi:providers:") ? 0 : 1;
            const pb = b.type.startsWith("pulumi:providers:") ? 0 : 1;
            return pa - pb || a.name.localeCompare(b.name);
        });
        for (const k of kids) {
            out.push({ resource: k, depth });
            visit(k.urn, depth + 1);
        }
    };
    visit(null, 0);
    return out;
}

function rotationLine(s: SecretRow, st: Style): string {
    if (s.rotation === null) return "not rotated by the stack";
    const r = s.rotation;
    const state = r.state === "ok" ? st.green("ok") : r.state === "due" ? st.yellow("due") : st.red("OVERDUE");
    const left = r.daysLeft >= 0 ? `${r.daysLeft} days left` : `${-r.daysLeft} days over`;
    const dates = (["a", "b"] as const).map((slot) => `${slot}=${r.dates[slot] ?? "none"}`).join(" ");
    return `${state}: active ${r.active} (${dates}), age ${r.ageDays} of ${r.maxAgeDays} days, ${left}`;
}

function scopeText(s: SecretRow): string {
    return s.scope === "shared" ? `${s.stack} (exists once for Raxx)` : `${s.stack} (one per environment)`;
}

export function renderText(plan: Plan, diff: DiffReport | undefined, st: Style): string {
    const lines: string[] = [];
    const custom = plan.resources.filter((r) => r.custom).length;
    lines.push(
        st.bold(`${plan.project} · stack ${plan.stack} (${plan.environment}) · ${custom} resources in ${plan.resources.length - custom} components`),
        st.dim(`Offline plan of ${plan.today}: the program under Pulumi's mock runtime with Pulumi.${plan.stack}.yaml; no cloud was called, no value is shown.`),
        "",
        st.bold("Resources"),
    );
    for (const { resource: r, depth } of treeOrder(plan.resources)) {
        const indent = "  ".repeat(depth + 1);
        const f = flags(r);
        const what = r.physical === "" ? "" : `  ${r.physical}`;
        lines.push(`${indent}${r.custom ? "" : st.cyan("▸ ")}${st.bold(r.name)}  ${st.dim(r.type)}${what}${f.length > 0 ? st.dim(`  [${f.join("; ")}]`) : ""}`);
    }
    lines.push("", st.bold("Secrets map") + st.dim(" (where every secret lives; values are never shown)"));
    for (const s of plan.secrets) {
        lines.push(`  ${st.bold(s.id)}: ${s.description}`);
        lines.push(`    issued by   ${s.issuedBy}`);
        for (const i of s.issuers) {
            lines.push(`                slot ${i.slot}${i.active ? " (active)" : ""}: ${i.resource}, ${i.physical}${i.generation ? `, generation ${i.generation}` : ""}`);
        }
        lines.push(`    rotation    ${rotationLine(s, st)}`);
        lines.push(`    stack       ${scopeText(s)}`);
        s.placements.forEach((p, n) => lines.push(`    ${n === 0 ? "written to " : "           "} ${p.place}${p.slot === null ? "" : st.dim(` (slot ${p.slot})`)}`));
        for (const o of s.outputs) lines.push(`    recorded    stack output ${o.output} (${o.what} of slot ${o.slot})`);
        s.checks.forEach((c, n) => lines.push(`    ${n === 0 ? "checked by " : "           "} ${c.resource}: ${checkWords(c)}`));
    }
    if (diff !== undefined) lines.push("", ...renderDiffText(diff, st));
    return lines.join("\n");
}

function changeLines(title: string, entries: readonly ChangeEntry[], mark: string, colour: (s: string) => string, st: Style): string[] {
    if (entries.length === 0) return [`  ${title}: none`];
    const out = [`  ${title} (${entries.length}):`];
    for (const e of entries) {
        out.push(`    ${colour(mark)} ${st.bold(e.name)}  ${st.dim(e.type)}  ${e.physical}`);
        for (const r of e.reasons) out.push(`        ${st.dim(r)}`);
    }
    return out;
}

export function renderDiffText(d: DiffReport, st: Style): string[] {
    const c = d.changes;
    const what = d.against === undefined ? `What ${d.file} would change` : `What ${d.file} changes against ${d.against}`;
    const lines = [st.bold(what) + st.dim(" (offline: a preview of the preview)")];
    for (const k of d.config) lines.push(`  config ${k.key}: ${k.before ?? "(unset)"} → ${k.after ?? "(unset)"}`);
    lines.push(
        ...changeLines("create", c.create, "+", st.green, st),
        ...changeLines("replace", c.replace, "+-", st.red, st),
        ...changeLines("update", c.update, "~", st.yellow, st),
        ...changeLines("delete", c.delete, "-", st.red, st),
        `  unchanged: ${c.unchanged}`,
        st.dim("  Limits:"),
        ...d.limits.map((l) => st.dim(`    - ${l}`)),
    );
    return lines;
}

/** What a check proves, in a few words; says so when it is off. */
function checkWords(c: SecretCheck): string {
    const what = c.of === "credential" ? `${c.what}, before any consumer gets it` : `${c.what}, after the write`;
    return c.enabled ? what : `${what} (off: verifyCredentials is false)`;
}

/** Escapes a table cell. */
function cell(s: string): string {
    return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(s: string): string {
    return s === "" ? "" : `\`${s.replace(/`/g, "'")}\``;
}

export function renderMarkdown(plan: Plan, diff: DiffReport | undefined): string {
    const lines: string[] = [];
    const custom = plan.resources.filter((r) => r.custom).length;
    lines.push(
        `## Offline plan: ${plan.project}, stack \`${plan.stack}\` (${plan.environment})`,
        "",
        `${custom} resources in ${plan.resources.length - custom} components, on ${plan.today}. The program ran under Pulumi's mock runtime with \`Pulumi.${plan.stack}.yaml\`: no cloud was called, and no secret value appears below.`,
        "",
    );
    if (diff !== undefined) lines.push(...renderDiffMarkdown(diff), "");
    lines.push("### Secrets map", "", "| Credential | What | Issued by | Written to | Checked | Rotation | Stack |", "|---|---|---|---|---|---|---|");
    for (const s of plan.secrets) {
        const issuers = s.issuers.map((i) => `slot ${i.slot}${i.active ? " (active)" : ""}: ${code(i.resource)}`).join("<br>");
        const places = s.placements.map((p) => `${code(p.place)}${p.slot === null ? "" : ` (${p.slot})`}`);
        places.push(...s.outputs.map((o) => `stack output ${code(o.output)} (${o.what})`));
        lines.push(
            `| ${code(s.id)} | ${cell(s.description)} | ${cell(s.issuedBy)}${issuers === "" ? "" : `<br>${issuers}`} | ${places.join("<br>")} | ${s.checks.map((c) => cell(checkWords(c))).join("<br>")} | ${cell(rotationLine(s, PLAIN))} | ${cell(scopeText(s))} |`,
        );
    }
    lines.push("", "### Resources", "", "| Component | Resource | Type | Physical name or path | Notes |", "|---|---|---|---|---|");
    for (const { resource: r, depth } of treeOrder(plan.resources)) {
        const name = `${"&nbsp;&nbsp;".repeat(depth)}${r.custom ? "" : "▸ "}${code(r.name)}`;
        lines.push(`| ${cell(r.group)} | ${name} | ${code(r.type)} | ${cell(r.physical)} | ${cell(flags(r).join("; "))} |`);
    }
    return lines.join("\n");
}

export function renderDiffMarkdown(d: DiffReport): string[] {
    const c = d.changes;
    const lines = [d.against === undefined ? `### What \`${d.file}\` would change` : `### What \`${d.file}\` changes against \`${d.against}\``, ""];
    if (d.config.length > 0) {
        lines.push("| Config key | Before | After |", "|---|---|---|");
        for (const k of d.config) lines.push(`| ${code(k.key)} | ${code(k.before ?? "(unset)")} | ${code(k.after ?? "(unset)")} |`);
        lines.push("");
    }
    const rows: [string, readonly ChangeEntry[]][] = [
        ["create", c.create],
        ["replace", c.replace],
        ["update", c.update],
        ["delete", c.delete],
    ];
    lines.push("| Change | Resource | Type | Physical name or path | Why |", "|---|---|---|---|---|");
    for (const [op, entries] of rows) {
        for (const e of entries) lines.push(`| ${op} | ${code(e.name)} | ${code(e.type)} | ${cell(e.physical)} | ${cell(e.reasons.join("; "))} |`);
    }
    lines.push(
        "",
        `${c.create.length} to create, ${c.replace.length} to replace, ${c.update.length} to update, ${c.delete.length} to delete, ${c.unchanged} unchanged.`,
        "",
        "<details><summary>Limits of an offline diff</summary>",
        "",
        ...DIFF_LIMITS.map((l) => `- ${l}`),
        "",
        "</details>",
    );
    return lines;
}
