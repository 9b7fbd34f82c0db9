// Runs the real program (index.ts) for a stack offline, under Pulumi's mock
// runtime, with the stack's checked-in config. Tests, `npm run plan` and the
// bench all run the program through here.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { FakeOutputs, MockRunResult, runWithMocks } from "./mocks";
import { fakeCloud, fakeInvokes } from "./fakeCloud";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const STACKS = ["prod", "staging"] as const;
export type StackName = (typeof STACKS)[number];

/** Every stack with a config file (`Pulumi.<stack>.yaml`) in the repository, sorted. */
export function stacksInRepo(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export interface StackConfigFile {
    /** Full keys to raw values, as `pulumi config` hands them to the program. */
    readonly values: Record<string, string>;
    /** Full keys whose values are `secure:` ciphertext in the file. */
    readonly secretKeys: string[];
}

/** A stand-in for a secret config value, for runs without the stack's secrets provider. */
export function secretPlaceholder(key: string): string {
    return `placeholder-for-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** How the CLI hands a config value to the program: strings as they are, anything else as JSON. */
function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The defaults `Pulumi.yaml` declares for the project's keys, as the CLI applies them to every stack. */
export function projectDefaults(): Record<string, string> {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, unknown> };
    const defaults: Record<string, string> = {};
    for (const [key, decl] of Object.entries(doc.config ?? {})) {
        if (typeof decl === "object" && decl !== null && "default" in decl) {
            defaults[key.includes(":") ? key : `${doc.name}:${key}`] = asConfigString((decl as { default: unknown }).default);
        }
    }
    return defaults;
}

/**
 * Reads `Pulumi.<stack>.yaml` on top of the project's defaults, as the CLI
 * does. Secure values become placeholders; lists and numbers become JSON.
 */
export function readStackConfig(stack: string): StackConfigFile {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = projectDefaults();
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            values[key] = secretPlaceholder(key);
            secretKeys.push(key);
        } else {
            values[key] = asConfigString(value);
        }
    }
    return { values, secretKeys };
}

/**
 * Raxx's one secrets provider: an AWS KMS key, which the deploy and read roles reach over OIDC in
 * every workflow (docs/operations.md, "Pulumi state backend"). A passphrase would need
 * PULUMI_CONFIG_PASSPHRASE in every CI run, which no workflow has.
 */
export const SECRETS_PROVIDER = "awskms://alias/raxx-pulumi-secrets?region=us-east-1";

/**
 * What is wrong with the secrets provider a stack file names: nothing while the stack is not
 * initialised (no `secretsprovider`, no key), else it must be SECRETS_PROVIDER with its `encryptedkey`,
 * and nothing of a passphrase (`encryptionsalt`).
 */
export function secretsProviderProblems(stack: string, text: string): string[] {
    const doc = (YAML.parse(text) ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const init = `pulumi stack init ${stack} --secrets-provider "${SECRETS_PROVIDER}"`;
    if ("encryptionsalt" in doc) {
        problems.push(`Pulumi.${stack}.yaml: encryptionsalt is a passphrase secrets provider's, and no workflow has PULUMI_CONFIG_PASSPHRASE; change it with \`pulumi stack change-secrets-provider --stack ${stack} "${SECRETS_PROVIDER}"\``);
    }
    const provider = doc.secretsprovider;
    if (provider !== undefined && provider !== SECRETS_PROVIDER) {
        problems.push(`Pulumi.${stack}.yaml: secretsprovider is ${JSON.stringify(provider)}; Raxx's is ${SECRETS_PROVIDER} (\`pulumi stack change-secrets-provider --stack ${stack} "${SECRETS_PROVIDER}"\`)`);
    }
    if (provider !== undefined && typeof doc.encryptedkey !== "string") {
        problems.push(`Pulumi.${stack}.yaml: secretsprovider without encryptedkey; commit both lines that \`${init}\` writes`);
    }
    if (provider === undefined && "encryptedkey" in doc) problems.push(`Pulumi.${stack}.yaml: encryptedkey without secretsprovider; commit both lines that \`${init}\` writes`);
    return problems;
}

/** Config on top of a stack's file: a string sets a key, undefined removes it (back to the project default, if any). */
export interface ConfigOverrides {
    readonly values: Readonly<Record<string, string | undefined>>;
    /** Keys among `values` whose values are secret (`secure:`); every other key set here is plain. */
    readonly secretKeys: readonly string[];
}

/**
 * `file` with `overrides` on top, as the CLI would hand it to the program. A
 * key the overrides set is secret only if they say so, whatever the file said;
 * a key they remove goes back to its project default, which is plain.
 */
export function withOverrides(file: StackConfigFile, overrides: ConfigOverrides): StackConfigFile {
    const values = { ...file.values };
    const defaults = projectDefaults();
    for (const [key, value] of Object.entries(overrides.values)) {
        if (value !== undefined) values[key] = value;
        else if (Object.hasOwn(defaults, key)) values[key] = defaults[key];
        else delete values[key];
    }
    const secret = (key: string) =>
        Object.hasOwn(overrides.values, key) ? overrides.values[key] !== undefined && overrides.secretKeys.includes(key) : file.secretKeys.includes(key);
    return { values, secretKeys: Object.keys(values).filter(secret).sort() };
}

export interface StackRunOptions {
    /** Config to change: a string sets the key, undefined removes it (back to the project default, if any). */
    readonly config?: Record<string, string | undefined>;
    /** Keys of `config` whose values are secret, as `pulumi config set --secret` sets them; the others are plain. */
    readonly secretKeys?: readonly string[];
    /** Extra fake provider outputs, on top of `fakeCloud`. */
    readonly outputs?: FakeOutputs;
    /** Answers to invokes, before `fakeInvokes`. */
    readonly call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;
    readonly preview?: boolean;
    /**
     * A change to the program, for negative controls: a stack transformation (as index.ts could
     * register), applied to every resource the program declares, on its way to the engine.
     */
    readonly transform?: pulumi.ResourceTransformation;
}

// Only the entry point runs again: every other module of the program only
// defines classes, functions and constants, and the dynamic providers must stay
// the same objects, because Pulumi caches their serialized form per object
// (serializing one costs ~1 s).
const ENTRY = path.join(ROOT, "index");

/** Forgets the program's entry point, so the next require runs it afresh. */
function forgetEntryPoint(): void {
    delete require.cache[require.resolve(ENTRY)];
}

/** Runs index.ts for `stack` under mocks, with its checked-in config and `opts.config` on top. */
export async function runStack(stack: string, opts: StackRunOptions = {}): Promise<MockRunResult> {
    const { values, secretKeys } = withOverrides(readStackConfig(stack), { values: opts.config ?? {}, secretKeys: opts.secretKeys ?? [] });
    const extra = opts.outputs;
    return runWithMocks(
        () => {
            forgetEntryPoint();
            if (opts.transform !== undefined) pulumi.runtime.registerStackTransformation(opts.transform);
            return require(ENTRY);
        },
        {
            project: "raxx-platform",
            stack,
            config: values,
            secretKeys,
            preview: opts.preview,
            outputs: (reg) => ({ ...fakeCloud(reg), ...(extra?.(reg) ?? {}) }),
            call: (args) => opts.call?.(args) ?? fakeInvokes(args),
        },
    );
}
