// A stand-in for the three AWS calls the credential checks make, on one 127.0.0.1 port:
// point AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_SSM at `url`.
// Each is spoken as AWS speaks it, so the SDK's own deserializers read the answers:
//   STS GetCallerIdentity, IAM ListAccessKeys   query protocol: form POST `Action=..&Version=..`,
//                                                XML `<XResponse><XResult>` answers, `<ErrorResponse>` errors
//   SSM GetParameter                            JSON 1.1: `X-Amz-Target: AmazonSSM.GetParameter`,
//                                                `{"__type","message"}` errors (ParameterNotFound has no message, as AWS sends it)
// The service is the one the SigV4 credential scope names. Every request must be signed by a
// key the fake knows, and the signature is checked against that key's secret, as AWS does:
// an unknown or deleted key gets InvalidClientTokenId (SSM: UnrecognizedClientException), a
// wrong secret SignatureDoesNotMatch (SSM: InvalidSignatureException). There is no
// permission model: any known key may make any call.
import * as crypto from "node:crypto";
import * as http from "node:http";

import { FaultQueue } from "./faults";
import { LocalServer, readBody } from "./localServer";

export type Action = "GetCallerIdentity" | "ListAccessKeys" | "GetParameter";
type Service = "sts" | "iam" | "ssm";

/** One request as the fake saw it. */
export interface AwsRequest {
    readonly service: string;
    readonly action: string;
    readonly accessKeyId: string;
    /** The region the request was signed for. */
    readonly region: string;
    /** The form fields (STS, IAM) or JSON body (SSM). */
    readonly params: Record<string, unknown>;
}

interface Key {
    readonly userName: string;
    readonly secret: string;
    readonly created: Date;
    /** Requests still refused as InvalidClientTokenId, as while a new key spreads through IAM. */
    pending: number;
}

interface Fault {
    readonly path: Action;
    readonly times: number;
    readonly kind: "throttling" | "server-error" | "hang";
}

const VERSION: Record<"sts" | "iam", string> = { sts: "2011-06-15", iam: "2010-05-08" };
const INVALID_TOKEN = "The security token included in the request is invalid.";
const BAD_SIGNATURE =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export class FakeAws extends LocalServer {
    readonly requests: AwsRequest[] = [];
    /** ListAccessKeys page size when the request sets no MaxItems (AWS: 100). */
    pageSize = 100;
    private readonly users = new Map<string, { arn: string; keys: string[] }>();
    private readonly keys = new Map<string, Key>();
    /** Deleted keys ListAccessKeys still shows, and for how many more answers. */
    private readonly lingering = new Map<string, number>();
    private readonly parameters = new Map<string, { value: string; version: number }>();
    private readonly faults = new FaultQueue<Fault>();

    /**
     * The env that points the AWS SDK at this fake, signing as `caller`: an endpoint per
     * service, and no config file or instance metadata of the machine that could answer instead.
     */
    env(caller: { id: string; secret: string }, region: string): Record<string, string> {
        return {
            AWS_ACCESS_KEY_ID: caller.id,
            AWS_SECRET_ACCESS_KEY: caller.secret,
            AWS_REGION: region,
            AWS_ENDPOINT_URL_STS: this.url,
            AWS_ENDPOINT_URL_IAM: this.url,
            AWS_ENDPOINT_URL_SSM: this.url,
            AWS_CONFIG_FILE: "/nonexistent/aws-config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
            AWS_EC2_METADATA_DISABLED: "true",
        };
    }

    addUser(userName: string, arn: string): void {
        this.users.set(userName, { arn, keys: [] });
    }

    /** A live key of `userName` (added with addUser). */
    addKey(userName: string, accessKeyId: string, secret: string): void {
        this.users.get(userName)!.keys.push(accessKeyId);
        this.keys.set(accessKeyId, { userName, secret, created: new Date(), pending: 0 });
    }

    /** The key's next `calls` requests get InvalidClientTokenId, as a brand-new key does until IAM has spread it; then it works. */
    notYetConsistent(accessKeyId: string, calls: number): void {
        this.keys.get(accessKeyId)!.pending = calls;
    }

    /** Deletes the key: it no longer authenticates at once, but ListAccessKeys still lists it in its next `listedFor` answers. */
    deleteKey(accessKeyId: string, listedFor = 0): void {
        this.keys.delete(accessKeyId);
        if (listedFor > 0) this.lingering.set(accessKeyId, listedFor);
        else for (const u of this.users.values()) u.keys = u.keys.filter((k) => k !== accessKeyId);
    }

    /** Deletes the user and its keys: ListAccessKeys answers NoSuchEntity. */
    deleteUser(userName: string): void {
        for (const k of this.users.get(userName)?.keys ?? []) this.keys.delete(k);
        this.users.delete(userName);
    }

    /** Stores a parameter's new value; returns its version, 1 for a new name and one more for each put. */
    putParameter(name: string, value: string): number {
        const version = (this.parameters.get(name)?.version ?? 0) + 1;
        this.parameters.set(name, { value, version });
        return version;
    }

    /** The next `times` calls of `action` get a throttling error (400), a 5xx, or no answer at all. */
    fail(action: Action, kind: Fault["kind"], times = 1): void {
        this.faults.add({ path: action, kind, times });
    }

    /** Requests for `action`, faulted and refused ones included. */
    calls(action: Action): number {
        return this.requests.filter((r) => r.action === action).length;
    }

    protected internalErrorBody(e: unknown): unknown {
        return { __type: "InternalFailure", message: String(e) };
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const body = await readBody(req);
        const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(req.headers.authorization ?? "");
        const service = (auth?.[4] ?? (req.headers["x-amz-target"] ? "ssm" : "sts")) as Service;
        const json = service === "ssm";
        let params: Record<string, unknown>;
        let action: string;
        if (json) {
            params = body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
            action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSSM\./, "");
        } else {
            params = Object.fromEntries(new URLSearchParams(body));
            action = String(params.Action ?? "");
        }
        this.requests.push({ service, action, accessKeyId: auth?.[1] ?? "", region: auth?.[3] ?? "", params });

        const requestId = crypto.randomUUID();
        const error = (status: number, code: string, message?: string) => {
            if (json) {
                res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": requestId });
                res.end(JSON.stringify(message === undefined ? { __type: code } : { __type: code, message }));
                return;
            }
            const type = status >= 500 ? "Receiver" : "Sender";
            res.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
            res.end(
                `<ErrorResponse xmlns="https://${service}.amazonaws.com/doc/${VERSION[service]}/"><Error><Type>${type}</Type><Code>${code}</Code>` +
                    `<Message>${xml(message ?? "")}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
            );
        };
        const result = (inner: string) => {
            res.writeHead(200, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
            res.end(
                `<${action}Response xmlns="https://${service}.amazonaws.com/doc/${VERSION[service as "sts" | "iam"]}/"><${action}Result>${inner}</${action}Result>` +
                    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
            );
        };

        const fault = this.faults.take("POST", action);
        if (fault?.kind === "hang") return; // stop() drops the connection
        if (fault?.kind === "throttling") return error(400, json ? "ThrottlingException" : "Throttling", "Rate exceeded");
        if (fault?.kind === "server-error") return error(500, { sts: "InternalFailure", iam: "ServiceFailure", ssm: "InternalServerError" }[service], "We encountered an internal error. Please try again.");

        if (auth === null) return error(json ? 400 : 403, json ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken", "Request is missing Authentication Token");
        const key = this.keys.get(auth[1]);
        if (key === undefined || key.pending > 0) {
            if (key !== undefined) key.pending--;
            return error(json ? 400 : 403, json ? "UnrecognizedClientException" : "InvalidClientTokenId", INVALID_TOKEN);
        }
        if (sigV4(req, body, key.secret, auth.slice(2, 5) as [string, string, string], auth[5].split(";")) !== auth[6]) {
            return error(json ? 400 : 403, json ? "InvalidSignatureException" : "SignatureDoesNotMatch", BAD_SIGNATURE);
        }

        if (service === "sts" && action === "GetCallerIdentity") {
            const arn = this.users.get(key.userName)!.arn;
            const userId = `AIDA${crypto.createHash("sha256").update(arn).digest("hex").slice(0, 17).toUpperCase()}`;
            return result(`<Arn>${xml(arn)}</Arn><UserId>${userId}</UserId><Account>${arn.split(":")[4]}</Account>`);
        }
        if (service === "iam" && action === "ListAccessKeys") return this.listAccessKeys(params, error, result);
        if (service === "ssm" && action === "GetParameter") {
            const p = this.parameters.get(String(params.Name));
            if (p === undefined) return error(400, "ParameterNotFound");
            const region = auth[3];
            const parameter = {
                Name: params.Name,
                Type: "SecureString",
                // Without decryption AWS answers the ciphertext, never the value.
                Value: params.WithDecryption === true ? p.value : Buffer.from(`kms:${p.version}`).toString("base64"),
                Version: p.version,
                LastModifiedDate: 1_780_000_000.123,
                ARN: `arn:aws:ssm:${region}:123456789012:parameter/${String(params.Name).replace(/^\//, "")}`,
                DataType: "text",
            };
            res.writeHead(200, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": requestId });
            res.end(JSON.stringify({ Parameter: parameter }));
            return;
        }
        if (json) return error(400, "UnknownOperationException");
        return error(400, "InvalidAction", `Could not find operation ${action} for version ${String(params.Version)}`);
    }

    private listAccessKeys(params: Record<string, unknown>, error: (s: number, c: string, m: string) => void, result: (inner: string) => void): void {
        const userName = String(params.UserName);
        const user = this.users.get(userName);
        if (user === undefined) return error(404, "NoSuchEntity", `The user with name ${userName} cannot be found.`);
        const start = params.Marker === undefined ? 0 : Number(Buffer.from(String(params.Marker), "base64").toString("utf8"));
        const size = params.MaxItems === undefined ? this.pageSize : Number(params.MaxItems);
        const page = user.keys.slice(start, start + size);
        const more = start + size < user.keys.length;
        const members = page.map((id) => {
            const left = this.lingering.get(id);
            if (left !== undefined) {
                // Listed for the last time: gone from the user's keys once this answer is sent.
                if (left <= 1) {
                    this.lingering.delete(id);
                    user.keys = user.keys.filter((k) => k !== id);
                } else this.lingering.set(id, left - 1);
            }
            const created = (this.keys.get(id)?.created ?? new Date(0)).toISOString().replace(/\.\d+Z$/, "Z");
            return `<member><UserName>${xml(userName)}</UserName><AccessKeyId>${id}</AccessKeyId><Status>Active</Status><CreateDate>${created}</CreateDate></member>`;
        });
        const marker = more ? `<Marker>${Buffer.from(String(start + size)).toString("base64")}</Marker>` : "";
        result(`<AccessKeyMetadata>${members.join("")}</AccessKeyMetadata><IsTruncated>${more}</IsTruncated>${marker}`);
    }
}

function xml(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** The SigV4 signature of a request with an empty query string (all these APIs send), as AWS computes it: over the body received, whatever x-amz-content-sha256 claims. */
function sigV4(req: http.IncomingMessage, body: string, secret: string, [date, region, service]: [string, string, string], signed: string[]): string {
    const hash = (s: string) => crypto.createHash("sha256").update(s, "utf8").digest("hex");
    const hmac = (key: string | Buffer, s: string) => crypto.createHmac("sha256", key).update(s, "utf8").digest();
    const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const canonical = [req.method, path, "", headers, signed.join(";"), hash(body)].join("\n");
    const toSign = ["AWS4-HMAC-SHA256", String(req.headers["x-amz-date"]), `${date}/${region}/${service}/aws4_request`, hash(canonical)].join("\n");
    const key = [date, region, service, "aws4_request"].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secret}`);
    return hmac(key, toSign).toString("hex");
}
