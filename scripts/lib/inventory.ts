// What a registration means physically: the named thing it manages (so two
// declarations of one thing compare equal, within a stack or across stacks),
// and the places where it writes a value a consumer reads.
import { isSecretValue as isSecretInput, plain as plainInput } from "./offline/mocks";

export interface RegistrationLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

function field(reg: RegistrationLike, name: string): string {
    const v = plainInput(reg.inputs[name]);
    return typeof v === "string" ? v : JSON.stringify(v);
}

function record(reg: RegistrationLike, name: string): Record<string, unknown> {
    const v = plainInput(reg.inputs[name]);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

/** A place where the stack writes a value that something else reads. */
export interface Write {
    /** Where, in words: `ssm /raxx/x`, `github secret raxx/NAME`, `github secret raxx (production)/NAME`, `heroku app/NAME`. */
    readonly place: string;
    readonly kind: "ssm" | "github-secret" | "github-variable" | "heroku-config-var";
    /** The value written, unwrapped. */
    readonly value: unknown;
    /** Whether the value reaches the provider as a secret. */
    readonly secret: boolean;
    /** The logical name of the resource that writes it. */
    readonly resource: string;
}

function githubPlace(reg: RegistrationLike, nameField: string): string {
    const env = reg.inputs.environment === undefined ? "" : ` (${field(reg, "environment")})`;
    return `${field(reg, "repository")}${env}/${field(reg, nameField)}`;
}

/** Every value a registration writes for a consumer to read. */
export function writes(reg: RegistrationLike): Write[] {
    const one = (kind: Write["kind"], place: string, raw: unknown): Write[] => [
        { kind, place, value: plainInput(raw), secret: isSecretInput(raw), resource: reg.name },
    ];
    switch (reg.type) {
        case "aws:ssm/parameter:Parameter":
            // An adopted parameter is declared without a value: the stack writes nothing there.
            return reg.inputs.value === undefined ? [] : one("ssm", `ssm ${field(reg, "name")}`, reg.inputs.value);
        case "github:index/actionsSecret:ActionsSecret":
        case "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret":
            return one("github-secret", `github secret ${githubPlace(reg, "secretName")}`, reg.inputs.value);
        case "github:index/actionsVariable:ActionsVariable":
        case "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable":
            return one("github-variable", `github variable ${githubPlace(reg, "variableName")}`, reg.inputs.value);
        case "pulumi-nodejs:dynamic/heroku:ConfigVars": {
            const app = field(reg, "app");
            const secretVars = reg.inputs.secretVars;
            const out: Write[] = [];
            for (const [key, value] of Object.entries(record(reg, "vars"))) {
                out.push({ kind: "heroku-config-var", place: `heroku ${app}/${key}`, value: plainInput(value), secret: isSecretInput(value), resource: reg.name });
            }
            for (const [key, value] of Object.entries(record(reg, "secretVars"))) {
                out.push({
                    kind: "heroku-config-var",
                    place: `heroku ${app}/${key}`,
                    value: plainInput(value),
                    secret: isSecretInput(secretVars) || isSecretInput(value),
                    resource: reg.name,
                });
            }
            return out;
        }
        default:
            return [];
    }
}

/** Every physical identity a registration claims; empty for resources without a name of their own. */
export function physicalIds(reg: RegistrationLike): string[] {
    switch (reg.type) {
        case "aws:iam/user:User":
            return [`aws iam user ${field(reg, "name")}`];
        case "aws:iam/policy:Policy":
            return [`aws iam policy ${field(reg, "name")}`];
        case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
            return [`aws iam attachment ${field(reg, "user")} ${field(reg, "policyArn")}`];
        case "aws:ssm/parameter:Parameter":
            return [`aws ssm parameter ${field(reg, "name")}`];
        case "cloudflare:index/dnsRecord:DnsRecord":
            return [`cloudflare dns ${field(reg, "zoneId")} ${field(reg, "type")} ${field(reg, "name")} ${field(reg, "content")}`];
        case "github:index/actionsSecret:ActionsSecret":
        case "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret":
            return [`github secret ${githubPlace(reg, "secretName")}`];
        case "github:index/actionsVariable:ActionsVariable":
        case "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable":
            return [`github variable ${githubPlace(reg, "variableName")}`];
        case "pulumi-nodejs:dynamic/heroku:ConfigVars":
            return writes(reg).map((w) => w.place.replace(/^heroku /, "heroku config var "));
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
    const heroku = /^heroku config var ([^/]+)\/(.+)$/.exec(d.id);
    const what = heroku === null ? d.id : `Heroku app ${heroku[1]}, config var ${heroku[2]}`;
    const who = d.by.map((x) => `stack ${x.stack} (resource ${x.resource})`);
    const list = who.length === 2 ? who.join(" and ") : `${who.slice(0, -1).join(", ")} and ${who[who.length - 1]}`;
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
