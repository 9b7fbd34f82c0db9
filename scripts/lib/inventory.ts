// The physical thing a registration manages, named so that two declarations of
// the same thing (in one stack or across stacks) compare equal. Resources with
// no name of their own (access keys, tokens, random values) have none.

import * as pulumi from "@pulumi/pulumi";

export interface RegistrationLike {
    readonly type: string;
    readonly inputs: Record<string, unknown>;
}

/** The value behind a secret-wrapped input, as the engine receives secrets. */
function plainValue(v: unknown): unknown {
    if (typeof v === "object" && v !== null && (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
        return (v as { value: unknown }).value;
    }
    return v;
}

function field(reg: RegistrationLike, name: string): string {
    const v = plainValue(reg.inputs[name]);
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** Every physical identity a registration claims; empty for resources without one. */
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
        default:
            return [];
    }
}
