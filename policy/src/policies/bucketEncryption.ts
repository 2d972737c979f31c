import { StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf, companionsOf } from "../lib/companions";
import { deferToDeployment, read } from "../lib/known";
import { TYPES } from "../lib/types";

export const ALLOWED_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/** The algorithms of a list of encryption rules; `undefined` when one can't be known yet. */
function algorithms(rules: () => unknown): string[] | undefined {
    const known = read(() => {
        const list = rules();
        const array = Array.isArray(list) ? list : list === undefined ? [] : [list];
        return array.map((rule: any) => String(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm ?? ""));
    });
    return known.known ? known.value : undefined;
}

/**
 * Every S3 bucket is encrypted at rest with AES256, aws:kms or aws:kms:dsse: inline (the deprecated
 * `serverSideEncryptionConfiguration` of a bucket) or by an encryption-configuration resource that
 * points to it. Checkov CKV_AWS_19; AWS Config s3-bucket-server-side-encryption-enabled.
 */
export const bucketEncryption: StackValidationPolicy = {
    name: "s3-bucket-encryption",
    description: "S3 buckets must be encrypted at rest with AES256, aws:kms or aws:kms:dsse "
        + "(Checkov CKV_AWS_19; AWS Config s3-bucket-server-side-encryption-enabled).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        let unknown = false;
        for (const bucket of bucketsOf(args.resources)) {
            const inline = algorithms(() => {
                const config = bucket.props.serverSideEncryptionConfiguration;
                return config?.rule ?? config?.rules;
            });
            const separate = companionsOf(bucket, args.resources, TYPES.encryptionConfigs)
                .map((config) => algorithms(() => config.props.rules ?? config.props.rule));
            const found = [inline, ...separate].filter((list): list is string[] => list !== undefined && list.length > 0);
            if (inline === undefined || separate.some((list) => list === undefined)) {
                unknown ||= found.length === 0;
                continue;
            }
            if (found.length === 0) {
                reportViolation("S3 buckets must be encrypted at rest: add a BucketServerSideEncryptionConfiguration for this bucket.", bucket.urn);
                continue;
            }
            const wrong = found.flat().filter((algorithm) => !ALLOWED_ALGORITHMS.includes(algorithm));
            if (wrong.length > 0) {
                reportViolation(`S3 buckets must be encrypted with ${ALLOWED_ALGORITHMS.join(", ")}; found "${wrong.join('", "')}".`, bucket.urn);
            }
        }
        if (unknown) {
            deferToDeployment("serverSideEncryptionConfiguration");
        }
    },
};
