// The Secret provider's rarer paths, on the serialized provider: a POST that meets a secret
// made in between, replies that lack what they must carry, a delete or a folder POST that
// keeps failing, a vault URL that is not one, and a Retry-After given as a date. Each
// message is pinned and carries no secret.
import { strict as assert } from "node:assert";

import { errorBody } from "./fakeInfisical";
import { assertNoSecrets, ENVIRONMENT, KEY, PATH, PROJECT, rejection, RETRY, SECRET, SECRET_INPUTS, SECRETS, URL_WORDS, useFakeInfisical, VALUE } from "./helpers";
import { useSerializedSecret } from "./serialized";

const LOGIN = "/api/v1/auth/universal-auth/login";
const FOLDERS = "/api/v1/folders";
const IDENTITY = "INFISICAL_UNIVERSAL_AUTH_CLIENT_ID/INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET";

describe("Infisical Secret: edge cases, from the serialized text", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();
    const inputs = () => ({ ...SECRET_INPUTS, __provider: p.text });
    const stored = () => ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY);
    const fails = async (call: Promise<unknown>, expected: string) => {
        const err = await rejection(call);
        assert.equal(err.message, expected);
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
    };

    it("a POST answered 400 \"Secret already exist\" (made in between): the secret is adopted, its value not written again", async () => {
        ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE);
        // The first GET sees no secret yet; by the POST, another writer has made it.
        ctx.vault.inject({ method: "GET", path: SECRET, status: 404, body: errorBody(404, `Secret with name '${KEY}' not found`) });
        const made = await p.host.create(inputs());
        assert.deepEqual(ctx.vault.calls(), [`POST ${LOGIN}`, `POST ${SECRET}`, `GET ${SECRET}`, `PATCH ${SECRET}`]);
        const post = ctx.vault.requests.find((r) => r.method === "POST" && r.path === SECRET);
        assert.equal(post?.status, 400);
        assert.equal(ctx.vault.valueWrites, 0, "only the owner entry was written");
        assert.equal(stored()?.value, VALUE);
        assert.deepEqual(
            stored()?.metadata.map((m) => [m.key, m.value]),
            [["raxx-platform-owner", `${SECRET_INPUTS.owner}#${made.outs.instance as string}`]],
        );
        assert.equal(made.outs.secretId, stored()?.id);
    });

    it("a login answered 200 without an accessToken: nothing else is sent", async () => {
        ctx.vault.inject({ method: "POST", path: LOGIN, status: 200, body: { tokenType: "Bearer" } });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${LOGIN} returned 200 without an accessToken. Something other than Infisical's Universal Auth answered: check ${URL_WORDS}, ${RETRY}.`,
        );
        assert.equal(ctx.vault.requests.length, 1);
    });

    it("a GET answered 200 without the secret's value: nothing is written", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: { secret: { id: "s-1", secretKey: KEY, version: 1 } } });
        await fails(
            p.host.create(inputs()),
            `Infisical API GET ${SECRET} returned 200 without the secret's value. The machine identity may lack permission to read secret values (the value is hidden), ` +
                `or something other than Infisical answered: give the identity read access to secret values in this environment and path, ${RETRY}.`,
        );
        assert.equal(ctx.vault.writes, 0);
        assert.equal(stored(), undefined);
    });

    it("a DELETE failing 5xx on every attempt: bounded, with the delete's own advice, and the secret stays", async () => {
        const made = await p.host.create(inputs());
        ctx.vault.inject({ method: "DELETE", path: SECRET, status: 500, times: 10 });
        await fails(
            p.host.delete(made.id, made.outs),
            `Infisical API DELETE ${SECRET} failed after 3 attempts: 500 InternalServerError: Something went wrong. ` +
                `The delete of Infisical secret ${KEY} at ${PATH} may or may not have been applied: run Pulumi again (a secret already gone counts as deleted).`,
        );
        assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 3);
        assert.equal(stored()?.value, VALUE);
    });

    it("the folder POST failing 5xx: bounded, and no secret is written", async () => {
        ctx.vault.inject({ method: "POST", path: FOLDERS, status: 503, times: 10 });
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${FOLDERS} failed after 3 attempts: 503 InternalServerError: Something went wrong. Infisical is failing: check that the vault is up, ${RETRY}.`,
        );
        assert.equal(ctx.vault.requests.filter((r) => r.path === FOLDERS).length, 3);
        assert.deepEqual(ctx.vault.folders(PROJECT, ENVIRONMENT), ["/"]);
        assert.equal(ctx.vault.writes, 0);
    });

    it("the folder POST refused 403 by Infisical: the identity's permission is named", async () => {
        ctx.vault.inject({ method: "POST", path: FOLDERS, status: 403, body: errorBody(403, "You are not allowed to create on folders") });
        await fails(
            p.host.create(inputs()),
            `Infisical refused the machine identity (${IDENTITY}) on POST ${FOLDERS}: 403 PermissionDenied: You are not allowed to create on folders. ` +
                "The identity lacks permission: give it a role in the Infisical project that can read, create, edit and delete secrets and create folders in this environment and path " +
                `(Project > Access Control > Machine Identities), ${RETRY}.`,
        );
        assert.equal(ctx.vault.writes, 0);
    });

    it("an INFISICAL_API_URL that is not an http(s) URL: nothing is sent", async () => {
        process.env.INFISICAL_API_URL = "vault.raxx.app";
        await fails(
            p.host.create(inputs()),
            `Infisical API POST ${LOGIN} failed: no response (not sent: ${URL_WORDS} is not an http(s) URL). Set it to the vault's base URL, such as https://vault.raxx.app, or unset it.`,
        );
        assert.equal(ctx.vault.requests.length, 0);
    });

    it("a 429 whose Retry-After is an HTTP date: waited for, capped by INFISICAL_HTTP_MAX_RETRY_AFTER_MS", async () => {
        ctx.vault.inject({ method: "GET", path: SECRET, status: 429, headers: { "Retry-After": new Date(Date.now() + 5000).toUTCString() } });
        const t0 = Date.now();
        await p.host.create(inputs());
        const waited = Date.now() - t0;
        assert.ok(waited >= 380 && waited < 1500, `waited ${waited} ms: a date 4 to 5 s away, capped at 400 ms`);
        assert.equal(ctx.vault.requests.filter((r) => r.path === SECRET && r.method === "GET").length, 2);
    });
});
