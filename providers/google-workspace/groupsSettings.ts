// A binding of the Groups Settings API (v1), the three-method API the Group resource needs,
// built on googleapis-common's createAPIRequest exactly as the generated client is
// (google-api-nodejs-client src/apis/groupssettings/v1.ts): `@googleapis/groupssettings`
// is not served by the registry here, and the `googleapis` package carries every Google
// API (242 MB) for these two calls.
//
//   GET   {rootUrl}/groups/v1/groups/{groupUniqueId}?alt=json   → the group's settings
//   PATCH {rootUrl}/groups/v1/groups/{groupUniqueId}?alt=json   {field: "value", ...} → the settings after
//
// groupUniqueId is the group's email address. Without `alt=json` the API answers Atom XML,
// so every call sends it. Every setting is a string: "true"/"false", or an enum such as
// "ALL_MEMBERS_CAN_POST" (https://developers.google.com/admin-sdk/groups-settings/v1/reference/groups).
import type { GaxiosResponseWithHTTP2, GlobalOptions, MethodOptions } from "googleapis-common";

/** The default root, as the generated client has it. */
export const GROUPS_SETTINGS_ROOT_URL = "https://www.googleapis.com/";

/** A group's settings, as the API answers them: each value a string (the `kind`, `email`, `name` and `description` fields among them). */
export type GroupSettings = Record<string, string | undefined>;

export interface GroupsSettingsParams {
    /** The group's email address. */
    readonly groupUniqueId: string;
}

export interface GroupsSettingsPatchParams extends GroupsSettingsParams {
    /** Only the fields to change. */
    readonly requestBody: GroupSettings;
}

export interface GroupsSettingsApi {
    readonly groups: {
        get(params: GroupsSettingsParams, options?: MethodOptions): Promise<GaxiosResponseWithHTTP2<GroupSettings>>;
        patch(params: GroupsSettingsPatchParams, options?: MethodOptions): Promise<GaxiosResponseWithHTTP2<GroupSettings>>;
    };
}

/**
 * The Groups Settings API with `options` as the generated client takes them (`auth`,
 * `rootUrl`, `retry`, `timeout`, ...). googleapis-common is required here, at call time,
 * not when the program imports this folder.
 */
export function groupsSettingsApi(options: GlobalOptions): GroupsSettingsApi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createAPIRequest } = require("googleapis-common") as typeof import("googleapis-common");
    const context = { _options: options || {} };
    const method =
        (httpMethod: "GET" | "PATCH") =>
        <T>(params: GroupsSettingsParams & { requestBody?: GroupSettings }, methodOptions: MethodOptions = {}): Promise<GaxiosResponseWithHTTP2<T>> => {
            // Google's URL: createAPIRequest puts the session's root (the context's rootUrl) in place of Google's.
            // responseType json: gaxios parses JSON, and hands back the text of anything else (an Atom entry, a proxy's page), which
            // group.ts refuses; without it, a reply that is not application/json would come back as a Blob, an object like any other.
            const options = { url: `${GROUPS_SETTINGS_ROOT_URL}groups/v1/groups/{groupUniqueId}`, method: httpMethod, apiVersion: "", responseType: "json" as const };
            return createAPIRequest<T>({
                options: Object.assign(options, methodOptions),
                // The API answers Atom unless told otherwise.
                params: { ...params, alt: "json" },
                requiredParams: ["groupUniqueId"],
                pathParams: ["groupUniqueId"],
                context,
            });
        };
    // Stryker disable next-line StringLiteral: gaxios sends a request without a method as a GET
    const get = method("GET");
    return { groups: { get, patch: method("PATCH") } };
}
