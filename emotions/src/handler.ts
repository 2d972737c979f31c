/**
 * The emotion stage's Lambda handler. Events arrive through an SQS queue (fed by an EventBridge
 * rule on the crops bucket's "Object Created" events for sheet manifests), so that failures are
 * retried and, after the queue's receive limit, parked in its dead-letter queue.
 *
 * For each manifest: read it and its sheet from S3, one Rekognition `DetectFaces` call with the
 * emotions attribute, every face mapped back to the frame through the manifest, one conditional
 * write to the frame's DynamoDB item, and the sheet's mood as embedded-format metrics. A sheet
 * already recorded (a redelivered event) is skipped before Rekognition is asked again. Where the
 * detector stores one crop per face instead, each crop is read the same way, with the face's box
 * and score from the crop's metadata.
 */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { DetectFacesCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import { DEFAULT_METRICS_NAMESPACE, EMOTION_ENV, parseSheetManifest, RESULTS_KEY } from "@crowd-emotions/face-detection-contract";
import { cropWrite, faceAttribute, sheetAttribute, sheetWrite } from "./frameRecord";
import { moodMetrics } from "./mood";
import { readCrop, readSheet, RekognitionFace } from "./sheetFaces";

export interface StageConfig {
    readonly table: string;
    readonly retentionDays: number;
    readonly pipeline: string;
    readonly namespace: string;
}

/** The AWS calls of the stage; the real clients in Lambda, stand-ins in tests. */
export interface StageClients {
    /** The object's bytes and user metadata, or `undefined` when it is gone. */
    getObject(bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined>;
    detectFaces(image: Buffer): Promise<readonly RekognitionFace[]>;
    /** Whether the frame's item already holds `attribute` (a sheet's or a face's result). */
    isRecorded(table: string, frameId: string, attribute: string): Promise<boolean>;
    write(input: ReturnType<typeof sheetWrite>): Promise<"written" | "already">;
}

export interface SqsEvent {
    readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

/** What happened to one sheet, for the log and the tests. */
export type SheetOutcome = { key: string; result: "recorded" | "already recorded" | "withdrawn" | "not a sheet manifest or crop"; faces?: number };

/**
 * The S3 object an EventBridge "Object Created" event names. The key is taken as it is: EventBridge
 * events carry it plain (e.g. "raw/health-check/2023-08-08T14:03:40.532432.zip", colons and all),
 * unlike S3's own notifications to SQS, SNS and Lambda, which URL-encode it.
 */
export function objectOfEvent(body: string): { bucket: string; key: string } {
    const event = JSON.parse(body) as { detail?: { bucket?: { name?: string }; object?: { key?: string } } };
    const bucket = event.detail?.bucket?.name;
    const key = event.detail?.object?.key;
    if (typeof bucket !== "string" || typeof key !== "string") {
        throw new Error(`Not an S3 "Object Created" event: ${body.slice(0, 200)}`);
    }
    return { bucket, key };
}

/** The keys the stage reads: a face sheet's manifest, and a face crop. */
export const MANIFEST_KEY = /sheet-(\d+)\.json$/;
export const CROP_KEY = /face-(\d+)\.jpg$/;

/**
 * Where the handler's log lines go: standard output, which Lambda sends to CloudWatch Logs. Written
 * directly, not by console.log: with the function's JSON log format, Lambda wraps console output
 * in an envelope of its own, and embedded-format metrics inside it would not become metrics.
 */
export type LogLine = (line: string) => void;
const stdout: LogLine = (line) => {
    process.stdout.write(`${line}\n`);
};

/** A sheet manifest or a face crop, each read as its own; anything else is left alone. */
export function processObject(
    clients: StageClients, config: StageConfig, bucket: string, key: string, now = new Date(), log: LogLine = stdout,
): Promise<SheetOutcome> {
    if (MANIFEST_KEY.test(key)) {
        return processSheet(clients, config, bucket, key, now, log);
    }
    if (CROP_KEY.test(key)) {
        return processCrop(clients, config, bucket, key, now, log);
    }
    return Promise.resolve({ key, result: "not a sheet manifest or crop" });
}

export async function processSheet(
    clients: StageClients, config: StageConfig, bucket: string, manifestKey: string, now = new Date(), log: LogLine = stdout,
): Promise<SheetOutcome> {
    const manifestObject = await clients.getObject(bucket, manifestKey);
    if (manifestObject === undefined) {
        // The detector removed the frame (one of its uploads failed): nothing to read.
        return { key: manifestKey, result: "withdrawn" };
    }
    const manifest = parseSheetManifest(manifestObject.body.toString("utf8"), `s3://${bucket}/${manifestKey}`);
    if (await clients.isRecorded(config.table, manifest.frameId, sheetAttribute(manifest.sheet))) {
        return { key: manifestKey, result: "already recorded" };
    }
    const sheetKey = manifestKey.replace(/\.json$/, ".jpg");
    const sheet = await clients.getObject(bucket, sheetKey);
    if (sheet === undefined) {
        return { key: manifestKey, result: "withdrawn" };
    }
    const reading = readSheet(manifest, await clients.detectFaces(sheet.body));
    const written = await clients.write(sheetWrite(config.table, manifest, reading, { sheetKey, manifestKey }, now, config.retentionDays));
    log(JSON.stringify(moodMetrics(config.pipeline, config.namespace, reading.faces, now)));
    return { key: manifestKey, result: written === "written" ? "recorded" : "already recorded", faces: reading.faces.length };
}

/** The face of a crop (the detector's metadata: `frame-id`, `face-index`, `score`, `box` "x,y,w,h"). */
function cropFace(metadata: Record<string, string>, source: string) {
    const box = (metadata.box ?? "").split(",").map(Number);
    const face = Number(metadata["face-index"]);
    const score = Number(metadata.score);
    if (!metadata["frame-id"] || !Number.isInteger(face) || !Number.isFinite(score) || box.length !== 4 || !box.every(Number.isFinite)) {
        throw new Error(`${source} is not a face crop: its metadata lacks frame-id, face-index, score or box.`);
    }
    return { frameId: metadata["frame-id"], face: { face, score, box: { x: box[0], y: box[1], width: box[2], height: box[3] } } };
}

export async function processCrop(
    clients: StageClients, config: StageConfig, bucket: string, cropKey: string, now = new Date(), log: LogLine = stdout,
): Promise<SheetOutcome> {
    const crop = await clients.getObject(bucket, cropKey);
    if (crop === undefined) {
        return { key: cropKey, result: "withdrawn" };
    }
    const { frameId, face } = cropFace(crop.metadata, `s3://${bucket}/${cropKey}`);
    if (await clients.isRecorded(config.table, frameId, faceAttribute(face.face))) {
        return { key: cropKey, result: "already recorded" };
    }
    const mood = readCrop(face, await clients.detectFaces(crop.body));
    const written = await clients.write(cropWrite(config.table, frameId, mood, cropKey, now, config.retentionDays));
    log(JSON.stringify(moodMetrics(config.pipeline, config.namespace, [mood], now)));
    return { key: cropKey, result: written === "written" ? "recorded" : "already recorded", faces: 1 };
}

/**
 * The handler for a batch of SQS messages: each is processed on its own; the ones that fail are
 * returned as `batchItemFailures`, so SQS retries only those (the event source mapping reports
 * batch item failures).
 */
export function createHandler(clients: StageClients, config: StageConfig, log: LogLine = stdout) {
    return async (event: SqsEvent) => {
        const batchItemFailures: { itemIdentifier: string }[] = [];
        for (const record of event.Records) {
            try {
                const { bucket, key } = objectOfEvent(record.body);
                const outcome = await processObject(clients, config, bucket, key, new Date(), log);
                log(JSON.stringify({ level: "info", messageId: record.messageId, ...outcome }));
            } catch (error) {
                log(JSON.stringify({ level: "error", messageId: record.messageId, error: (error as Error).message }));
                batchItemFailures.push({ itemIdentifier: record.messageId });
            }
        }
        return { batchItemFailures };
    };
}

/** The stage's settings, from the function's environment; a missing one stops it at once. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): StageConfig {
    const table = env[EMOTION_ENV.resultsTable];
    const retentionDays = Number(env[EMOTION_ENV.retentionDays] ?? "30");
    if (!table) {
        throw new Error(`${EMOTION_ENV.resultsTable} is not set: the function needs the name of its DynamoDB table.`);
    }
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
        throw new Error(`${EMOTION_ENV.retentionDays} must be a whole number of days, 1 or more, got "${env[EMOTION_ENV.retentionDays]}".`);
    }
    return {
        table,
        retentionDays,
        pipeline: env[EMOTION_ENV.pipeline] ?? "face-detection",
        namespace: env[EMOTION_ENV.metricsNamespace] ?? DEFAULT_METRICS_NAMESPACE,
    };
}

/** The real clients, configured by the SDK's standard settings (region, credentials, `AWS_ENDPOINT_URL_*`). */
export function awsClients(): StageClients {
    const s3 = new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });
    const rekognition = new RekognitionClient({});
    const dynamodb = new DynamoDBClient({});
    return {
        async getObject(bucket, key) {
            try {
                const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
                return { body: Buffer.from(await object.Body!.transformToByteArray()), metadata: object.Metadata ?? {} };
            } catch (error) {
                if (error instanceof NoSuchKey || (error as Error).name === "NoSuchKey") {
                    return undefined;
                }
                throw error;
            }
        },
        async detectFaces(image) {
            const answer = await rekognition.send(new DetectFacesCommand({ Image: { Bytes: image }, Attributes: ["EMOTIONS"] }));
            return answer.FaceDetails ?? [];
        },
        async isRecorded(table, frameId, attribute) {
            const item = await dynamodb.send(new GetItemCommand({
                TableName: table, Key: marshall({ [RESULTS_KEY]: frameId }), ProjectionExpression: "#result",
                ExpressionAttributeNames: { "#result": attribute }, ConsistentRead: true,
            }));
            return item.Item !== undefined && item.Item[attribute] !== undefined;
        },
        async write(input) {
            try {
                await dynamodb.send(new UpdateItemCommand(input));
                return "written";
            } catch (error) {
                if (error instanceof ConditionalCheckFailedException || (error as Error).name === "ConditionalCheckFailedException") {
                    return "already";
                }
                throw error;
            }
        },
    };
}

let configured: ReturnType<typeof createHandler> | undefined;

/** The function's entry point (`handler.handler`): clients and settings made once per container. */
export const handler = (event: SqsEvent) => {
    configured ??= createHandler(awsClients(), configFromEnvironment());
    return configured(event);
};
