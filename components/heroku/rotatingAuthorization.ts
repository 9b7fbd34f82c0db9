import * as pulumi from "@pulumi/pulumi";
import { Authorization } from "../../providers/heroku";
import { Rotation, Slot, declareSlots } from "../rotation";

export interface RotatingAuthorizationArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** The description's prefix; each slot's authorization is described `<prefix>-<slot date>`. */
    readonly descriptionPrefix: string;
    /** OAuth scopes. Default: `["global"]`, the only scope that reaches what Raxx needs. */
    readonly scope?: string[];
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
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
        this.token = pulumi.secret(slots.active.token);
        this.authorizationId = slots.active.authorizationId;
        this.authorizationIds = Object.fromEntries(Object.entries(slots.slots).map(([slot, a]) => [slot, a.authorizationId]));
        this.registerOutputs({ authorizationId: this.authorizationId, authorizationIds: this.authorizationIds, token: this.token });
    }
}
