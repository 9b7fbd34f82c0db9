// What a config change would do, from two offline runs of the program: a
// preview of the preview, for a reviewer without credentials. Resources are
// matched by the URN the engine would give them.
//
// It knows what the program declares and what the stack's own providers decide:
//   - created / deleted: the resource (its URN) appears in or disappears from the program;
//   - replaced: its replacementTrigger changed, a property named in its
//     replaceOnChanges changed, or (Heroku resources) the dynamic provider's own
//     `diff` asks for a replacement;
//   - updated: its inputs changed, or it takes outputs of a resource that is
//     replaced (its inputs would change to the replacement's outputs).
// It does not know other providers' force-new properties (an IAM policy's
// description, an SSM parameter's name, a DNS record's zone): a changed input
// there shows as an update, and `pulumi preview` may show a replacement. See DIFF_LIMITS.
import { isSecretKey } from "../../../config";
import { AuthorizationProvider, ConfigVarsProvider } from "../../../providers/heroku";
import { credentialEntries } from "../credentials";
import { Registration, isSecretValue } from "../offline/mocks";
import { OfflineRun, physical } from "./model";
import { deepPlain, describedInputs } from "./redact";

export interface ChangeEntry {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly physical: string;
    /** Why, in words; never a value. */
    readonly reasons: readonly string[];
}

export interface PlanDiff {
    readonly create: readonly ChangeEntry[];
    readonly delete: readonly ChangeEntry[];
    readonly replace: readonly ChangeEntry[];
    readonly update: readonly ChangeEntry[];
    /** Resources in both runs with nothing to do. */
    readonly unchanged: number;
}

/** What the offline diff cannot know; printed with every diff, and in docs/adoption.md. */
export const DIFF_LIMITS: readonly string[] = [
    "Offline: mocks stand in for the providers, so only the program's own signals are known: replacementTrigger, replaceOnChanges, and the Heroku dynamic providers' diff.",
    "Other providers' force-new properties are not known: a changed input of an AWS, GitHub or Cloudflare resource shows as an update where `pulumi preview` may show a replacement.",
    "A resource that takes outputs of a replaced resource shows as updated; if that output feeds a force-new property, the provider replaces it instead.",
    "Drift (changes made outside the stack) is not seen: there is no state here. `pulumi preview` against the stack is authoritative.",
];

const HEROKU_DIFFS: Record<string, { diff(id: string, olds: never, news: never): Promise<{ changes?: boolean; replaces?: string[] }> }> = {
    "pulumi-nodejs:dynamic/heroku:Authorization": new AuthorizationProvider(),
    "pulumi-nodejs:dynamic/heroku:ConfigVars": new ConfigVarsProvider(),
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function clip(s: string, max = 100): string {
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function changedProperties(a: Registration, b: Registration): string[] {
    const ia = describedInputs(a);
    const ib = describedInputs(b);
    return [...new Set([...Object.keys(ia), ...Object.keys(ib)])].filter((k) => !same(deepPlain(ia[k]), deepPlain(ib[k]))).sort();
}

/** One changed property, in words: old → new for plain values, sources for secrets. */
function describeChange(prop: string, a: Registration, b: Registration, before: OfflineRun, after: OfflineRun): string {
    const va = a.inputs[prop];
    const vb = b.inputs[prop];
    if (isSecretValue(va) || isSecretValue(vb) || containsSecret(va) || containsSecret(vb)) {
        const from = before.redactor.sources(va).map((s) => s.replace(/^output of /, ""));
        const to = after.redactor.sources(vb).map((s) => s.replace(/^output of /, ""));
        const where = same(from, to) || to.length === 0 ? "" : ` (now from ${to.join(", ")}${from.length > 0 ? `, was ${from.join(", ")}` : ""})`;
        return `${prop}: [secret] changes${where}`;
    }
    const show = (r: OfflineRun, v: unknown) => (v === undefined ? "(unset)" : clip(JSON.stringify(r.redactor.value(v))));
    return `${prop}: ${show(before, va)} → ${show(after, vb)}`;
}

function containsSecret(v: unknown): boolean {
    if (isSecretValue(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
    return false;
}

function byEngineUrn(r: OfflineRun): Map<string, Registration> {
    return new Map(r.run.registrations.map((reg) => [r.urns.engineUrn(reg.urn)!, reg]));
}

/** What changes from `before` to `after`, each list sorted by logical name. */
export async function diffRuns(before: OfflineRun, after: OfflineRun): Promise<PlanDiff> {
    const olds = byEngineUrn(before);
    const news = byEngineUrn(after);
    const entry = (urn: string, reg: Registration, r: OfflineRun, reasons: string[]): ChangeEntry => ({
        urn,
        type: reg.type,
        name: reg.name,
        physical: physical(reg, r),
        reasons,
    });

    const create: ChangeEntry[] = [];
    const del: ChangeEntry[] = [];
    const replace: ChangeEntry[] = [];
    const update: ChangeEntry[] = [];
    const replaced = new Set<string>();
    const pending: [string, Registration, Registration, string[]][] = [];
    // Issuer resources by logical name, to catch a rotation that re-dates the slot consumers hold.
    const issuers = new Map(credentialEntries(before.run).flatMap((c) => c.issuers.map((i) => [i.resource, { id: c.id, slot: i.slot }] as const)));
    const activeBoth = (name: string) => {
        const issuer = issuers.get(name);
        if (issuer === undefined) return undefined;
        const was = before.config.rotation[issuer.id]?.active;
        return was === issuer.slot && after.config.rotation[issuer.id]?.active === issuer.slot ? issuer : undefined;
    };

    for (const [urn, b] of news) {
        if (!olds.has(urn)) {
            create.push(entry(urn, b, after, b.options.importId ? [`adopted: imported with id ${b.options.importId}, not created`] : []));
        }
    }
    for (const [urn, a] of olds) {
        if (news.has(urn)) continue;
        const reasons: string[] = [];
        if (a.options.protect) reasons.push("protected: the update fails until it is unprotected");
        if (a.options.retainOnDelete) reasons.push("retained on delete: removed from the stack, left in place");
        del.push(entry(urn, a, before, reasons));
    }
    for (const [urn, b] of news) {
        const a = olds.get(urn);
        if (a === undefined || !b.custom) continue;
        const changed = changedProperties(a, b);
        const replaceReasons: string[] = [];
        if (!same(a.options.replacementTrigger, b.options.replacementTrigger)) {
            replaceReasons.push(`replacementTrigger ${JSON.stringify(a.options.replacementTrigger ?? null)} → ${JSON.stringify(b.options.replacementTrigger ?? null)}`);
        }
        const forced = b.options.replaceOnChanges.includes("*") ? changed : changed.filter((p) => b.options.replaceOnChanges.includes(p));
        if (forced.length > 0) replaceReasons.push(`replaceOnChanges: ${forced.join(", ")}`);
        let inputsChange = changed.length > 0;
        const heroku = HEROKU_DIFFS[b.type];
        if (heroku !== undefined && changed.length > 0) {
            const d = await heroku.diff(b.name, deepPlain(describedInputs(a)) as never, deepPlain(describedInputs(b)) as never);
            inputsChange = d.changes === true;
            if ((d.replaces ?? []).length > 0) replaceReasons.push(`the Heroku provider replaces on ${d.replaces!.join(", ")}`);
        }
        const changes = inputsChange ? changed.map((p) => describeChange(p, a, b, before, after)) : [];
        if (replaceReasons.length > 0) {
            const notes: string[] = [];
            if (b.options.protect) notes.push("protected: the update fails until it is unprotected");
            if (b.options.deleteBeforeReplace) notes.push("the old one is deleted before the new one is created");
            const held = activeBoth(b.name);
            if (held !== undefined) {
                notes.push(
                    `WARNING: replaces ${held.id}'s active slot ${held.slot}, the credential consumers hold now; date the inactive slot and make it active instead (docs/rotation.md)`,
                );
            }
            replace.push(entry(urn, b, after, [...replaceReasons, ...changes, ...notes]));
            replaced.add(urn);
        } else {
            pending.push([urn, a, b, changes]);
        }
    }
    let unchanged = 0;
    for (const [urn, , b, changes] of pending) {
        const deps = b.options.dependsOn.map((u) => after.urns.engineUrn(u) ?? u).filter((u) => replaced.has(u));
        const reasons = [...changes, ...deps.map((u) => `takes outputs of ${news.get(u)!.name}, which is replaced`)];
        if (reasons.length > 0) update.push(entry(urn, b, after, reasons));
        else unchanged++;
    }
    for (const [urn, b] of news) if (olds.has(urn) && !b.custom) unchanged++;
    const byName = (x: ChangeEntry, y: ChangeEntry) => x.name.localeCompare(y.name);
    return { create: create.sort(byName), delete: del.sort(byName), replace: replace.sort(byName), update: update.sort(byName), unchanged };
}

/**
 * The config keys that differ between two runs, printable: the values of secret
 * config, and of every key config.ts holds secret even when given in plain text, are `[secret]`.
 */
export function configChanges(before: OfflineRun, after: OfflineRun): { key: string; before: string | null; after: string | null }[] {
    const keys = [...new Set([...Object.keys(before.values), ...Object.keys(after.values)])].sort();
    // "" and [] are Pulumi.yaml's defaults for "unset" (see config.ts).
    const unset = (v: string | undefined) => v === undefined || v === "" || v === "[]";
    const show = (r: OfflineRun, k: string) =>
        unset(r.values[k]) ? null : r.secretKeys.includes(k) || isSecretKey(k) ? "[secret]" : r.redactor.text(r.values[k]);
    return keys.filter((k) => before.values[k] !== after.values[k]).map((k) => ({ key: k, before: show(before, k), after: show(after, k) }));
}
