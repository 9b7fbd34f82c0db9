// The Secret provider's decisions, on the serialized provider: what check accepts and
// refuses (unknowns in a preview included), which changes diff reports, what read needs,
// what each write sends, how odd replies (no id, no metadata list, malformed entries)
// become state, which 404s mean "gone", and which owners are another stack's.
import { strict as assert } from "node:assert";

import { errorBody } from "./fakeInfisical";
import { ACCESS_A, ACCESS_B, assertNoSecrets, ENVIRONMENT, KEY, NEW_VALUE, PATH, PROJECT, REFUSED_TODO, rejection, RETRY, SECRET, SECRET_INPUTS, SECRETS, STACK, useFakeInfisical, VALUE } from "./helpers";
import { rebuild, useSerializedSecret } from "./serialized";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const OWNER_KEY = "raxx-platform-owner";

type State = Record<string, unknown> & { instance: string; owner: string; value: string; written: string; secretId: string };
type Provider = {
    check(olds: unknown, news: unknown): Promise<{ inputs: Record<string, unknown>; failures: { property: string; reason: string }[] }>;
    diff(id: string, olds: unknown, news: unknown): Promise<unknown>;
    read(id: string, props?: unknown): Promise<unknown>;
    create(i: unknown): Promise<{ id: string; outs: Record<string, unknown> }>;
};

const REASONS: Record<string, string> = {
    projectId: 'projectId must be the Infisical project id (Project Settings > Project ID, e.g. "6f1c9a2e-8b7d-4c3a-9e5f-1a2b3c4d5e6f")',
    environment: 'environment must be an Infisical environment slug, lowercase (e.g. "prod")',
    path: 'path must be "/" or a folder path of letters, digits, dashes and underscores, with no trailing slash (e.g. "/MooseQuest/heroku")',
    key: "key must be a secret name of letters, digits and underscores, not starting with a digit (e.g. HEROKU_PLATFORM_API_TOKEN)",
    owner: 'owner must be "<project>/<stack>/<resource name>", as the Secret constructor sets it (e.g. "raxx-platform/prod/heroku-token-vault")',
    access: "access must be the Cloudflare Access service token { clientId, clientSecret } of the stack's active Access slot",
    emptyValue: "value must be a non-empty string; an empty value is almost always a missing secret",
    spacedValue: "value has leading or trailing whitespace, which Infisical trims on write (the vault would never hold what Pulumi declared); trim it",
};

describe("Infisical Secret: decisions, from the serialized text", () => {
    const ctx = useFakeInfisical();
    const p = useSerializedSecret();
    const inputs = (over: Record<string, unknown> = {}) => ({ ...SECRET_INPUTS, ...over, __provider: p.text });
    const stored = () => ctx.vault.secret(PROJECT, ENVIRONMENT, PATH, KEY);
    const live = async () => {
        const made = await p.host.create(inputs());
        return { id: made.id, state: made.outs as State };
    };
    const failuresOf = async (over: Record<string, unknown>) => (await p.host.check({}, inputs(over))).failures;
    const fails = async (call: Promise<unknown>, expected: string) => {
        const err = await rejection(call);
        assert.equal(err.message, expected);
        assertNoSecrets(err.message, [...SECRETS, ...ctx.vault.tokens]);
        return err;
    };

    describe("check", () => {
        it("refuses a value that is only a prefix or a suffix of a good one, and a non-string", async () => {
            const bad: [string, unknown][] = [
                ["projectId", "proj 1"],
                ["projectId", "proj-1!"],
                ["projectId", 12345],
                ["environment", "prod!"],
                ["key", "GOOD_KEY-bad"],
                ["owner", "bad owner/prod/name"],
                ["owner", "raxx-platform/prod/name\nmore"],
            ];
            for (const [property, v] of bad) assert.deepEqual(await failuresOf({ [property]: v }), [{ property, reason: REASONS[property] }], `${property} ${JSON.stringify(v)}`);
        });

        it("accepts the root folder, and a path of one or of three folders", async () => {
            for (const path of ["/", "/MooseQuest", "/MooseQuest/heroku/prod"]) assert.deepEqual(await failuresOf({ path }), [], path);
        });

        it("a value that is empty or not a string is refused as missing; one trailing newline is kept, two are not", async () => {
            assert.deepEqual(await failuresOf({ value: "" }), [{ property: "value", reason: REASONS.emptyValue }]);
            assert.deepEqual(await failuresOf({ value: 42 }), [{ property: "value", reason: REASONS.emptyValue }]);
            assert.deepEqual(await failuresOf({ value: `${VALUE}\n` }), []);
            assert.deepEqual(await failuresOf({ value: `${VALUE}\n\n` }), [{ property: "value", reason: REASONS.spacedValue }]);
        });

        it("unknowns in a preview are not judged: a path, the whole access, or its secret", async () => {
            assert.deepEqual(await failuresOf({ path: UNKNOWN, access: UNKNOWN }), []);
            assert.deepEqual(await failuresOf({ access: { clientId: ACCESS_A.clientId, clientSecret: UNKNOWN } }), []);
        });

        it("refuses an access that is missing, null, a string, or has an empty id or secret", async () => {
            const refused = [{ property: "access", reason: REASONS.access }];
            for (const access of [null, "slot-a", { clientId: "", clientSecret: ACCESS_A.clientSecret }, { clientId: ACCESS_A.clientId, clientSecret: "" }]) {
                assert.deepEqual(await failuresOf({ access }), refused, JSON.stringify(access));
            }
            const { access: _a, ...rest } = SECRET_INPUTS;
            const provider = rebuild<Provider>(p.text);
            assert.deepEqual((await provider.check({}, rest)).failures, refused);
        });

        it("returns only the inputs it knows that are set, and nothing else", async () => {
            const { owner: _o, ...rest } = SECRET_INPUTS;
            const provider = rebuild<Provider>(p.text);
            const r = await provider.check({}, { ...rest, __provider: p.text, instance: "0123456789abcdef" });
            const { owner: _owner, ...expected } = SECRET_INPUTS;
            assert.deepEqual(r.inputs, expected);
        });
    });

    describe("diff", () => {
        it("a new Access client id, or a new Access secret alone, is an update", async () => {
            const { id, state } = await live();
            for (const access of [{ ...ACCESS_A, clientId: ACCESS_B.clientId }, { ...ACCESS_A, clientSecret: ACCESS_B.clientSecret }]) {
                assert.deepEqual(await p.host.diff(id, state, inputs({ access })), { changes: true, replaces: [], deleteBeforeReplace: false }, JSON.stringify(access.clientId));
            }
        });

        it("state without an access token, or inputs without one, is an update, not a crash", async () => {
            const provider = rebuild<Provider>(p.text);
            const { access: _a, ...noAccess } = SECRET_INPUTS;
            const same = { changes: true, replaces: [], deleteBeforeReplace: false };
            assert.deepEqual(await provider.diff("id", noAccess, SECRET_INPUTS), same);
            assert.deepEqual(await provider.diff("id", SECRET_INPUTS, noAccess), same);
            const unchanged = { changes: false, replaces: [], deleteBeforeReplace: false };
            assert.deepEqual(await provider.diff("id", noAccess, noAccess), unchanged);
            assert.deepEqual(await provider.diff("id", { ...noAccess, access: {} }, noAccess), unchanged);
        });
    });

    describe("read", () => {
        it("without state, without its key or without its access token: refused, since importing is not supported", async () => {
            const provider = rebuild<Provider>(p.text);
            const id = `${PROJECT}:${ENVIRONMENT}:${PATH}:${KEY}`;
            const expected =
                `Infisical Secret ${id}: read needs the resource's state (its access token and owner). Importing is not supported: ` +
                "declare the secret with its current value and run `pulumi up`, which adopts it without writing the value.";
            const { access: _a, ...noAccess } = SECRET_INPUTS;
            const { key: _k, ...noKey } = SECRET_INPUTS;
            for (const props of [undefined, noKey, noAccess]) {
                await assert.rejects(provider.read(id, props), { message: expected });
            }
            assert.equal(ctx.vault.requests.length, 0);
        });

        it("an Infisical error echoing the value or what was last written is masked", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: errorBody(400, `Bad ${VALUE} / ${NEW_VALUE}`) });
            await fails(p.host.read(id, { ...state, written: NEW_VALUE }), `Infisical API GET ${SECRET} failed: 400 BadRequest: Bad [redacted] / [redacted]. ${REFUSED_TODO}`);
        });

        it("state whose written is null (never recorded) still gives Infisical's error, masked", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: errorBody(400, `Bad ${VALUE}`) });
            await fails(p.host.read(id, { ...state, written: null }), `Infisical API GET ${SECRET} failed: 400 BadRequest: Bad [redacted]. ${REFUSED_TODO}`);
        });

        it("a 400 that names a secret is an error, and so is a 404 whose message only contains \"Secret with name\"", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: errorBody(400, `Secret with name '${KEY}' is invalid`) });
            await fails(p.host.read(id, state), `Infisical API GET ${SECRET} failed: 400 BadRequest: Secret with name '${KEY}' is invalid. ${REFUSED_TODO}`);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 404, body: errorBody(404, `Imported Secret with name '${KEY}' not found`) });
            await fails(p.host.read(id, state), `Infisical API GET ${SECRET} failed: 404 NotFound: Imported Secret with name '${KEY}' not found. ${REFUSED_TODO}`);
        });
    });

    describe("writes", () => {
        it("update: an Infisical error echoing the old value is masked", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "PATCH", path: SECRET, status: 400, body: errorBody(400, `Cannot replace ${VALUE}`) });
            await fails(p.host.update(id, state, inputs({ value: NEW_VALUE })), `Infisical API PATCH ${SECRET} failed: 400 BadRequest: Cannot replace [redacted]. ${REFUSED_TODO}`);
        });

        it("update of state without an instance (made before instances): a new one, 16 hex digits, owns the secret", async () => {
            const { id, state } = await live();
            const { instance: _i, ...old } = state;
            const after = (await p.host.update(id, old, inputs({ value: NEW_VALUE }))).outs as State;
            assert.match(after.instance, /^[0-9a-f]{16}$/);
            assert.notEqual(after.instance, state.instance);
            assert.equal(stored()?.metadata.find((m) => m.key === OWNER_KEY)?.value, `${SECRET_INPUTS.owner}#${after.instance}`);
        });

        it("delete: sends the secret's place and type; an error echoing the value is masked, also with written null", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "GET", path: SECRET, status: 400, body: errorBody(400, `Bad ${VALUE}`) });
            await fails(p.host.delete(id, state), `Infisical API GET ${SECRET} failed: 400 BadRequest: Bad [redacted]. ${REFUSED_TODO}`);
            ctx.vault.inject({ method: "DELETE", path: SECRET, status: 400, body: errorBody(400, `Refused ${VALUE}`) });
            await fails(p.host.delete(id, { ...state, written: null }), `Infisical API DELETE ${SECRET} failed: 400 BadRequest: Refused [redacted]. ${REFUSED_TODO}`);
            await p.host.delete(id, state);
            assert.deepEqual(
                ctx.vault.requests.filter((r) => r.method === "DELETE").map((r) => r.body),
                [1, 2].map(() => ({ projectId: PROJECT, environment: ENVIRONMENT, secretPath: PATH, type: "shared" })),
            );
            assert.equal(stored(), undefined);
        });

        it("delete: a secret gone between the GET and the DELETE is done", async () => {
            const { id, state } = await live();
            ctx.vault.inject({ method: "DELETE", path: SECRET, status: 404, body: errorBody(404, `Secret with name '${KEY}' not found`) });
            await p.host.delete(id, state);
            assert.equal(ctx.vault.requests.filter((r) => r.method === "DELETE").length, 1);
        });

        it("a POST refused 409 \"already exist\" is an error, not an adoption", async () => {
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 409, body: errorBody(409, "Secret already exist") });
            await fails(p.host.create(inputs()), `Infisical API POST ${SECRET} failed: 409 InternalServerError: Secret already exist. ${REFUSED_TODO}`);
            assert.equal(ctx.vault.requests.filter((r) => r.method === "GET" && r.path === SECRET).length, 1);
        });

        it("a path three folders deep: one folder POST of the last, under its parent", async () => {
            const path = "/MooseQuest/heroku/prod";
            await p.host.create(inputs({ path }));
            assert.deepEqual(
                ctx.vault.requests.filter((r) => r.path === "/api/v1/folders").map((r) => r.body),
                [{ workspaceId: PROJECT, projectId: PROJECT, environment: ENVIRONMENT, name: "prod", path: "/MooseQuest/heroku" }],
            );
            assert.equal(ctx.vault.secret(PROJECT, ENVIRONMENT, path, KEY)?.value, VALUE);
        });

        it("a change queued for approval is an InfisicalApiError of that write", async () => {
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 200, body: { approval: { id: "apr-1" } } });
            const err = (await rejection(rebuild<Provider>(p.text).create(inputs()))) as unknown as Record<string, unknown>;
            assert.deepEqual([err.name, err.method, err.path, err.status], ["InfisicalApiError", "POST", SECRET, 200]);
        });
    });

    describe("replies that lack what they should carry", () => {
        it("a POST answered without the secret, or with JSON null: created, with no secret id", async () => {
            ctx.vault.addFolder(PROJECT, ENVIRONMENT, PATH);
            ctx.vault.inject({ method: "POST", path: SECRET, status: 200, body: {} });
            const a = await p.host.create(inputs());
            assert.equal(a.outs.secretId, "");
            ctx.vault.inject({ method: "POST", path: SECRET, status: 200, raw: "null" });
            const b = await p.host.create(inputs());
            assert.equal(b.outs.secretId, "");
            ctx.vault.inject({ method: "POST", path: SECRET, status: 200, body: { secret: { secretKey: KEY } } });
            const c = await p.host.create(inputs());
            assert.equal(c.outs.secretId, "");
        });

        it("a PATCH answered without an id keeps the id the GET saw", async () => {
            const s = ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, "an-old-hand-made-value");
            ctx.vault.inject({ method: "PATCH", path: SECRET, status: 200, body: { secret: {} } });
            const made = await p.host.create(inputs());
            assert.equal(made.outs.secretId, s.id);
        });

        it("a GET answered with JSON null, or without the secret: the secret's value is missing", async () => {
            const expected =
                `Infisical API GET ${SECRET} returned 200 without the secret's value. The machine identity may lack permission to read secret values (the value is hidden), ` +
                `or something other than Infisical answered: give the identity read access to secret values in this environment and path, ${RETRY}.`;
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, raw: "null" });
            await fails(p.host.create(inputs()), expected);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: {} });
            const err = (await rejection(rebuild<Provider>(p.text).create(inputs()))) as unknown as Record<string, unknown>;
            assert.deepEqual([err.message, err.name, err.method, err.path, err.status], [expected, "InfisicalApiError", "GET", SECRET, 200]);
            assert.equal(ctx.vault.writes, 0);
        });

        it("a secret the vault returns without an id, already holding the value and this owner: nothing written, no id", async () => {
            const { id, state } = await live();
            ctx.vault.admit(ACCESS_B.clientId, ACCESS_B.clientSecret);
            const entry = `${state.owner}#${state.instance}`;
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: { secret: { secretKey: KEY, secretValue: VALUE, secretMetadata: [{ key: OWNER_KEY, value: entry }] } } });
            const writes = ctx.vault.writes;
            const after = await p.host.update(id, state, inputs({ access: ACCESS_B }));
            assert.equal(ctx.vault.writes, writes);
            assert.equal(after.outs.secretId, "");
        });

        it("metadata that is not a list is none: the owner entry alone is written", async () => {
            const s = ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE);
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: { secret: { id: s.id, secretValue: VALUE, secretMetadata: { team: "platform" } } } });
            const made = await p.host.create(inputs());
            assert.deepEqual(ctx.vault.requests.filter((r) => r.method === "PATCH").map((r) => (r.body as { secretMetadata: unknown }).secretMetadata), [
                [{ key: OWNER_KEY, value: `${SECRET_INPUTS.owner}#${made.outs.instance as string}` }],
            ]);
        });

        it("malformed metadata entries are dropped, and a good one is kept with only its key, value and isEncrypted", async () => {
            const s = ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE);
            const metadata = [null, "team=platform", { key: 5, value: "x" }, { key: "no-value" }, { value: "no-key" }, { key: "team", value: "platform", isEncrypted: false, id: "md-1" }];
            ctx.vault.inject({ method: "GET", path: SECRET, status: 200, body: { secret: { id: s.id, secretValue: VALUE, secretMetadata: metadata } } });
            const made = await p.host.create(inputs());
            assert.deepEqual(ctx.vault.requests.filter((r) => r.method === "PATCH").map((r) => (r.body as { secretMetadata: unknown }).secretMetadata), [
                [
                    { key: "team", value: "platform", isEncrypted: false },
                    { key: OWNER_KEY, value: `${SECRET_INPUTS.owner}#${made.outs.instance as string}` },
                ],
            ]);
        });
    });

    describe("another stack's secret", () => {
        it("an owner entry that is not <project>/<stack>/ shaped (a leading slash) is another stack's: refused, as an InfisicalApiError of the GET", async () => {
            ctx.vault.putSecret(PROJECT, ENVIRONMENT, PATH, KEY, VALUE, `/${STACK}/heroku-token-vault#0123456789abcdef`);
            const err = (await rejection(rebuild<Provider>(p.text).create(inputs()))) as unknown as Record<string, unknown>;
            assert.equal(
                err.message,
                `Infisical secret ${KEY} at ${PATH} (environment ${ENVIRONMENT}) belongs to another stack: its ${OWNER_KEY} metadata names /${STACK}/heroku-token-vault#0123456789abcdef. ` +
                    `Nothing was written. Declare each secret in one stack only; if that stack no longer manages it, remove the ${OWNER_KEY} metadata from the secret in the Infisical UI, ${RETRY}.`,
            );
            assert.deepEqual([err.name, err.method, err.path, err.status], ["InfisicalApiError", "GET", SECRET, 200]);
            assert.equal(ctx.vault.writes, 0);
        });
    });
});
