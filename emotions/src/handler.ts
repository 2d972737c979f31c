/**
 * The emotion stage's Lambda handler. Events arrive through an SQS queue (fed by an EventBridge
 * rule on the crops bucket's "Object Created" events for sheet manifests), in batches the event
 * source gathers over its batching window, so that failures are retried and, after the queue's
 * receive limit, parked in its dead-letter queue.
 *
 * For each frame of the batch: its size is recorded (the crowd's size needs no Rekognition call);
 * at most one frame per stream and read interval is read (claimed by a conditional write); the
 * faces of the frames read, across frames and streams, are packed into images of up to 100 faces,
 * one Rekognition `DetectFaces` call each; every face's emotions are mapped back through the pack
 * to its frame and recorded once; and each interval touched gets its summary recomputed from its
 * frames. Where the detector stores one crop per face instead of sheets, each crop is one face of
 * a pack, with its box and score from the crop's metadata.
 *
 * A frame the detector withdraws (one of its uploads failed, so its client got an error and its
 * objects were deleted) leaves no result, in whatever order the stage and the detector meet: a
 * manifest already gone is not read; a part recorded is checked against its manifest once written
 * (S3 reads are strongly consistent after a delete), and the manifest's "Object Deleted" event
 * withdraws a frame recorded before the delete.
 */
import {
    ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, GetItemCommandInput, QueryCommand, QueryCommandInput, UpdateItemCommand,
    UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { DetectFacesCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import {
    CROP_METADATA, DEFAULT_METRICS_NAMESPACE, EMOTION_ENV, parseCropMetadata, parseFrameKey, parseSheetManifest, READ_INTERVAL, SheetRegion,
} from "@crowd-emotions/face-detection-contract";
import { callMetrics, crowdMetrics, moodMetrics, refusedMetrics } from "./mood";
import { forEachLimited } from "./limit";
import { cellPixels, decodeJpeg, layoutPacks, PackItem, renderPack } from "./packing";
import {
    claimRelease, claimWrite, FrameFacts, frameEntry, FrameOf, frameRead, framesOfDayQuery, framesQuery, frameSeenWrite, intervalWrite, leaseRelease, leaseWrite, partAttribute,
    partWrite, streamSeenWrite, WITHDRAWN_ATTRIBUTE, withdrawWrite,
} from "./results";
import { intervalOf, IntervalSummary, summarize } from "./series";
import { FaceMood, readSheet, RekognitionFace } from "./sheetFaces";

export interface StageConfig {
    readonly table: string;
    readonly retentionDays: number;
    readonly pipeline: string;
    readonly namespace: string;
    /** At most one frame per stream per this many seconds is read; 0 reads every frame. */
    readonly readIntervalSeconds: number;
}

/**
 * A message that can never succeed: not an event, a manifest that is not one or lies about its
 * key, an object too large, an image that does not decode. It is recorded as refused (logged with
 * its key, counted in the `RefusedSheets` metric, which an alarm watches) and not retried.
 */
export class PermanentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PermanentError";
    }
}

/** A manifest is a few tens of KB (100 cells); a sheet or crop, under Rekognition's 5 MB for image bytes. */
export const MAX_MANIFEST_BYTES = 512 * 1024;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Work is started only while the invocation has this much time left; what is left is handed back. */
export const DEADLINE_MARGIN_MS = 15_000;

/** Errors of the input, which a retry would meet again. */
function isPermanent(error: unknown): boolean {
    const name = (error as { name?: string })?.name;
    return error instanceof PermanentError || name === "ValidationException";
}

/** Messages read and recorded at once, and sheets decoded at once (each a few MB while it is cut into cells). */
const MESSAGES_AT_ONCE = 10;
const SHEETS_DECODED_AT_ONCE = 4;

/** The series' step when every frame is read. */
const SERIES_SECONDS_WHEN_READING_ALL = 10;
/** Attempts to write an interval's summary when concurrent writers keep overtaking each other. */
const SUMMARY_ATTEMPTS = 3;

/** The AWS calls of the stage; the real clients in Lambda, stand-ins in tests. */
export interface StageClients {
    /**
     * The object's bytes and user metadata, or `undefined` when it is gone; a `PermanentError`,
     * before its body is read, when it is larger than `maxBytes`.
     */
    getObject(bucket: string, key: string, maxBytes: number): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined>;
    /** Whether the object is there (a HEAD): `false` only for a missing key, never for a denied one. */
    exists(bucket: string, key: string): Promise<boolean>;
    detectFaces(image: Buffer): Promise<readonly RekognitionFace[]>;
    /** A conditional update: "already" where its condition fails. */
    update(input: UpdateItemCommandInput): Promise<"written" | "already">;
    /** Every item a query finds, over all pages, as plain objects. */
    query(input: QueryCommandInput): Promise<Record<string, unknown>[]>;
    getItem(input: GetItemCommandInput): Promise<Record<string, unknown> | undefined>;
}

export interface SqsEvent {
    readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

/** What happened to one message's sheet (or crop), for the log and the tests. */
export type SheetOutcome = {
    key: string;
    result: "recorded" | "seen" | "already recorded" | "withdrawn" | "not a sheet manifest or crop" | "refused" | "expired";
    /** The frame's stream and capture time, where the object is a frame's. */
    stream?: string;
    frameId?: string;
    capturedAt?: string;
    faces?: number;
};

/**
 * The S3 object an EventBridge "Object Created" or "Object Deleted" event names. The key is taken
 * as it is: EventBridge events carry it plain (e.g. "raw/health-check/2023-08-08T14:03:40.532432.zip",
 * colons and all), unlike S3's own notifications to SQS, SNS and Lambda, which URL-encode it.
 * `deleted`: "DeleteObject" for a delete by the S3 API (a detector withdrawing a frame: DeleteObject
 * and DeleteObjects alike), "Lifecycle Expiration" for the bucket's lifecycle, which keeps results
 * (S3 User Guide, "Using EventBridge": "When an object is deleted using an S3 API call, the reason
 * field is set to DeleteObject. When an object is deleted by an S3 Lifecycle expiration rule, the
 * reason field is set to Lifecycle Expiration.").
 */
export function objectOfEvent(body: string): { bucket: string; key: string; deleted?: string } {
    let event: { "detail-type"?: string; "detail"?: { bucket?: { name?: string }; object?: { key?: string }; reason?: string } };
    try {
        event = JSON.parse(body);
    } catch {
        throw new PermanentError(`Not an S3 "Object Created" or "Object Deleted" event: ${body.slice(0, 200)}`);
    }
    const bucket = event?.detail?.bucket?.name;
    const key = event?.detail?.object?.key;
    const type = event?.["detail-type"];
    if (typeof bucket !== "string" || typeof key !== "string" || (type !== undefined && type !== "Object Created" && type !== "Object Deleted")) {
        throw new PermanentError(`Not an S3 "Object Created" or "Object Deleted" event: ${body.slice(0, 200)}`);
    }
    return type === "Object Deleted" ? { bucket, key, deleted: String(event.detail?.reason ?? "DeleteObject") } : { bucket, key };
}

/** Where the handler's log lines go: standard output, which Lambda sends to CloudWatch Logs. */
export type LogLine = (line: string) => void;
/**
 * Written directly, not by console.log: with the function's JSON log format, Lambda wraps console
 * output in an envelope of its own, and embedded-format metrics inside it would not become metrics.
 */
const stdout: LogLine = (line) => {
    process.stdout.write(`${line}\n`);
};

/** One message's object, once read: the frame it belongs to and the part it is. */
interface Part {
    readonly messageId: string;
    readonly bucket: string;
    readonly key: string;
    readonly frame: FrameFacts;
    readonly interval: { start: Date; end: Date };
    readonly attribute: string;
    /** The image's key and the faces it holds: a sheet's cells, or the crop as one face. */
    readonly imageKey: string;
    /** Each face: the detector's cell, where it is on the image (a sheet's `placed`), and the frame region that shows. */
    readonly faces: readonly { cell: PackItem<unknown>["cell"]; region?: SheetRegion; source?: SheetRegion }[];
    /** The crop's own bytes (a sheet's are read only if the frame is read). */
    readonly cropBody?: Buffer;
}

/** The crop's face and frame, from the detector's metadata. */
function cropPart(metadata: Record<string, string>, source: string): { frame: FrameFacts; face: PackItem<unknown>["cell"] } {
    const crop = parseCropMetadata(metadata);
    if (crop === undefined) {
        throw new PermanentError(`${source} is not a face crop: its metadata lacks ${Object.values(CROP_METADATA).join(", ")}, or holds what the detector does not write.`);
    }
    return {
        frame: { frameId: crop.frameId, stream: crop.stream, capturedAt: crop.capturedAt, faces: crop.frameFaces, parts: crop.frameFaces },
        face: { face: crop.faceIndex, score: crop.score, box: crop.box },
    };
}

/** Reads the message's object: a sheet's manifest or a crop, checked against its own key. */
async function readPart(
    clients: StageClients, config: StageConfig, messageId: string, bucket: string, key: string,
): Promise<Part | SheetOutcome> {
    const parsed = parseFrameKey(key);
    if (parsed === undefined || parsed.kind === "sheet") {
        return { key, result: "not a sheet manifest or crop" };
    }
    const object = await clients.getObject(bucket, key, parsed.kind === "manifest" ? MAX_MANIFEST_BYTES : MAX_IMAGE_BYTES);
    if (object === undefined) {
        // The detector removed the frame (one of its uploads failed): nothing to read.
        return { key, result: "withdrawn" };
    }
    const source = `s3://${bucket}/${key}`;
    const seriesSeconds = config.readIntervalSeconds || SERIES_SECONDS_WHEN_READING_ALL;
    if (parsed.kind === "manifest") {
        let manifest;
        try {
            manifest = parseSheetManifest(object.body.toString("utf8"), source);
        } catch (error) {
            throw new PermanentError((error as Error).message);
        }
        if (manifest.stream !== parsed.stream || manifest.frameId !== parsed.frameId || manifest.sheet !== parsed.index) {
            throw new PermanentError(`${source} claims stream ${manifest.stream}, frame ${manifest.frameId}, sheet ${manifest.sheet}, which its key does not.`);
        }
        const frame = { stream: manifest.stream, frameId: manifest.frameId, capturedAt: new Date(manifest.capturedAt), faces: manifest.frameFaces, parts: manifest.sheets };
        return {
            messageId, bucket, key, frame, interval: intervalOf(frame.capturedAt, seriesSeconds), attribute: partAttribute("sheet", manifest.sheet),
            imageKey: key.replace(/\.json$/, ".jpg"),
            faces: manifest.cells.map((cell) => ({ cell: { face: cell.face, box: cell.box, score: cell.score }, region: cell.placed, source: cell.source })),
        };
    }
    // Crops stored before streams carry none: theirs is the key's.
    const crop = cropPart({ [CROP_METADATA.stream]: parsed.stream, ...object.metadata }, source);
    const frame = crop.frame;
    if (frame.stream !== parsed.stream || frame.frameId !== parsed.frameId || crop.face.face !== parsed.index) {
        throw new PermanentError(`${source}'s metadata claims stream ${frame.stream}, frame ${frame.frameId}, face ${crop.face.face}, which its key does not.`);
    }
    return {
        messageId, bucket, key, frame, interval: intervalOf(frame.capturedAt, seriesSeconds), attribute: partAttribute("face", crop.face.face),
        imageKey: key, faces: [{ cell: crop.face }], cropBody: object.body,
    };
}

/**
 * Records the frame as seen and decides whether this part is read: its frame holds the interval's
 * read, and the part is not recorded yet. `newFrame`: this message recorded the frame first.
 */
async function decideRead(clients: StageClients, config: StageConfig, part: Part, now: Date): Promise<{ decision: Decision; newFrame: boolean }> {
    const newFrame = await clients.update(frameSeenWrite(config.table, part.frame, part.interval.start, now, config.retentionDays)) === "written";
    if (!newFrame) {
        // The same stream, capture time and frame id seen before: the same frame, or another frame
        // under a reused id, which must never be merged into the first one's results.
        const known = await clients.getItem(frameRead(config.table, part.frame, ["faces", "parts"]));
        if (known !== undefined && (known.faces !== part.frame.faces || known.parts !== part.frame.parts)) {
            throw new PermanentError(`Frame ${part.frame.frameId} of stream ${part.frame.stream} at ${part.frame.capturedAt.toISOString()} was recorded with `
                + `${String(known.faces)} faces in ${String(known.parts)} parts, and ${part.key} says ${part.frame.faces} in ${part.frame.parts}: `
                + "another frame under a reused id; give each frame an id of its own.");
        }
    }
    const decision = await decideReadOf(clients, config, part, now);
    return { decision, newFrame };
}

type Decision = "read" | "seen" | "already recorded" | "withdrawn";

async function decideReadOf(clients: StageClients, config: StageConfig, part: Part, now: Date): Promise<Decision> {
    if (config.readIntervalSeconds > 0 && await clients.update(claimWrite(config.table, part.frame, part.interval.start, now, config.retentionDays)) === "already") {
        return "seen";
    }
    if (await clients.update(leaseWrite(config.table, part.frame, part.attribute, now)) === "written") {
        return "read";
    }
    const item = await clients.getItem(frameRead(config.table, part.frame, [part.attribute, WITHDRAWN_ATTRIBUTE]));
    if (item?.[WITHDRAWN_ATTRIBUTE] !== undefined) {
        return "withdrawn";
    }
    if (item?.[part.attribute] !== undefined) {
        return "already recorded";
    }
    // Another invocation is reading it now (the same message delivered twice at once): this one
    // goes back to the queue and finds it recorded, or the lease expired, when it returns.
    throw new Error(`${part.key} is being read by another invocation; handed back to be tried again`);
}

/** The faces of a part to read, on its decoded image; `undefined` when the image is gone (withdrawn). */
async function packItems(clients: StageClients, part: Part): Promise<PackItem<Part>[] | undefined> {
    const body = part.cropBody ?? (await clients.getObject(part.bucket, part.imageKey, MAX_IMAGE_BYTES))?.body;
    if (body === undefined) {
        return undefined;
    }
    let image;
    try {
        image = decodeJpeg(body);
    } catch (error) {
        throw new PermanentError(`s3://${part.bucket}/${part.imageKey} is not a JPEG the stage can read: ${(error as Error).message}`);
    }
    // A crop is the face with a margin whose size its metadata does not give: the face is taken
    // to fill it, so the face Rekognition finds over most of it is the crop's.
    return part.faces.map(({ cell, region = { left: 0, top: 0, width: image.width, height: image.height }, source }) =>
        ({ ...cellPixels(image, region), source: source ?? { left: cell.box.x, top: cell.box.y, width: cell.box.width, height: cell.box.height }, cell, ref: part }));
}

/**
 * Withdraws a frame: its item becomes a tombstone without parts, the interval's read it held is
 * given back, and the interval's summary is computed again without it.
 */
async function withdrawFrame(clients: StageClients, config: StageConfig, frame: FrameOf, now: Date): Promise<void> {
    const item = await clients.getItem(frameRead(config.table, frame));
    await clients.update(withdrawWrite(config.table, frame, Object.keys(item ?? {}), now, config.retentionDays));
    const interval = intervalOf(frame.capturedAt, config.readIntervalSeconds || SERIES_SECONDS_WHEN_READING_ALL);
    await clients.update(claimRelease(config.table, frame, interval.start));
    await refreshSummary(clients, config, frame.stream, interval, now);
}

/**
 * A deleted manifest or crop: the frame it belongs to, if the stage recorded it, is withdrawn. The
 * key gives the day, stream and frame id, not the capture time, so the day's items of the frame
 * id are looked up (a rare event: only a failed request deletes).
 */
async function withdrawDeleted(clients: StageClients, config: StageConfig, key: string, now: Date): Promise<SheetOutcome> {
    const parsed = parseFrameKey(key);
    if (parsed === undefined || parsed.kind === "sheet") {
        return { key, result: "not a sheet manifest or crop" };
    }
    const items = await clients.query(framesOfDayQuery(config.table, parsed.stream, parsed.day, parsed.frameId));
    for (const item of items) {
        await withdrawFrame(clients, config, { stream: parsed.stream, frameId: parsed.frameId, capturedAt: new Date(String(item.capturedAt)) }, now);
    }
    return { key, stream: parsed.stream, result: "withdrawn", ...(items.length === 1 && { capturedAt: String(items[0].capturedAt) }) };
}

/** An interval's summary from its frames, written over an older one; retried while concurrent writers overtake. */
async function refreshSummary(clients: StageClients, config: StageConfig, stream: string, interval: { start: Date; end: Date }, now: Date): Promise<IntervalSummary> {
    let summary: IntervalSummary;
    let attempt = 0;
    do {
        summary = summarize(interval, (await clients.query(framesQuery(config.table, stream, interval))).map(frameEntry));
        attempt++;
    } while (await clients.update(intervalWrite(config.table, stream, summary, now, config.retentionDays)) === "already" && attempt < SUMMARY_ATTEMPTS);
    return summary;
}

/**
 * The handler for a batch of SQS messages. The messages that fail (their object could not be read,
 * or the Rekognition call of a pack holding their faces failed) are returned as
 * `batchItemFailures`, so SQS retries only those (the event source mapping reports batch item
 * failures); nothing already recorded is recorded twice when they come back.
 */
export function createHandler(clients: StageClients, config: StageConfig, log: LogLine = stdout) {
    return async (event: SqsEvent, context?: { getRemainingTimeInMillis(): number; awsRequestId?: string }) => {
        // The detector's log fields, as far as the stage has them: time, level, message, request id,
        // and per message its frame id, stream and outcome (`result`).
        const line = (level: "info" | "warn" | "error", message: string, fields: object) => log(JSON.stringify({
            time: new Date().toISOString(), level, message, ...(context?.awsRequestId && { requestId: context.awsRequestId }), ...fields,
        }));
        const now = new Date();
        const failed = new Map<string, string>();
        const outcomes = new Map<string, SheetOutcome>();
        const refused = new Map<string, string>();
        // A message whose input can never succeed is refused, once; any other failure is retried.
        const fail = (messageId: string, error: unknown) => {
            if (isPermanent(error)) {
                refused.set(messageId, (error as Error).message);
            } else {
                failed.set(messageId, (error as Error).message);
            }
        };
        const timeLeft = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;

        // Each message's object, and whether its frame is read.
        const toRead: Part[] = [];
        const seen: Part[] = [];
        await forEachLimited(event.Records, MESSAGES_AT_ONCE, async (record) => {
            try {
                const { bucket, key, deleted } = objectOfEvent(record.body);
                if (deleted !== undefined) {
                    // Expired by the bucket's lifecycle: the frame was whole, and its results stay.
                    outcomes.set(record.messageId, deleted === "DeleteObject" ? await withdrawDeleted(clients, config, key, now) : { key, result: "expired" });
                    return;
                }
                const part = await readPart(clients, config, record.messageId, bucket, key);
                if (!("frame" in part)) {
                    outcomes.set(record.messageId, part);
                    return;
                }
                seen.push(part);
                const { decision, newFrame } = await decideRead(clients, config, part, now);
                // Once per frame: its first message to record it.
                if (newFrame) {
                    log(JSON.stringify(crowdMetrics(config.pipeline, config.namespace, part.frame.stream, part.frame.faces, part.frame.capturedAt)));
                }
                const about = { key, stream: part.frame.stream, frameId: part.frame.frameId, capturedAt: part.frame.capturedAt.toISOString() };
                if (decision === "read") {
                    toRead.push(part);
                } else {
                    outcomes.set(record.messageId, { ...about, result: decision });
                }
            } catch (error) {
                fail(record.messageId, error);
            }
        });

        // The faces of the frames read, packed across frames and streams: one call per pack.
        const items: PackItem<Part>[] = [];
        await forEachLimited(toRead, SHEETS_DECODED_AT_ONCE, async (part) => {
            try {
                const faces = await packItems(clients, part);
                if (faces === undefined) {
                    outcomes.set(part.messageId, { key: part.key, stream: part.frame.stream, frameId: part.frame.frameId, capturedAt: part.frame.capturedAt.toISOString(), result: "withdrawn" });
                } else {
                    items.push(...faces);
                }
            } catch (error) {
                fail(part.messageId, error);
            }
        });
        items.sort((a, b) => a.ref.messageId.localeCompare(b.ref.messageId) || a.cell.face - b.cell.face);
        const readings = new Map<Part, FaceMood[]>();
        for (const pack of layoutPacks(items)) {
            if (timeLeft() < DEADLINE_MARGIN_MS) {
                // Not started: its frames go back to the queue, untried rather than timed out.
                pack.items.forEach((item) => failed.set(item.ref.messageId, "the invocation's time ran short; handed back untried"));
                continue;
            }
            try {
                const reading = readSheet({ sheetSize: { width: pack.width, height: pack.height }, cells: pack.cells }, await clients.detectFaces(renderPack(pack)));
                log(JSON.stringify(callMetrics(config.pipeline, config.namespace, pack.items.length, reading.strays, now)));
                reading.faces.forEach((mood) => {
                    const item = pack.items[mood.face];
                    readings.set(item.ref, [...(readings.get(item.ref) ?? []), { ...mood, face: item.cell.face }]);
                });
            } catch (error) {
                pack.items.forEach((item) => fail(item.ref.messageId, error));
            }
        }

        // The leases of the parts this invocation could not read, given back for their return.
        await forEachLimited(toRead.filter((part) => failed.has(part.messageId) || refused.has(part.messageId)), MESSAGES_AT_ONCE, async (part) => {
            await clients.update(leaseRelease(config.table, part.frame, part.attribute)).catch(() => undefined);
        });

        // Each part read, recorded once.
        await Promise.all([...readings].filter(([part]) => !failed.has(part.messageId)).map(async ([part, faces]) => {
            try {
                const written = await clients.update(partWrite(config.table, part.frame, part.attribute, { key: part.imageKey, faces }, now));
                // Withdrawn while it was read (its delete event may have come and gone before the
                // write): the manifest, read again after the write, tells.
                const withdrawn = !await clients.exists(part.bucket, part.key);
                if (withdrawn) {
                    await withdrawFrame(clients, config, part.frame, now);
                }
                outcomes.set(part.messageId, {
                    key: part.key, stream: part.frame.stream, frameId: part.frame.frameId, capturedAt: part.frame.capturedAt.toISOString(),
                    result: withdrawn ? "withdrawn" : written === "written" ? "recorded" : "already recorded", faces: faces.length,
                });
                if (written === "written" && !withdrawn) {
                    log(JSON.stringify(moodMetrics(config.pipeline, config.namespace, part.frame.stream, faces, part.frame.capturedAt)));
                }
            } catch (error) {
                fail(part.messageId, error);
            }
        }));

        // Every interval a frame of the batch falls in: its summary from its frames.
        const intervals = new Map(seen.filter((part) => !failed.has(part.messageId))
            .map((part) => [`${part.frame.stream} ${part.interval.start.toISOString()}`, part] as const));
        await Promise.all([...intervals.values()].map(async (part) => {
            try {
                const summary = await refreshSummary(clients, config, part.frame.stream, part.interval, now);
                await clients.update(streamSeenWrite(config.table, part.frame.stream, part.interval.start, now, config.retentionDays));
                line("info", "interval summed up", { stream: part.frame.stream, interval: summary });
            } catch (error) {
                // The frames are recorded; the summary is refreshed by the interval's next frame,
                // or by this message when it comes back.
                fail(part.messageId, error);
            }
        }));

        for (const record of event.Records) {
            const error = failed.get(record.messageId);
            const refusal = refused.get(record.messageId);
            if (error !== undefined) {
                line("error", "message handed back to be retried", { messageId: record.messageId, result: "failed", error, retried: true });
            } else if (refusal !== undefined) {
                line("error", "message refused", { messageId: record.messageId, result: "refused", error: refusal, retried: false });
            } else {
                line("info", `sheet ${outcomes.get(record.messageId)?.result ?? "handled"}`, { messageId: record.messageId, ...outcomes.get(record.messageId) });
            }
        }
        if (refused.size > 0) {
            log(JSON.stringify(refusedMetrics(config.pipeline, config.namespace, refused.size, now)));
        }
        return { batchItemFailures: [...failed.keys()].map((itemIdentifier) => ({ itemIdentifier })) };
    };
}

/** The stage's settings, from the function's environment; a missing or bad one stops it at once, named. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): StageConfig {
    const table = env[EMOTION_ENV.resultsTable];
    const retentionDays = Number(env[EMOTION_ENV.retentionDays] ?? "30");
    const readIntervalSeconds = Number(env[EMOTION_ENV.readIntervalSeconds] ?? String(READ_INTERVAL.default));
    if (!table) {
        throw new Error(`${EMOTION_ENV.resultsTable} is not set: the function needs the name of its DynamoDB table.`);
    }
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
        throw new Error(`${EMOTION_ENV.retentionDays} must be a whole number of days, 1 or more, got "${env[EMOTION_ENV.retentionDays]}".`);
    }
    if (!Number.isInteger(readIntervalSeconds) || readIntervalSeconds < READ_INTERVAL.min || readIntervalSeconds > READ_INTERVAL.max) {
        throw new Error(`${EMOTION_ENV.readIntervalSeconds} must be a whole number of seconds from ${READ_INTERVAL.min} to ${READ_INTERVAL.max}, got "${env[EMOTION_ENV.readIntervalSeconds]}".`);
    }
    return {
        table,
        retentionDays,
        readIntervalSeconds,
        pipeline: env[EMOTION_ENV.pipeline] ?? "face-detection",
        namespace: env[EMOTION_ENV.metricsNamespace] ?? DEFAULT_METRICS_NAMESPACE,
    };
}

/** The table's calls through a DynamoDB client. */
export function dynamoClients(dynamodb: DynamoDBClient): Pick<StageClients, "update" | "query" | "getItem"> {
    return {
        async update(input) {
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
        async query(input) {
            const items: Record<string, unknown>[] = [];
            let start: QueryCommandInput["ExclusiveStartKey"];
            do {
                const page = await dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
                items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
                start = page.LastEvaluatedKey;
            } while (start !== undefined);
            return items;
        },
        async getItem(input) {
            const found = await dynamodb.send(new GetItemCommand(input));
            return found.Item === undefined ? undefined : unmarshall(found.Item);
        },
    };
}

/** The real clients, configured by the SDK's standard settings (region, credentials, `AWS_ENDPOINT_URL_*`). */
export function awsClients(): StageClients {
    // Every call ends in time for the invocation to hand back what it could not finish.
    const timeouts = (requestTimeout: number) => ({ requestHandler: { connectionTimeout: 3_000, requestTimeout, throwOnRequestTimeout: true }, maxAttempts: 3 });
    const s3 = new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, ...timeouts(10_000) });
    // One attempt of at most 12 s: a call started with the deadline margin (15 s) left ends in
    // time, and the queue, not the client, retries what fails.
    const rekognition = new RekognitionClient({ ...timeouts(12_000), maxAttempts: 1 });
    return {
        async getObject(bucket, key, maxBytes) {
            try {
                const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
                // Bounded before the body is read: a 300 MB "sheet" must not take the function's memory.
                if ((object.ContentLength ?? 0) > maxBytes) {
                    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
                    throw new PermanentError(`s3://${bucket}/${key} is ${object.ContentLength} bytes, over the ${maxBytes} a sheet or its manifest can be.`);
                }
                return { body: Buffer.from(await object.Body!.transformToByteArray()), metadata: object.Metadata ?? {} };
            } catch (error) {
                // 404 only: the role may list the sheets' prefix, so S3 tells a missing key from a
                // denied one, and a denied read is an error to retry, not a withdrawn frame.
                if (error instanceof NoSuchKey || (error as Error).name === "NoSuchKey") {
                    return undefined;
                }
                throw error;
            }
        },
        async exists(bucket, key) {
            try {
                await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
                return true;
            } catch (error) {
                // A HEAD's 404 has no body, so the SDK names it NotFound (NoSuchKey for a GET).
                if (error instanceof NotFound || (error as Error).name === "NotFound" || (error as Error).name === "NoSuchKey") {
                    return false;
                }
                throw error;
            }
        },
        async detectFaces(image) {
            const answer = await rekognition.send(new DetectFacesCommand({ Image: { Bytes: image }, Attributes: ["EMOTIONS"] }));
            return answer.FaceDetails ?? [];
        },
        ...dynamoClients(new DynamoDBClient({ ...timeouts(5_000) })),
    };
}

let configured: ReturnType<typeof createHandler> | undefined;

/** The function's entry point (`handler.handler`): clients and settings made once per container. */
export const handler = (event: SqsEvent, context?: { getRemainingTimeInMillis(): number }) => {
    configured ??= createHandler(awsClients(), configFromEnvironment());
    // The context, for the time left: without it, no deadline is kept.
    return configured(event, context);
};
