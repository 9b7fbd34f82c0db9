import { IssuerKind } from "./kind";
import { successorThen } from "./successor";

export const awsAccessKey: IssuerKind = {
    id: "awsAccessKey",
    role: "issuer",
    types: ["aws:iam/accessKey:AccessKey"],
    words: "AWS IAM access key",
    secretInputs: [],
    secretOutputs: ["secret", "sesSmtpPasswordV4"],
    fakeOutputs: (name) => ({ id: `fake-access-key-id-of-${name}`, secret: `fake-secret-access-key-of-${name}` }),
    physicalIds: () => [],
    describe: (_reg, ctx) => `access key of IAM user ${ctx.input("user")}`,
    adoption: {
        how: "successor",
        why: "An access key's secret is readable only when it is created, so a hand-made key cannot be adopted with its secret.",
        then: successorThen,
    },
};
