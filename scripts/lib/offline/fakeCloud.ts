// What the clouds would return for each resource and lookup: distinct,
// recognisable fake values, so a test can tell which credential reached which
// consumer. Every fake credential contains "fake-" or is derived from its
// resource's name, so no two are equal.
import * as pulumi from "@pulumi/pulumi";
import { kindOf } from "../kinds";
import { FAKE_ACCOUNT } from "../kinds/fake";
import { FakeOutputs } from "./mocks";

export { FAKE_HEROKU_OWNER, fakeRandomHex } from "../kinds/fake";
export const FAKE_CLOUDFLARE_ACCOUNT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const FAKE_BILLING_READ_GROUP_ID = "b111ee7ead0000000000000000000001";

function str(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** The issuer and consumer kinds' fake outputs (scripts/lib/kinds), and the IAM users' and policies' ARNs. */
export const fakeCloud: FakeOutputs = ({ type, name, inputs }) => {
    const kind = kindOf(type);
    if (kind !== undefined) return kind.fakeOutputs(name, inputs);
    switch (type) {
        case "aws:iam/user:User":
            return { arn: `arn:aws:iam::${FAKE_ACCOUNT}:user/${str(inputs.name)}` };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::${FAKE_ACCOUNT}:policy/${str(inputs.name)}` };
        default:
            return undefined;
    }
};

/** Some of Cloudflare's permission groups, as GET /user/tokens/permission_groups lists them. */
const PERMISSION_GROUPS = [
    { id: FAKE_BILLING_READ_GROUP_ID, name: "Billing Read", scopes: ["com.cloudflare.api.account"], category: "account_and_billing", isSelectable: true },
    { id: "b111ee7ead0000000000000000000002", name: "Billing Write", scopes: ["com.cloudflare.api.account"], category: "account_and_billing", isSelectable: true },
    { id: "d115ead0000000000000000000000001", name: "DNS Read", scopes: ["com.cloudflare.api.account.zone"], category: "dns_and_zones", isSelectable: true },
] as const;

/** Go's url.QueryEscape: what encodeURIComponent escapes, and !'()* too; a space is "+". */
function goQueryEscape(s: string): string {
    return encodeURIComponent(s)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, "+");
}

/**
 * The query string the Cloudflare provider sends for a
 * getApiTokenPermissionGroupsList invoke. The data source copies `name` and
 * `scope` as they are into cloudflare-go's TokenPermissionGroupListParams,
 * whose URLQuery() goes through url.Values.Encode(): sorted keys, each value
 * escaped once. So "Billing Read" goes out as `name=Billing+Read`, and a name
 * the program encoded itself is encoded twice (`Billing%2520Read`).
 */
export function permissionGroupsQuery(inputs: Record<string, unknown>): string {
    return ["name", "scope"]
        .filter((k) => typeof inputs[k] === "string")
        .map((k) => `${k}=${goQueryEscape(inputs[k] as string)}`)
        .join("&");
}

/** What Cloudflare answers to GET /user/tokens/permission_groups?<query>: it decodes the query once and filters by exact name and scope. */
export function listPermissionGroups(query: string): (typeof PERMISSION_GROUPS)[number][] {
    const params = new URLSearchParams(query);
    const name = params.get("name");
    const scope = params.get("scope");
    return PERMISSION_GROUPS.filter((g) => (name === null || g.name === name) && (scope === null || (g.scopes as readonly string[]).includes(scope)));
}

/** Answers to the lookups the program makes. */
export function fakeInvokes(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined {
    switch (args.token) {
        case "cloudflare:index/getZone:getZone":
            return { id: args.inputs.zoneId, zoneId: args.inputs.zoneId, name: "raxx.app", account: { id: FAKE_CLOUDFLARE_ACCOUNT_ID, name: "Raxx" } };
        case "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList":
            return { results: listPermissionGroups(permissionGroupsQuery(args.inputs)) };
        default:
            return undefined;
    }
}
