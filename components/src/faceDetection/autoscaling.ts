import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "face-detection-contract";
import { Tags } from "../shared/tags";

export interface EndpointAutoscalingArgs {
    readonly endpointName: pulumi.Input<string>;
    readonly minInstanceCount: number;
    readonly maxInstanceCount: number;
    readonly targetInvocationsPerInstance: number;
    /** The variant's instance type: a change replaces the target and policy (see below). */
    readonly instanceType: string;
    readonly tags: Tags;
}

/**
 * Target tracking on invocations per instance: scale out fast, scale in slowly.
 *
 * An instance-type change needs the variant out of autoscaling during the endpoint update: the
 * endpoint's before-update hook deregisters it (`endpointUpdates.ts`), and the target and policy,
 * whose replacement trigger is the instance type, are then replaced after the update: deleted
 * first (they have the same identity, so a create-before-delete would deregister the new one) and
 * registered again.
 */
export function createEndpointAutoscaling(
    name: string, args: EndpointAutoscalingArgs, parent: pulumi.Resource, dependsOn: pulumi.Resource[],
): { target: aws.appautoscaling.Target; policy: aws.appautoscaling.Policy } {
    const replacement = { replacementTrigger: args.instanceType, deleteBeforeReplace: true };
    const target = new aws.appautoscaling.Target(`${name}-scaling-target`, {
        serviceNamespace: "sagemaker",
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        resourceId: pulumi.interpolate`endpoint/${args.endpointName}/variant/${VARIANT_NAME}`,
        minCapacity: args.minInstanceCount,
        maxCapacity: args.maxInstanceCount,
        tags: args.tags,
    }, { parent, dependsOn, ...replacement });

    const policy = new aws.appautoscaling.Policy(`${name}-scaling-policy`, {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
            targetValue: args.targetInvocationsPerInstance,
            predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
        },
    }, { parent, ...replacement });

    return { target, policy };
}
