// Heroku Platform API resources as Pulumi dynamic providers. See docs/heroku-provider.md.
export { Authorization, AuthorizationProvider, HEROKU_OAUTH_SCOPES } from "./authorization";
export type { AuthorizationArgs, AuthorizationInputs, AuthorizationOutputs } from "./authorization";
export { CONFIG_VAR_NAME, ConfigVars, ConfigVarsProvider, HEROKU_APP_NAME, OWNERS_VAR, configVarsId, parseConfigVarsId } from "./configVars";
export type { ConfigVarsArgs, ConfigVarsInputs, ConfigVarsOutputs } from "./configVars";
export {
    DEFAULT_HEROKU_API_URL,
    HEROKU_API_KEY_CONFIG,
    HEROKU_API_KEY_ENV,
    HEROKU_API_URL_CONFIG,
    HEROKU_API_URL_ENV,
    herokuError,
    isHerokuApiError,
} from "./client";
export type { HerokuApiError, HttpOptions } from "./client";
