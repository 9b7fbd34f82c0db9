// The checks the program declares (components/verification.ts, providers/verify): one
// CredentialCheck per issued slot, one ConsumerCheck per place a credential is written, each
// holding its value as a secret, and every consumer taking the credential through the active
// slot's check. The expectations come from the secrets map and the kinds registry, so a new
// credential or place is held to the same rules without a new line here.
import { strict as assert } from "node:assert";
import { CONSUMER_CHECK_KINDS, DEFAULT_TIMEOUT_SECONDS, WHERE_FIELDS } from "../providers/verify";
import { CredentialEntry, credentialEntries } from "../scripts/lib/credentials";
import { writes } from "../scripts/lib/inventory";
import { CONSUMERS, consumerOf, issuerOf } from "../scripts/lib/kinds";
import { MockRunResult, Registration, isSecretValue, plain } from "../scripts/lib/offline/mocks";
import { changes } from "./harness/diff";
import { PINNED_DATE, byName, okRun, ofType, runPinned } from "./harness/query";

const CREDENTIAL_CHECK = "pulumi-nodejs:dynamic/verify:CredentialCheck";
const CONSUMER_CHECK = "pulumi-nodejs:dynamic/verify:ConsumerCheck";
const OFF = { "raxx-platform:verifyCredentials": "false" };

/** The consumer kind of a write kind (`ssm` is an `ssmParameter`'s), and whether a ConsumerCheck can check it. */
const consumerKind = (writeKind: string): string => CONSUMERS.find((k) => k.writeKind === writeKind)!.id;
const checkable = (writeKind: string): boolean => (CONSUMER_CHECK_KINDS as readonly string[]).includes(consumerKind(writeKind));

const field = (reg: Registration, key: string): string => plain(reg.inputs[key]) as string;
const sorted = <T>(xs: T[]): T[] => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The CredentialCheck of one slot of a credential. */
function credentialCheck(run: MockRunResult, credential: string, slot: string): Registration {
    const found = ofType(run, CREDENTIAL_CHECK).filter((c) => field(c, "credential") === credential && field(c, "slot") === slot);
    assert.equal(found.length, 1, `one check of ${credential} slot ${slot}`);
    return found[0];
}

/** The input of a consumer that carries the value it writes: the first of its kind's secret value fields it has. */
function valueField(reg: Registration): string {
    const f = consumerOf(reg.type)!.secretValueFields.find((k) => k in reg.inputs);
    assert.ok(f !== undefined, `${reg.name} has none of its kind's value fields`);
    return f;
}

for (const stack of ["prod", "staging"] as const) {
    describe(`the checks of stack ${stack}`, () => {
        let run: MockRunResult;
        let off: MockRunResult;
        let entries: CredentialEntry[];
        before(async () => {
            run = await okRun(runPinned(stack));
            off = await okRun(runPinned(stack, { config: OFF }));
            entries = credentialEntries(run);
            assert.ok(entries.length > 0);
        });

        it("declares exactly one CredentialCheck per issued slot, of the issuer's kind, checking that issuer's value as a secret", () => {
            const expected = entries.flatMap((e) =>
                e.issuers.map((i) => ({ credential: e.id, slot: i.slot, kind: issuerOf(i.type)!.id, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS[issuerOf(i.type)!.id as keyof typeof DEFAULT_TIMEOUT_SECONDS], value: [byName(run, i.resource).urn] })),
            );
            const checks = ofType(run, CREDENTIAL_CHECK);
            assert.deepEqual(
                sorted(checks.map((c) => ({ credential: field(c, "credential"), slot: field(c, "slot"), kind: field(c, "kind"), timeoutSeconds: plain(c.inputs.timeoutSeconds), value: c.options.propertyDependencies.value }))),
                sorted(expected),
            );
            for (const c of checks) {
                assert.ok(isSecretValue(c.inputs.value), `${c.name}: value`);
                assert.equal(plain(c.inputs.enabled), true, c.name);
            }
        });

        it("declares exactly one ConsumerCheck per checkable place of an issued credential, named by the place", () => {
            const expected = entries.flatMap((e) =>
                e.placements.filter((p) => checkable(p.kind)).map((p) => ({ credential: e.id, consumer: p.place, kind: consumerKind(p.kind) })),
            );
            const checks = ofType(run, CONSUMER_CHECK);
            assert.deepEqual(
                sorted(checks.map((c) => ({ credential: field(c, "credential"), consumer: field(c, "consumer"), kind: field(c, "kind") }))),
                sorted(expected),
            );
        });

        it("has each ConsumerCheck wait for the writer of its place, and check the value written there, where it is", () => {
            const placements = new Map(entries.flatMap((e) => e.placements.map((p) => [p.place, p])));
            const checks = ofType(run, CONSUMER_CHECK);
            assert.ok(checks.length > 0);
            for (const c of checks) {
                const p = placements.get(field(c, "consumer"));
                assert.ok(p !== undefined, `${c.name} checks ${field(c, "consumer")}, which is no place of the secrets map`);
                const writer = byName(run, p.resource);
                assert.ok(c.options.dependsOn.includes(writer.urn), `${c.name} waits for ${writer.name}`);
                const written = writes(writer).find((w) => w.place === p.place)!;
                assert.equal(plain(c.inputs.value), written.value, `${c.name} checks the value written`);
                const where = plain(c.inputs.where) as Record<string, string>;
                const environment = p.kind === "github-secret" && "environment" in where ? ["environment"] : [];
                assert.deepEqual(Object.keys(where).sort(), [...WHERE_FIELDS[field(c, "kind") as keyof typeof WHERE_FIELDS], ...environment].sort(), c.name);
                assert.equal(plain(c.inputs.enabled), true, c.name);
            }
        });

        it("holds every value it checks as a secret, and a vault check's access too", () => {
            const checks = ofType(run, CONSUMER_CHECK);
            for (const c of checks) {
                assert.ok(isSecretValue(c.inputs.value), `${c.name}: value`);
                if (field(c, "kind") === "infisicalSecret") assert.ok(isSecretValue(c.inputs.access), `${c.name}: access`);
                else assert.equal(c.inputs.access, undefined, `${c.name}: access`);
            }
            for (const c of ofType(run, CREDENTIAL_CHECK)) assert.ok(isSecretValue(c.inputs.value), `${c.name}: value`);
            assert.equal(checks.filter((c) => field(c, "kind") === "infisicalSecret").length, stack === "prod" ? 4 : 0);
        });

        it("checks no GitHub variable and no adopted parameter", () => {
            const variables = run.registrations.filter((r) => consumerOf(r.type)?.id === "githubVariable").flatMap((r) => writes(r).map((w) => w.place));
            const adopted = run.registrations.filter((r) => r.options.importId !== "").map((r) => `ssm ${field(r, "name")}`);
            assert.deepEqual(
                [...variables, ...adopted].sort(),
                stack === "prod"
                    ? ["github variable raxx (production)/CONSOLE_INTERNAL_URL", "ssm /raxx/freescout/db_password", "ssm /raxx/freescout/ssh_key"]
                    : ["github variable raxx (staging)/CONSOLE_INTERNAL_URL"],
            );
            const checked = new Set(ofType(run, CONSUMER_CHECK).map((c) => field(c, "consumer")));
            for (const place of [...variables, ...adopted]) assert.ok(!checked.has(place), place);
        });

        it("hands every consumer of an issued credential its value only through the active slot's CredentialCheck, checks on or off", () => {
            const unchecked: string[] = [];
            for (const r of [run, off]) {
                for (const e of credentialEntries(r)) {
                    assert.ok(e.placements.length > 0, e.id);
                    for (const p of e.placements) {
                        const consumer = byName(r, p.resource);
                        const f = valueField(consumer);
                        if (!consumer.options.propertyDependencies[f].includes(credentialCheck(r, e.id, p.slot).urn)) {
                            unchecked.push(`${r === off ? "off" : "on"}: ${p.resource}.${f} (${p.place})`);
                        }
                    }
                }
            }
            assert.deepEqual(unchecked, []);
        });

        it("with verifyCredentials false still declares every check, each with enabled false, and changes nothing else", () => {
            const names = (r: MockRunResult) => [...ofType(r, CREDENTIAL_CHECK), ...ofType(r, CONSUMER_CHECK)].map((c) => c.name).sort();
            assert.deepEqual(names(off), names(run));
            for (const c of [...ofType(off, CREDENTIAL_CHECK), ...ofType(off, CONSUMER_CHECK)]) assert.equal(plain(c.inputs.enabled), false, c.name);
            assert.deepEqual(changes(run, off), { created: [], deleted: [], retriggered: [], inputsChanged: names(run) });
        });
    });
}

describe("the checks of a rotation", () => {
    it("hands consumers the active slot's check, never the other slot's, and checks each slot on its own", async () => {
        const both = await okRun(runPinned("staging", { config: { "raxx-platform:auditIngestTokenRotation": `active=b a=2026-08-04 b=${PINNED_DATE}` } }));
        const [a, b] = [credentialCheck(both, "auditIngestToken", "a"), credentialCheck(both, "auditIngestToken", "b")];
        assert.deepEqual([a.name, b.name], ["audit-ingest-token-check-a", "audit-ingest-token-check-b"]);
        assert.deepEqual(a.options.propertyDependencies.value, [byName(both, "audit-ingest-token-bytes-a").urn]);
        assert.deepEqual(b.options.propertyDependencies.value, [byName(both, "audit-ingest-token-bytes-b").urn]);
        for (const name of ["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN", "audit-ingest-raxx-console-staging"]) {
            const consumer = byName(both, name);
            const deps = consumer.options.propertyDependencies[valueField(consumer)];
            assert.deepEqual(deps.filter((u) => u === a.urn || u === b.urn), [b.urn], name);
        }
    });
});
