import * as assert from "assert";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { FastifyInstance } from "fastify";
import sharp from "sharp";
import { Config, loadConfig } from "../../container/src/config";
import { Detector, loadDetector } from "../../container/src/detection";
import { buildApp } from "../../container/src/http";
import { createS3Store, CropStore } from "../../container/src/storage";
import { DEFAULT_CROP_OUTPUT } from "@crowd-emotions/face-detection-contract";
import { embeddedS3Env } from "../../tools/local/embeddedS3";
import { capturedLogger, LocalS3, sample, silentLogger, startLocalS3 } from "./fixtures";

describe("the inference app, against a local S3 store", function () {
    this.timeout(120_000);
    let s3: LocalS3;
    let detector: Detector;
    let config: Config;
    let store: CropStore;
    let app: FastifyInstance;
    const captured = capturedLogger();
    const logs = captured.lines;

    const invoke = (payload: Buffer | string, headers: Record<string, string> = {}) =>
        app.inject({ method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg", ...headers }, payload });
    const keysInStore = async () =>
        ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key!).sort();

    before(async () => {
        s3 = await startLocalS3();
        detector = await loadDetector();
        // Both outputs, so one frame shows crops and sheets side by side.
        config = loadConfig({ CROPS_BUCKET: s3.bucket, CROP_OUTPUT: "both" }, 1);
        // The store, like the SDK, takes its endpoint and credentials from the environment.
        Object.assign(process.env, embeddedS3Env(s3));
        store = createS3Store({ bucket: s3.bucket });
        app = buildApp({ config, store, detector: Promise.resolve(detector), logger: captured.logger });
    });
    after(async () => {
        await app.close();
        await s3.close();
    });

    it("stores each sheet's manifest only after the frame's sheets and crops are in the store", async () => {
        const events: string[] = [];
        const recording: CropStore = {
            bucket: store.bucket,
            async put(object, signal) {
                events.push(`start ${object.key.split("/").pop()}`);
                const written = await store.put(object, signal);
                events.push(`end ${object.key.split("/").pop()}`);
                return written;
            },
            remove: (objects) => store.remove(objects),
        };
        const ordered = buildApp({ config, store: recording, detector: Promise.resolve(detector), logger: silentLogger() });
        const response = await ordered.inject({
            method: "POST", url: "/invocations", payload: sample("sample4.jpg"),
            headers: { "content-type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": "frame-id=manifest-last" },
        });
        await ordered.close();
        assert.strictEqual(response.statusCode, 200);
        await store.remove((await keysInStore()).filter((key) => key.includes("/manifest-last/")).map((key) => ({ key })));
        const manifestStart = events.indexOf("start sheet-0.json");
        const lastOtherEnd = Math.max(...events.flatMap((e, i) => (e.startsWith("end ") && !e.endsWith(".json") ? [i] : [])));
        assert.ok(manifestStart > lastOtherEnd, events.join(", "));
    });

    it("refuses a second frame under a frame id, stream and capture time already stored (409), and keeps the first one's objects", async () => {
        const attributes = { "X-Amzn-SageMaker-Custom-Attributes": "stream=reuse,captured-at=2026-11-30T10:00:00Z,frame-id=cam7-000123" };
        assert.strictEqual((await invoke(sample("sample1.jpg"), attributes)).statusCode, 200);
        const first = (await keysInStore()).filter((key) => key.includes("/reuse/"));
        const second = await invoke(sample("sample4.jpg"), attributes);
        assert.strictEqual(second.statusCode, 409);
        assert.match(second.json().error, /already stored, and are kept/);
        assert.deepStrictEqual((await keysInStore()).filter((key) => key.includes("/reuse/")), first);
        const manifest = JSON.parse(await (await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: first.find((k) => k.endsWith("sheet-0.json"))! }))).Body!.transformToString());
        assert.strictEqual(manifest.frameFaces, 3, "sample1's three faces, not sample4's four");
        await store.remove(first.map((key) => ({ key })));
    });

    it("answers a group photo with boxes, scores and stored crops", async () => {
        const attributes = "stream=lobby-1,captured-at=2026-11-30T23:59:59.500Z,frame-id=cam7-000042";
        const response = await invoke(sample("sample4.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": attributes });
        assert.strictEqual(response.statusCode, 200);
        assert.match(response.headers["content-type"] as string, /^application\/json/);
        assert.strictEqual(response.headers["x-amzn-sagemaker-custom-attributes"], attributes);
        const body = response.json();
        assert.deepStrictEqual([body.frameId, body.stream, body.capturedAt], ["cam7-000042", "lobby-1", "2026-11-30T23:59:59.500Z"]);
        assert.deepStrictEqual(body.image, { width: 1920, height: 1448 });
        assert.strictEqual(body.faces.length, 4);
        const day = "2026/11/30/lobby-1";
        assert.deepStrictEqual(body.faces.map((f: any) => f.crop.key), [0, 1, 2, 3].map((i) => `crops/${day}/cam7-000042/face-${i}.jpg`));
        assert.deepStrictEqual(body.sheets.map((s: any) => [s.bucket, s.key, s.manifestKey, s.faces]), [
            [s3.bucket, `crops/${day}/cam7-000042/sheet-0.jpg`, `crops/${day}/cam7-000042/sheet-0.json`, [0, 1, 2, 3]],
        ]);
        assert.deepStrictEqual(await keysInStore(), [
            ...body.faces.map((f: any) => f.crop.key), body.sheets[0].key, body.sheets[0].manifestKey,
        ].sort());
        for (const face of body.faces) {
            assert.deepStrictEqual(Object.keys(face.box), ["x", "y", "width", "height"]);
            assert.strictEqual(face.crop.bucket, s3.bucket);
            assert.ok(face.crop.width >= 80 && face.crop.height >= 80);
            const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: face.crop.key }));
            assert.strictEqual(head.ContentType, "image/jpeg");
            assert.strictEqual(head.ContentLength, face.crop.bytes);
            assert.deepStrictEqual(head.Metadata, {
                "frame-id": "cam7-000042",
                "stream": "lobby-1",
                "captured-at": "2026-11-30T23:59:59.500Z",
                "frame-faces": "4",
                "face-index": String(body.faces.indexOf(face)),
                "score": String(face.score),
                "box": `${face.box.x},${face.box.y},${face.box.width},${face.box.height}`,
            });
            const stored = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: face.crop.key }));
            const meta = await sharp(Buffer.from(await stored.Body!.transformToByteArray())).metadata();
            assert.deepStrictEqual([meta.format, meta.width, meta.height], ["jpeg", face.crop.width, face.crop.height]);
        }
        for (const key of ["decodeMs", "detectMs", "cropMs", "storeMs", "totalMs"]) {
            assert.strictEqual(typeof body.timings[key], "number");
        }
        // One JSON line per request, through Fastify's own logger (pino): time, level, request id,
        // frame id, stream, status, faces and the stage times.
        const line = JSON.parse(logs.at(-1)!);
        assert.deepStrictEqual([line.level, line.message, line.status, line.faces, line.bytes, line.stream], ["info", "request answered", 200, 4, sample("sample4.jpg").length, "lobby-1"]);
        assert.ok(line.requestId && line.frameId && line.latencyMs > 0 && !Number.isNaN(Date.parse(line.time)) && line.pid === process.pid);
        assert.deepStrictEqual(Object.keys(line.stages).sort(), ["cropMs", "decodeMs", "detectMs", "storeMs", "totalMs"]);
    });

    it("with sheets, the deployments' default, stores one face sheet and its manifest per frame, and no crops", async () => {
        const sheetsOnly = buildApp({ config: loadConfig({ CROPS_BUCKET: s3.bucket, CROP_OUTPUT: DEFAULT_CROP_OUTPUT }, 1), store, detector: Promise.resolve(detector), logger: silentLogger() });
        const response = await sheetsOnly.inject({
            method: "POST", url: "/invocations", payload: sample("sample5.jpg"),
            headers: { "content-type": "image/jpeg", "X-Amzn-SageMaker-Custom-Attributes": "frame-id=sheet-5" },
        });
        await sheetsOnly.close();
        assert.strictEqual(response.statusCode, 200);
        const body = response.json();
        assert.strictEqual(body.faces.length, 5);
        assert.ok(body.faces.every((face: any) => face.crop === undefined));
        const [sheet] = body.sheets;
        assert.strictEqual(body.sheets.length, 1);
        assert.deepStrictEqual(sheet.faces, [0, 1, 2, 3, 4]);
        const stored = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: sheet.key }));
        assert.strictEqual(stored.ContentType, "image/jpeg");
        assert.deepStrictEqual(stored.Metadata, {
            "frame-id": "sheet-5", "stream": "default", "captured-at": body.capturedAt, "sheet-index": "0", "faces": "5", "manifest-key": sheet.manifestKey,
        });
        const image = await sharp(Buffer.from(await stored.Body!.transformToByteArray())).metadata();
        assert.deepStrictEqual([image.format, image.width, image.height, sheet.bytes > 0], ["jpeg", sheet.width, sheet.height, true]);
        const manifestObject = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: sheet.manifestKey }));
        assert.strictEqual(manifestObject.ContentType, "application/json");
        const manifest = JSON.parse(await manifestObject.Body!.transformToString());
        assert.deepStrictEqual([manifest.version, manifest.frameId, manifest.sheet, manifest.frame, manifest.sheetSize],
            [2, "sheet-5", 0, body.image, { width: sheet.width, height: sheet.height }]);
        // The frame's stream, capture time (its arrival, none given), size and sheet count travel with each sheet.
        assert.deepStrictEqual([manifest.stream, manifest.capturedAt, manifest.frameFaces, manifest.sheets], ["default", body.capturedAt, 5, 1]);
        assert.deepStrictEqual(manifest.cells.map((cell: any) => [cell.face, cell.box, cell.score]), body.faces.map((face: any, i: number) => [i, face.box, face.score]));
        const keys = await keysInStore();
        assert.deepStrictEqual(keys.filter((key) => key.includes("/sheet-5/")), [sheet.key, sheet.manifestKey].sort());
    });

    it("asks S3 to encrypt every crop: SSE-S3 by default, SSE-KMS with a key", async () => {
        const seen: unknown[] = [];
        const original = S3Client.prototype.send;
        // Watch the requests as they leave the SDK: the encryption headers are asked for per object.
        S3Client.prototype.send = function (this: S3Client, command: any, ...rest: any[]) {
            if (command instanceof PutObjectCommand) {
                seen.push({ sse: command.input.ServerSideEncryption, key: command.input.SSEKMSKeyId });
            }
            return (original as any).call(this, command, ...rest);
        } as typeof original;
        try {
            await createS3Store({ bucket: s3.bucket }).put({ key: "crops/x.jpg", body: Buffer.from("x"), metadata: {} });
            // The local store has no KMS; only the request matters here.
            await createS3Store({ bucket: s3.bucket, kmsKeyId: "alias/crops" })
                .put({ key: "crops/y.jpg", body: Buffer.from("y"), metadata: {} }).catch(() => undefined);
        } finally {
            S3Client.prototype.send = original;
            await store.remove([{ key: "crops/x.jpg" }, { key: "crops/y.jpg" }]);
        }
        assert.deepStrictEqual(seen, [{ sse: "AES256", key: undefined }, { sse: "aws:kms", key: "alias/crops" }]);
    });

    it("answers a frame without faces with an empty list and stores nothing", async () => {
        const before = await keysInStore();
        const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#7a8" } }).png().toBuffer();
        const response = await invoke(blank, { "content-type": "image/png" });
        assert.strictEqual(response.statusCode, 200);
        assert.deepStrictEqual(response.json().faces, []);
        assert.deepStrictEqual(await keysInStore(), before);
    });

    it("accepts application/x-image, Accept */* and the runtime API path", async () => {
        const response = await app.inject({
            method: "POST", url: "/endpoints/any-name/invocations",
            headers: { "content-type": "application/x-image", "accept": "*/*" }, payload: sample("sample1.jpg"),
        });
        assert.strictEqual(response.statusCode, 200);
        assert.strictEqual(response.json().faces.length, 3);
    });

    it("stores all crops of a frame or none: a failed upload removes the ones written", async () => {
        let puts = 0;
        const failing: CropStore = {
            bucket: s3.bucket,
            async put(object) {
                puts += 1;
                if (puts === 3) {
                    throw new Error("simulated S3 outage");
                }
                return store.put(object);
            },
            remove: (keys) => store.remove(keys),
        };
        const before = await keysInStore();
        const failingApp = buildApp({ config, store: failing, detector: Promise.resolve(detector), logger: silentLogger() });
        const response = await failingApp.inject({
            method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg" }, payload: sample("sample5.jpg"),
        });
        await failingApp.close();
        assert.strictEqual(response.statusCode, 500);
        // Five crops and a sheet first: one failed, the five written were removed, and the sheet's
        // manifest, which announces a stored frame, was never written.
        assert.deepStrictEqual(response.json().error, "Storing the frame's objects failed; the 5 already written were removed.");
        assert.strictEqual(puts, 6);
        assert.deepStrictEqual(await keysInStore(), before);
    });

    describe("bad input gets a 4xx that says what was wrong, and the server keeps serving", () => {
        const cases: [string, () => Promise<{ statusCode: number; json(): any }>, number, string | RegExp][] = [
            ["an empty body", () => invoke(Buffer.alloc(0)), 400, "The request body is empty: send the image bytes."],
            ["bytes that are not an image", () => invoke(Buffer.from("definitely not a jpeg")), 400, "The request body is not an image: send JPEG or PNG bytes."],
            ["a truncated JPEG", () => invoke(sample("sample2.jpg").subarray(0, 60_000)), 400, "The JPEG image is truncated or corrupt."],
            ["an image format other than JPEG or PNG", async () => invoke(await sharp(sample("sample1.jpg")).webp().toBuffer()), 415, "The image is webp; send JPEG or PNG."],
            ["an unsupported content type", () => invoke("{}", { "content-type": "application/json" }), 415, 'Content-Type "application/json" is not supported; send image/jpeg, image/png, application/x-image.'],
            ["no content type", () => app.inject({ method: "POST", url: "/invocations", payload: sample("sample1.jpg"), headers: { "content-type": "" } }), 415, /^Content-Type ".*" is not supported/],
            ["a body over 6 MB", () => invoke(Buffer.alloc(6 * 1024 * 1024 + 1)), 413, "The image is larger than SageMaker's 6 MB request limit."],
            ["an Accept the server can't serve", () => invoke(sample("sample1.jpg"), { accept: "text/csv" }), 406, 'Accept "text/csv" can\'t be served: the response is application/json.'],
            ["an Accept that refuses JSON with q=0", () => invoke(sample("sample1.jpg"), { accept: "application/json;q=0, text/csv" }), 406, 'Accept "application/json;q=0, text/csv" can\'t be served: the response is application/json.'],
            ["a malformed frame id", () => invoke(sample("sample1.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": "frame-id=../../etc" }), 400, `frame-id in X-Amzn-SageMaker-Custom-Attributes must be 1-128 letters, digits, '.', '_' or '-', and not '.' or '..', got "../../etc".`],
            ["the frame id '..' (a dot segment in the keys)", () => invoke(sample("sample1.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": "frame-id=.." }), 400, `frame-id in X-Amzn-SageMaker-Custom-Attributes must be 1-128 letters, digits, '.', '_' or '-', and not '.' or '..', got "..".`],
            ["the frame id '.'", () => invoke(sample("sample1.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": "frame-id=." }), 400, `frame-id in X-Amzn-SageMaker-Custom-Attributes must be 1-128 letters, digits, '.', '_' or '-', and not '.' or '..', got ".".`],
            ["a stream id with a slash", () => invoke(sample("sample1.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": "stream=lobby/1" }), 400, `stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "lobby/1".`],
            ["a capture time without a zone", () => invoke(sample("sample1.jpg"), { "X-Amzn-SageMaker-Custom-Attributes": "captured-at=2026-12-07T10:15:30" }), 400, `captured-at in X-Amzn-SageMaker-Custom-Attributes must be an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z), got "2026-12-07T10:15:30".`],
        ];
        for (const [title, send, status, message] of cases) {
            it(title, async () => {
                const before = await keysInStore();
                const response = await send();
                assert.strictEqual(response.statusCode, status);
                if (typeof message === "string") {
                    assert.strictEqual(response.json().error, message);
                } else {
                    assert.match(response.json().error, message);
                }
                assert.deepStrictEqual(await keysInStore(), before);
                assert.strictEqual((await invoke(sample("sample3.jpg"))).statusCode, 200, "still serving");
            });
        }
    });

    it("answers /ping 503 while the model loads and 200 once it is loaded; invocations wait for the model", async () => {
        let loaded!: (detector: Detector) => void;
        const loading = buildApp({ config, store, detector: new Promise((resolve) => { loaded = resolve; }), logger: silentLogger() });
        const early = await loading.inject({ method: "GET", url: "/ping" });
        assert.deepStrictEqual([early.statusCode, early.json()], [503, { status: "loading" }]);
        const invocation = loading.inject({ method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg" }, payload: sample("sample1.jpg") });
        await new Promise((resolve) => setTimeout(resolve, 100));
        loaded(detector);
        assert.strictEqual((await invocation).statusCode, 200, "the waiting invocation is answered once the model is in");
        const ready = await loading.inject({ method: "GET", url: "/ping" });
        assert.deepStrictEqual([ready.statusCode, ready.json()], [200, { status: "ready" }]);
        await loading.close();
    });

    it("answers 503 when the model takes too long or fails to load", async () => {
        const slow = buildApp({ config, store, detector: new Promise(() => undefined), modelWaitMs: 50, logger: silentLogger() });
        const tooSlow = await slow.inject({ method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg" }, payload: sample("sample1.jpg") });
        assert.deepStrictEqual([tooSlow.statusCode, tooSlow.json().error], [503, "The model is still loading; retry shortly."]);
        await slow.close();
        const broken = buildApp({ config, store, detector: Promise.reject(new Error("no weights")), logger: silentLogger() });
        const failed = await broken.inject({ method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg" }, payload: sample("sample1.jpg") });
        assert.deepStrictEqual([failed.statusCode, failed.json().error], [503, "The model failed to load; see the endpoint's logs."]);
        assert.strictEqual((await broken.inject({ method: "GET", url: "/ping" })).statusCode, 503);
        await broken.close();
    });
});
