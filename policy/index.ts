// The raxx-platform policy pack. `pulumi preview --policy-pack policy` runs it;
// the policies themselves live in policies.ts, which the tests import, because
// constructing a PolicyPack starts its gRPC server. See docs/operations.md.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("raxx-platform", { policies: [...POLICIES] });
