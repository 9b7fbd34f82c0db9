import { githubKind } from "./github";

export const githubSecret = githubKind({
    id: "githubSecret",
    noun: "secret",
    types: ["github:index/actionsSecret:ActionsSecret", "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"],
    writeKind: "github-secret",
    secretValueFields: ["value", "plaintextValue"],
    secretOutputs: ["value", "plaintextValue", "encryptedValue"],
});
