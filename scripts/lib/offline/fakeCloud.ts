// What the clouds would return for each resource and lookup: distinct,
// recognisable fake values, so a test can tell which credential reached which
// consumer. Every fake credential contains "fake-" or is derived from its
// resource's name, so no two are equal.
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { FakeOutputs } from "./mocks";

const ACCOUNT = "521228113048";
export const FAKE_CLOUDFLARE_ACCOUNT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const FAKE_BILLING_READ_GROUP_ID = "b111ee7ead0000000000000000000001";
/** The Heroku account the Heroku resources record as their owner (`ownerId`, `ownerEmail`). */
export const FAKE_HEROKU_OWNER = { ownerId: "fake-heroku-account-id", ownerEmail: "fake-heroku-account@raxx.app" };

function str(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** The 32 bytes a fake RandomBytes named `name` returns, as lowercase hex. */
export function fakeRandomHex(name: string): string {
    return crypto.createHash("sha256").update(`fake-random-bytes-of-${name}`).digest("hex");
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
        case "pulumi-nodejs:dynamic/heroku:Authorization":
            return {
                id: `fake-authorization-id-of-${name}`,
                authorizationId: `fake-authorization-id-of-${name}`,
                token: `fake-heroku-token-of-${name}`,
                ...FAKE_HEROKU_OWNER,
            };
        case "pulumi-nodejs:dynamic/heroku:ConfigVars":
            return { instance: `fake-instance-of-${name}`, ...FAKE_HEROKU_OWNER };
        case "random:index/randomBytes:RandomBytes": {
            const hex = fakeRandomHex(name);
            return { hex, base64: Buffer.from(hex, "hex").toString("base64") };
        }
        case "cloudflare:index/apiToken:ApiToken":
            return { id: `fake-token-id-of-${name}`, value: `fake-cloudflare-token-of-${name}` };
        default:
            return undefined;
    }
};

/** Answers to the lookups the program makes. */
export function fakeInvokes(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined {
    switch (args.token) {
        case "cloudflare:index/getZone:getZone":
            return { id: args.inputs.zoneId, zoneId: args.inputs.zoneId, name: "raxx.app", account: { id: FAKE_CLOUDFLARE_ACCOUNT_ID, name: "Raxx" } };
        case "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList":
            if (args.inputs.name !== "Billing%20Read" || args.inputs.scope !== "com.cloudflare.api.account") return undefined;
            return {
                results: [
                    { id: FAKE_BILLING_READ_GROUP_ID, name: "Billing Read", scopes: ["com.cloudflare.api.account"], category: "account_and_billing", isSelectable: true },
                ],
            };
        default:
            return undefined;
    }
}
