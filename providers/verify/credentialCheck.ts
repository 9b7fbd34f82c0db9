// A credential's check before any consumer gets it, as a Pulumi dynamic resource.
//
//   check   → local validation only
//   diff    → any change of the credential, what it should be, or the switch: an update
//   create  → the kind's check of the new credential
//   update  → the same; and when the slot's credential changed, that the old one is revoked
//   read    → nothing remote: a check has nothing to read back
//   delete  → nothing remote
//
// Consumers take the credential through the check's outputs (see components/verification.ts),
// so the engine writes no consumer until the check has passed, and a failed check ends the
// `up` with every consumer still holding the previous credential.
import * as pulumi from "@pulumi/pulumi";

import { UNKNOWN } from "../http";
import { confirmAccessKeysGone, verifyAccessKey } from "./aws";
import { CheckInputs, CheckOutputs, CheckProvider, switchAndLimitFailures } from "./base";
import { CheckContext, checkFailed } from "./check";
import * as cf from "./cloudflare";
import * as heroku from "./heroku";
import { BundledResource } from "../bundle";

/** What a check knows how to check, by the issuer kind's id (scripts/lib/kinds). */
export const CREDENTIAL_CHECK_KINDS = ["herokuAuthorization", "awsAccessKey", "cloudflareApiToken", "accessServiceToken", "randomBytes", "randomPassword"] as const;
export type CredentialCheckKind = (typeof CREDENTIAL_CHECK_KINDS)[number];

/** Seconds a check may take, retries included. IAM keys take longest to be known everywhere. */
export const DEFAULT_TIMEOUT_SECONDS: Readonly<Record<CredentialCheckKind, number>> = {
    herokuAuthorization: 30,
    awsAccessKey: 60,
    cloudflareApiToken: 30,
    accessServiceToken: 60,
    randomBytes: 1,
    randomPassword: 1,
};

export interface CredentialCheckInputs extends CheckInputs {
    /** The credential's id in stack config, e.g. `herokuPlatformToken`. */
    readonly credential: string;
    readonly slot: string;
    readonly kind: CredentialCheckKind;
    /** The credential itself, secret: `token`; `accessKeyId` and `secretAccessKey`; `clientId` and `clientSecret`; `hex`; or `password`. */
    readonly value: Record<string, string>;
    /** What it should be, from the issuer's outputs; see each kind below. */
    readonly expect: Record<string, unknown>;
}

export interface CredentialCheckOutputs extends CredentialCheckInputs, CheckOutputs {
    /** What was confirmed of the slot's previous credential, when this update replaced it. */
    readonly revocation?: string;
}

/** The value fields each kind needs, and what `expect` holds. */
const VALUE_FIELDS: Readonly<Record<CredentialCheckKind, readonly string[]>> = {
    herokuAuthorization: ["token"],
    awsAccessKey: ["accessKeyId", "secretAccessKey"],
    cloudflareApiToken: ["token"],
    accessServiceToken: ["clientId", "clientSecret"],
    randomBytes: ["hex"],
    randomPassword: ["password"],
};

export const SKIPPED = "skipped: stack config verifyCredentials is false (break-glass), so this credential went out unchecked";

/** CRUD for `pulumi-nodejs:dynamic/verify:CredentialCheck`. Exported for tests; use `CredentialCheck`. */
export class CredentialCheckProvider extends CheckProvider<CredentialCheckInputs, CredentialCheckOutputs> {
    async check(_olds: CredentialCheckInputs, news: CredentialCheckInputs): Promise<pulumi.dynamic.CheckResult<CredentialCheckInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        if (typeof raw.credential !== "string" || raw.credential === "") failures.push({ property: "credential", reason: 'credential must name the credential, e.g. "herokuPlatformToken"' });
        if (raw.slot !== "a" && raw.slot !== "b" && raw.slot !== UNKNOWN) failures.push({ property: "slot", reason: 'slot must be "a" or "b"' });
        if (!(CREDENTIAL_CHECK_KINDS as readonly unknown[]).includes(raw.kind)) {
            failures.push({ property: "kind", reason: `kind must be one of ${CREDENTIAL_CHECK_KINDS.join(", ")}, e.g. "awsAccessKey"` });
        }
        failures.push(...switchAndLimitFailures(raw, 60));
        return { inputs: news, failures };
    }

    protected checkedFields() {
        return ["credential", "slot", "kind", "enabled", "timeoutSeconds", "value", "expect"] as const;
    }

    protected idOf(inputs: CredentialCheckInputs): string {
        return `${inputs.credential}/${inputs.slot}`;
    }

    protected async run(news: CredentialCheckInputs, olds: CredentialCheckOutputs | undefined): Promise<CredentialCheckOutputs> {
        const checkedAt = new Date().toISOString();
        if (!news.enabled) return { ...news, checkedAt, result: SKIPPED };
        const subject = `${news.credential} slot ${news.slot}`;
        // An access key id is no secret (IAM lists it), and a message that names the key is the useful one.
        const secretOf = (v: Record<string, string> | undefined) => Object.entries(v ?? {}).filter(([k]) => k !== "accessKeyId").map(([, s]) => s);
        const secrets = [...secretOf(news.value), ...secretOf(olds?.value)].filter((s) => typeof s === "string");
        const ctx = (check: string): CheckContext => ({ subject, check, deadlineMs: news.timeoutSeconds * 1000, secrets });
        for (const field of VALUE_FIELDS[news.kind]) {
            if (typeof news.value?.[field] !== "string" || news.value[field] === "") {
                throw checkFailed(ctx("reading the credential"), `the issuer gave no ${field}`, "An adopted credential whose value is not in state cannot be checked: rotate the slot, or set verifyCredentials to false for one break-glass up.");
            }
        }
        const result = await this.verify(news, ctx);
        const replaced = olds !== undefined && olds.kind === news.kind && JSON.stringify(olds.value) !== JSON.stringify(news.value);
        const revocation = replaced ? await this.confirmRevoked(olds, news, ctx) : undefined;
        return { ...news, checkedAt, result: `passed: ${result}`, ...(revocation === undefined ? {} : { revocation }) };
    }

    /** Checks the new credential; answers what it proved, in words. */
    private async verify(news: CredentialCheckInputs, ctx: (check: string) => CheckContext): Promise<string> {
        const v = news.value;
        const e = news.expect;
        switch (news.kind) {
            case "herokuAuthorization": {
                // Stryker disable next-line StringLiteral: the token's source is named only in the client's error message; the check words its failure from the error's summary, which never names it
                const settings = heroku.settingsWithToken(v.token, this.configured.herokuApiUrl, this.httpOptions, `the new token of ${news.credential} slot ${news.slot}`);
                const accountId = typeof e.accountId === "string" && e.accountId !== "" ? e.accountId : undefined;
                const expect = { accountId, authorizationId: String(e.authorizationId), scope: (e.scope as string[]) ?? [] };
                const { account } = await heroku.verifyHerokuToken(ctx("GET /account with the new token"), settings, expect);
                return `GET /account with the new token answered ${account}; its scope is ${expect.scope.join(" ")}`;
            }
            case "awsAccessKey": {
                const { arn } = await verifyAccessKey(ctx("STS GetCallerIdentity with the new key"), {
                    region: String(e.region),
                    accessKeyId: v.accessKeyId,
                    secretAccessKey: v.secretAccessKey,
                    expectedArn: String(e.arn),
                });
                return `STS GetCallerIdentity with the new key answered ${arn}`;
            }
            case "cloudflareApiToken": {
                // Stryker disable next-line StringLiteral: the token's source is named only in the client's error message; the check words its failure from the error's summary, which never names it
                const withToken = cf.settingsWithToken(v.token, this.httpOptions, `the new token of ${news.credential} slot ${news.slot}`);
                // Stryker disable next-line StringLiteral: verifyApiToken names each of its checks itself, and every failure it throws carries its own, never this one
                await cf.verifyApiToken(ctx("GET /user/tokens/verify with the new token"), withToken, this.cloudflareSettings(), {
                    tokenId: String(e.tokenId),
                    policies: (e.policies as cf.TokenPolicy[]) ?? [],
                });
                return `GET /user/tokens/verify answered token ${String(e.tokenId)} active; its policies are the declared ones`;
            }
            case "accessServiceToken": {
                const { baseUrl: url, timeoutMs } = this.infisicalSettings();
                const c = ctx(`GET ${url}/api/status through Access with the new service token`);
                await cf.confirmAccessAdmits(c, url, { clientId: v.clientId, clientSecret: v.clientSecret }, timeoutMs);
                return `Access admitted the new service token to ${url}`;
            }
            case "randomBytes": {
                const bytes = Number(e.bytes);
                if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(v.hex)) {
                    throw checkFailed(ctx("its shape"), `it is not ${bytes * 2} lowercase hex digits (${bytes} random bytes)`);
                }
                return `${bytes * 2} hex digits; random bytes have nothing else to check`;
            }
            case "randomPassword": {
                // What the issuer was asked for (components/random/rotatingPassword.ts): letters and digits only, so
                // no consumer's escaping can change it. The reason names the shape, never the value.
                const length = Number(e.length);
                if (!Number.isSafeInteger(length) || length < 32 || !new RegExp(`^[A-Za-z0-9]{${length}}$`).test(v.password)) {
                    throw checkFailed(ctx("its shape"), `it is not ${length} letters and digits (at least 32)`);
                }
                return `${length} letters and digits; a random password has nothing else to check`;
            }
        }
    }

    /** Confirms the slot's previous credential no longer works; answers what was confirmed, or undefined when the issuer confirms it (Heroku, on delete). */
    private async confirmRevoked(olds: CredentialCheckOutputs, news: CredentialCheckInputs, ctx: (check: string) => CheckContext): Promise<string | undefined> {
        const v = olds.value ?? {};
        switch (news.kind) {
            case "awsAccessKey": {
                const id = v.accessKeyId;
                if (typeof id !== "string") return undefined;
                await confirmAccessKeysGone(ctx(`IAM ListAccessKeys for ${String(news.expect.userName)}, after the old key's delete`), {
                    region: String(news.expect.region),
                    userName: String(news.expect.userName),
                    retiredKeyIds: [id],
                });
                return `the old key ${id} is gone from ListAccessKeys`;
            }
            case "cloudflareApiToken": {
                if (typeof v.token !== "string") return undefined;
                // Stryker disable next-line StringLiteral: the token's source is named only in the client's error message; the check words its failure from the error's summary, which never names it
                const withOld = cf.settingsWithToken(v.token, this.httpOptions, `the old token of ${news.credential} slot ${news.slot}`);
                await cf.confirmApiTokenRevoked(ctx("GET /user/tokens/verify with the old token, after its delete"), withOld);
                return `Cloudflare no longer accepts the old token ${String(olds.expect?.tokenId ?? "")}`.trim();
            }
            default:
                // Heroku: the authorization's delete confirms it (providers/heroku/authorization.ts).
                // An Access service token: the stack's policy stops admitting it before any consumer
                // moves, and it is deleted at the end of the `up`. A request with it is no proof: a
                // hand-made policy of the application may admit any valid service token until then.
                // Random bytes: nothing issued them, so nothing revokes them; consumers stop accepting the old value.
                // A random password: the one place that holds it takes the new one in the same update.
                return undefined;
        }
    }
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const credentialCheckProvider = /* @__PURE__ */ new CredentialCheckProvider();

export interface CredentialCheckArgs {
    readonly credential: string;
    readonly slot: string;
    readonly kind: CredentialCheckKind;
    readonly enabled: boolean;
    /** Default: DEFAULT_TIMEOUT_SECONDS of the kind. */
    readonly timeoutSeconds?: number;
    /** The credential; made secret. */
    readonly value: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly expect: pulumi.Input<Record<string, unknown>>;
}

/** The check of one slot's credential. Its `value` is secret in inputs, state and outputs. */
export class CredentialCheck extends BundledResource {
    declare readonly checkedAt: pulumi.Output<string>;
    declare readonly result: pulumi.Output<string>;
    declare readonly revocation: pulumi.Output<string | undefined>;

    constructor(name: string, args: CredentialCheckArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "credentialCheckProvider",
            name,
            {
                credential: args.credential,
                slot: args.slot,
                kind: args.kind,
                enabled: args.enabled,
                timeoutSeconds: args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS[args.kind],
                value: pulumi.secret(args.value),
                expect: args.expect,
                checkedAt: undefined,
                result: undefined,
                revocation: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }),
            "verify",
            "CredentialCheck",
        );
    }
}
