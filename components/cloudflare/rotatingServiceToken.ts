import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { Rotation, Slot, declareSlots } from "../rotation";

/** What a client sends Cloudflare Access: the `CF-Access-Client-Id` and `CF-Access-Client-Secret` headers' values. */
export interface AccessCredentials {
    readonly clientId: string;
    readonly clientSecret: string;
}

export interface RotatingServiceTokenArgs {
    /** The credential's id in stack config (`<id>Rotation`), for example `vaultAccessToken`. */
    readonly credential: string;
    /** The account that owns the token. */
    readonly accountId: pulumi.Input<string>;
    /** The name's prefix; each slot's token is named `<prefix>-<slot date>`. */
    readonly namePrefix: string;
    /** How long a token stays valid, in days; Cloudflare's `duration` in hours. */
    readonly lifetimeDays: number;
    /** Which slots exist, and which one consumers hold. */
    readonly rotation: Rotation;
}

/**
 * A Cloudflare Access service token in each dated rotation slot. A slot's new
 * date creates its new token before the old one is deleted. The token's own
 * secret rotation (`clientSecretVersion`) is not used: a slot is a whole token,
 * so a policy can admit or drop each generation by its id.
 */
export class RotatingServiceToken extends pulumi.ComponentResource {
    /** The active slot's client id and secret. Secret. */
    public readonly credentials: pulumi.Output<AccessCredentials>;
    /** Every slot's token. */
    public readonly tokens: Partial<Record<Slot, cloudflare.ZeroTrustAccessServiceToken>>;
    /** Every slot's token id, what an Access policy names. */
    public readonly tokenIds: Partial<Record<Slot, pulumi.Output<string>>>;

    constructor(name: string, args: RotatingServiceTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        // The credential id labels this component in the state and in `npm run plan`.
        super("raxx:cloudflare:RotatingServiceToken", name, { credential: args.credential }, opts);
        const slots = declareSlots(
            `${name}-token`,
            args.rotation,
            { parent: this },
            // The SDK marks `clientSecret` as an additional secret output.
            (slotName, _slot, date, slotOpts) =>
                new cloudflare.ZeroTrustAccessServiceToken(
                    slotName,
                    { accountId: args.accountId, name: `${args.namePrefix}-${date}`, duration: `${args.lifetimeDays * 24}h` },
                    slotOpts,
                ),
        );
        this.credentials = pulumi.secret(pulumi.all([slots.active.clientId, slots.active.clientSecret]).apply(([clientId, clientSecret]) => ({ clientId, clientSecret })));
        this.tokens = slots.slots;
        this.tokenIds = Object.fromEntries(Object.entries(slots.slots).map(([slot, t]) => [slot, t.id]));
        this.registerOutputs({ tokenIds: this.tokenIds });
    }
}
