// GitHub Actions secrets and variables: a repository's or an environment's,
// one kind each for both. Not a kind itself: githubSecret.ts and
// githubVariable.ts are.
import { ConsumerKind, RegistrationLike, field, write } from "./kind";

/** An environment name as GitHub import ids write it: ":" escaped as "??". */
export function githubEnvironment(env: string): string {
    return env.split(":").join("??");
}

function place(reg: RegistrationLike, nameField: string): string {
    const env = reg.inputs.environment === undefined ? "" : ` (${field(reg, "environment")})`;
    return `${field(reg, "repository")}${env}/${field(reg, nameField)}`;
}

export interface GithubKindArgs<K extends string> {
    readonly id: string;
    readonly noun: "secret" | "variable";
    /** The repository's type token, then the environment's. */
    readonly types: readonly [string, string];
    readonly writeKind: K;
    readonly secretValueFields: readonly string[];
    readonly secretOutputs: readonly string[];
}

export function githubKind<K extends string>(a: GithubKindArgs<K>): ConsumerKind<K> {
    const nameField = `${a.noun}Name`;
    const [, environmentType] = a.types;
    const where = (reg: RegistrationLike) => `github ${a.noun} ${place(reg, nameField)}`;
    return {
        id: a.id,
        role: "consumer",
        types: a.types,
        words: `GitHub Actions ${a.noun}`,
        writeKind: a.writeKind,
        secretValueFields: a.secretValueFields,
        secretInputs: a.secretValueFields,
        secretOutputs: a.secretOutputs,
        fakeOutputs: () => ({}),
        writes: (reg) => [write(reg, a.writeKind, where(reg), reg.inputs.value)],
        physicalIds: (reg) => [where(reg)],
        describe: (reg, ctx) => {
            const env = reg.type === environmentType ? ` environment ${ctx.input("environment")}:` : "";
            const value = a.noun === "variable" ? ` = ${ctx.shown("value")}` : "";
            return `GitHub ${a.noun} ${ctx.githubRepository()}${env} ${ctx.input(nameField)}${value}`;
        },
        adoption: {
            how: "import",
            importId: (reg) =>
                reg.type === environmentType
                    ? {
                          id: `${field(reg, "repository")}:${githubEnvironment(field(reg, "environment"))}:${field(reg, nameField)}`,
                          format: `<repository>:<environment>:<${a.noun} name>`,
                      }
                    : { id: `${field(reg, "repository")}:${field(reg, nameField)}`, format: `<repository>:<${a.noun} name>` },
        },
    };
}
