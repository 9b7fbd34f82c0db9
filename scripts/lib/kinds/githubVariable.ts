import { githubKind } from "./github";

/** Stored and shown in plain text: the policy pack keeps credentials out of it. */
export const githubVariable = githubKind({
    id: "githubVariable",
    noun: "variable",
    types: ["github:index/actionsVariable:ActionsVariable", "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable"],
    writeKind: "github-variable",
    secretValueFields: [],
    secretOutputs: [],
});
