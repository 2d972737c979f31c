/**
 * The handler over time, against a real local DynamoDB (dynalite) through the real SDK client, with
 * a bucket and a Rekognition that the tests control: one read per stream and interval (also under
 * concurrency), faces of several frames packed into one call and mapped back, a pack's failure
 * handed back to the queue, nothing recorded twice, the series by Query.
 */
import * as assert from "assert";
import { marshall } from "@aws-sdk/util-dynamodb";
import * as jpeg from "jpeg-js";
import { frameSortKey, MANIFEST_VERSION, SheetManifest, sheetKeys } from "@crowd-emotions/face-detection-contract";
import { createHandler, dynamoClients, MAX_MANIFEST_BYTES, PermanentError, StageClients, StageConfig } from "../../emotions/src/handler";
import { PACK_CELL, PACK_GAP } from "../../emotions/src/packing";
import { partAttribute, partWrite } from "../../emotions/src/results";
import { RekognitionFace } from "../../emotions/src/sheetFaces";
import { LocalDynamo, startLocalDynamo } from "../../tools/local/localDynamo";
import { listStreams, querySeries } from "../../tools/local/series";

const CELL = 160;
const T0 = Date.parse("2026-12-07T10:15:30Z");

/**
 * A frame's first sheet: its first 100 faces as cells of 160 px in a row-major grid, each a square
 * of one grey (bright or dark).
 */
function sheetOf(stream: string, frameId: string, capturedAt: Date, frameFaces: number, grey: (face: number) => number) {
    const faces = Math.min(frameFaces, 100);
    const columns = Math.ceil(Math.sqrt(faces));
    const rows = Math.ceil(faces / columns);
    const width = columns * CELL;
    const height = rows * CELL;
    const data = new Uint8Array(width * height * 4).fill(128);
    const cells = Array.from({ length: faces }, (_, face) => {
        const placed = { left: (face % columns) * CELL, top: Math.floor(face / columns) * CELL, width: CELL, height: CELL };
        for (let y = placed.top; y < placed.top + CELL; y++) {
            for (let x = placed.left; x < placed.left + CELL; x++) {
                data.fill(grey(face), (y * width + x) * 4, (y * width + x) * 4 + 3);
            }
        }
        // The frame region drawn: the face (80×100) with its margin, 160 px square like the cell.
        const [left, top] = [(face % 20) * 200, Math.floor(face / 20) * 200];
        return { face, box: { x: left + 40, y: top + 30, width: 80, height: 100 }, score: 0.9, source: { left, top, width: CELL, height: CELL }, placed };
    });
    const manifest: SheetManifest = {
        version: MANIFEST_VERSION, frameId, stream, capturedAt: capturedAt.toISOString(), frameFaces, sheets: Math.ceil(frameFaces / 100), sheet: 0,
        frame: { width: 4096, height: 4096 }, sheetSize: { width, height }, cells,
    };
    const keys = sheetKeys("crops/", { stream, frameId, capturedAt }, 0);
    return { manifest, keys, jpeg: jpeg.encode({ width, height, data }, 90).data };
}

/**
 * A Rekognition that finds a face in every cell of a pack and reads its expression from its grey:
 * bright is HAPPY, dark is SAD. It learns nothing else, so a face recorded with the right
 * expression was mapped back through the pack to the right frame and face.
 */
function rekognitionOf(calls: { images: number; faces: number[] }, failing: () => boolean = () => false) {
    return async (image: Buffer): Promise<RekognitionFace[]> => {
        calls.images++;
        if (failing()) {
            throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        }
        const { width, height, data } = jpeg.decode(image, { useTArray: true });
        const step = PACK_CELL + PACK_GAP;
        const found: RekognitionFace[] = [];
        for (let top = PACK_GAP; top + PACK_CELL <= height; top += step) {
            for (let left = PACK_GAP; left + PACK_CELL <= width; left += step) {
                const grey = data[((top + PACK_CELL / 2) * width + left + PACK_CELL / 2) * 4];
                if (grey === undefined || Math.abs(grey - 128) < 40) {
                    continue;
                }
                found.push({
                    BoundingBox: { Left: (left + 20) / width, Top: (top + 10) / height, Width: 80 / width, Height: 100 / height },
                    Confidence: 99.5,
                    Emotions: [{ Type: grey > 128 ? "HAPPY" : "SAD", Confidence: 90 }, { Type: "CALM", Confidence: 5 }],
                });
            }
        }
        calls.faces.push(found.length);
        return found;
    };
}

describe("the emotion stage over time", function () {
    this.timeout(60_000);
    let dynamo: LocalDynamo;
    let table = 0;
    before(async () => {
        dynamo = await startLocalDynamo({ table: "unused" });
    });
    after(async () => dynamo?.close());

    /** A fresh table, a bucket of sheets, and a handler over them. */
    async function stage(options: { readIntervalSeconds?: number; failing?: () => boolean; slowMs?: number } = {}) {
        const name = `results-${++table}`;
        const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
        await dynamo.client.send(new CreateTableCommand({
            TableName: name, BillingMode: "PAY_PER_REQUEST",
            KeySchema: [{ AttributeName: "stream", KeyType: "HASH" }, { AttributeName: "at", KeyType: "RANGE" }],
            AttributeDefinitions: [{ AttributeName: "stream", AttributeType: "S" }, { AttributeName: "at", AttributeType: "S" }],
        }));
        const objects = new Map<string, Buffer>();
        const metadata = new Map<string, Record<string, string>>();
        const calls = { images: 0, faces: [] as number[] };
        const clients: StageClients = {
            async getObject(_bucket, key, maxBytes) {
                const body = objects.get(key);
                if (body !== undefined && body.length > maxBytes) {
                    throw new PermanentError(`${key} is ${body.length} bytes, over ${maxBytes}`);
                }
                return body === undefined ? undefined : { body, metadata: metadata.get(key) ?? {} };
            },
            exists: async (_bucket, key) => objects.has(key),
            detectFaces: async (image) => {
                const answer = await rekognitionOf(calls, options.failing)(image);
                await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 0));
                return answer;
            },
            ...dynamoClients(dynamo.client),
        };
        const config: StageConfig = { table: name, retentionDays: 7, pipeline: "p", namespace: "CrowdEmotions", readIntervalSeconds: options.readIntervalSeconds ?? 10 };
        const lines: any[] = [];
        const handler = createHandler(clients, config, (line) => lines.push(JSON.parse(line)));
        const put = (stream: string, frameId: string, at: number, faces: number, grey: (face: number) => number = () => 230) => {
            const sheet = sheetOf(stream, frameId, new Date(at), faces, grey);
            objects.set(sheet.keys.image, sheet.jpeg);
            objects.set(sheet.keys.manifest, Buffer.from(JSON.stringify(sheet.manifest)));
            return { messageId: frameId, body: JSON.stringify({ "source": "aws.s3", "detail-type": "Object Created", "detail": { bucket: { name: "crops" }, object: { key: sheet.keys.manifest } } }) };
        };
        const frameItem = async (stream: string, frameId: string, at: number) =>
            clients.getItem({ TableName: name, Key: marshall({ stream, at: frameSortKey(new Date(at), frameId) }), ConsistentRead: true });
        const outcome = (messageId: string) => [...lines].reverse().find((line) => line.messageId === messageId)?.result;
        return { name, objects, metadata, calls, handler, put, frameItem, lines, outcome, config, clients };
    }

    it("reads one frame per stream and interval: the others are seen, with their crowd size, and a late one is not read", async () => {
        const s = await stage();
        await s.handler({ Records: [s.put("lobby", "f1", T0 + 1000, 5), s.put("lobby", "f2", T0 + 4000, 7), s.put("door", "d1", T0 + 2000, 3)] });
        assert.deepStrictEqual([s.outcome("f1"), s.outcome("f2"), s.outcome("d1")], ["recorded", "seen", "recorded"]);
        assert.deepStrictEqual([s.calls.images, s.calls.faces], [1, [8]]);
        // A frame of the same interval arriving late: seen, not read again.
        await s.handler({ Records: [s.put("lobby", "f0", T0 + 500, 9)] });
        assert.deepStrictEqual([s.outcome("f0"), s.calls.images], ["seen", 1]);
        const [summary] = await querySeries(dynamo.client, s.name, "lobby", new Date(T0), new Date(T0 + 10_000));
        assert.deepStrictEqual([summary.start, summary.frames, summary.framesRead, summary.facesSeen, summary.facesRead, summary.leading, summary.lowSample],
            ["2026-12-07T10:15:30.000Z", 3, 1, { mean: 7, max: 9, total: 21 }, 5, "HAPPY", true]);
        assert.deepStrictEqual(summary.shares.HAPPY, { share: 1, low: 0.5655, high: 1 });
        // The next interval is read again.
        await s.handler({ Records: [s.put("lobby", "f3", T0 + 11_000, 2)] });
        assert.deepStrictEqual([s.outcome("f3"), s.calls.images], ["recorded", 2]);
        assert.deepStrictEqual((await listStreams(dynamo.client, s.name)).map((x) => x.stream).sort(), ["door", "lobby"]);
    });

    it("logs each message as the detector logs a request: time, level, message, request id, frame id, stream, outcome", async () => {
        const s = await stage();
        await s.handler({ Records: [s.put("lobby", "f1", T0 + 1000, 5)] }, { getRemainingTimeInMillis: () => 60_000, awsRequestId: "req-1" });
        const line = s.lines.find((l) => l.messageId === "f1");
        assert.deepStrictEqual([line.level, line.message, line.requestId, line.frameId, line.stream, line.result], ["info", "sheet recorded", "req-1", "f1", "lobby", "recorded"]);
        assert.ok(!Number.isNaN(Date.parse(line.time)));
    });

    it("claims an interval once however many functions ask at the same moment", async () => {
        const s = await stage();
        const records = Array.from({ length: 8 }, (_, i) => s.put("gate", `g${i}`, T0 + 100 * i, 4));
        // Eight invocations at once, one frame each, as eight function instances would take them.
        await Promise.all(records.map((record) => s.handler({ Records: [record] })));
        const outcomes = records.map((record) => s.outcome(record.messageId));
        assert.deepStrictEqual([outcomes.filter((o) => o === "recorded").length, outcomes.filter((o) => o === "seen").length, s.calls.images], [1, 7, 1]);
        const [summary] = await querySeries(dynamo.client, s.name, "gate", new Date(T0), new Date(T0 + 10_000));
        assert.deepStrictEqual([summary.frames, summary.framesRead, summary.facesRead], [8, 1, 4]);
    });

    it("reads every frame with an interval of 0", async () => {
        const s = await stage({ readIntervalSeconds: 0 });
        await s.handler({ Records: [s.put("lobby", "a", T0 + 1000, 2), s.put("lobby", "b", T0 + 2000, 3)] });
        assert.deepStrictEqual([s.outcome("a"), s.outcome("b"), s.calls.images, s.calls.faces], ["recorded", "recorded", 1, [5]]);
    });

    it("packs the faces of frames of several streams into one call and maps each answer back to its frame and face", async () => {
        const s = await stage();
        // Bright faces read HAPPY, dark ones SAD: frame a alternates, frame b is all dark, frame c all bright.
        await s.handler({ Records: [
            s.put("s1", "a", T0, 30, (face) => (face % 2 === 0 ? 230 : 25)),
            s.put("s2", "b", T0, 30, () => 25),
            s.put("s3", "c", T0, 30, () => 230),
        ] });
        assert.deepStrictEqual([s.calls.images, s.calls.faces], [1, [90]]);
        const emotions = async (stream: string, frameId: string) =>
            ((await s.frameItem(stream, frameId, T0))!.sheet0 as { faces: { face: number; emotion: string }[] }).faces.map((f) => `${f.face}:${f.emotion}`);
        assert.deepStrictEqual(await emotions("s1", "a"), Array.from({ length: 30 }, (_, i) => `${i}:${i % 2 === 0 ? "HAPPY" : "SAD"}`));
        assert.deepStrictEqual(await emotions("s2", "b"), Array.from({ length: 30 }, (_, i) => `${i}:SAD`));
        assert.deepStrictEqual(await emotions("s3", "c"), Array.from({ length: 30 }, (_, i) => `${i}:HAPPY`));
        const calls = s.lines.filter((line) => line.RekognitionCalls !== undefined);
        assert.deepStrictEqual(calls.map((line) => [line.RekognitionCalls, line.FacesPerCall]), [[1, 90]]);
    });

    it("splits what does not fit one image into packs of 100, and hands back exactly the frames of a pack whose call failed", async () => {
        let call = 0;
        const s = await stage({ failing: () => ++call === 2 });
        // Frames of 60 faces, sorted by message: x1 and x2 fill pack 1 (100 = 60 + 40 of x2), x2 and x3 pack 2.
        const records = [s.put("x", "x1", T0, 60), s.put("y", "x2", T0, 60), s.put("z", "x3", T0, 60)];
        const { batchItemFailures } = await s.handler({ Records: records });
        assert.deepStrictEqual(s.calls.faces, [100]);
        assert.deepStrictEqual(batchItemFailures.map((f) => f.itemIdentifier).sort(), ["x2", "x3"]);
        assert.strictEqual(s.outcome("x1"), "recorded");
        assert.strictEqual((await s.frameItem("y", "x2", T0))!.sheet0, undefined, "a frame with faces in the failed pack is not recorded");
        // Redelivered, as SQS does: x1 is not read again; x2 and x3 are read and recorded once.
        await s.handler({ Records: records });
        assert.deepStrictEqual([s.outcome("x1"), s.outcome("x2"), s.outcome("x3")], ["already recorded", "recorded", "recorded"]);
        assert.deepStrictEqual(s.calls.faces, [100, 100, 20]);
        await s.handler({ Records: records });
        assert.deepStrictEqual(s.calls.images, 4, "nothing is read twice");
    });

    it("skips a withdrawn frame and a key that is no manifest, and refuses a manifest that claims another key's frame", async () => {
        const s = await stage();
        const gone = s.put("lobby", "gone", T0, 3);
        s.objects.delete(sheetKeys("crops/", { stream: "lobby", frameId: "gone", capturedAt: new Date(T0) }, 0).manifest);
        const liar = s.put("lobby", "liar", T0, 3);
        const liarKey = sheetKeys("crops/", { stream: "lobby", frameId: "liar", capturedAt: new Date(T0) }, 0).manifest;
        s.objects.set(liarKey, Buffer.from(JSON.stringify({ ...JSON.parse(s.objects.get(liarKey)!.toString()), frameId: "victim" })));
        const image = { messageId: "image", body: gone.body.replace("sheet-0.json", "sheet-0.jpg") };
        const { batchItemFailures } = await s.handler({ Records: [gone, liar, image] });
        assert.deepStrictEqual([s.outcome("gone"), s.outcome("image")], ["withdrawn", "not a sheet manifest or crop"]);
        // Refused for good, not retried: a retry would meet the same lie.
        assert.deepStrictEqual(batchItemFailures, []);
        const refusal = s.lines.find((line) => line.messageId === "liar");
        assert.deepStrictEqual([refusal.level, refusal.result, refusal.retried], ["error", "refused", false]);
        assert.match(refusal.error, /claims stream lobby, frame victim, sheet 0, which its key does not/);
        assert.strictEqual(s.lines.find((line) => line.RefusedSheets !== undefined)?.RefusedSheets, 1);
        assert.strictEqual(s.calls.images, 0);
    });

    describe("a frame the detector withdraws after the stage read it leaves no result, in every order", () => {
        const deleted = (key: string, reason = "DeleteObject") => ({
            messageId: `deleted ${key}`,
            body: JSON.stringify({ "source": "aws.s3", "detail-type": "Object Deleted", "detail": { bucket: { name: "crops" }, object: { key }, reason } }),
        });
        const manifestOf = (frameId: string, at: number) => sheetKeys("crops/", { stream: "lobby", frameId, capturedAt: new Date(at) }, 0).manifest;
        const summaryOf = async (s: Awaited<ReturnType<typeof stage>>) =>
            (await querySeries(dynamo.client, s.name, "lobby", new Date(T0), new Date(T0 + 10_000)))[0];

        it("recorded, then deleted: the delete event withdraws it, gives the interval's read back, and the summary drops it", async () => {
            const s = await stage();
            await s.handler({ Records: [s.put("lobby", "failed", T0, 4)] });
            await s.handler({ Records: [s.put("lobby", "kept", T0 + 100, 2)] });
            assert.deepStrictEqual([s.outcome("failed"), s.outcome("kept")], ["recorded", "seen"]);
            s.objects.delete(manifestOf("failed", T0));
            await s.handler({ Records: [deleted(manifestOf("failed", T0))] });
            assert.strictEqual(s.outcome(`deleted ${manifestOf("failed", T0)}`), "withdrawn");
            const item = (await s.frameItem("lobby", "failed", T0))!;
            assert.deepStrictEqual([item.sheet0, typeof item.withdrawn], [undefined, "string"]);
            const summary = await summaryOf(s);
            assert.deepStrictEqual([summary.frames, summary.framesRead, summary.facesRead, summary.facesSeen.total, summary.withdrawnFrames], [1, 0, 0, 2, 1]);
            // The interval's read is free again: the next frame of it is read.
            await s.handler({ Records: [s.put("lobby", "next", T0 + 200, 3)] });
            assert.strictEqual(s.outcome("next"), "recorded");
        });

        it("read before the delete, recorded after it: the manifest read again after the write withdraws it", async () => {
            const s = await stage();
            const record = s.put("lobby", "late", T0, 4);
            const gone = manifestOf("late", T0);
            // The detector's clean-up runs while Rekognition reads the frame, and its delete event
            // is handled at once, finding nothing recorded yet.
            const handler = createHandler({
                ...s.clients,
                detectFaces: async (image: Buffer) => {
                    s.objects.delete(gone);
                    await s.handler({ Records: [deleted(gone)] });
                    return s.clients.detectFaces(image);
                },
            }, s.config, (line) => s.lines.push(JSON.parse(line)));
            await handler({ Records: [record] });
            assert.deepStrictEqual([s.outcome(`deleted ${gone}`), s.outcome("late")], ["withdrawn", "withdrawn"]);
            const item = (await s.frameItem("lobby", "late", T0))!;
            assert.deepStrictEqual([item.sheet0, typeof item.withdrawn], [undefined, "string"]);
            assert.strictEqual((await summaryOf(s)).framesRead, 0);
            // Its message, delivered again, records nothing and pays nothing.
            s.objects.set(gone, Buffer.from("{}"));
            const calls = s.calls.images;
            await s.handler({ Records: [s.put("lobby", "late", T0, 4)] });
            assert.deepStrictEqual([s.outcome("late"), s.calls.images], ["withdrawn", calls]);
        });

        it("deleted before it is read: not read; and a lifecycle expiry keeps the results", async () => {
            const s = await stage();
            const gone = s.put("lobby", "gone", T0, 3);
            s.objects.delete(manifestOf("gone", T0));
            await s.handler({ Records: [deleted(manifestOf("gone", T0)), gone] });
            assert.deepStrictEqual([s.outcome("gone"), s.calls.images], ["withdrawn", 0]);
            await s.handler({ Records: [s.put("lobby", "whole", T0 + 500, 2)] });
            await s.handler({ Records: [deleted(manifestOf("whole", T0 + 500), "Lifecycle Expiration")] });
            assert.strictEqual(s.outcome(`deleted ${manifestOf("whole", T0 + 500)}`), "expired");
            assert.strictEqual(((await s.frameItem("lobby", "whole", T0 + 500))!.sheet0 as { faces: unknown[] }).faces.length, 2);
        });
    });

    it("refuses for good, before Rekognition is asked, what can never succeed: not an event, an oversized manifest, a manifest of another version or with a cell off its sheet", async () => {
        const s = await stage();
        const big = s.put("lobby", "big", T0, 3);
        const bigKey = sheetKeys("crops/", { stream: "lobby", frameId: "big", capturedAt: new Date(T0) }, 0).manifest;
        s.objects.set(bigKey, Buffer.alloc(MAX_MANIFEST_BYTES + 1, 32));
        const old = s.put("lobby", "old", T0, 3);
        const oldKey = sheetKeys("crops/", { stream: "lobby", frameId: "old", capturedAt: new Date(T0) }, 0).manifest;
        s.objects.set(oldKey, Buffer.from(JSON.stringify({ ...JSON.parse(s.objects.get(oldKey)!.toString()), version: 1 })));
        const off = s.put("lobby", "off", T0, 3);
        const offKey = sheetKeys("crops/", { stream: "lobby", frameId: "off", capturedAt: new Date(T0) }, 0).manifest;
        const offManifest = JSON.parse(s.objects.get(offKey)!.toString());
        offManifest.cells[1].placed.left = 1e9;
        s.objects.set(offKey, Buffer.from(JSON.stringify(offManifest)));
        const { batchItemFailures } = await s.handler({ Records: [{ messageId: "garbled", body: "not json" }, big, old, off] });
        assert.deepStrictEqual(batchItemFailures, []);
        assert.deepStrictEqual(["garbled", "big", "old", "off"].map((id) => s.outcome(id)), ["refused", "refused", "refused", "refused"]);
        assert.match(s.lines.find((line) => line.messageId === "off").error, /cell 1 lies outside its sheet or frame/);
        assert.match(s.lines.find((line) => line.messageId === "old").error, /version 1, expected 2/);
        assert.strictEqual(s.calls.images, 0);
    });

    it("starts no Rekognition call when the invocation's time runs short, and hands exactly the unread frames back", async () => {
        const s = await stage();
        const records = [s.put("a", "a1", T0, 4), s.put("b", "b1", T0, 4)];
        const { batchItemFailures } = await s.handler({ Records: records }, { getRemainingTimeInMillis: () => 5_000 });
        assert.deepStrictEqual(batchItemFailures.map((f) => f.itemIdentifier).sort(), ["a1", "b1"]);
        assert.strictEqual(s.calls.images, 0);
        // With time, the same messages are read once.
        const again = await s.handler({ Records: records }, { getRemainingTimeInMillis: () => 60_000 });
        assert.deepStrictEqual([again.batchItemFailures, s.calls.images, s.outcome("a1"), s.outcome("b1")], [[], 1, "recorded", "recorded"]);
    });

    it("refuses a different frame under a reused id and capture time, rather than mixing it into the first one's results", async () => {
        const s = await stage();
        await s.handler({ Records: [s.put("lobby", "cam7-000123", T0, 3)] });
        s.lines.length = 0;
        const reused = s.put("lobby", "cam7-000123", T0, 150);
        const { batchItemFailures } = await s.handler({ Records: [reused] });
        assert.deepStrictEqual(batchItemFailures, []);
        const refusal = s.lines.find((line) => line.messageId === "cam7-000123");
        assert.deepStrictEqual([refusal.level, refusal.result], ["error", "refused"]);
        assert.match(refusal.error, /was recorded with 3 faces in 1 parts, and .* says 150 in 2: another frame under a reused id/);
        assert.strictEqual((await s.frameItem("lobby", "cam7-000123", T0))!.faces, 3);
        // The same id a day later is another frame, kept apart.
        await s.handler({ Records: [s.put("lobby", "cam7-000123", T0 + 86_400_000, 150)] });
        assert.strictEqual((await s.frameItem("lobby", "cam7-000123", T0 + 86_400_000))!.faces, 150);
    });

    it("pays Rekognition once when the same message is delivered to two invocations at the same moment", async () => {
        // Rekognition takes half a second: both deliveries are in the stage before either has recorded.
        const s = await stage({ slowMs: 500 });
        const record = s.put("lobby", "twice", T0, 5);
        const [one, two] = await Promise.all([s.handler({ Records: [record] }), s.handler({ Records: [record] })]);
        assert.strictEqual(s.calls.images, 1);
        // One recorded it; the other found it recorded, or (while the first was reading) handed it
        // back, to find it recorded when it returns.
        assert.ok(one.batchItemFailures.length + two.batchItemFailures.length <= 1);
        await s.handler({ Records: [record] });
        assert.deepStrictEqual([s.outcome("twice"), s.calls.images], ["already recorded", 1]);
    });

    it("counts a frame's crowd size once, however often its event comes", async () => {
        const s = await stage();
        const record = s.put("lobby", "once", T0, 6);
        await s.handler({ Records: [record] });
        await s.handler({ Records: [record] });
        assert.deepStrictEqual(s.lines.filter((line) => line.CrowdSize !== undefined).map((line) => line.CrowdSize), [6]);
    });

    it("reads face crops where the detector stores crops only: the frame's crops of the interval's read, one face each", async () => {
        const s = await stage();
        const crop = (frameId: string, face: number, grey: number) => {
            const key = `crops/2026/12/07/hall/${frameId}/face-${face}.jpg`;
            s.objects.set(key, jpeg.encode({ width: 96, height: 96, data: new Uint8Array(96 * 96 * 4).fill(grey) }, 90).data);
            s.metadata.set(key, {
                "frame-id": frameId, "stream": "hall", "captured-at": new Date(T0 + 1000).toISOString(), "frame-faces": "2",
                "face-index": String(face), "score": "0.97", "box": `${10 * face},20,40,50`,
            });
            return { messageId: `${frameId}/${face}`, body: JSON.stringify({ "source": "aws.s3", "detail-type": "Object Created", "detail": { bucket: { name: "crops" }, object: { key } } }) };
        };
        await s.handler({ Records: [crop("h1", 0, 230), crop("h1", 1, 25)] });
        assert.deepStrictEqual([s.outcome("h1/0"), s.outcome("h1/1"), s.calls.images], ["recorded", "recorded", 1]);
        const item = (await s.frameItem("hall", "h1", T0 + 1000))!;
        assert.deepStrictEqual([(item.face0 as any).faces[0].emotion, (item.face1 as any).faces[0].emotion, (item.face1 as any).faces[0].box],
            ["HAPPY", "SAD", { x: 10, y: 20, width: 40, height: 50 }]);
        const [summary] = await querySeries(dynamo.client, s.name, "hall", new Date(T0), new Date(T0 + 10_000));
        assert.deepStrictEqual([summary.frames, summary.facesSeen.max, summary.facesRead], [1, 2, 2]);
    });

    it("keeps a 500-face frame's item within DynamoDB's 400 KB", () => {
        const frame = { stream: "s".repeat(64), frameId: "f".repeat(128), capturedAt: new Date(T0), faces: 500, parts: 5 };
        const faces = Array.from({ length: 100 }, (_, face) => ({
            face: 400 + face, box: { x: 1919.5, y: 1079.5, width: 1919.5, height: 1079.5 }, score: 0.99999, found: true, confidence: 99.9,
            emotion: "CONFUSED" as const, emotions: { HAPPY: 99.9, SAD: 99.9, ANGRY: 99.9, CONFUSED: 99.9, DISGUSTED: 99.9, SURPRISED: 99.9, CALM: 99.9, FEAR: 99.9 },
        }));
        // DynamoDB's item size: the lengths of the attribute names and values (Developer Guide, "Item sizes").
        const size = (value: unknown): number => typeof value === "string" ? Buffer.byteLength(value) : typeof value === "number" ? 21
            : Array.isArray(value) ? 3 + value.reduce((sum: number, v) => sum + 1 + size(v), 0)
                : typeof value === "object" && value !== null ? 3 + Object.entries(value).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + 1 + size(v), 0) : 1;
        let bytes = size({ stream: frame.stream, at: frameSortKey(frame.capturedAt, frame.frameId), frameId: frame.frameId, capturedAt: "x".repeat(24), faces: 1, parts: 1, interval: "x".repeat(24), expiresAt: 1 });
        for (let part = 0; part < 5; part++) {
            const write = partWrite("t", frame, partAttribute("sheet", part), { key: "k".repeat(400), faces }, new Date());
            bytes += Buffer.byteLength(partAttribute("sheet", part)) + size({ key: "k".repeat(400), faces, readAt: "x".repeat(24) });
            assert.ok(write.ConditionExpression?.startsWith("attribute_not_exists(#part)"));
        }
        assert.ok(bytes < 400 * 1024, `${bytes} bytes`);
        console.log(`      a 500-face frame's item: ${(bytes / 1024).toFixed(0)} KB at most`);
    });
});
