// The offline plan of a stack: the program run under mocks with the stack's
// checked-in config (and any overrides), turned into what a reviewer reads:
// the resource tree with each resource's physical name, and the secrets map.
// Everything here is printable: values go through the Redactor.
import { CREDENTIALS, CredentialId, PROJECT, StackConfig, configSource, parseConfig, todayUtc } from "../../../config";
import { Slot, slotOfName } from "../../../components/rotation";
import { UsageError } from "../cli";
import { credentialEntries } from "../credentials";
import { OwnershipError, Write, describeDoubleDeclaration, doubleDeclarations } from "../inventory";
import { DescribeContext, checkOf, kindOf } from "../kinds";
import { list, text as str } from "../kinds/kind";
import { fakeCloud } from "../offline/fakeCloud";
import { MockRunResult, Registration, isSecretValue, plain } from "../offline/mocks";
import { ConfigOverrides, readStackConfig, runStack, stacksInRepo, withOverrides } from "../offline/stack";
import { RotationStatus, rotationStatus } from "../rotationStatus";
import { Lookup, Redactor, describedInputs, fakeValues, recordingCall } from "./redact";
import { UrnIndex, indexUrns } from "./urns";

/** The version of the `--json` schema of `npm run plan` (see the comment at the top of scripts/plan.ts). */
export const PLAN_VERSION = 1;

export type { ConfigOverrides } from "../offline/stack";

const NO_OVERRIDES: ConfigOverrides = { values: {}, secretKeys: [] };

/**
 * The config the program would see for `stack` with `overrides` on top, validated
 * as the program validates it: a bad config throws the ConfigError that lists every problem.
 */
export function checkConfig(
    stack: string,
    overrides: ConfigOverrides = NO_OVERRIDES,
): { values: Record<string, string>; secretKeys: string[]; config: StackConfig; today: string } {
    const { values, secretKeys } = withOverrides(readStackConfig(stack), overrides);
    const today = todayUtc();
    return { values, secretKeys, config: parseConfig(configSource(values, secretKeys), today), today };
}

/** One evaluation of the program, with what it takes to describe it safely. */
export interface OfflineRun {
    readonly stack: string;
    readonly project: string;
    readonly today: string;
    readonly config: StackConfig;
    /** The full config the program saw (secret values are placeholders). */
    readonly values: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    readonly run: MockRunResult;
    readonly urns: UrnIndex;
    readonly redactor: Redactor;
    /** Registrations whose fake outputs a value came from, by that value. */
    readonly origin: ReadonlyMap<string, { reg: Registration; field: string }>;
}

/**
 * Runs the program for `stack` offline. The config is validated first, as the
 * program itself would: a bad config throws the ConfigError listing every problem.
 */
export async function runOffline(stack: string, overrides: ConfigOverrides = NO_OVERRIDES): Promise<OfflineRun> {
    const { values, secretKeys, config, today } = checkConfig(stack, overrides);
    const lookups: Lookup[] = [];
    const run = await runStack(stack, { config: overrides.values, secretKeys: overrides.secretKeys, call: recordingCall(lookups) });
    if (run.error) throw run.error;

    const origin = new Map<string, { reg: Registration; field: string }>();
    for (const reg of run.registrations) {
        for (const [field, value] of Object.entries(fakeCloud(reg) ?? {})) if (typeof value === "string") origin.set(value, { reg, field });
    }
    return {
        stack,
        project: PROJECT,
        today,
        config,
        values,
        secretKeys,
        run,
        urns: indexUrns(run.registrations),
        redactor: new Redactor(fakeValues(run, lookups, secretKeys)),
        origin,
    };
}

export interface OwnershipCheckOptions {
    /** The other stacks; default: every other `Pulumi.<stack>.yaml` in the repository. */
    readonly stacks?: readonly string[];
    /** How another stack is evaluated; default: the program offline, with the stack's checked-in config. */
    readonly evaluate?: (stack: string) => Promise<MockRunResult>;
}

/**
 * Refuses `planned` when it declares a physical thing that is declared again:
 * by another of its resources, or by another checked-in stack. Two stacks that
 * declare one Heroku app and config var would each remove the other's value on
 * update or delete. Throws an OwnershipError naming each thing and who
 * declares it, or a UsageError when another stack's config is invalid (what it
 * declares is then unknown).
 */
export async function checkOwnership(planned: OfflineRun, opts: OwnershipCheckOptions = {}): Promise<void> {
    const others = opts.stacks ?? stacksInRepo().filter((s) => s !== planned.stack);
    const evaluate = opts.evaluate ?? ((stack: string) => runStack(stack));
    const stacks = new Map<string, readonly Registration[]>([[planned.stack, planned.run.registrations]]);
    for (const other of others) {
        const run = await evaluate(other);
        if (run.error?.name === "ConfigError") {
            throw new UsageError(
                `Cannot check what stack ${planned.stack} declares against stack ${other}: the checked-in config of ${other} is invalid, so what it declares is unknown; \`npm run plan -- --stack ${other}\` lists its problems`,
            );
        }
        if (run.error !== undefined) throw run.error;
        stacks.set(other, run.registrations);
    }
    const problems = doubleDeclarations(stacks)
        .filter((d) => d.by.some((x) => x.stack === planned.stack))
        .map(describeDoubleDeclaration);
    if (problems.length > 0) throw new OwnershipError(problems);
}

export interface PlanResource {
    /** The URN the engine gives it (`pulumi stack --show-urns`, `--target`, `pulumi import`). */
    readonly urn: string;
    readonly type: string;
    /** The logical name, the first argument of its constructor. */
    readonly name: string;
    /** The parent's URN; null at the top of the tree. */
    readonly parent: string | null;
    /** The top-level component it belongs to, or `providers`. */
    readonly group: string;
    /** A custom resource (managed by a provider), or a component. */
    readonly custom: boolean;
    /** The URN of its explicit provider; null for the package's default provider. */
    readonly provider: string | null;
    /** What it is in the world: an IAM user's name, an SSM path, a secret's repository and name, a DNS record. */
    readonly physical: string;
    /** The rotation slot of a credential issuer, and its generation date (its replacementTrigger). */
    readonly slot: Slot | null;
    readonly generation: string | null;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    /** The `import` option's id: the resource is adopted, never created. */
    readonly importId: string | null;
    readonly ignoreChanges: readonly string[];
    /** URNs of the resources whose outputs its inputs take. */
    readonly dependsOn: readonly string[];
    /** Its inputs, printable: secrets are `[secret]`, values from other resources or lookups are named by their source. */
    readonly inputs: Readonly<Record<string, unknown>>;
}

export interface Issuer {
    readonly slot: Slot;
    readonly resource: string;
    readonly urn: string;
    readonly physical: string;
    readonly generation: string | null;
    readonly active: boolean;
}

export interface Placement {
    /** `ssm <path>`, `github secret <repo>/<NAME>`, `github secret <repo> (<environment>)/<NAME>`, `heroku <app>/<VAR>`. */
    readonly place: string;
    readonly kind: Write["kind"];
    /** The slot whose value is written there; null for a secret the stack does not issue. */
    readonly slot: Slot | null;
    readonly resource: string;
    readonly urn: string;
}

export interface SecretRow {
    /** The credential's id in config (`<id>Rotation`), or the path of an adopted secret. */
    readonly id: string;
    /** `issued` by the stack and rotated through config, or `adopted`: written by hand, never written by the stack. */
    readonly kind: "issued" | "adopted";
    readonly description: string;
    readonly issuedBy: string;
    /** The stack that declares it (this one), and whether it exists once for Raxx or once per environment. */
    readonly stack: string;
    readonly scope: "shared" | "environment";
    readonly issuers: readonly Issuer[];
    /** Every place the value is written. */
    readonly placements: readonly Placement[];
    /** Stack outputs that record something about it (never its value), for example an authorization id to revoke. */
    readonly outputs: readonly { readonly output: string; readonly what: string; readonly slot: Slot }[];
    /** Null for an adopted secret, which the stack does not rotate. */
    readonly rotation: (RotationStatus & { readonly entry: string }) | null;
    /** The checks of it: each slot's before it goes out, each place's after the write (docs/rotation.md, "Checks"). */
    readonly checks: readonly SecretCheck[];
}

export interface SecretCheck {
    /** `credential`: the slot's credential works as declared; `consumer`: the place holds what was written. */
    readonly of: "credential" | "consumer";
    /** The slot, for a credential check; the place, in the placements' words, for a consumer check. */
    readonly what: string;
    readonly resource: string;
    readonly urn: string;
    /** False when stack config verifyCredentials is false: the check is declared and records that it did not run. */
    readonly enabled: boolean;
}



export interface Plan {
    readonly version: number;
    readonly project: string;
    readonly stack: string;
    readonly environment: string;
    readonly today: string;
    readonly resources: readonly PlanResource[];
    readonly secrets: readonly SecretRow[];
}

/** The slot of an issuer: its name ends in `-a` or `-b`, and it carries a replacementTrigger. */
function slotOf(reg: Registration): Slot | null {
    if (reg.options.replacementTrigger === undefined) return null;
    return slotOfName(reg.name) ?? null;
}

/** What the plan may show of `reg`'s inputs, for its kind's description and adoption note. */
export function describeContext(reg: Registration, r: OfflineRun): DescribeContext {
    const i = (k: string) => str(reg.inputs[k]);
    return {
        input: i,
        shown: (k) => {
            const v = reg.inputs[k];
            return isSecretValue(v) ? "[secret]" : r.redactor.text(str(v));
        },
        text: (s) => r.redactor.text(s),
        sources: (v) => r.redactor.sources(v),
        githubRepository: () => {
            const provider = r.urns.registration(reg.provider.slice(0, reg.provider.lastIndexOf("::")));
            const owner = provider === undefined ? "" : str(provider.inputs.owner);
            return owner === "" ? i("repository") : `${owner}/${i("repository")}`;
        },
    };
}

/** What a registration is in the world, in words, with no value that is secret, fake or looked up. */
export function physical(reg: Registration, r: OfflineRun): string {
    const ctx = describeContext(reg, r);
    const kind = kindOf(reg.type);
    if (kind !== undefined) return kind.describe(reg, ctx);
    const i = ctx.input;
    const fromOutput = (k: string) => {
        const source = r.origin.get(str(reg.inputs[k]));
        return source === undefined ? ctx.shown(k) : physical(source.reg, r);
    };
    switch (reg.type) {
        case "pulumi:providers:aws":
            return `AWS, region ${i("region")}, only account ${list(reg.inputs.allowedAccountIds).join(", ") || "(any)"}`;
        case "pulumi:providers:github":
            return `GitHub, owner ${i("owner")}`;
        case "pulumi:providers:cloudflare":
            return "Cloudflare";
        case "aws:iam/user:User":
            return `IAM user ${i("name")}`;
        case "aws:iam/policy:Policy":
            return `IAM policy ${i("name")}`;
        case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
            return `IAM user ${i("user")} ← ${fromOutput("policyArn")}`;
        case "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy":
            return `Access policy ${i("policyName")} on application ${i("applicationId")} (${i("domain")}), admits ${((plain(reg.inputs.serviceTokenIds) as unknown[] | undefined) ?? []).length} service token(s)`;
        case "cloudflare:index/dnsRecord:DnsRecord": {
            const priority = reg.inputs.priority === undefined ? "" : ` ${i("priority")}`;
            return `DNS ${i("type")} ${i("name")}${priority} ${ctx.shown("content")}`;
        }
        case "pulumi-nodejs:dynamic/google-workspace:DomainCheck":
            return `preconditions of Workspace addresses on ${i("domain")}: a verified secondary domain, DKIM ${reg.inputs.dkimDeclared === true ? "declared" : "NOT declared (the up stops here)"}`;
        case "pulumi-nodejs:dynamic/google-workspace:Group": {
            const settings = Object.entries((plain(reg.inputs.settings) as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => `${k}=${String(v)}`);
            return `Workspace group ${i("email")} "${i("name")}": ${settings.join(", ")}`;
        }
        case "pulumi-nodejs:dynamic/google-workspace:Member":
            return `member of Workspace group ${i("group")}: ${i("email")}, ${i("role").toLowerCase()}`;
        default: {
            const credential = plain(reg.inputs.credential);
            return typeof credential === "string" ? `credential ${credential}` : "";
        }
    }
}

/** Each registration as the plan shows it, sorted by URN. */
export function planResources(r: OfflineRun): PlanResource[] {
    const groupOf = (reg: Registration): string => {
        let cur = reg;
        for (;;) {
            const parent = r.urns.registration(cur.parent);
            if (parent === undefined) return cur.type.startsWith("pulumi:providers:") ? "providers" : cur.name;
            cur = parent;
        }
    };
    return r.run.registrations
        .map((reg): PlanResource => {
            const slot = slotOf(reg);
            return {
                urn: r.urns.engineUrn(reg.urn)!,
                type: reg.type,
                name: reg.name,
                parent: r.urns.engineUrn(reg.parent) ?? null,
                group: groupOf(reg),
                custom: reg.custom,
                provider: r.urns.providerUrn(reg.provider) ?? null,
                physical: physical(reg, r),
                slot,
                generation: reg.options.replacementTrigger === undefined ? null : String(reg.options.replacementTrigger),
                protect: reg.options.protect,
                retainOnDelete: reg.options.retainOnDelete,
                deleteBeforeReplace: reg.options.deleteBeforeReplace,
                importId: reg.options.importId === "" ? null : reg.options.importId,
                ignoreChanges: reg.options.ignoreChanges,
                dependsOn: reg.options.dependsOn.map((u) => r.urns.engineUrn(u) ?? u).sort(),
                inputs: r.redactor.value(describedInputs(reg)) as Record<string, unknown>,
            };
        })
        .sort((a, b) => a.urn.localeCompare(b.urn));
}

/** Paths in the stack outputs that hold `value`, for example `herokuPlatformTokenAuthorizations.a`. */
function outputPaths(outputs: Record<string, unknown>, value: string): string[] {
    const found: string[] = [];
    const visit = (v: unknown, path: string) => {
        if (v === value) found.push(path);
        else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
        else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
    };
    for (const [k, v] of Object.entries(outputs)) visit(v, k);
    return found;
}

/** A value under two names (a Heroku authorization's `id` is its `authorizationId`) is one record, named by the specific field. */
function dedupeOutputs<T extends { output: string; what: string }>(outputs: T[]): T[] {
    const byPath = new Map<string, T>();
    for (const o of outputs) {
        const seen = byPath.get(o.output);
        if (seen === undefined || seen.what === "id") byPath.set(o.output, o);
    }
    return [...byPath.values()].sort((a, b) => a.output.localeCompare(b.output));
}

/** The secrets map: a row per credential the stack issues, and one per live secret it adopts without writing. */
export function secretsMap(r: OfflineRun): SecretRow[] {
    const byName = new Map(r.run.registrations.map((reg) => [reg.name, reg]));
    const urnOf = (name: string) => r.urns.engineUrn(byName.get(name)!.urn)!;
    const checksOf = (credential: string): SecretCheck[] =>
        r.run.registrations
            .filter((reg) => checkOf(reg.type) !== undefined && str(reg.inputs.credential) === credential)
            .map((reg): SecretCheck => {
                const of = checkOf(reg.type)!.of;
                const what = of === "credential" ? `slot ${str(reg.inputs.slot)}` : str(reg.inputs.consumer);
                return { of, what, resource: reg.name, urn: r.urns.engineUrn(reg.urn)!, enabled: plain(reg.inputs.enabled) === true };
            })
            // The slot's check first, as it runs first.
            .sort((a, b) => b.of.localeCompare(a.of) || a.what.localeCompare(b.what));
    const issued = credentialEntries(r.run).map((entry): SecretRow => {
        const rotation = r.config.rotation[entry.id as CredentialId];
        const status = rotation === undefined ? null : rotationStatus(rotation, r.today);
        const issuers = entry.issuers.map((issuer): Issuer => {
            const reg = byName.get(issuer.resource)!;
            return {
                slot: issuer.slot,
                resource: issuer.resource,
                urn: urnOf(issuer.resource),
                physical: physical(reg, r),
                generation: reg.options.replacementTrigger === undefined ? null : String(reg.options.replacementTrigger),
                active: status?.active === issuer.slot,
            };
        });
        const outputs = entry.issuers.flatMap((issuer) =>
            Object.entries(fakeCloud(byName.get(issuer.resource)!) ?? {}).flatMap(([field, value]) =>
                typeof value === "string" ? outputPaths(r.run.outputs, value).map((output) => ({ output, what: field, slot: issuer.slot })) : [],
            ),
        );
        return {
            id: entry.id,
            kind: "issued",
            description: entry.description,
            issuedBy: entry.issuedBy,
            stack: r.stack,
            scope: CREDENTIALS[entry.id].scope,
            issuers,
            placements: entry.placements.map((p) => ({ place: p.place, kind: p.kind, slot: p.slot, resource: p.resource, urn: urnOf(p.resource) })),
            outputs: dedupeOutputs(outputs),
            rotation: status === null || rotation === undefined ? null : { ...status, entry: r.values[`${r.project}:${entry.id}Rotation`] ?? "" },
            checks: checksOf(entry.id),
        };
    });
    const adopted = r.run.registrations
        .filter((reg) => reg.type === "aws:ssm/parameter:Parameter" && reg.options.importId !== "" && reg.inputs.value === undefined)
        .map((reg): SecretRow => {
            const path = str(reg.inputs.name);
            return {
                id: path,
                kind: "adopted",
                description: `live ${str(reg.inputs.type)} parameter ${path}, written by hand`,
                issuedBy: "written by hand; adopted (imported), never written, replaced or deleted by the stack",
                stack: r.stack,
                scope: r.config.shared === undefined ? "environment" : "shared",
                issuers: [],
                placements: [{ place: `ssm ${path}`, kind: "ssm", slot: null, resource: reg.name, urn: r.urns.engineUrn(reg.urn)! }],
                outputs: [],
                rotation: null,
                checks: [],
            };
        })
        .sort((a, b) => a.id.localeCompare(b.id));
    return [...issued, ...adopted];
}

export function buildPlan(r: OfflineRun): Plan {
    return {
        version: PLAN_VERSION,
        project: r.project,
        stack: r.stack,
        environment: r.config.environment,
        today: r.today,
        resources: planResources(r),
        secrets: secretsMap(r),
    };
}
