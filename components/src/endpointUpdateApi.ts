import { ApplicationAutoScalingClient, DeregisterScalableTargetCommand, DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { VARIANT_NAME } from "face-detection-contract";
import { EndpointUpdateApi } from "./endpointUpdates";

const SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount";

/**
 * The calls of `EndpointUpdateApi` on the AWS SDK, in the region the stack deploys to, with the
 * SDK's standard credentials (the environment, `AWS_PROFILE`, SSO, instance roles), as the AWS
 * provider finds them when it is not given credentials of its own in stack configuration.
 */
export function awsEndpointUpdateApi(region: string): EndpointUpdateApi {
    const sagemaker = new SageMakerClient({ region });
    const scaling = new ApplicationAutoScalingClient({ region });
    return {
        async currentInstanceType(endpointName) {
            let configName: string | undefined;
            try {
                configName = (await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }))).EndpointConfigName;
            } catch (error) {
                // SageMaker answers a missing endpoint with ValidationException "Could not find endpoint".
                if ((error as Error).name === "ValidationException" && /Could not find/i.test((error as Error).message)) {
                    return { exists: false };
                }
                throw error;
            }
            const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
            const variant = config.ProductionVariants?.find((v) => v.VariantName === VARIANT_NAME);
            return { exists: true, instanceType: variant?.InstanceType };
        },
        async isScalableTarget(resourceId) {
            const found = await scaling.send(new DescribeScalableTargetsCommand({
                ServiceNamespace: "sagemaker", ResourceIds: [resourceId], ScalableDimension: SCALABLE_DIMENSION,
            }));
            return (found.ScalableTargets ?? []).length > 0;
        },
        async deregisterScalableTarget(resourceId) {
            await scaling.send(new DeregisterScalableTargetCommand({
                ServiceNamespace: "sagemaker", ResourceId: resourceId, ScalableDimension: SCALABLE_DIMENSION,
            }));
        },
    };
}
