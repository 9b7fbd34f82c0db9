import { FAKE_ACCOUNT } from "./fake";
import { ConsumerKind, field, write } from "./kind";

export const ssmParameter: ConsumerKind<"ssm"> = {
    id: "ssmParameter",
    role: "consumer",
    types: ["aws:ssm/parameter:Parameter"],
    words: "SSM parameter",
    writeKind: "ssm",
    // Secret as a SecureString only; the policy pack checks the type.
    secretValueFields: ["value"],
    secretInputs: ["value"],
    secretOutputs: ["value"],
    fakeOutputs: (_name, inputs) => ({ arn: `arn:aws:ssm:us-east-1:${FAKE_ACCOUNT}:parameter${typeof inputs.name === "string" ? inputs.name : JSON.stringify(inputs.name)}` }),
    // An adopted parameter is declared without a value: the stack writes nothing there.
    writes: (reg) => (reg.inputs.value === undefined ? [] : [write(reg, "ssm", `ssm ${field(reg, "name")}`, reg.inputs.value)]),
    physicalIds: (reg) => [`aws ssm parameter ${field(reg, "name")}`],
    describe: (reg, ctx) => `SSM ${ctx.input("type")} ${ctx.input("name")}${reg.options?.importId ? " (adopted: imported, never written)" : ""}`,
    adoption: { how: "import", importId: (reg) => ({ id: field(reg, "name"), format: "<parameter name>" }) },
};
