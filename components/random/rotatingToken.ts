import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Rotation, declareSlots } from "../rotation";

export interface RotatingTokenArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** Random bytes per token. Default: 32 (64 hex characters). */
    readonly bytes?: number;
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
}

/** A random token, lowercase hex, in each dated rotation slot. */
export class RotatingToken extends pulumi.ComponentResource {
    /** The active slot's token, lowercase hex. Secret. */
    public readonly hex: pulumi.Output<string>;

    constructor(name: string, args: RotatingTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:random:RotatingToken", name, { credential: args.credential }, opts);
        const slots = declareSlots(
            `${name}-bytes`,
            args.rotation,
            { parent: this },
            // The SDK marks `hex` and `base64` as additional secret outputs.
            (slotName, _slot, _date, slotOpts) => new random.RandomBytes(slotName, { length: args.bytes ?? 32 }, slotOpts),
        );
        this.hex = pulumi.secret(slots.active.hex);
        this.registerOutputs({ hex: this.hex });
    }
}
