import { ConsumerKind, RegistrationLike, field, write } from "./kind";

/** `<path>/<key>`, with one slash whatever the path ends in: `/KEY` at the root. */
function secretPath(reg: RegistrationLike): string {
    return `${field(reg, "path").replace(/\/+$/, "")}/${field(reg, "key")}`;
}

/**
 * A secret in the Infisical vault (providers/infisical): one key at a project,
 * environment and path. `access` is the Cloudflare Access service token the
 * provider presents to reach the vault, not a value it writes.
 */
export const infisicalSecret: ConsumerKind<"vault-secret"> = {
    id: "infisicalSecret",
    role: "consumer",
    types: ["pulumi-nodejs:dynamic/infisical:Secret"],
    words: "Infisical secret",
    writeKind: "vault-secret",
    secretValueFields: ["value", "access"],
    secretInputs: ["value", "access"],
    secretOutputs: ["value", "access"],
    fakeOutputs: (name) => ({ secretId: `fake-infisical-secret-id-of-${name}` }),
    writes: (reg) => [write(reg, "vault-secret", `vault ${field(reg, "environment")} ${secretPath(reg)}`, reg.inputs.value)],
    physicalIds: (reg) => [`infisical secret ${field(reg, "projectId")} ${field(reg, "environment")} ${secretPath(reg)}`],
    describe: (reg, ctx) => `Infisical secret ${ctx.input("environment")} ${secretPath(reg)} (project ${ctx.input("projectId")})`,
    adoption: {
        how: "on-create",
        note: (reg) => ({
            note: `not importable (pulumi/pulumi#16175: \`import\` does not work for Node.js dynamic providers). The provider's create adopts ${secretPath(reg)} in environment ${field(reg, "environment")} of project ${field(reg, "projectId")} if it exists, and writes the stack's value there.`,
            commands: [],
        }),
    },
};
