// The serialized providers themselves: what the engine stores in state and runs.
import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import * as workspace from "../../providers/google-workspace";
import { isSecretValue, runWithMocks } from "../../scripts/lib/offline/mocks";
import { assertNoCanary, assertNoLocalPath } from "../harness/serializedProvider";
import {
    CANARY_ADMIN,
    CANARY_CONFIG_CREDENTIALS,
    CANARY_CREDENTIALS,
    CANARY_PASSWORD,
    CANARY_URL,
    KINDS,
    Texts,
    declareAll,
    freshModule,
    providerTexts,
    registeredTexts,
} from "./serialized";
import { FakeWorkspace } from "./fakeWorkspace";
import { ADMIN, ALL_SCOPES, CLIENT_EMAIL, CLIENT_ID, DOMAIN, serviceAccountKey } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const CLIENTS = ["google-auth-library", "@googleapis/admin", "googleapis-common"];

describe("Google Workspace providers, serialized", () => {
    let texts: Texts;
    before(async () => {
        texts = await providerTexts();
    });

    it("hold no credential, though the key and admin user were in the env and in secret stack config when they were built", () => {
        for (const k of KINDS) {
            assertNoCanary(texts[k], [CANARY_CREDENTIALS, "canary-private-key-3e9d-do-not-leak", CANARY_ADMIN, CANARY_URL, CANARY_CONFIG_CREDENTIALS, CANARY_PASSWORD]);
        }
    });

    it("are deterministic: another import serializes the same texts, with no absolute path in them", async () => {
        assert.deepEqual(await registeredTexts(freshModule()), texts);
        assert.deepEqual(await registeredTexts(workspace), texts);
        for (const k of KINDS) assertNoLocalPath(texts[k]);
    });

    it("require the official clients by name when a call is made, and capture none of them", () => {
        for (const k of KINDS) {
            for (const client of CLIENTS) assert.ok(texts[k].includes(`require("${client}")`), `${k} requires ${client} at call time`);
            assert.ok(!/node_modules|GaxiosError|class Gaxios|Resource\$Groups/.test(texts[k]), `${k} captures no module of a client`);
        }
    });

    it("importing the folder loads none of the clients: a program that declares resources does not pay for them", () => {
        const script =
            "require('./providers/google-workspace');" +
            "const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](google-auth-library|@googleapis|googleapis-common|gaxios)[\\\\/]/.test(k));" +
            "process.stdout.write(JSON.stringify(loaded));";
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.deepEqual(JSON.parse(out), []);
    });

    it("runs in a process of its own, with Google's SDK logging asked for, and no access token or key reaches its output", async () => {
        // google-auth-library logs request headers and token replies to stderr when GOOGLE_SDK_NODE_LOGGING is set;
        // the provider turns that off before it loads the library, as the provider host first does.
        const google = await new FakeWorkspace().start();
        const key = serviceAccountKey();
        try {
            google.addServiceAccount(CLIENT_EMAIL, CLIENT_ID, key.publicKey);
            google.delegate(CLIENT_ID, ALL_SCOPES);
            google.addDomain(DOMAIN);
            google.addUser(ADMIN, { isAdmin: true });
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gw-provider-")), "provider.js");
            fs.writeFileSync(file, texts.DomainCheck);
            const script =
                `const p = require("require-from-string")(require("fs").readFileSync(${JSON.stringify(file)}, "utf8")).handler();` +
                `p.create(${JSON.stringify({ domain: DOMAIN, dkimDeclared: true })}).then((r) => console.log("created " + r.id), (e) => console.log(e.message));`;
            const { stdout, stderr } = await promisify(execFile)(process.execPath, ["-e", script], {
                cwd: ROOT,
                env: {
                    PATH: process.env.PATH ?? "",
                    GOOGLE_SDK_NODE_LOGGING: "*",
                    GOOGLE_WORKSPACE_CREDENTIALS: key.json,
                    GOOGLE_WORKSPACE_ADMIN_USER: ADMIN,
                    GOOGLE_WORKSPACE_API_URL: google.url,
                },
            });
            assert.equal(stdout, `created ${DOMAIN}\n`);
            const issued = google.issuedTokens();
            assert.equal(issued.length, 1);
            for (const secret of [...issued, ...google.assertions, ...key.privateKey.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"))]) {
                assert.ok(!`${stdout}${stderr}`.includes(secret), "a token, assertion or key line is in the provider's output");
            }
        } finally {
            await google.stop();
        }
    });

    it("register as pulumi-nodejs:dynamic/google-workspace:<Kind>, the User's password secret in and out", async () => {
        const result = await runWithMocks(() => declareAll(workspace));
        assert.equal(result.error, undefined);
        // In the order their inputs resolve, which is not the order they were declared.
        const byKind = Object.fromEntries(result.registrations.map((r) => [r.type.split(":").pop(), r]));
        assert.deepEqual(
            result.registrations.map((r) => `${r.type} ${r.name}`).sort(),
            KINDS.map((k) => `pulumi-nodejs:dynamic/google-workspace:${k} ${{ DomainCheck: "raxx-app", Group: "ops", Member: "ops-kris", User: "no-reply" }[k]}`),
        );
        const [check, group, member, user] = KINDS.map((k) => byKind[k]);
        assert.deepEqual(
            Object.fromEntries(Object.entries(group.inputs).filter(([k]) => k !== "__provider")),
            {
                email: "ops@raxx.app",
                name: "Raxx Ops",
                description: "",
                settings: { whoCanPostMessage: "ALL_MEMBERS_CAN_POST" },
                declaredMembers: ["kris@raxx.app"],
                undeclaredMembers: "keep",
            },
            "defaults filled by the class",
        );
        assert.deepEqual(group.options.dependsOn, [check.urn]);
        assert.equal(member.inputs.role, "OWNER");
        assert.ok(isSecretValue(user.inputs.password), "the password is a secret input");
        assert.deepEqual(user.options.additionalSecretOutputs, ["password"]);
        for (const r of [check, group, member]) assert.deepEqual(r.options.additionalSecretOutputs, []);
    });
});
