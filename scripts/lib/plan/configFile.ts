// `--diff-config <file>`: a YAML file shaped like `Pulumi.<stack>.yaml` whose
// `config:` keys override the stack's checked-in config.
import * as fs from "node:fs";
import * as YAML from "yaml";
import { UsageError } from "../cli";
import { secretPlaceholder } from "../offline/stack";
import { ConfigOverrides } from "./model";

/**
 * Reads the overrides in `file`. Values are taken as `pulumi config` hands them
 * to the program: strings as they are, lists and objects as JSON. A `secure:`
 * value becomes a placeholder (it is never decrypted, and never printed); `null`
 * removes the key. A key without a namespace belongs to `project`.
 */
export function readConfigOverrides(file: string, project: string, flag = "--diff-config"): ConfigOverrides {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`${flag}: cannot read ${file}: ${(e as Error).message}`);
    }
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (e) {
        throw new UsageError(`${flag}: ${file} is not YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new UsageError(`${flag}: ${file} has no \`config:\` map; write it like Pulumi.<stack>.yaml, for example:\nconfig:\n  ${project}:herokuPlatformTokenRotation: active=b a=2026-05-06 b=2026-08-04`);
    }
    const values: Record<string, string | undefined> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(config)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (value === null) {
            values[key] = undefined;
        } else if (typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            values[key] = secretPlaceholder(key);
            secretKeys.push(key);
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { values, secretKeys };
}
