/**
 * The variant's target-tracking policy, as the component's resources and the endpoint's update hook
 * both write it: the hook registers it again when an update that had deregistered it failed.
 */
export const SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount" as const;

/** The policy's name: fixed, so that the hook can put the very policy the component manages. */
export const scalingPolicyName = (endpointName: string) => `${endpointName}-invocations-per-instance`;

/** Scale out fast, scale in slowly, on invocations per instance. */
export function targetTrackingConfiguration(targetInvocationsPerInstance: number) {
    return {
        targetValue: targetInvocationsPerInstance,
        predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" as const },
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
    };
}

/** What the variant's autoscaling is: the bounds of its target and its policy's setpoint. */
export interface ScalingSettings {
    readonly instanceType: string;
    readonly minInstanceCount: number;
    readonly maxInstanceCount: number;
    readonly targetInvocationsPerInstance: number;
}
