import * as pulumi from "@pulumi/pulumi";
import { ConfigVars } from "../providers/heroku";
import { GithubActionsValues } from "./github/actions";
import { RotatingToken } from "./random/rotatingToken";
import { Rotation } from "./rotation";
import { Checks, checkConsumer } from "./verification";

export interface AuditIngestArgs {
    readonly repository: string;
    /** The GitHub deployment environment whose deploy workflow sends the token. */
    readonly githubEnvironment: string;
    /** The console app that verifies it. */
    readonly consoleApp: string;
    /** The console's URL, for the deploy workflow. */
    readonly consoleInternalUrl: string;
    readonly rotation: Rotation;
    /** How the token is checked before it goes out, and both places after. */
    readonly checks: Checks;
}

/**
 * One environment's deploy audit ingest (SPEC 3 in docs/session-2026-05-06.md): a 32-byte token per
 * rotation slot. The active one is both the GitHub environment secret the
 * deploy workflow sends and the config var the console verifies, so the two
 * are one value by construction. The console checks a single value, so a
 * rotation switches both in one update; see docs/rotation.md.
 */
export class AuditIngest extends pulumi.ComponentResource {
    public readonly token: RotatingToken;

    constructor(name: string, args: AuditIngestArgs, opts?: pulumi.ComponentResourceOptions) {
        super("raxx:audit:AuditIngest", name, {}, opts);
        this.token = new RotatingToken(`${name}-token`, { credential: "auditIngestToken", bytes: 32, rotation: args.rotation, checks: args.checks }, { parent: this });
        new GithubActionsValues(
            `${name}-github`,
            {
                repository: args.repository,
                environment: args.githubEnvironment,
                secrets: { CONSOLE_AUDIT_INGEST_TOKEN: this.token.hex },
                variables: { CONSOLE_INTERNAL_URL: args.consoleInternalUrl },
                check: { checks: args.checks, credentials: { CONSOLE_AUDIT_INGEST_TOKEN: "auditIngestToken" } },
            },
            { parent: this },
        );
        const vars = new ConfigVars(
            `${name}-${args.consoleApp}`,
            {
                app: args.consoleApp,
                vars: { FLAG_CONSOLE_DEPLOY_AUDIT_INGEST: "on" },
                secretVars: { CONSOLE_AUDIT_INGEST_TOKEN: this.token.hex },
            },
            { parent: this },
        );
        checkConsumer(
            `${name}-${args.consoleApp}-check`,
            {
                credential: "auditIngestToken",
                consumer: `heroku ${args.consoleApp}/CONSOLE_AUDIT_INGEST_TOKEN`,
                kind: "herokuConfigVars",
                checks: args.checks,
                value: this.token.hex,
                where: { app: args.consoleApp, name: "CONSOLE_AUDIT_INGEST_TOKEN" },
            },
            vars,
            this,
        );
        this.registerOutputs({});
    }
}
