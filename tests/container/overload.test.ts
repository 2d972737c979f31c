import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { loadConfig } from "../../container/src/config";
import { Detector, loadDetector } from "../../container/src/detection";
import { Admission, buildApp } from "../../container/src/http";
import { CropStore, WrittenObject } from "../../container/src/storage";
import { capturedLogger, sample, silentLogger } from "./fixtures";

/** A store in memory. */
function memoryStore() {
    const objects = new Map<string, Buffer>();
    const store: CropStore = {
        bucket: "crops",
        async put(object) {
            objects.set(object.key, object.body);
            return { key: object.key };
        },
        async remove(written: readonly WrittenObject[]) {
            written.forEach(({ key }) => objects.delete(key));
        },
    };
    return { store, objects };
}

/** The real detector, held at the door until `open()` is called. */
function gatedDetector(real: Detector) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const detector: Detector = { engine: real.engine, detect: async (image, options) => { await gate; return real.detect(image, options); } };
    return { detector, open };
}

describe("overload, abandoned requests and the deadline", function () {
    this.timeout(60_000);
    let real: Detector;
    before(async () => { real = await loadDetector(); });
    const config = loadConfig({ CROPS_BUCKET: "crops" }, 1);
    const post = (app: ReturnType<typeof buildApp>) =>
        app.inject({ method: "POST", url: "/invocations", headers: { "content-type": "image/jpeg" }, payload: sample("sample1.jpg") });

    it("processes at most `maxProcessing` frames at once and queues the rest", async () => {
        const admission = new Admission(2, 10);
        let running = 0;
        let most = 0;
        await Promise.all(Array.from({ length: 6 }, () => admission.process(async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 20));
            running -= 1;
        })));
        assert.strictEqual(most, 2);
        assert.deepStrictEqual(admission.load, { admitted: 0, processing: 0 });
    });

    it("sheds requests beyond what a worker holds with a fast 503 and Retry-After, and serves again after", async () => {
        const { detector, open } = gatedDetector(real);
        const { store } = memoryStore();
        const app = buildApp({ config, store, detector: Promise.resolve(detector), logger: silentLogger(), admission: new Admission(1, 1) });
        const held = [post(app), post(app)];
        await new Promise((resolve) => setTimeout(resolve, 50));
        const shed = await post(app);
        assert.strictEqual(shed.statusCode, 503);
        assert.strictEqual(shed.headers["retry-after"], "1");
        assert.deepStrictEqual(shed.json(), { error: "The detector is busy; retry shortly." });
        open();
        assert.deepStrictEqual((await Promise.all(held)).map((r) => r.statusCode), [200, 200]);
        assert.strictEqual((await post(app)).statusCode, 200);
        await app.close();
    });

    it("stores nothing for a caller that hangs up, and logs the abandoned frame", async () => {
        const { detector, open } = gatedDetector(real);
        const { store, objects } = memoryStore();
        const captured = capturedLogger();
    const logs = captured.lines;
        const app = buildApp({ config, store, detector: Promise.resolve(detector), logger: captured.logger });
        await app.listen({ port: 0, host: "127.0.0.1" });
        const { port } = app.server.address() as AddressInfo;
        const body = sample("sample1.jpg");
        const request = http.request({ host: "127.0.0.1", port, method: "POST", path: "/invocations", headers: { "content-type": "image/jpeg", "content-length": body.length } });
        request.on("error", () => undefined);
        request.end(body);
        await new Promise((resolve) => setTimeout(resolve, 300));
        request.destroy();
        await new Promise((resolve) => setTimeout(resolve, 100));
        open();
        for (let i = 0; i < 100 && !logs.some((line) => line.includes("abandoned")); i++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.deepStrictEqual([...objects.keys()], []);
        const line = JSON.parse(logs.find((l) => l.includes("abandoned"))!);
        assert.match(line.message, /^frame abandoned: the caller closed the connection; nothing stored$/);
        await app.close();
    });

    it("answers 503 at the deadline when the store hangs mid-frame, and removes what was written", async () => {
        // The first object stores at once; every later one hangs until the request is given up.
        const objects = new Map<string, Buffer>();
        let puts = 0;
        const store: CropStore = {
            bucket: "crops",
            async put(object, signal) {
                puts += 1;
                if (objects.size > 0) {
                    await new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason)));
                }
                objects.set(object.key, object.body);
                return { key: object.key };
            },
            async remove(written: readonly WrittenObject[]) {
                written.forEach(({ key }) => objects.delete(key));
            },
        };
        const app = buildApp({ config, store, detector: Promise.resolve(real), logger: silentLogger(), deadlineMs: 5_000 });
        const response = await post(app);
        assert.strictEqual(response.statusCode, 503);
        assert.strictEqual(response.json().error, "The frame was not processed in time (the deadline passed); nothing was stored.");
        assert.ok(puts >= 2, `${puts} uploads started`);
        assert.deepStrictEqual([...objects.keys()], []);
        await app.close();
    });
});
