import { isSecretValue } from "../offline/mocks";
import { FAKE_HEROKU_OWNER } from "./fake";
import { ConsumerKind, field, json, record, text, write } from "./kind";

export const herokuConfigVars: ConsumerKind<"heroku-config-var"> = {
    id: "herokuConfigVars",
    role: "consumer",
    types: ["pulumi-nodejs:dynamic/heroku:ConfigVars"],
    words: "Heroku config vars",
    writeKind: "heroku-config-var",
    secretValueFields: ["secretVars"],
    secretInputs: ["secretVars"],
    secretOutputs: ["secretVars"],
    fakeOutputs: (name) => ({ instance: `fake-instance-of-${name}`, ...FAKE_HEROKU_OWNER }),
    writes: (reg) => {
        const app = field(reg, "app");
        const secretVars = isSecretValue(reg.inputs.secretVars);
        return [
            ...Object.entries(record(reg, "vars")).map(([key, value]) => write(reg, "heroku-config-var", `heroku ${app}/${key}`, value)),
            ...Object.entries(record(reg, "secretVars")).map(([key, value]) =>
                write(reg, "heroku-config-var", `heroku ${app}/${key}`, value, secretVars || isSecretValue(value)),
            ),
        ];
    },
    physicalIds: (reg) => herokuConfigVars.writes(reg).map((w) => w.place.replace(/^heroku /, "heroku config var ")),
    describe: (reg, ctx) =>
        `Heroku ${ctx.input("app")}: ${herokuConfigVars
            .writes(reg)
            .map((w) => {
                const key = w.place.slice(w.place.indexOf("/") + 1);
                return w.secret ? `${key} [secret]` : `${key}=${ctx.text(text(w.value))}`;
            })
            .join(", ")}`,
    adoption: {
        how: "on-create",
        note: (reg, ctx) => {
            const app = field(reg, "app");
            const what = herokuConfigVars.writes(reg).map((w) => {
                const name = w.place.slice(w.place.indexOf("/") + 1);
                if (!w.secret) return `${name}=${ctx.text(json(w.value))} (no write if the app has it already)`;
                const from = ctx.sources(w.value).map((s) => s.replace(/^output of /, "").replace(/\.[a-zA-Z]+$/, ""));
                return `${name} [secret] from ${from.join(", ") || "the stack"} (a new value: written)`;
            });
            return {
                note: `not importable (pulumi/pulumi#16175: \`import\` does not work for Node.js dynamic providers). The provider's create reads ${app}'s config vars and writes only the keys whose value differs: ${what.join("; ")}. A write is one release of ${app} (a restart).`,
                commands: [`heroku config -a ${app} --json | jq keys   # after \`pulumi up\`: the keys are set, the app's other vars untouched (names only)`],
            };
        },
    },
};

