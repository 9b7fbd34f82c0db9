// What a kind of issuer or consumer is, once: the shape every file in this
// folder fills in, and the small readers they share. The tools (secrets map,
// inventory, fake cloud, plan, import plan) and the tests derive everything
// kind-specific from these definitions; see index.ts for the registry.
import { isSecretValue, plain } from "../offline/mocks";

/** A registration as a kind reads it. */
export interface RegistrationLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The `import` resource option's id; "" or absent when the resource is not adopted in code. */
    readonly options?: { readonly importId: string };
}

/** A place where the stack writes a value that something else reads. */
export interface KindWrite<K extends string = string> {
    /** Where, in words: `ssm /raxx/x`, `github secret raxx/NAME`, `github secret raxx (production)/NAME`, `heroku app/NAME`. */
    readonly place: string;
    readonly kind: K;
    /** The value written, unwrapped. */
    readonly value: unknown;
    /** Whether the value reaches the provider as a secret. */
    readonly secret: boolean;
    /** The logical name of the resource that writes it. */
    readonly resource: string;
}

/** What the plan may show of a registration's inputs; built by scripts/lib/plan/model.ts. */
export interface DescribeContext {
    /** An input as plain text; "" when unset. */
    input(key: string): string;
    /** An input as the plan may show it: `[secret]`, or with fake and looked-up values named by their source. */
    shown(key: string): string;
    /** Any text with fake and looked-up values named by their source. */
    text(s: string): string;
    /** Where a value comes from (`output of <resource>.<field>`, ...), for a secret the plan cannot show. */
    sources(v: unknown): string[];
    /** The repository of a GitHub resource, with its provider's owner: `raxx-app/raxx`. */
    githubRepository(): string;
}

/** How the stack takes over one that already exists (scripts/lib/plan/importPlan.ts). */
export type Adoption =
    /** `pulumi import` with the provider's documented id, and that id's format (the "Import" section of the resource in the SDK this project pins). */
    | { readonly how: "import"; importId(reg: RegistrationLike): { id: string; format: string } }
    /** Not importable; the provider's create adopts what exists. */
    | { readonly how: "on-create"; note(reg: RegistrationLike, ctx: DescribeContext): { note: string; commands: string[] } }
    /** Exists, cannot be adopted: the stack issues a successor. `handMade` is what the session log made by hand, in words. */
    | { readonly how: "successor"; readonly why: string; then(slot: string, handMade: string | undefined): string }
    /** Never made by hand: the first `pulumi up` creates it. */
    | { readonly how: "created"; readonly why: string };

interface KindBase {
    /** A file-and-registry name, camelCase: `awsAccessKey`. */
    readonly id: string;
    /** The type tokens of the resources of this kind. */
    readonly types: readonly string[];
    /** What it is, in words: "AWS IAM access key". */
    readonly words: string;
    /** Input fields that hold a secret. */
    readonly secretInputs: readonly string[];
    /** Output fields that hold a secret (what the resource declares in additionalSecretOutputs, or its provider does). */
    readonly secretOutputs: readonly string[];
    /** What the fake cloud returns for a resource of this kind named `name`: distinct, recognisable values. */
    fakeOutputs(name: string, inputs: Record<string, unknown>): Record<string, unknown>;
    /** Every physical identity it claims, so two declarations of one thing compare equal. */
    physicalIds(reg: RegistrationLike): string[];
    /** What it is in the world, for the plan, with no value that is secret, fake or looked up. */
    describe(reg: RegistrationLike, ctx: DescribeContext): string;
    readonly adoption: Adoption;
}

/** Something that issues a credential: its outputs are the credential. */
export interface IssuerKind extends KindBase {
    readonly role: "issuer";
}

/** A place a credential is written. */
export interface ConsumerKind<K extends string = string> extends KindBase {
    readonly role: "consumer";
    /** The `kind` of its writes. */
    readonly writeKind: K;
    /** Input fields that carry the value written and that the place keeps secret (the policy pack's SECRET_VALUE_FIELDS). */
    readonly secretValueFields: readonly string[];
    /** Every value it writes for a consumer to read. */
    writes(reg: RegistrationLike): KindWrite<K>[];
}

/**
 * A check the stack declares (providers/verify): of an issued credential before any consumer
 * gets it, or of a place after the stack wrote it. It holds the value it checks, as a secret.
 */
export interface CheckKind extends KindBase {
    readonly role: "check";
    /** `credential`: one slot of an issuer kind; `consumer`: one place of a consumer kind. */
    readonly of: "credential" | "consumer";
    /** The ids of the kinds it knows how to check (its `kind` input takes one). */
    readonly checks: readonly string[];
}

export type Kind = IssuerKind | ConsumerKind | CheckKind;

/** A value as text, unwrapped; a non-string is JSON. */
export function json(v: unknown): string {
    const p = plain(v);
    return typeof p === "string" ? p : JSON.stringify(p);
}

/** A value as the plan prints it, unwrapped: "" when unset, a non-string as JSON. */
export function text(v: unknown): string {
    const p = plain(v);
    return typeof p === "string" ? p : p === undefined ? "" : JSON.stringify(p);
}

/** An input as text; a non-string is JSON. */
export function field(reg: RegistrationLike, name: string): string {
    return json(reg.inputs[name]);
}

/** An input that is an object, unwrapped; {} otherwise. */
export function record(reg: RegistrationLike, name: string): Record<string, unknown> {
    const v = plain(reg.inputs[name]);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

/** A list input; provider inputs arrive JSON-encoded, as the engine passes provider config. */
export function list(v: unknown): string[] {
    let p = plain(v);
    if (typeof p === "string") {
        try {
            p = JSON.parse(p);
        } catch {
            return [p as string];
        }
    }
    return Array.isArray(p) ? p.map(String) : [];
}

/** One write of `raw` (secret or not, as it arrives) by `reg`. */
export function write<K extends string>(reg: RegistrationLike, kind: K, place: string, raw: unknown, secret = isSecretValue(raw)): KindWrite<K> {
    return { kind, place, value: plain(raw), secret, resource: reg.name };
}
