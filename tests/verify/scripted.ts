// Servers on 127.0.0.1 that answer what a test scripts (tests/harness/scriptedServer.ts), for
// the answers the fakes never give: shared by the checks' in-process tests and the same answers
// put in front of the serialized check providers.
import { ReceivedRequest, ScriptedReply, ScriptedServer } from "../harness/scriptedServer";

/** Answers each path with the replies scripted for it (the last one repeats); a path with none, a 404. */
export const scripted = () => new ScriptedServer({ unscripted: { status: 404, body: { message: "no route in this fake" } }, internalErrorBody: (e) => ({ message: String(e) }) });

/** A request's parameters: SSM's JSON body, or the query form STS and IAM send. */
export function paramsOf(r: ReceivedRequest): Record<string, unknown> {
    return r.headers["x-amz-target"] ? (JSON.parse(r.body || "{}") as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(r.body));
}

/** The AWS action a request asks for: SSM's by `X-Amz-Target`, STS's and IAM's by `Action`. */
export function actionOf(r: ReceivedRequest): string {
    return r.headers["x-amz-target"] ? String(r.headers["x-amz-target"]).replace(/^AmazonSSM\./, "") : String(paramsOf(r).Action);
}

/** Answers each request for an AWS action with the next scripted reply for it (the last one repeats), unsigned; an action with none, a bare 400. */
export const scriptedAws = () =>
    new ScriptedServer({
        keyOf: actionOf,
        unscripted: { status: 400, body: "" },
        internalErrorBody: (e) => ({ __type: "InternalFailure", message: String(e) }),
        headers: { "Content-Type": "text/xml", "x-amzn-RequestId": "req-1" },
    });

export const xmlResult = (action: string, inner: string): ScriptedReply => ({
    status: 200,
    body: `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`,
});
export const xmlError = (status: number, code: string, message: string): ScriptedReply => ({
    status,
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
export const jsonReply = (status: number, body: unknown): ScriptedReply => ({ status, body: JSON.stringify(body), headers: { "Content-Type": "application/x-amz-json-1.1" } });
