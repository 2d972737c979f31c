/**
 * The policy pack's entry. Constructing the PolicyPack starts the analyzer server the Pulumi CLI
 * talks to and never returns, so tests and the offline check import `./policies`, not this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("face-detection", {
    description: "Guardrails for the face-detection stacks: us-east-1 only, encrypted private buckets, least-privilege IAM, scanned immutable images.",
    enforcementLevel: "mandatory",
    policies: POLICIES,
});
