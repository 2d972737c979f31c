import * as pulumi from "@pulumi/pulumi";
import { NetworkArgs } from "../shared/network";

/** The arguments of `CrowdEmotions`. Every one is optional but the bucket and prefix of the sheets. */
export interface CrowdEmotionsArgs {
    // ---------------------------------------------------------------- where the sheets come from
    // `CrowdEmotions.forDetector` fills these from a FaceDetectionEndpoint.

    /**
     * The bucket that receives the face sheets. Its EventBridge notifications must be on (the
     * detector's `eventBridgeNotifications`, or `aws s3api put-bucket-notification-configuration …
     * EventBridgeConfiguration` for a bucket managed elsewhere): the component never changes the
     * bucket, whose one notification configuration may hold its owner's own notifications.
     */
    readonly bucketName?: pulumi.Input<string>;

    /** Key prefix of the sheets in `bucketName`, empty or ending in `/` (the detector's `cropsPrefix`). */
    readonly sheetsPrefix?: pulumi.Input<string>;

    /** KMS key the bucket's objects are encrypted with, when SSE-KMS. */
    readonly bucketKmsKeyArn?: pulumi.Input<string>;

    /**
     * What the stage reads: `sheets` (one `DetectFaces` call per face sheet) or `crops` (one per
     * face crop, for a detector whose `cropOutput` is `crops`).
     * @default `sheets`; with `forDetector`, from the detector's `cropOutput`
     */
    readonly input?: pulumi.Input<string>;

    // ---------------------------------------------------------------- results

    /**
     * Days a frame's results are kept in the table (DynamoDB time to live), 1–3650.
     * @default 30
     */
    readonly retentionDays?: number;

    /**
     * Name of the pipeline in the metrics' `Pipeline` dimension and on the dashboard.
     * @default the component's name
     */
    readonly pipelineName?: string;

    /**
     * Days the function's log group keeps its logs: one of CloudWatch Logs' retention periods (1,
     * 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
     * 3288, 3653).
     * @default 30
     */
    readonly logRetentionDays?: number;

    /** `pulumi destroy` deletes the results table even though it holds data. @default false */
    readonly forceDestroy?: boolean;

    // ---------------------------------------------------------------- reading over time

    /**
     * Seconds between reads of a stream: at most one frame per stream (camera) per interval goes to
     * Rekognition (the first with faces whose capture time falls in it); every other frame is
     * recorded with its face count only. Also the step of each stream's mood series. 0 reads every
     * frame (and steps the series by 10 s), 1–3600.
     * @default 10
     */
    readonly readIntervalSeconds?: number;

    /**
     * Seconds the queue gathers new sheets before the function is invoked (the SQS event source's
     * batching window), so that the faces of several frames, of every stream, share one
     * Rekognition image of up to 100 faces; 0–300. A batch is also handed over once it holds 100
     * sheets. 0 hands over each sheet at once, in batches of at most 10.
     * @default 20
     */
    readonly packWindowSeconds?: number;

    /**
     * Streams (camera ids) whose silence is an alarm: one alarm per stream when it sends no frame
     * with faces for 15 minutes (a camera down, or pointed away). Only with `alarms`.
     * @default none
     */
    readonly watchedStreams?: string[];

    // ---------------------------------------------------------------- function

    /** Memory of the function in MB, 256–10240. @default 512 */
    readonly memorySizeMb?: number;

    /** Seconds one batch of sheets may take, 10–900. @default 60 */
    readonly timeoutSeconds?: number;

    /**
     * Function instances reading sheets at once at most (the SQS event source's maximum
     * concurrency), 2–1000: Rekognition's `DetectFaces` quota is per account and region, so a
     * burst of frames waits in the queue rather than being throttled.
     * @default 10
     */
    readonly maxConcurrency?: number;

    /** Times a sheet is tried before it is parked in the dead-letter queue, 1–20. @default 5 */
    readonly maxAttempts?: number;

    // ---------------------------------------------------------------- alarms

    /**
     * Alarms on function errors and throttles, events EventBridge could not deliver, Rekognition
     * throttling, sheets waiting over 15 minutes and sheets parked in the dead-letter queue.
     * @default true
     */
    readonly alarms?: boolean;

    /** SNS topic the alarms notify. Only with `alarms`. @default none; with `forDetector`, the detector's, if any */
    readonly alarmTopicArn?: pulumi.Input<string>;

    /**
     * Run the function in a VPC: `{ create: true }` creates one (isolated subnets in two
     * Availability Zones, no NAT gateway, gateway endpoints for S3 and DynamoDB, an interface
     * endpoint for Rekognition), or `{ subnetIds, securityGroupIds }` names an existing one's,
     * whose routes must reach S3, DynamoDB and Rekognition.
     * @default none: Lambda's own network
     */
    readonly vpc?: NetworkArgs;

    /** Tags merged over the component's defaults. */
    readonly tags?: { readonly [key: string]: pulumi.Input<string> };
}
