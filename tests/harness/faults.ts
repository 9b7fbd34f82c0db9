// The fakes' injected faults: each one answers the next `times` requests it matches.

/** Which requests a fault answers, and how many of them. */
export interface FaultMatch {
    /** Default: every method. */
    readonly method?: string;
    /** Exact path, or a pattern. Default: every path. */
    readonly path?: string | RegExp;
    /** How many matching requests get the fault. Default 1. */
    readonly times?: number;
    /** How many matching requests to let through first (a request another fault answers counts too). Default 0. */
    readonly skip?: number;
}

export class FaultQueue<F extends FaultMatch> {
    private readonly queued: { fault: F; left: number; skipLeft: number }[] = [];

    add(fault: F): void {
        this.queued.push({ fault, left: fault.times ?? 1, skipLeft: fault.skip ?? 0 });
    }

    /** Drops every fault that has not fired yet. */
    clear(): void {
        this.queued.splice(0);
    }

    /**
     * The first fault, in the order added, that matches the request, has uses left and
     * nothing left to skip; that use is spent. Every other matching fault still skipping
     * counts the request as one it let through.
     */
    take(method: string, path: string): F | undefined {
        let taken: { fault: F; left: number } | undefined;
        for (const f of this.queued) {
            if (f.left <= 0) continue;
            if (f.fault.method !== undefined && f.fault.method !== method) continue;
            const p = f.fault.path;
            if (p !== undefined && (typeof p === "string" ? p !== path : !p.test(path))) continue;
            if (f.skipLeft > 0) f.skipLeft--;
            else taken ??= f;
        }
        if (taken === undefined) return undefined;
        taken.left--;
        return taken.fault;
    }
}
