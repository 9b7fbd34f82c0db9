// The secrets map, derived from the program: each credential the stack
// issues, its issuer resources by slot, and every place its value is written.
// It runs on an offline evaluation: the fake clouds give every issuer distinct
// values, so following those values from issuer to consumer is exact.
import { CREDENTIALS, CredentialId } from "../../config";
import { Slot, slotOfName } from "../../components/rotation";
import { Write, writes } from "./inventory";
import { ISSUERS, issuerOf } from "./kinds";
import { fakeCloud } from "./offline/fakeCloud";
import { MockRunResult, Registration } from "./offline/mocks";

/** Resource types that issue a credential, in words: the issuer kinds of scripts/lib/kinds. */
export const ISSUER_TYPES: Readonly<Record<string, string>> = Object.fromEntries(ISSUERS.flatMap((k) => k.types.map((t) => [t, k.words])));

export interface Issuer {
    readonly slot: Slot;
    /** The issuer resource's logical name. */
    readonly resource: string;
    readonly type: string;
}

export interface Placement {
    /** Where the value is written: `ssm /raxx/...`, `github secret raxx (production)/NAME`, `heroku app/NAME`. */
    readonly place: string;
    readonly kind: Write["kind"];
    /** The slot whose value is written there. */
    readonly slot: Slot;
    /** The logical name of the resource that writes it. */
    readonly resource: string;
}

export interface CredentialEntry {
    readonly id: CredentialId;
    readonly description: string;
    /** What issues it, in words, for example "Heroku OAuth authorization". */
    readonly issuedBy: string;
    readonly issuers: readonly Issuer[];
    readonly placements: readonly Placement[];
}

function slotOf(name: string): Slot {
    const slot = slotOfName(name);
    if (slot === undefined) throw new Error(`issuer ${name} is not named for a slot`);
    return slot;
}

/** Every credential the evaluated program issues, sorted by id, with its issuers and placements. */
export function credentialEntries(result: MockRunResult): CredentialEntry[] {
    const owners = new Map<string, CredentialId>();
    for (const r of result.registrations) {
        const id = r.inputs.credential;
        if (!r.custom && typeof id === "string" && Object.hasOwn(CREDENTIALS, id)) owners.set(r.urn, id as CredentialId);
    }
    const issued = new Map<CredentialId, { type: string; issuers: Issuer[]; values: Map<string, Slot> }>();
    for (const r of result.registrations) {
        const id = owners.get(r.parent);
        if (id === undefined || issuerOf(r.type) === undefined) continue;
        const entry = issued.get(id) ?? { type: r.type, issuers: [], values: new Map<string, Slot>() };
        const slot = slotOf(r.name);
        entry.issuers.push({ slot, resource: r.name, type: r.type });
        for (const value of Object.values(fakeCloud(r as Registration) ?? {})) {
            // Every issuer kind's fake outputs are strings (scripts/lib/kinds); a place's value is compared with them.
            entry.values.set(value as string, slot);
        }
        issued.set(id, entry);
    }
    const all = result.registrations.flatMap(writes);
    return [...issued.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, e]) => ({
            id,
            description: CREDENTIALS[id].description,
            issuedBy: issuerOf(e.type)!.words,
            issuers: e.issuers.sort((x, y) => x.slot.localeCompare(y.slot)),
            placements: all
                .filter((w) => e.values.has(w.value as string))
                .map((w) => ({ place: w.place, kind: w.kind, slot: e.values.get(w.value as string)!, resource: w.resource }))
                .sort((x, y) => x.place.localeCompare(y.place)),
        }));
}
