import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

/** Checkov CKV_AWS_119; AWS Config dynamodb-table-encrypted-kms. */
export const dynamodbEncrypted: ResourceValidationPolicy = {
    name: "dynamodb-encrypted-kms",
    description: "DynamoDB tables must be encrypted with a KMS key, AWS-managed or the customer's, not DynamoDB's own "
        + "(Checkov CKV_AWS_119; AWS Config dynamodb-table-encrypted-kms).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.dynamodbTable) {
            return;
        }
        const enabled = read(() => (args.props.serverSideEncryption as { enabled?: unknown } | undefined)?.enabled);
        if (enabled.known && enabled.value !== true) {
            reportViolation(`DynamoDB tables must be encrypted with a KMS key: set serverSideEncryption.enabled on ${args.name}.`);
        }
    },
};

/** Checkov CKV_AWS_28; AWS Config dynamodb-pitr-enabled. */
export const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
    name: "dynamodb-point-in-time-recovery",
    description: "DynamoDB tables must have point-in-time recovery on (Checkov CKV_AWS_28; AWS Config dynamodb-pitr-enabled).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.dynamodbTable) {
            return;
        }
        const enabled = read(() => (args.props.pointInTimeRecovery as { enabled?: unknown } | undefined)?.enabled);
        if (enabled.known && enabled.value !== true) {
            reportViolation(`DynamoDB tables must have point-in-time recovery: set pointInTimeRecovery.enabled on ${args.name}.`);
        }
    },
};
