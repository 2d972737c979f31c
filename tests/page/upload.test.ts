/**
 * Frames handed to a running page by another local process (`npm run watch -- … --local` to
 * `npm start`'s page): taken from local programs only (no web page's POST, no rebound host name,
 * JSON only, bounded), every field checked, a sheet only the frame's own; and the pusher keeps one
 * frame per stream waiting, whatever the page's pace.
 */
import * as assert from "assert";
import * as http from "http";
import { FedFrame, FrameFeed } from "../../tools/page/feed";
import { checkUploadRequest, encodeFrame, FramePusher, findRunningPage, MAX_UPLOAD_BYTES, parseFrameUpload, UploadRefused } from "../../tools/page/frameUpload";
import { PageServer, startPage } from "../../tools/page/server";

const CAPTURED = new Date("2026-12-07T10:00:00.000Z");
const NOW = new Date("2026-12-07T10:05:00.000Z");

function frame(stream = "entrance", frameId = "entrance-0001", capturedAt = CAPTURED): FedFrame {
    return {
        stream, frameId, capturedAt, contentType: "image/jpeg", body: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
        result: {
            image: { width: 1280, height: 720 },
            faces: [{ box: { x: 10, y: 20, width: 40, height: 48 }, score: 0.97 }],
            sheets: [{ bucket: "face-crops", key: `crops/2026/12/07/${stream}/${frameId}/sheet-0.jpg`, manifestKey: `crops/2026/12/07/${stream}/${frameId}/sheet-0.json`, width: 120, height: 120, bytes: 900, faces: [0] }],
        },
    };
}

/** A raw HTTP request, so that the test sets the headers a browser or a rebound DNS name would. */
function post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const request = http.request(new URL("api/frames", url), { method: "POST", headers }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString() }));
        });
        request.on("error", reject);
        request.end(body);
    });
}

describe("frames handed to a running page", () => {
    describe("the upload's checks", () => {
        const headers = { host: "127.0.0.1:8090", "content-type": "application/json" };

        it("takes a local program's JSON on the loopback address", () => {
            assert.doesNotThrow(() => checkUploadRequest(headers, 8090));
            assert.doesNotThrow(() => checkUploadRequest({ ...headers, host: "localhost:8090", "content-type": "application/json; charset=utf-8" }, 8090));
        });

        it("refuses a web page's POST, a rebound host name, another type and an oversized body, each saying why", () => {
            const refused = (h: Record<string, string>) => {
                try {
                    checkUploadRequest(h, 8090);
                } catch (error) {
                    assert.ok(error instanceof UploadRefused);
                    return `${error.status} ${error.message}`;
                }
                return "taken";
            };
            assert.match(refused({ ...headers, origin: "https://evil.example" }), /^403 .*not from web pages/);
            assert.match(refused({ ...headers, host: "evil.example:8090" }), /^403 .*loopback.*evil\.example/);
            assert.match(refused({ ...headers, host: "127.0.0.1:9999" }), /^403 /);
            assert.match(refused({ ...headers, "content-type": "text/plain" }), /^415 /);
            assert.match(refused({ ...headers, "content-length": String(MAX_UPLOAD_BYTES + 1) }), /^413 /);
        });

        it("reads back what encodeFrame wrote", () => {
            const sent = frame();
            const taken = parseFrameUpload(encodeFrame(sent), NOW);
            assert.deepStrictEqual({ ...taken, body: taken.body.toString("hex") }, { ...sent, body: sent.body.toString("hex") });
        });

        it("names the field that is wrong", () => {
            const wrong = (change: (value: any) => void) => {
                const value = JSON.parse(encodeFrame(frame()));
                change(value);
                try {
                    parseFrameUpload(JSON.stringify(value), NOW);
                } catch (error) {
                    assert.strictEqual((error as UploadRefused).status, 400);
                    return (error as Error).message;
                }
                return "taken";
            };
            assert.match(wrong((v) => (v.stream = "a/b")), /^stream: /);
            assert.match(wrong((v) => (v.frameId = 7)), /^frameId: must be a string/);
            assert.match(wrong((v) => (v.capturedAt = "2027-06-01T00:00:00Z")), /^capturedAt: /);
            assert.match(wrong((v) => (v.contentType = "text/html")), /^contentType: must be one of image\/jpeg, image\/png/);
            assert.match(wrong((v) => (v.result.faces[0].score = "high")), /^result: each face needs a box and a score/);
            assert.match(wrong((v) => delete v.result.image), /^result: must be the endpoint's answer/);
            // A sheet of another frame: the page would read it from the store when asked.
            assert.match(wrong((v) => (v.result.sheets[0].key = "crops/2026/12/07/lobby/lobby-0001/sheet-0.jpg")), /^result: sheets must be this frame's own/);
            assert.match(wrong((v) => (v.result.sheets[0].key = "secrets/passwords.txt")), /^result: sheets must be this frame's own/);
            assert.match((() => {
                try {
                    parseFrameUpload("{not json", NOW);
                    return "taken";
                } catch (error) {
                    return (error as Error).message;
                }
            })(), /not JSON/);
        });
    });

    describe("through the page server", () => {
        let page: PageServer;
        const feed = new FrameFeed();
        before(async () => {
            page = await startPage({ feed }, 0);
        });
        after(async () => page?.close());

        it("is found where it runs, and not where nothing answers", async () => {
            assert.strictEqual(await findRunningPage(page.url), true);
            assert.strictEqual(await findRunningPage("http://127.0.0.1:9/", 500), false);
        });

        it("shows a pushed frame as its stream's latest, its image and its sheets", async () => {
            const pusher = new FramePusher(page.url);
            pusher.push(frame("entrance", "entrance-0002", new Date(Date.now() - 1_000)));
            await pusher.flush();
            assert.strictEqual(pusher.failures, 0, pusher.lastError);
            const view = await (await fetch(new URL("api/stream?stream=entrance", page.url))).json() as { frame: { frameId: string; faces: unknown[]; sheets: { key: string }[] } };
            assert.strictEqual(view.frame.frameId, "entrance-0002");
            assert.strictEqual(view.frame.faces.length, 1);
            assert.match(view.frame.sheets[0].key, /entrance\/entrance-0002\/sheet-0\.jpg$/);
            const image = await fetch(new URL("api/frame?stream=entrance", page.url));
            assert.strictEqual(image.headers.get("content-type"), "image/jpeg");
            assert.deepStrictEqual(Buffer.from(await image.arrayBuffer()), frame().body);
        });

        it("refuses a browser's POST and a rebound host name before reading the body, and a bad frame after", async () => {
            const port = new URL(page.url).port;
            const body = encodeFrame(frame("intruder", "intruder-1", new Date(Date.now() - 1_000)));
            assert.strictEqual((await post(page.url, { "content-type": "application/json", origin: "https://evil.example" }, body)).status, 403);
            assert.strictEqual((await post(page.url, { "content-type": "application/json", host: `attacker.example:${port}` }, body)).status, 403);
            assert.strictEqual((await post(page.url, { "content-type": "text/plain" }, body)).status, 415);
            const bad = await post(page.url, { "content-type": "application/json" }, body.replace('"intruder-1"', '"../x"'));
            assert.strictEqual(bad.status, 400);
            assert.match(bad.text, /^frameId: /);
            assert.ok(!feed.streams().includes("intruder"), "no refused frame reached the page");
        });

        it("refuses a body over the bound while it streams in, without a length announced", async () => {
            const huge = Buffer.alloc(MAX_UPLOAD_BYTES + 1024, 0x20);
            const answer = await post(page.url, { "content-type": "application/json", "transfer-encoding": "chunked" }, huge).catch((error: Error) => ({ status: 0, text: error.message }));
            // Either the answer (413) arrives, or the connection is cut once the bound is passed.
            assert.ok(answer.status === 413 || answer.status === 0, `${answer.status} ${answer.text}`);
        });
    });

    describe("the pusher", () => {
        it("keeps one frame per stream waiting while the page is slow, sending only the latest", async () => {
            const seen: string[] = [];
            let release!: () => void;
            const gate = new Promise<void>((resolve) => (release = resolve));
            const server = http.createServer(async (request, response) => {
                const chunks: Buffer[] = [];
                for await (const chunk of request) {
                    chunks.push(chunk as Buffer);
                }
                seen.push(JSON.parse(Buffer.concat(chunks).toString()).frameId);
                await gate;
                response.writeHead(204).end();
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            try {
                const pusher = new FramePusher(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
                for (let i = 1; i <= 5; i++) {
                    pusher.push(frame("entrance", `entrance-${i}`));
                }
                pusher.push(frame("lobby", "lobby-1"));
                setTimeout(release, 200);
                await pusher.flush();
                // The first went at once; of the rest, only each stream's latest.
                assert.deepStrictEqual(seen, ["entrance-1", "entrance-5", "lobby-1"]);
                assert.strictEqual(pusher.failures, 0);
            } finally {
                server.closeAllConnections();
                server.close();
            }
        });

        it("counts a page that went away, and carries on", async () => {
            const pusher = new FramePusher("http://127.0.0.1:9/", 500);
            pusher.push(frame());
            await pusher.flush();
            assert.strictEqual(pusher.failures, 1);
            assert.ok(pusher.lastError);
        });
    });
});
