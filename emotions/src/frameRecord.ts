/**
 * One DynamoDB item per frame, keyed by the frame id, with one attribute per sheet
 * (`sheet0`, `sheet1`, …; a frame of more than 100 faces has several sheets). Each sheet's result is
 * written once: the write is conditional on the sheet's attribute being absent, so a redelivered
 * event writes nothing twice.
 */
import { UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { RESULTS_KEY, RESULTS_TTL_ATTRIBUTE, SheetManifest } from "face-detection-contract";
import { SheetReading } from "./sheetFaces";

export const sheetAttribute = (sheet: number) => `sheet${sheet}`;

/** The conditional write of one sheet's reading into its frame's item. */
export function sheetWrite(
    table: string, manifest: Pick<SheetManifest, "frameId" | "sheet" | "frame">, reading: SheetReading,
    keys: { sheetKey: string; manifestKey: string }, now: Date, retentionDays: number,
): UpdateItemCommandInput {
    const expiresAt = Math.floor(now.getTime() / 1000) + retentionDays * 86_400;
    return {
        TableName: table,
        Key: marshall({ [RESULTS_KEY]: manifest.frameId }),
        UpdateExpression: "SET #sheet = :sheet, #frame = if_not_exists(#frame, :frame), #expiresAt = if_not_exists(#expiresAt, :expiresAt), #updatedAt = :now",
        ConditionExpression: "attribute_not_exists(#sheet)",
        ExpressionAttributeNames: { "#sheet": sheetAttribute(manifest.sheet), "#frame": "frame", "#expiresAt": RESULTS_TTL_ATTRIBUTE, "#updatedAt": "updatedAt" },
        ExpressionAttributeValues: marshall({
            ":sheet": { ...keys, faces: reading.faces, strays: reading.strays, readAt: now.toISOString() },
            ":frame": manifest.frame,
            ":expiresAt": expiresAt,
            ":now": now.toISOString(),
        }, { removeUndefinedValues: true }),
    };
}
