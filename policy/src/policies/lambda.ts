import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

/**
 * Checkov CKV_AWS_301 (function not publicly accessible) and CKV_AWS_258 (function URL with IAM
 * auth); AWS Config lambda-function-public-access-prohibited.
 */
export const lambdaNotPublic: ResourceValidationPolicy = {
    name: "lambda-not-public",
    description: "Lambda functions must not be invocable by anyone: no permission for principal \"*\" without a source "
        + "condition, no function URL without IAM auth (Checkov CKV_AWS_301, CKV_AWS_258; AWS Config lambda-function-public-access-prohibited).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.lambdaPermission) {
            const grant = read(() => ({
                principal: args.props.principal as unknown,
                sourceArn: args.props.sourceArn as unknown,
                sourceAccount: args.props.sourceAccount as unknown,
                principalOrgId: args.props.principalOrgId as unknown,
            }));
            // An unknown principal is an ARN of this stack's, never the literal "*".
            if (grant.known && grant.value.principal === "*" && !grant.value.sourceArn && !grant.value.sourceAccount && !grant.value.principalOrgId) {
                reportViolation(`Lambda functions must not be invocable by anyone: ${args.name} grants principal "*" with no source condition.`);
            }
        }
        if (args.type === TYPES.lambdaFunctionUrl) {
            const auth = read(() => args.props.authorizationType as unknown);
            if (auth.known && auth.value === "NONE") {
                reportViolation(`Lambda function URLs must require IAM auth: ${args.name} has authorizationType NONE.`);
            }
        }
    },
};
