// Rotation through config: the program before and after a rotation, a
// rollback and an early revoke of each credential. Exactly the issuer, its
// check and the consumers of that credential (and their checks) may change;
// nothing else.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Rotation, SLOTS, Slot, declareSlots, otherSlot, parseRotation, previousSlot } from "../components/rotation";
import { CREDENTIAL_IDS, CredentialId } from "../config";
import { captureIo, invoke } from "../scripts/lib/cli";
import { credentialEntries } from "../scripts/lib/credentials";
import { MockRunResult } from "../scripts/lib/offline/mocks";
import { readStackConfig, runStack } from "../scripts/lib/offline/stack";
import { rotationStatus } from "../scripts/lib/rotationStatus";
import { checksOf, formatReport, rotationReport, rotationStatusTool } from "../scripts/rotation-status";
import { changes } from "./harness/diff";
import { byName, okRun } from "./harness/query";

const D1 = "2026-05-06";
const D2 = "2026-08-04";
const D3 = "2026-11-02";

/** The vault secrets, which carry the Access token in the headers of their requests. */
const VAULT_SECRETS = [
    "billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN",
    "billing-readonly-vault-HEROKU_BILLING_API_KEY",
    "platform-token-vault-HEROKU_API_KEY__AUTH_ID",
    "platform-token-vault-HEROKU_PLATFORM_API_TOKEN",
];

/** The checks of the vault secrets, which carry the Access token too. */
const VAULT_SECRET_CHECKS = [
    "billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN-check",
    "billing-readonly-vault-HEROKU_BILLING_API_KEY-check",
    "platform-token-vault-HEROKU_API_KEY__AUTH_ID-check",
    "platform-token-vault-HEROKU_PLATFORM_API_TOKEN-check",
];

/**
 * Each credential: its issuer resources and the checks of their slots (both
 * without the slot suffix), the resources that consume it (SPEC 1-4 and 7 in
 * docs/session-2026-05-06.md) and the checks of those places, and those that
 * admit its slots, which change when a slot is issued or revoked.
 */
const PROD: Record<CredentialId, { issuer: string; check: string; consumers: readonly string[]; consumerChecks: readonly string[]; admittedBy?: readonly string[] }> = {
    herokuPlatformToken: {
        issuer: "platform-token-heroku-authorization",
        check: "platform-token-heroku-check",
        consumers: [
            "platform-token-github-secret-HEROKU_API_KEY",
            "platform-token-raxx-api-prod",
            "platform-token-raxx-api-staging",
            "platform-token-raxx-console-prod",
            "platform-token-raxx-console-staging",
            "platform-token-vault-HEROKU_API_KEY__AUTH_ID",
            "platform-token-vault-HEROKU_PLATFORM_API_TOKEN",
        ],
        consumerChecks: [
            "platform-token-github-secret-HEROKU_API_KEY-check",
            "platform-token-raxx-api-prod-check",
            "platform-token-raxx-api-staging-check",
            "platform-token-raxx-console-prod-check",
            "platform-token-raxx-console-staging-check",
            "platform-token-vault-HEROKU_API_KEY__AUTH_ID-check",
            "platform-token-vault-HEROKU_PLATFORM_API_TOKEN-check",
        ],
    },
    herokuBillingToken: {
        issuer: "billing-readonly-heroku-authorization",
        check: "billing-readonly-heroku-check",
        consumers: ["billing-readonly-vault-HEROKU_BILLING_API_KEY", "raxx-billing-readonly-heroku_billing_api_key-parameter", "raxx-billing-readonly-heroku_billing_auth_id-parameter"],
        consumerChecks: ["billing-readonly-vault-HEROKU_BILLING_API_KEY-check", "raxx-billing-readonly-heroku_billing_api_key-check", "raxx-billing-readonly-heroku_billing_auth_id-check"],
    },
    awsBillingKey: {
        issuer: "billing-readonly-aws-access-key",
        check: "billing-readonly-aws-check",
        consumers: ["raxx-billing-readonly-aws_access_key_id-parameter", "raxx-billing-readonly-aws_secret_access_key-parameter"],
        consumerChecks: ["raxx-billing-readonly-aws_access_key_id-check", "raxx-billing-readonly-aws_secret_access_key-check"],
    },
    cloudflareBillingToken: {
        issuer: "billing-readonly-cloudflare-token",
        check: "billing-readonly-cloudflare-check",
        consumers: ["billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN", "raxx-billing-readonly-cloudflare_billing_token-parameter"],
        consumerChecks: ["billing-readonly-vault-CLOUDFLARE_BILLING_TOKEN-check", "raxx-billing-readonly-cloudflare_billing_token-check"],
    },
    freescoutBackupKey: {
        issuer: "freescout-backup-aws-access-key",
        check: "freescout-backup-aws-check",
        consumers: ["freescout-backup-github-secret-AWS_BACKUP_ACCESS_KEY_ID", "freescout-backup-github-secret-AWS_BACKUP_SECRET_ACCESS_KEY"],
        consumerChecks: ["freescout-backup-github-secret-AWS_BACKUP_ACCESS_KEY_ID-check", "freescout-backup-github-secret-AWS_BACKUP_SECRET_ACCESS_KEY-check"],
    },
    auditIngestToken: {
        issuer: "audit-ingest-token-bytes",
        check: "audit-ingest-token-check",
        consumers: ["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN", "audit-ingest-raxx-console-prod"],
        consumerChecks: ["audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check", "audit-ingest-raxx-console-prod-check"],
    },
    vaultAccessToken: {
        issuer: "vault-access-service-token",
        check: "vault-access-check",
        consumers: ["vault-access-github-secret-CF_ACCESS_CLIENT_ID", "vault-access-github-secret-CF_ACCESS_CLIENT_SECRET", ...VAULT_SECRETS],
        consumerChecks: ["vault-access-github-secret-CF_ACCESS_CLIENT_ID-check", "vault-access-github-secret-CF_ACCESS_CLIENT_SECRET-check", ...VAULT_SECRET_CHECKS],
        admittedBy: ["vault-access-policy"],
    },
    workspaceNoReplyPassword: {
        issuer: "workspace-no-reply-password-password",
        check: "workspace-no-reply-password-check",
        consumers: ["workspace-no-reply-user"],
        consumerChecks: ["workspace-no-reply-user-check"],
    },
};
type Id = CredentialId;
const IDS = CREDENTIAL_IDS;

/** Config that sets every credential's rotation entry to `entry`, or `entry(id)`; no-reply@ is a user, so its password is issued too. */
function rotations(entry: string | ((id: Id) => string)): Record<string, string> {
    return {
        "raxx-platform:workspaceNoReplyForm": "user",
        ...Object.fromEntries(IDS.map((id) => [`raxx-platform:${id}Rotation`, typeof entry === "string" ? entry : entry(id)])),
    };
}

const allConsumers = [...new Set(IDS.flatMap((id) => [...PROD[id].consumers]))].sort();
const allConsumerChecks = [...new Set(IDS.flatMap((id) => [...PROD[id].consumerChecks]))].sort();
const allAdmitting = IDS.flatMap((id) => [...(PROD[id].admittedBy ?? [])]).sort();
const allIssuers = (slot: string) => IDS.map((id) => `${PROD[id].issuer}-${slot}`).sort();
const allChecks = (slot: string) => IDS.map((id) => `${PROD[id].check}-${slot}`).sort();

describe("rotation", () => {
    let base: MockRunResult;
    let rotated: MockRunResult;
    before(async () => {
        base = await okRun(runStack("prod", { config: rotations(`active=a a=${D1}`) }));
        rotated = await okRun(runStack("prod", { config: rotations(`active=b a=${D1} b=${D2}`) }));
    });

    it("gives every issuer its slot's date as replacement trigger, and no other resource one", () => {
        const triggered = (r: MockRunResult) =>
            r.registrations
                .filter((x) => x.options.replacementTrigger !== undefined)
                .map((x) => [x.name, x.options.replacementTrigger])
                .sort();
        assert.deepEqual(
            triggered(base),
            allIssuers("a").map((n) => [n, D1]),
        );
        assert.deepEqual(
            triggered(rotated),
            [...allIssuers("a").map((n) => [n, D1]), ...allIssuers("b").map((n) => [n, D2])].sort(),
        );
    });

    describe("rotating one credential", () => {
        for (const id of IDS) {
            it(`${id}: issues slot b and its check, and moves exactly its consumers and their checks to it, touching nothing else`, async () => {
                const after = await okRun(runStack("prod", { config: { ...rotations(`active=a a=${D1}`), [`raxx-platform:${id}Rotation`]: `active=b a=${D1} b=${D2}` } }));
                const changed = changes(base, after);
                assert.deepEqual(changed, {
                    created: [`${PROD[id].issuer}-b`, `${PROD[id].check}-b`].sort(),
                    deleted: [],
                    retriggered: [],
                    inputsChanged: [...PROD[id].consumers, ...PROD[id].consumerChecks, ...(PROD[id].admittedBy ?? [])].sort(),
                });
                // Slot a's check stays as it was: it checks slot a's credential, which the rotation leaves alone.
                assert.ok(!changed.inputsChanged.includes(`${PROD[id].check}-a`));
            });
        }
    });

    it("rotating again re-issues only the older slot, a, which its check follows, and moves every consumer and its check back to it", async () => {
        const again = await okRun(runStack("prod", { config: rotations(`active=a a=${D3} b=${D2}`) }));
        // A Heroku authorization's description and an Access service token's name carry its date, so their inputs change too.
        const described = ["billing-readonly-heroku-authorization-a", "platform-token-heroku-authorization-a", "vault-access-service-token-a"];
        assert.deepEqual(changes(rotated, again), {
            created: [],
            deleted: [],
            retriggered: allIssuers("a"),
            inputsChanged: [...allConsumers, ...allConsumerChecks, ...described].sort(),
        });
        // The fakes are named for the resource, so slot a's check shows no new input here; it checks exactly slot a's
        // issuer, so the engine updates it (and runs it) when that issuer is replaced, and leaves slot b's alone.
        for (const id of IDS) {
            for (const slot of ["a", "b"]) {
                assert.deepEqual(byName(again, `${PROD[id].check}-${slot}`).options.propertyDependencies.value, [byName(again, `${PROD[id].issuer}-${slot}`).urn], `${id} ${slot}`);
            }
        }
    });

    it("attributes, in the secrets map, each issuer to its slot and every placement to the active slot, b after the rotation", () => {
        const slotsOf = (r: MockRunResult) => credentialEntries(r).map((e) => [e.id, [...new Set(e.placements.map((p) => p.slot))]]);
        const ids = [...IDS].sort();
        assert.deepEqual(slotsOf(base), ids.map((id) => [id, ["a"]]));
        assert.deepEqual(slotsOf(rotated), ids.map((id) => [id, ["b"]]));
        assert.deepEqual(
            credentialEntries(rotated).map((e) => [e.id, e.issuers.map((i) => [i.slot, i.resource])]),
            ids.map((id) => [id, [["a", `${PROD[id].issuer}-a`], ["b", `${PROD[id].issuer}-b`]]]),
        );
        // The same places, whichever slot they hold.
        const places = (r: MockRunResult) => credentialEntries(r).map((e) => e.placements.map((p) => `${p.place} by ${p.resource}`));
        assert.deepEqual(places(rotated), places(base));
    });

    it("rolling back points every consumer and its check at the previous slot and mints nothing", async () => {
        const rolledBack = await okRun(runStack("prod", { config: rotations(`active=a a=${D1} b=${D2}`) }));
        assert.deepEqual(changes(rotated, rolledBack), { created: [], deleted: [], retriggered: [], inputsChanged: [...allConsumers, ...allConsumerChecks].sort() });
    });

    it("revoking the previous slot early deletes only it and its check; consumers keep the active slot", async () => {
        const revoked = await okRun(runStack("prod", { config: rotations(`active=b b=${D2}`) }));
        assert.deepEqual(changes(rotated, revoked), { created: [], deleted: [...allIssuers("a"), ...allChecks("a")].sort(), retriggered: [], inputsChanged: allAdmitting });
    });

    it("rotates the staging audit token alone", async () => {
        const before = await okRun(runStack("staging", { config: { "raxx-platform:auditIngestTokenRotation": `active=a a=${D1}` } }));
        const after = await okRun(runStack("staging", { config: { "raxx-platform:auditIngestTokenRotation": `active=b a=${D1} b=${D2}` } }));
        assert.deepEqual(changes(before, after), {
            created: ["audit-ingest-token-bytes-b", "audit-ingest-token-check-b"],
            deleted: [],
            retriggered: [],
            inputsChanged: [
                "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN",
                "audit-ingest-github-secret-CONSOLE_AUDIT_INGEST_TOKEN-check",
                "audit-ingest-raxx-console-staging",
                "audit-ingest-raxx-console-staging-check",
            ],
        });
    });

    it("refuses to revoke the slot consumers hold", async () => {
        const result = await runStack("prod", { config: { "raxx-platform:awsBillingKeyRotation": `active=a b=${D2}` } });
        assert.equal(result.error?.name, "ConfigError");
        assert.match(result.error!.message, /awsBillingKeyRotation: active=a names a slot without a date/);
        assert.deepEqual(result.registrations, []);
    });
});

describe("rotation entries", () => {
    const TODAY = "2026-11-28";
    const MISSING = "active= is missing; it names the slot consumers hold, a or b";

    it("reads the fields apart by any white space, before, between and after them", () => {
        assert.deepEqual(parseRotation(` active=b\ta=${D1}  b=${D2} maxAgeDays=30\n`, 90, TODAY), {
            rotation: { active: "b", dates: { a: D1, b: D2 }, maxAgeDays: 30 },
            problems: [],
        });
    });

    it("reads an empty or blank entry as one without active=, and nothing else", () => {
        for (const entry of ["", " \t "]) assert.deepEqual(parseRotation(entry, 90, TODAY), { problems: [MISSING] }, JSON.stringify(entry));
    });

    it("returns no rotation for an entry with any problem", () => {
        for (const [entry, problem] of [
            [`active=a a=${D1} maxAgeDays=0`, "maxAgeDays=0 is not a whole number of days from 1 to 9999"],
            [`active=c a=${D1}`, "active=c is not a or b"],
            [`active=a a=${D1} a=${D2}`, "a= is given twice"],
        ]) {
            assert.deepEqual(parseRotation(entry, 90, TODAY), { problems: [problem] }, entry);
        }
    });
});

describe("slots", () => {
    const rotation = (active: Slot, dates: Rotation["dates"]): Rotation => ({ active, dates, maxAgeDays: 90 });

    it("names the other slot, and it as the previous generation only when it has a date", () => {
        assert.deepEqual(SLOTS.map(otherSlot), ["b", "a"]);
        assert.deepEqual(
            [rotation("a", { a: D1 }), rotation("a", { a: D3, b: D2 }), rotation("b", { a: D1, b: D2 }), rotation("b", { b: D2 })].map(previousSlot),
            [undefined, "b", "a", undefined],
        );
    });

    describe("declareSlots", () => {
        const declared: unknown[][] = [];
        const make = (slotName: string, slot: Slot, date: string, opts: pulumi.CustomResourceOptions) => {
            declared.push([slotName, slot, date, opts]);
            return { slotName } as unknown as pulumi.CustomResource;
        };
        beforeEach(() => declared.splice(0));

        it("declares one issuer per dated slot, with its date as replacement trigger, and hands out the active one", () => {
            const opts = { protect: true };
            assert.deepEqual(declareSlots("token", rotation("b", { a: D1, b: D2 }), opts, make), {
                slots: { a: { slotName: "token-a" }, b: { slotName: "token-b" } },
                active: { slotName: "token-b" },
            });
            assert.deepEqual(declared, [
                ["token-a", "a", D1, { protect: true, replacementTrigger: D1 }],
                ["token-b", "b", D2, { protect: true, replacementTrigger: D2 }],
            ]);
        });

        it("refuses an active slot without a date, which has no credential to hand out", () => {
            assert.throws(() => declareSlots("token", rotation("b", { a: D1 }), {}, make), {
                name: "Error",
                message: "token: the active slot b has no date, so it has no credential to hand out",
            });
            assert.deepEqual(declared, [["token-a", "a", D1, { replacementTrigger: D1 }]]);
        });
    });
});

describe("rotation status", () => {
    const status = (activeDate: string, today: string, maxAge = 90) => {
        const parsed = parseRotation(`active=a a=${activeDate} maxAgeDays=${maxAge}`, 90, today);
        assert.deepEqual(parsed.problems, []);
        return rotationStatus(parsed.rotation!, today);
    };

    it("is ok until 14 days before the maximum age, due up to it, overdue after it", () => {
        // 2026-01-01 + 75/76/89/90/91 days
        const cases: [string, number, string][] = [
            ["2026-03-17", 75, "ok"],
            ["2026-03-18", 76, "due"],
            ["2026-03-31", 89, "due"],
            ["2026-04-01", 90, "due"],
            ["2026-04-02", 91, "overdue"],
        ];
        for (const [today, age, state] of cases) {
            const s = status("2026-01-01", today);
            assert.deepEqual([s.ageDays, s.daysLeft, s.state], [age, 90 - age, state], today);
        }
    });

    it("refuses a rotation whose active slot has no date, naming the slot, rather than counting from nothing", () => {
        // parseRotation never gives one; a Rotation built by hand can.
        const rotation = { active: "b", dates: { a: "2026-01-01" }, maxAgeDays: 90 } as unknown as Rotation;
        assert.throws(() => rotationStatus(rotation, "2026-02-01"), { name: "Error", message: "the active slot b has no date" });
    });

    it("counts whole days across a leap day and a year end", () => {
        assert.equal(status("2027-12-31", "2028-03-01").ageDays, 61);
        assert.equal(status("2028-02-28", "2028-03-01").ageDays, 2);
    });

    it("honours a credential's own maximum age", () => {
        assert.deepEqual([status("2026-01-01", "2026-01-31", 30).state, status("2026-01-01", "2026-02-01", 30).state], ["due", "overdue"]);
    });

    // rotation-status reads the checked-in config, whose dates operators change: work from them.
    const stagingEntry = readStackConfig("staging").values["raxx-platform:auditIngestTokenRotation"];
    const stagingRotation = parseRotation(stagingEntry, 90, "9999-12-31").rotation!;
    const activeDate = stagingRotation.dates[stagingRotation.active]!;
    const plusDays = (n: number) => new Date(Date.parse(`${activeDate}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

    // Dates pinned on top of the checked-in config, so the expected report is written out, not derived:
    // slot b active, a the previous generation, as after a first rotation.
    const ON_B = { "raxx-platform:auditIngestTokenRotation": `active=b a=${D1} b=${D2}` };

    it("reports every credential with its slots, age, state and holders: after a rotation to b, b's", async () => {
        assert.deepEqual(await rotationReport("staging", "2026-11-02", ON_B), {
            stack: "staging",
            today: "2026-11-02",
            dueWindowDays: 14,
            credentials: [
                {
                    id: "auditIngestToken",
                    description: "deploy audit ingest token of this environment, 32 random bytes",
                    issuedBy: "random bytes",
                    active: "b",
                    previous: "a",
                    dates: { a: D1, b: D2 },
                    ageDays: 90,
                    maxAgeDays: 90,
                    daysLeft: 0,
                    state: "due",
                    heldBy: ["github secret raxx (staging)/CONSOLE_AUDIT_INGEST_TOKEN", "heroku raxx-console-staging/CONSOLE_AUDIT_INGEST_TOKEN"],
                },
            ],
            due: 1,
            overdue: 0,
            // Each slot's check, and the GitHub secret's and the config var's.
            checks: { enabled: true, declared: 4, off: 0 },
        });
    });

    it("names the same holders of every prod credential whichever slot is active", async () => {
        const onA = await rotationReport("prod", D3, rotations(`active=a a=${D1}`));
        const onB = await rotationReport("prod", D3, rotations(`active=b a=${D1} b=${D2}`));
        assert.deepEqual(
            onB.credentials.map((c) => [c.id, c.active, c.previous, c.ageDays]),
            [...IDS].sort().map((id) => [id, "b", "a", 90]),
        );
        assert.deepEqual(
            onA.credentials.map((c) => [c.id, c.active, c.previous, c.ageDays]),
            [...IDS].sort().map((id) => [id, "a", null, 180]),
        );
        for (const c of onA.credentials) assert.ok(c.heldBy.length > 0, `${c.id} is held somewhere`);
        assert.deepEqual(
            onB.credentials.map((c) => c.heldBy),
            onA.credentials.map((c) => c.heldBy),
        );
    });

    it("prints as JSON the report of the checked-in config", async () => {
        const today = plusDays(90);
        const io = captureIo();
        assert.equal(await invoke(rotationStatusTool, ["--stack", "staging", "--json", "--today", today], io), 0);
        assert.deepEqual(JSON.parse(io.stdout), JSON.parse(JSON.stringify(await rotationReport("staging", today))));
        assert.equal(JSON.parse(io.stdout).credentials[0].state, "due");
        assert.equal(io.stderr, "");
    });

    it("says in its text when the checks are off, and only then", async () => {
        const report = await rotationReport("staging", plusDays(10));
        assert.deepEqual(report.checks, { enabled: true, declared: 3, off: 0 });
        const on = formatReport(report);
        assert.ok(!on.includes("CHECKS OFF"), on);
        // rotation-status reads the checked-in config, where the checks are on: turn them off in the report.
        const line =
            'CHECKS OFF: 3 of the 3 checks are off (verifyCredentials is false, or the code turns them off), so they record that they did not run. Set verifyCredentials back to true after the break-glass apply (docs/rotation.md, "Checks").';
        const off = formatReport({ ...report, checks: { enabled: false, declared: 3, off: 3 } });
        assert.equal(off, on.replace(/\n\n/, `\n\n${line}\n\n`));
        assert.equal(off.split("\n")[2], line);
    });

    it("counts the checks the program declares off, whatever turned them off: config or code", () => {
        const check = (enabled: unknown) => ({ type: "pulumi-nodejs:dynamic/verify:CredentialCheck", inputs: { enabled } });
        const consumer = (enabled: unknown) => ({ type: "pulumi-nodejs:dynamic/verify:ConsumerCheck", inputs: { enabled } });
        const other = { type: "pulumi-nodejs:dynamic/heroku:ConfigVars", inputs: { enabled: false } };
        assert.deepEqual(checksOf([check(true), consumer(true), other]), { enabled: true, declared: 2, off: 0 });
        assert.deepEqual(checksOf([check(true), consumer(false), other]), { enabled: false, declared: 2, off: 1 });
        // Not known to be on (unknown, missing, a string): off.
        assert.deepEqual(checksOf([check(undefined), check("true")]), { enabled: false, declared: 2, off: 2 });
    });

    it("exits 1 the day after the maximum age, and says what to do", async () => {
        const io = captureIo();
        assert.equal(await invoke(rotationStatusTool, ["--stack", "staging", "--today", plusDays(91)], io), 1);
        assert.match(io.stdout, /^OVERDUE  auditIngestToken: /m);
        assert.match(io.stdout, /1 credentials: 1 overdue, 0 due\.\nRotate the overdue ones: docs\/rotation\.md\.\n$/);
    });

    it("exits 2 on a malformed date, an unknown stack, or an unknown flag", async () => {
        for (const [argv, message] of [
            [["--stack", "staging", "--today", "2027-02-30"], '--today "2027-02-30" is not a date written YYYY-MM-DD'],
            [["--stack", "qa"], '--stack must be one of prod, staging (not "qa")'],
            [["--stack", "prod", "--verbose"], "Unknown option '--verbose'"],
        ] as const) {
            const io = captureIo();
            assert.equal(await invoke(rotationStatusTool, [...argv], io), 2, argv.join(" "));
            assert.ok(io.stderr.startsWith(message), io.stderr);
            assert.equal(io.stdout, "");
        }
    });
});
