// Where the checks join the components: one CredentialCheck per issued slot, which every
// consumer waits for, and one ConsumerCheck per place a credential is written.
// docs/rotation.md, "Checks", says what each proves.
import * as pulumi from "@pulumi/pulumi";
import { ConsumerCheck, ConsumerCheckKind, CredentialCheck, CredentialCheckKind } from "../providers/verify";
import { Rotation, Slot, Slotted } from "./rotation";

/** How the stack checks what it issues and writes (config.ts reads it). */
export interface Checks {
    /** Stack config `verifyCredentials`. False for a break-glass apply: every check is still declared, and records that it did not run. */
    readonly enabled: boolean;
    /** The owner of the repositories whose Actions secrets the checks read (the GitHub provider's owner). */
    readonly githubOwner: string;
}

/**
 * Declares a check of each slot's credential, named `<name>-<slot>`, and answers the active
 * slot's credential as consumers must take it: through its check. A consumer therefore gets
 * nothing until the check has passed, and a failed check leaves it as it was.
 */
export function checkSlots<T extends pulumi.Resource, V>(
    name: string,
    x: { credential: string; kind: CredentialCheckKind; rotation: Rotation; checks: Checks; slots: Slotted<T> },
    parent: pulumi.Resource,
    describe: (issuer: T) => { value: pulumi.Input<Record<string, pulumi.Input<string>>>; expect: pulumi.Input<Record<string, unknown>> },
    active: (issuer: T) => pulumi.Output<V>,
    opts: pulumi.CustomResourceOptions = {},
): { checks: Partial<Record<Slot, CredentialCheck>>; active: pulumi.Output<V> } {
    const checks: Partial<Record<Slot, CredentialCheck>> = {};
    for (const [slot, issuer] of Object.entries(x.slots.slots) as [Slot, T][]) {
        checks[slot] = new CredentialCheck(
            `${name}-${slot}`,
            { credential: x.credential, slot, kind: x.kind, enabled: x.checks.enabled, ...describe(issuer) },
            { ...opts, parent },
        );
    }
    const check = checks[x.rotation.active]!;
    return { checks, active: afterCheck(check, active(x.slots.active)) };
}

/** `value`, secret, once `check` has passed: a consumer that takes it depends on the check. */
export function afterCheck<V>(check: CredentialCheck, value: pulumi.Output<V>): pulumi.Output<V> {
    return pulumi.secret(pulumi.all([check.result, value]).apply(([, v]) => v)) as pulumi.Output<V>;
}

/** Which credential a consumer's writes carry, and how the stack checks. */
export interface ConsumerChecks {
    readonly checks: Checks;
    /** The credential each written name carries, e.g. `{ HEROKU_API_KEY: "herokuPlatformToken" }`; a name not listed is not checked. */
    readonly credentials: Readonly<Record<string, string>>;
}

/** Declares the check of one written place, after `writer`. */
export function checkConsumer(
    name: string,
    x: { credential: string; consumer: string; kind: ConsumerCheckKind; checks: Checks; value: pulumi.Input<string>; where: pulumi.Input<Record<string, pulumi.Input<string>>>; access?: ConsumerCheckAccess },
    writer: pulumi.Resource,
    parent: pulumi.Resource,
): ConsumerCheck {
    const { checks, ...rest } = x;
    return new ConsumerCheck(name, { ...rest, enabled: checks.enabled }, { parent, dependsOn: [writer] });
}

type ConsumerCheckAccess = pulumi.Input<{ clientId: pulumi.Input<string>; clientSecret: pulumi.Input<string> }>;
