// What changes between two evaluations of the program, by logical name: the
// test-side view of a preview (which resources appear, disappear, get a new
// replacement trigger, or get new inputs).
import { MockRunResult, Registration } from "../../scripts/lib/offline/mocks";

export interface RunChanges {
    readonly created: string[];
    readonly deleted: string[];
    /** Resources whose replacementTrigger changed: the engine replaces them. */
    readonly retriggered: string[];
    /** Resources whose inputs changed. */
    readonly inputsChanged: string[];
}

function inputsOf(r: Registration): string {
    const { __provider: _provider, ...inputs } = r.inputs;
    return JSON.stringify(inputs);
}

export function changes(before: MockRunResult, after: MockRunResult): RunChanges {
    const a = new Map(before.registrations.map((r) => [r.name, r]));
    const b = new Map(after.registrations.map((r) => [r.name, r]));
    const both = [...b.keys()].filter((n) => a.has(n));
    return {
        created: [...b.keys()].filter((n) => !a.has(n)).sort(),
        deleted: [...a.keys()].filter((n) => !b.has(n)).sort(),
        retriggered: both.filter((n) => JSON.stringify(a.get(n)!.options.replacementTrigger) !== JSON.stringify(b.get(n)!.options.replacementTrigger)).sort(),
        inputsChanged: both.filter((n) => inputsOf(a.get(n)!) !== inputsOf(b.get(n)!)).sort(),
    };
}
