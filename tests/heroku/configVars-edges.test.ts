// The ConfigVars provider at its edges, in process: the id it builds and parses, and
// check's less common inputs (values unknown in preview, wrong types, long names).
import { strict as assert } from "node:assert";

import { ConfigVarsInputs, ConfigVarsProvider, configVarsId, parseConfigVarsId } from "../../providers/heroku";
import { UNKNOWN } from "../../providers/http";
import { FAST } from "./helpers";

const APP = "raxx-console-prod";
const OWNER = "raxx-platform/prod/audit-ingest-raxx-console-prod";
const EXAMPLE = "raxx-console-prod:CONSOLE_AUDIT_INGEST_TOKEN,FLAG_CONSOLE_DEPLOY_AUDIT_INGEST";
const APP_REASON = 'is not a Heroku app name: use 3-30 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit (e.g. "raxx-console-prod")';
const OWNER_REASON = 'owner must be "<project>/<stack>/<resource name>", as the ConfigVars constructor sets it (e.g. "raxx-platform/prod/platform-token-raxx-api-prod")';

describe("Heroku ConfigVars provider: edges", () => {
    const check = async (news: Record<string, unknown>) => new ConfigVarsProvider(FAST).check({} as ConfigVarsInputs, news as unknown as ConfigVarsInputs);

    describe("the id", () => {
        it("lists the keys sorted, whatever order they come in", () => {
            assert.equal(configVarsId(APP, ["B_KEY", "A_KEY"]), `${APP}:A_KEY,B_KEY`);
            assert.deepEqual(parseConfigVarsId(`${APP}:B_KEY, A_KEY,B_KEY`), { app: APP, keys: ["A_KEY", "B_KEY"] });
        });

        it("refuses a bad app, a bad key among good ones, and cuts a long id to 200 characters in the message", () => {
            const refused = (id: string) => ({ message: `ConfigVars id "${id}" is not of the form <app>:<KEY>[,<KEY>...], e.g. ${EXAMPLE}` });
            assert.throws(() => parseConfigVarsId("Bad_App:A_KEY"), refused("Bad_App:A_KEY"));
            assert.throws(() => parseConfigVarsId(`${APP}:A_KEY,bad-key`), refused(`${APP}:A_KEY,bad-key`));
            assert.throws(() => parseConfigVarsId(`${APP}:bad-key,A_KEY`), refused(`${APP}:bad-key,A_KEY`));
            const long = `${APP}:${"A".repeat(300)},bad-key`;
            assert.throws(() => parseConfigVarsId(long), refused(long.slice(0, 200)));
        });
    });

    describe("check", () => {
        it("names an app that is not a string by its type, a missing one as missing, and cuts a long one to 60 characters", async () => {
            const long = `a${"b".repeat(80)}`;
            const res = await Promise.all([42, undefined, long].map((app) => check({ app, owner: OWNER, vars: { FLAG: "on" } })));
            assert.deepEqual(
                res.map((r) => r.failures),
                [
                    [{ property: "app", reason: `a number ${APP_REASON}` }],
                    [{ property: "app", reason: `a missing value ${APP_REASON}` }],
                    [{ property: "app", reason: `"${long.slice(0, 60)}" ${APP_REASON}` }],
                ],
            );
        });

        it("lets an unknown app and owner through, and refuses an owner that is not a string", async () => {
            assert.deepEqual((await check({ app: UNKNOWN, owner: UNKNOWN, vars: { FLAG: "on" } })).failures, []);
            assert.deepEqual((await check({ app: APP, owner: 5, vars: { FLAG: "on" } })).failures, [{ property: "owner", reason: OWNER_REASON }]);
            assert.deepEqual((await check({ app: APP, owner: [OWNER], vars: { FLAG: "on" } })).failures, [{ property: "owner", reason: OWNER_REASON }]);
        });

        it("skips the both-maps rule while either map is unknown, and lets an unknown value through", async () => {
            assert.deepEqual(await check({ app: APP, owner: OWNER, vars: UNKNOWN, secretVars: { TOKEN: "x" } }), {
                inputs: { app: APP, owner: OWNER, vars: UNKNOWN, secretVars: { TOKEN: "x" } },
                failures: [],
            } as unknown);
            assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { length: "on" }, secretVars: UNKNOWN })).failures, []);
            assert.deepEqual(await check({ app: APP, owner: OWNER, vars: { FLAG: UNKNOWN }, secretVars: null }), {
                inputs: { app: APP, owner: OWNER, vars: { FLAG: UNKNOWN }, secretVars: {} },
                failures: [],
            });
        });

        it("refuses a map that is a string or a list, and cuts a long bad name to 60 characters", async () => {
            const reason = (p: string) => ({ property: p, reason: `${p} must be a map of config var name to string value` });
            assert.deepEqual((await check({ app: APP, owner: OWNER, vars: "FLAG=on", secretVars: { TOKEN: "x" } })).failures, [reason("vars")]);
            assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { FLAG: "on" }, secretVars: ["x"] })).failures, [reason("secretVars")]);
            const name = `bad-${"n".repeat(80)}`;
            assert.deepEqual((await check({ app: APP, owner: OWNER, vars: { [name]: "on", FLAG: "on" } })).failures, [
                {
                    property: "vars",
                    reason: `"${name.slice(0, 60)}" is not a valid config var name: use letters, digits and underscores, not starting with a digit (e.g. FLAG_CONSOLE_DEPLOY_AUDIT_INGEST)`,
                },
            ]);
        });
    });
});
