// A named set of config vars on one Heroku app, as a Pulumi dynamic resource.
// It manages only its own keys and never touches the app's other vars.
//
//   check   → local validation only (app name, owner, var names, no empty value, no key twice)
//   diff    → a value, key-set or owner change, or new provider code, is an update; only a change of `app` replaces
//   create  → GET /account (the owning account), GET /apps/{app}/config-vars, then one PATCH with the
//             keys that differ and this resource's RAXX_PLATFORM_OWNERS entries (nothing to write: no PATCH)
//   read    → GET /apps/{app}/config-vars, keeping only this resource's keys (404: gone only if GET /account is the recorded owner)
//   update  → as create, and null for dropped keys the ledger gives to this instance
//   delete  → GET, then one PATCH nulling the keys the ledger gives to this instance, and their entries (404: as in read)
//
// RAXX_PLATFORM_OWNERS, one plain config var per app, is a ledger of who owns each key
// the stacks manage: `{"KEY": "<project>/<stack>/<resource name>#<instance>"}`. Pulumi
// creates before it deletes, so without it the old owner's delete (after a rename, a
// move or a replacement) removed what the new owner had just adopted. A PATCH is
// applied all at once or not at all, so values and ledger never disagree. Every write
// creates a release and restarts the app's dynos, which is why a write is skipped when
// the app already holds the values and the entries.
import * as crypto from "node:crypto";

import * as pulumi from "@pulumi/pulumi";

import { UNKNOWN, codeChanged } from "../http";
import { GoneWords, HerokuIdentity, HerokuProviderBase, OwnerFields, confirmGone, currentAccount, definedOnly, ownerFields } from "./base";
import { ClientSettings, HttpOptions, RUN_AGAIN, herokuError, herokuRequest, isHerokuApiError, isNotFound } from "./client";
import { BundledResource } from "../bundle";

/** Heroku app names (Platform API schema: `^[a-z][a-z0-9-]{1,28}[a-z0-9]$`). */
export const HEROKU_APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
/**
 * Config var names we accept. The API takes `^\w+$`; we also refuse a leading digit,
 * since such a name cannot be read as an environment variable from a shell.
 */
export const CONFIG_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The ledger config var the provider keeps on each app it writes to. */
export const OWNERS_VAR = "RAXX_PLATFORM_OWNERS";

/** `<project>/<stack>/<resource name>`; project and stack as Pulumi allows them. */
const OWNER = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/.+$/;

/** Inputs after `check`, as the provider sees them. */
export interface ConfigVarsInputs {
    readonly app: string;
    /** `<project>/<stack>/<resource name>`, set by the `ConfigVars` constructor. */
    readonly owner: string;
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
    /**
     * Random id made at create: the ledger names this resource `<owner>#<instance>`, so a
     * replacement (same name) is a different owner. Absent in state from older code.
     */
    readonly instance?: string;
    /**
     * What create or update last wrote, for every owned key (secret). A refresh
     * replaces `vars`/`secretVars` with what Heroku holds, but never this, so
     * drift is measured against it even after `pulumi refresh` wrote drifted
     * values to state. Absent in state from older code.
     */
    readonly written?: VarMap;
    /**
     * Set by a refresh: each owned key whose value on Heroku is not what this
     * resource last wrote, and how ("changed" or "missing"). Names keys, never
     * values, so the drift check can say which var drifted although the values
     * are secret. Absent when nothing drifted.
     */
    readonly drift?: Record<string, DriftKind>;
}

/** How a var differs on Heroku from what the resource last wrote. */
export type DriftKind = "changed" | "missing";

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
    /** Per-app chains of read-modify-writes (see `onApp`); `declare`d so no field exists until first use. */
    private declare appQueues?: Record<string, Promise<void>>;

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
        const owner = raw.owner;
        if (owner !== UNKNOWN && (typeof owner !== "string" || !OWNER.test(owner))) {
            failures.push({
                property: "owner",
                reason: 'owner must be "<project>/<stack>/<resource name>", as the ConfigVars constructor sets it (e.g. "raxx-platform/prod/platform-token-raxx-api-prod")',
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
        return { inputs: definedOnly({ app: news.app, owner: news.owner, vars: vars as VarMap, secretVars: secretVars as VarMap }), failures };
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
        // A new owner (an aliased rename) moves the ledger entries to the new name.
        changes ||= olds.owner !== news.owner;
        changes ||= codeChanged(olds, news);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: ConfigVarsInputs): Promise<pulumi.dynamic.CreateResult<ConfigVarsOutputs>> {
        const settings = this.settings();
        const account = await currentAccount(settings);
        const instance = newInstance();
        const outs = await this.converge(settings, inputs, instance, [], []);
        return { id: configVarsId(inputs.app, outs.keys), outs: { ...outs, ...ownerFields(account) } };
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
            remote = await getVars(settings, app, props === undefined ? [] : secretValuesOf(props), props === undefined ? [] : Object.values(props.vars ?? {}));
        } catch (e) {
            if (isNotFound(e) && isHerokuApiError(e)) {
                if (!importing) await confirmGone(settings, e, props, goneWords(app));
                return {}; // the app is gone, and its vars with it
            }
            throw e;
        }
        const values = outputsFor(app, owned, plainKeys, remote);
        if (importing) {
            if (Object.keys(allVars(values)).length === 0) return {}; // none of the keys exist: nothing to import
            return { id, props: values as ConfigVarsOutputs, inputs: { app, vars: values.vars, secretVars: values.secretVars } as ConfigVarsOutputs };
        }
        const written = props.written ?? allVars(props);
        const drift = driftOf(owned, written, remote);
        const outs: ConfigVarsOutputs = {
            ...values,
            owner: props.owner,
            ...(props.instance === undefined ? {} : { instance: props.instance }),
            ...ownerFields(recordedOwner(props)),
            ...(props.written === undefined ? {} : { written: props.written }),
            ...(Object.keys(drift).length === 0 ? {} : { drift }),
        };
        return { id, props: outs };
    }

    async update(_id: pulumi.ID, olds: ConfigVarsOutputs, news: ConfigVarsInputs): Promise<pulumi.dynamic.UpdateResult<ConfigVarsOutputs>> {
        const owned = olds.keys ?? Object.keys(allVars(olds));
        const oldValues = secretValuesOf(olds);
        const settings = this.settings();
        // State from older code has neither an owning account nor an instance: make them now.
        const account = recordedOwner(olds) ?? (await currentAccount(settings));
        const outs = await this.converge(settings, news, olds.instance ?? newInstance(), owned, oldValues);
        return { outs: { ...outs, ...ownerFields(account) } };
    }

    /** Nulls the keys the ledger gives to this instance; keys without such an entry stay. */
    async delete(id: pulumi.ID, props: ConfigVarsOutputs): Promise<void> {
        const settings = this.settings();
        const app = props?.app ?? parseConfigVarsId(id).app;
        const instance = props?.instance;
        const secrets = props === undefined ? [] : secretValuesOf(props);
        const values = Object.values(props?.vars ?? {});
        await this.onApp(app, async () => {
            let remote: VarMap;
            try {
                remote = await getVars(settings, app, secrets, values);
            } catch (e) {
                if (isNotFound(e) && isHerokuApiError(e)) return confirmGone(settings, e, props ?? {}, goneWords(app)); // app gone: nothing left to remove
                throw e;
            }
            const ledger = parseLedger(app, remote);
            const patch: Record<string, string | null> = {};
            const rest: Record<string, string> = {};
            for (const [k, entry] of Object.entries(ledger)) {
                if (instance !== undefined && instanceOf(entry) === instance) {
                    if (Object.prototype.hasOwnProperty.call(remote, k)) patch[k] = null;
                } else {
                    rest[k] = entry;
                }
            }
            if (Object.keys(patch).length === 0 && Object.keys(rest).length === Object.keys(ledger).length) return;
            Object.assign(patch, ledgerPatch(remote, rest));
            try {
                await patchVars(settings, app, patch, [...secrets, ...valuesOf(remote, Object.keys(patch))], values);
            } catch (e) {
                if (isNotFound(e) && isHerokuApiError(e)) return confirmGone(settings, e, props ?? {}, goneWords(app));
                throw e;
            }
        });
    }

    /**
     * Runs `work` after every earlier read-modify-write of `app` in this provider object.
     * The host keeps one provider object per provider text, and the engine runs resources
     * in parallel, so two ConfigVars of one app would otherwise read the same ledger and
     * the second PATCH would drop the first one's entries. Made lazily: the object the
     * program serializes never has it.
     */
    private async onApp<T>(app: string, work: () => Promise<T>): Promise<T> {
        const queues = (this.appQueues ??= {});
        const run = (queues[app] ?? Promise.resolve()).then(work, work);
        queues[app] = run.then(
            () => undefined,
            () => undefined,
        );
        return run;
    }

    /**
     * Makes the app hold `news` for the owned keys, in one PATCH at most: the keys whose
     * remote value differs, this instance's ledger entries, and null for keys it owned
     * before (by state or ledger) but no longer declares, if the ledger gives them to it.
     * Refuses, before writing, keys whose entry names a resource of another stack.
     */
    private async converge(
        settings: ClientSettings,
        news: ConfigVarsInputs,
        instance: string,
        previouslyOwned: readonly string[],
        oldSecrets: readonly string[],
    ): Promise<ConfigVarsOutputs> {
        const app = news.app;
        const me = `${news.owner}#${instance}`;
        const desired = allVars(news);
        const secrets = [...Object.values(news.secretVars ?? {}), ...oldSecrets];
        const values = Object.values(news.vars ?? {});
        return this.onApp(app, async () => {
            const remote = await withAppNotFound(app, settings, () => getVars(settings, app, secrets, values));
            const ledger = parseLedger(app, remote);
            const entry = (k: string) => own(ledger, k);
            const mine = (k: string) => entry(k) !== undefined && instanceOf(entry(k)!) === instance;
            const foreign = Object.keys(desired).filter((k) => entry(k) !== undefined && !mine(k) && stackOf(entry(k)!) !== stackOf(news.owner));
            if (foreign.length > 0) throw refusal(app, foreign.map((k) => `${k} to ${entry(k)}`));

            const patch: Record<string, string | null> = {};
            const next: Record<string, string> = { ...ledger };
            for (const [k, v] of Object.entries(desired)) {
                if (own(remote, k) !== v) patch[k] = v;
                // A key of another resource of this stack is taken over: a rename, a move, a replacement.
                next[k] = me;
            }
            const dropped = new Set([...previouslyOwned, ...Object.keys(ledger).filter(mine)]);
            for (const k of dropped) {
                if (own(desired, k) !== undefined || !mine(k)) continue;
                if (own(remote, k) !== undefined) patch[k] = null;
                delete next[k];
            }
            Object.assign(patch, ledgerPatch(remote, next));
            let current = remote;
            if (Object.keys(patch).length > 0) {
                const owned = [...Object.keys(desired), ...dropped];
                current = await withAppNotFound(app, settings, () => patchVars(settings, app, patch, [...secrets, ...valuesOf(remote, owned)], values));
            }
            const outs = outputsFor(app, Object.keys(desired), new Set(Object.keys(news.vars ?? {})), current);
            return { ...outs, owner: news.owner, instance, written: pick(current, Object.keys(desired)) };
        });
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
        if (k === OWNERS_VAR) {
            failures.push({ property, reason: `${OWNERS_VAR} is the ownership ledger the provider keeps on each app; give the var another name` });
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
/** The owned keys whose value on Heroku is not what was last written, and how. */
function driftOf(owned: readonly string[], written: VarMap, remote: VarMap): Record<string, DriftKind> {
    const drift: Record<string, DriftKind> = {};
    const has = Object.prototype.hasOwnProperty;
    for (const k of [...owned].sort()) {
        if (!has.call(remote, k)) drift[k] = "missing";
        else if (!has.call(written, k) || written[k] !== remote[k]) drift[k] = "changed";
    }
    return drift;
}

/** Every secret value state holds: the sensitive vars now, and what was written to them. */
function secretValuesOf(state: ConfigVarsOutputs): string[] {
    const plain = state.vars ?? {};
    const written = Object.entries(state.written ?? {}).filter(([k]) => !Object.prototype.hasOwnProperty.call(plain, k));
    return [...Object.values(state.secretVars ?? {}), ...written.map(([, v]) => v)];
}

/** `vars` limited to `keys` that it has. */
function pick(vars: VarMap, keys: readonly string[]): VarMap {
    return Object.fromEntries(keys.filter((k) => Object.prototype.hasOwnProperty.call(vars, k)).map((k) => [k, vars[k]]));
}

function outputsFor(app: string, owned: readonly string[], plainKeys: ReadonlySet<string>, remote: VarMap): Omit<ConfigVarsOutputs, "owner"> {
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

/** `map[key]` if it is the map's own, so a var named like `constructor` is just a name. */
function own(map: VarMap, key: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function newInstance(): string {
    return crypto.randomBytes(8).toString("hex");
}

/** `<project>/<stack>/` of an owner or ledger entry; an unreadable entry is its own stack. */
function stackOf(ownerOrEntry: string): string {
    const m = /^([^/]+\/[^/]+\/)/.exec(ownerOrEntry);
    return m ? m[1] : `unreadable:${ownerOrEntry}`;
}

/** The `#<instance>` part of a ledger entry. */
function instanceOf(entry: string): string {
    const at = entry.lastIndexOf("#");
    return at < 0 ? "" : entry.slice(at + 1);
}

/** The app's ledger; refuses (before anything is written) one that is not a map of name to owner. */
function parseLedger(app: string, remote: VarMap): Record<string, string> {
    const raw = remote[OWNERS_VAR];
    if (raw === undefined) return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        parsed = undefined;
    }
    const ok = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === "string");
    if (!ok) {
        throw herokuError(
            `Heroku API GET /apps/${app}/config-vars returned 200, but app "${app}"'s ${OWNERS_VAR} is not a JSON object of config var name to owner. Nothing was written. ` +
                `Fix it (each entry reads "KEY": "<project>/<stack>/<resource>#<instance>") or remove it (\`heroku config:unset ${OWNERS_VAR} -a ${app}\`), ${RUN_AGAIN}.`,
            { method: "GET", path: `/apps/${app}/config-vars`, status: 200 },
        );
    }
    return parsed as Record<string, string>;
}

/** The PATCH entry that makes the app's ledger `ledger` (sorted; null drops an empty one), or nothing. */
function ledgerPatch(remote: VarMap, ledger: Record<string, string>): Record<string, string | null> {
    const keys = Object.keys(ledger).sort();
    const text = keys.length === 0 ? null : JSON.stringify(Object.fromEntries(keys.map((k) => [k, ledger[k]])));
    return text === (remote[OWNERS_VAR] ?? null) ? {} : { [OWNERS_VAR]: text };
}

function refusal(app: string, conflicts: readonly string[]): Error {
    return herokuError(
        `Heroku API GET /apps/${app}/config-vars returned 200, and app "${app}"'s ${OWNERS_VAR} gives config vars this resource declares to another stack: ` +
            `${conflicts.join(", ")}. Nothing was written. Declare each config var in one stack only; ` +
            `if that stack no longer manages a key, remove the key's entry from ${OWNERS_VAR} ` +
            `(\`heroku config:get ${OWNERS_VAR} -a ${app}\`, then \`heroku config:set ${OWNERS_VAR}='<the JSON without it>' -a ${app}\`), ${RUN_AGAIN}.`,
        { method: "GET", path: `/apps/${app}/config-vars`, status: 200 },
    );
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

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const configVarsProvider = /* @__PURE__ */ new ConfigVarsProvider();

export interface ConfigVarsArgs {
    /** Name of the Heroku app, e.g. `raxx-console-prod`. Changing it replaces the resource. Required. */
    readonly app: pulumi.Input<string>;
    /** Non-sensitive vars, name to value (e.g. `{ FLAG_X: "on" }`); stored in plain state. Default: none. */
    readonly vars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Sensitive vars, name to value; always secret in inputs, state and outputs. Default: none. */
    readonly secretVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Per program run (its stack resource), `<project>/<stack> <app> <KEY>` to the ConfigVars that declares it. */
const declared = new WeakMap<object, Map<string, string>>();
/** The run key when there is no stack resource (outside `runInPulumiStack`). */
const NO_STACK_RESOURCE = {};

/** A map whose keys are known now: a plain object, not an Output or a promise. */
function plainKeys(x: unknown): string[] {
    if (typeof x !== "object" || x === null || pulumi.Output.isInstance(x) || x instanceof Promise) return [];
    return Object.keys(x);
}

/**
 * Refuses a second ConfigVars declaring a key on an app in the same program: the two
 * would overwrite, and on delete remove, each other's value. Only what is known at
 * construction is checked (an app or a var map that is an Output is skipped).
 */
function claimKeys(name: string, args: ConfigVarsArgs): void {
    if (typeof args.app !== "string") return;
    const stack = `${pulumi.getProject()}/${pulumi.getStack()}`;
    const run = pulumi.runtime.getStackResource() ?? NO_STACK_RESOURCE;
    let seen = declared.get(run);
    if (seen === undefined) {
        seen = new Map();
        declared.set(run, seen);
    }
    for (const key of [...plainKeys(args.vars), ...plainKeys(args.secretVars)]) {
        const slot = `${stack} ${args.app} ${key}`;
        const first = seen.get(slot);
        if (first !== undefined && first !== name) {
            throw new Error(
                `ConfigVars "${name}" declares ${key} on Heroku app "${args.app}", which ConfigVars "${first}" already declares in stack ${stack}. ` +
                    "Declare each config var of an app in one ConfigVars: two owners would overwrite, and on delete remove, each other's value.",
            );
        }
        seen.set(slot, name);
    }
}

/**
 * Config vars on one Heroku app, owned by this resource and only these: other vars on
 * the app are never read into state or written. Removing a key from the set, or
 * deleting the resource, removes the key from the app, if the app's RAXX_PLATFORM_OWNERS
 * ledger still gives the key to this resource.
 */
export class ConfigVars extends BundledResource {
    declare readonly app: pulumi.Output<string>;
    /** `<project>/<stack>/<resource name>`: this resource in the app's RAXX_PLATFORM_OWNERS. */
    declare readonly owner: pulumi.Output<string>;
    /** Random id of this resource's lifetime; a replacement gets a new one. */
    declare readonly instance: pulumi.Output<string>;
    /** Remote values of the plain vars this resource owns. */
    declare readonly vars: pulumi.Output<Record<string, string>>;
    /** Remote values of the sensitive vars this resource owns (secret). */
    declare readonly secretVars: pulumi.Output<Record<string, string>>;
    /** Names of every var this resource owns, sorted. */
    declare readonly keys: pulumi.Output<string[]>;
    /** After a refresh: owned vars whose value on Heroku is not what was written ("changed" or "missing"). */
    declare readonly drift: pulumi.Output<Record<string, DriftKind> | undefined>;
    /** What create or update last wrote, owned key to value (secret). */
    declare readonly written: pulumi.Output<Record<string, string>>;
    /** Heroku account id of the key that created it. */
    declare readonly ownerId: pulumi.Output<string>;
    /** That account's email. */
    declare readonly ownerEmail: pulumi.Output<string>;

    constructor(name: string, args: ConfigVarsArgs, opts?: pulumi.CustomResourceOptions) {
        claimKeys(name, args);
        super(
            module,
            "configVarsProvider",
            name,
            {
                app: args.app,
                owner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
                vars: args.vars ?? {},
                secretVars: pulumi.secret(args.secretVars ?? {}),
                keys: undefined,
                drift: undefined,
                written: undefined,
                instance: undefined,
                ownerId: undefined,
                ownerEmail: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretVars", "written"] }),
            "heroku",
            "ConfigVars",
        );
    }
}
