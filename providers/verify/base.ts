// What both check providers share: the stack config they read in the provider host, and
// the settings each service's client needs. Nothing secret is set in the program, so
// nothing secret is serialized (see ConfiguredProvider).
import type * as pulumi from "@pulumi/pulumi";

import { ConfiguredProvider, HttpKnobs, UNKNOWN, codeChanged, resolveKnobs } from "../http";
import * as cloudflare from "../cloudflare/client";
import * as workspace from "../google-workspace/client";
import * as heroku from "../heroku/client";
import * as infisical from "../infisical/client";
import { GITHUB_TOKEN_CONFIG, GITHUB_TOKEN_ENV } from "./github";

/** Stack config the checks read in the provider host; unset keys fall back to each client's env vars. */
export interface VerifyConfig {
    readonly herokuApiKey?: string;
    readonly herokuApiUrl?: string;
    readonly cloudflareApiToken?: string;
    readonly githubToken?: string;
    readonly infisicalClientId?: string;
    readonly infisicalClientSecret?: string;
    readonly infisicalUrl?: string;
    readonly workspaceCredentials?: string;
    readonly workspaceAdminUser?: string;
}

/** Test-only overrides of the HTTP knobs every client uses. */
export type VerifyHttpOptions = Partial<HttpKnobs>;

// Method names differ from the imported modules' (herokuSettings, not heroku): the serialized
// text names a method's function after it, which would hide the module inside it.
export abstract class VerifyProviderBase extends ConfiguredProvider<VerifyHttpOptions, VerifyConfig> {
    protected configKeys(): { readonly [K in keyof VerifyConfig]-?: string } {
        return {
            herokuApiKey: heroku.HEROKU_API_KEY_CONFIG,
            herokuApiUrl: heroku.HEROKU_API_URL_CONFIG,
            cloudflareApiToken: cloudflare.CLOUDFLARE_API_TOKEN_CONFIG,
            githubToken: GITHUB_TOKEN_CONFIG,
            infisicalClientId: infisical.INFISICAL_CLIENT_ID_CONFIG,
            infisicalClientSecret: infisical.INFISICAL_CLIENT_SECRET_CONFIG,
            infisicalUrl: infisical.INFISICAL_URL_CONFIG,
            workspaceCredentials: workspace.WORKSPACE_CREDENTIALS_CONFIG,
            workspaceAdminUser: workspace.WORKSPACE_ADMIN_USER_CONFIG,
        };
    }

    /** The stack's own Heroku key (to read config vars). */
    herokuSettings(): heroku.ClientSettings {
        return heroku.resolveSettings({ apiKey: this.configured.herokuApiKey, apiUrl: this.configured.herokuApiUrl }, this.httpOptions);
    }

    /** The stack's own Cloudflare token (to read a token's policies). */
    cloudflareSettings(): cloudflare.ClientSettings {
        return cloudflare.resolveSettings({ apiToken: this.configured.cloudflareApiToken }, this.httpOptions);
    }

    /** The vault's machine identity and URL. */
    infisicalSettings(): infisical.ClientSettings {
        const c = this.configured;
        return infisical.resolveSettings({ clientId: c.infisicalClientId, clientSecret: c.infisicalClientSecret, url: c.infisicalUrl }, this.httpOptions);
    }

    /** The service account and admin user the Workspace providers use (to read the no-reply user). */
    workspaceSettings(): workspace.WorkspaceSettings {
        return workspace.resolveWorkspaceSettings({ credentials: this.configured.workspaceCredentials, adminUser: this.configured.workspaceAdminUser }, this.httpOptions);
    }

    /** The token the GitHub provider uses: stack config github:token, else GITHUB_TOKEN. */
    githubToken(): string | undefined {
        return this.configured.githubToken || process.env[GITHUB_TOKEN_ENV] || undefined;
    }

    /** Knobs for a client without its own (GitHub), from `GITHUB_HTTP_*`. */
    githubKnobs(): HttpKnobs {
        // Stryker disable next-line ArrayDeclaration: the problems list is thrown away, so what it starts with cannot change the knobs
        return resolveKnobs("GITHUB", this.httpOptions, []);
    }
}

/** What every check's inputs hold besides what it checks. */
export interface CheckInputs {
    /** False for a break-glass apply (stack config `verifyCredentials: false`): the check records that it did not run. */
    readonly enabled: boolean;
    /** The whole check's time limit, retries included. */
    readonly timeoutSeconds: number;
}

/** What every check's state adds to its inputs. */
export interface CheckOutputs {
    /** When the check last ran (ISO 8601). */
    readonly checkedAt: string;
    /** `passed: <what was proven>` or `skipped: <why>`. */
    readonly result: string;
}

/**
 * The lifecycle both checks share. Nothing exists outside the state, so create and update
 * both run the check (update with the last state, to compare with), every change of what is
 * checked is an update, read gives back the state, and delete has nothing to do.
 */
export abstract class CheckProvider<I extends CheckInputs, O extends I & CheckOutputs>
    extends VerifyProviderBase
    implements pulumi.dynamic.ResourceProvider<I, O>
{
    constructor(httpOptions: VerifyHttpOptions = {}) {
        super(httpOptions);
    }

    /** The inputs whose change runs the check again. */
    protected abstract checkedFields(): readonly (keyof I & string)[];
    protected abstract idOf(inputs: I): string;
    /** Runs the check (or records that it is off); throws a check failure. */
    protected abstract run(news: I, olds: O | undefined): Promise<O>;

    async diff(_id: pulumi.ID, olds: O, news: I): Promise<pulumi.dynamic.DiffResult> {
        const changed = this.checkedFields().filter((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
        return { changes: changed.length > 0 || codeChanged(olds, news), replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>> {
        return { id: this.idOf(inputs), outs: await this.run(inputs, undefined) };
    }

    async read(id: pulumi.ID, props?: O): Promise<pulumi.dynamic.ReadResult<O>> {
        return { id, props };
    }

    async update(_id: pulumi.ID, olds: O, news: I): Promise<pulumi.dynamic.UpdateResult<O>> {
        return { outs: await this.run(news, olds) };
    }

    async delete(): Promise<void> {
        // A check leaves nothing behind.
    }
}

/** The failures of `enabled` and `timeoutSeconds`, which every check takes; `example` is a valid limit. */
export function switchAndLimitFailures(raw: Record<string, unknown>, example: number): pulumi.dynamic.CheckFailure[] {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof raw.enabled !== "boolean" && raw.enabled !== UNKNOWN) failures.push({ property: "enabled", reason: "enabled must be true or false" });
    const t = raw.timeoutSeconds;
    if (t !== UNKNOWN && !(typeof t === "number" && Number.isInteger(t) && t >= 1 && t <= 600)) {
        failures.push({ property: "timeoutSeconds", reason: `timeoutSeconds must be a whole number from 1 to 600, e.g. ${example}` });
    }
    return failures;
}
