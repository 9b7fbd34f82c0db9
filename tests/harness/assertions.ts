// Assertions the provider tests share.
import * as assert from "node:assert/strict";

/** Awaits a promise that must reject, and returns its error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
        return e;
    }
    assert.fail("expected the call to fail, but it succeeded");
}

/** Fails if any secret occurs in the text (a message, a stack, serialized state); the failure masks each occurrence. */
export function assertNoSecrets(text: string, secrets: readonly string[]): void {
    for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked into: ${text.split(s).join("<<LEAK>>")}`);
}
