// The stack passes its own policy pack: every policy runs over every resource
// the real program registers, for both stacks, as the engine would hand them
// to the pack (inputs with secrets unwrapped, the recorded resource options).
import { strict as assert } from "node:assert";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    BILLING_READ_GROUP_ID_KEY,
    POLICIES,
    cloudflareTokenPermissionGroups,
    credentialOutputsOnlyInSecrets,
    credentialsNotInPlainPlaces,
    secretValuesFromSecrets,
} from "../../policy/policies";
import { MockRunResult } from "../../scripts/lib/offline/mocks";
import { readStackConfig, runStack } from "../../scripts/lib/offline/stack";
import { okRun } from "../harness/query";
import { ArgsSpec, check, checkStack, registrationSpec, validationArgs, withStackConfig } from "./harness";

/** The Billing Read id Pulumi.prod.yaml pins. */
const PINNED_BILLING_READ = readStackConfig("prod").values[BILLING_READ_GROUP_ID_KEY];

interface Finding {
    readonly policy: string;
    readonly resource: string;
    readonly message: string;
}

interface Outcome {
    readonly violations: Finding[];
    /** `<policy> <resource>` for each resource a policy declared itself not applicable to. */
    readonly notApplicable: string[];
}

async function runPolicies(specs: ArgsSpec[], policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[]): Promise<Outcome> {
    const violations: Finding[] = [];
    const notApplicable: string[] = [];
    for (const policy of policies) {
        if ("validateStack" in policy) {
            const outcome = await checkStack(policy, specs);
            violations.push(...outcome.violations.map((message) => ({ policy: policy.name, resource: "(stack)", message })));
            if (outcome.notApplicable !== undefined) notApplicable.push(`${policy.name} (stack)`);
            continue;
        }
        for (const spec of specs) {
            const outcome = await check(policy, validationArgs(spec));
            violations.push(...outcome.violations.map((message) => ({ policy: policy.name, resource: spec.name, message })));
            if (outcome.notApplicable !== undefined) notApplicable.push(`${policy.name} ${spec.name}`);
        }
    }
    return { violations, notApplicable };
}

function specs(result: MockRunResult, opts: Parameters<typeof registrationSpec>[1] = {}): ArgsSpec[] {
    return result.registrations.map((r) => registrationSpec(r, opts));
}


function countByType(result: MockRunResult, types: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of result.registrations) if (types.includes(r.type)) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}

describe("policy pack: the program passes its own policies", () => {
    // The Cloudflare policy reads stack config from the runtime, which each run
    // replaces, so every outcome is computed right after its run.
    const outcomes: Record<string, Outcome> = {};
    const visibleSecrets: Record<string, Outcome> = {};
    const runs: Record<string, MockRunResult> = {};

    before(async () => {
        for (const stack of ["prod", "staging"]) {
            const result = await okRun(runStack(stack));
            runs[stack] = result;
            outcomes[stack] = await runPolicies(specs(result), POLICIES);
            visibleSecrets[stack] = await runPolicies(specs(result, { keepSecrets: true, config: { inputSecretsVisible: true } }), [secretValuesFromSecrets]);
        }
        // The prod stack pins the Billing Read id, and the program uses it instead of the
        // lookup; the Cloudflare policy holds the token to the id the stack config pins.
        const tokens = specs(runs.prod).filter((s) => s.type === "cloudflare:index/apiToken:ApiToken");
        for (const [label, id] of [
            ["prod, Billing Read pinned", PINNED_BILLING_READ],
            ["prod, another group pinned", "0000000000000000000000000000beef"],
        ] as const) {
            outcomes[label] = await withStackConfig({ ...readStackConfig("prod").values, [BILLING_READ_GROUP_ID_KEY]: id }, () =>
                runPolicies(tokens, [cloudflareTokenPermissionGroups]),
            );
        }
    });

    for (const label of ["prod, Billing Read pinned", "staging"]) {
        it(`reports no violation in ${label}`, () => {
            assert.deepEqual(outcomes[label].violations, []);
        });
    }

    it("reports no violation in prod, whose Billing Read id Pulumi.prod.yaml pins", () => {
        assert.match(PINNED_BILLING_READ, /^[0-9a-f]{32}$/);
        assert.deepEqual(outcomes.prod.violations, []);
    });

    it("holds the token to the pinned Billing Read id", () => {
        assert.deepEqual(outcomes["prod, another group pinned"].violations, [
            {
                policy: "cloudflare-token-permission-groups",
                resource: "billing-readonly-cloudflare-token-a",
                message: `Cloudflare API token "raxx-billing-readonly": permission groups ["${PINNED_BILLING_READ}"] are not exactly the allowed ["0000000000000000000000000000beef"]`,
            },
        ]);
    });

    it("guards the resources the SPEC declares (so no violation means something)", () => {
        const guarded = [
            "aws:iam/user:User",
            "aws:iam/policy:Policy",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            "aws:ssm/parameter:Parameter",
            "github:index/actionsSecret:ActionsSecret",
            "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
            "pulumi-nodejs:dynamic/heroku:ConfigVars",
            "cloudflare:index/dnsRecord:DnsRecord",
            "cloudflare:index/apiToken:ApiToken",
            "pulumi-nodejs:dynamic/infisical:Secret",
        ];
        assert.deepEqual(countByType(runs.prod, guarded), {
            "aws:iam/user:User": 2,
            "aws:iam/policy:Policy": 2,
            "aws:iam/userPolicyAttachment:UserPolicyAttachment": 2,
            "aws:ssm/parameter:Parameter": 7,
            "github:index/actionsSecret:ActionsSecret": 5,
            "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": 1,
            "pulumi-nodejs:dynamic/heroku:ConfigVars": 5,
            "cloudflare:index/dnsRecord:DnsRecord": 8,
            "cloudflare:index/apiToken:ApiToken": 1,
            "pulumi-nodejs:dynamic/infisical:Secret": 4,
        });
        assert.deepEqual(countByType(runs.staging, guarded), {
            "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": 1,
            "pulumi-nodejs:dynamic/heroku:ConfigVars": 1,
        });
    });

    it("gets every credential value from a secret, where the inputs keep their secret marks", () => {
        for (const label of ["prod", "staging"]) {
            assert.deepEqual(visibleSecrets[label], { violations: [], notApplicable: [] }, label);
        }
        // Under the CLI the marks are gone, and the policy says it cannot tell, for each value it covers.
        assert.deepEqual(
            [...outcomes.staging.notApplicable].sort(),
            ["secret-values-from-secrets audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN", "secret-values-from-secrets audit-ingest-raxx-console-staging"],
        );
        // Actions secrets, the environment secret, config vars, SecureString parameters written, vault secrets.
        assert.equal(outcomes.prod.notApplicable.length, 5 + 1 + 5 + 5 + 4);
    });

    it("sees where each credential goes: one moved to a plain place fails, whatever its name (negative controls)", async () => {
        const prodSpecs = specs(runs.prod);
        const secret = prodSpecs.find((s) => s.name === "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN") as ArgsSpec;
        const vars = prodSpecs.find((s) => s.name === "platform-token-raxx-console-prod") as ArgsSpec;
        // The same values and dependencies, in the plain field of the same consumer.
        const asVariable: ArgsSpec = {
            ...secret,
            type: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
            urn: secret.urn?.replace("actionsEnvironmentSecret:ActionsEnvironmentSecret", "actionsEnvironmentVariable:ActionsEnvironmentVariable"),
            props: { repository: secret.props?.repository, environment: secret.props?.environment, variableName: "AUDIT", value: secret.props?.value },
        };
        const asPlainVars: ArgsSpec = {
            ...vars,
            props: { ...vars.props, vars: vars.props?.secretVars, secretVars: {} },
            propertyDependencies: { ...vars.propertyDependencies, vars: vars.propertyDependencies?.secretVars ?? [], secretVars: [] },
        };
        const moved = prodSpecs.map((s) => (s === secret ? asVariable : s === vars ? asPlainVars : s));
        const outcome = await runPolicies(moved, [credentialsNotInPlainPlaces, credentialOutputsOnlyInSecrets]);
        assert.deepEqual(
            outcome.violations.map((v) => `${v.policy} ${v.resource}`),
            [
                `credentials-not-in-plain-places ${asVariable.name}`,
                `credentials-not-in-plain-places ${vars.name}`,
                "credential-outputs-only-in-secrets (stack)",
                "credential-outputs-only-in-secrets (stack)",
            ],
        );
        assert.match(outcome.violations[2].message, /ActionsEnvironmentVariable "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN": "value" takes its value from random:index\/randomBytes:RandomBytes "audit-ingest-token-bytes-a"/);
        assert.match(outcome.violations[3].message, /ConfigVars "platform-token-raxx-console-prod": "vars" takes its value from pulumi-nodejs:dynamic\/heroku:Authorization "platform-token-heroku-authorization-a"/);
    });

    it("catches a change to the program's options: the program run again with them changed (negative controls)", async () => {
        // The program as it is, with a stack transformation, as index.ts could register one, that unprotects the IAM
        // users and DNS records and drops the config vars' secret outputs on their way to the engine.
        const changed = await okRun(
            runStack("prod", {
                transform: ({ type, props, opts }) => {
                    if (type === "aws:iam/user:User" || type === "cloudflare:index/dnsRecord:DnsRecord") return { props, opts: { ...opts, protect: false } };
                    if (type === "pulumi-nodejs:dynamic/heroku:ConfigVars") return { props, opts: { ...opts, additionalSecretOutputs: [] } };
                    return undefined;
                },
            }),
        );
        const count = (type: string) => changed.registrations.filter((r) => r.type === type).length;
        const outcome = await runPolicies(specs(changed), POLICIES);
        const byPolicy = (policy: string) => outcome.violations.filter((v) => v.policy === policy).map((v) => v.resource);
        assert.deepEqual(byPolicy("iam-users-protected"), changed.registrations.filter((r) => r.type === "aws:iam/user:User").map((r) => r.name));
        assert.deepEqual(byPolicy("dns-records-protected").length, count("cloudflare:index/dnsRecord:DnsRecord"));
        assert.deepEqual(byPolicy("secret-values-encrypted-in-state").sort(), changed.registrations.filter((r) => r.type === "pulumi-nodejs:dynamic/heroku:ConfigVars").map((r) => r.name).sort());
        assert.deepEqual([count("aws:iam/user:User"), count("cloudflare:index/dnsRecord:DnsRecord"), count("pulumi-nodejs:dynamic/heroku:ConfigVars")], [2, 8, 5]);
        const vars = outcome.violations.find((v) => v.policy === "secret-values-encrypted-in-state")!;
        assert.equal(
            vars.message,
            `pulumi-nodejs:dynamic/heroku:ConfigVars "${vars.resource}": "secretVars" is not in additionalSecretOutputs; declare it, so the value stays encrypted in state and masked in diffs`,
        );
        // Nothing else: the program as it is passes (above), and the transformation changed only these.
        assert.deepEqual([...new Set(outcome.violations.map((v) => v.policy))].sort(), ["dns-records-protected", "iam-users-protected", "secret-values-encrypted-in-state"]);
    });
});
