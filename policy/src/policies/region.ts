import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

export const DEFAULT_ALLOWED_REGIONS = ["us-east-1"];

/**
 * Every AWS provider, explicit or default (whose inputs come from the stack's `aws:region`), and
 * every resource that overrides its provider's region (`region`, new in @pulumi/aws v7) stays in
 * the allowed regions. Types are compared as strings: `aws.Provider` never matches
 * `validateResourceOfType`.
 */
export const awsRegion: ResourceValidationPolicy = {
    name: "aws-region-us-east-1",
    description: "AWS providers and resources must be in us-east-1 (the workshop's services live there; "
        + "the equivalent of an SCP on aws:RequestedRegion).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { allowedRegions: { type: "array", items: { type: "string" }, default: DEFAULT_ALLOWED_REGIONS } },
    },
    validateResource: (args, reportViolation) => {
        const allowed = (args.getConfig<{ allowedRegions?: string[] }>().allowedRegions ?? DEFAULT_ALLOWED_REGIONS);
        const isProvider = args.type === TYPES.awsProvider;
        if (!isProvider && !args.type.startsWith("aws:")) {
            return;
        }
        const region = read(() => args.props.region as string | undefined);
        if (!region.known) {
            reportViolation(`The region of ${args.name} can't be known before deployment; AWS resources must be in ${allowed.join(", ")}.`);
        } else if (region.value === undefined || region.value === "") {
            if (isProvider) {
                reportViolation(`AWS provider ${args.name} has no region; set it to ${allowed.join(", ")} (for the default provider: \`pulumi config set aws:region us-east-1\`).`);
            }
        } else if (!allowed.includes(region.value)) {
            reportViolation(`${isProvider ? "AWS provider" : "Resource"} ${args.name} is in ${region.value}; AWS resources must be in ${allowed.join(", ")}.`);
        }
    },
};
