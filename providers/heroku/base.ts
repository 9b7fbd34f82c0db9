import type * as pulumi from "@pulumi/pulumi";

import {
    ClientSettings,
    ConfiguredCredentials,
    HEROKU_API_KEY_CONFIG,
    HEROKU_API_URL_CONFIG,
    HttpOptions,
    resolveSettings,
} from "./client";

/**
 * What both Heroku providers share: HTTP knobs (plain numbers, safe to serialize) and
 * credentials that `configure` reads from stack config in the provider host. Nothing
 * secret is ever set here while the program runs, so nothing secret is serialized.
 */
export abstract class HerokuProviderBase {
    /** Retry/timeout overrides; unset fields fall back to env vars, then defaults. */
    readonly httpOptions: HttpOptions;
    /** Filled by `configure` in the provider host only; empty in the program. */
    configured: ConfiguredCredentials;

    constructor(httpOptions: HttpOptions = {}) {
        this.httpOptions = { ...httpOptions };
        this.configured = {};
    }

    /**
     * Called once by the dynamic provider host after it rebuilds the provider. Secret
     * stack config `herokuApiKey` / `herokuApiUrl` (project namespace) overrides the
     * `HEROKU_API_KEY` / `HEROKU_API_URL` environment variables.
     */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.configured = {
            apiKey: req.config.get(HEROKU_API_KEY_CONFIG),
            apiUrl: req.config.get(HEROKU_API_URL_CONFIG),
        };
    }

    /** Credentials and knobs as of now. Never throws: a missing key fails the first request, naming it. */
    settings(): ClientSettings {
        return resolveSettings(this.configured, this.httpOptions);
    }
}

/** The engine's placeholder for a value not known until apply (`pulumi preview`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * True when the engine runs new provider code against state written by other code. The
 * engine keeps `__provider` (the serialized provider) in each resource's state from its
 * last create or update and runs read and delete with that text, so a resource sees new
 * code only through an update: both providers report this as a change.
 */
export function codeChanged(olds: object | undefined, news: object | undefined): boolean {
    const text = (x: object | undefined) => (x as { __provider?: unknown } | undefined)?.__provider;
    return text(olds) !== text(news);
}
