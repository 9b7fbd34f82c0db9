// What a registration means physically: the named thing it manages (so two
// declarations of one thing compare equal, within a stack or across stacks),
// and the places where it writes a value a consumer reads.
import { KindWrite, RegistrationLike, WriteKind, consumerOf, kindOf } from "./kinds";
import { field } from "./kinds/kind";

export type { RegistrationLike } from "./kinds";

/** A place where the stack writes a value that something else reads; its kind is a consumer kind's (scripts/lib/kinds). */
export type Write = KindWrite<WriteKind>;

/** Every value a registration writes for a consumer to read. */
export function writes(reg: RegistrationLike): Write[] {
    return consumerOf(reg.type)?.writes(reg) ?? [];
}

/** Every physical identity a registration claims; empty for resources without a name of their own. */
export function physicalIds(reg: RegistrationLike): string[] {
    const kind = kindOf(reg.type);
    if (kind !== undefined) return kind.physicalIds(reg);
    switch (reg.type) {
        case "aws:iam/user:User":
            return [`aws iam user ${field(reg, "name")}`];
        case "aws:iam/policy:Policy":
            return [`aws iam policy ${field(reg, "name")}`];
        case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
            return [`aws iam attachment ${field(reg, "user")} ${field(reg, "policyArn")}`];
        case "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy":
            return [`cloudflare access policy ${field(reg, "applicationId")} ${field(reg, "policyName")}`];
        case "cloudflare:index/dnsRecord:DnsRecord":
            return [`cloudflare dns ${field(reg, "zoneId")} ${field(reg, "type")} ${field(reg, "name")} ${field(reg, "content")}`];
        // A group and a user cannot share an address: both claim it.
        case "pulumi-nodejs:dynamic/google-workspace:Group":
            return [`google workspace address ${field(reg, "email")}`];
        case "pulumi-nodejs:dynamic/google-workspace:Member":
            return [`google workspace member ${field(reg, "group")} ${field(reg, "email")}`];
        default:
            return [];
    }
}

/** One declaration of a physical thing: the stack, and the logical name of its resource there. */
export interface Declaration {
    readonly stack: string;
    readonly resource: string;
}

/** A physical thing declared more than once, within one stack or across stacks. */
export interface DoubleDeclaration {
    /** As `physicalIds` gives it, for example `heroku config var raxx-console-staging/HEROKU_API_KEY`. */
    readonly id: string;
    readonly by: readonly Declaration[];
}

/**
 * Every physical thing that `stacks` (each stack's name and registrations)
 * declare more than once, sorted by id. Two stacks that declare one Heroku app
 * and config var would each remove the other's value on update or delete.
 */
export function doubleDeclarations(stacks: ReadonlyMap<string, readonly RegistrationLike[]>): DoubleDeclaration[] {
    const by = new Map<string, Declaration[]>();
    for (const [stack, registrations] of stacks) {
        for (const reg of registrations) {
            for (const id of physicalIds(reg)) by.set(id, [...(by.get(id) ?? []), { stack, resource: reg.name }]);
        }
    }
    return [...by]
        .filter(([, declarations]) => declarations.length > 1)
        .map(([id, declarations]) => ({ id, by: declarations }))
        .sort((a, b) => a.id.localeCompare(b.id));
}

/** A double declaration as a problem: the thing (for a Heroku config var, its app and key), and every stack and resource that declares it. */
export function describeDoubleDeclaration(d: DoubleDeclaration): string {
    const heroku = /^heroku config var ([^/]+)\/(.+)/.exec(d.id);
    const what = heroku === null ? d.id : `Heroku app ${heroku[1]}, config var ${heroku[2]}`;
    const who = d.by.map((x) => `stack ${x.stack} (resource ${x.resource})`);
    const list = `${who.slice(0, -1).join(", ")} and ${who[who.length - 1]}`;
    return `${what}: declared by ${list}; each would overwrite or remove the other's on update or delete, so declare it in one stack only`;
}

/** Physical things declared more than once; `problems` describes each. */
export class OwnershipError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Declared twice (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n") +
                '\nEvery physical thing belongs to exactly one stack and one resource; see "Stacks and who owns what" in README.md.',
        );
        this.name = "OwnershipError";
    }
}
