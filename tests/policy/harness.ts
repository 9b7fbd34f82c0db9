// Runs the pack's policies the way @pulumi/policy's server does, without the
// server (constructing a PolicyPack starts one): hand-built or recorded
// resources become ResourceValidationArgs, props behind the same
// unknown-checking proxy, and each policy's violations are collected.
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, Secret, StackValidationPolicy, unknownCheckingProxy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { Registration, isSecretValue } from "../../scripts/lib/offline/mocks";

export interface ArgsSpec {
    readonly type: string;
    readonly name: string;
    readonly props?: Record<string, unknown>;
    /** Default: built from the stack, type and name. */
    readonly urn?: string;
    readonly stack?: string;
    readonly protect?: boolean;
    readonly ignoreChanges?: string[];
    readonly additionalSecretOutputs?: string[];
    readonly parent?: string;
    /** Each input's dependencies, by URN; a stack policy sees them as resources. */
    readonly propertyDependencies?: Record<string, string[]>;
    /** The `dependsOn` option's resources, by URN: dependencies of no input. */
    readonly dependsOn?: string[];
    /** The policy config, as `--policy-pack-config` would give it (without enforcementLevel). */
    readonly config?: Record<string, unknown>;
}

class NotApplicable extends Error {}

/** A ResourceValidationArgs as the policy server builds one (see @pulumi/policy server.js). */
export function validationArgs(spec: ArgsSpec): ResourceValidationArgs {
    const stack = spec.stack ?? "prod";
    const props = unknownCheckingProxy(spec.props ?? {}) as Record<string, unknown>;
    return {
        type: spec.type,
        props,
        urn: spec.urn ?? `urn:pulumi:${stack}::raxx-platform::${spec.type}::${spec.name}`,
        name: spec.name,
        opts: {
            protect: spec.protect ?? false,
            ignoreChanges: spec.ignoreChanges ?? [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: spec.additionalSecretOutputs ?? [],
            parent: spec.parent,
        },
        stackTags: new Map(),
        isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === spec.type,
        asType: () => undefined,
        getConfig: <T extends object>() => (spec.config ?? {}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason ?? "");
        },
    };
}

export interface PolicyOutcome {
    readonly violations: string[];
    /** The reason the policy gave for not applying, if it did so. */
    readonly notApplicable?: string;
}

/** Runs one policy over one resource. A stack policy has nothing to check on one resource alone. */
export async function check(policy: ResourceValidationPolicy | StackValidationPolicy, args: ResourceValidationArgs): Promise<PolicyOutcome> {
    const violations: string[] = [];
    if (!("validateResource" in policy)) return { violations };
    const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
    try {
        for (const validate of validations) await validate(args, (message) => violations.push(message));
    } catch (e) {
        if (e instanceof NotApplicable) return { violations, notApplicable: e.message };
        throw e;
    }
    return { violations };
}

/**
 * The resources a stack policy gets, as the policy server builds them: each
 * spec's args, with parent and property dependencies resolved to the
 * resources of the list (a URN outside it is dropped, as the server does).
 */
export function policyResources(specs: readonly ArgsSpec[]): PolicyResource[] {
    const resources = specs.map((spec) => {
        const args = validationArgs(spec);
        return { ...args, dependencies: [], propertyDependencies: {} } as unknown as PolicyResource & { stackTags?: unknown };
    });
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    specs.forEach((spec, i) => {
        for (const [key, urns] of Object.entries(spec.propertyDependencies ?? {})) {
            resources[i].propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
        }
        const dependsOn = (spec.dependsOn ?? []).map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
        // The engine's dependency list: every input's, and dependsOn's.
        resources[i].dependencies = [...new Set([...Object.values(resources[i].propertyDependencies).flat(), ...dependsOn])];
        const parent = spec.parent === undefined ? undefined : byUrn.get(spec.parent);
        if (parent !== undefined) resources[i].parent = parent;
    });
    return resources;
}

/** Runs one stack policy over the resources of `specs`; the policy config is `config`. */
export async function checkStack(policy: StackValidationPolicy, specs: readonly ArgsSpec[], config: Record<string, unknown> = {}): Promise<PolicyOutcome> {
    const violations: string[] = [];
    try {
        await policy.validateStack(
            {
                resources: policyResources(specs),
                stackTags: new Map(),
                getConfig: <T extends object>() => config as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason ?? "");
                },
            },
            (message) => violations.push(message),
        );
    } catch (e) {
        if (e instanceof NotApplicable) return { violations, notApplicable: e.message };
        throw e;
    }
    return { violations };
}

/** The violations of one policy for a hand-built resource. */
export async function violationsOf(policy: ResourceValidationPolicy, spec: ArgsSpec): Promise<string[]> {
    const outcome = await check(policy, validationArgs(spec));
    if (outcome.notApplicable !== undefined) throw new Error(`${policy.name} is not applicable: ${outcome.notApplicable}`);
    return outcome.violations;
}

/**
 * A recorded input as a policy receives it. The engine drops undefined values
 * and internal `__` keys. Secrets are unwrapped, as @pulumi/policy does before
 * validateResource; with `keepSecrets` they become `Secret`s instead.
 */
function policyValue(v: unknown, keepSecrets: boolean): unknown {
    if (isSecretValue(v)) {
        const inner = policyValue((v as { value: unknown }).value, keepSecrets);
        return keepSecrets ? new Secret(inner) : inner;
    }
    if (Array.isArray(v)) return v.map((x) => policyValue(x, keepSecrets));
    if (typeof v === "object" && v !== null && !pulumi.asset.Asset.isInstance(v) && !pulumi.asset.Archive.isInstance(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            if (x !== undefined) out[k] = policyValue(x, keepSecrets);
        }
        return out;
    }
    return v;
}

/** A registration of an offline run as the ArgsSpec the engine would hand the policy pack. */
export function registrationSpec(reg: Registration, opts: { keepSecrets?: boolean; config?: Record<string, unknown> } = {}): ArgsSpec {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(reg.inputs)) {
        if (v !== undefined && !k.startsWith("__")) props[k] = policyValue(v, opts.keepSecrets ?? false);
    }
    return {
        type: reg.type,
        name: reg.name,
        props,
        urn: reg.urn,
        protect: reg.options.protect,
        ignoreChanges: reg.options.ignoreChanges,
        additionalSecretOutputs: reg.options.additionalSecretOutputs,
        parent: reg.parent === "" ? undefined : reg.parent,
        propertyDependencies: reg.options.propertyDependencies,
        dependsOn: reg.options.dependsOn,
        config: opts.config,
    };
}

/** Runs `fn` with the stack config the CLI would hand the policy pack, then restores the runtime's. */
export async function withStackConfig<T>(config: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(config);
    try {
        return await fn();
    } finally {
        pulumi.runtime.setAllConfig(saved);
    }
}
