import { StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf, companionsOf } from "../lib/companions";
import { parseStatements } from "../lib/iamDocument";
import { deferToDeployment, read } from "../lib/known";
import { TYPES } from "../lib/types";

/** A Deny of every S3 action for every principal when `aws:SecureTransport` is false. */
function deniesInsecureTransport(document: unknown): boolean {
    const everyone = (principals: unknown) => principals === "*" || (principals as { AWS?: unknown })?.AWS === "*";
    return (parseStatements(document) ?? []).some((statement) =>
        statement.effect === "Deny"
        && (statement.actions.includes("s3:*") || statement.actions.includes("*"))
        && everyone(statement.principals)
        && String((statement.condition as any)?.Bool?.["aws:SecureTransport"]) === "false");
}

/** AWS Config s3-bucket-ssl-requests-only; Security Hub S3.5. */
export const bucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description: "S3 buckets must deny requests that don't use TLS "
        + "(AWS Config s3-bucket-ssl-requests-only; Security Hub S3.5).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        let unknown = false;
        for (const bucket of bucketsOf(args.resources)) {
            const policies = companionsOf(bucket, args.resources, [TYPES.bucketPolicy]);
            const documents = policies.map((p) => read(() => p.props.policy));
            if (documents.some((d) => !d.known)) {
                unknown = true; // A policy naming a new bucket's ARN is known only at deployment.
                continue;
            }
            if (!documents.some((d) => d.known && deniesInsecureTransport(d.value))) {
                reportViolation("S3 buckets must deny requests without TLS: add a bucket policy that denies s3:* when aws:SecureTransport is false.", bucket.urn);
            }
        }
        if (unknown) {
            deferToDeployment("policy");
        }
    },
};
