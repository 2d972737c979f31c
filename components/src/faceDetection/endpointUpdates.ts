import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";
import { LiveFleet } from "./fleetSize";
import { ScalingSettings, scalingPolicyName } from "./scalingPolicy";

/**
 * What an endpoint update needs to read and change in AWS beyond what the provider does: the
 * SageMaker, Application Auto Scaling and STS calls, behind an interface so that tests can stand in.
 */
export interface EndpointUpdateApi {
    /** The account these calls act in (STS GetCallerIdentity). */
    callerAccount(): Promise<string>;
    /** The instance type of the endpoint's variant now (`undefined` for serverless), or `undefined` if there is no endpoint. */
    currentInstanceType(endpointName: string): Promise<{ exists: boolean; instanceType?: string }>;
    /** Whether the variant is registered with Application Auto Scaling. */
    isScalableTarget(resourceId: string): Promise<boolean>;
    deregisterScalableTarget(resourceId: string): Promise<void>;
    /** Registers the variant with its bounds and puts its target-tracking policy (`scalingPolicy.ts`). */
    registerAutoscaling(resourceId: string, policyName: string, scaling: ScalingSettings): Promise<void>;
    /** The deployed endpoint's fleet, or `undefined` if there is no endpoint yet. */
    liveFleet(endpointName: string): Promise<LiveFleet | undefined>;
}

/** The variant's id in Application Auto Scaling. */
export const scalableResourceId = (endpointName: string) => `endpoint/${endpointName}/variant/${VARIANT_NAME}`;

/**
 * The program reads the live endpoint, and the update hook changes its autoscaling, with the AWS
 * SDK's credentials, while the resources are deployed with the stack's provider. Were they two
 * accounts, the program would read "no endpoint" in the wrong one and start a loaded fleet at its
 * initial size, and the hook would deregister nothing; so they must be one, or `pulumi up` stops.
 */
export function checkSameAccount(sdkAccount: string, providerAccount: string): void {
    if (sdkAccount !== providerAccount) {
        throw new Error(
            `The stack deploys to AWS account ${providerAccount}, but the credentials the component reads the live endpoint with ` +
            `(the AWS SDK's default chain: AWS_PROFILE, the environment, SSO, aws:profile in the stack) are of account ${sdkAccount}. ` +
            "With autoscaling, the component reads the deployed fleet and changes its autoscaling during updates, so both must be one account: " +
            "deploy with the credentials of the target account (e.g. `AWS_PROFILE=<that account's profile> pulumi up`) rather than " +
            "`aws:assumeRoles` or an explicit provider with other credentials, or turn `autoscaling` off.",
        );
    }
}

/**
 * SageMaker refuses an update from instances to serverless: "updating a real-time endpoint to
 * serverless is currently not supported" (SageMaker Developer Guide, "Update a serverless
 * endpoint"). Refused before anything changes, with the way to do it.
 */
export function checkServerlessSwitch(endpointName: string, live: { exists: boolean; instanceType?: string }, serverless: boolean): void {
    if (serverless && live.exists && live.instanceType !== undefined) {
        throw new Error(
            `Endpoint ${endpointName} runs on ${live.instanceType} instances, and SageMaker can't update an instance endpoint to serverless ` +
            "(\"updating a real-time endpoint to serverless is currently not supported\"). To move to serverless, give the endpoint a new " +
            "`endpointName` (Pulumi creates the serverless endpoint beside the old one and deletes the old one once it is up; point clients " +
            "at the new name), or remove `serverless` to keep the instances.",
        );
    }
}

/**
 * Before the endpoint's update, when the variant is autoscaled. SageMaker refuses `UpdateEndpoint`
 * when the update changes the instance type of a variant that is a registered scalable target
 * ("Update or delete endpoints that use auto scaling", SageMaker Developer Guide: deregister
 * first, register again after): this deregisters it, and the component's scalable target and
 * policy, whose replacement trigger is the instance type, are replaced after the update, which
 * registers them again. When the instance type stays but the variant is not registered, an earlier
 * update deregistered it and then failed (and the instance type was set back since): this registers
 * it again, as the component's target and policy describe it, which the provider would not do
 * (nothing in them changed). Returns what it did, for the log.
 */
export async function prepareAutoscaledUpdate(
    api: EndpointUpdateApi, endpointName: string, scaling: ScalingSettings,
): Promise<string | undefined> {
    const current = await api.currentInstanceType(endpointName);
    if (!current.exists) {
        return undefined;
    }
    const resourceId = scalableResourceId(endpointName);
    const registered = await api.isScalableTarget(resourceId);
    if (current.instanceType !== scaling.instanceType) {
        if (!registered) {
            return undefined;
        }
        await api.deregisterScalableTarget(resourceId);
        return `deregistered ${resourceId} from autoscaling before moving it from ${current.instanceType ?? "serverless"} ` +
            `to ${scaling.instanceType}; it is registered again after the update`;
    }
    if (registered) {
        return undefined;
    }
    await api.registerAutoscaling(resourceId, scalingPolicyName(endpointName), scaling);
    return `registered ${resourceId} with autoscaling again (${scaling.minInstanceCount}–${scaling.maxInstanceCount} instances): ` +
        "an earlier update had deregistered it and then failed";
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
