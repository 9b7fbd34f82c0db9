// The URNs the Pulumi engine gives the program's resources. The mock monitor
// builds URNs from the immediate parent's type only
// (`raxx:iam:ServiceUser$aws:iam/user:User`), and prefixes top-level providers
// with the stack's type. The engine qualifies a type with its parent's whole
// qualified type, and never with the root stack's
// (`raxx:billing:BillingReadonly$raxx:iam:ServiceUser$aws:iam/user:User`), which
// is what `pulumi import`, `pulumi state` and `--target` need.
import { Registration } from "../offline/mocks";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface UrnIndex {
    /** The engine URN of a registration, by its mock URN. */
    readonly engineUrn: (mockUrn: string) => string | undefined;
    /** The engine URN of a provider reference (`<mock urn>::<id>`), or undefined for the default provider. */
    readonly providerUrn: (reference: string) => string | undefined;
    /** The registration behind a mock URN. */
    readonly registration: (mockUrn: string) => Registration | undefined;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` split into its parts. */
export function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; name: string } {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.+)$/.exec(urn);
    if (!m) throw new Error(`not a URN: ${urn}`);
    return { stack: m[1], project: m[2], qualifiedType: m[3], name: m[4] };
}

export function indexUrns(registrations: readonly Registration[]): UrnIndex {
    const byMockUrn = new Map(registrations.map((r) => [r.urn, r]));
    const qualified = new Map<string, string>();

    const qualifiedType = (reg: Registration): string => {
        const known = qualified.get(reg.urn);
        if (known !== undefined) return known;
        const parent = byMockUrn.get(reg.parent);
        // A parent that is not a registration is the root stack (or nothing).
        const type = parent === undefined || parent.type === ROOT_STACK_TYPE ? reg.type : `${qualifiedType(parent)}$${reg.type}`;
        qualified.set(reg.urn, type);
        return type;
    };

    const engineUrn = (mockUrn: string): string | undefined => {
        const reg = byMockUrn.get(mockUrn);
        if (reg === undefined) return undefined;
        const { stack, project } = parseUrn(reg.urn);
        return `urn:pulumi:${stack}::${project}::${qualifiedType(reg)}::${reg.name}`;
    };

    return {
        engineUrn,
        providerUrn: (reference) => (reference === "" ? undefined : engineUrn(reference.slice(0, reference.lastIndexOf("::")))),
        registration: (mockUrn) => byMockUrn.get(mockUrn),
    };
}
