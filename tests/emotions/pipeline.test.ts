import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { awsClients, createHandler, StageConfig } from "../../emotions/src/handler";
import { DetectorProcess, startDetector } from "../../tools/local/detectorProcess";
import { EmbeddedS3, embeddedS3Env, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { freePort } from "../../tools/local/freePort";
import { LocalDynamo, startLocalDynamo } from "../../tools/local/localDynamo";
import { LocalEmotionStage, moodLine, readFrameResult, readFrameResults, RESULTS_TABLE, startEmotionStage } from "../../tools/local/emotionStage";
import { formatMoods, parseMoodsArgs } from "../../tools/moods";
import { RekognitionStandIn, startRekognitionStandIn } from "../../tools/local/rekognitionStandIn";
import { SAMPLE_DIR } from "../../tools/local/samples";

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
    const config: StageConfig = { table: "crowd-mood", retentionDays: 7, pipeline: "local", namespace: "CrowdEmotions" };

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
        const response = await fetch(`${detector.url}/invocations`, {
            method: "POST",
            headers: { "Content-Type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": "frame-id=crowd-1" },
            body: fs.readFileSync(path.join(SAMPLE_DIR, "sample4.jpg")),
        });
        const answer = await response.json() as { faces: unknown[]; sheets: { bucket: string; manifestKey: string }[] };
        assert.strictEqual(answer.sheets.length, 1);
        const [sheet] = answer.sheets;

        const handler = createHandler(awsClients(), config, () => undefined);
        assert.deepStrictEqual(await handler({ Records: [message(sheet.bucket, sheet.manifestKey, "m-1")] }), { batchItemFailures: [] });
        assert.strictEqual(rekognition.calls(), 1);
        // Redelivered: nothing asked or written again.
        assert.deepStrictEqual(await handler({ Records: [message(sheet.bucket, sheet.manifestKey, "m-2")] }), { batchItemFailures: [] });
        assert.strictEqual(rekognition.calls(), 1);

        const item = unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: config.table, Key: { frameId: { S: "crowd-1" } } }))).Item!);
        assert.strictEqual(item.sheet0.faces.length, answer.faces.length);
        assert.deepStrictEqual(item.sheet0.faces.map((face: { face: number }) => face.face), answer.faces.map((_, i) => i));
        // Every face is recorded: with its emotions where the stand-in found it in its cell, as not
        // found where it did not (here the stand-in misses one of sample4's four faces on the sheet).
        const faces = item.sheet0.faces as { found: boolean; emotion?: string }[];
        assert.ok(faces.filter((face) => face.found).length >= 3);
        assert.ok(faces.every((face) => (face.found ? face.emotion !== undefined : face.emotion === undefined)));
        assert.ok(item.expiresAt > Date.now() / 1000 + 6 * 86_400);
    });

    it("on one machine (npm start): every sheet the store receives reaches the handler once, and the mood can be listed", async () => {
        let stage: LocalEmotionStage | undefined;
        // The stage points the SDK's endpoint variables at its own stand-ins; the other tests use these.
        const endpoints = { ...process.env };
        try {
            stage = await startEmotionStage(s3, { dynamo: 0, rekognition: 0 });
            const outcomes: Promise<unknown>[] = [];
            s3.onObjectCreated((bucket, key) => outcomes.push(stage!.objectStored(bucket, key)));
            await fetch(`${detector.url}/invocations`, {
                method: "POST",
                headers: { "Content-Type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": "frame-id=local-1" },
                body: fs.readFileSync(path.join(SAMPLE_DIR, "sample1.jpg")),
            });
            await Promise.all(outcomes);
            // The sheet's JPEG and its manifest were stored; only the manifest is a sheet event, handled once.
            assert.strictEqual(stage.rekognition.calls(), 1);
            const result = (await readFrameResult(stage.dynamo, RESULTS_TABLE, "local-1"))!;
            assert.match(moodLine(result), /^3 of 3 faces read: [A-Z]+ \d/);
            const listed = formatMoods(await readFrameResults(stage.dynamo, RESULTS_TABLE)).split("\n");
            assert.strictEqual(listed[0], "frame    recorded at               crowd mood");
            assert.match(listed[1], /^local-1 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}3 of 3 faces read/);
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
        const manifestKey = (await fetch(`${detector.url}/invocations`, {
            method: "POST",
            headers: { "Content-Type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": "frame-id=crowd-2" },
            body: fs.readFileSync(path.join(SAMPLE_DIR, "sample1.jpg")),
        }).then((r) => r.json()) as { sheets: { manifestKey: string }[] }).sheets[0].manifestKey;
        assert.deepStrictEqual(await handler({ Records: [message("face-crops", manifestKey, "m-3")] }), { batchItemFailures: [{ itemIdentifier: "m-3" }] });
        const item = await dynamo.client.send(new GetItemCommand({ TableName: config.table, Key: { frameId: { S: "crowd-2" } } }));
        assert.strictEqual(item.Item, undefined);
    });
});

describe("npm run moods", () => {
    it("reads its arguments, and names a wrong one", () => {
        assert.deepStrictEqual(parseMoodsArgs(["--json", "--table", "t", "--region", "us-east-1"]), { json: true, table: "t", region: "us-east-1" });
        assert.throws(() => parseMoodsArgs(["--region", "us-east-1"]), /^Error: --region goes with --table\./);
        assert.throws(() => parseMoodsArgs(["--frame"]), /^Error: --frame needs a value\./);
        assert.throws(() => parseMoodsArgs(["--csv"]), /^Error: Unknown argument --csv\./);
        assert.strictEqual(formatMoods([]), "No frames recorded yet.");
    });
});
