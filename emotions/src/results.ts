/**
 * The results table's writes. Per stream (partition key), sorted by time:
 *
 * - a frame item (`f#<capture time>#<frame id>`) for every frame with faces: its size and, for a
 *   frame that was read, one attribute per part read (`sheet0`, `sheet1`, … or, where the detector
 *   stores crops, `face0`, …), each written once (conditional on its absence, so a redelivered event
 *   writes nothing twice);
 * - an interval item (`i#<start>`): which frame the interval's read went to (claimed by one
 *   conditional write, so concurrent functions never both read an interval), and the interval's
 *   summary, recomputed from its frame items after every change (so it never counts a frame twice)
 *   and written only over an older one.
 *
 * A frame the detector withdrew after the stage read it (one of its later uploads failed, so its
 * client got an error and its objects were deleted) keeps its item as a tombstone (`withdrawn`)
 * with no parts: it counts in no summary, and no part is written to it afterwards.
 */
import { GetItemCommandInput, QueryCommandInput, UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import {
    FRAME_PREFIX, frameSortKey, intervalSortKey, RESULTS_KEY, RESULTS_SORT_KEY, RESULTS_TTL_ATTRIBUTE, STREAMS_PARTITION,
} from "@crowd-emotions/face-detection-contract";
import { FrameEntry, IntervalSummary } from "./series";
import { FaceMood } from "./sheetFaces";

/** A frame, as the stage knows it from a sheet's manifest (or a crop's metadata). */
export interface FrameFacts {
    readonly stream: string;
    readonly frameId: string;
    readonly capturedAt: Date;
    /** Faces in the frame, and the parts (sheets or crops) it was stored in. */
    readonly faces: number;
    readonly parts: number;
}

/** What names a frame's item. */
export type FrameOf = Pick<FrameFacts, "stream" | "frameId" | "capturedAt">;

/** A part's attribute on its frame's item: `sheet<n>` or `face<n>`. */
export const partAttribute = (kind: "sheet" | "face", index: number) => `${kind}${index}`;
const PART_ATTRIBUTE = /^(sheet|face)\d+$/;
/** The attribute that marks a withdrawn frame: when the stage learnt of it. */
export const WITHDRAWN_ATTRIBUTE = "withdrawn";

const keyOf = (stream: string, at: string) => marshall({ [RESULTS_KEY]: stream, [RESULTS_SORT_KEY]: at });
/** A frame item's key. */
const frameKey = (frame: FrameOf) => keyOf(frame.stream, frameSortKey(frame.capturedAt, frame.frameId));
const expiry = (now: Date, retentionDays: number) => Math.floor(now.getTime() / 1000) + retentionDays * 86_400;

/** The frame's item, with its size: written once for every frame, read or not ("already" for a frame recorded before). */
export function frameSeenWrite(table: string, frame: FrameFacts, interval: Date, now: Date, retentionDays: number): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: frameKey(frame),
        UpdateExpression: "SET #frameId = :frameId, #capturedAt = :capturedAt, #faces = :faces, #parts = :parts, #interval = :interval, "
            + "#expiresAt = if_not_exists(#expiresAt, :expiresAt)",
        ConditionExpression: "attribute_not_exists(#frameId)",
        ExpressionAttributeNames: {
            "#frameId": "frameId", "#capturedAt": "capturedAt", "#faces": "faces", "#parts": "parts", "#interval": "interval", "#expiresAt": RESULTS_TTL_ATTRIBUTE,
        },
        ExpressionAttributeValues: marshall({
            ":frameId": frame.frameId, ":capturedAt": frame.capturedAt.toISOString(), ":faces": frame.faces, ":parts": frame.parts,
            ":interval": interval.toISOString(), ":expiresAt": expiry(now, retentionDays),
        }),
    };
}

/**
 * Claims the interval's read for a frame: succeeds for the first frame that asks, and again for
 * that frame's other parts; every other frame of the interval, concurrent or late, is refused.
 */
export function claimWrite(table: string, frame: FrameFacts, interval: Date, now: Date, retentionDays: number): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: keyOf(frame.stream, intervalSortKey(interval)),
        UpdateExpression: "SET #readFrame = :frame, #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
        ConditionExpression: "attribute_not_exists(#readFrame) OR #readFrame = :frame",
        ExpressionAttributeNames: { "#readFrame": "readFrame", "#expiresAt": RESULTS_TTL_ATTRIBUTE },
        ExpressionAttributeValues: marshall({ ":frame": frameSortKey(frame.capturedAt, frame.frameId), ":expiresAt": expiry(now, retentionDays) }),
    };
}

/** How long a function instance holds a part while it reads it: longer than any invocation. */
export const READ_LEASE_MS = 15 * 60_000;

/**
 * Takes the part for this invocation while it reads it: refused where the part is recorded, or
 * another invocation (a concurrent delivery of the same message) holds an unexpired lease, so
 * that only one of them pays Rekognition for it.
 */
export function leaseWrite(table: string, frame: FrameFacts, attribute: string, now: Date): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: frameKey(frame),
        UpdateExpression: "SET #lease = :until",
        ConditionExpression: "attribute_not_exists(#part) AND attribute_not_exists(#withdrawn) AND (attribute_not_exists(#lease) OR #lease < :now)",
        ExpressionAttributeNames: { "#part": attribute, "#lease": `${attribute}Lease`, "#withdrawn": WITHDRAWN_ATTRIBUTE },
        ExpressionAttributeValues: marshall({ ":until": new Date(now.getTime() + READ_LEASE_MS).toISOString(), ":now": now.toISOString() }),
    };
}

/** Gives a part's lease back after its read failed, so that the message's return reads it at once. */
export function leaseRelease(table: string, frame: FrameFacts, attribute: string): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: frameKey(frame),
        UpdateExpression: "REMOVE #lease",
        ConditionExpression: "attribute_not_exists(#part)",
        ExpressionAttributeNames: { "#part": attribute, "#lease": `${attribute}Lease` },
    };
}

/** A consistent read of some attributes of a frame's item (all of them where none is named). */
export function frameRead(table: string, frame: FrameOf, attributes: readonly string[] = []): GetItemCommandInput {
    if (attributes.length === 0) {
        return { TableName: table, Key: frameKey(frame), ConsistentRead: true };
    }
    return {
        TableName: table, Key: frameKey(frame), ConsistentRead: true,
        ProjectionExpression: attributes.map((_name, i) => `#a${i}`).join(", "),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
    };
}

/** One part's reading into its frame's item, once. */
export function partWrite(
    table: string, frame: FrameFacts, attribute: string, value: { key: string; faces: readonly FaceMood[] }, now: Date,
): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: frameKey(frame),
        UpdateExpression: "SET #part = :part",
        ConditionExpression: "attribute_not_exists(#part) AND attribute_not_exists(#withdrawn)",
        ExpressionAttributeNames: { "#part": attribute, "#withdrawn": WITHDRAWN_ATTRIBUTE },
        ExpressionAttributeValues: marshall({ ":part": { ...value, readAt: now.toISOString() } }, { removeUndefinedValues: true }),
    };
}

/**
 * Marks a frame withdrawn and removes the parts recorded for it (`recorded`: the attribute names
 * its item holds). Written over any item, or none: a frame learnt withdrawn before its item was
 * written gets the tombstone all the same, so no later part is written to it.
 */
export function withdrawWrite(table: string, frame: FrameOf, recorded: readonly string[], now: Date, retentionDays: number): UpdateItemCommandInput {
    const parts = recorded.filter((name) => PART_ATTRIBUTE.test(name));
    return {
        TableName: table,
        Key: frameKey(frame),
        UpdateExpression: "SET #withdrawn = if_not_exists(#withdrawn, :now), #frameId = :frameId, #capturedAt = :capturedAt, "
            + "#expiresAt = if_not_exists(#expiresAt, :expiresAt)"
            + (parts.length > 0 ? ` REMOVE ${parts.map((_name, i) => `#p${i}`).join(", ")}` : ""),
        ExpressionAttributeNames: {
            "#withdrawn": WITHDRAWN_ATTRIBUTE, "#frameId": "frameId", "#capturedAt": "capturedAt", "#expiresAt": RESULTS_TTL_ATTRIBUTE,
            ...Object.fromEntries(parts.map((name, i) => [`#p${i}`, name])),
        },
        ExpressionAttributeValues: marshall({
            ":now": now.toISOString(), ":frameId": frame.frameId, ":capturedAt": frame.capturedAt.toISOString(), ":expiresAt": expiry(now, retentionDays),
        }),
    };
}

/** Gives the interval's read back where a withdrawn frame held it, so a later frame of the interval is read. */
export function claimRelease(table: string, frame: FrameOf, interval: Date): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: keyOf(frame.stream, intervalSortKey(interval)),
        UpdateExpression: "REMOVE #readFrame",
        ConditionExpression: "#readFrame = :frame",
        ExpressionAttributeNames: { "#readFrame": "readFrame" },
        ExpressionAttributeValues: marshall({ ":frame": frameSortKey(frame.capturedAt, frame.frameId) }),
    };
}

/**
 * The interval's summary, over the one there only where it is newer: it knows of more withdrawn
 * frames, or of as many and has more frames and more parts read, never fewer. (Withdrawals only
 * grow, and a summary computed after one sees every frame written before it.)
 */
export function intervalWrite(table: string, stream: string, summary: IntervalSummary, now: Date, retentionDays: number): UpdateItemCommandInput {
    const { start, ...fields } = summary;
    const names = Object.keys(fields);
    return {
        TableName: table,
        Key: keyOf(stream, intervalSortKey(new Date(start))),
        UpdateExpression: `SET ${names.map((_name, i) => `#f${i} = :f${i}`).join(", ")}, #start = :start, #updatedAt = :now, `
            + "#expiresAt = if_not_exists(#expiresAt, :expiresAt)"
            + (summary.leading === undefined ? " REMOVE #leading" : ""),
        ConditionExpression: "attribute_not_exists(#frames) OR #withdrawnFrames < :withdrawnFrames "
            + "OR ((attribute_not_exists(#withdrawnFrames) OR #withdrawnFrames = :withdrawnFrames) AND #frames <= :frames AND #partsRead <= :partsRead)",
        ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
            "#start": "start", "#updatedAt": "updatedAt", "#expiresAt": RESULTS_TTL_ATTRIBUTE,
            "#frames": "frames", "#partsRead": "partsRead", "#withdrawnFrames": "withdrawnFrames", ...(summary.leading === undefined ? { "#leading": "leading" } : {}),
        },
        ExpressionAttributeValues: marshall({
            ...Object.fromEntries(names.map((name, i) => [`:f${i}`, (fields as Record<string, unknown>)[name]])),
            ":start": start, ":now": now.toISOString(), ":expiresAt": expiry(now, retentionDays),
            ":frames": summary.frames, ":partsRead": summary.partsRead, ":withdrawnFrames": summary.withdrawnFrames,
        }, { removeUndefinedValues: true }),
    };
}

/** The stream in the list of streams seen, with its latest interval (`npm run moods -- --streams`). */
export function streamSeenWrite(table: string, stream: string, latest: Date, now: Date, retentionDays: number): UpdateItemCommandInput {
    return {
        TableName: table,
        Key: keyOf(STREAMS_PARTITION, stream),
        UpdateExpression: "SET #latest = :latest, #expiresAt = :expiresAt",
        ConditionExpression: "attribute_not_exists(#latest) OR #latest < :latest",
        ExpressionAttributeNames: { "#latest": "latest", "#expiresAt": RESULTS_TTL_ATTRIBUTE },
        ExpressionAttributeValues: marshall({ ":latest": latest.toISOString(), ":expiresAt": expiry(now, retentionDays) }),
    };
}

/** Every frame item of a stream whose capture time lies in [start, end). */
export function framesQuery(table: string, stream: string, interval: { start: Date; end: Date }): QueryCommandInput {
    return {
        TableName: table,
        KeyConditionExpression: "#stream = :stream AND #at BETWEEN :from AND :to",
        ExpressionAttributeNames: { "#stream": RESULTS_KEY, "#at": RESULTS_SORT_KEY },
        ExpressionAttributeValues: marshall({
            ":stream": stream,
            ":from": `${FRAME_PREFIX}${interval.start.toISOString()}`,
            // The last millisecond before `end`, and every frame id after it.
            ":to": `${FRAME_PREFIX}${new Date(interval.end.getTime() - 1).toISOString()}#\uffff`,
        }),
        ConsistentRead: true,
    };
}

/**
 * The frame items of a stream's day (`yyyy/mm/dd`, as in the objects' keys) with this frame id:
 * how a deleted object, whose key has the day but not the capture time, finds its frame.
 */
export function framesOfDayQuery(table: string, stream: string, day: string, frameId: string): QueryCommandInput {
    const start = new Date(`${day.replace(/\//g, "-")}T00:00:00.000Z`);
    return {
        ...framesQuery(table, stream, { start, end: new Date(start.getTime() + 86_400_000) }),
        FilterExpression: "#frameId = :frameId",
        ExpressionAttributeNames: { "#stream": RESULTS_KEY, "#at": RESULTS_SORT_KEY, "#frameId": "frameId" },
        ExpressionAttributeValues: marshall({
            ":stream": stream, ":from": `${FRAME_PREFIX}${start.toISOString()}`,
            ":to": `${FRAME_PREFIX}${new Date(start.getTime() + 86_400_000 - 1).toISOString()}#\uffff`, ":frameId": frameId,
        }),
    };
}

/** A frame item back as the series sums it up. */
export function frameEntry(item: Record<string, unknown>): FrameEntry {
    const parts = Object.keys(item).filter((name) => PART_ATTRIBUTE.test(name)).map((name) => item[name] as { faces?: FaceMood[] });
    return {
        withdrawn: item[WITHDRAWN_ATTRIBUTE] !== undefined,
        frameId: String(item.frameId),
        capturedAt: String(item.capturedAt),
        faces: Number(item.faces ?? 0),
        parts: Number(item.parts ?? 0),
        partsRead: parts.length,
        readings: parts.flatMap((part) => part.faces ?? []),
    };
}
