import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

/** One DNS record, as plain data. */
export interface DnsRecordSpec {
    /** A stable key for the logical name, unique in the zone. */
    readonly key: string;
    readonly type: "TXT" | "MX";
    /** The fully qualified name, as Cloudflare stores it. */
    readonly name: string;
    /** The content exactly as Cloudflare stores it (TXT content quoted). */
    readonly content: string;
    readonly priority?: number;
}

/**
 * TXT content in the form Cloudflare stores: quoted RFC 1035 character
 * strings of at most 255 bytes, split and joined by a space. Declaring it so
 * keeps records made in the dashboard (which quotes them) from showing as
 * drift, and a long DKIM key from being re-split on every read.
 */
export function txtContent(value: string): string {
    if (/["\\]/.test(value)) {
        throw new Error("TXT values with quotes or backslashes are not supported");
    }
    const parts: string[] = [];
    for (let i = 0; i < value.length; i += 255) parts.push(`"${value.slice(i, i + 255)}"`);
    return parts.join(" ");
}

/** Google Workspace's MX hosts and priorities. */
export const GOOGLE_WORKSPACE_MX: readonly { host: string; priority: number }[] = [
    { host: "aspmx.l.google.com", priority: 1 },
    { host: "alt1.aspmx.l.google.com", priority: 5 },
    { host: "alt2.aspmx.l.google.com", priority: 5 },
    { host: "alt3.aspmx.l.google.com", priority: 10 },
    { host: "alt4.aspmx.l.google.com", priority: 10 },
];

export interface MailSettings {
    readonly zoneName: string;
    readonly siteVerification: string;
    readonly spf: string;
    readonly dmarc: string;
    /** The DKIM record's value; undefined declares none. */
    readonly dkim: string | undefined;
}

/** raxx.app's mail settings (SPEC 5 in docs/session-2026-05-06.md), but the DKIM key, which comes from config. */
export const RAXX_APP_MAIL: Omit<MailSettings, "zoneName" | "dkim"> = {
    siteVerification: "google-site-verification=Ss0o0uHmeJNe-iafrf8DzI3ajM0SusH9JyUxEEl5DFY",
    spf: "v=spf1 include:_spf.google.com include:spf.mtasv.net ~all",
    dmarc: "v=DMARC1; p=quarantine; rua=mailto:kris@moosequest.net; fo=1",
};

/** The records of a zone's mail setup: site verification, SPF, DMARC, Google MX, and DKIM when given. */
export function mailRecords(mail: MailSettings): DnsRecordSpec[] {
    const zone = mail.zoneName;
    const records: DnsRecordSpec[] = [
        { key: "txt-site-verification", type: "TXT", name: zone, content: txtContent(mail.siteVerification) },
        { key: "txt-spf", type: "TXT", name: zone, content: txtContent(mail.spf) },
        { key: "txt-dmarc", type: "TXT", name: `_dmarc.${zone}`, content: txtContent(mail.dmarc) },
        ...GOOGLE_WORKSPACE_MX.map((mx) => ({ key: `mx-${mx.host}`, type: "MX" as const, name: zone, content: mx.host, priority: mx.priority })),
    ];
    if (mail.dkim !== undefined) {
        records.push({ key: "txt-dkim-google", type: "TXT", name: `google._domainkey.${zone}`, content: txtContent(mail.dkim) });
    }
    return records;
}

export interface MailDnsArgs {
    readonly zoneId: string;
    readonly records: readonly DnsRecordSpec[];
}

/**
 * Mail DNS records in one Cloudflare zone. They are protected: mail breaks
 * when they go, so deleting or replacing one takes an explicit unprotect.
 */
export class MailDns extends pulumi.ComponentResource {
    public readonly recordIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: MailDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:cloudflare:MailDns", name, {}, opts);
        for (const record of args.records) {
            const resource = new cloudflare.DnsRecord(
                `${name}-${record.key}`,
                {
                    zoneId: args.zoneId,
                    type: record.type,
                    name: record.name,
                    content: record.content,
                    priority: record.priority,
                    ttl: 1, // automatic
                },
                { parent: this, protect: true },
            );
            this.recordIds[record.key] = resource.id;
        }
        this.registerOutputs({ recordIds: this.recordIds });
    }
}
