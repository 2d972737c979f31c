import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "face-detection-contract";
import { ResolvedArgs } from "./defaults";
import { Tags } from "./tags";

export interface DetectorEndpointArgs {
    readonly settings: ResolvedArgs;
    readonly modelName: pulumi.Input<string>;
    /** `s3://bucket/prefix/` for data capture, when it is on. */
    readonly dataCaptureUri?: pulumi.Input<string>;
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Alarms that roll a blue/green update back. */
    readonly rollbackAlarmNames: pulumi.Input<string>[];
    readonly tags: Tags;
}

export interface DetectorEndpoint {
    readonly endpointConfig: aws.sagemaker.EndpointConfiguration;
    readonly endpoint: aws.sagemaker.Endpoint;
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

function deploymentConfig(settings: ResolvedArgs, alarmNames: pulumi.Input<string>[]) {
    if (!settings.blueGreenDeployment) {
        return undefined;
    }
    return {
        blueGreenUpdatePolicy: {
            trafficRoutingConfiguration: { type: "ALL_AT_ONCE", waitIntervalInSeconds: 0 },
            terminationWaitInSeconds: settings.blueGreenBakeSeconds,
        },
        autoRollbackConfiguration: alarmNames.length > 0
            ? { alarms: alarmNames.map((alarmName) => ({ alarmName })) }
            : undefined,
    };
}

/**
 * The endpoint configuration and the endpoint. The configuration is auto-named: it can't change
 * in place, and a fixed name would collide with itself on replacement. The endpoint keeps its
 * name, so clients never see the swap.
 */
export function createDetectorEndpoint(name: string, args: DetectorEndpointArgs, parent: pulumi.Resource): DetectorEndpoint {
    const { settings } = args;
    const endpointConfig = new aws.sagemaker.EndpointConfiguration(`${name}-config`, {
        productionVariants: [productionVariant(settings, args.modelName)],
        kmsKeyArn: settings.volumeKmsKeyArn,
        dataCaptureConfig: args.dataCaptureUri === undefined ? undefined : {
            enableCapture: true,
            initialSamplingPercentage: settings.dataCapturePercentage,
            destinationS3Uri: args.dataCaptureUri,
            kmsKeyId: args.kmsKeyArn,
            captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
            captureContentTypeHeader: { jsonContentTypes: ["application/json"] },
        },
        tags: args.tags,
    }, { parent });

    const endpoint = new aws.sagemaker.Endpoint(`${name}-endpoint`, {
        name: settings.endpointName,
        endpointConfigName: endpointConfig.name,
        deploymentConfig: deploymentConfig(settings, args.rollbackAlarmNames),
        tags: args.tags,
    }, {
        parent,
        // Creating or updating an endpoint provisions instances and waits for health checks.
        customTimeouts: { create: "60m", update: "60m", delete: "30m" },
    });

    return { endpointConfig, endpoint };
}
