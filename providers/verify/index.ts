// Checks of the credentials the stack issues and of the places it writes them, as Pulumi
// dynamic providers. See docs/rotation.md, "Checks".
export { CREDENTIAL_CHECK_KINDS, CredentialCheck, CredentialCheckProvider, DEFAULT_TIMEOUT_SECONDS } from "./credentialCheck";
export type { CredentialCheckArgs, CredentialCheckInputs, CredentialCheckKind, CredentialCheckOutputs } from "./credentialCheck";
export { CONSUMER_CHECK_KINDS, ConsumerCheck, ConsumerCheckProvider, WHERE_FIELDS } from "./consumerCheck";
export type { ConsumerCheckArgs, ConsumerCheckInputs, ConsumerCheckKind, ConsumerCheckOutputs } from "./consumerCheck";
