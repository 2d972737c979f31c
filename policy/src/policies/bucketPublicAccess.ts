import { StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf, companionsOf } from "../lib/companions";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

const BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** Checkov CKV2_AWS_6; AWS Config s3-bucket-level-public-access-prohibited. */
export const bucketPublicAccess: StackValidationPolicy = {
    name: "s3-bucket-public-access-block",
    description: "S3 buckets must block all public access with all four public-access blocks "
        + "(Checkov CKV2_AWS_6; AWS Config s3-bucket-level-public-access-prohibited).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketsOf(args.resources)) {
            const blocks = companionsOf(bucket, args.resources, [TYPES.publicAccessBlock]);
            if (blocks.length === 0) {
                reportViolation("S3 buckets must block public access: add a BucketPublicAccessBlock with all four blocks on.", bucket.urn);
                continue;
            }
            const off = BLOCKS.filter((block) => !blocks.some((b) => {
                const value = read(() => b.props[block]);
                return value.known && value.value === true;
            }));
            if (off.length > 0) {
                reportViolation(`S3 buckets must block public access: ${off.join(", ")} must be true.`, bucket.urn);
            }
        }
    },
};
