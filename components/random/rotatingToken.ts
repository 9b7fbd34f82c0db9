import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Rotation, declareSlots } from "../rotation";
import { Checks, checkSlots } from "../verification";

export interface RotatingTokenArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** Random bytes per token. Default: 32 (64 hex characters). */
    readonly bytes?: number;
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
    /** How each slot's token is checked (its shape: there is nothing else to check). */
    readonly checks: Checks;
}

/** A random token, lowercase hex, in each dated rotation slot. */
export class RotatingToken extends pulumi.ComponentResource {
    /** The active slot's token, lowercase hex. Secret. */
    public readonly hex: pulumi.Output<string>;

    constructor(name: string, args: RotatingTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:random:RotatingToken", name, { credential: args.credential }, opts);
        const bytes = args.bytes ?? 32;
        const slots = declareSlots(
            `${name}-bytes`,
            args.rotation,
            { parent: this },
            // The SDK marks `hex` and `base64` as additional secret outputs.
            (slotName, _slot, _date, slotOpts) => new random.RandomBytes(slotName, { length: bytes }, slotOpts),
        );
        const checked = checkSlots(
            `${name}-check`,
            { credential: args.credential, kind: "randomBytes", rotation: args.rotation, checks: args.checks, slots },
            this,
            (r) => ({ value: { hex: r.hex }, expect: { bytes } }),
            (r) => r.hex,
        );
        this.hex = checked.active;
        this.registerOutputs({ hex: this.hex });
    }
}
