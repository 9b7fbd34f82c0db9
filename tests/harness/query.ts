// Small queries over a run's registrations, shared by the test files.
import { strict as assert } from "node:assert";
import { CREDENTIAL_IDS, credentialSpec } from "../../config";
import { MockRunResult, Registration } from "../../scripts/lib/offline/mocks";
import { StackRunOptions, runStack } from "../../scripts/lib/offline/stack";

export function ofType(result: MockRunResult, type: string): Registration[] {
    return result.registrations.filter((r) => r.type === type).sort((a, b) => a.name.localeCompare(b.name));
}

export function byName(result: MockRunResult, name: string): Registration {
    const found = result.registrations.filter((r) => r.name === name);
    assert.equal(found.length, 1, `expected one registration named ${name}, found ${found.length}`);
    return found[0];
}

export function parentName(reg: Registration): string {
    return reg.parent.split("::").pop() ?? "";
}

/** Each registration as `<type> <name> < <parent name>`, sorted. */
export function tree(result: MockRunResult, filter: (r: Registration) => boolean = () => true): string[] {
    return result.registrations
        .filter(filter)
        .map((r) => `${r.type} ${r.name} < ${parentName(r)}`)
        .sort();
}

/** Runs the checked-in stacks once per test file. */
export async function okRun(run: Promise<MockRunResult>): Promise<MockRunResult> {
    const result = await run;
    assert.equal(result.error, undefined, String(result.error?.stack ?? result.error));
    return result;
}

/** The date the tests pin every credential's slot a to. */
export const PINNED_DATE = "2026-11-28";

/** The credentials each stack issues with its checked-in config: every unconditional one in prod, the environment's own elsewhere. */
const PINNED: Record<string, string[]> = {
    prod: CREDENTIAL_IDS.filter((id) => credentialSpec(id).issuedWhen === undefined),
    staging: CREDENTIAL_IDS.filter((id) => credentialSpec(id).scope === "environment"),
};

/**
 * Runs a stack with its checked-in config, but every rotation entry pinned to
 * `active=a a=<PINNED_DATE>`: operators change those entries on every
 * rotation, and a rotation must not break the tests.
 */
export function runPinned(stack: "prod" | "staging", opts?: StackRunOptions): Promise<MockRunResult> {
    const pinned = Object.fromEntries(PINNED[stack].map((id) => [`raxx-platform:${id}Rotation`, `active=a a=${PINNED_DATE}`]));
    if (opts !== undefined) return runStack(stack, { ...opts, config: { ...pinned, ...opts.config } });
    // Without options every test file sees the same run: evaluate it once per process.
    let run = pinnedRuns.get(stack);
    if (run === undefined) {
        run = runStack(stack, { config: pinned });
        pinnedRuns.set(stack, run);
    }
    return run;
}

const pinnedRuns = new Map<string, Promise<MockRunResult>>();

/**
 * Forgets the shared runs. tests/harness/hooks.ts calls it before each mocha run: under `npm run
 * mutate` one process runs the suite once per mutant, and a run kept from before would hide the mutant.
 */
export function forgetPinnedRuns(): void {
    pinnedRuns.clear();
}
