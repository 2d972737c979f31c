import {
    ApplicationAutoScalingClient, DeregisterScalableTargetCommand, DescribeScalableTargetsCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DescribeEndpointCommand, DescribeEndpointCommandOutput, DescribeEndpointConfigCommand, ListTagsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";
import { EndpointUpdateApi } from "./endpointUpdates";
import { FLEET_TAG } from "./fleetSize";
import { SCALABLE_DIMENSION, targetTrackingConfiguration } from "./scalingPolicy";

/**
 * The calls of `EndpointUpdateApi` on the AWS SDK, in the region the stack deploys to, with the
 * SDK's standard credentials (the environment, `AWS_PROFILE`, SSO, instance roles) and the stack's
 * `aws:profile` where it sets one, as the default AWS provider finds them. Credentials the provider
 * gets otherwise (`aws:assumeRoles`, an explicit provider) can't be read from the program: the
 * account check (`checkSameAccount`) stops an update that would read another account.
 */
export function awsEndpointUpdateApi(region: string, profile = new pulumi.Config("aws").get("profile")): EndpointUpdateApi {
    const common = { region, ...(profile && { profile }) };
    const sagemaker = new SageMakerClient(common);
    const scaling = new ApplicationAutoScalingClient(common);
    const sts = new STSClient(common);
    /** The endpoint, or `undefined`: SageMaker answers a missing one with ValidationException "Could not find endpoint". */
    const describeEndpoint = async (endpointName: string): Promise<DescribeEndpointCommandOutput | undefined> => {
        try {
            return await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
        } catch (error) {
            if ((error as Error).name === "ValidationException" && /Could not find/i.test((error as Error).message)) {
                return undefined;
            }
            throw error;
        }
    };
    const describeVariant = async (configName: string | undefined) => {
        const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
        return { config, variant: config.ProductionVariants?.find((v) => v.VariantName === VARIANT_NAME) };
    };
    return {
        async callerAccount() {
            return (await sts.send(new GetCallerIdentityCommand({}))).Account!;
        },
        async currentInstanceType(endpointName) {
            const endpoint = await describeEndpoint(endpointName);
            if (endpoint === undefined) {
                return { exists: false };
            }
            const { variant } = await describeVariant(endpoint.EndpointConfigName);
            return { exists: true, instanceType: variant?.InstanceType };
        },
        async liveFleet(endpointName) {
            const endpoint = await describeEndpoint(endpointName);
            if (endpoint === undefined) {
                return undefined;
            }
            const { config, variant } = await describeVariant(endpoint.EndpointConfigName);
            const tags = await sagemaker.send(new ListTagsCommand({ ResourceArn: config.EndpointConfigArn }));
            const running = endpoint.ProductionVariants?.find((v) => v.VariantName === VARIANT_NAME);
            return {
                fingerprint: tags.Tags?.find((tag) => tag.Key === FLEET_TAG)?.Value,
                initialInstanceCount: variant?.InitialInstanceCount,
                currentInstanceCount: running?.CurrentInstanceCount,
            };
        },
        async isScalableTarget(resourceId) {
            const found = await scaling.send(new DescribeScalableTargetsCommand({
                ServiceNamespace: "sagemaker", ResourceIds: [resourceId], ScalableDimension: SCALABLE_DIMENSION,
            }));
            return (found.ScalableTargets ?? []).length > 0;
        },
        async registerAutoscaling(resourceId, policyName, settings) {
            const target = { ServiceNamespace: "sagemaker" as const, ResourceId: resourceId, ScalableDimension: SCALABLE_DIMENSION };
            await scaling.send(new RegisterScalableTargetCommand({
                ...target, MinCapacity: settings.minInstanceCount, MaxCapacity: settings.maxInstanceCount,
            }));
            const policy = targetTrackingConfiguration(settings.targetInvocationsPerInstance);
            await scaling.send(new PutScalingPolicyCommand({
                ...target, PolicyName: policyName, PolicyType: "TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration: {
                    TargetValue: policy.targetValue,
                    PredefinedMetricSpecification: { PredefinedMetricType: policy.predefinedMetricSpecification.predefinedMetricType },
                    ScaleOutCooldown: policy.scaleOutCooldown,
                    ScaleInCooldown: policy.scaleInCooldown,
                },
            }));
        },
        async deregisterScalableTarget(resourceId) {
            await scaling.send(new DeregisterScalableTargetCommand({
                ServiceNamespace: "sagemaker", ResourceId: resourceId, ScalableDimension: SCALABLE_DIMENSION,
            }));
        },
    };
}

/**
 * Whether the engine takes resource hooks. Pulumi's unit-test mocks (`pulumi.runtime.setMocks`, SDK
 * 3.248) claim to but implement no `registerResourceHook`, and a registration with hooks then never
 * completes; a consumer's unit tests would hang. Hooks only act in real updates, which mocks never run.
 */
export function hooksSupported(): boolean {
    const monitor = pulumi.runtime.getMonitor() as { registerResourceHook?: unknown } | undefined;
    return typeof monitor?.registerResourceHook === "function";
}

/** Stands in for the AWS calls of endpoint updates; for this package's own tests. */
let standIn: ((region: string) => EndpointUpdateApi) | undefined;
export function useEndpointUpdateApi(api: ((region: string) => EndpointUpdateApi) | undefined): void {
    standIn = api;
}

/**
 * The AWS calls to make: a stand-in's, none under Pulumi's unit-test mocks (a consumer's tests
 * must not reach AWS), else the AWS SDK's.
 */
export function updateApiFor(): ((region: string) => EndpointUpdateApi) | undefined {
    if (standIn !== undefined) {
        return standIn;
    }
    return pulumi.runtime.getMonitor() instanceof MockMonitor ? undefined : awsEndpointUpdateApi;
}
