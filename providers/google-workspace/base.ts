// What the four Workspace providers share: the stack config they read in the provider host,
// a session per operation, and the pieces of check and diff they have in common.
import type * as pulumi from "@pulumi/pulumi";

import { ConfiguredProvider, UNKNOWN } from "../http";
import { EMAIL, HttpOptions, Session, WORKSPACE_ADMIN_USER_CONFIG, WORKSPACE_CREDENTIALS_CONFIG, WorkspaceConfig, openSession, resolveWorkspaceSettings } from "./client";

/** The base of the providers: `configure` reads stack config `workspaceCredentials` (secret) and `workspaceAdminUser`. */
export abstract class WorkspaceProvider extends ConfiguredProvider<HttpOptions, WorkspaceConfig> {
    constructor(httpOptions: HttpOptions = {}) {
        super(httpOptions);
    }

    protected configKeys(): { credentials: string; adminUser: string } {
        return { credentials: WORKSPACE_CREDENTIALS_CONFIG, adminUser: WORKSPACE_ADMIN_USER_CONFIG };
    }

    /** A session with `scopes`, its settings resolved now (config, then env). */
    protected openWith(scopes: readonly string[]): Session {
        return openSession(resolveWorkspaceSettings(this.configured, this.httpOptions), scopes);
    }
}

/** Collects check failures; an UNKNOWN value (preview) always passes. */
export interface Failures {
    readonly list: pulumi.dynamic.CheckFailure[];
    /** Fails `property` unless it is unknown or passes `test`. */
    expect(property: string, test: (v: unknown) => boolean, reason: string): void;
    email(property: string, example: string): void;
}

// A factory, not a class: the serialized text rewrites classes into functions and drops
// their field initializers.
export function failures(raw: Record<string, unknown>): Failures {
    const list: pulumi.dynamic.CheckFailure[] = [];
    const expect = (property: string, test: (v: unknown) => boolean, reason: string) => {
        const v = raw[property];
        if (v === UNKNOWN) return;
        if (!test(v)) list.push({ property, reason });
    };
    const email = (property: string, example: string) => expect(property, (v) => typeof v === "string" && EMAIL.test(v), `${property} must be an email address (e.g. "${example}")`);
    return { list, expect, email };
}

/** `v` lowercased and trimmed when it is a string: Google compares addresses without case. */
export function lowerEmail(v: unknown): unknown {
    return typeof v === "string" && v !== UNKNOWN ? v.trim().toLowerCase() : v;
}

/** The fields of `raw` named in `keys` that are set, in that order. */
export function pick<T>(raw: Record<string, unknown>, keys: readonly string[]): T {
    return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]])) as T;
}

/** True when `a` and `b` hold the same keys with the same values. */
export function sameRecord(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
    const norm = (x: Record<string, unknown> | undefined) => JSON.stringify(Object.entries(x ?? {}).sort(([k1], [k2]) => k1.localeCompare(k2)));
    return norm(a) === norm(b);
}
