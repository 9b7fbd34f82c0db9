// Mocha root hooks (.mocharc.json requires this file). Under `npm run mutate`, Stryker's mocha
// runner loads the test files once per process and runs them again for each mutant: what a test
// module keeps between tests must be made again in each run, or every mutant would see the
// unmutated program's results.
import { forgetPinnedRuns } from "./query";

export const mochaHooks = {
    beforeAll(): void {
        forgetPinnedRuns();
    },
};
