// A named set of config vars on one Heroku app, as a Pulumi dynamic resource.
// It manages only its own keys and never touches the app's other vars.
//
//   check   → local validation only (app name, var names, no empty value, no key twice)
//   diff    → a value or key-set change, or new provider code, is an update; only a change of `app` replaces
//   create  → GET   /account (the owner), GET /apps/{app}/config-vars, then PATCH only the keys that differ (none: no write)
//   read    → GET   /apps/{app}/config-vars, keeping only this resource's keys (404: gone only if GET /account is the recorded owner)
//   update  → GET   /apps/{app}/config-vars, then PATCH changed keys, and null for keys dropped from the set
//   delete  → GET   /apps/{app}/config-vars, then PATCH this resource's keys to null (404: as in read)
//
// A PATCH is applied to the app all at once or not at all, so one resource never
// leaves its set half-written. Every write creates a release and restarts the app's
// dynos, which is why a write is skipped when the app already holds the values.
import * as pulumi from "@pulumi/pulumi";

import { GoneWords, HerokuIdentity, HerokuProviderBase, OwnerFields, UNKNOWN, codeChanged, confirmGone, currentAccount, ownerFields } from "./base";
import { ClientSettings, HttpOptions, RUN_AGAIN, herokuError, herokuRequest, isHerokuApiError, isNotFound } from "./client";

/** Heroku app names (Platform API schema: `^[a-z][a-z0-9-]{1,28}[a-z0-9]$`). */
export const HEROKU_APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
/**
 * Config var names we accept. The API takes `^\w+$`; we also refuse a leading digit,
 * since such a name cannot be read as an environment variable from a shell.
 */
export const CONFIG_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Inputs after `check`, as the provider sees them. */
export interface ConfigVarsInputs {
    readonly app: string;
    readonly vars: Record<string, string>;
    readonly secretVars: Record<string, string>;
}

/**
 * State: the remote values of the owned keys, plus the owned key names. `secretVars` is
 * secret. `ownerId` and `ownerEmail` name the account whose key created the resource.
 */
export interface ConfigVarsOutputs extends ConfigVarsInputs, OwnerFields {
    /** Every key this resource owns, sorted; a key missing on Heroku is still listed here. */
    readonly keys: string[];
}

type VarMap = Record<string, string>;

/** The resource id and the `import` id: `<app>:<KEY>[,<KEY>...]`, keys sorted. */
export function configVarsId(app: string, keys: readonly string[]): string {
    return `${app}:${[...keys].sort().join(",")}`;
}

/** Parses `<app>:<KEY>[,<KEY>...]`; throws a message with an example when it does not fit. */
export function parseConfigVarsId(id: string): { app: string; keys: string[] } {
    const example = "raxx-console-prod:CONSOLE_AUDIT_INGEST_TOKEN,FLAG_CONSOLE_DEPLOY_AUDIT_INGEST";
    const sep = id.indexOf(":");
    const app = sep < 0 ? "" : id.slice(0, sep);
    const keys = sep < 0 ? [] : id.slice(sep + 1).split(",").map((k) => k.trim());
    if (!HEROKU_APP_NAME.test(app) || keys.length === 0 || keys.some((k) => !CONFIG_VAR_NAME.test(k))) {
        throw new Error(`ConfigVars id "${id.slice(0, 200)}" is not of the form <app>:<KEY>[,<KEY>...], e.g. ${example}`);
    }
    return { app, keys: [...new Set(keys)].sort() };
}

/** CRUD for `pulumi-nodejs:dynamic/heroku:ConfigVars`. Exported for tests; use `ConfigVars`. */
export class ConfigVarsProvider extends HerokuProviderBase implements pulumi.dynamic.ResourceProvider<ConfigVarsInputs, ConfigVarsOutputs> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    async check(_olds: ConfigVarsInputs, news: ConfigVarsInputs): Promise<pulumi.dynamic.CheckResult<ConfigVarsInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const raw = news as unknown as Record<string, unknown>;
        const app = raw.app;
        if (app !== UNKNOWN && (typeof app !== "string" || !HEROKU_APP_NAME.test(app))) {
            const shown = typeof app === "string" ? `"${app.slice(0, 60)}"` : `a ${app === undefined ? "missing value" : typeof app}`;
            failures.push({
                property: "app",
                reason: `${shown} is not a Heroku app name: use 3-30 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (e.g. "raxx-console-prod")`,
            });
        }
        const vars = checkVarMap("vars", raw.vars, failures);
        const secretVars = checkVarMap("secretVars", raw.secretVars, failures);
        if (vars !== UNKNOWN && secretVars !== UNKNOWN) {
            for (const k of Object.keys(vars)) {
                if (Object.prototype.hasOwnProperty.call(secretVars, k)) {
                    failures.push({
                        property: "secretVars",
                        reason: `${k} is in both vars and secretVars; declare it once (in secretVars if its value is sensitive)`,
                    });
                }
            }
            if (Object.keys(vars).length + Object.keys(secretVars).length === 0) {
                failures.push({ property: "vars", reason: "declare at least one var in vars or secretVars" });
            }
        }
        return { inputs: { app: news.app, vars: vars as VarMap, secretVars: secretVars as VarMap }, failures };
    }

    async diff(_id: pulumi.ID, olds: ConfigVarsOutputs, news: ConfigVarsInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = olds.app !== news.app ? ["app"] : [];
        const oldAll = allVars(olds);
        const newAll = allVars(news);
        const oldKeys = Object.keys(oldAll).sort();
        const newKeys = Object.keys(newAll).sort();
        let changes = replaces.length > 0 || JSON.stringify(oldKeys) !== JSON.stringify(newKeys);
        changes ||= newKeys.some((k) => oldAll[k] !== newAll[k]);
        // A key moving into secretVars must be rewritten to state as secret. A key moving
        // the other way (as after an import, which treats every key as secret) is no change.
        changes ||= Object.keys(news.secretVars ?? {}).some((k) => Object.prototype.hasOwnProperty.call(olds.vars ?? {}, k));
        changes ||= codeChanged(olds, news);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: ConfigVarsInputs): Promise<pulumi.dynamic.CreateResult<ConfigVarsOutputs>> {
        const settings = this.settings();
        const me = await currentAccount(settings);
        const outs = await this.converge(settings, inputs, [], []);
        return { id: configVarsId(inputs.app, outs.keys), outs: { ...outs, ...ownerFields(me) } };
    }

    /** Refresh, and `import` (then `props` is empty and the keys come from the id). */
    async read(id: pulumi.ID, props?: ConfigVarsOutputs): Promise<pulumi.dynamic.ReadResult<ConfigVarsOutputs>> {
        const settings = this.settings();
        const importing = props === undefined || typeof props.app !== "string";
        let app: string;
        let owned: string[];
        let plainKeys: Set<string>;
        if (importing) {
            ({ app, keys: owned } = parseConfigVarsId(id));
            plainKeys = new Set(); // an import cannot tell plain from sensitive: all are kept secret
        } else {
            app = props.app;
            owned = props.keys ?? Object.keys(allVars(props)).sort();
            plainKeys = new Set(Object.keys(props.vars ?? {}));
        }
        let remote: VarMap;
        try {
            remote = await getVars(settings, app, props === undefined ? [] : Object.values(props.secretVars ?? {}), props === undefined ? [] : Object.values(props.vars ?? {}));
        } catch (e) {
            if (isNotFound(e) && isHerokuApiError(e)) {
                if (!importing) await confirmGone(settings, e, props, goneWords(app));
                return {}; // the app is gone, and its vars with it
            }
            throw e;
        }
        const outs = outputsFor(app, owned, plainKeys, remote);
        if (importing) {
            if (Object.keys(allVars(outs)).length === 0) return {}; // none of the keys exist: nothing to import
            return { id, props: outs, inputs: { app, vars: outs.vars, secretVars: outs.secretVars } as ConfigVarsOutputs };
        }
        return { id, props: { ...outs, ...ownerFields(recordedOwner(props)) } };
    }

    async update(_id: pulumi.ID, olds: ConfigVarsOutputs, news: ConfigVarsInputs): Promise<pulumi.dynamic.UpdateResult<ConfigVarsOutputs>> {
        const owned = olds.keys ?? Object.keys(allVars(olds));
        const oldValues = [...Object.values(olds.secretVars ?? {})];
        const settings = this.settings();
        // State from older code has no owner: record the current key's account.
        const owner = recordedOwner(olds) ?? (await currentAccount(settings));
        const outs = await this.converge(settings, news, owned, oldValues);
        return { outs: { ...outs, ...ownerFields(owner) } };
    }

    async delete(id: pulumi.ID, props: ConfigVarsOutputs): Promise<void> {
        const settings = this.settings();
        const parsed = props?.app === undefined ? parseConfigVarsId(id) : undefined;
        const app = props?.app ?? parsed!.app;
        const owned = props?.keys ?? parsed?.keys ?? Object.keys(allVars(props));
        const secrets = Object.values(props?.secretVars ?? {});
        const values = Object.values(props?.vars ?? {});
        let remote: VarMap;
        try {
            remote = await getVars(settings, app, secrets, values);
        } catch (e) {
            if (isNotFound(e) && isHerokuApiError(e)) return confirmGone(settings, e, props ?? {}, goneWords(app)); // app gone: nothing left to remove
            throw e;
        }
        const patch: Record<string, null> = {};
        for (const k of owned) {
            if (Object.prototype.hasOwnProperty.call(remote, k)) patch[k] = null;
        }
        if (Object.keys(patch).length === 0) return;
        try {
            await patchVars(settings, app, patch, [...secrets, ...valuesOf(remote, owned)], values);
        } catch (e) {
            if (isNotFound(e) && isHerokuApiError(e)) return confirmGone(settings, e, props ?? {}, goneWords(app));
            throw e;
        }
    }

    /**
     * Makes the app hold `news` for the owned keys: writes only keys whose remote value
     * differs, and nulls keys that were owned before but are no longer declared.
     */
    private async converge(settings: ClientSettings, news: ConfigVarsInputs, previouslyOwned: readonly string[], oldSecrets: readonly string[]): Promise<ConfigVarsOutputs> {
        const desired = allVars(news);
        const secrets = [...Object.values(news.secretVars ?? {}), ...oldSecrets];
        const values = Object.values(news.vars ?? {});
        const remote = await withAppNotFound(news.app, settings, () => getVars(settings, news.app, secrets, values));
        const patch: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(desired)) {
            if (remote[k] !== v) patch[k] = v;
        }
        for (const k of previouslyOwned) {
            if (!(k in desired) && Object.prototype.hasOwnProperty.call(remote, k)) patch[k] = null;
        }
        let current = remote;
        if (Object.keys(patch).length > 0) {
            const owned = [...Object.keys(desired), ...previouslyOwned];
            current = await withAppNotFound(news.app, settings, () =>
                patchVars(settings, news.app, patch, [...secrets, ...valuesOf(remote, owned)], values),
            );
        }
        return outputsFor(news.app, Object.keys(desired), new Set(Object.keys(news.vars ?? {})), current);
    }
}

function checkVarMap(property: string, value: unknown, failures: pulumi.dynamic.CheckFailure[]): VarMap | typeof UNKNOWN {
    if (value === undefined || value === null) return {};
    if (value === UNKNOWN) return UNKNOWN;
    if (typeof value !== "object" || Array.isArray(value)) {
        failures.push({ property, reason: `${property} must be a map of config var name to string value` });
        return {};
    }
    const out: VarMap = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!CONFIG_VAR_NAME.test(k)) {
            failures.push({
                property,
                reason: `"${k.slice(0, 60)}" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)`,
            });
            continue;
        }
        // Reasons name the key, never the value: secretVars values are secrets.
        if (v !== UNKNOWN && typeof v !== "string") {
            failures.push({ property, reason: `${property}.${k} must be a string` });
            continue;
        }
        if (v === "") {
            failures.push({
                property,
                reason: `${property}.${k} is empty; an empty value is almost always a missing secret or config value. Give it a value, or drop the key (which removes it from the app)`,
            });
            continue;
        }
        out[k] = v as string;
    }
    return out;
}

function allVars(x: { vars?: VarMap; secretVars?: VarMap } | undefined): VarMap {
    return { ...(x?.vars ?? {}), ...(x?.secretVars ?? {}) };
}

function valuesOf(remote: VarMap, keys: readonly string[]): string[] {
    return keys.filter((k) => Object.prototype.hasOwnProperty.call(remote, k)).map((k) => remote[k]);
}

/** The owned keys' remote values; a key missing remotely is left out so drift shows. */
function outputsFor(app: string, owned: readonly string[], plainKeys: ReadonlySet<string>, remote: VarMap): ConfigVarsOutputs {
    const vars: VarMap = {};
    const secretVars: VarMap = {};
    for (const k of owned) {
        if (!Object.prototype.hasOwnProperty.call(remote, k)) continue;
        (plainKeys.has(k) ? vars : secretVars)[k] = remote[k];
    }
    return { app, vars, secretVars, keys: [...new Set(owned)].sort() };
}

async function getVars(settings: ClientSettings, app: string, secrets: readonly string[], values: readonly string[]): Promise<VarMap> {
    const res = await herokuRequest<VarMap>(settings, {
        method: "GET",
        path: `/apps/${encodeURIComponent(app)}/config-vars`,
        secrets,
        values,
    });
    return res.body ?? {};
}

async function patchVars(
    settings: ClientSettings,
    app: string,
    patch: Record<string, string | null>,
    secrets: readonly string[],
    values: readonly string[],
): Promise<VarMap> {
    const res = await herokuRequest<VarMap>(settings, {
        method: "PATCH",
        path: `/apps/${encodeURIComponent(app)}/config-vars`,
        body: patch,
        secrets,
        values,
        unknownOutcomeHint:
            `The write to app "${app}" may or may not have been applied (Heroku applies a config-vars PATCH all at once or not at all): ` +
            `run \`pulumi refresh\` to see the app's config vars, ${RUN_AGAIN}.`,
    });
    return res.body ?? {};
}

function goneWords(app: string): GoneWords {
    return {
        subject: "these config vars",
        pronoun: "them",
        hidden: `so app "${app}" may well exist where this key cannot see it`,
        madeBy: "were written with the key of",
        goneMeans: "a deleted app",
        dropIf: "if the app is gone",
    };
}

function recordedOwner(props: OwnerFields | undefined): HerokuIdentity | undefined {
    return props?.ownerId === undefined ? undefined : { id: props.ownerId, email: props.ownerEmail ?? "" };
}

async function withAppNotFound<T>(app: string, settings: ClientSettings, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (e) {
        if (isNotFound(e) && isHerokuApiError(e)) {
            throw herokuError(
                `${e.summary} Heroku app "${app}" does not exist, or the API key (${settings.apiKeySource}) cannot see it: ` +
                    `check the app name, or use the key of an account with access to the app, ${RUN_AGAIN}.`,
                e,
            );
        }
        throw e;
    }
}

const configVarsProvider = new ConfigVarsProvider();

export interface ConfigVarsArgs {
    /** Name of the Heroku app, e.g. `raxx-console-prod`. Changing it replaces the resource. Required. */
    readonly app: pulumi.Input<string>;
    /** Non-sensitive vars, name to value (e.g. `{ FLAG_X: "on" }`); stored in plain state. Default: none. */
    readonly vars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Sensitive vars, name to value; always secret in inputs, state and outputs. Default: none. */
    readonly secretVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Config vars on one Heroku app, owned by this resource and only these: other vars on
 * the app are never read into state or written. Removing a key from the set, or
 * deleting the resource, removes the key from the app.
 */
export class ConfigVars extends pulumi.dynamic.Resource {
    declare readonly app: pulumi.Output<string>;
    /** Remote values of the plain vars this resource owns. */
    declare readonly vars: pulumi.Output<Record<string, string>>;
    /** Remote values of the sensitive vars this resource owns (secret). */
    declare readonly secretVars: pulumi.Output<Record<string, string>>;
    /** Names of every var this resource owns, sorted. */
    declare readonly keys: pulumi.Output<string[]>;
    /** Heroku account id of the key that created it. */
    declare readonly ownerId: pulumi.Output<string>;
    /** That account's email. */
    declare readonly ownerEmail: pulumi.Output<string>;

    constructor(name: string, args: ConfigVarsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            configVarsProvider,
            name,
            {
                app: args.app,
                vars: args.vars ?? {},
                secretVars: pulumi.secret(args.secretVars ?? {}),
                keys: undefined,
                ownerId: undefined,
                ownerEmail: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretVars"] }),
            "heroku",
            "ConfigVars",
        );
    }
}
