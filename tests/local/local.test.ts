import * as assert from "assert";
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand } from "@aws-sdk/client-s3";
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from "@aws-sdk/client-sagemaker-runtime";
import sharp from "sharp";
import { describeError, endpointOfStack, frameIdOf, invoke, localEndpoint, parseArgs, readImage, UsageError } from "../../tools/invoke";
import { DetectorProcess, startDetector } from "../../tools/local/detectorProcess";
import { EmbeddedS3, embeddedS3Env, LOCAL_CREDENTIALS, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { formatResult } from "../../tools/local/format";
import { freePort, portIsFree } from "../../tools/local/freePort";
import { REPO_ROOT } from "../../tools/paths";
import { SAMPLE_DIR } from "../container/fixtures";

const samplePath = (n: number) => path.join(SAMPLE_DIR, `sample${n}.jpg`);


/** Runs the CLI in its own process; asynchronously, as the embedded store answers from this one. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/invoke.ts", ...args], {
            cwd: REPO_ROOT, encoding: "utf8", env: { PATH: process.env.PATH!, HOME: os.tmpdir(), ...env },
        }, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
}

describe("the endpoint on one machine", function () {
    this.timeout(120_000);
    let dir: string;
    let s3: EmbeddedS3;
    let detector: DetectorProcess;
    let runtimeUrl: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-endpoint-"));
        s3 = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
        // Both outputs: the table, JSON and annotation show crops and sheets.
        detector = await startDetector({ port: await freePort(), env: { ...embeddedS3Env(s3), CROPS_BUCKET: "face-crops", CROP_OUTPUT: "both", SAGEMAKER_MODEL_SERVER_WORKERS: "1" } });
        runtimeUrl = detector.url;
    });
    after(async () => {
        await detector?.stop();
        await s3?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("answers the real SageMaker runtime client, configured only by AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", async () => {
        const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME;
        process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = runtimeUrl;
        try {
            const client = new SageMakerRuntimeClient({ region: "us-east-1", credentials: LOCAL_CREDENTIALS });
            const response = await client.send(new InvokeEndpointCommand({
                EndpointName: "any-name", Body: fs.readFileSync(samplePath(6)), ContentType: "image/jpeg",
                CustomAttributes: "frame-id=e2e-6",
            }));
            const result = JSON.parse(Buffer.from(response.Body!).toString());
            assert.strictEqual(result.faces.length, 4);
            assert.strictEqual(response.ContentType, "application/json; charset=utf-8");
            assert.strictEqual(response.InvokedProductionVariant, "AllTraffic");
            // What the endpoint took the frame to be: its stream and capture time (its arrival) too.
            assert.match(response.CustomAttributes!, /^stream=default,captured-at=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,frame-id=e2e-6$/);
            client.destroy();
        } finally {
            if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME; else process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = saved;
        }
    });

    it("invokes sample photos and finds their crops and sheets in the embedded store", async () => {
        process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = runtimeUrl;
        const results = await invoke(parseArgs(["--local", "--stream", "door", "--captured-at", "2026-12-01T08:00:00Z", samplePath(1), samplePath(5)]));
        delete process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME;
        assert.deepStrictEqual(results.map((r) => r.result.faces.length), [3, 5]);
        const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: "face-crops", Prefix: "crops/" }));
        const keys = (listed.Contents ?? []).map((o) => o.Key!);
        for (const face of results.flatMap((r) => r.result.faces)) {
            assert.ok(keys.includes(face.crop!.key), `${face.crop!.key} is stored`);
        }
        for (const sheet of results.flatMap((r) => r.result.sheets ?? [])) {
            assert.ok(keys.includes(sheet.key) && keys.includes(sheet.manifestKey), `${sheet.key} and its manifest are stored`);
        }
        assert.deepStrictEqual(results.map((r) => r.result.sheets?.map((sheet) => sheet.faces)), [[[0, 1, 2]], [[0, 1, 2, 3, 4]]]);
        assert.ok(keys.some((key) => /^crops\/2026\/12\/01\/door\/sample1-[0-9a-z]+\/face-2\.jpg$/.test(key)), keys.join(", "));
        assert.ok(keys.some((key) => /^crops\/2026\/12\/01\/door\/sample5-[0-9a-z]+\/face-4\.jpg$/.test(key)), keys.join(", "));
        assert.deepStrictEqual(results.map((r) => [r.result.stream, r.result.capturedAt]), [["door", "2026-12-01T08:00:00.000Z"], ["door", "2026-12-01T08:00:00.000Z"]]);
    });

    it("prints a table, JSON, and an annotated photo", async () => {
        const env = { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: runtimeUrl };
        const table = await cli(["--local", samplePath(4)], env);
        assert.strictEqual(table.status, 0, table.stderr);
        assert.match(table.stdout, /sample4\.jpg: 4 face\(s\) in a 1920x1448 image \(frame sample4-[0-9a-z]+\), [\d.]+ ms\n# {2}score {2}box \(x,y,w,h\) +sheet +crop +size\n0 {2}0\.\d{3} {2}\d+,\d+,\d+,\d+ +sheet 0 #0 +s3:\/\/face-crops\/crops\/\d{4}\/\d{2}\/\d{2}\/default\/sample4-[0-9a-z]+\/face-0\.jpg {2}\d+x\d+, [\d.]+ KB/);
        assert.match(table.stdout, /\nsheet 0: s3:\/\/face-crops\/crops\/\d{4}\/\d{2}\/\d{2}\/default\/sample4-[0-9a-z]+\/sheet-0\.jpg \(4 faces, 368x368, [\d.]+ KB\); manifest crops\/\d{4}\/\d{2}\/\d{2}\/default\/sample4-[0-9a-z]+\/sheet-0\.json/);
        assert.strictEqual(table.stdout.match(/s3:\/\/face-crops\//g)?.length, 5);

        const json = await cli(["--local", "--json", samplePath(3)], env);
        assert.strictEqual(json.status, 0, json.stderr);
        const parsed = JSON.parse(json.stdout);
        assert.strictEqual(parsed.faces.length, 3);
        assert.deepStrictEqual(Object.keys(parsed.faces[0]), ["box", "score", "crop"]);
        assert.deepStrictEqual(parsed.sheets.map((sheet: { faces: number[] }) => sheet.faces), [[0, 1, 2]]);

        const out = path.join(dir, "annotated.jpg");
        const annotated = await cli(["--local", "--annotate", out, samplePath(2)], env);
        assert.strictEqual(annotated.status, 0, annotated.stderr);
        assert.match(annotated.stdout, /Annotated image: /);
        const original = await sharp(samplePath(2)).raw().toBuffer({ resolveWithObject: true });
        const drawn = await sharp(out).raw().toBuffer({ resolveWithObject: true });
        assert.deepStrictEqual([drawn.info.width, drawn.info.height], [original.info.width, original.info.height]);
        // The top-left corner of the first box is painted green.
        const { box } = JSON.parse((await cli(["--local", "--json", samplePath(2)], env)).stdout).faces[0];
        const at = (box.y * drawn.info.width + box.x) * drawn.info.channels;
        assert.ok(drawn.data[at + 1] > 180 && drawn.data[at] < 90, `pixel at the box corner is green: ${[...drawn.data.subarray(at, at + 3)]}`);
    });

    it("prints the endpoint's own error for an image it refuses", async () => {
        const bad = path.join(dir, "not-an-image.jpg");
        fs.writeFileSync(bad, "hello");
        const result = await cli(["--local", bad], { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: runtimeUrl });
        assert.strictEqual(result.status, 1);
        assert.strictEqual(result.stderr.trim().split("\n").at(-1), "The endpoint answered 400: The request body is not an image: send JPEG or PNG bytes.");
    });
});

describe("npm start", function () {
    this.timeout(180_000);

    it("says at once that its port is in use, naming the variable to change, and exits non-zero", async () => {
        const busy = net.createServer();
        const port = await freePort();
        await new Promise<void>((resolve) => busy.listen(port, "0.0.0.0", resolve));
        try {
            const result = await new Promise<{ status: number; stderr: string }>((resolve) => {
                execFile(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/start.ts"], {
                    cwd: REPO_ROOT, encoding: "utf8", env: { PATH: process.env.PATH!, HOME: os.tmpdir(), PORT: String(port) },
                }, (error, _stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stderr }));
            });
            assert.strictEqual(result.status, 1);
            assert.strictEqual(result.stderr.trim(), `Port ${port} is in use (another \`npm start\`?); stop it, or choose another port: PORT=<port> npm start`);
        } finally {
            busy.close();
        }
    });

    it("stores sheets, the deployments' default, prints each stream's intervals and the calls spent, and stops everything it started on a SIGTERM to npm itself", async function () {
        this.timeout(300_000);
        const [port, storePort, pagePort] = [await freePort(), await freePort(), await freePort()];
        const npm = spawn("npm", ["start"], {
            cwd: REPO_ROOT, env: { ...process.env, PORT: String(port), LOCAL_S3_PORT: String(storePort), PAGE_PORT: String(pagePort) }, stdio: ["ignore", "pipe", "pipe"],
        });
        try {
            let output = "";
            npm.stdout!.on("data", (chunk) => { output += chunk; });
            npm.stderr!.on("data", (chunk) => { output += chunk; });
            for (let i = 0; i < 2400 && !output.includes("Press Ctrl-C to stop."); i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            assert.ok(output.includes("Press Ctrl-C to stop."), output);
            // CROP_OUTPUT set by npm start as the component sets it (the image alone would store crops).
            assert.match(output, /\nsheet 0: s3:\/\/[^ ]+\/sheet-0\.jpg \(3 faces/);
            assert.doesNotMatch(output, /face-0\.jpg/);
            // Two streams over a minute of capture time, per 10-s interval, and what the reads cost.
            for (const stream of ["lobby", "door"]) {
                const intervals = output.split("\n").filter((line) => line.startsWith(`  ${stream.padEnd(7)} `));
                assert.strictEqual(intervals.length, 6, output);
                assert.match(intervals[0], /^ {2}\w+ +\d\d:\d\d:\d0–\d\d:\d\d:\d0 {2}crowd [\d.]+ \(max \d+, \d frames\) {2}\d+ read {2}[A-Z]+ \d+% \(\d+%–\d+%\)/);
            }
            const spent = [...output.matchAll(/Rekognition stand-in so far: (\d+) calls? \(\$([\d.]+) at \$0\.001 per image\)/g)].at(-1)!;
            assert.ok(Number(spent[1]) >= 2 && Number(spent[1]) <= 5, spent[0]);
            // The page, at the URL it printed, knows both streams and the calls spent.
            const page = /Crowd-mood page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
            assert.strictEqual(page, `http://127.0.0.1:${pagePort}/`);
            const streams = await (await fetch(`${page}api/streams`)).json() as { streams: string[]; calls: number };
            assert.deepStrictEqual([streams.streams.includes("lobby"), streams.streams.includes("door"), streams.calls], [true, true, Number(spent[1])]);
            assert.match(await (await fetch(page!)).text(), /<title>Crowd mood<\/title>/);
        } catch (error) {
            // A failed check must not leave npm start's detector and stores running.
            npm.kill("SIGTERM");
            throw error;
        }
        npm.kill("SIGTERM");
        await new Promise((resolve) => npm.once("exit", resolve));
        // Nothing of it keeps the ports.
        for (let i = 0; i < 100 && !(await portIsFree(port) && await portIsFree(storePort)); i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(await portIsFree(port), `port ${port} still held`);
        assert.ok(await portIsFree(storePort), `port ${storePort} still held`);
    });

    it("gives each invocation a frame id of its own, from the file's name", () => {
        const now = new Date("2026-12-07T10:00:00Z");
        assert.strictEqual(frameIdOf("/photos/lobby cam.jpg", now), `lobby_cam-${now.getTime().toString(36)}`);
        assert.notStrictEqual(frameIdOf("a.jpg", now), frameIdOf("a.jpg", new Date(now.getTime() + 1)));
    });

    it("points `invoke --local` at the port it serves on", () => {
        assert.strictEqual(localEndpoint({ PORT: "8081" }), "http://localhost:8081");
        assert.strictEqual(localEndpoint({}), "http://localhost:8080");
        assert.strictEqual(localEndpoint({ AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: "http://10.0.0.2:9000", PORT: "8081" }), "http://10.0.0.2:9000");
    });
});

describe("the embedded store", function () {
    this.timeout(120_000);

    it("lists past one page (1000 keys) through the real SDK's paginator", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-s3-"));
        const store = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
        try {
            const keys = Array.from({ length: 1005 }, (_, i) => `crops/2026/11/25/frame-${String(i).padStart(4, "0")}/sheet-0.json`);
            for (let i = 0; i < keys.length; i += 50) {
                await Promise.all(keys.slice(i, i + 50).map((Key) => store.client.send(new PutObjectCommand({ Bucket: "face-crops", Key, Body: "{}" }))));
            }
            const listed: string[] = [];
            let pages = 0;
            for await (const page of paginateListObjectsV2({ client: store.client }, { Bucket: "face-crops", Prefix: "crops/" })) {
                pages += 1;
                listed.push(...(page.Contents ?? []).map((o) => o.Key!));
            }
            assert.strictEqual(pages, 2);
            assert.deepStrictEqual(listed, [...keys].sort());
        } finally {
            await store.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("npm run invoke: errors", function () {
    this.timeout(60_000);

    it("a missing file", () => {
        assert.throws(() => readImage("nope.jpg"), new UsageError("No such file: nope.jpg"));
    });

    it("an image over 6 MB", () => {
        const big = path.join(os.tmpdir(), "big-photo.jpg");
        fs.writeFileSync(big, Buffer.alloc(6 * 1024 * 1024 + 1));
        try {
            assert.throws(() => readImage(big), { message: `${big} is 6.0 MB; SageMaker real-time endpoints take at most 6 MB per request.` });
        } finally {
            fs.rmSync(big);
        }
    });

    it("bad usage", () => {
        assert.throws(() => parseArgs([samplePath(1)]), { message: "Choose one target: --stack <name>, --endpoint <name> or --local." });
        assert.throws(() => parseArgs(["--local"]), { message: "Name at least one image to send." });
        assert.throws(() => parseArgs(["--local", "--annotate", "x.jpg", "a.jpg", "b.jpg"]), { message: "--annotate draws on one image; send one at a time." });
        assert.throws(() => parseArgs(["--local", "--colour", "a.jpg"]), { message: "Unknown option '--colour'." });
        assert.throws(() => parseArgs(["--local", "--stream", "lobby/1", "a.jpg"]),
            { message: `--stream: stream in X-Amzn-SageMaker-Custom-Attributes must be 1-64 letters, digits, '.', '_' or '-', and not '.' or '..', got "lobby/1".` });
        assert.throws(() => parseArgs(["--local", "--captured-at", "noon", "a.jpg"]),
            { message: `--captured-at: captured-at in X-Amzn-SageMaker-Custom-Attributes must be an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z), got "noon".` });
    });

    it("an endpoint that doesn't exist", () => {
        const error = new ValidationError({ message: "Endpoint faces-prod of account 123456789012 not found.", $metadata: {} });
        assert.strictEqual(describeError(error, "faces-prod", "us-east-1"), "Endpoint faces-prod not found in us-east-1.");
    });

    it("the endpoint's own 5xx", () => {
        const error = new ModelError({ message: "Received server error (500)", $metadata: {}, OriginalStatusCode: 500, OriginalMessage: '{"error":"Storing the crops failed; the 1 crop(s) already written were removed."}' });
        assert.strictEqual(describeError(error, "faces", "us-east-1"), "The endpoint answered 500: Storing the crops failed; the 1 crop(s) already written were removed.");
    });

    it("no credentials", async () => {
        const result = await cli(["--endpoint", "faces-prod", "--region", "us-east-1", samplePath(1)], {
            AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "none"), AWS_CONFIG_FILE: path.join(os.tmpdir(), "none"), AWS_EC2_METADATA_DISABLED: "true",
        });
        assert.strictEqual(result.status, 1);
        assert.strictEqual(result.stderr.trim().split("\n").at(-1), "No AWS credentials: configure them (aws configure, AWS_PROFILE or AWS_ACCESS_KEY_ID), or use --local.");
    });

    it("--stack reads the endpoint from the stack's outputs, or says the Pulumi CLI is missing", () => {
        const noCli = () => { throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }); };
        assert.throws(() => endpointOfStack("prod", noCli as any), { message: "--stack needs the Pulumi CLI (https://www.pulumi.com/docs/install/); without it, pass --endpoint <name>." });
        const outputs = (() => JSON.stringify({ endpointName: "face-detection-prod", region: "us-east-1" })) as any;
        assert.deepStrictEqual(endpointOfStack("prod", outputs), { endpointName: "face-detection-prod", region: "us-east-1" });
    });

    it("formats a frame without faces", () => {
        assert.strictEqual(formatResult({ faces: [], image: { width: 10, height: 20 } }), "0 face(s) in a 10x20 image; nothing stored.");
    });
});

describe("the embedded store's conditional writes", function () {
    this.timeout(60_000);

    it("refuses, as S3 does, to replace an object with a PUT of If-None-Match: *, and keeps the first body", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-s3-"));
        const store = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
        try {
            const put = (body: string) => store.client.send(new PutObjectCommand({ Bucket: "face-crops", Key: "crops/2026/12/07/lobby/f 1/sheet-0.json", Body: body, IfNoneMatch: "*" }));
            await put("first");
            await assert.rejects(put("second"), (error: any) => error.name === "PreconditionFailed" && error.$metadata.httpStatusCode === 412);
            const stored = await store.client.send(new GetObjectCommand({ Bucket: "face-crops", Key: "crops/2026/12/07/lobby/f 1/sheet-0.json" }));
            assert.strictEqual(await stored.Body!.transformToString(), "first");
            // Without the condition, a PUT replaces, as on S3.
            await store.client.send(new PutObjectCommand({ Bucket: "face-crops", Key: "crops/2026/12/07/lobby/f 1/sheet-0.json", Body: "third" }));
        } finally {
            await store.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the embedded store's guard in front of s3rver's dependencies", function () {
    this.timeout(60_000);
    let dir: string;
    let store: EmbeddedS3;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-s3-"));
        store = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
    });
    after(async () => {
        await store?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("deletes through the real SDK's DeleteObjects, and emits a delete event for each key (s3rver emits none for it)", async () => {
        const removed: string[] = [];
        store.onObjectRemoved((_bucket, key) => removed.push(key));
        for (const key of ["a/one.json", "a/two.jpg"]) {
            await store.client.send(new PutObjectCommand({ Bucket: "face-crops", Key: key, Body: "x" }));
        }
        await store.client.send(new DeleteObjectsCommand({ Bucket: "face-crops", Delete: { Objects: [{ Key: "a/one.json" }, { Key: "a/two.jpg" }], Quiet: true } }));
        const left = await store.client.send(new ListObjectsV2Command({ Bucket: "face-crops", Prefix: "a/" }));
        assert.deepStrictEqual([left.KeyCount, removed.sort()], [0, ["a/one.json", "a/two.jpg"]]);
    });

    it("keeps a browser-form upload from busboy/dicer and a poisoned XML body from fast-xml-parser 3, and the store serves on", async () => {
        const form = await fetch(`${store.endpoint}/face-crops`, {
            method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: "--x\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--x",
        });
        assert.deepStrictEqual([form.status, /NotImplemented/.test(await form.text())], [501, true]);
        const poisoned = await fetch(`${store.endpoint}/face-crops?delete`, {
            method: "POST", headers: { "Content-Type": "application/xml" },
            body: "<Delete><Object><Key>k</Key></Object><__proto__><polluted>yes</polluted></__proto__></Delete>",
        });
        assert.deepStrictEqual([poisoned.status, /MalformedXML/.test(await poisoned.text())], [400, true]);
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        await store.client.send(new PutObjectCommand({ Bucket: "face-crops", Key: "after", Body: "still serving" }));
        const stored = await store.client.send(new GetObjectCommand({ Bucket: "face-crops", Key: "after" }));
        assert.strictEqual(await stored.Body!.transformToString(), "still serving");
    });
});
