/**
 * The emotion stage on one machine, with the very handler the Lambda function runs and the real
 * AWS SDK clients, pointed through the SDK's standard endpoint variables at local stand-ins: the
 * embedded S3 store, a DynamoDB-compatible store (dynalite) and the Rekognition STAND-IN
 * (rekognitionStandIn.ts; not Rekognition). The objects the detector stores are handed to the
 * handler as the queue would hand them: gathered over the batching window (`PACK_WINDOW_SECONDS`),
 * in batches, and the ones that fail are handed again, up to the queue's attempts.
 */
import {
    CropOutput, DEFAULT_CROP_OUTPUT, DEFAULT_METRICS_NAMESPACE, EMOTION_ENV, PACK_WINDOW, parseFrameKey, READ_INTERVAL, storesSheets,
} from "@crowd-emotions/face-detection-contract";
import { awsClients, createHandler, SheetOutcome } from "../../emotions/src/handler";
import { EmbeddedS3, embeddedS3Env } from "./embeddedS3";
import { LocalDynamo, startLocalDynamo } from "./localDynamo";
import { RekognitionStandIn, startRekognitionStandIn } from "./rekognitionStandIn";

export const RESULTS_TABLE = "crowd-mood";
/** The local DynamoDB's port: fixed, so `npm run moods` finds the table `npm start` writes. */
export const DYNAMODB_PORT = Number(process.env.LOCAL_DYNAMODB_PORT ?? 4569);
/** As the component's event source: at most this many messages in one invocation, and this many attempts. */
export const LOCAL_BATCH_SIZE = 100;
export const LOCAL_MAX_ATTEMPTS = 5;
/** Price of one `DetectFaces` image (first million a month, us-east-1). */
export const DETECT_FACES_PRICE = 0.001;

export interface StageSettings {
    readonly readIntervalSeconds: number;
    readonly packWindowSeconds: number;
    readonly cropOutput: CropOutput;
}

/** The settings from `npm start`'s environment, as they set the function's. */
export function stageSettings(env: NodeJS.ProcessEnv = process.env): StageSettings {
    const number = (name: string, range: { min: number; max: number; default: number }) => {
        const raw = env[name];
        const value = raw === undefined ? range.default : Number(raw);
        if (!Number.isInteger(value) || value < range.min || value > range.max) {
            throw new Error(`${name} must be a whole number of seconds from ${range.min} to ${range.max}, got "${raw}".`);
        }
        return value;
    };
    return {
        readIntervalSeconds: number(EMOTION_ENV.readIntervalSeconds, READ_INTERVAL),
        packWindowSeconds: number("PACK_WINDOW_SECONDS", PACK_WINDOW),
        cropOutput: (env.CROP_OUTPUT ?? DEFAULT_CROP_OUTPUT) as CropOutput,
    };
}

/** What one invocation of the handler did. */
export interface BatchReport {
    readonly outcomes: readonly SheetOutcome[];
    /** Messages that failed, with the error, and whether they will be handed again. */
    readonly failures: readonly { key: string; error: string; retried: boolean }[];
}

export interface LocalEmotionStage {
    readonly dynamo: LocalDynamo;
    readonly rekognition: RekognitionStandIn;
    readonly settings: StageSettings;
    /** Queues a stored object for the handler (sheet manifests, or crops where the detector stores only crops). */
    objectStored(bucket: string, key: string): void;
    /** Queues a deleted object's event: a frame the detector withdrew, whose results are removed. */
    objectRemoved(bucket: string, key: string): void;
    /** Hands every queued object to the handler now, and waits until it is done. */
    flush(): Promise<void>;
    close(): Promise<void>;
}

export async function startEmotionStage(
    s3: EmbeddedS3, ports: { dynamo?: number; rekognition?: number } = {}, settings: StageSettings = stageSettings(),
    onBatch: (report: BatchReport) => void | Promise<void> = () => undefined,
): Promise<LocalEmotionStage> {
    const dynamo = await startLocalDynamo({ table: RESULTS_TABLE, port: ports.dynamo });
    const rekognition = await startRekognitionStandIn(ports.rekognition);
    // The handler's clients read these, as the function's would read AWS's.
    Object.assign(process.env, embeddedS3Env(s3), { AWS_ENDPOINT_URL_REKOGNITION: rekognition.url, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
    let lines: string[] = [];
    const handler = createHandler(awsClients(), {
        table: RESULTS_TABLE, retentionDays: 7, pipeline: "local", namespace: DEFAULT_METRICS_NAMESPACE, readIntervalSeconds: settings.readIntervalSeconds,
    }, (line) => {
        lines.push(line);
        if (process.env.DEBUG) {
            console.log(line);
        }
    });

    const queue: { bucket: string; key: string; attempts: number; deleted?: boolean }[] = [];
    const queued = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();

    const runBatch = async () => {
        timer = undefined;
        while (queue.length > 0) {
            const batch = queue.splice(0, LOCAL_BATCH_SIZE);
            const records = batch.map((message, index) => ({
                messageId: `${index}:${message.key}`,
                body: JSON.stringify({
                    "source": "aws.s3", "detail-type": message.deleted ? "Object Deleted" : "Object Created",
                    "detail": { bucket: { name: message.bucket }, object: { key: message.key }, reason: message.deleted ? "DeleteObject" : "PutObject" },
                }),
            }));
            lines = [];
            const { batchItemFailures } = await handler({ Records: records });
            const logged = lines.map((line) => JSON.parse(line) as { messageId?: string; level?: string; error?: string } & SheetOutcome);
            const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
            const failures = batch.flatMap((message, index) => {
                const id = records[index].messageId;
                if (!failed.has(id)) {
                    queued.delete(queueId(message));
                    return [];
                }
                // As SQS would: handed again after the window, until the queue's attempts are used.
                const retried = message.attempts + 1 < LOCAL_MAX_ATTEMPTS;
                if (retried) {
                    queue.push({ ...message, attempts: message.attempts + 1 });
                } else {
                    queued.delete(queueId(message));
                }
                return [{ key: message.key, error: logged.find((line) => line.messageId === id)?.error ?? "failed", retried }];
            });
            const outcomes = logged.filter((line) => line.messageId !== undefined && line.level === "info" && line.result !== undefined);
            await onBatch({ outcomes, failures });
            if (failures.some((failure) => failure.retried)) {
                schedule();
                return;
            }
        }
    };
    const queueId = (message: { key: string; deleted?: boolean }) => `${message.deleted ? "deleted" : "created"} ${message.key}`;
    const enqueue = (message: { bucket: string; key: string; deleted?: boolean }) => {
        // As the component's rule does: the manifests where the detector stores sheets, else the crops.
        const parsed = parseFrameKey(message.key);
        const wanted = parsed?.kind === "manifest" || (parsed?.kind === "crop" && !storesSheets(settings.cropOutput));
        if (!wanted || queued.has(queueId(message))) {
            return;
        }
        queued.add(queueId(message));
        queue.push({ ...message, attempts: 0 });
        if (queue.length >= LOCAL_BATCH_SIZE) {
            clearTimeout(timer);
            timer = undefined;
            running = running.then(runBatch);
        } else {
            schedule();
        }
    };
    const schedule = () => {
        timer ??= setTimeout(() => {
            running = running.then(runBatch);
        }, settings.packWindowSeconds * 1000);
    };

    return {
        dynamo, rekognition, settings,
        objectStored(bucket, key) {
            enqueue({ bucket, key });
        },
        objectRemoved(bucket, key) {
            enqueue({ bucket, key, deleted: true });
        },
        async flush() {
            clearTimeout(timer);
            timer = undefined;
            running = running.then(runBatch);
            await running;
        },
        async close() {
            clearTimeout(timer);
            await running;
            await rekognition.close();
            await dynamo.close();
        },
    };
}
