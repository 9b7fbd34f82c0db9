// npm run rotation-status -- --stack <prod|staging> [--json] [--today YYYY-MM-DD]
//
// Lists every credential the stack issues: its active slot, both slots' dates,
// its age against its maximum age, whether it is due or overdue, and every
// consumer that holds it. Exits 1 when any credential is overdue, so CI can
// fail on it; 2 on bad arguments or config.
import { isIsoDate } from "../components/rotation";
import { todayUtc } from "../config";
import { Io, UsageError, parseCli, runMain, stackConfig } from "./lib/cli";
import { credentialEntries } from "./lib/credentials";
import { runStack } from "./lib/offline/stack";
import { checkOf } from "./lib/kinds";
import { plain } from "./lib/offline/mocks";
import { DUE_WINDOW_DAYS, RotationStatus, rotationStatus } from "./lib/rotationStatus";

const USAGE = `usage: npm run rotation-status -- --stack <stack> [--json] [--today YYYY-MM-DD]
  --stack   the stack whose checked-in config to read (Pulumi.<stack>.yaml)
  --json    print JSON (see docs/rotation.md) instead of text
  --today   judge ages as of this date instead of today (UTC)
exit codes: 0 none overdue, 1 some credential overdue, 2 bad arguments or config`;

export interface CredentialStatusReport extends RotationStatus {
    readonly id: string;
    readonly description: string;
    readonly issuedBy: string;
    /** Every place that holds the active slot's value. */
    readonly heldBy: string[];
}

export interface RotationReport {
    readonly stack: string;
    readonly today: string;
    readonly dueWindowDays: number;
    readonly credentials: CredentialStatusReport[];
    readonly due: number;
    readonly overdue: number;
    /**
     * The checks the program declares (docs/rotation.md, "Checks"), and how many are off. `enabled`
     * is true only when none is: it reads what the program declares, so a check that code turns
     * off counts as much as stack config verifyCredentials false.
     */
    readonly checks: { readonly enabled: boolean; readonly declared: number; readonly off: number };
}

/** The report for `stack` as of `today`, from its checked-in config (with plain `overrides` on top) and an offline run of the program. */
export async function rotationReport(stack: string, today: string, overrides: Readonly<Record<string, string>> = {}): Promise<RotationReport> {
    const config = stackConfig(stack, today, overrides);
    const run = await runStack(stack, { config: overrides });
    if (run.error) throw run.error;
    const credentials = credentialEntries(run).map((entry) => {
        const rotation = config.rotation[entry.id];
        if (rotation === undefined) throw new Error(`${entry.id} is issued but has no rotation entry`);
        const status = rotationStatus(rotation, today);
        return {
            id: entry.id,
            description: entry.description,
            issuedBy: entry.issuedBy,
            ...status,
            heldBy: entry.placements.filter((p) => p.slot === status.active).map((p) => p.place),
        };
    });
    return {
        stack,
        today,
        dueWindowDays: DUE_WINDOW_DAYS,
        credentials,
        due: credentials.filter((c) => c.state === "due").length,
        overdue: credentials.filter((c) => c.state === "overdue").length,
        checks: checksOf(run.registrations),
    };
}

/** The declared checks, and how many are off (their `enabled` input is false). */
export function checksOf(registrations: readonly { type: string; inputs: Record<string, unknown> }[]): RotationReport["checks"] {
    const declared = registrations.filter((r) => checkOf(r.type) !== undefined);
    const off = declared.filter((r) => plain(r.inputs.enabled) !== true).length;
    return { enabled: off === 0, declared: declared.length, off };
}

export function formatReport(report: RotationReport): string {
    const lines = [`Rotation status of stack ${report.stack} on ${report.today} (due from ${report.dueWindowDays} days before the maximum age)`, ""];
    if (!report.checks.enabled) {
        const { off, declared } = report.checks;
        lines.push(
            `CHECKS OFF: ${off} of the ${declared} checks are off (verifyCredentials is false, or the code turns them off), so they record that they did not run. Set verifyCredentials back to true after the break-glass apply (docs/rotation.md, "Checks").`,
            "",
        );
    }
    for (const c of report.credentials) {
        const slots = (["a", "b"] as const).map((s) => `${s}=${c.dates[s] ?? "none"}`).join(" ");
        const left = c.daysLeft >= 0 ? `${c.daysLeft} days left` : `${-c.daysLeft} days over`;
        lines.push(`${c.state.toUpperCase().padEnd(8)} ${c.id}: ${c.description}`);
        lines.push(`         active ${c.active}, previous ${c.previous ?? "none"} (${slots}); age ${c.ageDays} of ${c.maxAgeDays} days, ${left}`);
        lines.push(`         held by: ${c.heldBy.length === 0 ? "nothing" : c.heldBy.join(", ")}`);
    }
    lines.push("", `${report.credentials.length} credentials: ${report.overdue} overdue, ${report.due} due.`);
    if (report.overdue > 0) lines.push("Rotate the overdue ones: docs/rotation.md.");
    return lines.join("\n");
}

/** The tool: prints the report, and returns 1 when any credential is overdue. */
export async function rotationStatusTool(argv: string[], io: Io): Promise<number> {
    const args = parseCli(argv, { stack: { type: "string" }, json: { type: "boolean" }, today: { type: "string" } }, USAGE);
    const today = (args.today as string | undefined) ?? todayUtc();
    if (!isIsoDate(today)) throw new UsageError(`--today ${JSON.stringify(today)} is not a date written YYYY-MM-DD\n${USAGE}`);
    const report = await rotationReport(args.stack as string, today);
    io.out(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.overdue > 0 ? 1 : 0;
}

if (require.main === module) runMain(rotationStatusTool);
