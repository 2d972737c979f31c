import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CropOutput, DEFAULT_METRICS_NAMESPACE, storesSheets } from "@crowd-emotions/face-detection-contract";
import { FaceDetectionEndpoint } from "../faceDetection/faceDetectionEndpoint";
import { createPrivateNetwork, placement } from "../shared/network";
import { mergeTags } from "../shared/tags";
import { CrowdEmotionsArgs } from "./args";
import { createEmotionFunction } from "./emotionFunction";
import { createEmotionAlarms, createMoodDashboard } from "./monitoring";
import { createResultsTable } from "./resultsTable";
import { resolveEmotionArgs, validateEmotionArgs } from "./settings";
import { createSheetEvents } from "./sheetEvents";

/** Type token; other languages address the component by it (`pulumi package add`). */
export const CROWD_EMOTIONS_TYPE = "face-detection:index:CrowdEmotions";

/**
 * The emotion stage of the crowd-emotion pipeline: every new face sheet the detector stores is read
 * by a Lambda function with one Amazon Rekognition `DetectFaces` call, each face's emotions are
 * mapped back to the frame through the sheet's manifest, and the frame's results go to a DynamoDB
 * table and, as metrics, to a "crowd mood" dashboard. Sheets arrive through EventBridge and an SQS
 * queue, with retries and an encrypted dead-letter queue; a redelivered sheet is written once.
 */
export class CrowdEmotions extends pulumi.ComponentResource {
    /** The function that reads the sheets. */
    public readonly functionName: pulumi.Output<string>;
    /** Its ARN. */
    public readonly functionArn: pulumi.Output<string>;
    /** The table of per-frame results (key `frameId`). */
    public readonly tableName: pulumi.Output<string>;
    /** Its ARN, for the policies of whatever reads the results. */
    public readonly tableArn: pulumi.Output<string>;
    /** The queue of new-sheet events. */
    public readonly queueUrl: pulumi.Output<string>;
    /** Where sheets that failed every attempt wait. */
    public readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** The "crowd mood" CloudWatch dashboard. */
    public readonly dashboardName: pulumi.Output<string>;

    /**
     * The stage for a detector's sheets (or crops): its bucket, prefix, bucket key, output mode and
     * alarm topic. The detector's bucket must send its events to EventBridge
     * (`eventBridgeNotifications`).
     */
    public static forDetector(
        name: string, detector: FaceDetectionEndpoint,
        args: Omit<CrowdEmotionsArgs, "bucketName" | "sheetsPrefix" | "bucketKmsKeyArn"> = {}, opts?: pulumi.ComponentResourceOptions,
    ): CrowdEmotions {
        if (!detector.eventBridgeNotifications) {
            throw new Error("The detector's bucket must send its events to EventBridge: set `eventBridgeNotifications: true` on the FaceDetectionEndpoint.");
        }
        return new CrowdEmotions(name, {
            bucketName: detector.bucketName,
            sheetsPrefix: detector.cropsPrefix,
            // Absent, not an Output of undefined, where the crops have no KMS key: the role's
            // `kms:Decrypt` statement is then left out, visibly, already at the first preview.
            bucketKmsKeyArn: detector.cropsKmsEncrypted ? detector.cropsKmsKeyArn as pulumi.Output<string> : undefined,
            // The detector's own output: sheets wherever it stores them (reading crops too would pay twice).
            input: detector.cropOutput.apply((output) => (storesSheets(output as CropOutput) ? "sheets" : "crops")),
            alarmTopicArn: args.alarms === false ? undefined : detector.alarmTopicArn as pulumi.Output<string>,
            ...args,
        }, opts);
    }

    constructor(name: string, args: CrowdEmotionsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before registering: a caught error leaves nothing half-registered behind.
        validateEmotionArgs(args);
        super(CROWD_EMOTIONS_TYPE, name, {}, opts);
        const settings = resolveEmotionArgs(name, args);
        const tags = mergeTags(name, args.tags);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const bucketName = pulumi.output(args.bucketName!);
        const bucketArn = pulumi.interpolate`arn:${partition}:s3:::${bucketName}`;
        const sheetsPrefix = pulumi.output(args.sheetsPrefix!);
        const kmsKeyArn = args.bucketKmsKeyArn;

        const events = createSheetEvents(name, {
            bucketName, sheetsPrefix, input: settings.input, timeoutSeconds: settings.timeoutSeconds, packWindowSeconds: settings.packWindowSeconds,
            maxAttempts: settings.maxAttempts, tags,
        }, this);
        const table = createResultsTable(name, settings.forceDestroy, tags, this);
        // The function's VPC: S3 and DynamoDB through gateway endpoints, Rekognition through an
        // interface endpoint (it has no gateway endpoint).
        const network = args.vpc?.create === true
            ? createPrivateNetwork(name, { cidrBlock: args.vpc.cidrBlock, region, services: { interfaces: ["rekognition"] }, tags }, this)
            : undefined;
        const { function: fn } = createEmotionFunction(name, {
            settings,
            scope: { region, bucketArn, sheetsPrefix, tableArn: table.arn, queueArn: events.queue.arn, kmsKeyArn },
            queueArn: events.queue.arn,
            tableName: table.name,
            metricsNamespace: DEFAULT_METRICS_NAMESPACE,
            placement: placement(args.vpc, network),
            tags,
        }, this);
        const monitoring = {
            functionName: fn.name, queueName: events.queue.name, deadLetterQueueName: events.deadLetterQueue.name, ruleName: events.rule.name,
            pipelineName: settings.pipelineName, metricsNamespace: DEFAULT_METRICS_NAMESPACE, region,
            topicArn: args.alarmTopicArn, watchedStreams: settings.watchedStreams, tags,
        };
        if (settings.alarms) {
            createEmotionAlarms(name, monitoring, this);
        }
        const dashboard = createMoodDashboard(name, monitoring, this);

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.queueUrl = events.queue.url;
        this.deadLetterQueueUrl = events.deadLetterQueue.url;
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({
            functionName: this.functionName, functionArn: this.functionArn, tableName: this.tableName, tableArn: this.tableArn,
            queueUrl: this.queueUrl, deadLetterQueueUrl: this.deadLetterQueueUrl, dashboardName: this.dashboardName,
        });
    }
}
