import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Rotation, Slot, declareSlots } from "../rotation";
import { Checks, checkSlots } from "../verification";

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
    /** How each slot's token is checked before consumers get it (verify, and its policies), and its predecessor confirmed revoked. */
    readonly checks: Checks;
}

/**
 * A Cloudflare API token with exactly one allow policy, in each dated rotation
 * slot. A slot's new date deletes the slot's old token (two generations back,
 * held by nobody), then creates its new one and checks it: the check confirms
 * Cloudflare refuses the old one before any consumer moves. Never re-date the
 * active slot (docs/rotation.md).
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
            // Delete-first, like the access keys: the slot's old token is two generations back
            // and held by nobody, and once it is gone the check can confirm Cloudflare refuses it
            // in this same `up`, before any consumer moves (docs/rotation.md, "Checks").
            { parent: this, deleteBeforeReplace: true },
            // The SDK marks `value` as an additional secret output.
            (slotName, _slot, _date, slotOpts) => new cloudflare.ApiToken(slotName, { name: args.tokenName, policies }, slotOpts),
        );
        const checked = checkSlots(
            `${name}-check`,
            { credential: args.credential, kind: "cloudflareApiToken", rotation: args.rotation, checks: args.checks, slots },
            this,
            (t) => ({
                value: { token: t.value },
                expect: pulumi.all([t.id, args.permissionGroupIds, args.resources]).apply(([tokenId, groups, resources]) => ({
                    tokenId,
                    policies: [{ effect: "allow", permissionGroupIds: groups, resources }],
                })),
            }),
            (t) => t.value,
        );
        this.value = checked.active;
        this.tokenIds = Object.fromEntries(Object.entries(slots.slots).map(([slot, t]) => [slot, t.id]));
        this.registerOutputs({ value: this.value, tokenIds: this.tokenIds });
    }
}
