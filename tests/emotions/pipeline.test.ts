import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { formatFrameAttributes, frameSortKey } from "@crowd-emotions/face-detection-contract";
import { awsClients, createHandler, SheetOutcome, StageConfig } from "../../emotions/src/handler";
import { DetectorProcess, startDetector } from "../../tools/local/detectorProcess";
import { EmbeddedS3, embeddedS3Env, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { freePort } from "../../tools/local/freePort";
import { LocalDynamo, startLocalDynamo } from "../../tools/local/localDynamo";
import { BatchReport, LocalEmotionStage, RESULTS_TABLE, startEmotionStage } from "../../tools/local/emotionStage";
import { formatInterval, querySeries } from "../../tools/local/series";
import { formatSeries, parseMoodsArgs } from "../../tools/moods";
import { RekognitionStandIn, startRekognitionStandIn } from "../../tools/local/rekognitionStandIn";
import { SAMPLE_DIR } from "../../tools/samples";

/** An EventBridge "Object Created" event in an SQS message, as the queue delivers it. */
const message = (bucket: string, key: string, messageId: string) => ({
    messageId,
    body: JSON.stringify({ "source": "aws.s3", "detail-type": "Object Created", "detail": { bucket: { name: bucket }, object: { key } } }),
});

describe("the pipeline from frame to crowd mood, on one machine", function () {
    this.timeout(180_000);
    let dir: string;
    let s3: EmbeddedS3;
    let dynamo: LocalDynamo;
    let rekognition: RekognitionStandIn;
    let detector: DetectorProcess;
    const saved: Record<string, string | undefined> = {};
    const config: StageConfig = { table: "crowd-mood", retentionDays: 7, pipeline: "local", namespace: "CrowdEmotions", readIntervalSeconds: 10 };
    const capturedAt = new Date("2026-12-07T10:15:31Z");
    /** The item of a frame of the lobby stream, captured at `capturedAt`. */
    const frameItem = async (frameId: string) => {
        const found = await dynamo.client.send(new GetItemCommand({ TableName: config.table, Key: marshall({ stream: "lobby", at: frameSortKey(capturedAt, frameId) }), ConsistentRead: true }));
        return found.Item && unmarshall(found.Item);
    };
    const send = async (sample: string, frameId: string, stream = "lobby", at = capturedAt) => {
        const response = await fetch(`${detector.url}/invocations`, {
            method: "POST",
            headers: { "Content-Type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": formatFrameAttributes({ stream, capturedAt: at, frameId }) },
            body: fs.readFileSync(path.join(SAMPLE_DIR, sample)),
        });
        return await response.json() as { faces: unknown[]; sheets: { bucket: string; manifestKey: string }[] };
    };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-"));
        s3 = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
        dynamo = await startLocalDynamo({ table: config.table });
        rekognition = await startRekognitionStandIn();
        detector = await startDetector({ port: await freePort(), env: { ...embeddedS3Env(s3), CROPS_BUCKET: "face-crops", CROP_OUTPUT: "sheets", SAGEMAKER_MODEL_SERVER_WORKERS: "1" } });
        // The handler's clients find the stand-ins through the SDK's standard endpoint variables.
        const env = { ...embeddedS3Env(s3), AWS_ENDPOINT_URL_REKOGNITION: rekognition.url, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
        for (const [key, value] of Object.entries(env)) {
            saved[key] = process.env[key];
            process.env[key] = value;
        }
    });
    after(async () => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
        await detector?.stop();
        await rekognition?.close();
        await dynamo?.close();
        await s3?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("stores a frame's sheet, reads each face's emotions with one DetectFaces call, and records the frame once", async () => {
        const answer = await send("sample4.jpg", "crowd-1");
        assert.strictEqual(answer.sheets.length, 1);
        const [sheet] = answer.sheets;

        const handler = createHandler(awsClients(), config, () => undefined);
        assert.deepStrictEqual(await handler({ Records: [message(sheet.bucket, sheet.manifestKey, "m-1")] }), { batchItemFailures: [] });
        assert.strictEqual(rekognition.calls(), 1);
        // Redelivered: nothing asked or written again.
        assert.deepStrictEqual(await handler({ Records: [message(sheet.bucket, sheet.manifestKey, "m-2")] }), { batchItemFailures: [] });
        assert.strictEqual(rekognition.calls(), 1);

        const item = (await frameItem("crowd-1"))!;
        assert.strictEqual(item.sheet0.faces.length, answer.faces.length);
        assert.deepStrictEqual(item.sheet0.faces.map((face: { face: number }) => face.face), answer.faces.map((_, i) => i));
        // Every face is recorded: with its emotions where the stand-in found it in its cell of the
        // pack, as not found where it did not.
        const faces = item.sheet0.faces as { found: boolean; emotion?: string }[];
        assert.ok(faces.filter((face) => face.found).length >= 3, JSON.stringify(faces));
        assert.ok(faces.every((face) => (face.found ? face.emotion !== undefined : face.emotion === undefined)));
        assert.ok(item.expiresAt > Date.now() / 1000 + 6 * 86_400);
        const [summary] = await querySeries(dynamo.client, config.table, "lobby", new Date("2026-12-07T10:15:30Z"), new Date("2026-12-07T10:15:40Z"));
        assert.deepStrictEqual([summary.frames, summary.framesRead, summary.facesSeen.max], [1, 1, answer.faces.length]);
    });

    it("through the real S3 client: refuses an object over its bound by its length, before its body, and tells a missing key", async () => {
        const clients = awsClients();
        const key = "crops/2026/12/07/lobby/huge/sheet-0.jpg";
        await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: Buffer.alloc(6 * 1024 * 1024, 0xff) }));
        const before = process.memoryUsage().arrayBuffers;
        await assert.rejects(clients.getObject(s3.bucket, key, 5 * 1024 * 1024), (error: Error) =>
            error.name === "PermanentError" && /is 6291456 bytes, over the 5242880/.test(error.message));
        // The 6 MB body was never read into memory.
        assert.ok(process.memoryUsage().arrayBuffers - before < 4 * 1024 * 1024);
        assert.deepStrictEqual([await clients.exists(s3.bucket, key), await clients.exists(s3.bucket, `${key}.missing`)], [true, false]);
        assert.strictEqual(await clients.getObject(s3.bucket, `${key}.missing`, 100), undefined);
    });

    it("on one machine (npm start): the stored sheets reach the handler in batches, as the queue would hand them, and the series can be listed", async () => {
        let stage: LocalEmotionStage | undefined;
        // The stage points the SDK's endpoint variables at its own stand-ins; the other tests use these.
        const endpoints = { ...process.env };
        try {
            const reports: BatchReport[] = [];
            stage = await startEmotionStage(s3, { dynamo: 0, rekognition: 0 }, { readIntervalSeconds: 10, packWindowSeconds: 60, cropOutput: "sheets" }, (report) => {
                reports.push(report);
            });
            s3.onObjectCreated((bucket, key) => stage!.objectStored(bucket, key));
            s3.onObjectRemoved((bucket, key) => stage!.objectRemoved(bucket, key));
            // Two streams, two frames each in one interval: two frames read, in one pack.
            for (const [sample, frameId, stream] of [["sample1.jpg", "l-1", "lobby"], ["sample2.jpg", "l-2", "lobby"], ["sample3.jpg", "d-1", "door"], ["sample5.jpg", "d-2", "door"]]) {
                await send(sample, frameId, stream, new Date(capturedAt.getTime() + reports.length));
            }
            // Held for the window, as the queue would: nothing read yet.
            assert.strictEqual(stage.rekognition.calls(), 0);
            await stage.flush();
            assert.strictEqual(reports.length, 1);
            const results = reports[0].outcomes.map((o: SheetOutcome) => `${o.stream}:${o.result}`).sort();
            assert.deepStrictEqual(results, ["door:recorded", "door:seen", "lobby:recorded", "lobby:seen"]);
            assert.strictEqual(stage.rekognition.calls(), 1);
            const stats = await (await fetch(`${stage.rekognition.url}/stats`)).json() as { calls: number; faces: number };
            assert.deepStrictEqual(stats.calls, 1);
            assert.ok(stats.faces >= 5, JSON.stringify(stats));
            const series = await querySeries(stage.dynamo.client, RESULTS_TABLE, "lobby", new Date("2026-12-07T10:00:00Z"), new Date("2026-12-07T11:00:00Z"));
            assert.strictEqual(series.length, 1);
            assert.match(formatInterval(series[0]), /^10:15:30–10:15:40 {2}crowd [\d.]+ \(max \d+, 2 frames\) {2}\d+ read {2}/);
            assert.match(formatSeries("lobby", series), /^Stream lobby, 2026-12-07 \(UTC\); Shares of faces whose expression was read: expressions, not inner states\.\n10:15:30/);
            // The detector withdraws the frame read (as its clean-up does, by DeleteObjects): its
            // delete event reaches the stage, which removes its result from the series.
            const read = reports[0].outcomes.find((o) => o.stream === "lobby" && o.result === "recorded")!;
            await s3.client.send(new DeleteObjectsCommand({
                Bucket: s3.bucket, Delete: { Objects: [{ Key: read.key }, { Key: read.key.replace(/\.json$/, ".jpg") }], Quiet: true },
            }));
            await new Promise((resolve) => setTimeout(resolve, 100));
            await stage.flush();
            assert.deepStrictEqual(reports[1]?.outcomes.map((o: SheetOutcome) => [o.key, o.result]), [[read.key, "withdrawn"]]);
            const [after] = await querySeries(stage.dynamo.client, RESULTS_TABLE, "lobby", new Date("2026-12-07T10:00:00Z"), new Date("2026-12-07T11:00:00Z"));
            assert.deepStrictEqual([after.frames, after.framesRead, after.withdrawnFrames], [1, 0, 1]);
        } finally {
            await stage?.close();
            for (const key of ["AWS_ENDPOINT_URL_REKOGNITION", "AWS_ENDPOINT_URL_DYNAMODB"]) {
                process.env[key] = endpoints[key];
            }
        }
    });

    it("hands a failing Rekognition call back to the queue to retry", async () => {
        await rekognition.close();
        const handler = createHandler(awsClients(), config, () => undefined);
        const manifestKey = (await send("sample1.jpg", "crowd-2", "lobby", new Date("2026-12-07T10:16:01Z"))).sheets[0].manifestKey;
        assert.deepStrictEqual(await handler({ Records: [message("face-crops", manifestKey, "m-3")] }), { batchItemFailures: [{ itemIdentifier: "m-3" }] });
        const item = await dynamo.client.send(new GetItemCommand({
            TableName: config.table, Key: marshall({ stream: "lobby", at: frameSortKey(new Date("2026-12-07T10:16:01Z"), "crowd-2") }), ConsistentRead: true,
        }));
        assert.strictEqual(item.Item?.sheet0, undefined);
    });
});

describe("npm run moods", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    it("reads a stream and a time span, by default the last hour", () => {
        assert.deepStrictEqual(parseMoodsArgs(["--stream", "lobby-1"], now), {
            stream: "lobby-1", streams: false, from: new Date("2026-12-07T11:00:00Z"), to: now, json: false, table: undefined, region: undefined,
        });
        assert.deepStrictEqual(parseMoodsArgs(["--stream", "lobby-1", "--since", "15m", "--json", "--table", "t", "--region", "us-east-1"], now),
            { stream: "lobby-1", streams: false, from: new Date("2026-12-07T11:45:00Z"), to: now, json: true, table: "t", region: "us-east-1" });
        assert.deepStrictEqual(parseMoodsArgs(["--stream", "x", "--from", "2026-12-07T10:00:00Z", "--to", "2026-12-07T10:30:00Z"], now).from, new Date("2026-12-07T10:00:00Z"));
        assert.strictEqual(parseMoodsArgs(["--streams"], now).streams, true);
    });

    const wrong: [string[], RegExp][] = [
        [[], /^Name one --stream, or ask for --streams\./],
        [["--stream", "a", "--streams"], /^Name one --stream, or ask for --streams\./],
        [["--stream", "a/b"], /^--stream: stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64/],
        [["--stream", "a", "--since", "1y"], /^--since must be a duration like 90s, 15m, 1h or 7d, got "1y"\./],
        [["--stream", "a", "--since", "1h", "--from", "2026-12-07T10:00:00Z"], /^--since and --from\/--to can't be used together\./],
        [["--stream", "a", "--from", "yesterday"], /^--from must be a time/],
        [["--stream", "a", "--to", "2026-12-07T10:00:00Z"], /^--to goes with --from\./],
        [["--stream", "a", "--from", "2026-12-07T11:00:00Z", "--to", "2026-12-07T10:00:00Z"], /^--from must be before --to\./],
        [["--stream", "a", "--region", "us-east-1"], /^--region goes with --table\./],
        [["--stream", "a", "--csv"], /Unknown option '--csv'/],
    ];
    for (const [argv, message] of wrong) {
        it(`refuses ${argv.join(" ") || "no arguments"}, saying why`, () => assert.throws(() => parseMoodsArgs(argv, now), { message }));
    }

    it("says when a stream has no interval in the span", () => {
        assert.strictEqual(formatSeries("lobby", []), "No intervals of stream lobby in that time.");
    });
});
