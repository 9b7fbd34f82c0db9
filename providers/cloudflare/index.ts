// Cloudflare API resources as Pulumi dynamic providers. See docs/cloudflare-access-provider.md.
export {
    ACCESS_UUID,
    ACCOUNT_ID,
    APPLICATION_ID_CONFIG,
    AccessApplicationPolicy,
    AccessApplicationPolicyProvider,
    DECISION,
} from "./accessPolicy";
export type { AccessApplicationPolicyArgs, AccessApplicationPolicyInputs, AccessApplicationPolicyOutputs } from "./accessPolicy";
export {
    CLOUDFLARE_API_BASE_URL_ENV,
    CLOUDFLARE_API_TOKEN_CONFIG,
    CLOUDFLARE_API_TOKEN_ENV,
    DEFAULT_CLOUDFLARE_API_BASE_URL,
    cloudflareError,
    isCloudflareApiError,
} from "./client";
export type { CloudflareApiError, HttpOptions } from "./client";
