// The checks under the real engine (issue: "verified like the runbook"): a broken new token
// stops the `up` before any consumer is written; a good rotation confirms every consumer
// and the old token's revocation; a revocation that does not take effect fails the `up`,
// naming the authorization; break-glass hands out a credential unchecked, and says so.
import { strict as assert } from "node:assert";

import { FakeGithubSecrets } from "../verify/fakeGithubSecrets";
import { ENGINE_HEROKU_KEY, Engine, EngineStack } from "./harness";
import { APPS, CHECKS_OFF, CHECKS_ON, D1, D2, D3, DeployTokenHolders, DeployTokenState, auditIngest, deployToken, program } from "./programs";

const CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const CONSUMER_CHECK = "pulumi-nodejs:dynamic/verify:ConsumerCheck";
const D4 = "2026-11-29";
const GITHUB_TOKEN = "gh-engine-token-2a7c-do-not-leak";

describe("engine: the checks of a rotation", function () {
    this.timeout(300_000);
    let engine: Engine;
    let github: FakeGithubSecrets;
    let stack: EngineStack;
    const state: DeployTokenState = { entry: `active=a a=${D1}`, apps: APPS, checks: CHECKS_ON };
    const audit = { entry: `active=a a=${D1}`, checks: CHECKS_ON };
    let holders: DeployTokenHolders;

    /** Each check's result in state, by resource name. */
    async function results(type: string): Promise<Record<string, string>> {
        const rs = await stack.resources(type);
        return Object.fromEntries(rs.map((r) => [r.urn.split("::").pop()!, String((r.outputs as { result?: unknown }).result)]));
    }

    /** No token the fake issued, nor the stack's key, in `text`. */
    function assertNoToken(text: string): void {
        for (const a of engine.heroku.authorizations.values()) holders.issued.add(a.token);
        for (const t of [...holders.issued, ENGINE_HEROKU_KEY, GITHUB_TOKEN]) assert.ok(!text.includes(t), "a token is in the output");
    }

    before(async () => {
        engine = await Engine.start();
        holders = new DeployTokenHolders(engine);
        for (const app of [...APPS]) engine.heroku.addApp(app, {});
        github = await new FakeGithubSecrets().start();
        github.token = GITHUB_TOKEN;
        // GitHub shows what the fake plugin last wrote, and when.
        github.lookup = (key) => {
            const [, repository, ...rest] = key.split("/");
            const name = rest.pop();
            const environment = rest[0];
            const r = Object.values(engine.cloud("github").resources).find(
                (x) => x.type.includes("Secret") && x.inputs.repository === repository && x.inputs.secretName === name && (x.inputs.environment ?? undefined) === environment,
            );
            return r?.writtenAt === undefined ? undefined : { created_at: r.writtenAt, updated_at: r.writtenAt };
        };
        stack = await engine.stack("prod", program(deployToken(state), auditIngest(audit)), {
            env: { GITHUB_API_URL: github.url, GITHUB_TOKEN, VERIFY_BACKOFF_MS: "10", HEROKU_REVOCATION_TIMEOUT_MS: "1500" },
        });
    });
    after(async () => {
        await github?.stop();
        await engine?.stop();
    });

    it("first up: each slot's check passes before its consumers are written, and every consumer is confirmed", async () => {
        await stack.up();
        const a = holders.tokenOf(D1);
        assert.deepEqual(holders.held(), holders.allHold(a));
        assert.deepEqual(await results(CHECK), {
            "audit-ingest-token-check-a": "passed: 64 hex digits; random bytes have nothing else to check",
            "platform-token-heroku-check-a": "passed: GET /account with the new token answered ops@raxx.app, the authorization's owner; its scope is global",
        });
        const consumers = await results(CONSUMER_CHECK);
        assert.deepEqual(Object.keys(consumers).sort(), [
            "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check",
            "audit-ingest-raxx-console-staging-check",
            ...APPS.map((app) => `platform-token-${app}-check`),
            "platform-token-github-secret-HEROKU_API_KEY-check",
        ].sort());
        for (const app of APPS) assert.equal(consumers[`platform-token-${app}-check`], `passed: ${app}'s HEROKU_API_KEY has the value written (SHA-256 equal)`);
        assert.match(consumers["platform-token-github-secret-HEROKU_API_KEY-check"], /^passed: HEROKU_API_KEY exists, last written at \S+; GitHub never returns a value, so the value itself is not compared$/);
        // The check ran with the new token before any app got it.
        const firstWrite = engine.heroku.requests.findIndex((r) => r.method === "PATCH" && Object.keys((r.body ?? {}) as object).includes("HEROKU_API_KEY"));
        const check = engine.heroku.requests.findIndex((r) => r.path === "/account" && r.headers.authorization === `Bearer ${a}`);
        assert.ok(check >= 0 && check < firstWrite, "GET /account with the new token came before the first config var write");
        assertNoToken(await stack.exportText());
    });

    it("a rotation to a broken token: the preview shows its check, and the up stops before any consumer is written", async () => {
        state.entry = `active=b a=${D1} b=${D2}`;
        const planned = await stack.planned();
        assert.ok(planned.includes(`create ${CHECK} platform-token-heroku-check-b`), planned.join("\n"));
        engine.heroku.deadTokenDescriptions.add(`raxx-platform-token-${D2}`);
        const a = holders.tokenOf(D1);
        const before = engine.heroku.requests.length;
        const o = await stack.outcome([], (s) => s.up());
        assert.notEqual(o.code, 0);
        const output = `${o.stdout}\n${o.stderr}`;
        assert.ok(
            output.includes("herokuPlatformToken slot b: GET /account with the new token failed: Heroku answered Heroku API GET /account failed: 401 unauthorized: Invalid credentials provided."),
            output,
        );
        assertNoToken(output);
        assert.deepEqual(holders.held(), holders.allHold(a), "every consumer still holds the previous token");
        assert.deepEqual(engine.heroku.requests.slice(before).filter((r) => r.method === "PATCH"), [], "no config var was written");
    });

    it("the next up checks the new token again; once it works, every consumer gets it and is confirmed", async () => {
        engine.heroku.deadTokenDescriptions.clear();
        await stack.up();
        const b = holders.tokenOf(D2);
        assert.deepEqual(holders.held(), holders.allHold(b));
        const consumers = await results(CONSUMER_CHECK);
        for (const app of APPS) assert.equal(consumers[`platform-token-${app}-check`], `passed: ${app}'s HEROKU_API_KEY has the value written (SHA-256 equal)`);
        assert.match(consumers["platform-token-github-secret-HEROKU_API_KEY-check"], /^passed: HEROKU_API_KEY written at \S+, after the last check;/);
        assert.deepEqual(await stack.planned(), [], "no check is left to run");
    });

    it("re-dating a: the old a is revoked after every consumer moved, and Heroku is seen to refuse its token", async () => {
        const oldA = holders.tokenOf(D1);
        const oldId = [...engine.heroku.authorizations.values()].find((x) => x.token === oldA)!.id;
        state.entry = `active=a a=${D3} b=${D2}`;
        const before = engine.heroku.requests.length;
        await stack.up();
        assert.deepEqual(holders.held(), holders.allHold(holders.tokenOf(D3)));
        const log = engine.heroku.requests.slice(before).map((r) => `${r.method} ${r.path}${r.headers.authorization === `Bearer ${oldA}` ? " (old token)" : ""}`);
        const revoke = log.indexOf(`DELETE /oauth/authorizations/${oldId}`);
        assert.ok(revoke > log.lastIndexOf(`PATCH /apps/${APPS[3]}/config-vars`), log.join("\n"));
        assert.equal(log[revoke + 1], "GET /account (old token)", log.join("\n"));
    });

    it("a revocation that does not take effect fails the up, naming the authorization, and the next up finishes it", async () => {
        const oldB = holders.tokenOf(D2);
        const oldId = [...engine.heroku.authorizations.values()].find((x) => x.token === oldB)!.id;
        engine.heroku.revokedTokensStayLive = true;
        state.entry = `active=b a=${D3} b=${D4}`;
        const o = await stack.outcome([], (s) => s.up());
        assert.notEqual(o.code, 0);
        const output = `${o.stdout}\n${o.stderr}`;
        assert.match(output, new RegExp(`authorization ${oldId} \\(raxx-platform-token-${D2}\\): GET /account with the revoked token failed: Heroku still accepts the revoked token \\(\\d+ tries within the check's limit of 2 s\\)`));
        assertNoToken(output);
        assert.deepEqual(holders.held(), holders.allHold(holders.tokenOf(D4)), "consumers moved before the revocation");
        const auths = await stack.resources("pulumi-nodejs:dynamic/heroku:Authorization");
        assert.deepEqual(auths.map((r) => [r.id, r.delete === true]).filter(([, d]) => d), [[oldId, true]], "the old b stays in state, marked for deletion");
        engine.heroku.forgetRevokedTokens();
        await stack.up();
        assert.equal((await stack.resources("pulumi-nodejs:dynamic/heroku:Authorization")).length, 2);
    });

    it("break-glass (verifyCredentials false): a broken token goes out unchecked, each check records that, and the revocation is not awaited", async () => {
        state.checks = CHECKS_OFF;
        audit.checks = CHECKS_OFF;
        await stack.stack.setConfig("verifyCredentials", { value: "false" });
        engine.heroku.deadTokenDescriptions.add(`raxx-platform-token-${D1}`);
        engine.heroku.revokedTokensStayLive = true;
        const oldA = holders.tokenOf(D3);
        state.entry = `active=a a=${D1} b=${D4}`;
        await stack.up();
        const a = [...engine.heroku.authorizations.values()].find((x) => x.description === `raxx-platform-token-${D1}`)!.token;
        holders.issued.add(a);
        assert.deepEqual(holders.held(), holders.allHold(a), "the broken token reached every consumer");
        const checks = { ...(await results(CHECK)), ...(await results(CONSUMER_CHECK)) };
        assert.deepEqual(
            Object.entries(checks).filter(([, r]) => !r.startsWith("skipped: stack config verifyCredentials is false (break-glass)")),
            [],
        );
        assert.equal([...engine.heroku.authorizations.values()].some((x) => x.token === oldA), false, "the old a was revoked, and nothing waited for a 401");
        assertNoToken(await stack.exportText());
    });
});
