import { ConsumerKind, field, write } from "./kind";

/**
 * A Google Workspace user (providers/google-workspace): the suspended no-reply@ user, which
 * holds the password the stack issues for it. No one reads the password back; the user is
 * where it is written.
 */
export const workspaceUser: ConsumerKind<"workspace-user"> = {
    id: "workspaceUser",
    role: "consumer",
    types: ["pulumi-nodejs:dynamic/google-workspace:User"],
    words: "Google Workspace user",
    writeKind: "workspace-user",
    secretValueFields: ["password"],
    secretInputs: ["password"],
    secretOutputs: ["password"],
    fakeOutputs: (name) => ({ userId: `fake-workspace-user-id-of-${name}`, adopted: false, passwordWritten: true }),
    writes: (reg) => [write(reg, "workspace-user", `workspace user ${field(reg, "primaryEmail")}`, reg.inputs.password)],
    physicalIds: (reg) => [`google workspace address ${field(reg, "primaryEmail")}`],
    describe: (reg, ctx) =>
        `Workspace user ${ctx.input("primaryEmail")} "${ctx.input("givenName")} ${ctx.input("familyName")}"${reg.inputs.suspended === true ? ", suspended: no sign-in, no mail" : ""}`,
    adoption: {
        how: "on-create",
        note: (reg) => ({
            note: `not importable (pulumi/pulumi#16175: \`import\` does not work for Node.js dynamic providers). The provider's create adopts ${field(reg, "primaryEmail")} if it exists: it sets the name and suspends it, and never writes its password (a live value) until the slot is rotated.`,
            commands: [],
        }),
    },
};
