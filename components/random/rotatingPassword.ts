import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Rotation, declareSlots } from "../rotation";
import { Checks, checkSlots } from "../verification";

/** Letters and digits per password: about 238 bits, and nothing any consumer has to escape. */
export const PASSWORD_LENGTH = 40;

export interface RotatingPasswordArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `workspaceNoReplyPassword`. */
    readonly credential: string;
    /** Which slots exist, and which one the consumer holds. */
    readonly rotation: Rotation;
    /** How each slot's password is checked (its shape: there is nothing else to check). */
    readonly checks: Checks;
}

/** A random password of letters and digits in each dated rotation slot. */
export class RotatingPassword extends pulumi.ComponentResource {
    /** The active slot's password. Secret. */
    public readonly password: pulumi.Output<string>;

    constructor(name: string, args: RotatingPasswordArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:random:RotatingPassword", name, { credential: args.credential }, opts);
        const slots = declareSlots(
            `${name}-password`,
            args.rotation,
            { parent: this },
            // The SDK marks `result` and `bcryptHash` as additional secret outputs.
            (slotName, _slot, _date, slotOpts) =>
                new random.RandomPassword(slotName, { length: PASSWORD_LENGTH, special: false, minUpper: 1, minLower: 1, minNumeric: 1 }, slotOpts),
        );
        const checked = checkSlots(
            `${name}-check`,
            { credential: args.credential, kind: "randomPassword", rotation: args.rotation, checks: args.checks, slots },
            this,
            (r) => ({ value: { password: r.result }, expect: { length: PASSWORD_LENGTH } }),
            (r) => r.result,
        );
        this.password = checked.active;
        this.registerOutputs({ password: this.password });
    }
}
