// Checks of a Heroku OAuth token, made with the token itself, and of a config var.
import { sameSet } from "../http";
import { ClientSettings, herokuRequest, isHerokuApiError } from "../heroku/client";
import { CheckContext, checkFailed, sha256 } from "./check";

export { confirmHerokuTokenRevoked, settingsWithToken } from "../heroku/tokenCheck";

/** What the authorization is: the account that created it, its id and scope, as the issuer recorded them. */
export interface HerokuTokenExpectation {
    /** Undefined for an authorization whose state records no owner (written by older code): nothing to compare with. */
    readonly accountId: string | undefined;
    readonly authorizationId: string;
    readonly scope: readonly string[];
}

/**
 * Before distribution: `GET /account` with the new token answers the account that created
 * the authorization, and `GET /oauth/authorizations/{id}` with it shows the declared scope.
 * A refusal fails at once; Heroku's 429 and 5xx are the client's to retry.
 */
export async function verifyHerokuToken(ctx: CheckContext, settings: ClientSettings, expect: HerokuTokenExpectation): Promise<{ account: string }> {
    const account = await ask(ctx, () => herokuRequest<{ id?: unknown; email?: unknown }>(settings, { method: "GET", path: "/account" }));
    const id = typeof account.body?.id === "string" ? account.body.id : "";
    const email = typeof account.body?.email === "string" ? account.body.email : "an unnamed account";
    if (expect.accountId !== undefined && id !== expect.accountId) {
        throw checkFailed(
            { ...ctx, check: "GET /account with the new token" },
            `the token belongs to ${email} (id ${id || "none"}), not to the account that created the authorization (id ${expect.accountId})`,
            "Revoke it (`heroku authorizations:revoke <id>`) and run `pulumi up` with the API key of the account that should own it.",
        );
    }
    const path = `/oauth/authorizations/${encodeURIComponent(expect.authorizationId)}`;
    const auth = await ask({ ...ctx, check: `GET ${path} with the new token` }, () => herokuRequest<{ scope?: unknown }>(settings, { method: "GET", path }));
    const scope = Array.isArray(auth.body?.scope) ? auth.body.scope.map(String) : [];
    if (!sameSet(scope, expect.scope)) {
        throw checkFailed(
            { ...ctx, check: `GET ${path} with the new token` },
            `its scope is ${scope.join(" ") || "empty"}, not the declared ${expect.scope.join(" ")}`,
            "Heroku cannot change a scope: give the slot a new date so that a new authorization is made.",
        );
    }
    return { account: expect.accountId === undefined ? `${email} (the authorization records no owner to compare with)` : `${email}, the authorization's owner` };
}

/** After distribution: the app's config var holds the value (their hashes are equal). */
export async function verifyConfigVar(ctx: CheckContext, settings: ClientSettings, x: { app: string; name: string; value: string }): Promise<void> {
    const path = `/apps/${encodeURIComponent(x.app)}/config-vars`;
    const res = await ask(ctx, () => herokuRequest<Record<string, unknown>>(settings, { method: "GET", path, secrets: [x.value] }));
    const held = res.body?.[x.name];
    if (typeof held !== "string") {
        throw checkFailed(ctx, `app ${x.app} has no config var ${x.name}`, "Something removed it after the write: run `pulumi up` again.");
    }
    if (sha256(held) !== sha256(x.value)) {
        throw checkFailed(
            ctx,
            `app ${x.app}'s ${x.name} is not the value just written (their SHA-256 hashes differ)`,
            "Something else writes this var (a deploy, a person, another stack): find it, then run `pulumi up` again.",
        );
    }
}

/** The reply, or the check's failure naming Heroku's answer (already masked by the client). */
async function ask<T>(ctx: CheckContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (e) {
        throw checkFailed(ctx, isHerokuApiError(e) ? `Heroku answered ${e.summary}` : String(e));
    }
}
