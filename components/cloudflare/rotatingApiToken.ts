import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Rotation, Slot, declareSlots } from "../rotation";

export interface RotatingApiTokenArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `herokuPlatformToken`. */
    readonly credential: string;
    /** The token's name, the same in both slots. */
    readonly tokenName: string;
    /** The permission groups of the token's one policy. */
    readonly permissionGroupIds: pulumi.Input<string>[];
    /** The policy's resources, for example `{"com.cloudflare.api.account.<id>": "*"}`. */
    readonly resources: pulumi.Input<Record<string, string>>;
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
}

/**
 * A Cloudflare API token with exactly one allow policy, in each dated rotation
 * slot. A slot's new date creates its new token before the old one is deleted.
 */
export class RotatingApiToken extends pulumi.ComponentResource {
    /** The active slot's token value. Secret. */
    public readonly value: pulumi.Output<string>;
    /** Every slot's token id. */
    public readonly tokenIds: Partial<Record<Slot, pulumi.Output<string>>>;

    constructor(name: string, args: RotatingApiTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:cloudflare:RotatingApiToken", name, { credential: args.credential }, opts);
        const policies = [
            {
                effect: "allow",
                permissionGroups: args.permissionGroupIds.map((id) => ({ id })),
                resources: pulumi.output(args.resources).apply((r) => JSON.stringify(r)),
            },
        ];
        const slots = declareSlots(
            `${name}-token`,
            args.rotation,
            { parent: this },
            // The SDK marks `value` as an additional secret output.
            (slotName, _slot, _date, slotOpts) => new cloudflare.ApiToken(slotName, { name: args.tokenName, policies }, slotOpts),
        );
        this.value = pulumi.secret(slots.active.value);
        this.tokenIds = Object.fromEntries(Object.entries(slots.slots).map(([slot, t]) => [slot, t.id]));
        this.registerOutputs({ value: this.value, tokenIds: this.tokenIds });
    }
}
