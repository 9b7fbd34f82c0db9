// Rotation status: how old each credential's active generation is, against
// its maximum age. Pure arithmetic on stack config and a date.
import { Rotation, Slot, daysBetween, previousSlot } from "../../components/rotation";

/** Days before the maximum age when a credential counts as due. */
export const DUE_WINDOW_DAYS = 14;

/**
 * `ok` while the active generation is younger than `maxAgeDays - 14`; `due`
 * from then up to and including its maximum age; `overdue` after it (as
 * awsguard's access-keys-rotated: a key older than maxKeyAge fails).
 */
export type RotationState = "ok" | "due" | "overdue";

export interface RotationStatus {
    readonly active: Slot;
    /** The previous generation's slot, still valid; null when there is none. */
    readonly previous: Slot | null;
    readonly dates: Readonly<Partial<Record<Slot, string>>>;
    /** Days since the active slot's date. */
    readonly ageDays: number;
    readonly maxAgeDays: number;
    /** Days left until the maximum age; negative once overdue. */
    readonly daysLeft: number;
    readonly state: RotationState;
}

export function rotationStatus(rotation: Rotation, today: string): RotationStatus {
    const activeDate = rotation.dates[rotation.active];
    if (activeDate === undefined) throw new Error(`the active slot ${rotation.active} has no date`);
    const ageDays = daysBetween(activeDate, today);
    const daysLeft = rotation.maxAgeDays - ageDays;
    const state: RotationState = daysLeft < 0 ? "overdue" : daysLeft <= DUE_WINDOW_DAYS ? "due" : "ok";
    return {
        active: rotation.active,
        previous: previousSlot(rotation) ?? null,
        dates: rotation.dates,
        ageDays,
        maxAgeDays: rotation.maxAgeDays,
        daysLeft,
        state,
    };
}
