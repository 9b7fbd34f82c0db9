// SPEC 5 (docs/session-2026-05-06.md): raxx.app's mail DNS records in Cloudflare.
import { strict as assert } from "node:assert";
import { txtContent } from "../components/cloudflare/mailDns";
import { MockRunResult, plain } from "../scripts/lib/offline/mocks";
import { ofType, okRun, runPinned } from "./harness/query";

const ZONE = "f12dbb5cac57d5591a5058874498a6d1";
// The shape of a 2048-bit key as Google Admin shows it (made-up bytes): 392 base64 characters after p=.
const DKIM_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + "q".repeat(342) + "IDAQAB";
const DKIM = `v=DKIM1; k=rsa; p=${DKIM_KEY}`;

function records(result: MockRunResult) {
    return ofType(result, "cloudflare:index/dnsRecord:DnsRecord").map((r) => ({
        name: r.name,
        zoneId: plain(r.inputs.zoneId),
        type: plain(r.inputs.type),
        recordName: plain(r.inputs.name),
        content: plain(r.inputs.content),
        priority: plain(r.inputs.priority),
        ttl: plain(r.inputs.ttl),
        protect: r.options.protect,
    }));
}

const record = (name: string, type: string, recordName: string, content: string, priority?: number) => ({
    name,
    zoneId: ZONE,
    type,
    recordName,
    content,
    priority,
    ttl: 1,
    protect: true,
});

describe("mail DNS", () => {
    it("quotes TXT content the way Cloudflare stores it, splitting at 255 bytes", () => {
        assert.equal(txtContent("v=spf1 -all"), '"v=spf1 -all"');
        assert.equal(txtContent("a".repeat(255)), `"${"a".repeat(255)}"`);
        assert.equal(txtContent("a".repeat(256)), `"${"a".repeat(255)}" "a"`);
        assert.equal(txtContent(DKIM), `"${DKIM.slice(0, 255)}" "${DKIM.slice(255)}"`);
        assert.throws(() => txtContent('say "hi"'), /TXT values with quotes or backslashes are not supported/);
    });

    let prod: MockRunResult;
    before(async () => {
        prod = await okRun(runPinned("prod"));
    });

    it("declares exactly the SPEC's records, protected, with MX priorities and quoted TXT content", () => {
        assert.deepEqual(records(prod), [
            record("mail-dns-mx-alt1.aspmx.l.google.com", "MX", "raxx.app", "alt1.aspmx.l.google.com", 5),
            record("mail-dns-mx-alt2.aspmx.l.google.com", "MX", "raxx.app", "alt2.aspmx.l.google.com", 5),
            record("mail-dns-mx-alt3.aspmx.l.google.com", "MX", "raxx.app", "alt3.aspmx.l.google.com", 10),
            record("mail-dns-mx-alt4.aspmx.l.google.com", "MX", "raxx.app", "alt4.aspmx.l.google.com", 10),
            record("mail-dns-mx-aspmx.l.google.com", "MX", "raxx.app", "aspmx.l.google.com", 1),
            record("mail-dns-txt-dmarc", "TXT", "_dmarc.raxx.app", '"v=DMARC1; p=quarantine; rua=mailto:kris@moosequest.net; fo=1"'),
            record("mail-dns-txt-site-verification", "TXT", "raxx.app", '"google-site-verification=Ss0o0uHmeJNe-iafrf8DzI3ajM0SusH9JyUxEEl5DFY"'),
            record("mail-dns-txt-spf", "TXT", "raxx.app", '"v=spf1 include:_spf.google.com include:spf.mtasv.net ~all"'),
        ]);
    });

    it("declares no DNS record in staging", async () => {
        const staging = await okRun(runPinned("staging"));
        assert.deepEqual(records(staging), []);
    });

    it("declares the DKIM record once its value is in config, split as Cloudflare stores it", async () => {
        const result = await okRun(runPinned("prod", { config: { "raxx-platform:dkimRecord": DKIM } }));
        const dkim = records(result).filter((r) => r.name === "mail-dns-txt-dkim-google");
        assert.deepEqual(dkim, [
            record("mail-dns-txt-dkim-google", "TXT", "google._domainkey.raxx.app", `"${DKIM.slice(0, 255)}" "${DKIM.slice(255)}"`),
        ]);
        assert.equal(records(result).length, 9);
    });

    it("refuses a malformed DKIM value before declaring anything", async () => {
        const result = await runPinned("prod", { config: { "raxx-platform:dkimRecord": "p=" + DKIM_KEY } });
        assert.equal(result.error?.name, "ConfigError");
        assert.deepEqual(result.registrations, []);
    });
});
