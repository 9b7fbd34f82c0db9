import * as pulumi from "@pulumi/pulumi";
import { Authorization } from "../../providers/heroku";
import { Rotation, Slot, declareSlots } from "../rotation";
import { Checks, afterCheck, checkSlots } from "../verification";

export interface RotatingAuthorizationArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** The description's prefix; each slot's authorization is described `<prefix>-<slot date>`. */
    readonly descriptionPrefix: string;
    /** OAuth scopes. Default: `["global"]`, the only scope that reaches what Raxx needs. */
    readonly scope?: string[];
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
    /** How each slot's token is checked before consumers get it (GET /account with it). */
    readonly checks: Checks;
}

/**
 * A Heroku OAuth authorization in each dated rotation slot. A slot's new date
 * creates its new authorization before the old one is revoked; the other slot
 * stays valid as the previous generation.
 */
export class RotatingAuthorization extends pulumi.ComponentResource {
    /** The active slot's token. Secret. */
    public readonly token: pulumi.Output<string>;
    /** The active slot's authorization id (what `heroku authorizations:revoke` takes). */
    public readonly authorizationId: pulumi.Output<string>;
    /** Every slot's authorization id. */
    public readonly authorizationIds: Partial<Record<Slot, pulumi.Output<string>>>;

    constructor(name: string, args: RotatingAuthorizationArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:heroku:RotatingAuthorization", name, { credential: args.credential }, opts);
        const slots = declareSlots(
            `${name}-authorization`,
            args.rotation,
            { parent: this },
            (slotName, _slot, date, slotOpts) =>
                new Authorization(slotName, { scope: args.scope ?? ["global"], description: `${args.descriptionPrefix}-${date}` }, slotOpts),
        );
        const checked = checkSlots(
            `${name}-check`,
            { credential: args.credential, kind: "herokuAuthorization", rotation: args.rotation, checks: args.checks, slots },
            this,
            (a) => ({ value: { token: a.token }, expect: { accountId: a.ownerId, authorizationId: a.authorizationId, scope: a.scope } }),
            (a) => a.token,
        );
        this.token = checked.active;
        // Through the check too: nothing of a credential is handed out before it passed.
        this.authorizationId = pulumi.unsecret(afterCheck(checked.checks[args.rotation.active]!, slots.active.authorizationId));
        this.authorizationIds = Object.fromEntries(Object.entries(slots.slots).map(([slot, a]) => [slot, a.authorizationId]));
        this.registerOutputs({ authorizationId: this.authorizationId, authorizationIds: this.authorizationIds, token: this.token });
    }
}
