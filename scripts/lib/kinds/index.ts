// The registry of issuer and consumer kinds: one file per kind in this folder,
// collected here. Adding a kind is a new file, a line in KINDS, and its tests
// (tests/kinds.test.ts refuses a kind without an exact expectation).
import { accessServiceToken } from "./accessServiceToken";
import { awsAccessKey } from "./awsAccessKey";
import { consumerCheck, credentialCheck } from "./checks";
import { cloudflareApiToken } from "./cloudflareApiToken";
import { githubSecret } from "./githubSecret";
import { githubVariable } from "./githubVariable";
import { herokuAuthorization } from "./herokuAuthorization";
import { herokuConfigVars } from "./herokuConfigVars";
import { infisicalSecret } from "./infisicalSecret";
import { CheckKind, ConsumerKind, IssuerKind, Kind } from "./kind";
import { randomBytes } from "./randomBytes";
import { randomPassword } from "./randomPassword";
import { ssmParameter } from "./ssmParameter";
import { workspaceUser } from "./workspaceUser";

export type { Adoption, CheckKind, ConsumerKind, DescribeContext, IssuerKind, Kind, KindWrite, RegistrationLike } from "./kind";

export const ISSUERS = [awsAccessKey, herokuAuthorization, cloudflareApiToken, randomBytes, accessServiceToken, randomPassword] as const satisfies readonly IssuerKind[];
export const CONSUMERS = [ssmParameter, githubSecret, githubVariable, herokuConfigVars, infisicalSecret, workspaceUser] as const;
export const CHECKS = [credentialCheck, consumerCheck] as const satisfies readonly CheckKind[];

/** Every kind: issuers, consumers, then checks. */
export const KINDS: readonly Kind[] = [...ISSUERS, ...CONSUMERS, ...CHECKS];

/** What a consumer's write is: `ssm`, `github-secret`, ... */
export type WriteKind = (typeof CONSUMERS)[number]["writeKind"];

const BY_TYPE: ReadonlyMap<string, Kind> = new Map(KINDS.flatMap((k) => k.types.map((t) => [t, k] as const)));

/** The kind of a type token; undefined for a resource that neither issues nor holds a credential. */
export function kindOf(type: string): Kind | undefined {
    return BY_TYPE.get(type);
}

export function issuerOf(type: string): IssuerKind | undefined {
    const k = BY_TYPE.get(type);
    return k?.role === "issuer" ? k : undefined;
}

export function checkOf(type: string): CheckKind | undefined {
    const k = BY_TYPE.get(type);
    return k?.role === "check" ? k : undefined;
}

export function consumerOf(type: string): ConsumerKind<WriteKind> | undefined {
    const k = BY_TYPE.get(type);
    return k?.role === "consumer" ? (k as ConsumerKind<WriteKind>) : undefined;
}
