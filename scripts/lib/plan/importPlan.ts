// The adoption plan: what already exists (made by hand in the 2026-05-06
// session, SPEC 1-5: docs/session-2026-05-06.md) and how the stack takes it over without recreating
// it. It is derived from an offline run of the program, so every id and URN is
// what the program declares, and from the stack's config, never from a cloud.
//
// Import ids follow each provider's documented `pulumi import` format (the
// "Import" section of each resource in the SDK this project pins). The issuer,
// consumer and check kinds give theirs, or how they are adopted otherwise, in
// scripts/lib/kinds (`adoption`); the other resources' are here:
//   aws:iam/user:User                          <user name>
//   aws:iam/policy:Policy                      <policy ARN>
//   aws:iam/userPolicyAttachment:...           <user name>/<policy ARN>
//   cloudflare:index/dnsRecord:DnsRecord       <zone id>/<dns record id>            (the record id needs a lookup)
//
// The file is what `pulumi import --file` reads: `nameTable` maps names to URNs
// (here: the explicit providers), and each resource names its `parent` and
// `provider` through it or through another entry of the file. The engine builds
// each URN from the parent's URN, the type and the name, so the imports land on
// the URNs the program registers. Parents that are components are imported as
// empty components (`component: true`), which the engine supports since 3.94.
import { BILLING_PARAMETERS } from "../../../components/billing";
import { CredentialId } from "../../../config";
import { CredentialEntry, credentialEntries } from "../credentials";
import { checkOf, kindOf } from "../kinds";
import { json as str } from "../kinds/kind";
import { Registration } from "../offline/mocks";
import { OfflineRun, describeContext, physical } from "./model";

const ACCESS_POLICY = "pulumi-nodejs:dynamic/cloudflare:AccessApplicationPolicy";
export const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
/** The Actions secrets that carry the vault's Access service token. */
const VAULT_ACCESS_SECRETS = ["CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"];


/** The version of `npm run import-plan -- --json` (see docs/adoption.md). 2: `file` is null while a DNS record lacks its id; `missingDnsRecordIds`, `backups`. */
export const IMPORT_PLAN_VERSION = 2;

/** Where the values the first `up` overwrites are saved: outside `/raxx/*`, which the read-only preview roles may read. */
export const BACKUP_PREFIX = "/adoption-backup/raxx-platform";

/** One entry of a `pulumi import --file` file. */
export interface ImportSpec {
    readonly type: string;
    readonly name: string;
    readonly id?: string;
    readonly parent?: string;
    readonly provider?: string;
    readonly component?: boolean;
}

export interface ImportFile {
    readonly nameTable: Record<string, string>;
    readonly resources: ImportSpec[];
}

/** A resource the file imports. */
export interface Imported {
    readonly name: string;
    readonly type: string;
    readonly urn: string;
    readonly id: string;
    /** The provider's documented import id format. */
    readonly format: string;
    readonly physical: string;
}

export interface Listed {
    readonly name: string;
    readonly type: string;
    readonly urn: string;
    readonly physical: string;
    /** What happens to it, in words. */
    readonly note: string;
    /** Commands for the operator, in order. */
    readonly commands: readonly string[];
}

export interface LookupEntry extends Listed {
    /** The id to give `pulumi import`, with the part to look up in angle brackets. */
    readonly idTemplate: string;
}

export interface ImportPlan {
    readonly version: number;
    readonly project: string;
    readonly stack: string;
    /**
     * The `pulumi import --file` content; null while a declared DNS record has no looked-up id
     * (`missingDnsRecordIds`): a record left out of the import would be created a second time.
     */
    readonly file: ImportFile | null;
    /** DNS records the stack declares whose Cloudflare id was not given: no file until this is empty. */
    readonly missingDnsRecordIds: readonly string[];
    readonly imports: readonly Imported[];
    /** What must be in the stack's state before `pulumi import` runs. */
    readonly prerequisites: readonly Listed[];
    /** Importable, once an id is looked up. */
    readonly lookups: readonly LookupEntry[];
    /** Importable if it exists; check first. */
    readonly checkFirst: readonly LookupEntry[];
    /** Adopted by the program itself (the `import` resource option): not in the file. */
    readonly adoptedInCode: readonly Listed[];
    /** Adopted by the Heroku dynamic provider's create, which writes only what differs. */
    readonly adoptedOnCreate: readonly Listed[];
    /** Exists, cannot be imported; the stack issues a successor and the hand-made one is removed. */
    readonly notImportable: readonly Listed[];
    /** Never made by hand: the first `pulumi up` creates it. */
    readonly created: readonly Listed[];
    /** What the first `up` overwrites and can be read back: saved, as a secret, before the `up`. */
    readonly backups: readonly Listed[];
}

export interface ImportPlanOptions {
    /** Cloudflare record ids, by the DnsRecord's logical name. */
    readonly dnsRecordIds?: Readonly<Record<string, string>>;
    /** Logical names from `checkFirst` that exist and are to be imported. */
    readonly include?: readonly string[];
    /** The file `dnsRecordIds` came from, for the commands that run the plan again. */
    readonly dnsRecordIdsFile?: string;
}

/** What the 2026-05-06 log says was made by hand and the stack replaces, by credential. */
interface StepContext {
    /** `<owner>/<repository>`. */
    readonly repo: string;
    /** The apps that hold the deploy token. */
    readonly apps: readonly string[];
    readonly stack: string;
}

const HAND_MADE: Partial<Record<CredentialId, { what: string; steps: (c: StepContext) => string[] }>> = {
    herokuPlatformToken: {
        what: "Heroku authorizations 9d5ec3c4-…-408b9cb3720f (raxx-platform-token-2026-05-06, live on the four apps and in HEROKU_API_KEY) and ba6a2961-…-7866b505a3a6 (\"GitHub Actions deploy (raxx-console + raxx-api)\", the token before it, left unrevoked by the log)",
        steps: (c) => [
            `heroku config:get HEROKU_API_KEY -a ${c.apps[0]} | sha256sum   # before \`pulumi up\`: note the hash of the hand-made token (no secret is printed)`,
            `for app in ${c.apps.join(" ")}; do heroku config:get HEROKU_API_KEY -a $app | sha256sum; done   # after: ${c.apps.length} equal hashes, none the one noted`,
            `gh secret list -R ${c.repo}   # after: HEROKU_API_KEY updated at the time of the \`pulumi up\``,
            `pulumi stack output --stack ${c.stack} herokuPlatformTokenAuthorizations   # the stack's authorization ids: never revoke these by hand`,
            "# before: every holder of HEROKU_API_KEY, in every repository, environment and organization secret (docs/adoption.md, step 0, item 6); last: each one written after the `up`",
            `for app in ${c.apps.join(" ")}; do heroku ps -a $app; done   # last: no one-off or scheduler dyno started before the \`up\``,
            "heroku authorizations   # the full ids of 9d5ec3c4-… and ba6a2961-…",
            "heroku authorizations:revoke <id of ba6a2961-…-7866b505a3a6>   # last (docs/adoption.md, step 7): only when every holder holds the stack's token and the vault does too",
            "heroku authorizations:revoke <id of 9d5ec3c4-…-408b9cb3720f>   # a day later",
        ],
    },
    herokuBillingToken: {
        what: "Heroku authorization 99f3c0a4-…-dfc5842ef9a8 (billing-collector-readonly-2026-05-06)",
        steps: () => [
            "heroku authorizations   # find the full id of 99f3c0a4-…",
            "aws ssm get-parameter --name /raxx/billing-readonly/heroku_billing_auth_id --with-decryption --query Parameter.Value --output text   # after `pulumi up`: the stack's authorization id, not 99f3c0a4-…",
            "heroku authorizations:revoke <id of 99f3c0a4-…-dfc5842ef9a8>",
        ],
    },
    awsBillingKey: {
        what: "the access key made by hand on 2026-05-06 (its secret is unreadable)",
        steps: () => [
            "aws iam list-access-keys --user-name raxx-billing-readonly   # before `pulumi up`: at most one key (IAM allows two per user)",
            "aws ssm get-parameter --name /raxx/billing-readonly/aws_access_key_id --with-decryption --query Parameter.Value --output text   # after: the stack's key id",
            "aws iam update-access-key --user-name raxx-billing-readonly --access-key-id <hand-made key id> --status Inactive   # then, once the collector works:",
            "aws iam delete-access-key --user-name raxx-billing-readonly --access-key-id <hand-made key id>",
        ],
    },
    freescoutBackupKey: {
        what: "access key AKIA…DKLMQ, made by hand on 2026-05-06 (its secret is unreadable)",
        steps: () => [
            "aws iam list-access-keys --user-name raxx-freescout-backup   # before `pulumi up`: at most one key (IAM allows two per user)",
            "aws iam list-access-keys --user-name raxx-freescout-backup   # after: the stack's key is the one created today; the hand-made one ends in DKLMQ",
            "aws iam update-access-key --user-name raxx-freescout-backup --access-key-id <AKIA…DKLMQ> --status Inactive   # then, once a backup run has passed:",
            "aws iam delete-access-key --user-name raxx-freescout-backup --access-key-id <AKIA…DKLMQ>",
        ],
    },
    auditIngestToken: {
        what: "the token set by hand on 2026-05-06 in the GitHub environment secret and the console's config var",
        steps: () => [],
    },
};

function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Builds the adoption plan of an offline run of the program. */
export function importPlan(r: OfflineRun, opts: ImportPlanOptions = {}): ImportPlan {
    const regs = r.run.registrations;
    const urn = (reg: Registration) => r.urns.engineUrn(reg.urn)!;
    const byMockUrn = new Map(regs.map((reg) => [reg.urn, reg]));
    const i = (reg: Registration, k: string) => str(reg.inputs[k]);
    const shared = r.config.shared;
    const dnsIds = opts.dnsRecordIds ?? {};
    const include = new Set(opts.include ?? []);

    const listed = (reg: Registration, note: string, commands: string[] = []): Listed => ({
        name: reg.name,
        type: reg.type,
        urn: urn(reg),
        physical: physical(reg, r),
        note,
        commands,
    });

    /** The ARN of the policy a value comes from, derived from config (account, name), never from a mock. */
    const policyArn = (reg: Registration, k: string): string => {
        const source = r.origin.get(str(reg.inputs[k]));
        if (source === undefined || source.reg.type !== "aws:iam/policy:Policy" || shared === undefined) {
            throw new Error(`${reg.name}: ${k} does not come from a policy of this stack`);
        }
        return `arn:aws:iam::${shared.aws.accountId}:policy/${i(source.reg, "name")}`;
    };

    /** The documented import id of `reg`, when config determines it. */
    const derivedId = (reg: Registration): { id: string; format: string } | undefined => {
        const adoption = kindOf(reg.type)?.adoption;
        if (adoption !== undefined) return adoption.how === "import" ? adoption.importId(reg) : undefined;
        switch (reg.type) {
            case "aws:iam/user:User":
                return { id: i(reg, "name"), format: "<user name>" };
            case "aws:iam/policy:Policy":
                if (shared === undefined) return undefined;
                return { id: `arn:aws:iam::${shared.aws.accountId}:policy/${i(reg, "name")}`, format: "<policy ARN>" };
            case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
                return { id: `${i(reg, "user")}/${policyArn(reg, "policyArn")}`, format: "<user name>/<policy ARN>" };
            default:
                return undefined;
        }
    };

    const importable: { reg: Registration; id: string; format: string }[] = [];
    const lookups: LookupEntry[] = [];
    const checkFirst: LookupEntry[] = [];
    const adoptedInCode: Listed[] = [];
    const adoptedOnCreate: Listed[] = [];
    const notImportable: Listed[] = [];
    const created: Listed[] = [];
    /** Checks, listed after what exists in the world: a check is no thing anyone could have made by hand. */
    const checks: Listed[] = [];
    const providers: Registration[] = [];

    const githubProvider = regs.find((x) => x.type === "pulumi:providers:github");
    const stepContext: StepContext = {
        repo: `${githubProvider === undefined ? "" : `${i(githubProvider, "owner")}/`}${r.config.github.repository}`,
        apps: shared?.deployTokenApps ?? [],
        stack: r.stack,
    };
    /** Importable things the session may never have made: why, and the command that tells. */
    const mayNotExist = (reg: Registration): { why: string; check: string } | undefined => {
        if (reg.type === "aws:ssm/parameter:Parameter" && i(reg, "name") === BILLING_PARAMETERS.cloudflareToken) {
            return {
                why: "the log's item 2 was blocked, so this parameter was probably never written.",
                check: `aws ssm describe-parameters --region ${shared?.aws.region ?? "us-east-1"} --parameter-filters ${shellQuote(`Key=Name,Values=${i(reg, "name")}`)} --query 'Parameters[].Name' --output text`,
            };
        }
        if (reg.type === "github:index/actionsSecret:ActionsSecret" && VAULT_ACCESS_SECRETS.includes(i(reg, "secretName"))) {
            return {
                why: "SPEC 7: the session names a CF_ACCESS_CLIENT_ID in the automation's environment, not in this repository's secrets.",
                check: `gh secret list -R ${stepContext.repo} --json name --jq '.[].name' | grep -x ${i(reg, "secretName")}`,
            };
        }
        return undefined;
    };
    // The command that writes the plan again: with the DNS ids (without them it writes no file) and what is included already.
    const rerun = [
        `npm run import-plan -- --stack ${r.stack}`,
        ...(regs.some((x) => x.type === DNS_RECORD) ? [`--dns-record-ids ${opts.dnsRecordIdsFile === undefined ? "<ids file>" : shellQuote(opts.dnsRecordIdsFile)}`] : []),
        ...[...include].sort().map((n) => `--include ${n}`),
    ].join(" ");
    const credentials = credentialEntries(r.run);
    const issuerCredential = new Map<string, CredentialId>();
    for (const entry of credentials) for (const issuer of entry.issuers) issuerCredential.set(issuer.resource, entry.id);

    for (const reg of regs) {
        if (!reg.custom) continue;
        if (reg.type.startsWith("pulumi:providers:")) {
            providers.push(reg);
            continue;
        }
        if (reg.options.importId !== "") {
            adoptedInCode.push(
                listed(
                    reg,
                    `adopted by the program's \`import\` option (id ${reg.options.importId}): the first \`up\` that runs the program imports it, unchanged, and the program ignores its value. That is step 2's \`up\`, targeted at the providers: the engine decides on imports before it checks targets (tests/engine/adoption.test.ts), so its value is in the state, encrypted, from then on. Not in the file.`,
                ),
            );
            continue;
        }
        const derived = derivedId(reg);
        if (derived !== undefined) {
            const unsure = mayNotExist(reg);
            if (unsure !== undefined && !include.has(reg.name)) {
                checkFirst.push({
                    ...listed(reg, `${unsure.why} Import it only if it exists: importing a missing resource fails the whole import. If it is missing, the first \`pulumi up\` creates it.`, [
                        unsure.check,
                        `${rerun} --include ${reg.name}   # only if the command above printed the name`,
                    ]),
                    idTemplate: derived.id,
                });
                continue;
            }
            importable.push({ reg, ...derived });
            continue;
        }
        switch (reg.type) {
            case ACCESS_POLICY:
                created.push(
                    listed(
                        reg,
                        "never made by hand: no Access policy admitted the automation to the vault (the session's #680). The first `pulumi up` adds it to the vault's application, which it never writes (docs/adoption.md, \"The vault\")",
                    ),
                );
                break;
            case "pulumi-nodejs:dynamic/google-workspace:DomainCheck":
                checks.push(
                    listed(
                        reg,
                        `the preconditions of the Workspace addresses, nothing outside the state: the first \`pulumi up\` checks that ${i(reg, "domain")} is a verified secondary domain and its DKIM record is declared, before any group exists (docs/workspace.md)`,
                    ),
                );
                break;
            case "pulumi-nodejs:dynamic/google-workspace:Group":
                adoptedOnCreate.push(
                    listed(
                        reg,
                        `not importable (pulumi/pulumi#16175: \`import\` does not work for Node.js dynamic providers). SPEC 9 was blocked on 2026-05-06, so ${i(reg, "email")} should not exist; if it does, the provider's create adopts it (never deletes it): it sets the name, description and declared settings, and keeps the settings it changed in \`previousSettings\``,
                        [`# Admin console > Directory > Groups: is ${i(reg, "email")} there? Its members and settings before the first up are what previousSettings will show`],
                    ),
                );
                break;
            case "pulumi-nodejs:dynamic/google-workspace:Member":
                adoptedOnCreate.push(
                    listed(reg, `not importable (pulumi/pulumi#16175). The provider's create adds ${i(reg, "email")} to ${i(reg, "group")} as ${i(reg, "role")}, or adopts the membership and sets its role`),
                );
                break;
            case DNS_RECORD: {
                const zone = i(reg, "zoneId");
                const known = dnsIds[reg.name];
                if (known !== undefined) {
                    importable.push({ reg, id: `${zone}/${known}`, format: "<zone id>/<dns record id>" });
                    break;
                }
                const content = i(reg, "content");
                // Cloudflare may store TXT content quoted or not: match on a distinctive piece of the unquoted value.
                const key = i(reg, "type") === "TXT" ? content.replace(/^"|"$/g, "").split('" "')[0].slice(0, 60) : content;
                const filter = i(reg, "type") === "TXT" ? `select(.content | contains(${JSON.stringify(key)}))` : `select(.content == ${JSON.stringify(key)})`;
                const url = `https://api.cloudflare.com/client/v4/zones/${zone}/dns_records?type=${i(reg, "type")}&name=${i(reg, "name")}`;
                const dkim = reg.name.endsWith("-txt-dkim-google");
                lookups.push({
                    ...listed(
                        reg,
                        (dkim
                            ? "SPEC 5: missing on 2026-05-06, and declared because raxx-platform:dkimRecord is set. If the command prints nothing, the record does not exist: unset raxx-platform:dkimRecord (and the Workspace keys, which need it) for the adoption, and declare it after, in an ordinary `up`. "
                            : "") +
                            "Cloudflare's record id is not derivable from config. Look it up, put it in a JSON file { \"<name>\": \"<record id>\" } and run the import plan again with --dns-record-ids <file>: until every record has its id, no import file is written, since a record left out would be created a second time.",
                        [`curl -sS -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" ${shellQuote(url)} | jq -r ${shellQuote(`.result[] | ${filter} | .id`)}   # exactly one id`],
                    ),
                    idTemplate: `${zone}/<dns record id>`,
                });
                break;
            }
            default: {
                const adoption = kindOf(reg.type)?.adoption;
                if (adoption === undefined || adoption.how === "import") {
                    throw new Error(`import plan: no rule for ${reg.type} (${reg.name}); add one in scripts/lib/plan/importPlan.ts, or give its kind in scripts/lib/kinds an adoption`);
                }
                if (adoption.how === "on-create") {
                    const { note, commands } = adoption.note(reg, describeContext(reg, r));
                    adoptedOnCreate.push(listed(reg, note, commands));
                } else if (adoption.how === "successor") {
                    const credential = issuerCredential.get(reg.name);
                    const made = credential === undefined ? undefined : HAND_MADE[credential];
                    notImportable.push(listed(reg, `${adoption.why} ${adoption.then(reg.name.slice(-1), made?.what)}`, made?.steps(stepContext) ?? []));
                } else if (checkOf(reg.type) !== undefined) {
                    checks.push(listed(reg, adoption.why));
                } else {
                    created.push(listed(reg, `never made by hand: ${adoption.why}`));
                }
            }
        }
    }

    for (const name of include) {
        if (!importable.some((x) => x.reg.name === name)) {
            const known = adoptedInCode.some((x) => x.name === name) ? " (it is adopted in code already)" : "";
            throw new Error(`--include ${name}: not a resource the import plan can include${known}`);
        }
    }
    for (const name of Object.keys(dnsIds)) {
        if (!importable.some((x) => x.reg.name === name && x.reg.type === DNS_RECORD)) {
            throw new Error(`--dns-record-ids: ${name} is not a DNS record of this stack`);
        }
    }

    // The file: the imported resources, their component ancestors, and the providers by URN.
    const entries = new Map<string, ImportSpec>();
    const nameTable: Record<string, string> = {};
    const parentName = (reg: Registration): string | undefined => {
        const parent = byMockUrn.get(reg.parent);
        if (parent === undefined) return undefined;
        if (!entries.has(parent.urn)) {
            const grand = parentName(parent);
            entries.set(parent.urn, { type: parent.type, name: parent.name, component: true, ...(grand === undefined ? {} : { parent: grand }) });
        }
        return parent.name;
    };
    const providerName = (reg: Registration): string | undefined => {
        const providerUrn = r.urns.providerUrn(reg.provider);
        if (providerUrn === undefined) return undefined;
        const provider = r.urns.registration(reg.provider.slice(0, reg.provider.lastIndexOf("::")))!;
        nameTable[provider.name] = providerUrn;
        return provider.name;
    };
    for (const { reg, id } of importable.sort((a, b) => urn(a.reg).localeCompare(urn(b.reg)))) {
        const parent = parentName(reg);
        const provider = providerName(reg);
        entries.set(reg.urn, { type: reg.type, name: reg.name, id, ...(parent === undefined ? {} : { parent }), ...(provider === undefined ? {} : { provider }) });
    }
    const names = [...entries.values()].map((e) => e.name);
    const clash = names.find((n, k) => names.indexOf(n) !== k || n in nameTable);
    if (clash !== undefined) throw new Error(`import plan: the name ${clash} is not unique in the import file`);
    // Parents before children, as the program registers them.
    const depth = (e: ImportSpec): number => (e.parent === undefined ? 0 : 1 + depth([...entries.values()].find((x) => x.name === e.parent)!));
    const resources = [...entries.values()].sort((a, b) => depth(a) - depth(b) || a.name.localeCompare(b.name));

    // `pulumi import` takes an explicit provider from the stack's state. Before 3.231 it cannot create
    // one; since, it creates one with only the inputs the file gives it (none here), and a provider
    // without the program's region and allowed account would be replaced by the next `up`, and with
    // it everything it manages. So the providers come first, as the program declares them.
    const targets = providers.map((p) => `--target ${shellQuote(urn(p))}`).join(" ");
    const prerequisites = providers.map((p) =>
        listed(p, "an explicit provider of the program: `pulumi import` resolves each resource's provider from the stack's state, so it must be there first", [
            `pulumi up --stack ${r.stack} ${targets} --refresh --policy-pack policy   # once, after the adoption-check of its preview (docs/adoption.md, step 2), before \`pulumi import\`: creates the explicit providers and imports what the program adopts with its \`import\` option; writes to no cloud`,
        ]),
    );

    const backups = backupsOf(r, credentials, importable, githubProvider === undefined ? "" : i(githubProvider, "owner"), listed);

    // Each list by URN, as the imports: the order resources register in depends on when their inputs resolve
    // (a consumer waits for its credential's check), so it differs from run to run.
    const byUrn = <T extends Listed>(xs: T[]): T[] => [...xs].sort((a, b) => a.urn.localeCompare(b.urn));
    return {
        version: IMPORT_PLAN_VERSION,
        project: r.project,
        stack: r.stack,
        file: lookups.length === 0 ? { nameTable, resources } : null,
        missingDnsRecordIds: lookups.map((l) => l.name).sort(),
        imports: importable
            .map(({ reg, id, format }) => ({ name: reg.name, type: reg.type, urn: urn(reg), id, format, physical: physical(reg, r) }))
            .sort((a, b) => a.urn.localeCompare(b.urn)),
        prerequisites,
        lookups: byUrn(lookups),
        checkFirst: byUrn(checkFirst),
        adoptedInCode: byUrn(adoptedInCode),
        adoptedOnCreate: byUrn(adoptedOnCreate),
        notImportable: byUrn(notImportable),
        created: [...byUrn(created), ...byUrn(checks)],
        backups,
    };
}

/**
 * What the first `up` overwrites, for each credential made by hand: the places that can be read back
 * (Heroku config vars, imported SSM parameters) are saved as SecureString parameters under
 * BACKUP_PREFIX, with `put-parameter` never overwriting (a second run, after the `up`, must not save the
 * new value over the old). GitHub secrets cannot be read: each says where its value is saved, if anywhere.
 */
function backupsOf(
    r: OfflineRun,
    entries: readonly CredentialEntry[],
    imported: readonly { reg: Registration; id: string }[],
    owner: string,
    listed: (reg: Registration, note: string, commands?: string[]) => Listed,
): Listed[] {
    const region = r.config.shared?.aws.region ?? "us-east-1";
    const importedParameters = new Set(imported.filter(({ reg }) => reg.type === "aws:ssm/parameter:Parameter").map(({ reg }) => `ssm ${str(reg.inputs.name)}`));
    const regByName = new Map(r.run.registrations.map((reg) => [reg.name, reg]));
    const out: Listed[] = [];
    // A policy's permissions are its user's, so a change reaches the hand-made key and the stack's at once. The AWS
    // provider's update adds a version and makes it the default, and deletes an old one only at IAM's limit of five
    // (terraform-provider-aws, policyPruneVersions): the hand-made version stays, to go back to.
    for (const { reg, id: arn } of imported.filter((x) => x.reg.type === "aws:iam/policy:Policy")) {
        const backup = `${BACKUP_PREFIX}/${r.stack}/iam/${str(reg.inputs.name)}/default-version-id`;
        out.push({
            ...listed(
                reg,
                `the first \`up\` updates ${str(reg.inputs.name)} if its document differs from the program's: a new default version, for every key of its user at once (the hand-made key too). Save the default version's id; to back out, make it the default again`,
                [
                    `aws iam get-policy --policy-arn ${arn} --query Policy.DefaultVersionId --output text | tr -d '\\n' | aws ssm put-parameter --region ${region} --name ${backup} --type SecureString --value file:///dev/stdin >/dev/null   # save`,
                    `${fromBackup(region, backup)} && aws iam set-default-policy-version --policy-arn ${arn} --version-id "$v"   # back out`,
                ],
            ),
            physical: `aws iam policy ${str(reg.inputs.name)}`,
        });
    }
    for (const entry of entries) {
        if (HAND_MADE[entry.id] === undefined) continue;
        const issuer = regByName.get(entry.issuers[0].resource)!;
        if (issuer.type === "aws:iam/accessKey:AccessKey") {
            const user = str(issuer.inputs.user);
            const backup = `${BACKUP_PREFIX}/${r.stack}/iam/${user}/access-key-id`;
            out.push({
                ...listed(issuer, `${entry.id}: the id of the hand-made access key of ${user}, which is deactivated and deleted last. Save it while it is the user's only key`, [
                    `aws iam list-access-keys --user-name ${user} --query 'AccessKeyMetadata[].AccessKeyId' --output text | tr -d '\\n' | aws ssm put-parameter --region ${region} --name ${backup} --type SecureString --value file:///dev/stdin >/dev/null   # save`,
                ]),
                physical: `aws iam access key of ${user}`,
            });
        }
        const saved: { place: string; backup: string }[] = [];
        const unreadable: { reg: Registration; place: string }[] = [];
        for (const p of entry.placements) {
            const reg = regByName.get(p.resource)!;
            const heroku = /^heroku ([^/]+)\/(.+)$/.exec(p.place);
            const ssm = /^ssm (.+)$/.exec(p.place);
            let read: string;
            let restore: string;
            let backup: string;
            if (heroku !== null) {
                backup = `${BACKUP_PREFIX}/${r.stack}/heroku/${heroku[1]}/${heroku[2]}`;
                read = `heroku config:get ${heroku[2]} -a ${heroku[1]}`;
                restore = `${fromBackup(region, backup)} && heroku config:set -a ${heroku[1]} ${heroku[2]}="$v" >/dev/null`;
            } else if (ssm !== null && importedParameters.has(p.place)) {
                backup = `${BACKUP_PREFIX}/${r.stack}/ssm${ssm[1]}`;
                read = `aws ssm get-parameter --region ${region} --name ${ssm[1]} --with-decryption --query Parameter.Value --output text`;
                restore = `${fromBackup(region, backup)} && aws ssm put-parameter --region ${region} --name ${ssm[1]} --type ${str(reg.inputs.type)} --overwrite --value "$v" >/dev/null`;
            } else {
                if (p.kind === "github-secret") unreadable.push({ reg, place: p.place });
                continue;
            }
            saved.push({ place: p.place, backup });
            out.push({
                ...listed(
                    reg,
                    `${entry.id}: the first \`up\` overwrites ${p.place}. Save it before the \`up\` (nothing is printed; put-parameter refuses to overwrite a saved value), restore it only to back out`,
                    [`${read} | tr -d '\\n' | aws ssm put-parameter --region ${region} --name ${backup} --type SecureString --value file:///dev/stdin >/dev/null   # save`, `${restore}   # back out`],
                ),
                physical: p.place,
            });
        }
        for (const { reg, place } of unreadable) {
            const gh = /^github secret ([^ /]+)(?: \((.+)\))?\/(.+)$/.exec(place);
            const from = saved[0];
            out.push({
                ...listed(
                    reg,
                    from !== undefined
                        ? `${entry.id}: the first \`up\` overwrites ${place}, which GitHub never shows. It holds the same value as ${from.place}: back out from that copy`
                        : `${entry.id}: the first \`up\` overwrites ${place}, which GitHub never shows, and no readable copy exists (an access key's secret is shown only when it is made). The back-out is forward: the stack's new key is checked before it is written, and the hand-made key stays active until it is removed, last`,
                    from === undefined || gh === null
                        ? []
                        : [`${fromBackup(region, from.backup)} && printf %s "$v" | gh secret set ${gh[3]} -R ${owner}/${gh[1]}${gh[2] === undefined ? "" : ` --env ${gh[2]}`}   # back out`],
                ),
                physical: place,
            });
        }
    }
    return out.sort((a, b) => a.physical.localeCompare(b.physical));
}

/**
 * Reads a saved value into `$v`, and goes on only if it is there: a failed read (an expired session,
 * another region) must not write an empty credential, which Heroku and `gh secret set` would accept.
 */
function fromBackup(region: string, name: string): string {
    return `v="$(aws ssm get-parameter --region ${region} --name ${name} --with-decryption --query Parameter.Value --output text)" && [ -n "$v" ]`;
}
