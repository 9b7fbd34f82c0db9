// Two-slot rotation. Every credential the stack issues lives in two slots, `a`
// and `b`, like AWSCURRENT/AWSPREVIOUS: consumers hold the active slot, and the
// other slot keeps the previous generation valid until the next rotation.
//
// A slot's date is its generation: the issuer resource of that slot carries the
// date as its `replacementTrigger`, so changing the date replaces that one
// resource and nothing else. Dates come from stack config, never from the clock:
// a trigger derived from `now()` would show a replacement on every preview.
import * as pulumi from "@pulumi/pulumi";

export type Slot = "a" | "b";
export const SLOTS: readonly Slot[] = ["a", "b"];

/** The rotation state of one credential, as stack config declares it. */
export interface Rotation {
    /** The slot whose credential every consumer holds. */
    readonly active: Slot;
    /** Each slot's generation date (`YYYY-MM-DD`); a slot without a date has no credential. */
    readonly dates: Readonly<Partial<Record<Slot, string>>>;
    /** How old the active credential may get before it is overdue. */
    readonly maxAgeDays: number;
}

/** The slot that is not active. */
export function otherSlot(slot: Slot): Slot {
    return slot === "a" ? "b" : "a";
}

/** The previous generation: the inactive slot, when it has a credential. */
export function previousSlot(rotation: Rotation): Slot | undefined {
    const other = otherSlot(rotation.active);
    return rotation.dates[other] === undefined ? undefined : other;
}

export const DEFAULT_MAX_AGE_DAYS = 90;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
    const m = DATE.exec(value);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === value;
}

/** Whole days from `from` to `to`, both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What a rotation entry looks like, for error messages and docs. */
export const ROTATION_EXAMPLE = "active=b a=2026-05-06 b=2026-08-04";

/**
 * Parses one rotation entry: space-separated `active=<a|b>`, `a=<date>`,
 * `b=<date>` and an optional `maxAgeDays=<n>`. Returns the problems instead of
 * throwing, so the config module can report them with everything else. No
 * entry may name a date after `today`.
 */
export function parseRotation(entry: string, defaultMaxAgeDays: number, today: string): { rotation?: Rotation; problems: string[] } {
    const problems: string[] = [];
    const fields = new Map<string, string>();
    for (const token of entry.match(/\S+/g) ?? []) {
        // The key is up to the first "=", the value after it; without "=", the value is "".
        const [key, ...rest] = token.split("=");
        const value = rest.join("=");
        if (!["active", "a", "b", "maxAgeDays"].includes(key) || value === "") {
            problems.push(`${JSON.stringify(token)} is not one of active=<a|b>, a=<YYYY-MM-DD>, b=<YYYY-MM-DD>, maxAgeDays=<days>`);
        } else if (fields.has(key)) {
            problems.push(`${key}= is given twice`);
        } else {
            fields.set(key, value);
        }
    }
    const dates: Partial<Record<Slot, string>> = {};
    for (const slot of SLOTS) {
        const date = fields.get(slot);
        if (date === undefined) continue;
        if (!isIsoDate(date)) {
            problems.push(`${slot}=${date} is not a date written YYYY-MM-DD`);
        } else if (date > today) {
            problems.push(`${slot}=${date} is in the future (today is ${today})`);
        } else {
            dates[slot] = date;
        }
    }
    if (dates.a !== undefined && dates.a === dates.b) {
        problems.push(`a and b have the same date ${dates.a}; each generation needs its own date`);
    }
    const active = fields.get("active");
    if (active === undefined) {
        problems.push("active= is missing; it names the slot consumers hold, a or b");
    } else if (active !== "a" && active !== "b") {
        problems.push(`active=${active} is not a or b`);
    } else if (!fields.has(active)) {
        // (A slot given with a malformed or future date has no date either; that is already reported.)
        problems.push(`active=${active} names a slot without a date; give ${active}=<YYYY-MM-DD> or make the other slot active`);
    }
    let maxAgeDays = defaultMaxAgeDays;
    const maxAge = fields.get("maxAgeDays");
    if (maxAge !== undefined) {
        if (!/^[1-9]\d{0,3}$/.test(maxAge)) {
            problems.push(`maxAgeDays=${maxAge} is not a whole number of days from 1 to 9999`);
        } else {
            maxAgeDays = Number(maxAge);
        }
    }
    if (problems.length > 0) return { problems };
    return { rotation: { active: active as Slot, dates, maxAgeDays }, problems };
}

/** The slot an issuer resource belongs to, from its name (`<name>-<slot>`, as `declareSlots` names it). */
export function slotOfName(name: string): Slot | undefined {
    const m = /-(a|b)$/.exec(name);
    return m ? (m[1] as Slot) : undefined;
}

/** The issuer resources of a credential's slots, and the one consumers hold. */
export interface Slotted<T> {
    readonly slots: Readonly<Partial<Record<Slot, T>>>;
    readonly active: T;
}

/**
 * Declares one issuer per dated slot, named `<name>-<slot>`, each with its date
 * as `replacementTrigger`. `make` receives the resource options to pass on.
 */
export function declareSlots<T extends pulumi.Resource>(
    name: string,
    rotation: Rotation,
    opts: pulumi.CustomResourceOptions,
    make: (slotName: string, slot: Slot, date: string, opts: pulumi.CustomResourceOptions) => T,
): Slotted<T> {
    const slots: Partial<Record<Slot, T>> = {};
    for (const slot of SLOTS) {
        const date = rotation.dates[slot];
        if (date !== undefined) {
            slots[slot] = make(`${name}-${slot}`, slot, date, { ...opts, replacementTrigger: date });
        }
    }
    const active = slots[rotation.active];
    if (active === undefined) {
        throw new Error(`${name}: the active slot ${rotation.active} has no date, so it has no credential to hand out`);
    }
    return { slots, active };
}
