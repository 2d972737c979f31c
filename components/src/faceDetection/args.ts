import * as pulumi from "@pulumi/pulumi";
import { NetworkArgs } from "../shared/network";

/**
 * Arguments of {@link FaceDetectionEndpoint}. Every argument is optional: with none, the component
 * builds the detector image from this repository's `container/`, stores crops in a new SSE-S3
 * encrypted bucket and serves them from one `ml.c5.large` instance.
 */
export interface FaceDetectionEndpointArgs {
    // ---------------------------------------------------------------- endpoint

    /**
     * Name of the SageMaker endpoint: what clients pass to `InvokeEndpoint`. It stays the same
     * across updates; the model and endpoint configuration behind it are replaced.
     * 1–63 characters matching `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`
     * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html).
     * @default the component's name
     */
    readonly endpointName?: string;

    /**
     * Instance type of the production variant, `ml.<family>.<size>` (e.g. `ml.c5.large`).
     * Excludes `serverless`.
     * @default "ml.c5.large"
     */
    readonly instanceType?: string;

    /**
     * Instances started with the endpoint, 1–100. With `autoscaling` it must lie between
     * `minInstanceCount` and `maxInstanceCount`. Excludes `serverless`.
     * @default 1
     */
    readonly initialInstanceCount?: number;

    /**
     * Seconds SageMaker waits for the container's `/ping` to answer 200 after start, 60–3600
     * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html).
     * Excludes `serverless`.
     * @default 600
     */
    readonly containerStartupTimeoutSeconds?: number;

    /**
     * Serve from a serverless variant instead of instances: no cost when idle, cold starts after.
     * Excludes `instanceType`, `initialInstanceCount`, `containerStartupTimeoutSeconds`,
     * `autoscaling`, `volumeKmsKeyArn` and `dataCapture`. Switching a deployed endpoint between
     * serverless and instances updates it blue/green; it is never replaced.
     * @default false
     */
    readonly serverless?: boolean;

    /**
     * Memory of the serverless variant in MB: 1024–6144 in steps of 1024
     * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html).
     * Only with `serverless`.
     * @default 3072
     */
    readonly serverlessMemorySizeMb?: number;

    /**
     * Concurrent invocations of the serverless variant, 1–200. Only with `serverless`.
     * @default 5
     */
    readonly serverlessMaxConcurrency?: number;

    /**
     * KMS key that encrypts the ML storage volume of the endpoint's instances. Instance types
     * with NVMe instance storage (e.g. `ml.g4dn`) don't take one. Excludes `serverless`.
     * @default the volume is encrypted with an AWS-managed key
     */
    readonly volumeKmsKeyArn?: pulumi.Input<string>;

    /**
     * Capture requests and responses to the crops bucket under `data-capture/`, for model
     * monitoring. Serverless variants don't support it.
     * @default false
     */
    readonly dataCapture?: boolean;

    /**
     * Percentage of invocations captured, 1–100. Only with `dataCapture`.
     * @default 100
     */
    readonly dataCapturePercentage?: number;

    /**
     * Bake every endpoint update: the new fleet takes the traffic and is watched by the component's
     * alarms for `blueGreenBakeSeconds` while the old fleet stands by, and the update rolls back
     * when an alarm fires. Off, SageMaker still updates blue/green, with all traffic at once and
     * no bake (the alarms can then roll back only while the update runs). Toggling it changes the
     * endpoint in place.
     * @default true, unless `serverless`
     */
    readonly blueGreenDeployment?: boolean;

    /**
     * Seconds the new fleet serves all traffic, watched by the alarms, before the old fleet is
     * terminated, 0–3600. Only with `blueGreenDeployment`. Both fleets run, and are billed, during
     * the bake: the account's instance quota must hold twice the fleet.
     * @default 600
     */
    readonly blueGreenBakeSeconds?: number;

    // ---------------------------------------------------------------- autoscaling

    /**
     * Scale the instance count with target tracking on `SageMakerVariantInvocationsPerInstance`.
     * Excludes `serverless`.
     * @default false
     */
    readonly autoscaling?: boolean;

    /**
     * Fewest instances, 1–100. Only with `autoscaling`.
     * @default `initialInstanceCount`
     */
    readonly minInstanceCount?: number;

    /**
     * Most instances, `minInstanceCount`–100. Only with `autoscaling`.
     * @default twice `minInstanceCount`
     */
    readonly maxInstanceCount?: number;

    /**
     * Invocations per instance per minute that autoscaling aims for, 1–100000. Only with
     * `autoscaling`.
     * @default 300 (about 5 images/s per instance)
     */
    readonly targetInvocationsPerInstance?: number;

    // ---------------------------------------------------------------- alarms and dashboard

    /**
     * Let the CloudWatch alarms on invocation 5XX errors and p99 model latency act: notify the
     * alarm topic. The two alarms exist either way: they are the endpoint's blue/green rollback
     * alarms, which can't change without replacing the endpoint. Toggling this changes the alarms
     * in place.
     * @default true
     */
    readonly alarms?: boolean;

    /**
     * 5XX errors in one minute that set off the error alarm (and roll an update back), 1–100000.
     * @default 1
     */
    readonly errorAlarmThreshold?: number;

    /**
     * p99 model latency in milliseconds that sets off the latency alarm (and rolls an update
     * back), 100–60000.
     * @default 3000
     */
    readonly latencyAlarmThresholdMs?: number;

    /**
     * Send the crops bucket's events to Amazon EventBridge, where the emotion stage
     * (`CrowdEmotions`) picks up new face sheets. Excludes `bucketName` (a bucket the component does
     * not own keeps its own notification configuration).
     * @default false
     */
    readonly eventBridgeNotifications?: boolean;

    /**
     * Existing SNS topic that the alarms notify. Excludes `createAlarmTopic`; only with `alarms`.
     * @default no notifications
     */
    readonly alarmTopicArn?: pulumi.Input<string>;

    /**
     * Create an encrypted SNS topic that the alarms notify; subscribe to it yourself. Excludes
     * `alarmTopicArn`; only with `alarms`.
     * @default false
     */
    readonly createAlarmTopic?: boolean;

    /**
     * E-mail addresses subscribed to the alarm topic (created or given). Each address gets a
     * message from AWS to confirm first; until then it receives nothing. Only with a topic.
     */
    readonly alarmEmails?: string[];

    /** HTTPS URLs subscribed to the alarm topic; each must confirm the subscription. Only with a topic. */
    readonly alarmHttpsEndpoints?: string[];

    /**
     * Create a CloudWatch dashboard of invocations, latency, errors and instance count.
     * @default true
     */
    readonly dashboard?: boolean;

    /**
     * Days the endpoint's log group (`/aws/sagemaker/Endpoints/<endpointName>`, created by the
     * component, not left to SageMaker, which would keep it forever) keeps its logs: one of
     * CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
     * 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
     * @default 30
     */
    readonly logRetentionDays?: number;

    // ---------------------------------------------------------------- execution role

    /**
     * ARN of an existing execution role to use instead of creating one; it needs the permissions
     * the created role would have. Excludes `rolePermissionsBoundaryArn`.
     * @default a least-privilege role is created
     */
    readonly roleArn?: pulumi.Input<string>;

    /**
     * Permissions boundary of the created role, where an organisation requires one. Excludes
     * `roleArn`.
     * @default none
     */
    readonly rolePermissionsBoundaryArn?: pulumi.Input<string>;

    // ---------------------------------------------------------------- crops bucket

    /**
     * Name of an existing bucket to store the crops in, instead of creating one. Its encryption,
     * public access and lifecycle are then yours to manage. Excludes `cropRetentionDays`,
     * `bucketVersioning` and `createKmsKey`.
     * @default a bucket is created
     */
    readonly bucketName?: pulumi.Input<string>;

    /**
     * Key prefix of the crops: empty, or segments ending in `/`, at most 256 characters. The role
     * may write only below it. Keys are `<prefix><yyyy>/<mm>/<dd>/<frameId>/face-<n>.jpg`.
     * @default "crops/"
     */
    readonly cropsPrefix?: string;

    /**
     * Days after which crops expire, 1–3650. Only for a created bucket.
     * @default 30
     */
    readonly cropRetentionDays?: number;

    /**
     * Turn on versioning of the created bucket; noncurrent versions expire with the crops.
     * Only for a created bucket.
     * @default false
     */
    readonly bucketVersioning?: boolean;

    /**
     * Let `pulumi destroy` delete the bucket and the image repository with their contents, and
     * a created KMS key after the shortest waiting period. For throw-away environments only.
     * @default false
     */
    readonly forceDestroy?: boolean;

    /**
     * KMS key for SSE-KMS encryption of the crops (with S3 bucket keys, to keep KMS requests
     * down). Excludes `createKmsKey`.
     * @default SSE-S3 (AES256)
     */
    readonly kmsKeyArn?: pulumi.Input<string>;

    /**
     * Create a KMS key with rotation for SSE-KMS encryption of the crops. Excludes `kmsKeyArn`
     * and `bucketName`.
     * @default false
     */
    readonly createKmsKey?: boolean;

    // ---------------------------------------------------------------- detector image

    /**
     * A prebuilt detector image, so that no checkout of this repository and no Docker are needed: an
     * Amazon ECR image in the stack's region, by digest
     * (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>`; a public image
     * through an ECR pull-through cache rule). Excludes `buildContext`, `dockerfile`,
     * `imageRetentionCount` and `buildImageOnPreview`.
     * @default the image is built from `buildContext` and pushed to a new ECR repository
     */
    readonly imageUri?: pulumi.Input<string>;

    /**
     * Directory sent to Docker as the build context. Excludes `imageUri`.
     * @default the repository that holds this package (with `container/` and `contract/`)
     */
    readonly buildContext?: string;

    /**
     * Dockerfile path, relative to `buildContext`. Excludes `imageUri`.
     * @default "container/Dockerfile"
     */
    readonly dockerfile?: string;

    /**
     * Images the ECR repository keeps; older ones expire, 1–1000. Excludes `imageUri`.
     * @default 10
     */
    readonly imageRetentionCount?: number;

    /**
     * Build the image during `pulumi preview` as well (the build provider's `buildOnPreview`):
     * slower previews, but a broken build fails the pull request's preview instead of the
     * deployment. Off, a preview still checks the Dockerfile's syntax. Excludes `imageUri`.
     * @default false
     */
    readonly buildImageOnPreview?: boolean;

    // ---------------------------------------------------------------- detector settings

    /**
     * Lowest detection score that counts as a face, 0.05–1.
     * @default 0.5
     */
    readonly minConfidence?: number;

    /**
     * Most faces reported and cropped per frame, highest scores first, 1–1000. Face sheets hold 100
     * faces each (one Rekognition `DetectFaces` call reads at most 100:
     * https://docs.aws.amazon.com/rekognition/latest/APIReference/API_DetectFaces.html).
     * @default 100
     */
    readonly maxFaces?: number;

    /**
     * Height in pixels, in the frame as sent, of the smallest face to find, 20–4096. Smaller
     * values find smaller faces at more work per frame (the README gives measured recall and
     * cost). Rekognition reads faces from 40×40 px in a 1920×1080 image
     * (https://docs.aws.amazon.com/rekognition/latest/dg/limits.html).
     * @default 40
     */
    readonly minFaceSize?: number;

    /**
     * What is stored per frame with faces: `"crops"`, one JPEG per face; `"sheets"`, one JPEG per
     * frame (per 100 faces) packing every face in a grid, with a JSON manifest that maps each
     * cell back to the frame, so one Rekognition call reads the whole frame; or `"both"`.
     * @default "sheets"
     */
    readonly cropOutput?: string;

    /**
     * Padding around each face box as a fraction of its larger side, 0–2: Amazon Rekognition
     * analyses head and shoulders better than tight boxes.
     * @default 0.4
     */
    readonly cropMargin?: number;

    /**
     * Smallest side of a stored crop in pixels, 80–1024; smaller crops are upscaled. 80 is
     * Rekognition's minimum face size
     * (https://docs.aws.amazon.com/rekognition/latest/dg/limits.html).
     * @default 80
     */
    readonly minCropSize?: number;

    /**
     * JPEG quality of the crops, 50–100.
     * @default 90
     */
    readonly jpegQuality?: number;

    /**
     * Model server processes per instance, 1–64.
     * @default one per vCPU of the instance
     */
    readonly workers?: number;

    // ---------------------------------------------------------------- network

    /**
     * Run the model's container in a VPC, reaching S3 privately: `{ create: true }` creates one
     * (isolated subnets in two Availability Zones, no NAT gateway, gateway endpoints for S3 and
     * DynamoDB), or `{ subnetIds, securityGroupIds }` names an existing one's (two or more subnets).
     * `requireVpcEndpointForWrites` makes the crops bucket refuse writes from outside the created
     * VPC. Changing it on a deployed endpoint makes a new model, rolled out blue/green.
     * @default none: SageMaker's own network
     */
    readonly vpc?: NetworkArgs;

    // ---------------------------------------------------------------- tags

    /**
     * Tags for every taggable child, merged over the component's defaults (`app`, `component`,
     * `managed-by`).
     * @default the defaults only
     */
    readonly tags?: { readonly [key: string]: pulumi.Input<string> };
}
