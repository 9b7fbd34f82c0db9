// One secret in the Infisical vault, as a Pulumi dynamic resource.
//
//   check   → local validation only (project, environment, path, key, value, access, owner)
//   diff    → projectId, environment, path or key replaces (create before delete); value, access,
//             owner or new provider code is an update
//   create  → login; GET the secret; on "folder not found", POST the last folder of the path
//             (Infisical makes the missing ones above it);
//             then POST the secret, or adopt an existing one (PATCH only what differs)
//   read    → login; GET the secret (a 404 for the secret or its folder: gone, no id)
//   update  → as create, keeping the instance: an access-only change writes nothing
//   delete  → login; GET; DELETE only if the secret's owner metadata names this instance
//
// Endpoints (Infisical backend/src/server/routes/v4/secret-router.ts, API reference
// https://infisical.com/docs/api-reference/endpoints/secrets/read and siblings):
//   GET    /api/v4/secrets/{key}?projectId&environment&secretPath&type=shared&viewSecretValue=true
//          &expandSecretReferences=false&include_imports=false → {secret: {id, secretKey, secretValue, secretMetadata, version}}
//   POST   /api/v4/secrets/{key} {projectId, environment, secretPath, secretValue, type, secretMetadata} → {secret} | {approval}
//   PATCH  /api/v4/secrets/{key} {projectId, environment, secretPath, type, secretValue?, secretMetadata} → {secret} | {approval}
//   DELETE /api/v4/secrets/{key} {projectId, environment, secretPath, type} → {secret} | {approval}
// A write into a missing folder fails 404 "Folder with path '<p>' in environment with slug '<e>' not found"
// (backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts); a missing secret is 404
// "Secret with name '<k>' not found"; a POST of an existing one is 400 "Secret already exist".
// Folders: POST /api/v1/folders {workspaceId, projectId, environment, name, path: <parent>} → {folder}
// (backend/src/server/routes/v1/secret-folder-router.ts), idempotent: an existing folder is
// returned (backend/src/services/secret-folder/secret-folder-service.ts createFolder).
//
// Ownership: the secret carries a metadata entry `raxx-platform-owner` =
// `<project>/<stack>/<resource name>#<instance>`, written in the same request as the value
// (a POST or PATCH is applied whole), so a value and its owner never disagree. Delete removes
// the secret only when that entry names this instance. See docs/infisical-provider.md.
import * as crypto from "node:crypto";

import * as pulumi from "@pulumi/pulumi";

import { ConfiguredProvider, UNKNOWN, codeChanged } from "../http";
import { AccessToken, HttpOptions, RUN_AGAIN, Session, infisicalError, isInfisicalApiError, login, request, resolveSettings, ConfiguredCredentials } from "./client";
import { INFISICAL_CLIENT_ID_CONFIG, INFISICAL_CLIENT_SECRET_CONFIG, INFISICAL_URL_CONFIG } from "./client";
import { BundledResource } from "../bundle";

/** The metadata key that names a secret's owner. */
export const OWNER_METADATA_KEY = "raxx-platform-owner";
/** Secret names we accept: environment-variable shaped, since consumers inject them as env vars. */
export const SECRET_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Folder path: `/` or `/<segment>[/<segment>...]`, segments as Infisical's isValidFolderName allows. */
export const FOLDER_PATH = /^\/(?:[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)?$/;
/** Environment slugs, as Infisical makes them. */
export const ENVIRONMENT_SLUG = /^[a-z0-9][a-z0-9_-]*$/;
const OWNER = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/.+$/;

/** Inputs after `check`. `value` and `access` are secret. */
export interface SecretInputs {
    readonly projectId: string;
    readonly environment: string;
    readonly path: string;
    readonly key: string;
    readonly value: string;
    readonly access: AccessToken;
    /** `<project>/<stack>/<resource name>`, set by the `Secret` constructor. */
    readonly owner: string;
}

/** State. `value`, `access` and `written` are secret. */
export interface SecretOutputs extends SecretInputs {
    /** Infisical's id of the secret. */
    readonly secretId: string;
    /** Random id made at create: the owner entry is `<owner>#<instance>`, so a replacement is a different owner. */
    readonly instance: string;
    /** What create or update last wrote (or found already there). A refresh never changes it. */
    readonly written: string;
    /** Set by a refresh when the vault's value is not `written` ("changed"). */
    readonly drift?: "changed";
}

/** Infisical's metadata entries (ResourceMetadataWithEncryptionSchema). */
interface MetadataEntry {
    key: string;
    value: string;
    isEncrypted?: boolean;
}

export interface RemoteSecret {
    id: string;
    value: string;
    metadata: MetadataEntry[];
}

/** The resource id: `<projectId>:<environment>:<path>:<key>`. */
export function secretId(x: { projectId: string; environment: string; path: string; key: string }): string {
    return `${x.projectId}:${x.environment}:${x.path}:${x.key}`;
}

/** CRUD for `pulumi-nodejs:dynamic/infisical:Secret`. Exported for tests; use `Secret`. */
export class SecretProvider extends ConfiguredProvider<HttpOptions, ConfiguredCredentials> implements pulumi.dynamic.ResourceProvider<SecretInputs, SecretOutputs> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    /** Secret stack config `infisicalClientId`/`infisicalClientSecret`/`infisicalUrl` (project namespace) wins over the env vars. */
    protected configKeys(): { clientId: string; clientSecret: string; url: string } {
        return { clientId: INFISICAL_CLIENT_ID_CONFIG, clientSecret: INFISICAL_CLIENT_SECRET_CONFIG, url: INFISICAL_URL_CONFIG };
    }

    private session(access: AccessToken): Promise<Session> {
        return login(resolveSettings(this.configured, this.httpOptions), access);
    }

    async check(_olds: SecretInputs, news: SecretInputs): Promise<pulumi.dynamic.CheckResult<SecretInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        const bad = (property: string, test: (v: string) => boolean, reason: string) => {
            const v = raw[property];
            if (v === UNKNOWN) return;
            if (typeof v !== "string" || !test(v)) failures.push({ property, reason });
        };
        bad("projectId", (v) => /^[A-Za-z0-9-]{1,64}$/.test(v), 'projectId must be the Infisical project id (Project Settings > Project ID, e.g. "6f1c9a2e-8b7d-4c3a-9e5f-1a2b3c4d5e6f")');
        bad("environment", (v) => ENVIRONMENT_SLUG.test(v), 'environment must be an Infisical environment slug, lowercase (e.g. "prod")');
        bad("path", (v) => FOLDER_PATH.test(v), 'path must be "/" or a folder path of letters, digits, dashes and underscores, with no trailing slash (e.g. "/MooseQuest/heroku")');
        bad("key", (v) => SECRET_KEY.test(v), "key must be a secret name of letters, digits and underscores, not starting with a digit (e.g. HEROKU_PLATFORM_API_TOKEN)");
        bad("owner", (v) => OWNER.test(v), 'owner must be "<project>/<stack>/<resource name>", as the Secret constructor sets it (e.g. "raxx-platform/prod/heroku-token-vault")');
        // Reasons never show the value: it is a secret.
        const value = raw.value;
        if (value !== UNKNOWN) {
            if (typeof value !== "string" || value === "") {
                failures.push({ property: "value", reason: "value must be a non-empty string; an empty value is almost always a missing secret" });
            } else if (value !== value.trim() && value !== `${value.trim()}\n`) {
                failures.push({
                    property: "value",
                    reason: "value has leading or trailing whitespace, which Infisical trims on write (the vault would never hold what Pulumi declared); trim it",
                });
            }
        }
        const access = raw.access as Record<string, unknown> | undefined;
        if (access !== UNKNOWN as unknown) {
            const ok = (v: unknown) => v === UNKNOWN || (typeof v === "string" && v !== "");
            if (typeof access !== "object" || access === null || !ok(access.clientId) || !ok(access.clientSecret)) {
                failures.push({ property: "access", reason: "access must be the Cloudflare Access service token { clientId, clientSecret } of the stack's active Access slot" });
            }
        }
        const inputs = Object.fromEntries(["projectId", "environment", "path", "key", "value", "access", "owner"].filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
        return { inputs: inputs as unknown as SecretInputs, failures };
    }

    async diff(_id: pulumi.ID, olds: SecretOutputs, news: SecretInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = (["projectId", "environment", "path", "key"] as const).filter((k) => olds[k] !== news[k]);
        let changes = replaces.length > 0 || olds.value !== news.value || olds.owner !== news.owner;
        changes ||= olds.access?.clientId !== news.access?.clientId || olds.access?.clientSecret !== news.access?.clientSecret || codeChanged(olds, news);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: SecretInputs): Promise<pulumi.dynamic.CreateResult<SecretOutputs>> {
        const session = await this.session(inputs.access);
        const instance = crypto.randomBytes(8).toString("hex");
        const outs = await converge(session, inputs, instance);
        return { id: secretId(inputs), outs };
    }

    async read(id: pulumi.ID, props?: SecretOutputs): Promise<pulumi.dynamic.ReadResult<SecretOutputs>> {
        if (props === undefined || typeof props.key !== "string" || props.access === undefined) {
            throw new Error(
                `Infisical Secret ${id}: read needs the resource's state (its access token and owner). Importing is not supported: ` +
                    "declare the secret with its current value and run `pulumi up`, which adopts it without writing the value.",
            );
        }
        const session = await this.session(props.access);
        const remote = await getSecret(session, props, [props.value, props.written]);
        if (remote === undefined) return {}; // the secret, or its folder, is gone: the engine forgets it
        const written = props.written ?? props.value;
        const { drift: _old, ...rest } = props;
        const outs: SecretOutputs = { ...rest, value: remote.value, secretId: remote.id, written, ...(remote.value === written ? {} : { drift: "changed" as const }) };
        return { id, props: outs };
    }

    async update(_id: pulumi.ID, olds: SecretOutputs, news: SecretInputs): Promise<pulumi.dynamic.UpdateResult<SecretOutputs>> {
        const session = await this.session(news.access);
        return { outs: await converge(session, news, olds.instance ?? crypto.randomBytes(8).toString("hex"), [olds.value, olds.written]) };
    }

    /** Deletes the secret only if its owner entry names this instance; otherwise another resource owns it now. */
    async delete(_id: pulumi.ID, props: SecretOutputs): Promise<void> {
        const session = await this.session(props.access);
        const secrets = [props.value, props.written];
        const remote = await getSecret(session, props, secrets);
        if (remote === undefined) return; // already gone
        if (ownerOf(remote) !== `${props.owner}#${props.instance}`) return; // taken over (rename, replacement, create-before-delete), or never ours
        try {
            await write(session, "DELETE", props, { projectId: props.projectId, environment: props.environment, secretPath: props.path, type: "shared" }, secrets);
        } catch (e) {
            if (isGone(e)) return;
            throw e;
        }
    }
}

/**
 * Makes the vault hold `news.value` under this instance's owner entry, writing only what
 * differs: nothing when both already hold (an access-only update, or adopting a secret
 * this resource already owns), the metadata alone when only the owner differs. Refuses,
 * before writing, a secret whose owner entry names another stack. Never deletes anything.
 */
async function converge(session: Session, news: SecretInputs, instance: string, oldSecrets: readonly string[] = []): Promise<SecretOutputs> {
    const me = `${news.owner}#${instance}`;
    const secrets = [news.value, ...oldSecrets];
    const base = { projectId: news.projectId, environment: news.environment, secretPath: news.path, type: "shared" };
    let remote: RemoteSecret | undefined;
    // Stryker disable next-line BooleanLiteral: it is read only when getSecretOrThrow threw, and the catch sets it first
    let folderMissing = false;
    try {
        remote = await getSecretOrThrow(session, news, secrets);
    } catch (e) {
        if (!isGone(e)) throw e;
        folderMissing = isFolderMissing(e);
    }
    if (remote === undefined) {
        if (folderMissing) await ensureFolders(session, news);
        const metadata = [{ key: OWNER_METADATA_KEY, value: me }];
        try {
            const made = await write(session, "POST", news, { ...base, secretValue: news.value, secretMetadata: metadata }, secrets);
            return outputs(news, instance, made.id, news.value);
        } catch (e) {
            // Created in between (another resource of this stack, in parallel): adopt it as below.
            // Stryker disable next-line StringLiteral: the fallback for a missing message only has to fail /already exist/, which Stryker's text fails too
            if (!(isInfisicalApiError(e) && e.status === 400 && /already exist/i.test(e.infisicalMessage ?? ""))) throw e;
            remote = await getSecretOrThrow(session, news, secrets);
        }
    }
    const owner = ownerOf(remote);
    if (owner !== undefined && owner !== me && stackOf(owner) !== stackOf(news.owner)) {
        throw infisicalError(
            `Infisical secret ${news.key} at ${news.path} (environment ${news.environment}) belongs to another stack: its ${OWNER_METADATA_KEY} metadata names ${owner}. Nothing was written. ` +
                `Declare each secret in one stack only; if that stack no longer manages it, remove the ${OWNER_METADATA_KEY} metadata from the secret in the Infisical UI, ${RUN_AGAIN}.`,
            { method: "GET", path: secretPath(news.key), status: 200 },
        );
    }
    const body: Record<string, unknown> = { ...base };
    if (remote.value !== news.value) body.secretValue = news.value;
    if (owner !== me) body.secretMetadata = [...remote.metadata.filter((m) => m.key !== OWNER_METADATA_KEY), { key: OWNER_METADATA_KEY, value: me }];
    if (Object.keys(body).length === Object.keys(base).length) return outputs(news, instance, remote.id, remote.value);
    const written = await write(session, "PATCH", news, body, secrets);
    return outputs(news, instance, written.id || remote.id, news.value);
}

function outputs(news: SecretInputs, instance: string, id: string, written: string): SecretOutputs {
    return {
        projectId: news.projectId,
        environment: news.environment,
        path: news.path,
        key: news.key,
        value: written,
        access: news.access,
        owner: news.owner,
        secretId: id,
        instance,
        written,
    };
}

function secretPath(key: string): string {
    return `/api/v4/secrets/${encodeURIComponent(key)}`;
}

export type Where = { projectId: string; environment: string; path: string; key: string };

/** The secret, or undefined when it (or its folder) does not exist. */
async function getSecret(session: Session, where: Where, secrets: readonly (string | undefined)[]): Promise<RemoteSecret | undefined> {
    try {
        return await getSecretOrThrow(session, where, secrets);
    } catch (e) {
        if (isGone(e)) return undefined;
        throw e;
    }
}

/** The secret as the vault holds it; throws when it, or its folder, is missing. The credential checks read with it too. */
export async function getSecretOrThrow(session: Session, where: Where, secrets: readonly (string | undefined)[]): Promise<RemoteSecret> {
    const res = await request<{ secret?: { id?: unknown; secretValue?: unknown; secretMetadata?: unknown } }>(session, {
        method: "GET",
        path: secretPath(where.key),
        query: {
            projectId: where.projectId,
            environment: where.environment,
            secretPath: where.path,
            type: "shared",
            viewSecretValue: "true",
            // The secret itself, never an imported one or one with references expanded.
            expandSecretReferences: "false",
            include_imports: "false",
        },
        secrets: secrets.filter((s): s is string => typeof s === "string"),
    });
    const s = res.body?.secret;
    if (typeof s?.secretValue !== "string") {
        throw infisicalError(
            `Infisical API GET ${secretPath(where.key)} returned ${res.status} without the secret's value. The machine identity may lack permission to read secret values ` +
                `(the value is hidden), or something other than Infisical answered: give the identity read access to secret values in this environment and path, ${RUN_AGAIN}.`,
            { method: "GET", path: secretPath(where.key), status: res.status },
        );
    }
    const metadata = Array.isArray(s.secretMetadata)
        ? (s.secretMetadata as unknown[])
              .filter((m): m is MetadataEntry => typeof (m as MetadataEntry)?.key === "string" && typeof (m as MetadataEntry)?.value === "string")
              .map((m) => ({ key: m.key, value: m.value, ...(m.isEncrypted === undefined ? {} : { isEncrypted: m.isEncrypted }) }))
        : [];
    return { id: typeof s.id === "string" ? s.id : "", value: s.secretValue, metadata };
}

/** A POST, PATCH or DELETE of the secret; refuses an answer that queued the change for approval. */
async function write(session: Session, method: "POST" | "PATCH" | "DELETE", where: Where, body: Record<string, unknown>, secrets: readonly (string | undefined)[]): Promise<{ id: string }> {
    const path = secretPath(where.key);
    const res = await request<{ secret?: { id?: unknown }; approval?: unknown }>(session, {
        method,
        path,
        body,
        secrets: secrets.filter((s): s is string => typeof s === "string"),
        // A repeated POST after a lost reply would fail "Secret already exist"; a rerun adopts it instead.
        retryable: method !== "POST",
        unknownOutcomeHint:
            method === "DELETE"
                ? `The delete of Infisical secret ${where.key} at ${where.path} may or may not have been applied: run Pulumi again (a secret already gone counts as deleted).`
                : `The write of Infisical secret ${where.key} at ${where.path} may or may not have been applied: ` +
                  `run \`pulumi refresh\`, ${RUN_AGAIN} (a create adopts a secret that is already there).`,
    });
    if (res.body?.approval !== undefined) {
        throw infisicalError(
            `Infisical API ${method} ${path} queued the change for approval instead of applying it: a change policy covers environment ${where.environment} at ${where.path}. ` +
                `Approve or close the request in Infisical, exempt the machine identity from the policy, ${RUN_AGAIN}.`,
            { method, path, status: res.status },
        );
    }
    const id = res.body?.secret?.id;
    return { id: typeof id === "string" ? id : "" };
}

/** Makes the folder `path` and any missing folder above it, with one POST. Folders are never deleted. */
async function ensureFolders(session: Session, where: Where): Promise<void> {
    // One POST for the last folder: Infisical creates every missing folder above it in the same
    // call, and returns an existing one as it is (backend/src/services/secret-folder/
    // secret-folder-service.ts, createFolder). It checks the identity may create folders at the
    // parent path, so only a missing folder is posted.
    const segments = where.path.split("/").filter((s) => s !== "");
    const parent = `/${segments.slice(0, -1).join("/")}`;
    await request(session, {
        method: "POST",
        path: "/api/v1/folders",
        // workspaceId is the route's name for the project; projectId for servers that renamed it (unknown keys are stripped).
        body: { workspaceId: where.projectId, projectId: where.projectId, environment: where.environment, name: segments[segments.length - 1], path: parent },
    });
}

/** A 404 for the secret or for its folder: it is not there. Any other 404 (project, environment) is an error. */
function isGone(e: unknown): boolean {
    // Stryker disable next-line StringLiteral: the fallback for a missing message only has to fail the pattern, which Stryker's text fails too
    return isInfisicalApiError(e) && e.status === 404 && /^(Secret with name|Folder with path)/.test(e.infisicalMessage ?? "");
}

function isFolderMissing(e: unknown): boolean {
    // Stryker disable next-line StringLiteral: the fallback for a missing message only has to fail the pattern, which Stryker's text fails too
    return isInfisicalApiError(e) && e.status === 404 && /^Folder with path/.test(e.infisicalMessage ?? "");
}

function ownerOf(remote: RemoteSecret): string | undefined {
    return remote.metadata.find((m) => m.key === OWNER_METADATA_KEY)?.value;
}

/** `<project>/<stack>/` of an owner or owner entry; an unreadable entry is its own stack. */
function stackOf(owner: string): string {
    const m = /^([^/]+\/[^/]+\/)/.exec(owner);
    return m ? m[1] : `unreadable:${owner}`;
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const secretProvider = /* @__PURE__ */ new SecretProvider();

export interface SecretArgs {
    /** Infisical project (workspace) id. Changing it replaces the resource. Required. */
    readonly projectId: pulumi.Input<string>;
    /** Environment slug, e.g. `prod`. Changing it replaces the resource. Required. */
    readonly environment: pulumi.Input<string>;
    /** Folder path, e.g. `/MooseQuest/heroku`; missing folders are created, never deleted. Changing it replaces the resource. Required. */
    readonly path: pulumi.Input<string>;
    /** Secret name, e.g. `HEROKU_PLATFORM_API_TOKEN`. Changing it replaces the resource. Required. */
    readonly key: pulumi.Input<string>;
    /** The secret's value; always secret in inputs, state and outputs. Required. */
    readonly value: pulumi.Input<string>;
    /** The Cloudflare Access service token of the stack's active Access slot, sent on every request; secret. A change is an update that rewrites nothing. Required. */
    readonly access: pulumi.Input<{ clientId: pulumi.Input<string>; clientSecret: pulumi.Input<string> }>;
}

/**
 * A secret in Infisical, owned by this resource: its `raxx-platform-owner` metadata names
 * the resource, and deleting the resource removes the secret only while that is so.
 */
export class Secret extends BundledResource {
    declare readonly projectId: pulumi.Output<string>;
    declare readonly environment: pulumi.Output<string>;
    declare readonly path: pulumi.Output<string>;
    declare readonly key: pulumi.Output<string>;
    /** The vault's value (secret). */
    declare readonly value: pulumi.Output<string>;
    /** The Access service token in use (secret). */
    declare readonly access: pulumi.Output<AccessToken>;
    /** `<project>/<stack>/<resource name>`. */
    declare readonly owner: pulumi.Output<string>;
    /** Random id of this resource's lifetime; a replacement gets a new one. */
    declare readonly instance: pulumi.Output<string>;
    /** Infisical's id of the secret. */
    declare readonly secretId: pulumi.Output<string>;
    /** What create or update last wrote (secret). */
    declare readonly written: pulumi.Output<string>;
    /** After a refresh: "changed" when the vault's value is not what was written. */
    declare readonly drift: pulumi.Output<"changed" | undefined>;

    constructor(name: string, args: SecretArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            module,
            "secretProvider",
            name,
            {
                projectId: args.projectId,
                environment: args.environment,
                path: args.path,
                key: args.key,
                value: pulumi.secret(args.value),
                access: pulumi.secret(args.access),
                owner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
                instance: undefined,
                secretId: undefined,
                written: undefined,
                drift: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value", "access", "written"] }),
            "infisical",
            "Secret",
        );
    }
}
