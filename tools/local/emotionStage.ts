/**
 * The emotion stage on one machine, with the very handler the Lambda function runs and the real
 * AWS SDK clients, pointed through the SDK's standard endpoint variables at local stand-ins: the
 * embedded S3 store, a DynamoDB-compatible store (dynalite) and the Rekognition STAND-IN
 * (rekognitionStandIn.ts; not Rekognition). Each sheet manifest the detector stores is handed to
 * the handler as EventBridge would hand it, once.
 */
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { CropOutput, DEFAULT_CROP_OUTPUT, DEFAULT_METRICS_NAMESPACE, RESULTS_KEY, storesSheets } from "@crowd-emotions/face-detection-contract";
import { awsClients, createHandler, CROP_KEY, MANIFEST_KEY, SheetOutcome } from "../../emotions/src/handler";
import { FaceMood } from "../../emotions/src/sheetFaces";
import { EmbeddedS3, embeddedS3Env } from "./embeddedS3";
import { LocalDynamo, startLocalDynamo } from "./localDynamo";
import { RekognitionStandIn, startRekognitionStandIn } from "./rekognitionStandIn";

export const RESULTS_TABLE = "crowd-mood";
/** The local DynamoDB's port: fixed, so `npm run moods` finds the table `npm start` writes. */
export const DYNAMODB_PORT = Number(process.env.LOCAL_DYNAMODB_PORT ?? 4569);

/** A frame's results as the table holds them: one attribute per sheet. */
export interface FrameResult {
    readonly frameId: string;
    readonly updatedAt: string;
    readonly faces: FaceMood[];
}

export interface LocalEmotionStage {
    readonly dynamo: LocalDynamo;
    readonly rekognition: RekognitionStandIn;
    /** Hands a stored object to the handler (sheet manifests and face crops); the same key is handled once. */
    objectStored(bucket: string, key: string): Promise<SheetOutcome | undefined>;
    close(): Promise<void>;
}

export async function startEmotionStage(
    s3: EmbeddedS3, ports: { dynamo?: number; rekognition?: number } = {}, cropOutput: CropOutput = DEFAULT_CROP_OUTPUT,
): Promise<LocalEmotionStage> {
    const dynamo = await startLocalDynamo({ table: RESULTS_TABLE, port: ports.dynamo });
    const rekognition = await startRekognitionStandIn(ports.rekognition);
    // The handler's clients read these, as the function's would read AWS's.
    Object.assign(process.env, embeddedS3Env(s3), { AWS_ENDPOINT_URL_REKOGNITION: rekognition.url, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
    // The handler's log lines (and embedded metrics) are CloudWatch's; locally the starter prints the
    // mood itself, and the lines are shown with DEBUG=1.
    const log = (line: string) => {
        if (process.env.DEBUG) {
            console.log(line);
        }
    };
    const handler = createHandler(awsClients(), { table: RESULTS_TABLE, retentionDays: 7, pipeline: "local", namespace: DEFAULT_METRICS_NAMESPACE }, log);
    const handled = new Map<string, Promise<SheetOutcome | undefined>>();
    return {
        dynamo, rekognition,
        objectStored(bucket, key) {
            // As the component's rule does: the manifests where the detector stores sheets, else the crops.
            const sheets = MANIFEST_KEY.test(key);
            const crops = CROP_KEY.test(key) && !storesSheets(cropOutput);
            if (!sheets && !crops) {
                return Promise.resolve(undefined);
            }
            if (!handled.has(key)) {
                const body = JSON.stringify({ "source": "aws.s3", "detail-type": "Object Created", "detail": { bucket: { name: bucket }, object: { key } } });
                handled.set(key, handler({ Records: [{ messageId: key, body }] }).then(({ batchItemFailures }) =>
                    (batchItemFailures.length === 0 ? { key, result: "recorded" as const } : undefined)));
            }
            return handled.get(key)!;
        },
        async close() {
            await rekognition.close();
            await dynamo.close();
        },
    };
}

/** Every frame's results in the table, newest first. */
export async function readFrameResults(dynamo: Pick<LocalDynamo, "client">, table: string): Promise<FrameResult[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, any> | undefined;
    do {
        const page = await dynamo.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
        start = page.LastEvaluatedKey;
    } while (start);
    return items.map(toFrameResult).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function readFrameResult(dynamo: Pick<LocalDynamo, "client">, table: string, frameId: string): Promise<FrameResult | undefined> {
    const item = (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { [RESULTS_KEY]: { S: frameId } }, ConsistentRead: true }))).Item;
    return item ? toFrameResult(unmarshall(item)) : undefined;
}

function toFrameResult(item: Record<string, any>): FrameResult {
    // A sheet's attribute holds its faces; a crop's (`face<n>`), its one face.
    const fromSheets = Object.keys(item).filter((key) => /^sheet\d+$/.test(key)).flatMap((key) => item[key].faces as FaceMood[]);
    const fromCrops = Object.keys(item).filter((key) => /^face\d+$/.test(key)).map((key) => item[key] as FaceMood);
    return {
        frameId: item[RESULTS_KEY],
        updatedAt: item.updatedAt ?? "",
        faces: [...fromSheets, ...fromCrops].sort((a, b) => a.face - b.face),
    };
}

/** "3 of 3 faces read: HAPPY 2, CALM 1" */
export function moodLine(result: FrameResult): string {
    const read = result.faces.filter((face) => face.emotion !== undefined);
    const counts = new Map<string, number>();
    for (const face of read) {
        counts.set(face.emotion!, (counts.get(face.emotion!) ?? 0) + 1);
    }
    const mood = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([emotion, n]) => `${emotion} ${n}`).join(", ");
    return `${read.length} of ${result.faces.length} faces read${mood ? `: ${mood}` : ""}`;
}
