import * as assert from "assert";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { SheetManifest } from "@crowd-emotions/face-detection-contract";
import { sheetWrite } from "../../emotions/src/frameRecord";
import { createHandler, objectOfEvent, StageClients, StageConfig } from "../../emotions/src/handler";
import { emotionShares, moodMetrics } from "../../emotions/src/mood";
import { readSheet, RekognitionFace } from "../../emotions/src/sheetFaces";

/** Two cells of 100×100 px side by side on a 232×116 sheet, 16 px apart. */
const MANIFEST: SheetManifest = {
    version: 2, frameId: "frame-7", stream: "lobby-1", capturedAt: "2026-12-07T10:15:30.250Z", frameFaces: 2, sheets: 1, sheet: 0, frame: { width: 1920, height: 1080 }, sheetSize: { width: 232, height: 116 },
    cells: [
        { face: 0, box: { x: 100, y: 100, width: 40, height: 50 }, score: 0.98, source: { left: 80, top: 80, width: 80, height: 80 }, placed: { left: 8, top: 8, width: 100, height: 100 } },
        { face: 1, box: { x: 900, y: 500, width: 42, height: 52 }, score: 0.71, source: { left: 880, top: 480, width: 80, height: 80 }, placed: { left: 124, top: 8, width: 100, height: 100 } },
    ],
};
/** A Rekognition face centred at (x, y) sheet pixels, 40 px wide. */
const faceAt = (x: number, y: number, confidence: number, emotions: Record<string, number> = {}): RekognitionFace => ({
    BoundingBox: { Left: (x - 20) / 232, Top: (y - 20) / 116, Width: 40 / 232, Height: 40 / 116 },
    Confidence: confidence,
    Emotions: Object.entries(emotions).map(([Type, Confidence]) => ({ Type, Confidence })),
});

describe("the emotion stage", () => {
    describe("a sheet read back to the frame", () => {
        it("gives each cell the face Rekognition found in it, records the others as not found, and counts strays", () => {
            const reading = readSheet(MANIFEST, [
                faceAt(58, 58, 99.91, { HAPPY: 91.234, CALM: 6.5, SAD: 0.2 }),
                faceAt(60, 90, 40.0, { ANGRY: 99 }),          // a weaker second box in the same cell
                faceAt(116, 58, 88, { FEAR: 50 }),            // in the grey between the cells
            ]);
            assert.deepStrictEqual(reading.faces, [
                { face: 0, box: MANIFEST.cells[0].box, score: 0.98, found: true, confidence: 99.9, emotion: "HAPPY", emotions: { HAPPY: 91.2, CALM: 6.5, SAD: 0.2 } },
                { face: 1, box: MANIFEST.cells[1].box, score: 0.71, found: false },
            ]);
            assert.strictEqual(reading.strays, 1);
        });

        it("ignores emotion types Rekognition may add later, and boxes without coordinates", () => {
            const reading = readSheet(MANIFEST, [faceAt(174, 58, 97, { SURPRISED: 70, UNKNOWN: 90 }), { Confidence: 99 }]);
            assert.deepStrictEqual(reading.faces[1].emotions, { SURPRISED: 70 });
            assert.strictEqual(reading.faces[1].emotion, "SURPRISED");
            assert.strictEqual(reading.strays, 1);
        });

        it("shares each emotion among the faces read, and puts the mood into embedded metric format", () => {
            const { faces } = readSheet(MANIFEST, [faceAt(58, 58, 99, { HAPPY: 90 }), faceAt(174, 58, 99, { SAD: 80, HAPPY: 10 })]);
            assert.deepStrictEqual(emotionShares(faces), { HAPPY: 50, SAD: 50, ANGRY: 0, CONFUSED: 0, DISGUSTED: 0, SURPRISED: 0, CALM: 0, FEAR: 0 });
            const line = moodMetrics("face-detection-prod", "CrowdEmotions", faces, new Date("2026-12-02T10:00:00Z")) as any;
            assert.deepStrictEqual(line._aws.CloudWatchMetrics[0].Dimensions, [["Pipeline"]]);
            assert.strictEqual(line._aws.Timestamp, Date.parse("2026-12-02T10:00:00Z"));
            assert.deepStrictEqual([line.Pipeline, line.Faces, line.FacesRead, line.HappyShare, line.SadShare], ["face-detection-prod", 2, 2, 50, 50]);
            // Every value the line carries is declared as a metric, and the other way round.
            const declared = line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort();
            assert.deepStrictEqual(declared, Object.keys(line).filter((k) => !["_aws", "Pipeline"].includes(k)).sort());
        });

        it("declares no shares for a sheet with no face read", () => {
            const line = moodMetrics("p", "n", readSheet(MANIFEST, []).faces, new Date()) as any;
            assert.deepStrictEqual(line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name), ["Faces", "FacesRead"]);
        });
    });

    it("writes a sheet into its frame's item once, with the frame's expiry", () => {
        const now = new Date("2026-12-02T10:00:00Z");
        const input = sheetWrite("results", MANIFEST, readSheet(MANIFEST, []), { sheetKey: "k.jpg", manifestKey: "k.json" }, now, 30);
        assert.strictEqual(input.ConditionExpression, "attribute_not_exists(#result)");
        assert.strictEqual(input.ExpressionAttributeNames!["#result"], "sheet0");
        const values = unmarshall(input.ExpressionAttributeValues!);
        assert.strictEqual(values[":expiresAt"], Date.parse("2027-01-01T10:00:00Z") / 1000);
        assert.deepStrictEqual(unmarshall(input.Key!), { frameId: "frame-7" });
        assert.strictEqual(values[":result"].faces.length, 2);
        assert.deepStrictEqual(values[":frame"], { width: 1920, height: 1080 });
    });

    describe("the handler", () => {
        const config: StageConfig = { table: "results", retentionDays: 7, pipeline: "p", namespace: "CrowdEmotions" };
        const eventFor = (key: string, messageId = key) => ({
            messageId,
            body: JSON.stringify({ "detail-type": "Object Created", "source": "aws.s3", "detail": { bucket: { name: "crops" }, object: { key } } }),
        });

        /** Objects in a bucket, a table, and a Rekognition that answers from a list. */
        function stage(faces: RekognitionFace[] | Error) {
            const objects = new Map<string, Buffer>([
                ["crops/2026/12/02/frame-7/sheet-0.json", Buffer.from(JSON.stringify(MANIFEST))],
                ["crops/2026/12/02/frame-7/sheet-0.jpg", Buffer.from("jpeg bytes")],
            ]);
            const items = new Map<string, Record<string, unknown>>();
            const metadata = new Map<string, Record<string, string>>();
            const calls = { detect: 0 };
            const clients: StageClients = {
                getObject: async (_bucket, key) => {
                    const body = objects.get(key);
                    return body === undefined ? undefined : { body, metadata: metadata.get(key) ?? {} };
                },
                detectFaces: async () => {
                    calls.detect++;
                    if (faces instanceof Error) {
                        throw faces;
                    }
                    return faces;
                },
                isRecorded: async (_table, frameId, attribute) => items.get(frameId)?.[attribute] !== undefined,
                write: async (input) => {
                    const frameId = unmarshall(input.Key!).frameId as string;
                    const attribute = input.ExpressionAttributeNames!["#result"];
                    if (items.get(frameId)?.[attribute] !== undefined) {
                        return "already";
                    }
                    items.set(frameId, { ...items.get(frameId), [attribute]: unmarshall(input.ExpressionAttributeValues!)[":result"] });
                    return "written";
                },
            };
            return { clients, objects, items, calls, metadata };
        }

        /** A handler whose log lines are kept, parsed. */
        function logged(clients: StageClients) {
            const lines: any[] = [];
            const handler = createHandler(clients, config, (line) => lines.push(JSON.parse(line)));
            return async (records: ReturnType<typeof eventFor>[]) => {
                lines.length = 0;
                return { result: await handler({ Records: records }), lines: [...lines] };
            };
        }

        it("records a sheet once: a redelivered event asks Rekognition nothing and writes nothing twice", async () => {
            const s = stage([faceAt(58, 58, 99, { CALM: 80 })]);
            const run = logged(s.clients);
            const first = await run([eventFor("crops/2026/12/02/frame-7/sheet-0.json")]);
            assert.deepStrictEqual(first.result, { batchItemFailures: [] });
            assert.deepStrictEqual(first.lines.find((l) => l.result)?.result, "recorded");
            assert.strictEqual(first.lines.find((l) => l._aws)?.FacesRead, 1);
            const again = await run([eventFor("crops/2026/12/02/frame-7/sheet-0.json", "redelivered")]);
            assert.deepStrictEqual(again.lines.map((l) => l.result), ["already recorded"]);
            assert.strictEqual(s.calls.detect, 1);
            assert.strictEqual((s.items.get("frame-7")!.sheet0 as any).faces[0].emotion, "CALM");
        });

        it("skips sheet images and sheets the detector withdrew, and fails only the message that failed", async () => {
            const s = stage(new Error("ThrottlingException: Rate exceeded"));
            s.objects.delete("crops/2026/12/02/frame-7/sheet-0.jpg");
            s.objects.set("crops/2026/12/02/frame-8/sheet-0.json", Buffer.from(JSON.stringify({ ...MANIFEST, frameId: "frame-8" })));
            s.objects.set("crops/2026/12/02/frame-8/sheet-0.jpg", Buffer.from("jpeg"));
            const { result, lines } = await logged(s.clients)([
                eventFor("crops/2026/12/02/frame-7/sheet-0.jpg"),
                eventFor("crops/2026/12/02/frame-7/sheet-0.json"),
                eventFor("crops/2026/12/02/frame-8/sheet-0.json"),
                { messageId: "garbled", body: "{}" },
            ]);
            assert.deepStrictEqual(lines.map((l) => l.result ?? l.error), [
                "not a sheet manifest or crop",
                "withdrawn",
                "ThrottlingException: Rate exceeded",
                'Not an S3 "Object Created" event: {}',
            ]);
            assert.deepStrictEqual(result.batchItemFailures, [
                { itemIdentifier: "crops/2026/12/02/frame-8/sheet-0.json" }, { itemIdentifier: "garbled" },
            ]);
            assert.strictEqual(s.items.size, 0);
        });

        it("reads a face crop where the detector stores crops: the largest face in it, with the box and score from its metadata", async () => {
            const s = stage([
                { BoundingBox: { Left: 0.7, Top: 0, Width: 0.2, Height: 0.3 }, Confidence: 99, Emotions: [{ Type: "ANGRY", Confidence: 80 }] },
                { BoundingBox: { Left: 0.2, Top: 0.2, Width: 0.6, Height: 0.6 }, Confidence: 98, Emotions: [{ Type: "SURPRISED", Confidence: 70 }] },
            ]);
            s.objects.set("crops/2026/12/02/frame-9/face-3.jpg", Buffer.from("jpeg"));
            s.metadata.set("crops/2026/12/02/frame-9/face-3.jpg", { "frame-id": "frame-9", "face-index": "3", "score": "0.97", "box": "10,20,40,50" });
            const run = logged(s.clients);
            assert.deepStrictEqual((await run([eventFor("crops/2026/12/02/frame-9/face-3.jpg")])).lines[1].result, "recorded");
            assert.deepStrictEqual((await run([eventFor("crops/2026/12/02/frame-9/face-3.jpg", "again")])).lines[0].result, "already recorded");
            assert.strictEqual(s.calls.detect, 1);
            const face = s.items.get("frame-9")!.face3 as Record<string, unknown>;
            assert.deepStrictEqual([face.face, face.box, face.score, face.emotion, face.cropKey],
                [3, { x: 10, y: 20, width: 40, height: 50 }, 0.97, "SURPRISED", "crops/2026/12/02/frame-9/face-3.jpg"]);
        });

        it("refuses a crop without the detector's metadata, naming the object", async () => {
            const s = stage([]);
            s.objects.set("crops/x/face-0.jpg", Buffer.from("jpeg"));
            const { lines } = await logged(s.clients)([eventFor("crops/x/face-0.jpg")]);
            assert.strictEqual(lines[0].error, "s3://crops/crops/x/face-0.jpg is not a face crop: its metadata lacks frame-id, face-index, score or box.");
        });

        it("refuses a manifest that is not one, naming the object", async () => {
            const s = stage([]);
            s.objects.set("crops/x/sheet-0.json", Buffer.from(JSON.stringify({ version: 1 })));
            const { lines } = await logged(s.clients)([eventFor("crops/x/sheet-0.json")]);
            assert.strictEqual(lines[0].error, "s3://crops/crops/x/sheet-0.json is not a face sheet manifest: version 1, expected 2.");
        });

        it("reads the key as EventBridge gives it, not URL-encoded", () => {
            assert.deepStrictEqual(objectOfEvent(JSON.stringify({ detail: { bucket: { name: "b" }, object: { key: "crops/2026/12/02/cam-1_12:00/sheet-0.json" } } })),
                { bucket: "b", key: "crops/2026/12/02/cam-1_12:00/sheet-0.json" });
        });
    });
});
