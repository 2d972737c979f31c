import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ExecutionRoleScope, executionRolePolicy, sageMakerTrustPolicy } from "./policyDocument";
import { Tags } from "./tags";

export interface ExecutionRoleArgs {
    readonly scope: pulumi.Input<ExecutionRoleScope>;
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
        policy: pulumi.output(args.scope).apply((scope) => JSON.stringify(executionRolePolicy(scope))),
    }, { parent });

    return { role, policy };
}
