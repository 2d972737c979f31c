/**
 * The emotion stage under attack (`npm run bench -- --attack`): its handler with the real DynamoDB
 * client against a local table, a bucket the checks fill, and a Rekognition they control. Each
 * row is a message an attacker or a bad day sends, and what the stage must do with it.
 */
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import * as jpeg from "jpeg-js";
import { MANIFEST_VERSION, RESULTS_KEY, RESULTS_SORT_KEY, sheetKeys } from "@crowd-emotions/face-detection-contract";
import { createHandler, dynamoClients, MAX_MANIFEST_BYTES, PermanentError, StageClients } from "../../emotions/src/handler";
import { RekognitionFace } from "../../emotions/src/sheetFaces";
import { startLocalDynamo } from "../local/localDynamo";
import type { AttackRow } from "./attack";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function runStageAttack(): Promise<AttackRow[]> {
    const dynamo = await startLocalDynamo({ table: "attack" });
    const rows: AttackRow[] = [];
    try {
        let tables = 0;
        /** A fresh stage: its own table, bucket and Rekognition, and its log lines kept. */
        const stage = async (rekognition: (image: Buffer) => Promise<RekognitionFace[]>) => {
            const table = `attack-${++tables}`;
            await dynamo.client.send(new CreateTableCommand({
                TableName: table, BillingMode: "PAY_PER_REQUEST",
                KeySchema: [{ AttributeName: RESULTS_KEY, KeyType: "HASH" }, { AttributeName: RESULTS_SORT_KEY, KeyType: "RANGE" }],
                AttributeDefinitions: [{ AttributeName: RESULTS_KEY, AttributeType: "S" }, { AttributeName: RESULTS_SORT_KEY, AttributeType: "S" }],
            }));
            const objects = new Map<string, Buffer>();
            const calls = { detect: 0, bytesRead: 0 };
            const clients: StageClients = {
                async getObject(_bucket, key, maxBytes) {
                    const body = objects.get(key);
                    if (body !== undefined && body.length > maxBytes) {
                        // As the real client does: refused by its length, before the body is read.
                        throw new PermanentError(`${key} is ${body.length} bytes, over ${maxBytes}`);
                    }
                    calls.bytesRead += body?.length ?? 0;
                    return body === undefined ? undefined : { body, metadata: {} };
                },
                exists: async (_bucket, key) => objects.has(key),
                async detectFaces(image) {
                    calls.detect++;
                    return rekognition(image);
                },
                ...dynamoClients(dynamo.client),
            };
            const lines: Record<string, any>[] = [];
            const handler = createHandler(clients, { table, retentionDays: 1, pipeline: "attack", namespace: "attack", readIntervalSeconds: 10 }, (line) => lines.push(JSON.parse(line)));
            const frame = (stream: string, frameId: string, faces: number) => {
                const keys = sheetKeys("crops/", { stream, frameId, capturedAt: new Date(T0) }, 0);
                const cells = Array.from({ length: faces }, (_, face) => ({
                    face, box: { x: face * 200 + 40, y: 30, width: 80, height: 100 }, score: 0.9,
                    source: { left: face * 200, top: 0, width: 160, height: 160 }, placed: { left: face * 160, top: 0, width: 160, height: 160 },
                }));
                const manifest = {
                    version: MANIFEST_VERSION, frameId, stream, capturedAt: new Date(T0).toISOString(), frameFaces: faces, sheets: 1, sheet: 0,
                    frame: { width: 4096, height: 1080 }, sheetSize: { width: faces * 160, height: 160 }, cells,
                };
                objects.set(keys.image, jpeg.encode({ width: faces * 160, height: 160, data: new Uint8Array(faces * 160 * 160 * 4).fill(200) }, 80).data);
                objects.set(keys.manifest, Buffer.from(JSON.stringify(manifest)));
                return { keys, manifest, record: { messageId: frameId, body: JSON.stringify({ detail: { bucket: { name: "crops" }, object: { key: keys.manifest } } }) } };
            };
            return { objects, calls, lines, handler, frame };
        };
        const outcome = (lines: Record<string, any>[], id: string) => [...lines].reverse().find((line) => line.messageId === id);

        // A poisoned manifest: it claims another frame than its key says.
        {
            const s = await stage(async () => []);
            const poisoned = s.frame("lobby", "attacker", 2);
            s.objects.set(poisoned.keys.manifest, Buffer.from(JSON.stringify({ ...poisoned.manifest, frameId: "victim" })));
            const { batchItemFailures } = await s.handler({ Records: [poisoned.record] });
            const line = outcome(s.lines, "attacker");
            rows.push({
                check: "stage: a manifest claiming another frame", measured: `${line?.result}, ${batchItemFailures.length} retried, ${s.calls.detect} calls`,
                passed: line?.result === "refused" && batchItemFailures.length === 0 && s.calls.detect === 0,
            });
        }
        // An oversized "manifest": refused by its length, not read.
        {
            const s = await stage(async () => []);
            const big = s.frame("lobby", "big", 1);
            s.objects.set(big.keys.manifest, Buffer.alloc(100 * 1024 * 1024, 32));
            const { batchItemFailures } = await s.handler({ Records: [big.record] });
            rows.push({
                check: `stage: a 100 MB manifest (limit ${MAX_MANIFEST_BYTES / 1024} KB)`, measured: `${outcome(s.lines, "big")?.result}, ${s.calls.bytesRead} bytes read`,
                passed: outcome(s.lines, "big")?.result === "refused" && batchItemFailures.length === 0 && s.calls.bytesRead === 0,
            });
        }
        // Rekognition answering after 20 s, with 14 s left in the invocation: no call started that
        // could outlast it, the frames handed back untried.
        {
            const s = await stage(async () => {
                await new Promise((resolve) => setTimeout(resolve, 20_000));
                return [];
            });
            const records = ["a", "b"].map((stream) => s.frame(stream, `${stream}-1`, 3).record);
            const deadline = Date.now() + 14_000;
            const started = Date.now();
            const { batchItemFailures } = await s.handler({ Records: records }, { getRemainingTimeInMillis: () => deadline - Date.now() });
            const took = Date.now() - started;
            rows.push({
                check: "stage: Rekognition answering in 20 s, 14 s left", measured: `${batchItemFailures.length} of 2 handed back in ${seconds(took)}, ${s.calls.detect} calls`,
                passed: batchItemFailures.length === 2 && took < 14_000 && s.calls.detect === 0,
            });
        }
        // A frame id reused with another frame at the same capture time.
        {
            const s = await stage(async () => []);
            await s.handler({ Records: [s.frame("lobby", "cam7-000123", 2).record] });
            const reused = s.frame("lobby", "cam7-000123", 5);
            const { batchItemFailures } = await s.handler({ Records: [reused.record] });
            const line = outcome(s.lines, "cam7-000123");
            rows.push({
                check: "stage: a frame id reused for another frame", measured: `${line?.result}, ${batchItemFailures.length} retried`,
                passed: line?.result === "refused" && batchItemFailures.length === 0,
            });
        }
    } finally {
        await dynamo.close();
    }
    return rows;
}
