// What both check providers share: the stack config they read in the provider host, and
// the settings each service's client needs. Nothing secret is set in the program, so
// nothing secret is serialized (see ConfiguredProvider).
import { ConfiguredProvider, HttpKnobs, resolveKnobs } from "../http";
import * as cloudflare from "../cloudflare/client";
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

    /** The token the GitHub provider uses: stack config github:token, else GITHUB_TOKEN. */
    githubToken(): string | undefined {
        return this.configured.githubToken || process.env[GITHUB_TOKEN_ENV] || undefined;
    }

    /** Knobs for a client without its own (GitHub), from `GITHUB_HTTP_*`. */
    githubKnobs(): HttpKnobs {
        return resolveKnobs("GITHUB", this.httpOptions, []);
    }
}
