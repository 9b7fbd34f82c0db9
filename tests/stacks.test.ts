import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { physicalIds } from "../scripts/lib/physical";
import { MockRunResult, isSecretValue, plain } from "./harness/mocks";
import { STACKS, runStack } from "./harness/program";

/** Every value the fake clouds returned that is a credential. */
function fakeSecrets(result: MockRunResult): string[] {
    return result.registrations
        .filter((r) => r.type === "aws:iam/accessKey:AccessKey")
        .map((r) => `fake-secret-access-key-of-${r.name}`);
}

describe("the two stacks", () => {
    const results = new Map<string, MockRunResult>();
    before(async () => {
        for (const stack of STACKS) {
            const result = await runStack(stack);
            assert.equal(result.error, undefined, `${stack}: ${String(result.error)}`);
            results.set(stack, result);
        }
    });

    it("never declare one physical thing twice, within a stack or across the two", () => {
        const owner = new Map<string, string>();
        for (const [stack, result] of results) {
            for (const reg of result.registrations) {
                for (const id of physicalIds(reg)) {
                    assert.equal(owner.get(id), undefined, `${id} is declared by ${owner.get(id)} and by ${stack} (${reg.name})`);
                    owner.set(id, `${stack} (${reg.name})`);
                }
            }
        }
        assert.deepEqual([...owner.keys()].sort(), [
            "aws iam attachment raxx-billing-readonly arn:aws:iam::521228113048:policy/raxx-billing-readonly-policy",
            "aws iam attachment raxx-freescout-backup arn:aws:iam::521228113048:policy/raxx-freescout-backup-policy",
            "aws iam policy raxx-billing-readonly-policy",
            "aws iam policy raxx-freescout-backup-policy",
            "aws iam user raxx-billing-readonly",
            "aws iam user raxx-freescout-backup",
            "aws ssm parameter /raxx/billing-readonly/aws_access_key_id",
            "aws ssm parameter /raxx/billing-readonly/aws_secret_access_key",
            "aws ssm parameter /raxx/freescout/db_password",
            "aws ssm parameter /raxx/freescout/ssh_key",
        ]);
    });

    it("name a thing the same whether its name arrives plain or secret", () => {
        const reg = { type: "aws:ssm/parameter:Parameter", inputs: { name: "/raxx/x" } };
        const secret = {
            type: "aws:ssm/parameter:Parameter",
            inputs: { name: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "/raxx/x" } },
        };
        assert.deepEqual(physicalIds(reg), ["aws ssm parameter /raxx/x"]);
        assert.deepEqual(physicalIds(secret), ["aws ssm parameter /raxx/x"]);
    });

    it("export exactly these outputs in prod, none of them secret or holding a secret", () => {
        const prod = results.get("prod")!;
        assert.deepEqual(prod.outputs, {
            environment: "production",
            iamUsers: ["arn:aws:iam::521228113048:user/raxx-billing-readonly", "arn:aws:iam::521228113048:user/raxx-freescout-backup"],
            ssmParameters: [
                "/raxx/billing-readonly/aws_access_key_id",
                "/raxx/billing-readonly/aws_secret_access_key",
                "/raxx/freescout/db_password",
                "/raxx/freescout/ssh_key",
            ],
        });
        assert.deepEqual(prod.secretOutputs, []);
        const text = JSON.stringify(prod.outputs);
        const secrets = fakeSecrets(prod);
        assert.equal(secrets.length, 2);
        for (const s of secrets) assert.ok(!text.includes(s), s);
    });

    it("export only the environment from staging", () => {
        assert.deepEqual(results.get("staging")!.outputs, { environment: "staging", iamUsers: [], ssmParameters: [] });
    });

    it("hand every credential only to secret inputs", () => {
        for (const [stack, result] of results) {
            const secrets = fakeSecrets(result);
            for (const reg of result.registrations) {
                for (const [field, value] of Object.entries(reg.inputs)) {
                    const text = JSON.stringify(plain(value));
                    if (secrets.some((s) => text.includes(s))) {
                        assert.ok(isSecretValue(value), `${stack}: ${reg.type} ${reg.name}.${field} receives a credential as plain text`);
                    }
                }
            }
        }
    });
});
