import { CONSUMER_CHECK_KINDS, CREDENTIAL_CHECK_KINDS } from "../../../providers/verify";
import { plain } from "../offline/mocks";
import { CheckKind } from "./kind";

/** How the plan words a check that is not known to be on (stack config verifyCredentials false, or code), as rotation-status counts it. */
const off = (enabled: unknown) => (plain(enabled) === true ? "" : ", off: verifyCredentials is false");

const CREATED = "A check has nothing outside the state: the first `pulumi up` runs it, after what it checks.";

export const credentialCheck: CheckKind = {
    id: "credentialCheck",
    role: "check",
    of: "credential",
    checks: CREDENTIAL_CHECK_KINDS,
    types: ["pulumi-nodejs:dynamic/verify:CredentialCheck"],
    words: "check of an issued credential",
    secretInputs: ["value"],
    secretOutputs: ["value"],
    fakeOutputs: (name) => ({ checkedAt: "2026-11-29T00:00:00.000Z", result: `passed: fake check ${name}` }),
    physicalIds: () => [],
    describe: (reg, ctx) => `check of ${ctx.input("credential")} slot ${ctx.input("slot")} (${ctx.input("kind")}), before any consumer gets it${off(reg.inputs.enabled)}`,
    adoption: { how: "created", why: CREATED },
};

export const consumerCheck: CheckKind = {
    id: "consumerCheck",
    role: "check",
    of: "consumer",
    checks: CONSUMER_CHECK_KINDS,
    types: ["pulumi-nodejs:dynamic/verify:ConsumerCheck"],
    words: "check of a place a credential is written",
    secretInputs: ["value", "access"],
    secretOutputs: ["value", "access"],
    fakeOutputs: (name) => ({ checkedAt: "2026-11-29T00:00:00.000Z", result: `passed: fake check ${name}` }),
    physicalIds: () => [],
    describe: (reg, ctx) => `check of ${ctx.input("consumer")} (${ctx.input("credential")}), after the write${off(reg.inputs.enabled)}`,
    adoption: { how: "created", why: CREATED },
};
