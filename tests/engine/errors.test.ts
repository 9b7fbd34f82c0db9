// Every Heroku error path as the operator reads it in the CLI's output: each
// resource below meets one fault, and the engine prints each provider's
// message. None is `undefined`, and none carries a token, the API key or a
// var's value.
import { strict as assert } from "node:assert";
import { Authorization, ConfigVars } from "../../providers/heroku";
import { OTHER, OTHER_API_KEY } from "../heroku/helpers";
import { ENGINE_HEROKU_KEY, Engine, EngineStack } from "./harness";

const SECRET_VALUE = "engine-tier-secret-var-value-61d2";
const PLAIN_VALUE = "engine-tier-plain-var-value-93ab";
const RETRY = "then run Pulumi again";
const TODO_5XX = `Heroku is failing: check https://status.heroku.com, ${RETRY}.`;
const TODO_429 = `Heroku's rate limit for this API key is used up: wait a few minutes for it to refill, ${RETRY}.`;
const TODO_TIMEOUT = `Check the network and https://status.heroku.com, ${RETRY} (HEROKU_HTTP_TIMEOUT_MS sets the timeout of each attempt).`;
const TODO_401 = "Check that it is a valid, unrevoked Heroku API key or OAuth token, or set another in HEROKU_API_KEY or the secret stack config herokuApiKey.";
const TODO_403 = "Use a key whose account can manage this resource (scope global, or a collaborator or team member with access to the app).";

/** One app per fault, and what the operator must read for it. */
const FAULTS: Record<string, string> = {
    "raxx-err-401": `Heroku rejected the API key (HEROKU_API_KEY) on GET /apps/raxx-err-401/config-vars: 401 unauthorized: Invalid credentials provided. ${TODO_401}`,
    "raxx-err-403": `The Heroku API key (HEROKU_API_KEY) lacks access for GET /apps/raxx-err-403/config-vars: 403 forbidden: You do not have access to the app raxx-err-403. ${TODO_403}`,
    "raxx-err-404":
        `Heroku API GET /apps/raxx-err-404/config-vars failed: 404 not_found: Couldn't find that app. Heroku app "raxx-err-404" does not exist, or the API key (HEROKU_API_KEY) cannot see it: ` +
        `check the app name, or use the key of an account with access to the app, ${RETRY}.`,
    "raxx-err-429": `Heroku API GET /apps/raxx-err-429/config-vars failed after 3 attempts: 429 rate_limit: Your account reached the API rate limit. ${TODO_429}`,
    "raxx-err-503": `Heroku API GET /apps/raxx-err-503/config-vars failed after 3 attempts: 503 service_unavailable: API is temporarily unavailable. ${TODO_5XX}`,
    "raxx-err-hang": `Heroku API GET /apps/raxx-err-hang/config-vars failed after 3 attempts: no response (timed out after 1000 ms). ${TODO_TIMEOUT}`,
};
const DESCRIPTION = "raxx-platform-token-2026-11-28";

describe("engine: every Heroku error as the operator reads it", function () {
    this.timeout(300_000);
    let engine: Engine;
    let stack: EngineStack;
    let output: string;

    before(async () => {
        engine = await Engine.start();
        engine.heroku.addUser(OTHER_API_KEY, OTHER);
        engine.heroku.addApp("raxx-err-401");
        engine.heroku.addApp("raxx-err-403", {}, [OTHER]);
        for (const app of ["raxx-err-429", "raxx-err-503", "raxx-err-hang", "raxx-ok-app"]) engine.heroku.addApp(app);
        const path = (app: string) => `/apps/${app}/config-vars`;
        engine.heroku.inject({ path: path("raxx-err-401"), status: 401, times: 100, body: { id: "unauthorized", message: "Invalid credentials provided." } });
        engine.heroku.inject({ path: path("raxx-err-429"), status: 429, times: 100, headers: { "Retry-After": "0" }, body: { id: "rate_limit", message: "Your account reached the API rate limit." } });
        engine.heroku.inject({ path: path("raxx-err-503"), status: 503, times: 100, body: { id: "service_unavailable", message: "API is temporarily unavailable." } });
        engine.heroku.inject({ path: path("raxx-err-hang"), hang: true, times: 100 });
        engine.heroku.inject({ method: "POST", path: "/oauth/authorizations", status: 503, times: 1, body: { id: "service_unavailable", message: "API is temporarily unavailable." } });
        stack = await engine.stack(
            "errors",
            async () => {
                for (const app of [...Object.keys(FAULTS), "raxx-ok-app"]) {
                    new ConfigVars(`vars-${app}`, { app, vars: { FLAG_PLAIN: PLAIN_VALUE }, secretVars: { TOKEN_SECRET: SECRET_VALUE } });
                }
                new Authorization("token-post-503", { scope: ["global"], description: DESCRIPTION });
            },
            { env: { HEROKU_HTTP_TIMEOUT_MS: "1000" } },
        );
        const o = await stack.outcome([], (s) => s.up({ continueOnError: true }));
        assert.notEqual(o.code, 0);
        output = o.stdout + o.stderr;
    });
    after(async () => engine?.stop());

    for (const [app, message] of Object.entries(FAULTS)) {
        it(`${app.replace("raxx-err-", "")}: the CLI prints the provider's message, naming the method, path, status and what to do`, () => {
            assert.ok(output.includes(`error: ${message}`), `missing:\n${message}\nin:\n${output}`);
        });
    }

    it("a POST whose 503 leaves its outcome unknown: the provider lists, finds nothing new, and says so", () => {
        assert.ok(
            output.includes(`Heroku did not create the authorization (GET /oauth/authorizations lists none described "${DESCRIPTION}"): run Pulumi again.`),
            output,
        );
        assert.equal([...engine.heroku.authorizations.values()].filter((a) => a.description === DESCRIPTION).length, 0);
    });

    it("no message is `undefined`, and none carries the API key or a value", () => {
        assert.doesNotMatch(output, /error: undefined|Unknown Error|Unexpected struct type/);
        for (const secret of [ENGINE_HEROKU_KEY, SECRET_VALUE, PLAIN_VALUE]) assert.ok(!output.includes(secret), `a value reached the output`);
    });

    it("the resource without a fault was created despite the others (--continue-on-error)", () => {
        const vars = engine.heroku.apps.get("raxx-ok-app")!;
        assert.deepEqual([vars.FLAG_PLAIN, vars.TOKEN_SECRET], [PLAIN_VALUE, SECRET_VALUE]);
        const owners = JSON.parse(vars.RAXX_PLATFORM_OWNERS) as Record<string, string>;
        assert.deepEqual(Object.keys(owners), ["FLAG_PLAIN", "TOKEN_SECRET"]);
        for (const owner of Object.values(owners)) assert.match(owner, /^raxx-platform\/errors\/vars-raxx-ok-app#[0-9a-f]{16}$/);
    });

    it("a refresh that meets a 503 storm says so too, and leaves state alone", async () => {
        engine.heroku.clearFaults();
        engine.heroku.inject({ path: "/apps/raxx-ok-app/config-vars", status: 503, times: 100, body: { id: "service_unavailable", message: "API is temporarily unavailable." } });
        const live = async () => (await stack.resources(undefined, true)).map((r) => ({ urn: r.urn, id: r.id, inputs: r.inputs, outputs: r.outputs }));
        const before = await live();
        const o = await stack.outcome([], (s) => s.refresh());
        assert.notEqual(o.code, 0);
        const refreshOutput = o.stdout + o.stderr;
        assert.ok(
            refreshOutput.includes(`error: Heroku API GET /apps/raxx-ok-app/config-vars failed after 3 attempts: 503 service_unavailable: API is temporarily unavailable. ${TODO_5XX}`),
            refreshOutput,
        );
        assert.ok(!refreshOutput.includes(SECRET_VALUE) && !refreshOutput.includes(ENGINE_HEROKU_KEY));
        assert.deepEqual(await live(), before);
    });
});
