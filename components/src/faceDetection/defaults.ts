import * as path from "path";
import { CropOutput, DEFAULT_CROP_OUTPUT, tuningWithDefaults } from "@crowd-emotions/face-detection-contract";
import { FaceDetectionEndpointArgs } from "./args";
import { DEFAULT_LOG_RETENTION_DAYS } from "../shared/logRetention";

/** The component's defaults; `resolveArgs` applies them without touching the caller's object. */
export const DEFAULTS = {
    instanceType: "ml.c5.large",
    initialInstanceCount: 1,
    containerStartupTimeoutSeconds: 600,
    serverlessMemorySizeMb: 3072,
    serverlessMaxConcurrency: 5,
    dataCapturePercentage: 100,
    blueGreenBakeSeconds: 600,
    targetInvocationsPerInstance: 300,
    errorAlarmThreshold: 1,
    latencyAlarmThresholdMs: 3000,
    cropsPrefix: "crops/",
    cropRetentionDays: 30,
    dockerfile: "container/Dockerfile",
    imageRetentionCount: 10,
} as const;

/** Where captured requests and responses go in the crops bucket when `dataCapture` is on. */
export const DATA_CAPTURE_PREFIX = "data-capture/";

/**
 * The repository that holds this package: `components/bin/faceDetection/` sits three levels below it, beside
 * `container/` and `contract/`, which the image build needs.
 */
export const DEFAULT_BUILD_CONTEXT = path.resolve(__dirname, "..", "..", "..");

/** Arguments with every default applied, as the builders of the children use them. */
export type ResolvedArgs = ReturnType<typeof resolveArgs>;

export function resolveArgs(name: string, args: FaceDetectionEndpointArgs) {
    const serverless = args.serverless ?? false;
    const autoscaling = args.autoscaling ?? false;
    const initialInstanceCount = args.initialInstanceCount ?? DEFAULTS.initialInstanceCount;
    const minInstanceCount = args.minInstanceCount ?? initialInstanceCount;
    return {
        vpc: args.vpc,
        ...args,
        endpointName: args.endpointName ?? name,
        serverless,
        instanceType: args.instanceType ?? DEFAULTS.instanceType,
        initialInstanceCount,
        containerStartupTimeoutSeconds: args.containerStartupTimeoutSeconds ?? DEFAULTS.containerStartupTimeoutSeconds,
        serverlessMemorySizeMb: args.serverlessMemorySizeMb ?? DEFAULTS.serverlessMemorySizeMb,
        serverlessMaxConcurrency: args.serverlessMaxConcurrency ?? DEFAULTS.serverlessMaxConcurrency,
        dataCapture: args.dataCapture ?? false,
        dataCapturePercentage: args.dataCapturePercentage ?? DEFAULTS.dataCapturePercentage,
        blueGreenDeployment: args.blueGreenDeployment ?? !serverless,
        blueGreenBakeSeconds: args.blueGreenBakeSeconds ?? DEFAULTS.blueGreenBakeSeconds,
        autoscaling,
        minInstanceCount,
        maxInstanceCount: args.maxInstanceCount ?? Math.max(minInstanceCount * 2, 2),
        targetInvocationsPerInstance: args.targetInvocationsPerInstance ?? DEFAULTS.targetInvocationsPerInstance,
        alarms: args.alarms ?? true,
        errorAlarmThreshold: args.errorAlarmThreshold ?? DEFAULTS.errorAlarmThreshold,
        latencyAlarmThresholdMs: args.latencyAlarmThresholdMs ?? DEFAULTS.latencyAlarmThresholdMs,
        createAlarmTopic: args.createAlarmTopic ?? false,
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        dashboard: args.dashboard ?? true,
        cropsPrefix: args.cropsPrefix ?? DEFAULTS.cropsPrefix,
        cropRetentionDays: args.cropRetentionDays ?? DEFAULTS.cropRetentionDays,
        bucketVersioning: args.bucketVersioning ?? false,
        forceDestroy: args.forceDestroy ?? false,
        createKmsKey: args.createKmsKey ?? false,
        eventBridgeNotifications: args.eventBridgeNotifications ?? false,
        buildContext: args.buildContext ?? DEFAULT_BUILD_CONTEXT,
        dockerfile: args.dockerfile ?? DEFAULTS.dockerfile,
        imageRetentionCount: args.imageRetentionCount ?? DEFAULTS.imageRetentionCount,
        buildImageOnPreview: args.buildImageOnPreview ?? false,
        tuning: tuningWithDefaults(args),
        // Validated by validateArgs before any child is built.
        cropOutput: (args.cropOutput ?? DEFAULT_CROP_OUTPUT) as CropOutput,
    };
}
