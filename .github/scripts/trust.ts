// Who can run what, with which credential, after whose approval: the GitHub
// environments the workflows run in, defined once. docs/operations.md ("Trust
// boundaries") sets them up from this table, and tests/workflows.test.ts holds
// every workflow to it (tests/harness/workflowAudit.ts).
import { STACKS } from "../../scripts/lib/offline/stack";

export interface EnvironmentRule {
    /** The environment's name in the repository's settings. */
    readonly name: string;
    readonly stack: string;
    /** Required reviewers approve each run before it gets the environment's secrets and OIDC token. */
    readonly reviewers: boolean;
    /** The deployment branch rule: the default branch only, or any branch (a pull request's head). */
    readonly branches: "default branch only" | "any";
    readonly credentials: "deploy" | "read-only";
    /** The jobs that run in it. */
    readonly usedBy: string;
}

/** The three environments of each stack. */
export function stackEnvironments(stack: string): EnvironmentRule[] {
    return [
        { name: stack, stack, reviewers: true, branches: "default branch only", credentials: "deploy", usedBy: "apply.yml `pulumi up`" },
        {
            name: `${stack}-preview`,
            stack,
            reviewers: true,
            branches: "any",
            credentials: "read-only",
            usedBy: "preview.yml: the credentialed preview of a pull request",
        },
        {
            name: `${stack}-read`,
            stack,
            reviewers: false,
            branches: "default branch only",
            credentials: "read-only",
            usedBy: "drift.yml, and apply.yml's preview for the approver",
        },
    ];
}

export const ENVIRONMENTS: readonly EnvironmentRule[] = STACKS.flatMap(stackEnvironments);

/** The AWS role trust policy's `sub` condition for an environment of `repository` (`owner/name`). */
export function oidcSubject(repository: string, environment: string): string {
    return `repo:${repository}:environment:${environment}`;
}
