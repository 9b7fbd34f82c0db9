// One Infisical secret as a Pulumi dynamic provider. See docs/infisical-provider.md.
export { ENVIRONMENT_SLUG, FOLDER_PATH, OWNER_METADATA_KEY, SECRET_KEY, Secret, SecretProvider, secretId } from "./secret";
export type { SecretArgs, SecretInputs, SecretOutputs } from "./secret";
export {
    DEFAULT_INFISICAL_URL,
    INFISICAL_API_URL_ENV,
    INFISICAL_CLIENT_ID_CONFIG,
    INFISICAL_CLIENT_ID_ENV,
    INFISICAL_CLIENT_SECRET_CONFIG,
    INFISICAL_CLIENT_SECRET_ENV,
    INFISICAL_URL_CONFIG,
    infisicalError,
    isInfisicalApiError,
} from "./client";
export type { AccessToken, HttpOptions, InfisicalApiError } from "./client";
