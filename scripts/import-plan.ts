// npm run import-plan -- --stack <prod|staging> [--out <file> | --out -] [--json]
//                        [--dns-record-ids <file>] [--include <name>]...
//
// Writes a `pulumi import --file` file for everything that exists already and
// whose import id follows from config (IAM users, policies and attachments, SSM
// parameters, GitHub secrets and variables), and says what else the first
// `pulumi up` meets: DNS records whose ids need a lookup (the command is
// printed), what is adopted in code, what the Heroku provider adopts on create,
// and what cannot be imported and how the stack replaces it. docs/adoption.md
// walks through the whole adoption.
//
//   --out             where to write the import file; default import-plan.<stack>.json (gitignored); `-` for stdout
//   --json            print the whole plan as JSON (schema in docs/adoption.md) instead of text
//   --dns-record-ids  a JSON file { "<DnsRecord name>": "<Cloudflare record id>" }: import those records too
//   --include         a resource from "check first" that exists: import it too (repeatable)
//
// It writes no file while a DNS record the stack declares has no id in --dns-record-ids: a record
// left out of the import would be created a second time by the `up` (a second SPF or DMARC record
// breaks mail; an identical one fails the `up` halfway). It prints the lookups and exits with 3.
//
// Exit codes: 0 written; 2 bad arguments, a bad config or a program error; 3 no file written: DNS
// record ids missing.
import * as fs from "node:fs";
import * as path from "node:path";
import { Io, Tool, UsageError, parseCli, runMain } from "./lib/cli";
import { BACKUP_PREFIX, ImportPlan, Listed, importPlan } from "./lib/plan/importPlan";
import { runOffline } from "./lib/plan/model";
import { COLOUR, PLAIN, Style } from "./lib/plan/render";

const USAGE = `usage: npm run import-plan -- --stack <stack> [--out <file> | --out -] [--json] [--dns-record-ids <file>] [--include <name>]...
  --stack           the stack whose checked-in config to use (Pulumi.<stack>.yaml)
  --out             where to write the \`pulumi import --file\` file; default import-plan.<stack>.json; - for stdout
  --json            print the whole plan as JSON (docs/adoption.md) instead of text
  --dns-record-ids  a JSON file {"<DnsRecord name>": "<Cloudflare record id>"} of looked-up record ids to import
  --include         a resource listed under "check first" that exists, to import as well (repeatable)
exit codes: 0 written, 2 bad arguments or config, 3 no file written: a declared DNS record has no id`;

const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;

function readDnsIds(file: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--dns-record-ids: cannot read ${file} as JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new UsageError(`--dns-record-ids: ${file} must hold an object {"<DnsRecord name>": "<record id>"}`);
    }
    for (const [name, id] of Object.entries(parsed)) {
        if (typeof id !== "string" || !CLOUDFLARE_ID.test(id)) {
            throw new UsageError(`--dns-record-ids: the id of ${name} is not a Cloudflare record id (32 lowercase hex characters)`);
        }
    }
    return parsed as Record<string, string>;
}

function section(st: Style, title: string, items: readonly Listed[], empty?: string): string[] {
    if (items.length === 0) return empty === undefined ? [] : ["", st.bold(title), `  ${empty}`];
    const lines = ["", st.bold(title)];
    for (const item of items) {
        lines.push(`  ${st.bold(item.name)}  ${st.dim(item.type)}  ${item.physical}`);
        lines.push(`      ${item.note}`);
        for (const c of item.commands) lines.push(`      $ ${c}`);
    }
    return lines;
}

export function renderImportPlan(plan: ImportPlan, written: string, st: Style): string {
    const components = plan.file?.resources.filter((r) => r.component).length ?? 0;
    const lines = [
        st.bold(`Adoption plan of ${plan.project}, stack ${plan.stack}`) + st.dim(" (derived offline from the program and Pulumi." + plan.stack + ".yaml)"),
        "",
        plan.file === null
            ? st.bold(
                  `No file written: ${plan.missingDnsRecordIds.length} DNS record${plan.missingDnsRecordIds.length === 1 ? "" : "s"} of the stack ha${plan.missingDnsRecordIds.length === 1 ? "s" : "ve"} no id (${plan.missingDnsRecordIds.join(", ")}). Left out of the import, a record would be created a second time. Look the ids up (below) and run this again with --dns-record-ids <file>.`,
              )
            : `${written === "-" ? "Printed" : `Wrote ${written}`}: ${plan.imports.length} resources to import, with ${components} components as their parents. See docs/adoption.md for the order.`,
    ];
    if (plan.prerequisites.length > 0) {
        lines.push("", st.bold("Step 2 of docs/adoption.md, once: the explicit providers must be in the stack's state"), `  ${plan.prerequisites[0].note}`);
        for (const p of plan.prerequisites) lines.push(`    ${st.bold(p.name)}  ${st.dim(p.urn)}`);
        lines.push(`  $ ${plan.prerequisites[0].commands[0]}`);
    }
    lines.push("", st.bold("Step 3: import"), `  $ pulumi import --stack ${plan.stack} --file ${written === "-" ? "<file>" : written} --generate-code=false`);
    for (const i of plan.imports) lines.push(`    ${st.bold(i.name)}  ${st.dim(i.type)}  id ${i.id}  ${st.dim(`(${i.format})`)}`);
    lines.push(...section(st, "Needs a lookup (Cloudflare record ids); then run this again with --dns-record-ids <file>", plan.lookups));
    lines.push(...section(st, "Check first: may not exist", plan.checkFirst));
    lines.push(...section(st, "Adopted in code (the `import` option): not in the file", plan.adoptedInCode));
    lines.push(...section(st, "Adopted on create by a dynamic provider (Heroku, the vault): not importable", plan.adoptedOnCreate));
    lines.push(...section(st, "Cannot be imported: the first `pulumi up` issues successors; then remove the hand-made ones", plan.notImportable));
    lines.push(...section(st, "New: never made by hand", plan.created));
    lines.push(...section(st, `Before \`pulumi up\`: save what it overwrites (docs/adoption.md, step 5), as SecureString parameters under ${BACKUP_PREFIX}/${plan.stack}`, plan.backups));
    return lines.join("\n");
}

export const importPlanTool: Tool = async (argv: string[], io: Io) => {
    const args = parseCli(
        argv,
        {
            stack: { type: "string" },
            out: { type: "string" },
            json: { type: "boolean" },
            "dns-record-ids": { type: "string" },
            include: { type: "string", multiple: true },
        },
        USAGE,
    );
    const stack = args.stack as string;
    const dnsRecordIdsFile = args["dns-record-ids"] as string | undefined;
    const dnsRecordIds = dnsRecordIdsFile === undefined ? undefined : readDnsIds(dnsRecordIdsFile);
    const run = await runOffline(stack);
    let plan: ImportPlan;
    try {
        plan = importPlan(run, { dnsRecordIds, dnsRecordIdsFile, include: (args.include as string[] | undefined) ?? [] });
    } catch (e) {
        if (e instanceof Error && /^(--include|--dns-record-ids)/.test(e.message)) throw new UsageError(e.message);
        throw e;
    }
    const out = (args.out as string | undefined) ?? `import-plan.${stack}.json`;
    const report = args.json ? JSON.stringify(plan, null, 2) : renderImportPlan(plan, out, io.tty && out !== "-" ? COLOUR : PLAIN);
    if (plan.file === null) {
        // A file from an earlier run would still be there to import: remove it, so only a complete one exists.
        const stale = out !== "-" && !args.json && fs.existsSync(path.resolve(out));
        if (out !== "-") fs.rmSync(path.resolve(out), { force: true });
        (out === "-" ? io.err : io.out)(stale ? `${report}\n\nRemoved ${out}, written by an earlier run.` : report);
        return 3;
    }
    const file = `${JSON.stringify(plan.file, null, 4)}\n`;
    if (out === "-") {
        io.out(file);
        io.err(report);
    } else {
        fs.writeFileSync(path.resolve(out), file);
        io.out(report);
    }
    return 0;
};

if (require.main === module) runMain(importPlanTool);
