/**
 * The program behind every stack: one face-detection endpoint, configured by `Pulumi.<stack>.yaml`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CrowdEmotions, FaceDetectionEndpoint } from "@crowd-emotions/face-detection";
import { parseStackConfig } from "./config";

const settings = parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());

const detector = new FaceDetectionEndpoint(settings.name, {
    ...settings.args,
    tags: { environment: pulumi.getStack(), ...settings.args.tags },
});

const emotions = settings.emotions === undefined ? undefined : CrowdEmotions.forDetector(`${settings.name}-emotions`, detector, {
    ...settings.emotions,
    tags: { environment: pulumi.getStack(), ...settings.args.tags },
});

export const region = settings.region;
export const endpointName = detector.endpointName;
export const endpointArn = detector.endpointArn;
export const bucketName = detector.bucketName;
export const cropsPrefix = detector.cropsPrefix;
export const roleArn = detector.roleArn;
export const imageUri = detector.imageUri;
export const modelName = detector.modelName;
export const alarmTopicArn = detector.alarmTopicArn;
export const emotionsTableName = emotions?.tableName;
export const emotionsDashboardName = emotions?.dashboardName;
export const emotionsFunctionName = emotions?.functionName;
