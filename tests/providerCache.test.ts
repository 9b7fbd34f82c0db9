// The CLI tools' disk cache of serialized dynamic providers (scripts/lib/providerCache.ts).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AccessApplicationPolicyProvider } from "../providers/cloudflare";
import { KnownProvider, Serialize, withProviderCache } from "../scripts/lib/providerCache";

/** What the tools admit: the classes providers/ exports (here, the one these tests use). */
const known: KnownProvider = (p) => p.constructor === AccessApplicationPolicyProvider;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: Serialize };

describe("the serialized-provider cache of the CLI tools", () => {
    let dir: string;
    let calls: number;
    const counting: Serialize = async (func, args) => {
        calls++;
        return serializeFunction(func, args);
    };
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "raxx-provider-cache-"));
        calls = 0;
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("serializes a provider once, and answers the next time with exactly the same text", async () => {
        const cached = withProviderCache(counting, dir, "salt", known);
        const provider = new AccessApplicationPolicyProvider();
        const fresh = await cached(() => provider, { allowSecrets: true });
        const again = await cached(() => provider, { allowSecrets: true });
        assert.equal(calls, 1);
        assert.deepEqual(again, fresh);
        assert.match((fresh as { text: string }).text, /exports\.handler/);
        assert.equal(fs.readdirSync(dir).length, 1);
    });

    it("serializes afresh for another salt (a changed provider file), other state, or what is not a provider", async () => {
        const provider = new AccessApplicationPolicyProvider();
        await withProviderCache(counting, dir, "salt", known)(() => provider, { allowSecrets: true });
        await withProviderCache(counting, dir, "another salt", known)(() => provider, { allowSecrets: true });
        await withProviderCache(counting, dir, "salt", known)(() => new AccessApplicationPolicyProvider({ maxAttempts: 1 }), { allowSecrets: true });
        const plain = () => 42;
        await withProviderCache(counting, dir, "salt", known)(() => plain, {});
        await withProviderCache(counting, dir, "salt", known)(() => plain, {});
        assert.equal(calls, 5);
        assert.equal(fs.readdirSync(dir).length, 3);
    });

    it("caches only the providers it knows: never an object literal, or a class from elsewhere", async () => {
        const cached = withProviderCache(counting, dir, "salt", known);
        const literal = (id: string) => ({ create: async () => ({ id, outs: {} }) });
        const a = (await cached(() => literal("A"), { allowSecrets: true })) as { text: string };
        const b = (await cached(() => literal("B"), { allowSecrets: true })) as { text: string };
        assert.match(a.text, /"A"/);
        assert.match(b.text, /"B"/);
        const classOf = (id: string) =>
            class Provider {
                async create() {
                    return { id, outs: {} };
                }
            };
        const one = (await cached(() => new (classOf("one"))(), { allowSecrets: true })) as { text: string };
        const two = (await cached(() => new (classOf("two"))(), { allowSecrets: true })) as { text: string };
        assert.match(one.text, /"one"/);
        assert.match(two.text, /"two"/);
        assert.equal(calls, 4);
        assert.deepEqual(fs.readdirSync(dir), []);
    });

    it("tells states apart that JSON would not: NaN from Infinity", async () => {
        const cached = withProviderCache(counting, dir, "salt", known);
        await cached(() => new AccessApplicationPolicyProvider({ timeoutMs: Number.NaN }), { allowSecrets: true });
        await cached(() => new AccessApplicationPolicyProvider({ timeoutMs: Number.POSITIVE_INFINITY }), { allowSecrets: true });
        assert.equal(calls, 2);
        assert.equal(fs.readdirSync(dir).length, 2);
    });
});
