// The AWS checks: a new access key works and is whose it should be, retired keys are gone,
// and what an SSM parameter holds (its hash). Each SDK client tries once (maxAttempts 1):
// retryUntil owns the retries, so the deadline bounds them all and the message counts them.
// No endpoint option: the SDK reads AWS_ENDPOINT_URL_<STS|IAM|SSM> and AWS_ENDPOINT_URL
// itself, which is how tests and LocalStack point it elsewhere.
import type * as Iam from "@aws-sdk/client-iam";
import type * as Ssm from "@aws-sdk/client-ssm";
import type * as Sts from "@aws-sdk/client-sts";

import { clean } from "../http";
import { Attempt, CheckContext, retryUntil, sha256 } from "./check";

// The SDK is loaded when a check runs, not when the program imports this file: the program
// only declares checks, and loading three clients would cost every evaluation ~150 ms.
/* eslint-disable @typescript-eslint/no-require-imports */
const sts = (): typeof Sts => require("@aws-sdk/client-sts") as typeof Sts;
const iam = (): typeof Iam => require("@aws-sdk/client-iam") as typeof Iam;
const ssm = (): typeof Ssm => require("@aws-sdk/client-ssm") as typeof Ssm;
/* eslint-enable @typescript-eslint/no-require-imports */

/** One request's time limit in ms. Env `VERIFY_REQUEST_TIMEOUT_MS`; default 10000. */
const TIMEOUT_ENV = "VERIFY_REQUEST_TIMEOUT_MS";

/** What STS answers for a key IAM has made but not yet spread to it. */
const NOT_YET_KNOWN = ["InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied"];

const THROTTLED = ["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded"];

/** A call that got no result: the AWS error code (or the network error's), and the words for a message. */
interface Failure {
    readonly code: string;
    readonly text: string;
    /** Throttling, a 5xx, a timeout or a network error: worth trying again. */
    readonly transient: boolean;
    /** No credentials to sign with: no retry will find them. */
    readonly noCredentials?: boolean;
}

/** STS GetCallerIdentity signed with the new key; passes when it answers expectedArn. IAM is eventually consistent: a key that STS does not know yet (InvalidClientTokenId, SignatureDoesNotMatch, AccessDenied on a brand-new key) is retried by retryUntil until ctx.deadlineMs; a different ARN fails at once (no retry). */
export async function verifyAccessKey(ctx: CheckContext, x: { region: string; accessKeyId: string; secretAccessKey: string; expectedArn: string }): Promise<{ arn: string }> {
    const safe: CheckContext = { ...ctx, secrets: [...ctx.secrets, x.secretAccessKey] };
    const { STSClient, GetCallerIdentityCommand } = sts();
    const client = new STSClient({ region: x.region, maxAttempts: 1, credentials: { accessKeyId: x.accessKeyId, secretAccessKey: x.secretAccessKey } });
    const origin = watchOrigin(client);
    try {
        return await retryUntil(safe, async (): Promise<Attempt<{ arn: string }>> => {
            const r = await call("STS", origin, (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal }));
            if ("failed" in r) return r.failed.transient || NOT_YET_KNOWN.includes(r.failed.code) ? { retry: r.failed.text } : { fail: r.failed.text };
            const arn = r.ok.Arn ?? "";
            if (arn === x.expectedArn) return { done: { arn } };
            return { fail: `STS answered ${arn === "" ? "no ARN" : arn}, not ${x.expectedArn}`, advice: `The key ${x.accessKeyId} belongs to another identity: check which user it was made for.` };
        });
    } finally {
        client.destroy();
    }
}

/** IAM ListAccessKeys (all pages, Marker/IsTruncated) for userName with the default credential chain (the stack's own AWS credentials); passes once none of retiredKeyIds is listed; retries (eventual consistency) until the deadline; NoSuchEntity for the user counts as gone. Fails naming the key ids still listed (ids are not secret). */
export async function confirmAccessKeysGone(ctx: CheckContext, x: { region: string; userName: string; retiredKeyIds: string[] }): Promise<void> {
    // IAM is global: any region of the partition resolves to its one endpoint (iam.amazonaws.com, signed for us-east-1).
    const { IAMClient, ListAccessKeysCommand } = iam();
    const client = new IAMClient({ region: x.region, maxAttempts: 1 });
    const origin = watchOrigin(client);
    try {
        await retryUntil(ctx, async (): Promise<Attempt<void>> => {
            const listed: string[] = [];
            let marker: string | undefined;
            do {
                const r = await call("IAM", origin, (abortSignal) => client.send(new ListAccessKeysCommand({ UserName: x.userName, Marker: marker }), { abortSignal }));
                if ("failed" in r) {
                    if (r.failed.code === "NoSuchEntity") return { done: undefined };
                    return settle(r.failed);
                }
                listed.push(...(r.ok.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? ""));
                marker = r.ok.IsTruncated === true ? r.ok.Marker : undefined;
            } while (marker !== undefined);
            const still = x.retiredKeyIds.filter((id) => listed.includes(id));
            return still.length === 0 ? { done: undefined } : { retry: `IAM still lists ${still.join(", ")} for user ${x.userName}` };
        });
    } finally {
        client.destroy();
    }
}

/** SSM GetParameter WithDecryption with the default credential chain: the value's sha256 (never the value) and its Version. ParameterNotFound fails at once; throttling and 5xx are retried until the deadline. */
export async function readParameter(ctx: CheckContext, x: { region: string; name: string }): Promise<{ sha256: string; version: number }> {
    const { SSMClient, GetParameterCommand } = ssm();
    const client = new SSMClient({ region: x.region, maxAttempts: 1 });
    const origin = watchOrigin(client);
    try {
        return await retryUntil(ctx, async (): Promise<Attempt<{ sha256: string; version: number }>> => {
            const r = await call("SSM", origin, (abortSignal) => client.send(new GetParameterCommand({ Name: x.name, WithDecryption: true }), { abortSignal }));
            if ("failed" in r) return settle(r.failed);
            const p = r.ok.Parameter;
            if (p?.Value === undefined || p.Version === undefined) return { fail: `SSM answered no value or version for ${x.name}` };
            return { done: { sha256: sha256(p.Value), version: p.Version } };
        });
    } finally {
        client.destroy();
    }
}

function settle(f: Failure): Attempt<never> {
    if (f.noCredentials) return { fail: f.text, advice: "Give the stack AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE." };
    return f.transient ? { retry: f.text } : { fail: f.text };
}

/** Records where the client sends its requests, once the SDK has resolved the endpoint, so a network error can name it. */
function watchOrigin(client: Sts.STSClient | Iam.IAMClient | Ssm.SSMClient): () => string | undefined {
    let origin: string | undefined;
    (client.middlewareStack as unknown as { add(m: unknown, o: object): void }).add(
        (next: (a: unknown) => Promise<unknown>) => async (args: { request?: { protocol?: string; hostname?: string; port?: number } }) => {
            const r = args.request;
            if (r?.hostname !== undefined) origin = `${r.protocol ?? "https:"}//${r.hostname}${r.port === undefined ? "" : `:${r.port}`}`;
            return next(args);
        },
        { step: "build", name: "raxxVerifyOrigin" },
    );
    return () => origin;
}

/** One request, bounded by VERIFY_REQUEST_TIMEOUT_MS: its result, or what went wrong in words. */
async function call<T>(service: string, origin: () => string | undefined, send: (abortSignal: AbortSignal) => Promise<T>): Promise<{ ok: T } | { failed: Failure }> {
    // Unset, it reads as NaN: no whole number above 0, so the default.
    const raw = Number(process.env[TIMEOUT_ENV]);
    const timeoutMs = Number.isInteger(raw) && raw > 0 ? raw : 10_000;
    // An abort signal, not requestHandler.requestTimeout: in this SDK that only logs a warning
    // unless throwOnRequestTimeout is set, and it stops at the headers, not the body.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
        return { ok: await send(signal) };
    } catch (e) {
        const err = e as { name?: unknown; code?: unknown; Code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
        const where = `${service} at ${origin() ?? "its endpoint"}`;
        if (signal.aborted) return { failed: { code: "Timeout", text: `no answer from ${where} within ${timeoutMs} ms`, transient: true } };
        const status = err?.$metadata?.httpStatusCode;
        const message = clean(typeof err?.message === "string" && err.message !== "UnknownError" ? err.message : "", 300).replace(/[.\s]+$/, "");
        if (status === undefined) {
            if (err?.name === "CredentialsProviderError") return { failed: { code: "NoCredentials", text: `${service} was not called: ${message}`, transient: false, noCredentials: true } };
            const code = typeof err?.code === "string" && /^[A-Z_]+$/.test(err.code) ? err.code : "";
            if (code !== "") return { failed: { code, text: `network error reaching ${where}: ${code}`, transient: true } };
            return { failed: { code: "", text: `${service} call failed: ${message}`, transient: false } };
        }
        // The query protocol (STS, IAM) names a modeled error by its shape (NoSuchEntityException)
        // and keeps the code AWS sent (NoSuchEntity) in Code; JSON (SSM) has the code as name.
        const code = typeof err.Code === "string" ? err.Code : typeof err.name === "string" && err.name !== "Error" ? err.name : `HTTP ${status}`;
        const transient = status >= 500 || status === 429 || THROTTLED.includes(code) || err.$retryable?.throttling === true;
        return { failed: { code, text: `${service} answered ${code}${message === "" ? "" : `: ${message}`}`, transient } };
    }
}
