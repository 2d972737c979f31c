import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";
import { ResolvedArgs } from "./defaults";
import { hooksSupported, updateApiFor } from "./endpointUpdateApi";
import { checkSameAccount, checkServedConfiguration, checkServerlessSwitch, EndpointUpdateApi, prepareAutoscaledUpdate } from "./endpointUpdates";
import { requireAutoscalingCli } from "./engineVersion";
import { FLEET_TAG, fleetFingerprint, fleetSize } from "./fleetSize";
import { Tags } from "../shared/tags";

export interface DetectorEndpointArgs {
    readonly settings: ResolvedArgs;
    readonly modelName: pulumi.Input<string>;
    /** `s3://bucket/prefix/` for data capture, when it is on. */
    readonly dataCaptureUri?: pulumi.Input<string>;
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Alarms that roll a blue/green update back; they exist as long as the endpoint does. */
    readonly rollbackAlarmNames: pulumi.Input<string>[];
    readonly tags: Tags;
    /** The region the endpoint runs in, where the live fleet is read. */
    readonly region: pulumi.Input<string>;
    /** The account the stack's provider deploys to; the live reads must be of the same one. */
    readonly accountId: pulumi.Input<string>;
    /** The log group SageMaker writes the endpoint's logs to; it must exist first. */
    readonly logGroup: pulumi.Resource;
}

export interface DetectorEndpoint {
    readonly endpointConfig: aws.sagemaker.EndpointConfiguration;
    readonly endpoint: aws.sagemaker.Endpoint;
    /**
     * The configuration the endpoint serves after `pulumi up`; it fails the update, naming the
     * cause, when that is not the configuration the update gave it (a rolled-back deployment).
     */
    readonly servedConfigName: pulumi.Output<string>;
}

function productionVariant(settings: ResolvedArgs, modelName: pulumi.Input<string>) {
    const common = { variantName: VARIANT_NAME, modelName, initialVariantWeight: 1 };
    if (settings.serverless) {
        return {
            ...common,
            serverlessConfig: {
                memorySizeInMb: settings.serverlessMemorySizeMb,
                maxConcurrency: settings.serverlessMaxConcurrency,
            },
        };
    }
    return {
        ...common,
        instanceType: settings.instanceType,
        initialInstanceCount: settings.initialInstanceCount,
        containerStartupHealthCheckTimeoutInSeconds: settings.containerStartupTimeoutSeconds,
    };
}

/**
 * Always present and always the same shape: the provider replaces an endpoint when
 * `deploymentConfig.autoRollbackConfiguration` changes (it is ForceNew in terraform-provider-aws's
 * internal/service/sagemaker/endpoint.go), and with a fixed endpoint name a replacement deletes the
 * endpoint before creating it again. So the rollback alarms are named whatever the settings, and
 * without `blueGreenDeployment` the bake is 0 s; blue/green with all-at-once traffic serves
 * serverless variants too (only rolling updates exclude them: "Exclusions", SageMaker Developer
 * Guide, deployment guardrails). The bake and its length change in place.
 */
function deploymentConfig(settings: ResolvedArgs, alarmNames: pulumi.Input<string>[]) {
    return {
        blueGreenUpdatePolicy: {
            trafficRoutingConfiguration: { type: "ALL_AT_ONCE", waitIntervalInSeconds: 0 },
            terminationWaitInSeconds: settings.blueGreenDeployment ? settings.blueGreenBakeSeconds : 0,
        },
        autoRollbackConfiguration: { alarms: alarmNames.map((alarmName) => ({ alarmName })) },
    };
}

/** The AWS calls of a region, once their account is known to be the stack's (`checkSameAccount`). */
export type LiveApi = (region: string, accountId: string) => Promise<EndpointUpdateApi>;

export function liveApiOf(updateApi: (region: string) => EndpointUpdateApi): LiveApi {
    return async (region, accountId) => {
        const api = updateApi(region);
        checkSameAccount(await api.callerAccount(), accountId);
        return api;
    };
}

/** The instance count of a new autoscaled configuration: the live fleet's, read in the stack's account. */
export async function liveFleetSize(
    liveApi: LiveApi | undefined, where: { region: string; accountId: string }, fingerprint: string, settings: ResolvedArgs,
): Promise<number> {
    const live = liveApi === undefined ? undefined : await (await liveApi(where.region, where.accountId)).liveFleet(settings.endpointName);
    return fleetSize(live, fingerprint, settings);
}

/**
 * Refuses a serverless variant where the live endpoint runs on instances (`checkServerlessSwitch`).
 * The read is a courtesy: where it can't be made (no credentials the SDK finds, another account),
 * SageMaker's own refusal remains, and the reason is logged at debug level.
 */
export async function checkLiveServerlessSwitch(
    liveApi: LiveApi, where: { region: string; accountId: string }, endpointName: string, debug: (message: string) => void = () => undefined,
): Promise<void> {
    let live: { exists: boolean; instanceType?: string };
    try {
        live = await (await liveApi(where.region, where.accountId)).currentInstanceType(endpointName);
    } catch (error) {
        debug(`Not checked whether ${endpointName} runs on instances: ${(error as Error).message}`);
        return;
    }
    checkServerlessSwitch(endpointName, live, true);
}

/**
 * The production variant of an autoscaled instance fleet: its instance count is the live fleet's
 * size whenever the configuration is new (`fleetSize.ts`), and the configuration is tagged with a
 * digest of everything else, by which the next update tells new from unchanged. The count is read
 * when the program runs: a plan saved by `pulumi preview --save-plan` holds the count of that
 * moment, and `pulumi up --plan` refuses the update if autoscaling has moved the fleet since
 * (README, "Changing a deployed stack").
 */
function autoscaledVariant(
    variant: ReturnType<typeof productionVariant>, rest: Record<string, unknown>, args: DetectorEndpointArgs, liveApi: LiveApi | undefined,
) {
    const { settings } = args;
    const { initialInstanceCount: _initial, ...settingsButCount } = variant as { initialInstanceCount?: number };
    const fingerprint = pulumi.output({ variant: settingsButCount, ...rest }).apply((all) => fleetFingerprint(all));
    // Hooks and replacement triggers carry autoscaling through instance-type changes; a Pulumi CLI
    // without them fails here, naming the version, rather than later and vaguely.
    const cli = pulumi.output(requireAutoscalingCli());
    const initialInstanceCount = pulumi.all([fingerprint, args.region, args.accountId, cli]).apply(([digest, region, accountId]) =>
        liveFleetSize(liveApi, { region, accountId }, digest, settings));
    return { variant: { ...settingsButCount, initialInstanceCount }, fingerprint };
}

/** A serverless variant, once the live endpoint is known not to run on instances. */
function serverlessVariant(variant: ReturnType<typeof productionVariant>, args: DetectorEndpointArgs, liveApi: LiveApi | undefined, parent: pulumi.Resource) {
    if (liveApi === undefined) {
        return variant;
    }
    return pulumi.all([args.region, args.accountId]).apply(async ([region, accountId]) => {
        try {
            await checkLiveServerlessSwitch(liveApi, { region, accountId }, args.settings.endpointName, (message) => pulumi.log.debug(message, parent));
        } catch (error) {
            throw new pulumi.ResourceError((error as Error).message, parent);
        }
        return variant;
    });
}

/**
 * The endpoint configuration and the endpoint. The configuration is auto-named: it can't change
 * in place, and a fixed name would collide with itself on replacement. The endpoint keeps its
 * name, so clients never see the swap.
 */
export function createDetectorEndpoint(name: string, args: DetectorEndpointArgs, parent: pulumi.Resource): DetectorEndpoint {
    const { settings } = args;
    const updateApi = updateApiFor();
    const rest = {
        kmsKeyArn: settings.volumeKmsKeyArn,
        dataCaptureConfig: args.dataCaptureUri === undefined ? undefined : {
            enableCapture: true,
            initialSamplingPercentage: settings.dataCapturePercentage,
            destinationS3Uri: args.dataCaptureUri,
            kmsKeyId: args.kmsKeyArn,
            captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
            captureContentTypeHeader: { jsonContentTypes: ["application/json"] },
        },
    };
    const liveApi = updateApi === undefined ? undefined : liveApiOf(updateApi);
    const variant = productionVariant(settings, args.modelName);
    const autoscaled = !settings.serverless && settings.autoscaling ? autoscaledVariant(variant, rest, args, liveApi) : undefined;
    const endpointConfig = new aws.sagemaker.EndpointConfiguration(`${name}-config`, {
        productionVariants: [autoscaled?.variant ?? (settings.serverless ? serverlessVariant(variant, args, liveApi, parent) : variant)],
        ...rest,
        tags: autoscaled ? { ...args.tags, [FLEET_TAG]: autoscaled.fingerprint } : args.tags,
    }, {
        parent,
        // Never deleted by an update: when an alarm rolls a blue/green update back, the endpoint
        // keeps serving the previous configuration, which the provider would otherwise delete
        // (terraform-provider-aws #46663, #48997) and later updates would fail to find. An
        // endpoint configuration costs nothing; old ones can be removed by hand (README).
        retainOnDelete: true,
    });

    const endpoint = new aws.sagemaker.Endpoint(`${name}-endpoint`, {
        name: settings.endpointName,
        endpointConfigName: endpointConfig.name,
        deploymentConfig: deploymentConfig(settings, args.rollbackAlarmNames),
        tags: args.tags,
    }, {
        parent,
        dependsOn: [args.logGroup],
        // Creating or updating an endpoint provisions instances and waits for health checks.
        customTimeouts: { create: "60m", update: "60m", delete: "30m" },
        // Only an autoscaled fleet needs the hook (`prepareAutoscaledUpdate`), so only it needs a
        // CLI that runs hooks; the account was checked when the live fleet was read.
        hooks: autoscaled && hooksSupported() && updateApi !== undefined ? {
            beforeUpdate: [async (hook) => {
                const region = String(hook.oldOutputs?.arn ?? "").split(":")[3];
                const done = await prepareAutoscaledUpdate(updateApi(region), settings.endpointName, settings);
                if (done !== undefined) {
                    pulumi.log.info(done, parent);
                }
            }],
        } : undefined,
    });

    // Read back after the update: the provider records the configuration SageMaker reports.
    const servedConfigName = pulumi.all([endpoint.endpointConfigName, endpointConfig.name]).apply(([served, given]) => {
        checkServedConfiguration(settings.endpointName, given, served);
        return served;
    });

    return { endpointConfig, endpoint, servedConfigName };
}
