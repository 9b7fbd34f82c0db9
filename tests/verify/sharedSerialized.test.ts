// What tests/verify/base.test.ts and check.test.ts ask of check.ts's shared code called
// directly, asked of the check providers as the engine runs them (the serialized text in the
// emulated host): a Workspace client's refusal worded as the check's failure, and the waits
// between tries (VERIFY_BACKOFF_MS doubling; 1000 ms when it is unset).
import { strict as assert } from "node:assert";

import { checkedCreate } from "../harness/serializedProvider";
import { CheckTexts, checkTexts, failsWith, host, useFakes } from "./helpers";

const ACCESS = { clientId: "slot-b.access", clientSecret: "access-secret-9a1d-do-not-leak" };
const EMAIL = "no-reply@raxx.app";

describe("the checks' shared code, through the serialized providers", () => {
    const f = useFakes();
    let texts: CheckTexts;
    before(async function () {
        this.timeout(60_000);
        texts = await checkTexts();
    });
    const refusedAccess = () =>
        checkedCreate(host(), {
            credential: "someCredential",
            slot: "b",
            kind: "accessServiceToken",
            enabled: true,
            timeoutSeconds: 1,
            value: ACCESS,
            expect: { tokenId: "token-b", policyId: "policy-1" },
            __provider: texts.credential,
        });
    const tries = () => f.vault.requests.filter((r) => r.path === "/api/status").length;

    it("a Workspace client that cannot send (no credentials) fails the check, the subject in front", async () => {
        const saved = [process.env.GOOGLE_WORKSPACE_CREDENTIALS, process.env.GOOGLE_WORKSPACE_ADMIN_USER];
        delete process.env.GOOGLE_WORKSPACE_CREDENTIALS;
        delete process.env.GOOGLE_WORKSPACE_ADMIN_USER;
        try {
            await failsWith(
                checkedCreate(host(), {
                    credential: "workspaceNoReplyPassword",
                    consumer: `workspace user ${EMAIL}`,
                    kind: "workspaceUser",
                    enabled: true,
                    timeoutSeconds: 1,
                    value: "Ab3".repeat(13) + "Z",
                    where: { primaryEmail: EMAIL },
                    __provider: texts.consumer,
                }),
                /^workspace user no-reply@raxx\.app \(workspaceNoReplyPassword\): Directory API GET users\/no-reply@raxx\.app failed: no response \(not sent: neither stack config workspaceCredentials nor GOOGLE_WORKSPACE_CREDENTIALS is set;/,
                [],
            );
        } finally {
            if (saved[0] !== undefined) process.env.GOOGLE_WORKSPACE_CREDENTIALS = saved[0];
            if (saved[1] !== undefined) process.env.GOOGLE_WORKSPACE_ADMIN_USER = saved[1];
        }
    });

    it("waits VERIFY_BACKOFF_MS, doubling, between tries: a 20 ms first wait takes a handful of tries in a 1 s limit, each counted", async () => {
        process.env.VERIFY_BACKOFF_MS = "20";
        const err = await (async () => {
            try {
                await refusedAccess();
            } catch (e) {
                return e as Error;
            }
            assert.fail("the check passed");
        })();
        const n = tries();
        assert.ok(n >= 4 && n <= 8, `${n} tries`);
        assert.match(err.message, new RegExp(`answered 403 \\(${n} tries within the check's limit of 1 s\\)\\.$`));
    });

    it("without VERIFY_BACKOFF_MS, waits 1000 ms: two tries in a 1 s limit, not back to back", async () => {
        delete process.env.VERIFY_BACKOFF_MS;
        const started = Date.now();
        await failsWith(refusedAccess(), new RegExp(`answered 403 \\(2 tries within the check's limit of 1 s\\)\\.$`), [ACCESS.clientSecret]);
        assert.equal(tries(), 2);
        assert.ok(Date.now() - started >= 900, "the second try came after the wait");
    });
});
