// What the Heroku providers check with a token itself: that a revoked one no longer works
// (the authorization's delete), and the settings that send a token instead of the stack's
// key. Here, in the providers' own folder, so their serialized text holds one copy of the client.
import { Attempt, CheckContext, retryUntil } from "../verify/check";
import { ClientSettings, HttpOptions, herokuRequest, isHerokuApiError, resolveSettings } from "./client";

/** Client settings that send `token` instead of the stack's key; messages name it as the credential. */
export function settingsWithToken(token: string, apiUrl: string | undefined, http: HttpOptions, source: string): ClientSettings {
    return { ...resolveSettings({ apiKey: token, apiUrl }, http), apiKeySource: source };
}

/**
 * After revocation: `GET /account` with the old token answers 401. Heroku may take a moment
 * to forget a token, so a 200 is asked again until the deadline.
 */
export async function confirmHerokuTokenRevoked(ctx: CheckContext, settings: ClientSettings): Promise<void> {
    await retryUntil<void>(ctx, async (): Promise<Attempt<void>> => {
        try {
            // One request per try: the loop owns the retries, so the deadline bounds them all.
            await herokuRequest({ ...settings, maxAttempts: 1 }, { method: "GET", path: "/account" });
            return { retry: "Heroku still accepts the revoked token" };
        } catch (e) {
            if (isHerokuApiError(e) && e.status === 401) return { done: undefined };
            if (isHerokuApiError(e) && e.status !== 0 && e.status !== 429 && e.status < 500) return { fail: `Heroku answered ${e.summary}`, advice: "A 401 was expected." };
            return { retry: `no answer: ${isHerokuApiError(e) ? e.summary : String(e)}` };
        }
    });
}
