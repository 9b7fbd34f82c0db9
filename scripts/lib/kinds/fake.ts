// The fake cloud's fixed values, shared by the kinds' fake outputs and
// scripts/lib/offline/fakeCloud.ts.
import * as crypto from "node:crypto";

export const FAKE_ACCOUNT = "521228113048";
/** The Heroku account the Heroku resources record as their owner (`ownerId`, `ownerEmail`). */
export const FAKE_HEROKU_OWNER = { ownerId: "fake-heroku-account-id", ownerEmail: "fake-heroku-account@raxx.app" };

/** The 32 bytes a fake RandomBytes named `name` returns, as lowercase hex. */
export function fakeRandomHex(name: string): string {
    return crypto.createHash("sha256").update(`fake-random-bytes-of-${name}`).digest("hex");
}

/** The 40 letters and digits a fake RandomPassword named `name` returns. */
export function fakeRandomPassword(name: string): string {
    return crypto.createHash("sha256").update(`fake-random-password-of-${name}`).digest("base64").replace(/[^A-Za-z0-9]/g, "x").slice(0, 40);
}
