import { ConfiguredProvider } from "../http";
import {
    API_URL_WORDS,
    ClientSettings,
    ConfiguredCredentials,
    HEROKU_API_KEY_CONFIG,
    HEROKU_API_KEY_ENV,
    HEROKU_API_URL_CONFIG,
    HerokuApiError,
    HttpOptions,
    RUN_AGAIN,
    herokuError,
    herokuRequest,
    resolveSettings,
} from "./client";

/** Stack config key (project namespace) that turns the checks off for a break-glass apply (config.ts). */
export const VERIFY_CREDENTIALS_CONFIG = "verifyCredentials";

/** What both Heroku providers share: `configure` and the HTTP knobs (see ConfiguredProvider), and `settings`. */
export abstract class HerokuProviderBase extends ConfiguredProvider<HttpOptions, ConfiguredCredentials> {
    /** Secret stack config `herokuApiKey` / `herokuApiUrl` (project namespace) overrides the `HEROKU_API_KEY` / `HEROKU_API_URL` environment variables. */
    protected configKeys(): { apiKey: string; apiUrl: string; verify: string } {
        return { apiKey: HEROKU_API_KEY_CONFIG, apiUrl: HEROKU_API_URL_CONFIG, verify: VERIFY_CREDENTIALS_CONFIG };
    }

    /** Credentials and knobs as of now. Never throws: a missing key fails the first request, naming it. */
    settings(): ClientSettings {
        return resolveSettings(this.configured, this.httpOptions);
    }
}

/** A Heroku account, as recorded in state: the owner of what a resource manages. */
export interface HerokuIdentity {
    readonly id: string;
    readonly email: string;
}

/** State fields that record the owning identity (both resources have them). */
export interface OwnerFields {
    /** Heroku account id of the key that created the resource. Absent in state written by older code. */
    readonly ownerId?: string;
    /** That account's email, for messages. */
    readonly ownerEmail?: string;
}

/** The account of the current API key (GET /account). */
export async function currentAccount(settings: ClientSettings): Promise<HerokuIdentity> {
    const res = await herokuRequest<{ id?: unknown; email?: unknown }>(settings, { method: "GET", path: "/account" });
    const id = typeof res.body?.id === "string" ? res.body.id : "";
    const email = typeof res.body?.email === "string" ? res.body.email : "";
    if (id === "") {
        throw herokuError(`Heroku API GET /account returned ${res.status} without an account id. Check ${API_URL_WORDS} and that the key belongs to a user, ${RUN_AGAIN}.`, {
            method: "GET",
            path: "/account",
            status: res.status,
        });
    }
    return { id, email };
}

export function ownerFields(identity: HerokuIdentity | undefined): OwnerFields {
    return identity === undefined ? {} : { ownerId: identity.id, ownerEmail: identity.email };
}

function shown(x: { id: string; email: string }): string {
    return `${x.email} (id ${x.id})`;
}

/** How a 404's messages name the thing, for `confirmGone`. */
export interface GoneWords {
    /** "authorization <id>" or "these config vars". */
    readonly subject: string;
    /** "it" or "them". */
    readonly pronoun: string;
    /** Why another key may not see it, e.g. "Heroku shows an authorization only to its owner, so it may well be live". */
    readonly hidden: string;
    /** "was created by" or "were written with the key of". */
    readonly madeBy: string;
    /** What a 404 for the owner means, e.g. "a revoked authorization". */
    readonly goneMeans: string;
    /** When to drop it from state by hand, e.g. "if that account no longer has it". */
    readonly dropIf: string;
}

/**
 * Heroku answers 404 both when a thing is gone and when the API key cannot see it. This
 * resolves (gone) only when the current key is the recorded owner; otherwise it throws a
 * message naming both identities, so read or delete fails and state stays as it is.
 */
export async function confirmGone(settings: ClientSettings, notFound: HerokuApiError, owner: OwnerFields, words: GoneWords): Promise<void> {
    const me = await currentAccount(settings);
    if (owner.ownerId !== undefined && owner.ownerId === me.id) return;
    if (owner.ownerId === undefined) {
        throw herokuError(
            `${notFound.summary} The state records no owner for ${words.subject} (it was written before the provider recorded one), ` +
                `so this 404 cannot tell ${words.goneMeans} from one that the API key (${settings.apiKeySource}, ${shown(me)}) cannot see: Pulumi left ${words.pronoun} in state. ` +
                `With the key of the account that created ${words.pronoun}, run \`pulumi up\` (which records the owner), then \`pulumi refresh\`; ` +
                `${words.dropIf}, remove ${words.pronoun} from state with \`pulumi state delete <urn>\`.`,
            notFound,
        );
    }
    const recorded = { id: owner.ownerId, email: owner.ownerEmail ?? "an unrecorded email" };
    throw herokuError(
        `${notFound.summary} The API key (${settings.apiKeySource}) belongs to ${shown(me)}, but ${words.subject} ${words.madeBy} ${shown(recorded)}, ` +
            `${words.hidden}: Pulumi left ${words.pronoun} in state. ` +
            `Run Pulumi with ${recorded.email}'s API key (in ${HEROKU_API_KEY_ENV} or the secret stack config ${HEROKU_API_KEY_CONFIG}).`,
        notFound,
    );
}

/**
 * `inputs` without its undefined fields. The provider host sends check's
 * inputs to the engine as a protobuf Struct, which cannot hold undefined: one
 * missing input would fail the whole call with "Unexpected struct type."
 * instead of the check failure that names it.
 */
export function definedOnly<T extends object>(inputs: T): T {
    return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as T;
}
