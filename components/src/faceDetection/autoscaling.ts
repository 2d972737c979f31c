import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";
import { Tags } from "../shared/tags";
import { SCALABLE_DIMENSION, scalingPolicyName, targetTrackingConfiguration } from "./scalingPolicy";

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
 * registered again. Should the update fail after the hook deregistered the variant, the next
 * update's hook registers it again (`endpointUpdates.ts`): the target and policy keep their
 * identity (the policy's name is fixed for that), so the provider sees no difference.
 */
export function createEndpointAutoscaling(
    name: string, args: EndpointAutoscalingArgs, parent: pulumi.Resource, dependsOn: pulumi.Resource[],
): { target: aws.appautoscaling.Target; policy: aws.appautoscaling.Policy } {
    const replacement = { replacementTrigger: args.instanceType, deleteBeforeReplace: true };
    const target = new aws.appautoscaling.Target(`${name}-scaling-target`, {
        serviceNamespace: "sagemaker",
        scalableDimension: SCALABLE_DIMENSION,
        resourceId: pulumi.interpolate`endpoint/${args.endpointName}/variant/${VARIANT_NAME}`,
        minCapacity: args.minInstanceCount,
        maxCapacity: args.maxInstanceCount,
        tags: args.tags,
    }, { parent, dependsOn, ...replacement });

    const policy = new aws.appautoscaling.Policy(`${name}-scaling-policy`, {
        name: pulumi.output(args.endpointName).apply(scalingPolicyName),
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: targetTrackingConfiguration(args.targetInvocationsPerInstance),
    }, { parent, ...replacement });

    return { target, policy };
}
