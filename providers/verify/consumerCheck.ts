// A consumer's check after the stack wrote a credential to it, as a Pulumi dynamic resource.
//
//   check   → local validation only
//   diff    → any change of the value, the place or the switch: an update
//   create  → the place holds the value (hashes compared); a GitHub secret, that it exists; a
//             Workspace user, that it exists, suspended and no admin (no API returns a password)
//   update  → the same; and, when the value changed, that the place was written since the last check
//   read    → nothing remote
//   delete  → nothing remote
//
// It depends on the consumer resource, so it runs once the write is done. No value is
// shown: the checks compare SHA-256 hashes, in memory.
import * as pulumi from "@pulumi/pulumi";

import { UNKNOWN } from "../http";
import { login } from "../infisical/client";
import { getSecretOrThrow } from "../infisical/secret";
import { readParameter } from "./aws";
import { CheckInputs, CheckOutputs, CheckProvider, switchAndLimitFailures } from "./base";
import { CheckContext, checkFailed, sha256 } from "./check";
import { githubSecretUpdatedAt, secretApiPath } from "./github";
import { verifyConfigVar } from "./heroku";
import { verifyWorkspaceUser } from "./workspace";
import { BundledResource } from "../bundle";

export const CONSUMER_CHECK_KINDS = ["herokuConfigVars", "ssmParameter", "githubSecret", "infisicalSecret", "workspaceUser"] as const;
export type ConsumerCheckKind = (typeof CONSUMER_CHECK_KINDS)[number];

/** The fields of `where` each kind needs. */
export const WHERE_FIELDS: Readonly<Record<ConsumerCheckKind, readonly string[]>> = {
    herokuConfigVars: ["app", "name"],
    ssmParameter: ["region", "name"],
    githubSecret: ["owner", "repository", "name"],
    infisicalSecret: ["projectId", "environment", "path", "key"],
    workspaceUser: ["primaryEmail"],
};

export const DEFAULT_CONSUMER_TIMEOUT_SECONDS = 30;

export interface ConsumerCheckInputs extends CheckInputs {
    /** The credential written, e.g. `herokuPlatformToken`. */
    readonly credential: string;
    /** The place, in the secrets map's words, e.g. `heroku raxx-api-prod/HEROKU_API_KEY`. */
    readonly consumer: string;
    readonly kind: ConsumerCheckKind;
    /** The value written; secret. */
    readonly value: string;
    /** Where it is: see WHERE_FIELDS; a GitHub secret may add `environment`. */
    readonly where: Record<string, string>;
    /** Infisical only: the Access service token to reach the vault with; secret. */
    readonly access?: { clientId: string; clientSecret: string };
}

export interface ConsumerCheckOutputs extends ConsumerCheckInputs, CheckOutputs {
    /** SSM: the parameter's version when last checked. */
    readonly version?: number;
    /** GitHub: the secret's `updated_at` when last checked. */
    readonly updatedAt?: string;
}

export const SKIPPED = "skipped: stack config verifyCredentials is false (break-glass), so this write went unconfirmed";

/** CRUD for `pulumi-nodejs:dynamic/verify:ConsumerCheck`. Exported for tests; use `ConsumerCheck`. */
export class ConsumerCheckProvider extends CheckProvider<ConsumerCheckInputs, ConsumerCheckOutputs> {
    async check(_olds: ConsumerCheckInputs, news: ConsumerCheckInputs): Promise<pulumi.dynamic.CheckResult<ConsumerCheckInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        for (const f of ["credential", "consumer"] as const) {
            if (typeof raw[f] !== "string" || raw[f] === "") failures.push({ property: f, reason: `${f} must be a non-empty string, e.g. "herokuPlatformToken"` });
        }
        if (!(CONSUMER_CHECK_KINDS as readonly unknown[]).includes(raw.kind)) {
            failures.push({ property: "kind", reason: `kind must be one of ${CONSUMER_CHECK_KINDS.join(", ")}, e.g. "ssmParameter"` });
        } else if (raw.where !== UNKNOWN) {
            const where = (raw.where ?? {}) as Record<string, unknown>;
            for (const f of WHERE_FIELDS[raw.kind as ConsumerCheckKind]) {
                if (where[f] !== UNKNOWN && (typeof where[f] !== "string" || where[f] === "")) failures.push({ property: "where", reason: `where.${f} must be a non-empty string` });
            }
        }
        failures.push(...switchAndLimitFailures(raw, 30));
        return { inputs: news, failures };
    }

    // Not `access`: a new Access token alone is how the check reaches the vault, not what it checks.
    protected checkedFields() {
        return ["credential", "consumer", "kind", "enabled", "timeoutSeconds", "value", "where"] as const;
    }

    protected idOf(inputs: ConsumerCheckInputs): string {
        return `${inputs.kind}:${Object.values(inputs.where).join("/")}`;
    }

    protected async run(news: ConsumerCheckInputs, olds: ConsumerCheckOutputs | undefined): Promise<ConsumerCheckOutputs> {
        const checkedAt = new Date().toISOString();
        if (!news.enabled) return { ...news, checkedAt, result: SKIPPED };
        const rewritten = olds !== undefined && olds.enabled && olds.value !== news.value;
        const w = news.where;
        const secrets = [news.value, olds?.value, news.access?.clientId, news.access?.clientSecret].filter((s): s is string => typeof s === "string");
        const ctx = (check: string): CheckContext => ({ subject: `${news.consumer} (${news.credential})`, check, deadlineMs: news.timeoutSeconds * 1000, secrets });
        switch (news.kind) {
            case "herokuConfigVars": {
                await verifyConfigVar(ctx(`GET /apps/${w.app}/config-vars`), this.herokuSettings(), { app: w.app, name: w.name, value: news.value });
                return { ...news, checkedAt, result: `passed: ${w.app}'s ${w.name} has the value written (SHA-256 equal)` };
            }
            case "ssmParameter": {
                const c = ctx(`SSM GetParameter ${w.name}`);
                const { sha256: held, version } = await readParameter(c, { region: w.region, name: w.name });
                if (held !== sha256(news.value)) {
                    throw checkFailed(c, `${w.name} (version ${version}) does not hold the value written (their SHA-256 hashes differ)`, "Something else writes this parameter: find it, then run `pulumi up` again.");
                }
                if (rewritten && olds.version !== undefined && !(version > olds.version)) {
                    throw checkFailed(c, `${w.name} is still at version ${version}, the version of the last check; a new value makes a new version`, "Run `pulumi refresh`, then `pulumi up`.");
                }
                return { ...news, checkedAt, version, result: `passed: ${w.name} version ${version} has the value written (SHA-256 equal)` };
            }
            case "githubSecret": {
                const place = { owner: w.owner, repository: w.repository, ...(w.environment ? { environment: w.environment } : {}), name: w.name };
                const c = ctx(`GET ${secretApiPath(place)}`);
                const updatedAt = await githubSecretUpdatedAt(c, this.githubKnobs(), this.githubToken(), place);
                if (rewritten && olds.updatedAt !== undefined && !(Date.parse(updatedAt) > Date.parse(olds.updatedAt))) {
                    throw checkFailed(
                        c,
                        `${w.name} was last written at ${updatedAt}, not after the last check (${olds.updatedAt}), so the new value did not reach it`,
                        "Run `pulumi refresh`, then `pulumi up`.",
                    );
                }
                const proven = rewritten ? `written at ${updatedAt}, after the last check` : `exists, last written at ${updatedAt}`;
                return { ...news, checkedAt, updatedAt, result: `passed: ${w.name} ${proven}; GitHub never returns a value, so the value itself is not compared` };
            }
            case "infisicalSecret": {
                const c = ctx(`GET /api/v4/secrets/${w.key} in ${w.path}`);
                let held: string;
                try {
                    // Stryker disable next-line ObjectLiteral,StringLiteral: login refuses, before sending, any Access token with a part missing or empty, so {} and a fallback with either part filled read the same
                    const session = await login(this.infisicalSettings(), news.access ?? { clientId: "", clientSecret: "" });
                    held = (await getSecretOrThrow(session, { projectId: w.projectId, environment: w.environment, path: w.path, key: w.key }, secrets)).value;
                } catch (e) {
                    throw checkFailed(c, `the vault answered ${(e as { summary?: string }).summary ?? String(e)}`);
                }
                if (sha256(held) !== sha256(news.value)) {
                    throw checkFailed(c, `${w.path}/${w.key} does not hold the value written (their SHA-256 hashes differ)`, "Something else writes this secret: find it, then run `pulumi up` again.");
                }
                return { ...news, checkedAt, result: `passed: ${w.path}/${w.key} has the value written (SHA-256 equal)` };
            }
            case "workspaceUser": {
                const proven = await verifyWorkspaceUser(ctx(`Directory API GET users/${w.primaryEmail}`), this.workspaceSettings(), w.primaryEmail);
                return { ...news, checkedAt, result: `passed: ${proven}; the Directory API never returns a password, so the value itself is not compared` };
            }
        }
    }
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const consumerCheckProvider = /* @__PURE__ */ new ConsumerCheckProvider();

export interface ConsumerCheckArgs {
    readonly credential: string;
    readonly consumer: string;
    readonly kind: ConsumerCheckKind;
    readonly enabled: boolean;
    readonly timeoutSeconds?: number;
    readonly value: pulumi.Input<string>;
    readonly where: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly access?: pulumi.Input<{ clientId: pulumi.Input<string>; clientSecret: pulumi.Input<string> }>;
}

/** The check of one place a credential was written. Give it `dependsOn` the resource that writes it. */
export class ConsumerCheck extends BundledResource {
    declare readonly checkedAt: pulumi.Output<string>;
    declare readonly result: pulumi.Output<string>;

    constructor(name: string, args: ConsumerCheckArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "consumerCheckProvider",
            name,
            {
                credential: args.credential,
                consumer: args.consumer,
                kind: args.kind,
                enabled: args.enabled,
                timeoutSeconds: args.timeoutSeconds ?? DEFAULT_CONSUMER_TIMEOUT_SECONDS,
                value: pulumi.secret(args.value),
                where: args.where,
                ...(args.access === undefined ? {} : { access: pulumi.secret(args.access) }),
                checkedAt: undefined,
                result: undefined,
                version: undefined,
                updatedAt: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value", "access"] }),
            "verify",
            "ConsumerCheck",
        );
    }
}
