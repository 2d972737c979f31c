/**
 * One DynamoDB item per frame, keyed by the frame id, with one attribute per sheet (`sheet0`,
 * `sheet1`, …; a frame of more than 100 faces has several sheets) or, where the detector stores one
 * crop per face, one per face (`face0`, `face1`, …). Each is written once: the write is conditional
 * on the attribute being absent, so a redelivered event writes nothing twice.
 */
import { UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { RESULTS_KEY, RESULTS_TTL_ATTRIBUTE, SheetManifest } from "@crowd-emotions/face-detection-contract";
import { FaceMood, SheetReading } from "./sheetFaces";

export const sheetAttribute = (sheet: number) => `sheet${sheet}`;
export const faceAttribute = (face: number) => `face${face}`;

/** The conditional write of one attribute of a frame's item. */
function resultWrite(
    table: string, frameId: string, attribute: string, value: Record<string, unknown>,
    frame: { width: number; height: number } | undefined, now: Date, retentionDays: number,
): UpdateItemCommandInput {
    const expiresAt = Math.floor(now.getTime() / 1000) + retentionDays * 86_400;
    const sets = ["#result = :result", "#expiresAt = if_not_exists(#expiresAt, :expiresAt)", "#updatedAt = :now"];
    if (frame !== undefined) {
        sets.push("#frame = if_not_exists(#frame, :frame)");
    }
    return {
        TableName: table,
        Key: marshall({ [RESULTS_KEY]: frameId }),
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: "attribute_not_exists(#result)",
        ExpressionAttributeNames: {
            "#result": attribute, "#expiresAt": RESULTS_TTL_ATTRIBUTE, "#updatedAt": "updatedAt", ...(frame ? { "#frame": "frame" } : {}),
        },
        ExpressionAttributeValues: marshall({
            ":result": { ...value, readAt: now.toISOString() },
            ":expiresAt": expiresAt,
            ":now": now.toISOString(),
            ...(frame ? { ":frame": frame } : {}),
        }, { removeUndefinedValues: true }),
    };
}

/** One sheet's reading, into its frame's item. */
export function sheetWrite(
    table: string, manifest: Pick<SheetManifest, "frameId" | "sheet" | "frame">, reading: SheetReading,
    keys: { sheetKey: string; manifestKey: string }, now: Date, retentionDays: number,
): UpdateItemCommandInput {
    return resultWrite(table, manifest.frameId, sheetAttribute(manifest.sheet),
        { ...keys, faces: reading.faces, strays: reading.strays }, manifest.frame, now, retentionDays);
}

/** One crop's reading, into its frame's item. */
export function cropWrite(table: string, frameId: string, face: FaceMood, cropKey: string, now: Date, retentionDays: number): UpdateItemCommandInput {
    return resultWrite(table, frameId, faceAttribute(face.face), { cropKey, ...face }, undefined, now, retentionDays);
}
