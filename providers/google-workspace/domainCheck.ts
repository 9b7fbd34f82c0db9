// The preconditions of the stack's Workspace groups and users, as a Pulumi dynamic resource
// that runs before any of them exists (the caller makes them depend on it).
//
//   check   → local validation only (domain, dkimDeclared)
//   diff    → any change of input, or new provider code, is an update (never a replacement)
//   create  → the checks; every problem in one error, nothing else done
//   update  → the checks again
//   read    → the state as it is: a refresh does not run the checks
//   delete  → nothing: checking changed nothing in Google
//
// Directory API, scope admin.directory.domain.readonly
// (https://developers.google.com/admin-sdk/directory/reference/rest/v1/domains/get and domainAliases/get):
//   GET customer/my_customer/domains/{domainName}            → {domainName, isPrimary, verified, ...}
//   GET customer/my_customer/domainaliases/{domainAliasName} → {domainAliasName, parentDomainName, verified, ...}
// A domain the account holds as an alias answers 404 to the first and is found by the second.
import * as pulumi from "@pulumi/pulumi";

import { codeChanged } from "../http";
import { RUN_AGAIN, SCOPES, Session, callApi, isNotFound, workspaceError } from "./client";
import { failures, WorkspaceProvider, pick } from "./base";
import { BundledResource } from "../bundle";

/** A domain name: labels of letters, digits and dashes, a dot between them. */
export const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** The DKIM selector the stack declares (`google._domainkey.<domain>`). */
export const DKIM_SELECTOR = "google";

/** Inputs after `check`. */
export interface DomainCheckInputs {
    /** The domain the groups and users live on, e.g. "raxx.app". */
    readonly domain: string;
    /** Whether the stack declares the DKIM record google._domainkey.<domain> (the caller computes it). */
    readonly dkimDeclared: boolean;
}

/** State. */
export interface DomainCheckOutputs extends DomainCheckInputs {
    /** When the checks last passed (ISO 8601). */
    readonly checkedAt: string;
    /** How the account holds the domain. */
    readonly domainKind: "primary" | "secondary";
}

const SCOPE_LIST = [SCOPES.domainReadonly];

/** CRUD for `pulumi-nodejs:dynamic/google-workspace:DomainCheck`. Exported for tests; use `DomainCheck`. */
export class DomainCheckProvider extends WorkspaceProvider implements pulumi.dynamic.ResourceProvider<DomainCheckInputs, DomainCheckOutputs> {
    async check(_olds: DomainCheckInputs, news: DomainCheckInputs): Promise<pulumi.dynamic.CheckResult<DomainCheckInputs>> {
        const raw = { ...(news as unknown as Record<string, unknown>) };
        if (typeof raw.domain === "string") raw.domain = raw.domain.trim().toLowerCase();
        const f = failures(raw);
        f.expect("domain", (v) => typeof v === "string" && DOMAIN_NAME.test(v), 'domain must be a domain name (e.g. "raxx.app")');
        f.expect("dkimDeclared", (v) => typeof v === "boolean", "dkimDeclared must be true or false: whether the stack declares the DKIM record google._domainkey.<domain>");
        return { inputs: pick<DomainCheckInputs>(raw, ["domain", "dkimDeclared"]), failures: f.list };
    }

    async diff(_id: pulumi.ID, olds: DomainCheckOutputs, news: DomainCheckInputs): Promise<pulumi.dynamic.DiffResult> {
        const changes = olds.domain !== news.domain || olds.dkimDeclared !== news.dkimDeclared || codeChanged(olds, news);
        return { changes, replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: DomainCheckInputs): Promise<pulumi.dynamic.CreateResult<DomainCheckOutputs>> {
        return { id: inputs.domain, outs: await runChecks(this.openWith(SCOPE_LIST), inputs) };
    }

    async update(_id: pulumi.ID, _olds: DomainCheckOutputs, news: DomainCheckInputs): Promise<pulumi.dynamic.UpdateResult<DomainCheckOutputs>> {
        return { outs: await runChecks(this.openWith(SCOPE_LIST), news) };
    }

    async read(id: pulumi.ID, props?: DomainCheckOutputs): Promise<pulumi.dynamic.ReadResult<DomainCheckOutputs>> {
        return { id, props };
    }

    async delete(): Promise<void> {
        // Checking changed nothing in Google.
    }
}

/** Runs every check and throws once with all the problems; the outputs when there are none. */
async function runChecks(session: Session, inputs: DomainCheckInputs): Promise<DomainCheckOutputs> {
    const d = inputs.domain;
    const problems: string[] = [];
    // The alias first: Google does not say what domains.get answers for an alias's name, and an
    // alias must never pass for a domain of its own.
    const alias = await getOrNone(session, `customer/my_customer/domainaliases/${d}`, (apis) => apis.directory.domainAliases.get({ customer: "my_customer", domainAliasName: d }));
    const domain = alias !== undefined ? undefined : await getOrNone(session, `customer/my_customer/domains/${d}`, (apis) => apis.directory.domains.get({ customer: "my_customer", domainName: d }));
    if (domain === undefined) {
        if (alias !== undefined) {
            problems.push(
                `${d} is a domain alias of ${alias.parentDomainName ?? "the primary domain"}, not a secondary domain: an alias only receives mail for the users of its parent, ` +
                    `and no group or user can have an address of its own there. Make it a secondary domain, a one-way change: the 2026-05-06 session log calls it ` +
                    `"Make this a secondary domain" (Admin console > Account > Domains > Manage domains, ${d}); Google's help documents removing the alias there and adding ${d} again ` +
                    `as a secondary domain (mail to its alias addresses bounces in between). See docs/workspace.md.`,
            );
        } else {
            problems.push(
                `${d} is not a domain of this Workspace account. Add it as a secondary domain: Admin console > Account > Domains > Manage domains > Add a domain, ${d}, ` +
                    `"Secondary domain", then verify it with the google-site-verification TXT record Google gives (see docs/workspace.md).`,
            );
        }
    } else if (domain.verified !== true) {
        problems.push(
            `${d} is not verified. Verify it: Admin console > Account > Domains > Manage domains, ${d}, "Verify domain"; Google looks for its google-site-verification TXT record ` +
                `on ${d}, which must be published first (the stack's MailDns declares it).`,
        );
    }
    if (!inputs.dkimDeclared) {
        problems.push(
            `The DKIM record ${DKIM_SELECTOR}._domainkey.${d} is not declared. In the Admin console > Apps > Google Workspace > Gmail > Authenticate email, pick ${d}, ` +
                `"Generate new record" with a 2048-bit key and the prefix selector "${DKIM_SELECTOR}", set the TXT value it shows as stack config ` +
                `(\`pulumi config set raxx-platform:dkimRecord "v=DKIM1; k=rsa; p=..."\`), run \`pulumi up\`, then "Start authentication" there.`,
        );
    }
    if (problems.length > 0) {
        const path = `customer/my_customer/domains/${d}`;
        throw workspaceError(
            `Google Workspace is not ready for groups and users on ${d}: ${problems.length === 1 ? "one problem" : `${problems.length} problems`}; nothing was created.\n` +
                problems.map((p, i) => `  ${i + 1}. ${p}`).join("\n") +
                `\n${RUN_AGAIN[0].toUpperCase()}${RUN_AGAIN.slice(1)}.`,
            { method: "GET", path, status: domain === undefined ? 404 : 200 },
        );
    }
    // Stryker disable next-line OptionalChaining: with no domain there is a problem, so this line is reached only with one
    return { domain: d, dkimDeclared: inputs.dkimDeclared, checkedAt: new Date().toISOString(), domainKind: domain?.isPrimary === true ? "primary" : "secondary" };
}

async function getOrNone<T>(session: Session, path: string, send: (apis: Session["apis"]) => Promise<{ data: T }>): Promise<T | undefined> {
    try {
        return await callApi(session, { api: "Directory API", method: "GET", path, send });
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** The provider object: the provider host gets it from its bundle (providers/bundle.ts). Pure: a bundle of another module's provider leaves it out. */
export const domainCheckProvider = /* @__PURE__ */ new DomainCheckProvider();

export interface DomainCheckArgs {
    /** The domain the stack's groups and users live on, e.g. "raxx.app". Required; a change is an update that runs the checks again. */
    readonly domain: pulumi.Input<string>;
    /** Whether the stack declares the DKIM record google._domainkey.<domain>. Required; false fails the check. */
    readonly dkimDeclared: pulumi.Input<boolean>;
}

/**
 * Checks, before any group or user exists, that the domain is a verified primary or
 * secondary domain of the Workspace account (not an alias) and that the stack declares its
 * DKIM record. Fails the `up` with every problem and what to do about each. Make the groups
 * and users depend on it.
 */
export class DomainCheck extends BundledResource {
    declare readonly domain: pulumi.Output<string>;
    declare readonly dkimDeclared: pulumi.Output<boolean>;
    /** When the checks last passed. */
    declare readonly checkedAt: pulumi.Output<string>;
    /** "primary" or "secondary". */
    declare readonly domainKind: pulumi.Output<"primary" | "secondary">;

    constructor(name: string, args: DomainCheckArgs, opts?: pulumi.CustomResourceOptions) {
        super(module, "domainCheckProvider", name, { domain: args.domain, dkimDeclared: args.dkimDeclared, checkedAt: undefined, domainKind: undefined }, opts, "google-workspace", "DomainCheck");
    }
}
