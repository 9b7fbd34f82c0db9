// The programs the engine tier runs: the project's own components, as index.ts
// builds them, with rotation entries a test changes between runs.
import { strict as assert } from "node:assert";
import * as github from "@pulumi/github";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { AuditIngest } from "../../components/auditIngest";
import { DeployToken } from "../../components/deployToken";
import { Rotation, parseRotation } from "../../components/rotation";
import { Checks } from "../../components/verification";
import type { FakeHeroku } from "../heroku/fakeHeroku";
import type { FakeCloudFile } from "./fakePlugin";

/** The type tokens the engine tier's assertions name. */
export const AUTH = "pulumi-nodejs:dynamic/heroku:Authorization";
export const VARS = "pulumi-nodejs:dynamic/heroku:ConfigVars";
export const SECRET = "github:index/actionsSecret:ActionsSecret";

/** Three generations of a slot, oldest first: dates a rotation entry can give. */
export const [D1, D2, D3] = ["2026-08-04", "2026-11-02", "2026-11-28"];

/** Raxx's four apps, in the order the prod stack lists them. */
export const APPS = ["raxx-console-prod", "raxx-console-staging", "raxx-api-prod", "raxx-api-staging"] as const;

/** A rotation entry as stack config writes it, e.g. `active=b a=2026-08-04 b=2026-11-02`. */
export function rotation(entry: string): Rotation {
    const parsed = parseRotation(entry, 90, "2026-11-29");
    if (!parsed.rotation) throw new Error(`bad rotation entry ${entry}: ${parsed.problems.join("; ")}`);
    return parsed.rotation;
}

/** The checks as a break-glass stack declares them: each records that it did not run. The tiers that test the checks turn them on. */
export const CHECKS_OFF: Checks = { enabled: false, githubOwner: "MooseQuest" };
export const CHECKS_ON: Checks = { enabled: true, githubOwner: "MooseQuest" };

export interface DeployTokenState {
    entry: string;
    apps: readonly string[];
    /** Default: CHECKS_OFF. */
    checks?: Checks;
}

/** Part of a program: declares its resources with the program's GitHub provider, and returns its outputs. */
export type Part = (githubProvider: github.Provider) => Record<string, unknown>;

/** A program of parts, with one GitHub provider, as index.ts makes it. */
export function program(...parts: Part[]): PulumiFn {
    return async () => {
        const githubProvider = new github.Provider("github", { owner: "MooseQuest" });
        return Object.assign({}, ...parts.map((part) => part(githubProvider)));
    };
}

/** SPEC 1 (docs/session-2026-05-06.md) as the prod stack declares it: the deploy token, its four apps and the Actions secret. */
export function deployToken(state: DeployTokenState): Part {
    return (githubProvider) => {
        const token = new DeployToken(
            "platform-token",
            { apps: state.apps, repository: "raxx", rotation: rotation(state.entry), checks: state.checks ?? CHECKS_OFF },
            { providers: [githubProvider] },
        );
        return { herokuPlatformTokenAuthorizations: token.authorizationIds };
    };
}

export function deployTokenProgram(state: DeployTokenState): PulumiFn {
    return program(deployToken(state));
}

export interface AuditIngestState {
    entry: string;
    /** Default: CHECKS_OFF. */
    checks?: Checks;
}

/** SPEC 3 as the staging stack declares it. */
export function auditIngest(state: AuditIngestState): Part {
    return (githubProvider) => {
        new AuditIngest(
            "audit-ingest",
            {
                repository: "raxx",
                githubEnvironment: "staging",
                consoleApp: "raxx-console-staging",
                consoleInternalUrl: "https://raxx-console-staging.herokuapp.com",
                rotation: rotation(state.entry),
                checks: state.checks ?? CHECKS_OFF,
            },
            { providers: [githubProvider] },
        );
        return {};
    };
}

/** What the tests read of the deploy token in the fakes: each generation's live token, and what every consumer holds. */
export class DeployTokenHolders {
    /** Every token the fake ever issued that a test looked at, revoked ones included: none may reach the checkpoint in plain text. */
    readonly issued = new Set<string>();

    constructor(private readonly engine: { heroku: FakeHeroku; cloud(pkg: string): FakeCloudFile }) {}

    /** The live token described `raxx-platform-token-<date>`; fails unless exactly one is live. */
    tokenOf(date: string): string {
        const live = [...this.engine.heroku.authorizations.values()].filter((a) => a.description === `raxx-platform-token-${date}`);
        assert.equal(live.length, 1, `live authorizations described raxx-platform-token-${date}`);
        this.issued.add(live[0].token);
        return live[0].token;
    }

    /** What every consumer holds: each app's HEROKU_API_KEY and the Actions secret's value. */
    held(): Record<string, string | undefined> {
        const secret = Object.values(this.engine.cloud("github").resources).find((r) => r.name === "platform-token-github-secret-HEROKU_API_KEY");
        return { ...Object.fromEntries(APPS.map((app) => [app, this.engine.heroku.apps.get(app)?.HEROKU_API_KEY])), github: secret?.inputs.value as string | undefined };
    }

    /** `held()` when every consumer holds `token`. */
    allHold(token: string): Record<string, string> {
        return { ...Object.fromEntries(APPS.map((app) => [app, token])), github: token };
    }
}
