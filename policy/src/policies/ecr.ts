import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

/** Checkov CKV_AWS_163; AWS Config ecr-private-image-scanning-enabled. */
export const ecrScanOnPush: ResourceValidationPolicy = {
    name: "ecr-scan-on-push",
    description: "ECR repositories must scan images on push (Checkov CKV_AWS_163; AWS Config ecr-private-image-scanning-enabled).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.ecrRepository) {
            return;
        }
        const scan = read(() => args.props.imageScanningConfiguration?.scanOnPush);
        if (scan.known && scan.value !== true) {
            reportViolation("ECR repositories must scan images on push: set imageScanningConfiguration.scanOnPush to true.");
        }
    },
};

/** Checkov CKV_AWS_51; AWS Config ecr-private-tag-immutability-enabled. */
export const ecrImmutableTags: ResourceValidationPolicy = {
    name: "ecr-immutable-tags",
    description: "ECR repositories must have immutable tags (Checkov CKV_AWS_51; AWS Config ecr-private-tag-immutability-enabled).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.ecrRepository) {
            return;
        }
        const mutability = read(() => args.props.imageTagMutability as string | undefined);
        if (mutability.known && !String(mutability.value ?? "MUTABLE").startsWith("IMMUTABLE")) {
            reportViolation(`ECR repositories must have immutable tags: set imageTagMutability to IMMUTABLE (is ${mutability.value ?? "MUTABLE"}).`);
        }
    },
};
