// What the clouds would return for each resource: distinct, recognisable fake
// values, so a test can tell which credential reached which consumer.
import { FakeOutputs } from "./mocks";

const ACCOUNT = "521228113048";

function str(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

export const fakeCloud: FakeOutputs = ({ type, name, inputs }) => {
    switch (type) {
        case "aws:iam/user:User":
            return { arn: `arn:aws:iam::${ACCOUNT}:user/${str(inputs.name)}` };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::${ACCOUNT}:policy/${str(inputs.name)}` };
        case "aws:iam/accessKey:AccessKey":
            return { id: `fake-access-key-id-of-${name}`, secret: `fake-secret-access-key-of-${name}` };
        case "aws:ssm/parameter:Parameter":
            return { arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${str(inputs.name)}` };
        default:
            return undefined;
    }
};
