// The serialized provider itself: what the engine stores in state and runs.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import * as cloudflare from "../../providers/cloudflare";
import { runWithMocks } from "../../scripts/lib/offline/mocks";
import { assertNoCanary, assertNoLocalPath } from "../harness/serializedProvider";
import { FakeCloudflareAccess } from "./fakeCloudflareAccess";
import { ACCOUNT, APP_ID, CANARY_CONFIG_TOKEN, CANARY_ENV_TOKEN, CANARY_URL, DOMAIN, POLICY_NAME, TOKEN_A, TOKEN_B, declarePolicy, freshModule, providerText, registeredText, vaultApp } from "./helpers";

describe("Cloudflare Access policy provider, serialized", () => {
    let text: string;
    before(async () => {
        text = await providerText();
    });

    it("holds no token or URL, though both were in the env and the token in secret stack config when it was built", () => {
        assertNoCanary(text, [CANARY_ENV_TOKEN, CANARY_CONFIG_TOKEN, CANARY_URL]);
    });

    it("runs in a process of its own, as the provider host does: no helper was taken for a global of the test runner", async () => {
        // Under mocha, the serializer refers to a helper that shares a name with a global
        // (`describe`, say) as that global; such a text fails only where the global is absent.
        const cf = await new FakeCloudflareAccess().start();
        cf.apiToken = "the-right-token";
        vaultApp(cf);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cf-provider-")), "provider.js");
        fs.writeFileSync(file, text);
        const script =
            `const p = require("require-from-string")(require("fs").readFileSync(${JSON.stringify(file)}, "utf8")).handler();` +
            `p.create(${JSON.stringify({ accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN, policyName: POLICY_NAME, serviceTokenIds: [TOKEN_A.id] })})` +
            `.then(() => console.log("created"), (e) => console.log(e.message));`;
        try {
            const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
                cwd: path.resolve(__dirname, "../.."),
                env: { PATH: process.env.PATH ?? "", CLOUDFLARE_API_TOKEN: "a-wrong-token", CLOUDFLARE_API_BASE_URL: cf.url, CLOUDFLARE_HTTP_MAX_ATTEMPTS: "1" },
            });
            assert.match(stdout, /^Cloudflare API GET \S+ failed: 403 \(10000 Authentication error\)\. Cloudflare refused the API token \(CLOUDFLARE_API_TOKEN\)/);
        } finally {
            await cf.stop();
        }
    });

    it("is deterministic: another import serializes the same text, with no absolute path in it", async () => {
        assert.equal(await registeredText(freshModule()), text);
        assert.equal(await registeredText(cloudflare), text);
        assertNoLocalPath(text);
    });

    it("registers as pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy with its inputs and no secret", async () => {
        const result = await runWithMocks(() => declarePolicy(cloudflare));
        assert.equal(result.error, undefined);
        assert.equal(result.registrations.length, 1);
        const [reg] = result.registrations;
        assert.equal(reg.type, "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy");
        const { __provider, ...rest } = reg.inputs;
        assert.equal(typeof __provider, "string");
        assert.deepEqual(rest, { accountId: ACCOUNT, applicationId: APP_ID, domain: DOMAIN, policyName: POLICY_NAME, serviceTokenIds: [TOKEN_A.id, TOKEN_B.id] });
        assert.deepEqual(reg.options.additionalSecretOutputs, []);
        assert.equal(reg.options.deleteBeforeReplace, false);
    });
});
