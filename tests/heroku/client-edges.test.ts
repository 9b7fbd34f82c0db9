// The Platform API client's less common answers, in process against the fake.
import { strict as assert } from "node:assert";

import { herokuRequest, resolveSettings } from "../../providers/heroku/client";
import { FAST, rejection, useFakeHeroku } from "./helpers";

const PATH = "/oauth/authorizations";
const HINT = "Look in `heroku authorizations` before running Pulumi again.";

describe("Heroku Platform API client: edges", () => {
    const ctx = useFakeHeroku();

    it("names itself in User-Agent and sends a list's Range", async () => {
        await herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH, range: "id ..; max=1000" });
        const [req] = ctx.heroku.requests;
        assert.equal(req.headers["user-agent"], "raxx-platform-pulumi-heroku");
        assert.equal(req.headers.range, "id ..; max=1000");
    });

    it("keeps Heroku's error id on the error, and refuses a 300 as it refuses any answer outside 2xx", async () => {
        ctx.heroku.inject({ method: "GET", path: PATH, status: 300, body: { id: "multiple_choices", message: "Pick one." } });
        const err = (await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH }))) as Error & { herokuId?: string; status?: number };
        assert.equal(err.message, `Heroku API GET ${PATH} failed: 300 multiple_choices: Pick one. Heroku refused the request: correct what its message names, then run Pulumi again.`);
        assert.deepEqual([err.status, err.herokuId], [300, "multiple_choices"]);
    });

    it("says a POST answered with exactly 500 may have been applied, with the caller's hint", async () => {
        ctx.heroku.inject({ method: "POST", path: PATH, status: 500, body: { id: "internal", message: "Oops." } });
        const err = (await rejection(herokuRequest(resolveSettings({}, FAST), { method: "POST", path: PATH, body: {}, unknownOutcomeHint: HINT }))) as Error & { outcomeUnknown?: boolean };
        assert.equal(err.message, `Heroku API POST ${PATH} failed: 500 internal: Oops. ${HINT}`);
        assert.equal(err.outcomeUnknown, true);
    });

    it("never gives a GET the write's hint: a 5xx, a body that is not JSON", async () => {
        ctx.heroku.inject({ method: "GET", path: PATH, status: 503, times: 3, body: { id: "unavailable", message: "Down." } });
        const err = (await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH, unknownOutcomeHint: HINT }))) as Error & { outcomeUnknown?: boolean };
        assert.equal(err.message, `Heroku API GET ${PATH} failed after 3 attempts: 503 unavailable: Down. Heroku is failing: check https://status.heroku.com, then run Pulumi again.`);
        assert.equal(err.outcomeUnknown, false);
        ctx.heroku.inject({ method: "GET", path: PATH, status: 200, rawBody: "<html>hi</html>" });
        const html = (await rejection(herokuRequest(resolveSettings({}, FAST), { method: "GET", path: PATH, unknownOutcomeHint: HINT }))) as Error & { herokuId?: string };
        assert.equal(
            html.message,
            `Heroku API GET ${PATH} returned 200 with a body that is not JSON. Something other than the Platform API answered: check the API URL (HEROKU_API_URL or stack config herokuApiUrl; default https://api.heroku.com) and any proxy on the way, then run Pulumi again.`,
        );
        assert.equal(html.herokuId, "not_json");
    });
});
