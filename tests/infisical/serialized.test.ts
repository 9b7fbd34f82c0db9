// The serialized provider itself: what the engine stores in state and runs.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import * as infisical from "../../providers/infisical";
import { CANARY_ACCESS_SECRET, CANARY_CLIENT_ID, CANARY_CLIENT_SECRET, CANARY_CONFIG_SECRET, CANARY_URL, CANARY_VALUE, freshModule, providerText, registeredText } from "./serialized";
import { isSecretValue, runWithMocks } from "../../scripts/lib/offline/mocks";

describe("Infisical provider, serialized", () => {
    let text: string;
    before(async () => {
        text = await providerText();
    });

    it("holds no credential, though the identity was in the env and in secret stack config when it was built", () => {
        assert.ok(text.includes("exports.handler"));
        for (const canary of [CANARY_CLIENT_ID, CANARY_CLIENT_SECRET, CANARY_URL, CANARY_CONFIG_SECRET, CANARY_ACCESS_SECRET, CANARY_VALUE]) {
            assert.ok(!text.includes(canary), `the serialized provider captured ${canary}`);
        }
    });

    it("is deterministic: another import serializes the same text, with no absolute path in it", async () => {
        assert.equal(await registeredText(freshModule()), text);
        assert.equal(await registeredText(infisical), text);
        const root = path.resolve(__dirname, "../..");
        for (const local of [root, fs.realpathSync(path.join(root, "node_modules"))]) assert.ok(!text.includes(local), `the text names ${local}`);
    });

    it("registers as pulumi-nodejs:dynamic/infisical:Secret with secret value and access, the owner, and the secret outputs", async () => {
        const result = await runWithMocks(() => {
            new infisical.Secret("vault-token", {
                projectId: "proj-1",
                environment: "prod",
                path: "/MooseQuest/heroku",
                key: "HEROKU_PLATFORM_API_TOKEN",
                value: CANARY_VALUE,
                access: { clientId: "id.access", clientSecret: CANARY_ACCESS_SECRET },
            });
        });
        assert.equal(result.error, undefined);
        const [reg] = result.registrations;
        assert.equal(reg.type, "pulumi-nodejs:dynamic/infisical:Secret");
        const [project, stack] = [reg.urn.split("::")[1], reg.urn.split("::")[0].split(":").pop()];
        assert.equal(reg.inputs.owner, `${project}/${stack}/vault-token`);
        assert.ok(isSecretValue(reg.inputs.value), "value is a secret input");
        assert.ok(isSecretValue(reg.inputs.access), "access is a secret input");
        assert.deepEqual(reg.options.additionalSecretOutputs, ["value", "access", "written"]);
    });
});
