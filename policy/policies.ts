// The policies of the raxx-platform policy pack (CrossGuard): one exported
// constant per policy, a kebab-case name, and a configSchema whose defaults are
// what the pack enforces unless a policy config file says otherwise. The pack
// itself (index.ts) only constructs the PolicyPack, because its constructor
// starts a gRPC server; tests import this module instead. Levels and config are
// documented in docs/operations.md ("The policy pack").
//
// Resource types are compared by their type token rather than with `isType`,
// so the pack loads no provider SDK.
import * as pulumi from "@pulumi/pulumi";
import { PolicyConfigSchema, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, Secret, StackValidationPolicy } from "@pulumi/policy";

export const TYPES = {
    ssmParameter: "aws:ssm/parameter:Parameter",
    iamUser: "aws:iam/user:User",
    iamRole: "aws:iam/role:Role",
    iamPolicy: "aws:iam/policy:Policy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    iamUserPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    iamRolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    iamGroupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    githubActionsSecret: "github:index/actionsSecret:ActionsSecret",
    githubActionsEnvironmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
    githubActionsOrganizationSecret: "github:index/actionsOrganizationSecret:ActionsOrganizationSecret",
    githubActionsVariable: "github:index/actionsVariable:ActionsVariable",
    githubActionsEnvironmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    githubActionsOrganizationVariable: "github:index/actionsOrganizationVariable:ActionsOrganizationVariable",
    herokuConfigVars: "pulumi-nodejs:dynamic/heroku:ConfigVars",
    cloudflareDnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
    cloudflareRecord: "cloudflare:index/record:Record",
    cloudflareAccessApplication: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
    cloudflareAccessApplicationLegacy: "cloudflare:index/accessApplication:AccessApplication",
    cloudflareApiToken: "cloudflare:index/apiToken:ApiToken",
    cloudflareAccessServiceToken: "cloudflare:index/zeroTrustAccessServiceToken:ZeroTrustAccessServiceToken",
    infisicalSecret: "pulumi-nodejs:dynamic/infisical:Secret",
    workspaceUser: "pulumi-nodejs:dynamic/google-workspace:User",
    workspaceGroup: "pulumi-nodejs:dynamic/google-workspace:Group",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    herokuAuthorization: "pulumi-nodejs:dynamic/heroku:Authorization",
    randomBytes: "random:index/randomBytes:RandomBytes",
    randomPassword: "random:index/randomPassword:RandomPassword",
    credentialCheck: "pulumi-nodejs:dynamic/verify:CredentialCheck",
    consumerCheck: "pulumi-nodejs:dynamic/verify:ConsumerCheck",
} as const;

type ConfigArgs = Pick<ResourceValidationArgs, "getConfig">;

/** The config a policy runs with: its schema's defaults, overridden key by key by the pack config. */
export function policyConfig<T extends object>(schema: PolicyConfigSchema, args: ConfigArgs): T {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
        if (property.default !== undefined) defaults[key] = property.default;
    }
    return { ...defaults, ...args.getConfig<Record<string, unknown>>() } as T;
}

/** The stack a resource belongs to, from its URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    return urn.split("::")[0].replace(/^urn:pulumi:/, "");
}

function has(props: Record<string, unknown>, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(props, key);
}

/** `<type> "<logical name>"`, how every message names its resource. */
function describe(args: Pick<ResourceValidationArgs, "type" | "name">): string {
    return `${args.type} "${args.name}"`;
}

/** An object or an array: something whose properties can be read. */
function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null;
}

function stringList(v: unknown): string[] {
    if (typeof v === "string") return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Case-insensitive regular expressions: a name that matches one names a credential. */
export const SECRET_NAME_PATTERNS: readonly string[] = ["password", "passwd", "secret", "token", "api_?key", "private_?key", "ssh_?key", "access_?key", "credential"];

// ---------------------------------------------------------------------------
// ssm-secret-parameters-securestring


/** A policy config property that is a list of strings, with its default. */
function listOfStrings(description: string, defaults: readonly string[] = []): PolicyConfigSchema["properties"][string] {
    return { type: "array", items: { type: "string" }, description, default: [...defaults] };
}
const ssmSecureStringSchema = {
    properties: {
        secretNamePatterns: listOfStrings("Case-insensitive regular expressions; a parameter whose name matches one is secret.", [...SECRET_NAME_PATTERNS]),
        secretTag: {
            type: "string",
            description: 'A tag key; a parameter with this tag set to "true" is secret.',
            default: "secret",
        },
    },
} satisfies PolicyConfigSchema;

interface SsmSecureStringConfig {
    readonly secretNamePatterns: string[];
    readonly secretTag: string;
}

/** SSM parameters whose name or tag marks them secret must be SecureString. */
export const ssmSecretParametersSecureString: ResourceValidationPolicy = {
    name: "ssm-secret-parameters-securestring",
    description: "SSM parameters whose name or tag marks them secret must be of type SecureString.",
    enforcementLevel: "mandatory",
    configSchema: ssmSecureStringSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.ssmParameter) return;
        const config = policyConfig<SsmSecureStringConfig>(ssmSecureStringSchema, args);
        // Without `name`, the parameter is autonamed from the resource name.
        const name = typeof args.props.name === "string" ? args.props.name : args.name;
        const tags = (args.props.tags ?? {}) as Record<string, unknown>;
        const pattern = config.secretNamePatterns.find((p) => new RegExp(p, "i").test(name));
        const reason =
            pattern !== undefined
                ? `its name matches /${pattern}/i`
                : String(tags[config.secretTag]).toLowerCase() === "true"
                  ? `its tag ${config.secretTag}=true`
                  : undefined;
        if (reason === undefined) return;
        const type = args.props.type;
        if (type !== "SecureString") {
            const declared = type === undefined ? "no type" : `type ${JSON.stringify(type)}`;
            reportViolation(`SSM parameter "${name}" has ${declared}, but it is secret (${reason}); declare it type SecureString`);
        }
    },
};

// ---------------------------------------------------------------------------
// iam-no-wildcard-actions

const iamWildcardSchema = {
    properties: {
        forbiddenActions: listOfStrings("No Allow statement may grant an action pattern that covers one of these (case-insensitive).", ["*", "iam:*"]),
    },
} satisfies PolicyConfigSchema;

interface IamWildcardConfig {
    readonly forbiddenActions: string[];
}

interface NamedDocument {
    /** Where the document sits, for messages: `policy`, `inlinePolicies[0].policy`. */
    readonly where: string;
    readonly document: unknown;
}

/** Whether a `policy` input holds a document: undefined and "" do not. */
function hasDocument(document: unknown): boolean {
    return document !== undefined && document !== "";
}

/** Types whose `policy` input is one policy document, which they must have. */
const DOCUMENT_TYPES: ReadonlySet<string> = new Set([TYPES.iamPolicy, TYPES.iamUserPolicy, TYPES.iamRolePolicy, TYPES.iamGroupPolicy]);

function policyDocuments(args: ResourceValidationArgs): NamedDocument[] {
    switch (args.type) {
        case TYPES.iamPolicy:
        case TYPES.iamUserPolicy:
        case TYPES.iamRolePolicy:
        case TYPES.iamGroupPolicy:
            return hasDocument(args.props.policy) ? [{ where: "policy", document: args.props.policy }] : [];
        case TYPES.iamRole: {
            // Stryker disable next-line ArrayDeclaration: a string in place of the list has no `policy`, so hasDocument drops it and no document is read
            const inline = Array.isArray(args.props.inlinePolicies) ? (args.props.inlinePolicies as Record<string, unknown>[]) : [];
            return inline
                .map((p, i) => ({ where: `inlinePolicies[${i}].policy`, document: p?.policy }))
                .filter((d) => hasDocument(d.document));
        }
        default:
            // Stryker disable next-line ArrayDeclaration: a string in place of the list destructures to an undefined document, which holds no statement
            return [];
    }
}

/** An IAM action pattern (`*` and `?` wildcards) as a case-insensitive regular expression. */
function actionPattern(pattern: string): RegExp {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${body}$`, "i");
}

/** True when `granted` grants at least every action `forbidden` names: `*`, `iam:*` and `i*` all cover `iam:*`. */
export function actionCovers(granted: string, forbidden: string): boolean {
    return actionPattern(granted).test(forbidden);
}

interface LabeledStatement {
    readonly where: string;
    /** `"<Sid>"`, or `#<index>` for a statement without one. */
    readonly label: string;
    readonly statement: Record<string, unknown>;
}

/**
 * The statements of every policy document of the resource. A document that is
 * not JSON goes to `unreadable` (by default nowhere: iam-no-wildcard-actions
 * reports it, once).
 */
function statementsOf(args: ResourceValidationArgs, unreadable: (where: string) => void = () => undefined): LabeledStatement[] {
    const out: LabeledStatement[] = [];
    for (const { where, document } of policyDocuments(args)) {
        let doc: unknown = document;
        if (typeof document === "string") {
            try {
                doc = JSON.parse(document);
            } catch {
                unreadable(where);
                continue;
            }
        }
        const raw = (doc as { Statement?: unknown } | undefined)?.Statement;
        const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
        statements.forEach((statement, i) => {
            if (!isObject(statement)) return;
            const label = typeof statement.Sid === "string" && statement.Sid !== "" ? `"${statement.Sid}"` : `#${i}`;
            out.push({ where, label, statement });
        });
    }
    return out;
}

/** No Allow statement grants `*` or `iam:*` (or a pattern covering them), nor allows everything but a NotAction list. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description: 'No IAM policy document allows the "*" or "iam:*" actions, or every action but a NotAction list.',
    enforcementLevel: "mandatory",
    configSchema: iamWildcardSchema,
    validateResource: (args, reportViolation) => {
        if (policyDocuments(args).length === 0) {
            if (DOCUMENT_TYPES.has(args.type)) {
                reportViolation(`${describe(args)} has no policy document to check; declare its policy`);
            }
            return;
        }
        const config = policyConfig<IamWildcardConfig>(iamWildcardSchema, args);
        const statements = statementsOf(args, (where) => reportViolation(`${describe(args)}: ${where} is not valid JSON, so it cannot be checked`));
        for (const { where, label, statement } of statements) {
            if (statement.Effect !== "Allow") continue;
            if (statement.NotAction !== undefined) {
                reportViolation(
                    `${describe(args)}: ${where} statement ${label} allows every action except NotAction ${JSON.stringify(stringList(statement.NotAction))}; list the allowed actions instead`,
                );
            }
            for (const action of stringList(statement.Action)) {
                const covered = config.forbiddenActions.find((f) => actionCovers(action, f));
                if (covered !== undefined) {
                    const detail = action === covered ? "" : ` (covers "${covered}")`;
                    reportViolation(`${describe(args)}: ${where} statement ${label} allows action "${action}"${detail}`);
                }
            }
        }
    },
};

// ---------------------------------------------------------------------------
// iam-no-privilege-escalation

/**
 * True when some action matches both patterns (`*` any run of characters, `?`
 * one, case-insensitive): `iam:*Policy*` and `iam:Put*` overlap on
 * `iam:PutUserPolicy`, though neither covers the other.
 */
export function actionsOverlap(a: string, b: string): boolean {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const memo = new Map<string, boolean>();
    // Whether the rest of `x` from i and the rest of `y` from j match a common string.
    const rest = (i: number, j: number): boolean => {
        const key = `${i},${j}`;
        const known = memo.get(key);
        if (known !== undefined) return known;
        let result: boolean;
        if (i === x.length && j === y.length) result = true;
        // A `*` matches nothing more, or one character more of the other (while it has one).
        else if (x[i] === "*") result = rest(i + 1, j) || (j !== y.length && rest(i, j + 1));
        else if (y[j] === "*") result = rest(i, j + 1) || (i !== x.length && rest(i + 1, j));
        else if (i === x.length || j === y.length) result = false;
        else result = (x[i] === y[j] || x[i] === "?" || y[j] === "?") && rest(i + 1, j + 1);
        memo.set(key, result);
        return result;
    };
    return rest(0, 0);
}

const iamEscalationSchema = {
    properties: {
        escalationActions: {
            type: "array",
            items: { type: "string" },
            description:
                "Actions (patterns allowed) that let their holder grant itself more: no Allow statement may grant an action pattern that overlaps one of these on every resource.",
            default: [
                "iam:Attach*Policy",
                "iam:Put*Policy",
                "iam:Put*PermissionsBoundary",
                "iam:Delete*PermissionsBoundary",
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:UpdateLoginProfile",
                "iam:AddUserToGroup",
                "iam:PassRole",
                "iam:UpdateAssumeRolePolicy",
            ],
        },
    },
} satisfies PolicyConfigSchema;

/** A Resource entry that covers every resource of IAM: `*`, or an ARN whose resource part is `*` (`arn:aws:iam::123456789012:*`). */
function everyResource(resource: string): boolean {
    const parts = resource.split(":");
    // An ARN's resource part is its sixth field and on (it may hold colons); a shorter entry's (`*`) is its last.
    return parts.length > 5 ? parts.slice(5).join(":") === "*" : parts[parts.length - 1] === "*";
}

/**
 * No Allow statement grants a privilege-escalation action (attach or put a
 * policy, a new policy version, an access key or password for someone, pass
 * or re-trust a role) on every resource. Wildcards count both ways: granted
 * `iam:*Policy*` overlaps `iam:Put*Policy`. NotResource on an Allow counts as
 * every resource.
 */
export const iamNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "iam-no-privilege-escalation",
    description: "No IAM policy document allows an action that grants more access (iam:Attach*, iam:Put*Policy, iam:CreateAccessKey, iam:PassRole, ...) on every resource.",
    enforcementLevel: "mandatory",
    configSchema: iamEscalationSchema,
    validateResource: (args, reportViolation) => {
        const config = policyConfig<{ escalationActions: string[] }>(iamEscalationSchema, args);
        for (const { where, label, statement } of statementsOf(args)) {
            if (statement.Effect !== "Allow") continue;
            const wide =
                statement.NotResource !== undefined ? "every resource but NotResource" : stringList(statement.Resource).some(everyResource) ? "every resource" : undefined;
            if (wide === undefined) continue;
            for (const action of stringList(statement.Action)) {
                const escalations = config.escalationActions.filter((e) => actionsOverlap(action, e));
                if (escalations.length > 0) {
                    const detail = escalations.length === 1 && escalations[0].toLowerCase() === action.toLowerCase() ? "" : ` (overlaps ${escalations.map((e) => `"${e}"`).join(", ")})`;
                    reportViolation(
                        `${describe(args)}: ${where} statement ${label} allows "${action}"${detail} on ${wide}, which lets its holder grant itself more; scope Resource to the ARNs the job needs`,
                    );
                }
            }
        }
    },
};

// ---------------------------------------------------------------------------
// iam-no-administrator-access

const adminAccessSchema = {
    properties: {
        forbiddenPolicyArns: {
            type: "array",
            items: { type: "string" },
            description: "Managed policies that nothing may attach, compared in any AWS partition.",
            // AWS-managed policies that grant everything, every service, or IAM writes (so any of them).
            default: [
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
                "arn:aws:iam::aws:policy/AdministratorAccess-AWSElasticBeanstalk",
                "arn:aws:iam::aws:policy/IAMFullAccess",
                "arn:aws:iam::aws:policy/PowerUserAccess",
                "arn:aws:iam::aws:policy/job-function/SystemAdministrator",
            ],
        },
    },
} satisfies PolicyConfigSchema;

interface AdminAccessConfig {
    readonly forbiddenPolicyArns: string[];
}

/** The ARN in the `aws` partition, so `arn:aws-us-gov:...` compares equal. */
function normalizeArn(arn: string): string {
    return arn.replace(/^arn:[^:]+:/, "arn:aws:");
}

function attachedPolicyArns(args: ResourceValidationArgs): { field: string; arns: string[] } | undefined {
    switch (args.type) {
        case TYPES.iamPolicyAttachment:
        case TYPES.iamUserPolicyAttachment:
        case TYPES.iamRolePolicyAttachment:
        case TYPES.iamGroupPolicyAttachment:
            return { field: "policyArn", arns: stringList(args.props.policyArn) };
        case TYPES.iamUserPolicyAttachmentsExclusive:
        case TYPES.iamRolePolicyAttachmentsExclusive:
        case TYPES.iamGroupPolicyAttachmentsExclusive:
            return { field: "policyArns", arns: stringList(args.props.policyArns) };
        case TYPES.iamRole:
            return { field: "managedPolicyArns", arns: stringList(args.props.managedPolicyArns) };
    }
    return undefined;
}

/** Nothing attaches AdministratorAccess, or another broad AWS-managed policy, to a user, role or group. */
export const iamNoAdministratorAccess: ResourceValidationPolicy = {
    name: "iam-no-administrator-access",
    description: "No user, role or group gets AdministratorAccess, IAMFullAccess, PowerUserAccess or another broad AWS-managed policy attached.",
    enforcementLevel: "mandatory",
    configSchema: adminAccessSchema,
    validateResource: (args, reportViolation) => {
        const attached = attachedPolicyArns(args);
        if (attached === undefined) return;
        const config = policyConfig<AdminAccessConfig>(adminAccessSchema, args);
        const forbidden = new Set(config.forbiddenPolicyArns.map(normalizeArn));
        for (const arn of attached.arns) {
            if (forbidden.has(normalizeArn(arn))) {
                reportViolation(`${describe(args)}: ${attached.field} attaches ${arn}; grant the actions the job needs instead`);
            }
        }
    },
};

// ---------------------------------------------------------------------------
// secret-values-encrypted-in-state, secret-values-from-secrets

// The pack keeps its own tables of issuers and consumers rather than importing
// the registry of scripts/lib/kinds: the CLI loads the pack as a package of its
// own, and a branch that drops or weakens a kind in the registry must not
// silently drop it from the guard too. tests/policy/policies.test.ts checks
// that these tables cover every kind of the registry, in the same words and
// with at least its secret fields; the pack may know more (organization
// secrets, RandomPassword).

/**
 * The secret-typed consumers: the fields of each type that may carry a
 * credential, because the place keeps them secret. SSM parameters count only
 * as SecureString. A Map, so no type token finds a member of Object.prototype.
 */
export const SECRET_VALUE_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
    [TYPES.githubActionsSecret, ["value", "plaintextValue"]],
    [TYPES.githubActionsEnvironmentSecret, ["value", "plaintextValue"]],
    [TYPES.githubActionsOrganizationSecret, ["value", "plaintextValue"]],
    [TYPES.herokuConfigVars, ["secretVars"]],
    [TYPES.ssmParameter, ["value"]],
    [TYPES.infisicalSecret, ["value", "access"]],
    [TYPES.workspaceUser, ["password"]],
]);

/** The fields of a secret-typed consumer that carry a credential; none for any other resource, or an SSM parameter that is not SecureString. */
function secretFieldsOf(type: string, props: Record<string, unknown>): readonly string[] {
    // Stryker disable next-line ArrayDeclaration: only an input named like the inserted string would tell; no resource has one
    if (type === TYPES.ssmParameter && props.type !== "SecureString") return [];
    // Stryker disable next-line ArrayDeclaration: only an input named like the inserted string would tell; no resource has one
    return SECRET_VALUE_FIELDS.get(type) ?? [];
}

/** The credential fields this resource sets. Only key presence is read, so an unknown value never stops the check. */
function secretValueFieldsSet(args: ResourceValidationArgs): string[] {
    return secretFieldsOf(args.type, args.props).filter((f) => has(args.props, f));
}

const encryptedInStateSchema = {
    properties: {
        exemptFields: listOfStrings("`<type>.<field>` pairs exempt from the check."),
    },
} satisfies PolicyConfigSchema;

/**
 * Every GitHub Actions secret, Heroku sensitive config var set and SSM
 * SecureString declares its value an additional secret output, so the value
 * is encrypted in state and masked in every diff, whatever the input was.
 * This is what a policy can see of secrecy under `pulumi preview`/`up`.
 */
export const secretValuesEncryptedInState: ResourceValidationPolicy = {
    name: "secret-values-encrypted-in-state",
    description: "GitHub secrets, Heroku sensitive config vars and SSM SecureStrings declare their value an additional secret output.",
    enforcementLevel: "mandatory",
    configSchema: encryptedInStateSchema,
    validateResource: (args, reportViolation) => {
        const config = policyConfig<{ exemptFields: string[] }>(encryptedInStateSchema, args);
        for (const field of secretValueFieldsSet(args)) {
            if (config.exemptFields.includes(`${args.type}.${field}`)) continue;
            if (!args.opts.additionalSecretOutputs.includes(field)) {
                reportViolation(
                    `${describe(args)}: "${field}" is not in additionalSecretOutputs; declare it, so the value stays encrypted in state and masked in diffs`,
                );
            }
        }
    },
};

/** True when a value arrives marked secret: a `Secret` of @pulumi/policy, or the runtime's secret signature. */
export function isSecretMarked(v: unknown): boolean {
    if (v instanceof Secret) return true;
    return isObject(v) && v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

const fromSecretsSchema = {
    properties: {
        inputSecretsVisible: {
            type: "boolean",
            description:
                "Whether the resource inputs this policy receives keep their secret marks. @pulumi/policy 1.21 unwraps secrets before validateResource, so under the Pulumi CLI they do not, and the policy reports itself not applicable. The offline harness (tests/policy) keeps them and sets this to true.",
            default: false,
        },
    },
} satisfies PolicyConfigSchema;

/**
 * Every GitHub Actions secret, Heroku sensitive config var set and SSM
 * SecureString gets its value from a secret: the value reaches the engine
 * marked secret. Advisory, because under the CLI a policy cannot see it: the
 * policy SDK hands validateResource its inputs with secrets unwrapped
 * (deserializeProperties(props, false) in @pulumi/policy's server). The SDKs
 * of these types wrap the value in `pulumi.secret` themselves, and the
 * offline harness checks the program's own wiring with `inputSecretsVisible`.
 */
export const secretValuesFromSecrets: ResourceValidationPolicy = {
    name: "secret-values-from-secrets",
    description: "GitHub secrets, Heroku sensitive config vars and SSM SecureStrings get their value from a secret.",
    enforcementLevel: "advisory",
    configSchema: fromSecretsSchema,
    validateResource: (args, reportViolation) => {
        const fields = secretValueFieldsSet(args);
        if (fields.length === 0) return;
        const config = policyConfig<{ inputSecretsVisible: boolean }>(fromSecretsSchema, args);
        if (!config.inputSecretsVisible) {
            args.notApplicable("the policy SDK passes inputs with secrets unwrapped, so whether a value arrived as a secret is not visible");
        }
        for (const field of fields) {
            if (!isSecretMarked(args.props[field])) {
                reportViolation(`${describe(args)}: "${field}" arrives as a plain value; pass it a secret (pulumi.secret, a secret config value or a secret output)`);
            }
        }
    },
};

// ---------------------------------------------------------------------------
// credentials-not-in-plain-places, credential-outputs-only-in-secrets

/**
 * The resource types that issue a credential, in words. The program's secrets
 * map (scripts/lib/credentials.ts) follows the same types from issuer to
 * consumer.
 */
export const CREDENTIAL_ISSUER_TYPES: ReadonlyMap<string, string> = new Map([
    [TYPES.iamAccessKey, "AWS IAM access key"],
    [TYPES.herokuAuthorization, "Heroku OAuth authorization"],
    [TYPES.cloudflareApiToken, "Cloudflare API token"],
    [TYPES.cloudflareAccessServiceToken, "Cloudflare Access service token"],
    [TYPES.randomBytes, "random bytes"],
    [TYPES.randomPassword, "random password"],
]);

/** Consumer types whose values are stored and shown in plain text, and the field that names each value. */
export const GITHUB_VARIABLE_TYPES: ReadonlySet<string> = new Set([TYPES.githubActionsVariable, TYPES.githubActionsEnvironmentVariable, TYPES.githubActionsOrganizationVariable]);

/** Every type that holds a value for a consumer to read, secret-typed or plain. */
export const CONSUMER_TYPES: ReadonlySet<string> = new Set([...SECRET_VALUE_FIELDS.keys(), ...GITHUB_VARIABLE_TYPES]);

const plainPlacesSchema = {
    properties: {
        secretNamePatterns: listOfStrings("Case-insensitive regular expressions; a GitHub variable or Heroku plain config var whose name matches one holds a credential.", [...SECRET_NAME_PATTERNS]),
        credentialValuePatterns: {
            type: "array",
            items: { type: "string" },
            description:
                "Regular expressions; a plain value (GitHub variable, Heroku plain config var, SSM String or StringList) that matches one is a credential. Known token formats and 64+ hex digits (32 random bytes).",
            default: [
                "^(AKIA|ASIA)[A-Z0-9]{16}$",
                "^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})$",
                "^HRKU-[A-Za-z0-9_-]{20,}$",
                "^xox[abprs]-[A-Za-z0-9-]{10,}$",
                "-----BEGIN [A-Z ]*PRIVATE KEY-----",
                "^[0-9a-fA-F]{64,}$",
            ],
        },
    },
} satisfies PolicyConfigSchema;

interface PlainPlacesConfig {
    readonly secretNamePatterns: string[];
    readonly credentialValuePatterns: string[];
}

interface PlainValue {
    /** How a message names it: `variable "X"`, `plain config var "X"`, `SSM String "/x"`. */
    readonly what: string;
    /** The name to match against the secret name patterns; undefined: not checked by name here. */
    readonly name: string | undefined;
    /** Reads the value, which may be unknown during preview (reading it then throws). */
    readonly read: () => unknown;
}

/** The plain (non-secret) values a resource writes for a consumer. */
function plainValues(args: ResourceValidationArgs): PlainValue[] {
    if (GITHUB_VARIABLE_TYPES.has(args.type)) {
        const name = typeof args.props.variableName === "string" ? args.props.variableName : undefined;
        return [{ what: `variable "${name ?? args.name}"`, name, read: () => args.props.value }];
    }
    if (args.type === TYPES.herokuConfigVars) {
        const vars = known(() => args.props.vars);
        // Stryker disable next-line ArrayDeclaration: a string in place of the list has no name and no read, so it matches no pattern
        if (!isObject(vars)) return [];
        return Object.keys(vars).map((key) => ({ what: `plain config var "${key}"`, name: key, read: () => vars[key] }));
    }
    if (args.type === TYPES.ssmParameter && args.props.type !== "SecureString") {
        // A secret-looking name is ssm-secret-parameters-securestring's to report; this checks the value only.
        const name = typeof args.props.name === "string" ? args.props.name : args.name;
        return [{ what: `SSM ${typeof args.props.type === "string" ? args.props.type : "parameter"} "${name}"`, name: undefined, read: () => args.props.value }];
    }
    // Stryker disable next-line ArrayDeclaration: a string in place of the list has no name and no read, so it matches no pattern
    return [];
}

/** What `read` returns, or undefined when it throws: a value unknown during preview, a string that is not JSON. */
function known(read: () => unknown): unknown {
    try {
        return read();
    } catch {
        // Undefined, below.
    }
    return undefined;
}

/**
 * No credential is written where it is stored and shown in plain text: a
 * GitHub Actions variable (repository, environment or organization), a Heroku
 * plain config var (`vars`), an SSM String or StringList. A value counts as a
 * credential when its name matches a secret name pattern (for the SSM types,
 * ssm-secret-parameters-securestring checks names) or its value has the shape
 * of one. The value is never echoed. Values unknown during preview are
 * checked at update, when they are known.
 */
export const credentialsNotInPlainPlaces: ResourceValidationPolicy = {
    name: "credentials-not-in-plain-places",
    description: "No GitHub Actions variable, Heroku plain config var or SSM String holds a value whose name or shape marks it a credential.",
    enforcementLevel: "mandatory",
    configSchema: plainPlacesSchema,
    validateResource: (args, reportViolation) => {
        const places = plainValues(args);
        const config = policyConfig<PlainPlacesConfig>(plainPlacesSchema, args);
        const fix =
            args.type === TYPES.herokuConfigVars ? "move it to secretVars" : args.type === TYPES.ssmParameter ? "declare it type SecureString" : "make it an Actions secret";
        for (const place of places) {
            const { name } = place;
            const byName = name === undefined ? undefined : config.secretNamePatterns.find((p) => new RegExp(p, "i").test(name));
            const value = known(place.read);
            const byValue = typeof value === "string" ? config.credentialValuePatterns.find((p) => new RegExp(p).test(value)) : undefined;
            const reason = byName !== undefined ? `its name matches /${byName}/i` : byValue !== undefined ? `its value has the shape of one (/${byValue}/)` : undefined;
            if (reason !== undefined) {
                reportViolation(`${describe(args)}: ${place.what} looks like a credential (${reason}), but it is stored and shown in plain text; ${fix}`);
            }
        }
    },
};

/** The issuers among a property's dependencies, as `<type> "<name>"`. */
function issuersOf(dependencies: readonly PolicyResource[]): string[] {
    return dependencies.filter((d) => CREDENTIAL_ISSUER_TYPES.has(d.type)).map((d) => `${d.type} "${d.name}"`);
}

const outputsOnlyInSecretsSchema = {
    properties: {
        exemptFields: listOfStrings("`<type>.<field>` pairs that may take a value from a credential issuer though they are not secret-typed."),
    },
} satisfies PolicyConfigSchema;

/**
 * Whatever its name: a value the engine records as coming from a credential
 * issuer (an IAM access key, a Heroku authorization, a Cloudflare API or
 * Access service token, random bytes or a password) reaches a consumer only
 * through a secret-typed field: a GitHub Actions secret's value, Heroku
 * secretVars, an SSM SecureString's value, an Infisical secret's value. It reads the property dependencies the engine hands a
 * stack policy, which the CLI keeps (unlike secret marks), so it holds under
 * `pulumi preview` and `up`.
 */
export const credentialOutputsOnlyInSecrets: StackValidationPolicy = {
    name: "credential-outputs-only-in-secrets",
    description: "A value that comes from a credential issuer reaches a consumer only through a secret-typed field (Actions secret, Heroku secretVars, SSM SecureString, Infisical secret).",
    enforcementLevel: "mandatory",
    configSchema: outputsOnlyInSecretsSchema,
    validateStack: (args, reportViolation) => {
        const config = policyConfig<{ exemptFields: string[] }>(outputsOnlyInSecretsSchema, args);
        for (const r of args.resources) {
            if (!CONSUMER_TYPES.has(r.type)) continue;
            const secretFields = secretFieldsOf(r.type, r.props);
            for (const field of Object.keys(r.propertyDependencies).sort()) {
                if (secretFields.includes(field) || config.exemptFields.includes(`${r.type}.${field}`)) continue;
                const issuers = issuersOf(r.propertyDependencies[field]);
                if (issuers.length === 0) continue;
                const place = r.type === TYPES.ssmParameter ? `, a ${typeof r.props.type === "string" ? r.props.type : "untyped"} parameter,` : "";
                reportViolation(
                    `${describe(r)}: "${field}"${place} takes its value from ${issuers.join(", ")}, a credential; write it only to a secret-typed field (${secretPlacesHint(r.type)})`,
                    r.urn,
                );
            }
        }
    },
};

function secretPlacesHint(type: string): string {
    if (type === TYPES.herokuConfigVars) return "secretVars";
    if (type === TYPES.ssmParameter) return "value of a SecureString";
    if (type === TYPES.infisicalSecret) return "the value of an Infisical secret";
    if (type === TYPES.workspaceUser) return "the password of a Workspace user";
    return "the value of an Actions secret";
}

// ---------------------------------------------------------------------------
// credentials-checked

/**
 * The check kind (providers/verify, CredentialCheck's `kind`) that tests each issuer type. An
 * issuer without one fails the policy until a check for it exists.
 */
export const CHECK_KIND_OF_ISSUER: ReadonlyMap<string, string> = new Map([
    [TYPES.iamAccessKey, "awsAccessKey"],
    [TYPES.herokuAuthorization, "herokuAuthorization"],
    [TYPES.cloudflareApiToken, "cloudflareApiToken"],
    [TYPES.cloudflareAccessServiceToken, "accessServiceToken"],
    [TYPES.randomBytes, "randomBytes"],
    [TYPES.randomPassword, "randomPassword"],
]);

const credentialsCheckedSchema = {
    properties: {
        exemptUrns: listOfStrings("URNs of issuers or consumers that need no check."),
    },
} satisfies PolicyConfigSchema;

/**
 * What the stack issues is checked before it goes out, and where it writes it is checked
 * after (docs/rotation.md, "Checks"). Every issuer has a CredentialCheck of its kind whose
 * `value` comes from it; every secret-typed consumer field that takes a credential takes it
 * through such a check (so the engine writes it only after the check passed); and every such
 * consumer has a ConsumerCheck that depends on it. A check turned off by stack config
 * (`enabled: false`, break-glass) still counts: it is declared, reviewed, and says so.
 */
export const credentialsChecked: StackValidationPolicy = {
    name: "credentials-checked",
    description: "Every issued credential has a check of its kind, reaches consumers only through it, and every place it is written has a check after the write.",
    enforcementLevel: "mandatory",
    configSchema: credentialsCheckedSchema,
    validateStack: (args, reportViolation) => {
        const config = policyConfig<{ exemptUrns: string[] }>(credentialsCheckedSchema, args);
        const exempt = new Set(config.exemptUrns);
        const checks = args.resources.filter((r) => r.type === TYPES.credentialCheck);
        const consumerChecks = args.resources.filter((r) => r.type === TYPES.consumerCheck);
        const urnsOf = (rs: readonly PolicyResource[] | undefined) => new Set(rs?.map((d) => d.urn));
        for (const issuer of args.resources) {
            if (!CREDENTIAL_ISSUER_TYPES.has(issuer.type) || exempt.has(issuer.urn)) continue;
            const kind = CHECK_KIND_OF_ISSUER.get(issuer.type);
            const mine = checks.filter((c) => urnsOf(c.propertyDependencies.value).has(issuer.urn));
            if (kind === undefined) {
                reportViolation(`${describe(issuer)}: no check knows how to test a ${CREDENTIAL_ISSUER_TYPES.get(issuer.type)}; add one to providers/verify before issuing it`, issuer.urn);
            } else if (!mine.some((c) => c.props.kind === kind)) {
                const found = mine.map((c) => String(c.props.kind)).join(", ");
                reportViolation(
                    `${describe(issuer)}: no CredentialCheck of kind ${kind} takes its value${found === "" ? "" : ` (found: ${found})`}; declare one with checkSlots (components/verification.ts)`,
                    issuer.urn,
                );
            }
        }
        const isIssuer = (d: PolicyResource) => CREDENTIAL_ISSUER_TYPES.has(d.type);
        for (const r of args.resources) {
            if (!CONSUMER_TYPES.has(r.type) || exempt.has(r.urn)) continue;
            // A password the stack does not issue (a literal, a config value) would be held by no issuer, and so by no check and no rotation.
            if (r.type === TYPES.workspaceUser && !r.propertyDependencies.password?.some((d) => d.type === TYPES.randomPassword)) {
                reportViolation(`${describe(r)}: "password" does not come from a RandomPassword the stack issues; take it from a RotatingPassword (components/random/rotatingPassword.ts), through its check`, r.urn);
            }
            const fields = secretFieldsOf(r.type, r.props).filter((f) => r.propertyDependencies[f]?.some(isIssuer));
            if (fields.length === 0) continue;
            const held = new Set<string>();
            for (const field of fields.sort()) {
                const deps = r.propertyDependencies[field];
                // Each issuer's value through a check of that issuer, not any check: slot a's check
                // must not let slot b's token through unchecked.
                for (const issuer of deps.filter(isIssuer)) {
                    held.add(issuer.urn);
                    const through = deps.some((d) => d.type === TYPES.credentialCheck && urnsOf(d.propertyDependencies.value).has(issuer.urn));
                    if (!through) {
                        reportViolation(
                            `${describe(r)}: "${field}" takes a credential from ${describe(issuer)} without that credential's check; take it through the check (afterCheck in components/verification.ts)`,
                            r.urn,
                        );
                    }
                }
            }
            const checked = consumerChecks.some((c) => urnsOf(c.dependencies).has(r.urn) && [...urnsOf(c.propertyDependencies.value)].some((u) => held.has(u)));
            if (!checked) {
                reportViolation(`${describe(r)}: holds a credential, but no ConsumerCheck of it depends on it; declare one with checkConsumer (components/verification.ts)`, r.urn);
            }
        }
    },
};

// ---------------------------------------------------------------------------
// iam-users-protected, dns-records-protected

const iamUsersProtectedSchema = {
    properties: {
        exemptUserNames: listOfStrings("IAM user names that may be unprotected."),
    },
} satisfies PolicyConfigSchema;

/** The IAM users the stack declares are protected: deleting one takes an explicit unprotect. */
export const iamUsersProtected: ResourceValidationPolicy = {
    name: "iam-users-protected",
    description: "The IAM users the stack declares are protected, so deleting or replacing one takes an explicit unprotect.",
    enforcementLevel: "mandatory",
    configSchema: iamUsersProtectedSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.iamUser) return;
        const config = policyConfig<{ exemptUserNames: string[] }>(iamUsersProtectedSchema, args);
        const userName = typeof args.props.name === "string" ? args.props.name : args.name;
        if (config.exemptUserNames.includes(userName) || args.opts.protect) return;
        reportViolation(`IAM user "${userName}" (${args.name}) is not protected; set protect: true, so deleting it takes an explicit unprotect`);
    },
};

const dnsRecordsProtectedSchema = {
    properties: {
        protectedStacks: listOfStrings("The stacks whose DNS records must be protected.", ["prod"]),
    },
} satisfies PolicyConfigSchema;

/** In the protected stacks (default: prod), every Cloudflare DNS record is protected. */
export const dnsRecordsProtected: ResourceValidationPolicy = {
    name: "dns-records-protected",
    description: "In production, every Cloudflare DNS record is protected: mail breaks when one goes.",
    enforcementLevel: "mandatory",
    configSchema: dnsRecordsProtectedSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.cloudflareDnsRecord && args.type !== TYPES.cloudflareRecord) return;
        const config = policyConfig<{ protectedStacks: string[] }>(dnsRecordsProtectedSchema, args);
        const stack = stackOfUrn(args.urn);
        if (!config.protectedStacks.includes(stack) || args.opts.protect) return;
        const what = [args.props.type, args.props.name].filter((x) => typeof x === "string").join(" ");
        reportViolation(`DNS record ${what === "" ? "" : `${what} `}(${args.name}) is not protected in stack ${stack}; set protect: true`);
    },
};

const accessApplicationsProtectedSchema = {
    properties: {
        exemptResourceNames: listOfStrings("Logical names of Access applications the stack made itself and may delete."),
    },
} satisfies PolicyConfigSchema;

/**
 * Every Cloudflare Access application is protected. The stack declares none:
 * it adds its policy to the vault's application, made by hand (SPEC 7),
 * through providers/cloudflare, and never writes the application. A branch
 * that declares one (the vault's, imported, say) must protect it: a replace or
 * delete would drop every policy on it, and leave a vault open to no one, or
 * to everyone.
 */
export const accessApplicationsProtected: ResourceValidationPolicy = {
    name: "access-applications-protected",
    description: "Every Cloudflare Access application the stack declares is protected: the vault's was made by hand, and a replace or delete would drop its policies.",
    enforcementLevel: "mandatory",
    configSchema: accessApplicationsProtectedSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.cloudflareAccessApplication && args.type !== TYPES.cloudflareAccessApplicationLegacy) return;
        const config = policyConfig<{ exemptResourceNames: string[] }>(accessApplicationsProtectedSchema, args);
        if (config.exemptResourceNames.includes(args.name) || args.opts.protect) return;
        reportViolation(`Access application ${args.name} is not protected; set protect: true, so replacing or deleting it takes an explicit unprotect`);
    },
};

const workspaceAddressesProtectedSchema = {
    properties: {
        exemptAddresses: listOfStrings("Addresses of Workspace groups and users that may be unprotected."),
    },
} satisfies PolicyConfigSchema;

/**
 * Every Google Workspace group and user the stack declares is protected (SPEC 9): a group
 * holds its members and its mail archive, and an address once deleted bounces mail until
 * it is made again. Deleting one takes an explicit unprotect.
 */
export const workspaceAddressesProtected: ResourceValidationPolicy = {
    name: "workspace-addresses-protected",
    description: "Every Google Workspace group and user the stack declares is protected: deleting one loses its members and history, and its address bounces.",
    enforcementLevel: "mandatory",
    configSchema: workspaceAddressesProtectedSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.workspaceGroup && args.type !== TYPES.workspaceUser) return;
        const config = policyConfig<{ exemptAddresses: string[] }>(workspaceAddressesProtectedSchema, args);
        const address = args.type === TYPES.workspaceGroup ? args.props.email : args.props.primaryEmail;
        const shown = typeof address === "string" ? address : args.name;
        if (config.exemptAddresses.includes(shown) || args.opts.protect) return;
        reportViolation(`Workspace ${args.type === TYPES.workspaceGroup ? "group" : "user"} ${shown} (${args.name}) is not protected; set protect: true, so deleting it takes an explicit unprotect`);
    },
};

// ---------------------------------------------------------------------------
// cloudflare-token-permission-groups

export interface AllowedToken {
    /** How many permission groups the token's one policy carries. */
    readonly permissionGroupCount?: number;
    /** Permission group ids the token's policy carries, exactly. */
    readonly permissionGroupIds?: string[];
    /** Stack config keys (`project:key`) whose values are permission group ids to allow too. */
    readonly permissionGroupIdConfigKeys?: string[];
    /** Every key of the policy's `resources` is this prefix and a hex id; every value is "*". */
    readonly resourcePrefix?: string;
}

export const BILLING_READ_GROUP_ID_KEY = "raxx-platform:cloudflareBillingReadPermissionGroupId";

const cloudflareTokenSchema = {
    properties: {
        tokens: {
            type: "object",
            description:
                "The API tokens the stack may declare, by token name: how many permission groups their one policy carries, which ids exactly (listed, or read from stack config keys), and the scope of its resources.",
            additionalProperties: {
                type: "object",
                properties: {
                    permissionGroupCount: { type: "integer", minimum: 1 },
                    permissionGroupIds: { type: "array", items: { type: "string" } },
                    permissionGroupIdConfigKeys: { type: "array", items: { type: "string" } },
                    resourcePrefix: { type: "string" },
                },
            },
            default: {
                "raxx-billing-readonly": {
                    permissionGroupCount: 1,
                    permissionGroupIds: [],
                    permissionGroupIdConfigKeys: [BILLING_READ_GROUP_ID_KEY],
                    resourcePrefix: "com.cloudflare.api.account.",
                },
            },
        },
    },
} satisfies PolicyConfigSchema;

/** A stack config value, as the CLI hands it to a policy pack (the PULUMI_CONFIG environment variable). */
function stackConfigValue(key: string): string | undefined {
    const value = pulumi.runtime.getConfig(key);
    return value === "" ? undefined : value;
}

function parseResources(v: unknown): Record<string, unknown> | undefined {
    const parsed = typeof v === "string" ? known(() => JSON.parse(v)) : v;
    return isObject(parsed) ? parsed : undefined;
}

/**
 * Each Cloudflare API token is one the config expects, with exactly one
 * policy, effect allow, the expected number of permission groups, and
 * resources within the allowed scope. The groups must be exactly the ids the
 * policy config lists or the stack config keys it names pin (by default
 * raxx-platform:cloudflareBillingReadPermissionGroupId, which the program
 * reads too). A named key that the stack leaves unset fails the token: the
 * program would look the id up by name, which a policy cannot see, so any
 * group would pass.
 */
export const cloudflareTokenPermissionGroups: ResourceValidationPolicy = {
    name: "cloudflare-token-permission-groups",
    description: "Every Cloudflare API token has exactly one allow policy with exactly the allowed permission groups.",
    enforcementLevel: "mandatory",
    configSchema: cloudflareTokenSchema,
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.cloudflareApiToken) return;
        const config = policyConfig<{ tokens: Record<string, AllowedToken> }>(cloudflareTokenSchema, args);
        const tokenName = typeof args.props.name === "string" ? args.props.name : undefined;
        const label = `Cloudflare API token "${tokenName ?? args.name}"`;
        // Own keys only: a token named `constructor` or `toString` must not find a rule on Object.prototype.
        const allowed = tokenName !== undefined && Object.hasOwn(config.tokens, tokenName) ? config.tokens[tokenName] : undefined;
        if (allowed === undefined) {
            const expected = Object.keys(config.tokens).join(", ") || "none";
            reportViolation(`${label} is not one the policy config allows (allowed: ${expected}); add it under "tokens"`);
            return;
        }
        const policies = Array.isArray(args.props.policies) ? (args.props.policies as Record<string, unknown>[]) : [];
        if (policies.length !== 1) {
            reportViolation(`${label} has ${policies.length} policies; it must have exactly one`);
            return;
        }
        const policy = policies[0];
        if (policy.effect !== "allow") {
            reportViolation(`${label}: its policy's effect is ${JSON.stringify(policy.effect)}; it must be "allow"`);
        }

        const groups = Array.isArray(policy.permissionGroups) ? (policy.permissionGroups as Record<string, unknown>[]) : [];
        const ids = groups.map((g) => String(g?.id)).sort();
        const idKeys = allowed.permissionGroupIdConfigKeys ?? [];
        // Unpinned, any group of the right count would pass: the policy cannot see what the program looked up by name.
        for (const key of idKeys.filter((k) => stackConfigValue(k) === undefined)) {
            reportViolation(
                `${label}: stack ${stackOfUrn(args.urn)} does not set ${key}, so its permission groups cannot be checked; ` +
                    `pin the group's id there (pulumi config set ${key} <id>; GET https://api.cloudflare.com/client/v4/user/tokens/permission_groups lists every group's id and name)`,
            );
        }
        const fromKeys = idKeys.map(stackConfigValue).filter((v): v is string => v !== undefined);
        const allowedIds = [...new Set([...(allowed.permissionGroupIds ?? []), ...fromKeys])].sort();
        const count = allowed.permissionGroupCount ?? (allowedIds.length > 0 ? allowedIds.length : undefined);
        if (count !== undefined && ids.length !== count) {
            reportViolation(`${label} carries ${ids.length} permission groups ${JSON.stringify(ids)}; it must carry exactly ${count}`);
        } else if (allowedIds.length > 0 && JSON.stringify(ids) !== JSON.stringify(allowedIds)) {
            reportViolation(`${label}: permission groups ${JSON.stringify(ids)} are not exactly the allowed ${JSON.stringify(allowedIds)}`);
        }

        const prefix = allowed.resourcePrefix;
        if (prefix !== undefined) {
            const resources = parseResources(policy.resources);
            if (resources === undefined || Object.keys(resources).length === 0) {
                reportViolation(`${label}: its policy has no resources; scope it to ${prefix}<id>`);
            } else {
                for (const [resource, access] of Object.entries(resources)) {
                    // `<prefix><hex id>` only: `com.cloudflare.api.account.zone.<id>` is not an account.
                    const scoped = resource.startsWith(prefix) && /^[0-9a-f]+$/i.test(resource.slice(prefix.length));
                    if (!scoped || access !== "*") {
                        reportViolation(`${label}: resource ${JSON.stringify(resource)}: ${JSON.stringify(access)} is outside ${prefix}<id>: "*"`);
                    }
                }
            }
        }
    },
};

/** Every policy of the pack, in the order the pack lists them. */
export const POLICIES: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    ssmSecretParametersSecureString,
    iamNoWildcardActions,
    iamNoPrivilegeEscalation,
    iamNoAdministratorAccess,
    secretValuesEncryptedInState,
    secretValuesFromSecrets,
    credentialsNotInPlainPlaces,
    credentialOutputsOnlyInSecrets,
    credentialsChecked,
    iamUsersProtected,
    dnsRecordsProtected,
    accessApplicationsProtected,
    workspaceAddressesProtected,
    cloudflareTokenPermissionGroups,
];
