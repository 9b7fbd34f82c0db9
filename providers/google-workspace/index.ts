// Google Workspace as Pulumi dynamic providers: the domain's preconditions, groups, their
// members, and users, over the Directory API and the Groups Settings API with a service
// account's domain-wide delegation. The official clients are loaded when a call is made,
// never by importing this folder.
export { DKIM_SELECTOR, DOMAIN_NAME, DomainCheck, DomainCheckProvider } from "./domainCheck";
export type { DomainCheckArgs, DomainCheckInputs, DomainCheckOutputs } from "./domainCheck";
export { Group, GroupProvider, MAX_DESCRIPTION_LENGTH, NOT_SETTINGS, SETTING_NAME, UNDECLARED_MEMBERS } from "./group";
export type { GroupArgs, GroupInputs, GroupOutputs, UndeclaredMembers } from "./group";
export { MEMBER_ROLES, Member, MemberProvider, memberId } from "./member";
export type { MemberArgs, MemberInputs, MemberOutputs, MemberRole } from "./member";
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, User, UserProvider } from "./user";
export type { UserArgs, UserInputs, UserOutputs } from "./user";
export {
    DELEGATION_PAGE,
    DIRECTORY_ROOT_URL,
    EMAIL,
    GOOGLE_TOKEN_URL,
    GROUPS_SETTINGS_ROOT_URL,
    SCOPES,
    WORKSPACE_ADMIN_USER_CONFIG,
    WORKSPACE_ADMIN_USER_ENV,
    WORKSPACE_API_URL_ENV,
    WORKSPACE_CREDENTIALS_CONFIG,
    WORKSPACE_CREDENTIALS_ENV,
    WORKSPACE_HTTP_PREFIX,
    WORKSPACE_SCOPES,
    getWorkspaceUser,
    isWorkspaceApiError,
    resolveWorkspaceSettings,
    workspaceError,
} from "./client";
export type { HttpOptions, WorkspaceApiError, WorkspaceConfig, WorkspaceSettings, WorkspaceUser } from "./client";
export { groupsSettingsApi } from "./groupsSettings";
export type { GroupSettings, GroupsSettingsApi } from "./groupsSettings";
