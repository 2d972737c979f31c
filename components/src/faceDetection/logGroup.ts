import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../shared/tags";

/** Where SageMaker writes an endpoint's container logs (SageMaker Developer Guide, "Log groups and streams"). */
export const endpointLogGroupName = (endpointName: string) => `/aws/sagemaker/Endpoints/${endpointName}`;

/**
 * The endpoint's log group, created before the endpoint with a retention: left to SageMaker, it is
 * created on first write and keeps every log line forever. An endpoint deployed before the
 * component created this group already has one; `pulumi import` adopts it (README,
 * "Troubleshooting").
 */
export function createEndpointLogGroup(
    name: string, endpointName: string, retentionInDays: number, tags: Tags, parent: pulumi.Resource,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(`${name}-endpoint-logs`, {
        name: endpointLogGroupName(endpointName),
        retentionInDays,
        tags,
    }, { parent });
}
