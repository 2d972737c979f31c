import * as assert from "assert";
import { startFaultProxy } from "../../tools/bench/faultProxy";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { SERVER_MAIN, startDetector } from "../../tools/local/detectorProcess";
import { freePort } from "../../tools/local/freePort";
import { embeddedS3Env } from "../../tools/local/embeddedS3";
import { LocalS3, sample, startLocalS3 } from "./fixtures";

function request(port: number, method: string, urlPath: string, body?: Buffer): Promise<{ status: number; body: string; connection?: string }> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers: body ? { "content-type": "image/jpeg" } : {} }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), connection: res.headers.connection }));
        });
        req.on("error", reject);
        req.end(body);
    });
}

function exited(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
    const start = Date.now();
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, ms: Date.now() - start })));
}

const started: ChildProcess[] = [];

function run(args: string[], env: Record<string, string>): ChildProcess & { output: () => string } {
    const child = spawn(process.execPath, [SERVER_MAIN, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: "pipe" });
    started.push(child);
    let output = "";
    child.stdout!.on("data", (chunk) => { output += chunk; });
    child.stderr!.on("data", (chunk) => { output += chunk; });
    return Object.assign(child, { output: () => output });
}

describe("the server process (`serve`)", function () {
    this.timeout(120_000);
    let s3: LocalS3;
    before(async () => { s3 = await startLocalS3(); });
    after(async () => { await s3.close(); });
    // A failed test must not leave a server holding its port.
    afterEach(() => started.splice(0).filter((child) => child.exitCode === null).forEach((child) => child.kill("SIGKILL")));

    it("exits with a message naming each bad variable", async () => {
        const child = run(["serve"], { MIN_CONFIDENCE: "2" });
        const { code } = await exited(child);
        assert.strictEqual(code, 78);
        assert.match(child.output(), /CROPS_BUCKET is required/);
        assert.match(child.output(), /MIN_CONFIDENCE must be a number from 0.05 to 1, got "2"\./);
    });

    it("sends no telemetry and writes no files of ONNX Runtime's, even where the environment doesn't turn it off", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "detector-home-"));
        const since = Date.now();
        const port = await freePort();
        try {
            // Only what the server needs: no ORT_DISABLE_TELEMETRY from the Dockerfile.
            const child = run(["serve"], {
                HOME: home, SAGEMAKER_BIND_TO_PORT: String(port), SAGEMAKER_MODEL_SERVER_WORKERS: "1",
                ...embeddedS3Env(s3), CROPS_BUCKET: s3.bucket,
            });
            for (let i = 0; i < 600 && (await request(port, "GET", "/ping").catch(() => ({ status: 0 }))).status !== 200; i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            assert.strictEqual((await request(port, "POST", "/invocations", sample("sample1.jpg"))).status, 200);
            child.kill("SIGTERM");
            await exited(child);
            // With telemetry on, ONNX Runtime writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ and /tmp/mat-debug-<pid>.log.
            assert.deepStrictEqual(fs.readdirSync(home), []);
            const logs = fs.readdirSync(os.tmpdir()).filter((name) => /^mat-debug-\d+\.log$/.test(name)
                && fs.statSync(path.join(os.tmpdir(), name)).mtimeMs >= since);
            assert.deepStrictEqual(logs, []);
            assert.doesNotMatch(child.output(), /telemetry|HTTPS uploads/i);
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    it("answers a pipelined request's first frame and closes, never with a 503 of Node's own", async () => {
        const port = await freePort();
        const { child } = await startDetector({ port, env: { ...embeddedS3Env(s3), CROPS_BUCKET: s3.bucket, SAGEMAKER_MODEL_SERVER_WORKERS: "2" } });
        started.push(child);
        const body = sample("sample1.jpg");
        const head = `POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\n\r\n`;
        const socket = net.connect(port, "127.0.0.1");
        let received = "";
        socket.on("data", (chunk) => { received += chunk.toString("latin1"); });
        socket.write(Buffer.concat([Buffer.from(head), body, Buffer.from(head), body]));
        await new Promise((resolve) => socket.on("close", resolve));
        const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
        assert.deepStrictEqual(statuses, [200]);
        assert.match(received, /^connection: close/im);
        child.kill("SIGTERM");
        await exited(child);
    });

    it("stops, saying why, when its workers keep dying (here: the port is taken) instead of replacing them forever", async () => {
        const busy = net.createServer();
        const port = await freePort();
        await new Promise<void>((resolve) => busy.listen(port, "0.0.0.0", resolve));
        try {
            const child = run(["serve"], { SAGEMAKER_BIND_TO_PORT: String(port), SAGEMAKER_MODEL_SERVER_WORKERS: "2", CROPS_BUCKET: "crops" });
            const { code } = await exited(child);
            assert.strictEqual(code, 1);
            assert.match(child.output(), /workers exited 7 times in 60 s \(last with 1\); stopping/);
        } finally {
            busy.close();
        }
    });

    it("refuses commands other than serve", async () => {
        const child = run(["train"], {});
        assert.strictEqual((await exited(child)).code, 2);
        assert.match(child.output(), /Unknown command "train": this image only knows "serve"\./);
    });

    it("answers the calls waiting on a stalled store with 503 before it exits on SIGTERM, within SageMaker's 30 s", async () => {
        const proxy = await startFaultProxy(s3.endpoint);
        try {
            const port = await freePort();
            const { child } = await startDetector({
                port, env: { ...embeddedS3Env(s3), AWS_ENDPOINT_URL_S3: proxy.endpoint, CROPS_BUCKET: s3.bucket, SAGEMAKER_MODEL_SERVER_WORKERS: "1" },
            });
            started.push(child);
            // The store takes requests and never answers them in time.
            proxy.set({ kind: "slow", slowMs: 120_000 });
            const waiting = request(port, "POST", "/invocations", sample("sample1.jpg"));
            await new Promise((resolve) => setTimeout(resolve, 1_500));
            const done = exited(child);
            child.kill("SIGTERM");
            const answer = await waiting;
            assert.strictEqual(answer.status, 503);
            assert.match(JSON.parse(answer.body).error, /the server is shutting down\); nothing was stored/);
            const { code, ms } = await done;
            assert.ok(ms < 30_000, `exited after ${ms} ms`);
            assert.strictEqual(code, 0);
        } finally {
            await proxy.close();
        }
    });

    it("serves from several workers on one port, then drains in-flight requests on SIGTERM", async () => {
        const port = await freePort();
        let output = "";
        const { child } = await startDetector({
            port,
            env: { ...embeddedS3Env(s3), CROPS_BUCKET: s3.bucket, SAGEMAKER_MODEL_SERVER_WORKERS: "2" },
            output: (chunk) => { output += chunk; },
        });
        started.push(child);
        // Both workers get traffic and both answer.
        const answers = await Promise.all([1, 2, 3, 4].map(() => request(port, "POST", "/invocations", sample("sample1.jpg"))));
        assert.deepStrictEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
        // One request per connection, so that the workers share requests rather than connections.
        assert.deepStrictEqual(answers.map((a) => a.connection), ["close", "close", "close", "close"]);

        const inFlight = request(port, "POST", "/invocations", sample("sample5.jpg"));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const done = exited(child);
        child.kill("SIGTERM");
        const answer = await inFlight;
        assert.strictEqual(answer.status, 200, "the in-flight request is finished");
        assert.strictEqual(JSON.parse(answer.body).faces.length, 5);
        const { code, ms } = await done;
        assert.strictEqual(code, 0);
        assert.ok(ms < 30_000, `exited after ${ms} ms`);
        await assert.rejects(() => request(port, "GET", "/ping"), /ECONNREFUSED/);
        const lines = output.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
        const requests = lines.filter((line) => line.message === "request answered");
        assert.strictEqual(requests.length, 5, "one log line per invocation");
        // Each invocation's frame and stream, for following a camera in the logs, with its stage times.
        assert.deepStrictEqual(Object.keys(requests[0]).sort(),
            ["bytes", "faces", "frameId", "latencyMs", "level", "message", "method", "path", "pid", "requestId", "stages", "status", "stream", "time"]);
        // The server's own lines are the same JSON: the workers' model loads and listening, the primary's start.
        assert.ok(lines.some((line) => line.message === "model loaded" && line.level === "info" && line.pid !== undefined && line.time));
        assert.ok(lines.every((line) => typeof line.level === "string" && typeof line.time === "string"));
    });
});
