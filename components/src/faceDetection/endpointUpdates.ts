import { VARIANT_NAME } from "face-detection-contract";
import { LiveFleet } from "./fleetSize";

/**
 * What an endpoint update needs to read and change in AWS beyond what the provider does: the
 * SageMaker and Application Auto Scaling calls, behind an interface so that tests can stand in.
 */
export interface EndpointUpdateApi {
    /** The instance type of the endpoint's variant now (`undefined` for serverless), or `undefined` if there is no endpoint. */
    currentInstanceType(endpointName: string): Promise<{ exists: boolean; instanceType?: string }>;
    /** Whether the variant is registered with Application Auto Scaling. */
    isScalableTarget(resourceId: string): Promise<boolean>;
    deregisterScalableTarget(resourceId: string): Promise<void>;
    /** The deployed endpoint's fleet, or `undefined` if there is no endpoint yet. */
    liveFleet(endpointName: string): Promise<LiveFleet | undefined>;
}

/** The variant's id in Application Auto Scaling. */
export const scalableResourceId = (endpointName: string) => `endpoint/${endpointName}/variant/${VARIANT_NAME}`;

/**
 * Before the endpoint moves to another instance type: SageMaker refuses `UpdateEndpoint` when the
 * update changes the instance type of a variant that is a registered scalable target ("Update or
 * delete endpoints that use auto scaling", SageMaker Developer Guide: deregister first, register
 * again after). This deregisters it; the component's scalable target and policy are replaced after
 * the update (their replacement trigger is the instance type), which registers them again.
 * Returns what it did, for the log.
 */
export async function deregisterBeforeInstanceTypeChange(
    api: EndpointUpdateApi, endpointName: string, instanceType: string | undefined,
): Promise<string | undefined> {
    const current = await api.currentInstanceType(endpointName);
    if (!current.exists || current.instanceType === instanceType) {
        return undefined;
    }
    const resourceId = scalableResourceId(endpointName);
    if (!(await api.isScalableTarget(resourceId))) {
        return undefined;
    }
    await api.deregisterScalableTarget(resourceId);
    return `deregistered ${resourceId} from autoscaling before moving it from ${current.instanceType ?? "serverless"} ` +
        `to ${instanceType ?? "serverless"}; it is registered again after the update`;
}

/**
 * The message `pulumi up` fails with when the endpoint is not on the configuration it was given:
 * the blue/green update was rolled back by an alarm (or stopped), and the endpoint serves the
 * previous configuration, which the component therefore never deletes.
 */
export function checkServedConfiguration(endpointName: string, given: string, served: string): void {
    if (served !== given) {
        throw new Error(
            `Endpoint ${endpointName} serves endpoint configuration ${served}, not ${given} that this update gave it: ` +
            "the blue/green update was rolled back (an alarm fired during the bake) or did not finish. " +
            `The endpoint still serves the previous fleet; see its events with \`aws sagemaker describe-endpoint --endpoint-name ${endpointName}\` ` +
            "and the alarms' history. Fix the cause, then `pulumi refresh` and `pulumi up` to deploy again.",
        );
    }
}
