// Runs a Pulumi program under the mock runtime and records every registration,
// with the resource options the plain mocks hide.
//
// Mocks are global to the process, so runs are strictly sequential: `runWithMocks`
// resets the runtime (`setMocks` clears the monitor, the stack resource and the
// pending registrations) and installs a fresh recorder each time.
import * as pulumi from "@pulumi/pulumi";
// Internal, but it is what the language host awaits before it reports a program done.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const SECRET_SIG = pulumi.runtime.specialSecretSig;
const SIG_KEY = pulumi.runtime.specialSigKey;

/** Options the engine would see for one registration. */
export interface RecordedOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: string[];
    readonly replaceOnChanges: string[];
    readonly additionalSecretOutputs: string[];
    readonly replacementTrigger: unknown;
    readonly importId: string;
    readonly dependsOn: string[];
    /** Each input's dependencies (URNs), as the engine records them and hands a stack policy. */
    readonly propertyDependencies: Record<string, string[]>;
}

/** One resource registration, as the engine would receive it. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly custom: boolean;
    readonly provider: string;
    /** Inputs as sent; a secret input is `{ [sigKey]: secretSig, value }` (see `isSecretValue`). */
    readonly inputs: Record<string, unknown>;
    readonly options: RecordedOptions;
}

/** Values a test wants the mock "provider" to return for a resource, besides its inputs. */
export type FakeOutputs = (reg: { type: string; name: string; inputs: Record<string, unknown> }) => Record<string, unknown> | undefined;

export interface MockRunOptions {
    readonly project?: string;
    readonly stack?: string;
    /** Full keys (`project:key`) to raw string values, as `pulumi config` stores them. */
    readonly config?: Record<string, string>;
    /** Full keys whose values are secret. */
    readonly secretKeys?: string[];
    readonly preview?: boolean;
    /** Extra state per resource; `additionalSecretOutputs` fields are wrapped as secrets, as the engine does. */
    readonly outputs?: FakeOutputs;
    /** Answers to invokes; any invoke it does not answer fails the run. */
    readonly call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;
}

export interface MockRunResult {
    readonly registrations: Registration[];
    /** The program's stack outputs, resolved, with secrets unwrapped (see `secretOutputs`). */
    readonly outputs: Record<string, unknown>;
    /** Names of the stack outputs that resolved as secret. */
    readonly secretOutputs: string[];
    /** Invokes the program made. */
    readonly calls: string[];
    /**
     * What each component recorded with `registerOutputs`, by URN: the outputs the engine keeps
     * in its state (`pulumi stack export` shows them), secrets as in `inputs` (see `isSecretValue`).
     * Always set by `runWithMocks`; optional only for results a test makes by hand.
     */
    readonly componentOutputs?: Record<string, Record<string, unknown>>;
    readonly error: Error | undefined;
}

/** True when a recorded input value is a secret. */
export function isSecretValue(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The plain value behind a recorded input, secret or not. */
export function plain(v: unknown): unknown {
    return isSecretValue(v) ? (v as { value: unknown }).value : v;
}

function wrapSecret(v: unknown): unknown {
    return isSecretValue(v) ? v : { [SIG_KEY]: SECRET_SIG, value: v };
}

let running = false;

/**
 * What the mock monitor answers for a new resource: its inputs with the fake
 * cloud's outputs on top, and an id (the fake's, the one asked for, or
 * `<name>-id`); a component gets none. Shared with scripts/lib/host/evaluate.js.
 */
export function mockedResource(args: pulumi.runtime.MockResourceArgs, extra: Record<string, unknown>): { id: string | undefined; state: Record<string, unknown> } {
    const state: Record<string, unknown> = { ...args.inputs, ...extra };
    const id = (extra.id as string | undefined) ?? (args.id || `${args.name}-id`);
    delete state.id;
    return { id: args.custom === false ? undefined : id, state };
}

/**
 * Runs `program` inside a mocked Pulumi stack and returns what it registered.
 * A program that throws returns its error and whatever it registered before.
 */
export async function runWithMocks(program: () => unknown, opts: MockRunOptions = {}): Promise<MockRunResult> {
    if (running) {
        throw new Error("runWithMocks: runs share global Pulumi state and must not overlap");
    }
    running = true;
    // The runtime captures a stack trace for every promise it makes, only for
    // debugging leaks; formatting them (source-mapped, under ts-node) is most of
    // the cost of a run. Set RAXX_STACK_TRACES=1 to keep them when debugging.
    const prepare = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    if (process.env.RAXX_STACK_TRACES !== "1") {
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
        Error.stackTraceLimit = 0;
    }
    try {
        return await run(program, opts);
    } finally {
        Error.prepareStackTrace = prepare;
        Error.stackTraceLimit = limit;
        running = false;
    }
}

async function run(program: () => unknown, opts: MockRunOptions): Promise<MockRunResult> {
    const registrations: Registration[] = [];
    const calls: string[] = [];
    // Failures the runtime would report and exit non-zero on, but that mocks would swallow.
    const failures: Error[] = [];
    const onRejection = (reason: unknown) => failures.push(reason instanceof Error ? reason : new Error(String(reason)));
    process.on("unhandledRejection", onRejection);
    const secretOutputsByKey = new Map<string, string[]>();

    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const result = mockedResource(args, opts.outputs?.({ type: args.type, name: args.name, inputs: args.inputs }) ?? {});
            for (const field of secretOutputsByKey.get(`${args.type}::${args.name}`) ?? []) {
                if (field in result.state && result.state[field] !== undefined) {
                    result.state[field] = wrapSecret(result.state[field]);
                }
            }
            return result;
        },
        call(args) {
            calls.push(args.token);
            const answer = opts.call?.(args);
            if (answer === undefined) {
                const err = new Error(`unexpected invoke ${args.token} ${JSON.stringify(args.inputs)}`);
                failures.push(err);
                throw err;
            }
            return answer;
        },
    };

    const project = opts.project ?? "raxx-platform";
    const stack = opts.stack ?? "test";
    await pulumi.runtime.setMocks(mocks, project, stack, opts.preview ?? false);
    pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: (err: unknown, resp: { getUrn(): string }) => void): void;
        registerResourceOutputs(req: RegisterOutputsRequest, cb: (err: unknown, resp: unknown) => void): void;
    };
    const componentOutputs: Record<string, Record<string, unknown>> = {};
    const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const outputs = pulumi.runtime.deserializeProperties(req.getOutputs(), true) as Record<string, unknown>;
        originalOutputs(req, (err, resp) => {
            if (!err) componentOutputs[req.getUrn()] = outputs;
            cb(err, resp);
        });
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const key = `${req.getType()}::${req.getName()}`;
        secretOutputsByKey.set(key, req.getAdditionalsecretoutputsList());
        const inputs = pulumi.runtime.deserializeProperties(req.getObject(), true) as Record<string, unknown>;
        original(req, (err, resp) => {
            if (!err) {
                registrations.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent(),
                    custom: req.getCustom(),
                    provider: req.getProvider(),
                    inputs,
                    options: {
                        protect: req.getProtect() === true,
                        retainOnDelete: req.getRetainondelete() === true,
                        deleteBeforeReplace: req.getDeletebeforereplace() === true,
                        ignoreChanges: req.getIgnorechangesList(),
                        replaceOnChanges: req.getReplaceonchangesList(),
                        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                        replacementTrigger: req.getReplacementTrigger()?.toJavaScript(),
                        importId: req.getImportid(),
                        dependsOn: req.getDependenciesList(),
                        propertyDependencies: propertyDependencies(req),
                    },
                });
            }
            cb(err, resp);
        });
    };

    let error: Error | undefined;
    let outputs: Record<string, unknown> = {};
    try {
        const raw = (await pulumi.runtime.runInPulumiStack(async () => {
            const exported = await program();
            return exported ?? {};
        })) as Record<string, unknown> | undefined;
        for (const [k, v] of Object.entries(raw ?? {})) {
            const out = pulumi.output(v as pulumi.Input<unknown>) as pulumi.Output<unknown>;
            outputs[k] = await new Promise((resolve) => out.apply((x: unknown) => resolve(x)));
        }
    } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
        outputs = {};
    }
    try {
        await waitForRPCs();
    } catch (e) {
        error ??= e instanceof Error ? e : new Error(String(e));
    }
    // Let rejections of outputs nobody awaited surface before judging the run.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
    error ??= failures[0];
    // The stack resolves its outputs to plain values (secrets unwrapped); what it records in the
    // state still marks each secret one, as the engine receives them.
    const root = registrations.find((r) => r.type === "pulumi:pulumi:Stack");
    const stackState = (root && componentOutputs[root.urn]) ?? {};
    const secretOutputs = Object.keys(outputs).filter((k) => isSecretValue(stackState[k]));
    const ordered = registrations.filter((r) => r.type !== "pulumi:pulumi:Stack");
    return { registrations: ordered, outputs, secretOutputs, calls, componentOutputs, error };
}

interface RegisterOutputsRequest {
    getUrn(): string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    getOutputs(): any;
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        out[key] = deps.getUrnsList();
    });
    return out;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    getObject(): any;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
    getImportid(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
