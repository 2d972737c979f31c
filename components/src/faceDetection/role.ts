import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { documentWithInputs } from "../shared/documentInputs";
import { ExecutionRoleOptions, ExecutionRoleScope, executionRolePolicy, sageMakerTrustPolicy } from "./policyDocument";
import { Tags } from "../shared/tags";

export interface ExecutionRoleArgs {
    /** Each value may be known only after deployment; the document keeps its shape regardless. */
    readonly scope: { readonly [K in keyof ExecutionRoleScope]: pulumi.Input<ExecutionRoleScope[K]> };
    readonly options: ExecutionRoleOptions;
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
    readonly tags: Tags;
}

/** The endpoint's execution role: SageMaker may assume it, and its one inline policy is least-privilege. */
export function createExecutionRole(
    name: string, args: ExecutionRoleArgs, parent: pulumi.Resource,
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const role = new aws.iam.Role(`${name}-role`, {
        description: `SageMaker execution role of the ${name} face-detection endpoint`,
        assumeRolePolicy: JSON.stringify(sageMakerTrustPolicy()),
        permissionsBoundary: args.permissionsBoundaryArn,
        tags: args.tags,
    }, { parent });

    const policy = new aws.iam.RolePolicy(`${name}-role-policy`, {
        role: role.id,
        // A structure, not a JSON string: see documentInputs.ts.
        policy: documentWithInputs((scope: ExecutionRoleScope) => executionRolePolicy(scope, args.options), args.scope, ["kmsKeyArn", "dataCapturePrefix"]) as aws.types.input.iam.PolicyDocument,
    }, { parent });

    return { role, policy };
}
