// A resource provider plugin that stands in for @pulumi/github, @pulumi/random
// and @pulumi/cloudflare's Access service tokens in the engine tier, whose real
// plugins cannot be built here.
// It speaks the real provider protocol (the Node.js SDK's provider server), so
// the engine drives it exactly as it drives a real provider: check, diff,
// create, read, update, delete. It keeps the "cloud" in a JSON file that the
// tests read and edit (drift), one file per package.
//
// Started by a launcher (`pulumi-resource-<package>`) that the harness writes:
//   node -r ts-node/register/transpile-only tests/engine/fakePlugin.ts <package> <engine address>
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface FakeResource {
    readonly type: string;
    readonly name: string;
    /** Inputs with secrets unwrapped: this is the fake cloud, which holds the values. */
    readonly inputs: Record<string, unknown>;
    /** When the last create or update wrote it (ISO 8601): what GitHub shows as a secret's `updated_at`. */
    readonly writtenAt?: string;
}

export interface FakeCloudFile {
    readonly resources: Record<string, FakeResource>;
    readonly log: { op: string; type: string; name: string; id: string }[];
}

export function cloudFile(dir: string, pkg: string): string {
    return path.join(dir, `${pkg}.json`);
}

export function readCloud(dir: string, pkg: string): FakeCloudFile {
    const file = cloudFile(dir, pkg);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as FakeCloudFile) : { resources: {}, log: [] };
}

function writeCloud(dir: string, pkg: string, cloud: FakeCloudFile): void {
    const file = cloudFile(dir, pkg);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(cloud, null, 2));
    fs.renameSync(`${file}.tmp`, file);
}

function unwrap(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrap);
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return unwrap(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
    }
    return v;
}

function typeOf(urn: string): string {
    return urn.split("::")[2].split("$").pop()!;
}

function nameOf(urn: string): string {
    return urn.split("::")[3];
}

export const SERVICE_TOKEN = "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken";

/** The outputs the real provider computes besides the inputs, per type: never diffed as inputs. */
const COMPUTED_KEYS: Readonly<Record<string, readonly string[]>> = {
    "random:index/randomBytes:RandomBytes": ["hex", "base64"],
    "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
    [SERVICE_TOKEN]: ["clientId", "clientSecret"],
};

/** Letters and digits, as RandomPassword with `special: false` draws them. */
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** What the real provider computes besides the inputs, per type. */
function computed(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type === "random:index/randomBytes:RandomBytes") {
        const bytes = crypto.randomBytes(Number(inputs.length));
        return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
    }
    if (type === "random:index/randomPassword:RandomPassword") {
        // Enough for the stack's passwords (letters and digits, one of each kind); not the real provider's full rules.
        const length = Number(inputs.length);
        for (;;) {
            const result = [...crypto.randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
            if (/[A-Z]/.test(result) && /[a-z]/.test(result) && /[0-9]/.test(result)) {
                return { result, bcryptHash: `$2a$10$fake-bcrypt-${crypto.createHash("sha256").update(result).digest("hex").slice(0, 22)}` };
            }
        }
    }
    if (type === SERVICE_TOKEN) {
        // As Cloudflare makes them: a client id ending in ".access", and a 64-hex secret shown once.
        return { clientId: `${crypto.randomBytes(16).toString("hex")}.access`, clientSecret: crypto.randomBytes(32).toString("hex") };
    }
    return {};
}

class FakeProvider implements provider.Provider {
    constructor(
        readonly pkg: string,
        readonly version: string,
        private readonly dir: string,
    ) {}

    private change(op: string, urn: string, id: string, update: (c: FakeCloudFile) => void): void {
        const cloud = readCloud(this.dir, this.pkg);
        update(cloud);
        cloud.log.push({ op, type: typeOf(urn), name: nameOf(urn), id });
        writeCloud(this.dir, this.pkg, cloud);
    }

    async check(_urn: string, _olds: unknown, news: unknown): Promise<provider.CheckResult> {
        return { inputs: news as Record<string, unknown> };
    }

    async diff(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.DiffResult> {
        const computedKeys = new Set(COMPUTED_KEYS[typeOf(urn)] ?? []);
        const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => !computedKeys.has(k)));
        const changed = [...keys].filter((k) => JSON.stringify(unwrap(olds[k])) !== JSON.stringify(unwrap(news[k])));
        // RandomBytes and RandomPassword, like the real ones, are replaced by any input change.
        const replaces = typeOf(urn).startsWith("random:index/random") ? changed : [];
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    }

    async create(urn: string, inputs: Record<string, unknown>): Promise<provider.CreateResult> {
        const id = crypto.randomUUID();
        const type = typeOf(urn);
        const outs = { ...inputs, ...computed(type, unwrap(inputs) as Record<string, unknown>) };
        this.change("create", urn, id, (c) => {
            c.resources[id] = { type, name: nameOf(urn), inputs: unwrap(outs) as Record<string, unknown>, writtenAt: new Date().toISOString() };
        });
        return { id, outs };
    }

    async read(id: string, _urn: string, props?: Record<string, unknown>): Promise<provider.ReadResult> {
        const live = readCloud(this.dir, this.pkg).resources[id];
        if (live === undefined) return { id: "", props: {} };
        // The cloud's values win (drift), secrets stay wrapped as they were.
        const out: Record<string, unknown> = { ...(props ?? {}) };
        for (const [k, v] of Object.entries(live.inputs)) {
            const was = out[k] as Record<string, unknown> | undefined;
            out[k] = typeof was === "object" && was !== null && was[SIG_KEY] === SECRET_SIG ? { [SIG_KEY]: SECRET_SIG, value: v } : v;
        }
        return { id, props: out, inputs: out };
    }

    async update(id: string, urn: string, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.UpdateResult> {
        const type = typeOf(urn);
        this.change("update", urn, id, (c) => {
            c.resources[id] = { type, name: nameOf(urn), inputs: unwrap(news) as Record<string, unknown>, writtenAt: new Date().toISOString() };
        });
        return { outs: news };
    }

    async delete(id: string, urn: string): Promise<void> {
        this.change("delete", urn, id, (c) => {
            delete (c.resources as Record<string, FakeResource>)[id];
        });
    }
}

if (require.main === module) {
    const [pkg, ...rest] = process.argv.slice(2);
    const dir = process.env.RAXX_FAKE_CLOUD_DIR;
    if (!pkg || !dir) throw new Error("usage: fakePlugin.ts <package> <engine address>, with RAXX_FAKE_CLOUD_DIR set");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version = (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
    void provider.main(new FakeProvider(pkg, version, dir), rest);
}
