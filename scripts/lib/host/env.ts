// The environment the Pulumi language host (pulumi-language-nodejs) gives the
// program's process for this project: PULUMI_NODEJS_TYPESCRIPT and
// PULUMI_NODEJS_TSCONFIG_PATH from Pulumi.yaml's runtime options (the host's
// parseOptions: `typescript` defaults to true, `tsconfig` is passed through),
// and the stack's config as PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS.
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ROOT, readStackConfig } from "../offline/stack";

export interface RuntimeOptions {
    readonly typescript?: boolean;
    readonly tsconfig?: string;
    readonly nodeargs?: string;
    readonly packagemanager?: string;
}

/** Pulumi.yaml's `runtime.options`. */
export function runtimeOptions(): RuntimeOptions {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime?: string | { options?: RuntimeOptions } };
    return typeof doc.runtime === "object" ? (doc.runtime.options ?? {}) : {};
}

export function languageHostEnv(stack: string): Record<string, string> {
    const options = runtimeOptions();
    const { values, secretKeys } = readStackConfig(stack);
    return {
        ...(options.typescript === false ? {} : { PULUMI_NODEJS_TYPESCRIPT: "true" }),
        ...(options.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: options.tsconfig } : {}),
        PULUMI_CONFIG: JSON.stringify(values),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    };
}
