import { CROP_OUTPUTS, DETECTOR_TUNING, isCropOutput, NumericSetting, SETTINGS, validatePrefix } from "@crowd-emotions/face-detection-contract";
import { FaceDetectionEndpointArgs } from "./args";
import { checkLogRetention } from "../shared/logRetention";
import { checkNetworkArgs } from "../shared/network";
import { checkExclusive, checkRange, checkRequires, Problems } from "../shared/checks";
import { ecrRepositoryArn } from "./policyDocument";

/**
 * Ranges of the component's own numeric arguments. The detector's settings (`minConfidence`, …)
 * take theirs from the contract shared with the container.
 */
export const RANGES = {
    initialInstanceCount: { min: 1, max: 100, integer: true },
    containerStartupTimeoutSeconds: { min: 60, max: 3600, integer: true },
    serverlessMemorySizeMb: { min: 1024, max: 6144, integer: true },
    serverlessMaxConcurrency: { min: 1, max: 200, integer: true },
    dataCapturePercentage: { min: 1, max: 100, integer: true },
    blueGreenBakeSeconds: { min: 0, max: 3600, integer: true },
    minInstanceCount: { min: 1, max: 100, integer: true },
    maxInstanceCount: { min: 1, max: 100, integer: true },
    targetInvocationsPerInstance: { min: 1, max: 100000, integer: true },
    errorAlarmThreshold: { min: 1, max: 100000, integer: true },
    latencyAlarmThresholdMs: { min: 100, max: 60000, integer: true },
    cropRetentionDays: { min: 1, max: 3650, integer: true },
    imageRetentionCount: { min: 1, max: 1000, integer: true },
} as const satisfies Record<string, NumericSetting>;

/** Detector settings that the component passes on to the container. */
export const DETECTOR_ARGS = [...DETECTOR_TUNING, "workers"] as const;

const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const INSTANCE_TYPE_PATTERN = /^ml\.([a-z0-9-]+)\.([a-z0-9]+)$/;
/** Graviton families (`c6g`, `m7gd`, …) run arm64 only; the detector image is linux/amd64. */
const ARM_FAMILY_PATTERN = /^[a-z]+\d+g[a-z]*$/;

export function validateEndpointName(endpointName: string, source: string): void {
    if (!ENDPOINT_NAME_PATTERN.test(endpointName)) {
        throw new Error(
            `${source} "${endpointName}" is not a valid SageMaker endpoint name: ` +
            "use 1-63 letters, digits and hyphens, starting and ending with a letter or digit.",
        );
    }
}

export function validateInstanceType(instanceType: string): void {
    const match = INSTANCE_TYPE_PATTERN.exec(instanceType);
    if (!match) {
        throw new Error(
            `\`instanceType\` must look like ml.<family>.<size> (e.g. ml.c5.large), got "${instanceType}".`,
        );
    }
    if (ARM_FAMILY_PATTERN.test(match[1])) {
        throw new Error(
            `\`instanceType\` "${instanceType}" is an Arm (Graviton) type; the detector image is built for linux/amd64.`,
        );
    }
}

/** An image reference pinned to one manifest. */
const BY_DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * A prebuilt image: in Amazon ECR (SageMaker pulls from nowhere else; a public image reaches it
 * through an ECR pull-through cache rule, whose repositories are ECR repositories of the account),
 * in the stack's region where it is known (SageMaker pulls from the model's region), and by digest,
 * so that the model, its rollbacks and every instance that scales out run the same bytes, whatever
 * a tag is later moved to.
 */
export function validateImageUri(imageUri: string, region?: string): void {
    const repository = ecrRepositoryArn(imageUri);
    if (repository === undefined) {
        throw new Error(
            `\`imageUri\` must be an Amazon ECR image (<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>; ` +
            `a public image through an ECR pull-through cache rule), got "${imageUri}".`,
        );
    }
    if (!BY_DIGEST.test(imageUri)) {
        throw new Error(
            `\`imageUri\` must name the image by digest (…@sha256:<64 hex digits>, as \`docker buildx imagetools inspect\` or ` +
            `\`aws ecr describe-images\` show it), not by tag, got "${imageUri}".`,
        );
    }
    const imageRegion = repository.split(":")[3];
    if (region !== undefined && imageRegion !== region) {
        throw new Error(
            `\`imageUri\` is in ${imageRegion}, but the endpoint is deployed to ${region}: SageMaker pulls images from its own region; ` +
            `replicate the repository there (ECR replication) or push the image to ${region}, got "${imageUri}".`,
        );
    }
}

export function validateServerlessMemory(memorySizeMb: number | undefined): void {
    checkRange("serverlessMemorySizeMb", memorySizeMb, RANGES.serverlessMemorySizeMb);
    if (memorySizeMb !== undefined && memorySizeMb % 1024 !== 0) {
        throw new Error(`\`serverlessMemorySizeMb\` must be a multiple of 1024 from 1024 to 6144, got ${memorySizeMb}.`);
    }
}

export function validateCropsPrefix(prefix: string | undefined): void {
    const problem = prefix === undefined ? undefined : validatePrefix(prefix);
    if (problem) {
        throw new Error(`\`cropsPrefix\` ${problem}, got "${prefix}".`);
    }
}

/**
 * Validates every argument that can be checked before deployment, synchronously, so a bad value
 * fails `pulumi preview` with a message that names it rather than failing in AWS minutes later;
 * with several bad values, one error names them all.
 */
export function validateArgs(name: string, args: FaceDetectionEndpointArgs): void {
    const set = (key: keyof FaceDetectionEndpointArgs) => args[key] !== undefined;
    const on = (key: keyof FaceDetectionEndpointArgs) => args[key] === true;
    const problems = new Problems();
    const check = (validate: () => void) => problems.check(validate);

    for (const [key, range] of Object.entries(RANGES)) {
        check(() => checkRange(key, args[key as keyof typeof RANGES], range));
    }
    for (const key of DETECTOR_ARGS) {
        check(() => checkRange(key, args[key], SETTINGS[key]));
    }
    if (args.cropOutput !== undefined && !isCropOutput(args.cropOutput)) {
        problems.add(`\`cropOutput\` must be one of ${CROP_OUTPUTS.map((o) => `"${o}"`).join(", ")}, got "${args.cropOutput}".`);
    }
    check(() => validateServerlessMemory(args.serverlessMemorySizeMb));
    check(() => checkLogRetention("logRetentionDays", args.logRetentionDays));
    check(() => validateCropsPrefix(args.cropsPrefix));
    const { instanceType, endpointName, imageUri } = args;
    if (instanceType !== undefined) {
        check(() => validateInstanceType(instanceType));
    }
    if (endpointName !== undefined) {
        check(() => validateEndpointName(endpointName, "`endpointName`"));
    } else {
        check(() => validateEndpointName(name, "The component name (the default `endpointName`)"));
    }

    // Serverless variants have no instances to size, scale, encrypt or swap.
    for (const key of ["instanceType", "initialInstanceCount", "containerStartupTimeoutSeconds", "volumeKmsKeyArn"] as const) {
        check(() => checkExclusive("serverless", on("serverless"), key, set(key)));
    }
    for (const key of ["autoscaling", "dataCapture"] as const) {
        check(() => checkExclusive("serverless", on("serverless"), key, on(key)));
    }
    // Serverless Inference excludes VPC configuration (SageMaker Developer Guide, Serverless
    // Inference, "Feature exclusions").
    check(() => checkExclusive("serverless", on("serverless"), "vpc", set("vpc")));
    for (const key of ["serverlessMemorySizeMb", "serverlessMaxConcurrency"] as const) {
        check(() => checkRequires(key, set(key), "serverless", on("serverless")));
    }
    for (const key of ["minInstanceCount", "maxInstanceCount", "targetInvocationsPerInstance"] as const) {
        check(() => checkRequires(key, set(key), "autoscaling", on("autoscaling")));
    }
    check(() => checkRequires("dataCapturePercentage", set("dataCapturePercentage"), "dataCapture", on("dataCapture")));
    check(() => checkRequires("blueGreenBakeSeconds", set("blueGreenBakeSeconds"), "blueGreenDeployment", args.blueGreenDeployment ?? !on("serverless")));
    // The alarms exist whatever `alarms` says (they guard every update); `alarms` turns their
    // notifications on, so only the notification settings need it.
    for (const key of ["alarmTopicArn", "createAlarmTopic"] as const) {
        check(() => checkRequires(key, set(key) && args[key] !== false, "alarms", args.alarms !== false));
    }
    check(() => checkExclusive("alarmTopicArn", set("alarmTopicArn"), "createAlarmTopic", on("createAlarmTopic")));
    for (const key of ["alarmEmails", "alarmHttpsEndpoints"] as const) {
        check(() => checkRequires(key, (args[key]?.length ?? 0) > 0, "alarmTopicArn` or `createAlarmTopic", set("alarmTopicArn") || on("createAlarmTopic")));
    }
    check(() => validateSubscribers(args));

    check(() => checkExclusive("roleArn", set("roleArn"), "rolePermissionsBoundaryArn", set("rolePermissionsBoundaryArn")));
    for (const key of ["cropRetentionDays", "bucketVersioning", "createKmsKey", "eventBridgeNotifications"] as const) {
        check(() => checkExclusive("bucketName", set("bucketName"), key, set(key) && args[key] !== false));
    }
    check(() => checkExclusive("kmsKeyArn", set("kmsKeyArn"), "createKmsKey", on("createKmsKey")));
    for (const key of ["buildContext", "dockerfile", "imageRetentionCount"] as const) {
        check(() => checkExclusive("imageUri", set("imageUri"), key, set(key)));
    }
    check(() => checkExclusive("imageUri", set("imageUri"), "buildImageOnPreview", on("buildImageOnPreview")));

    if (typeof imageUri === "string") {
        // The region is the provider's, known only once the program runs: checked there too.
        check(() => validateImageUri(imageUri));
    }
    if (on("autoscaling")) {
        check(() => validateScalingBounds(args));
    }
    checkNetworkArgs(args.vpc, problems, { endpointOption: true, createsBucket: !set("bucketName") });
    problems.throwIfAny();
}

/** A plain address: something, one @, a domain with a dot; SNS sends the confirmation there. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Alarm subscribers: e-mail addresses and HTTPS URLs (SNS's `email` and `https` protocols). */
function validateSubscribers(args: FaceDetectionEndpointArgs): void {
    for (const email of args.alarmEmails ?? []) {
        if (typeof email !== "string" || !EMAIL_PATTERN.test(email)) {
            throw new Error(`\`alarmEmails\` must hold e-mail addresses, got ${JSON.stringify(email)}.`);
        }
    }
    for (const url of args.alarmHttpsEndpoints ?? []) {
        let parsed: URL | undefined;
        try {
            parsed = new URL(url);
        } catch {
            parsed = undefined;
        }
        if (typeof url !== "string" || parsed?.protocol !== "https:") {
            throw new Error(`\`alarmHttpsEndpoints\` must hold https:// URLs, got ${JSON.stringify(url)}.`);
        }
    }
}

/** With autoscaling, min ≤ initial ≤ max must hold. */
function validateScalingBounds(args: FaceDetectionEndpointArgs): void {
    const initial = args.initialInstanceCount ?? 1;
    const min = args.minInstanceCount ?? initial;
    const max = args.maxInstanceCount ?? Math.max(min * 2, 2);
    if (min > max) {
        throw new Error(`\`minInstanceCount\` (${min}) must not exceed \`maxInstanceCount\` (${max}).`);
    }
    if (initial < min || initial > max) {
        throw new Error(
            `\`initialInstanceCount\` (${initial}) must lie between \`minInstanceCount\` (${min}) and \`maxInstanceCount\` (${max}).`,
        );
    }
}
