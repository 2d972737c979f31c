/**
 * The crowd-mood page in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) loads it while frames of two streams go through the local detector and the
 * emotion stage, and the test checks what a person would see: both streams listed, a frame with
 * its boxes drawn, charts with points, the Rekognition calls spent, the expressions caveat. The
 * screenshot is kept as the test's artifact (test-artifacts/page.png). Skipped, saying so, only
 * where no Chromium is installed (`.ci/run` installs it).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, Browser } from "playwright-core";
import { formatFrameAttributes } from "@crowd-emotions/face-detection-contract";
import { composeCrowdFrame } from "../../tools/samples";
import { DetectorProcess, startDetector } from "../../tools/local/detectorProcess";
import { EmbeddedS3, embeddedS3Env, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { LocalEmotionStage, RESULTS_TABLE, startEmotionStage } from "../../tools/local/emotionStage";
import { InvocationResult } from "../../tools/local/format";
import { freePort } from "../../tools/local/freePort";
import { FrameFeed } from "../../tools/page/feed";
import { PageServer, startPage } from "../../tools/page/server";
import { REPO_ROOT } from "../../tools/paths";

/** The page's globals, inside the functions the browser runs (this program is compiled without the DOM's types). */
declare const document: any;
type HTMLCanvasElement = any;
type HTMLAnchorElement = any;

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export function chromiumPath(): string | undefined {
    return [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => file !== undefined && fs.existsSync(file));
}

/** The flags a closed network and a root user need (see the machine notes): no background connections, no sandbox. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

describe("the crowd-mood page, in headless Chromium", function () {
    this.timeout(180_000);
    let dir: string;
    let s3: EmbeddedS3;
    let detector: DetectorProcess;
    let stage: LocalEmotionStage;
    let page: PageServer;
    let browser: Browser | undefined;
    const feed = new FrameFeed();
    const endpoints = { ...process.env };

    const send = async (stream: string, index: number, capturedAt: Date) => {
        const crowd = await composeCrowdFrame({ width: 1280, height: 720, faceHeight: 56, maxFaces: 8 + 4 * index, seed: 7 * (index + 1) + stream.length });
        const frameId = `${stream}-${index}-${Date.now().toString(36)}`;
        const response = await fetch(`${detector.url}/invocations`, {
            method: "POST", headers: { "content-type": "image/jpeg", "x-amzn-sagemaker-custom-attributes": formatFrameAttributes({ stream, capturedAt, frameId }) }, body: new Uint8Array(crowd.body),
        });
        assert.strictEqual(response.status, 200);
        feed.add({ stream, frameId, capturedAt, body: crowd.body, contentType: "image/jpeg", result: await response.json() as InvocationResult });
    };

    before(async function () {
        if (chromiumPath() === undefined) {
            console.log("      skipped: no Chromium (apt-get install chromium; .ci/run installs it)");
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "page-"));
        s3 = await startEmbeddedS3({ directory: dir, bucket: "face-crops" });
        detector = await startDetector({ port: await freePort(), env: { ...embeddedS3Env(s3), CROPS_BUCKET: "face-crops", CROP_OUTPUT: "sheets", SAGEMAKER_MODEL_SERVER_WORKERS: "1" } });
        stage = await startEmotionStage(s3, { dynamo: 0, rekognition: 0 }, { readIntervalSeconds: 10, packWindowSeconds: 1, cropOutput: "sheets" });
        s3.onObjectCreated((bucket, key) => stage.objectStored(bucket, key));
        page = await startPage({ feed, results: { client: stage.dynamo.client, table: RESULTS_TABLE }, rekognitionStats: `${stage.rekognition.url}/stats`, store: s3.client });
        browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    });

    after(async () => {
        await browser?.close();
        await page?.close();
        await stage?.close();
        await detector?.stop();
        await s3?.close();
        for (const key of ["AWS_ENDPOINT_URL_REKOGNITION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3"]) {
            process.env[key] = endpoints[key];
        }
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("shows both streams as their frames arrive: the latest frame boxed and labelled, crowd and expressions over time, the calls spent", async () => {
        const tab = await browser!.newPage({ viewport: { width: 1400, height: 1100 } });
        const errors: string[] = [];
        const requests: string[] = [];
        tab.on("pageerror", (error) => errors.push(error.message));
        tab.on("request", (request) => requests.push(request.url()));
        await tab.goto(page.url);
        // Frames of two streams arrive while the page is open: three 10-s intervals each.
        const start = new Date(Math.floor((Date.now() - 600_000) / 10_000) * 10_000);
        for (let i = 0; i < 3; i++) {
            for (const stream of ["lobby", "door"]) {
                await send(stream, i, new Date(start.getTime() + i * 10_000 + 1_000));
            }
        }
        await stage.flush();
        const calls = stage.rekognition.calls();
        assert.ok(calls >= 1);

        // Both streams listed, each with a section.
        await tab.waitForFunction(() => document.querySelectorAll("#streams li").length === 2, undefined, { timeout: 20_000 });
        assert.deepStrictEqual(await tab.$$eval("#streams li", (items) => items.map((li: any) => li.textContent)), ["door", "lobby"]);
        for (const stream of ["lobby", "door"]) {
            // The latest frame drawn with a box per face the detector found.
            await tab.waitForFunction((s) => Number((document.querySelector(`[data-testid=frame-${s}]`) as HTMLCanvasElement | null)?.dataset.boxes ?? 0) > 0, stream, { timeout: 20_000 });
            const drawn = await tab.$eval(`[data-testid=frame-${stream}]`, (canvas) => {
                const c = canvas as HTMLCanvasElement;
                const pixels = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
                let boxPixels = 0;
                // The boxes' colours: green (a score) or an expression's colour; the frame is grey faces on grey.
                for (let i = 0; i < pixels.length; i += 4) {
                    if (Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) > 120) {
                        boxPixels++;
                    }
                }
                return { width: c.width, height: c.height, boxes: Number(c.dataset.boxes), boxPixels };
            });
            assert.deepStrictEqual([drawn.width, drawn.height], [1280, 720]);
            const latest = feed.latestOf(stream)!;
            assert.strictEqual(drawn.boxes, latest.result.faces.length);
            assert.ok(drawn.boxPixels > drawn.boxes * 100, JSON.stringify(drawn));
            // The charts have a point per interval.
            await tab.waitForFunction((s) => Number(document.querySelector(`[data-stream=${s}]`)?.getAttribute("data-points") ?? 0) >= 3, stream, { timeout: 20_000 });
            assert.ok(await tab.$eval(`[data-testid=crowd-${stream}] canvas`, (c) => (c as HTMLCanvasElement).width > 0));
            assert.ok(await tab.$eval(`[data-testid=shares-${stream}] canvas`, (c) => (c as HTMLCanvasElement).width > 0));
        }
        // A frame read shows expressions as labels; its sheets are linked.
        await tab.waitForFunction(() => /[1-9]\d* expressions read/.test(document.body.textContent ?? ""), undefined, { timeout: 20_000 });
        const sheetLink = await tab.$eval(".sheets a", (a) => (a as HTMLAnchorElement).href);
        const sheet = await fetch(sheetLink);
        assert.deepStrictEqual([sheet.status, sheet.headers.get("content-type")], [200, "image/jpeg"]);
        // The calls spent, and the caveat beside the moods.
        await tab.waitForFunction((n) => document.querySelector("[data-testid=calls]")?.textContent === `Rekognition calls: ${n}`, calls, { timeout: 10_000 });
        assert.match(await tab.textContent(".caveat") ?? "", /expressions, not inner states/);
        // Readable without colour and without sight: the frame and the charts in words, every
        // interval in a table (labels, not colours alone), all of it reached from the keyboard.
        assert.match(await tab.getAttribute("[data-testid=frame-lobby]", "aria-label") ?? "", /^Frame lobby-\S+: \d+ faces boxed/);
        await tab.waitForFunction(() => /expressions read: \d+ \w+/.test(Array.from(document.querySelectorAll("canvas.frame")).map((c: any) => c.getAttribute("aria-label")).join(" ")), undefined, { timeout: 20_000 });
        assert.match(await tab.getAttribute("[data-testid=shares-lobby]", "aria-label") ?? "", /^Expressions over 3 intervals; the latest, of \d+ faces read: happy \d+%/);
        await tab.keyboard.press("Tab");
        assert.strictEqual(await tab.evaluate(() => document.activeElement?.textContent), "door");
        await tab.keyboard.press("Enter");
        await tab.waitForFunction(() => document.location.hash === "#stream-door", undefined, { timeout: 5_000 });
        await tab.focus("[data-testid=table-lobby] summary");
        await tab.keyboard.press("Enter");
        assert.strictEqual(await tab.$eval("[data-testid=table-lobby]", (d: any) => d.open), true);
        const rows = await tab.$$eval("[data-testid=table-lobby] tbody tr", (trs) => trs.map((tr: any) => Array.from(tr.children).map((cell: any) => cell.textContent)));
        assert.strictEqual(rows.length, 3);
        assert.ok(rows.some((row) => /^\d+% \(\d+%–\d+%\)$/.test(row[4])), JSON.stringify(rows));
        // A refresh keeps the table a reader opened open.
        await send("lobby", 3, new Date(start.getTime() + 3 * 10_000 + 1_000));
        await stage.flush();
        await tab.waitForFunction(() => document.querySelectorAll("[data-testid=table-lobby] tbody tr").length === 4, undefined, { timeout: 20_000 });
        assert.strictEqual(await tab.$eval("[data-testid=table-lobby]", (d: any) => d.open), true);
        // Nothing fetched from anywhere but the page's own server, and no script error.
        assert.deepStrictEqual(requests.filter((url) => !url.startsWith(page.url)), []);
        assert.deepStrictEqual(errors, []);
        fs.mkdirSync(path.join(REPO_ROOT, "test-artifacts"), { recursive: true });
        await tab.screenshot({ path: path.join(REPO_ROOT, "test-artifacts", "page.png"), fullPage: true });
    });

    it("reads from the store only the sheets of a frame it shows", async () => {
        const anyKey = encodeURIComponent("crops/../../etc/passwd");
        const refused = await fetch(`${page.url}api/sheet?stream=lobby&key=${anyKey}`);
        assert.strictEqual(refused.status, 404);
        const badStream = await fetch(`${page.url}api/stream?stream=${encodeURIComponent("a/b")}`);
        assert.strictEqual(badStream.status, 400);
    });
});
