// Env vars a test changes, put back after it, so that no test sees another's (a URL
// pointing at a fake that has stopped, a credential deleted on purpose).

/** Mocha hooks: saves `keys` before each test and restores them after it, deleting those that were unset. */
export function restoreEnvAfterEach(keys: readonly string[]): void {
    let saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    });
    afterEach(() => {
        for (const k of keys) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
}
