// What an offline run must never print. Under mocks, every credential is a
// fake value (fakeCloud), lookups answer with fake ids (fakeInvokes), and secret
// config is a placeholder (secretPlaceholder). None of them is real, and all of
// them look as if they were: printed, they would mislead a reader, and a real
// value in their place would leak. The redactor prints names and places
// instead: a secret input is `[secret]`, and a value that came from another
// resource or a lookup is named by where it came from.
import * as pulumi from "@pulumi/pulumi";
import { fakeCloud, fakeInvokes } from "../offline/fakeCloud";
import { MockRunResult, Registration, isSecretValue, plain } from "../offline/mocks";
import { secretPlaceholder } from "../offline/stack";

/** An invoke the program made, and the fake answer it got. */
export interface Lookup {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    readonly answer: Record<string, unknown>;
}

/** A `call` for `runStack` that answers as `fakeInvokes` does and records each answer in `into`. */
export function recordingCall(into: Lookup[]): (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined {
    return (args) => {
        const answer = fakeInvokes(args);
        if (answer !== undefined) into.push({ token: args.token, inputs: args.inputs, answer });
        return answer;
    };
}

/** Fake values shorter than this are not treated as values (they would match ordinary words). */
const MIN_NEEDLE = 4;

/** Each fake value of a run, and a label that says where it comes from without showing it. */
export function fakeValues(run: MockRunResult, lookups: readonly Lookup[], secretKeys: readonly string[]): Map<string, string> {
    const needles = new Map<string, string>();
    const add = (value: unknown, label: string) => {
        if (typeof value === "string" && value.length >= MIN_NEEDLE && !needles.has(value)) needles.set(value, label);
    };
    for (const reg of run.registrations) {
        for (const [field, value] of Object.entries(fakeCloud(reg) ?? {})) add(value, `output of ${reg.name}.${field}`);
    }
    for (const lookup of lookups) {
        const given = new Set(Object.values(lookup.inputs));
        const fn = lookup.token.split(":").pop();
        // Ids are what a lookup answers with that the program did not already know.
        const visit = (v: unknown, path: string) => {
            if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
            else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) visit(x, path === "" ? k : `${path}.${k}`);
            else if (/(^|\.)id$/.test(path.replace(/\[\d+\]/g, "")) && !given.has(v)) add(v, `looked up by ${fn} (${path})`);
        };
        visit(lookup.answer, "");
    }
    for (const key of secretKeys) add(secretPlaceholder(key), `secret config ${key}`);
    return needles;
}

export class Redactor {
    /** Every value at once, the longest first: a value that contains another is replaced whole, and a label put in is never searched again. */
    private readonly pattern: RegExp;

    constructor(private readonly needles: ReadonlyMap<string, string>) {
        const longestFirst = [...needles.keys()].sort((a, b) => b.length - a.length);
        // With no value, a pattern that matches nothing.
        this.pattern = new RegExp(longestFirst.map(escapeRegExp).join("|") || "(?!)", "gu");
    }

    /** Every value this redactor hides, for tests. */
    values(): string[] {
        return [...this.needles.keys()];
    }

    /** `s` with every fake value, lookup answer and placeholder replaced by `[<where it comes from>]`. */
    text(s: string): string {
        return s.replace(this.pattern, (needle) => `[${this.needles.get(needle)}]`);
    }

    /** A recorded input, printable: secrets are `[secret]`, strings go through `text`, the dynamic provider's code is left out. */
    value(v: unknown): unknown {
        if (isSecretValue(v)) return "[secret]";
        if (typeof v === "string") return this.text(v);
        if (Array.isArray(v)) return v.map((x) => this.value(x));
        if (typeof v === "object" && v !== null) {
            const out: Record<string, unknown> = {};
            // Keys too: a token policy's resources name the looked-up account in a key.
            for (const [k, x] of Object.entries(v)) if (k !== "__provider") out[this.text(k)] = this.value(x);
            return out;
        }
        return v;
    }

    /**
     * Where a value (secret or not) comes from: the labels of the fake values in
     * it, for example `output of platform-token-heroku-authorization-a.token`.
     * Never the value itself.
     */
    sources(v: unknown): string[] {
        const found = new Set<string>();
        const visit = (x: unknown) => {
            const p = plain(x);
            if (typeof p === "string") {
                for (const needle of p.match(this.pattern) ?? []) found.add(this.needles.get(needle)!);
            } else if (typeof p === "object" && p !== null) Object.entries(p).forEach(([k, x]) => (visit(k), visit(x))); // a list's entries too
        };
        visit(v);
        return [...found].sort();
    }
}

/** `s` as a pattern that matches exactly `s`. */
function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The plain value of a recorded input, every nested secret unwrapped. */
export function deepPlain(v: unknown): unknown {
    const p = plain(v);
    if (Array.isArray(p)) return p.map(deepPlain);
    if (typeof p === "object" && p !== null) return Object.fromEntries(Object.entries(p).map(([k, x]) => [k, deepPlain(x)]));
    return p;
}

/** The inputs that describe a resource, without the dynamic provider's serialized code. */
export function describedInputs(reg: Registration): Record<string, unknown> {
    const { __provider: _code, ...inputs } = reg.inputs;
    return inputs;
}
