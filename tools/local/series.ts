/**
 * Reading a stream's mood series from the results table, locally or deployed: one Query per
 * question (a stream's intervals between two times; the streams seen), never a Scan.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { EMOTIONS, INTERVAL_PREFIX, RESULTS_KEY, RESULTS_SORT_KEY, STREAMS_PARTITION } from "@crowd-emotions/face-detection-contract";
import { dynamoClients } from "../../emotions/src/handler";
import { IntervalSummary } from "../../emotions/src/series";

/** Reading them is the AWS caveat's business too: Rekognition reads facial expressions, not how people feel. */
export const EXPRESSIONS_CAVEAT = "Shares of faces whose expression was read: expressions, not inner states.";

/** Every page of a query, as the stage itself reads its table. */
const queryAll = (client: DynamoDBClient, input: Parameters<ReturnType<typeof dynamoClients>["query"]>[0]) => dynamoClients(client).query(input);

/** A stream's intervals that start in [from, to), oldest first. */
export async function querySeries(client: DynamoDBClient, table: string, stream: string, from: Date, to: Date): Promise<IntervalSummary[]> {
    const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: "#stream = :stream AND #at BETWEEN :from AND :to",
        ExpressionAttributeNames: { "#stream": RESULTS_KEY, "#at": RESULTS_SORT_KEY },
        ExpressionAttributeValues: marshall({
            ":stream": stream, ":from": `${INTERVAL_PREFIX}${from.toISOString()}`, ":to": `${INTERVAL_PREFIX}${new Date(to.getTime() - 1).toISOString()}`,
        }),
    });
    // An interval whose frames were seen but whose summary was never written has no `frames` yet.
    return items.filter((item) => typeof item.frames === "number").map((item) => {
        const { [RESULTS_KEY]: _stream, [RESULTS_SORT_KEY]: _at, readFrame: _claim, expiresAt: _expires, updatedAt: _updated, ...summary } = item;
        return summary as unknown as IntervalSummary;
    });
}

/** The streams seen, with the start of each one's latest interval. */
export async function listStreams(client: DynamoDBClient, table: string): Promise<{ stream: string; latest: string }[]> {
    const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: "#stream = :streams",
        ExpressionAttributeNames: { "#stream": RESULTS_KEY },
        ExpressionAttributeValues: marshall({ ":streams": STREAMS_PARTITION }),
    });
    return items.map((item) => ({ stream: String(item[RESULTS_SORT_KEY]), latest: String(item.latest) }));
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** "10:15:30–10:15:40  crowd 21 (max 24)  21 read  HAPPY 48% (27–69%), SAD 33% (17–55%)  low sample" */
export function formatInterval(summary: IntervalSummary): string {
    const time = (iso: string) => iso.slice(11, 19);
    const shares = EMOTIONS.map((emotion) => [emotion, summary.shares[emotion]] as const)
        .filter(([, share]) => share.share > 0)
        .sort((a, b) => b[1].share - a[1].share)
        .map(([emotion, share]) => `${emotion} ${percent(share.share)} (${percent(share.low)}–${percent(share.high)})`);
    return [
        `${time(summary.start)}–${time(summary.end)}`,
        `crowd ${summary.facesSeen.mean} (max ${summary.facesSeen.max}, ${summary.frames} frame${summary.frames === 1 ? "" : "s"})`,
        `${summary.facesRead} read`,
        shares.length > 0 ? shares.join(", ") : "no expression read",
        ...(summary.lowSample && summary.facesRead > 0 ? ["low sample"] : []),
    ].join("  ");
}
