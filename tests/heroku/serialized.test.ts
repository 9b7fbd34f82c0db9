// The serialized providers themselves: what the engine stores in state and runs.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

import * as heroku from "../../providers/heroku";
import {
    CANARY_API_KEY,
    CANARY_API_URL,
    CANARY_CONFIG_KEY,
    CANARY_UUID_API_KEY,
    ProviderTexts,
    providerTexts,
    providerTextsAgain,
    registeredTexts,
    serializeWithCredentials,
} from "./serialized";

describe("Heroku providers, serialized", () => {
    let texts: ProviderTexts;
    before(async () => {
        texts = await providerTexts();
    });

    it("hold no credential, even with the key in the env and in stack config before the providers were built", () => {
        for (const [kind, text] of Object.entries(texts)) {
            assert.ok(text.includes("exports.handler"), `${kind}: a module exporting handler`);
            for (const canary of [CANARY_API_KEY, CANARY_API_URL, CANARY_CONFIG_KEY]) {
                assert.ok(!text.includes(canary), `${kind}'s serialized provider captured ${canary}`);
            }
        }
    });

    it("hold no key in Heroku's older bare-UUID format either: the same text as with any other key", async () => {
        const uuid = await serializeWithCredentials(CANARY_UUID_API_KEY, CANARY_UUID_API_KEY);
        assert.deepEqual(uuid, texts);
        for (const text of Object.values(uuid)) assert.ok(!text.includes(CANARY_UUID_API_KEY));
    });

    it("are deterministic: another import serializes the same text, with no absolute path in it", async () => {
        const again = await providerTextsAgain();
        assert.deepEqual(again, texts);
        assert.deepEqual(await registeredTexts(heroku), texts, "the program's own import serializes the same text");
        const root = path.resolve(__dirname, "../..");
        const modules = fs.realpathSync(path.join(root, "node_modules"));
        for (const text of Object.values(texts)) {
            for (const local of [root, modules]) {
                assert.ok(!text.includes(local), `the text names ${local}, so another checkout would serialize another text`);
            }
        }
    });
});
