// The serialized provider itself: what the engine stores in state and runs.
import { strict as assert } from "node:assert";

import * as infisical from "../../providers/infisical";
import { isSecretValue, runWithMocks } from "../../scripts/lib/offline/mocks";
import { assertNoCanary, assertNoLocalPath } from "../harness/serializedProvider";
import {
    CANARY_ACCESS_SECRET,
    CANARY_CLIENT_ID,
    CANARY_CLIENT_SECRET,
    CANARY_CONFIG_SECRET,
    CANARY_URL,
    CANARY_VALUE,
    declareSecret,
    freshModule,
    providerText,
    registeredText,
} from "./serialized";

describe("Infisical provider, serialized", () => {
    let text: string;
    before(async () => {
        text = await providerText();
    });

    it("holds no credential, though the identity was in the env and in secret stack config when it was built", () => {
        assertNoCanary(text, [CANARY_CLIENT_ID, CANARY_CLIENT_SECRET, CANARY_URL, CANARY_CONFIG_SECRET, CANARY_ACCESS_SECRET, CANARY_VALUE]);
    });

    it("is deterministic: another import serializes the same text, with no absolute path in it", async () => {
        assert.equal(await registeredText(freshModule()), text);
        assert.equal(await registeredText(infisical), text);
        assertNoLocalPath(text);
    });

    it("registers as pulumi-nodejs:dynamic/infisical:Secret with secret value and access, the owner, and the secret outputs", async () => {
        const result = await runWithMocks(() => declareSecret(infisical, "vault-token"));
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
