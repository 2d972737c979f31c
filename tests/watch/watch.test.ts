/**
 * `npm run watch`: a video the tests compose (the sample photos, encoded by the same ffmpeg), a
 * folder, a live MJPEG camera that drops its connection, an endpoint that stalls, each bad
 * source's message, and the whole tool through the real SageMaker runtime client against the local
 * detector.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import sharp from "sharp";
import { DetectorProcess, startDetector } from "../../tools/local/detectorProcess";
import { EmbeddedS3, embeddedS3Env, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { freePort } from "../../tools/local/freePort";
import { FrameFeed } from "../../tools/page/feed";
import { startPage } from "../../tools/page/server";
import { SAMPLE_DIR } from "../../tools/samples";
import { main, parseDuration, parseWatchArgs, progressLine } from "../../tools/watch";
import { findFfmpeg, SourceError } from "../../tools/watch/ffmpeg";
import { photosOf, timeOfName } from "../../tools/watch/folder";
import { JpegFrames } from "../../tools/watch/jpegFrames";
import { runWatch } from "../../tools/watch/run";
import { Frame, FrameSender } from "../../tools/watch/sender";
import { parseSource, webcamInput } from "../../tools/watch/sources";
import { startCamera } from "./camera";

const SAMPLES = [1, 2, 3, 4, 5, 6].map((i) => path.join(SAMPLE_DIR, `sample${i}.jpg`));
/** Faces in each sample photo, as the detector's own tests count them. */
const SAMPLE_FACES = [3, 4, 4, 2, 3, 6];

/** Runs `main` with its output captured. */
async function runMain(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const sink = (append: (text: string) => void) => new Writable({ write(chunk, _encoding, done) { append(chunk.toString()); done(); } });
    const code = await main(argv, { out: sink((t) => (out += t)), err: sink((t) => (err += t)) });
    return { code, out, err };
}

/** A sender whose endpoint answers at once with no face, recording what it was sent. */
function recordingSender(maxInFlight = 2) {
    const frames: Frame[] = [];
    const sender = new FrameSender(async (frame) => {
        frames.push(frame);
        return { faces: [], image: { width: 1, height: 1 } };
    }, maxInFlight);
    return { sender, frames };
}

describe("npm run watch", function () {
    this.timeout(120_000);
    let dir: string;
    let clip: string;
    const ffmpeg = findFfmpeg();

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-"));
        // Six seconds of video: each sample photo for one second, at 10 frames/s, 1280×720 H.264.
        SAMPLES.forEach((file, i) => fs.copyFileSync(file, path.join(dir, `img${i + 1}.jpg`)));
        clip = path.join(dir, "clip.mp4");
        execFileSync(ffmpeg.path, ["-hide_banner", "-loglevel", "error", "-y", "-framerate", "1", "-i", path.join(dir, "img%d.jpg"),
            "-vf", "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1",
            "-r", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-metadata", "creation_time=2026-12-07T10:00:00Z", clip]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("arguments", () => {
        it("reads durations, and refuses what is no duration", () => {
            assert.deepStrictEqual(["500ms", "2s", "1.5m", "1h", "0s", "2", "-1s"].map(parseDuration), [0.5, 2, 90, 3600, undefined, undefined, undefined]);
        });

        for (const [argv, message] of [
            [["clip.mp4", "--local"], /--stream <id> is required/],
            [["clip.mp4", "--stream", "a/b", "--local"], /--stream: .*must be 1-64 letters/],
            [["clip.mp4", "--stream", "lobby"], /Choose one target/],
            [["clip.mp4", "--stream", "lobby", "--local", "--endpoint", "e"], /Choose one target/],
            [["clip.mp4", "--stream", "lobby", "--local", "--every", "abc"], /--every must be a duration/],
            [["clip.mp4", "--stream", "lobby", "--local", "--max-in-flight", "0"], /--max-in-flight must be a whole number from 1 to 16/],
            [["clip.mp4", "--stream", "lobby", "--local", "--speed", "0"], /--speed must be/],
            [["clip.mp4", "--stream", "lobby", "--local", "--start", "yesterday"], /--start must be an ISO 8601 time/],
            [["clip.mp4", "--stream", "lobby", "--local", "--bogus"], /Unknown option '--bogus'/],
            [["--stream", "lobby", "--local"], /Name one source/],
        ] as const) {
            it(`refuses ${argv.join(" ")} with exit 2 and the usage`, async () => {
                assert.throws(() => parseWatchArgs(argv), message);
                const { code, err } = await runMain([...argv]);
                assert.strictEqual(code, 2);
                assert.match(err, message);
                assert.match(err, /Usage: npm run watch/);
            });
        }

        it("answers --help on stdout with exit 0", async () => {
            const { code, out } = await runMain(["--help"]);
            assert.deepStrictEqual([code, /--max-in-flight/.test(out)], [0, true]);
        });

        it("shows position and ETA for a file", () => {
            const line = progressLine({ sent: 30, answered: 29, failed: 0, dropped: 0, faces: 120, inFlight: 1, latencyMs: 240 }, { position: 900, length: 3600, reconnects: 0, oversized: 0 }, 60);
            assert.strictEqual(line, "30 frames sent, 120 faces, 0 dropped, 0 failed, latency 240 ms, at 0:15:00 of 1:00:00, ETA 0:03:00");
        });
    });

    describe("sources", () => {
        it("tells the kinds apart: files, folders, RTSP over TCP, HTTP cameras, webcams per platform", () => {
            assert.deepStrictEqual(parseSource(clip), { kind: "file", path: clip });
            assert.deepStrictEqual(parseSource(dir), { kind: "folder", path: dir });
            assert.deepStrictEqual(parseSource("rtsp://user:secret@cam.local/stream1"),
                { kind: "live", input: ["-rtsp_transport", "tcp", "-i", "rtsp://user:secret@cam.local/stream1"], name: "rtsp://user:***@cam.local/stream1" });
            assert.deepStrictEqual(parseSource("http://cam.local/video.mjpg").kind, "live");
            assert.deepStrictEqual(webcamInput(undefined, "linux"), ["-f", "v4l2", "-i", "/dev/video0"]);
            assert.deepStrictEqual(webcamInput("1", "darwin"), ["-f", "avfoundation", "-framerate", "30", "-i", "1"]);
            assert.deepStrictEqual(webcamInput("USB Camera", "win32"), ["-f", "dshow", "-i", "video=USB Camera"]);
            assert.throws(() => webcamInput(undefined, "win32"), /On Windows, name the camera/);
        });

        it("refuses what is no source, in one line", () => {
            assert.throws(() => parseSource(path.join(dir, "nothing.mp4")), /^SourceError: No such file or folder: .*nothing\.mp4$/);
            assert.throws(() => parseSource(SAMPLES[0]), /is a photo: send it with npm run invoke/);
            assert.throws(() => parseSource("ftp://cam/x"), /only rtsp:\/\/, rtsps:\/\/, http:\/\/ and https:\/\/ cameras/);
        });
    });

    it("splits ffmpeg's JPEG stream into whole frames however it is chunked, and skips a frame over the size bound", async () => {
        const jpegs = SAMPLES.slice(0, 3).map((file) => fs.readFileSync(file));
        const all = Buffer.concat(jpegs);
        const splitter = new JpegFrames(Math.max(...jpegs.map((j) => j.length)));
        const out: Buffer[] = [];
        splitter.on("data", (frame: Buffer) => out.push(frame));
        for (let at = 0; at < all.length; at += 997) {
            splitter.write(all.subarray(at, at + 997));
        }
        splitter.end();
        await new Promise((resolve) => splitter.on("end", resolve));
        assert.deepStrictEqual(out.map((f) => f.length), jpegs.map((j) => j.length));
        assert.ok(out.every((f, i) => f.equals(jpegs[i])));
        const small = new JpegFrames(jpegs[1].length - 1);
        const kept: Buffer[] = [];
        small.on("data", (frame: Buffer) => kept.push(frame));
        small.end(all);
        await new Promise((resolve) => small.on("end", resolve));
        assert.deepStrictEqual([kept.length, small.skipped], [jpegs.filter((j) => j.length < jpegs[1].length).length, jpegs.filter((j) => j.length >= jpegs[1].length).length]);
    });

    it("a video file: one frame per --every of the video's own time, stamped from its creation time, none dropped", async () => {
        const { sender, frames } = recordingSender(1);
        const progress = await runWatch({ source: { kind: "file", path: clip }, stream: "lobby", everySeconds: 1, ffmpeg }, sender, new AbortController().signal);
        assert.strictEqual(frames.length, 6);
        assert.deepStrictEqual(frames.map((f) => f.capturedAt.toISOString()), [0, 1, 2, 3, 4, 5].map((s) => new Date(Date.parse("2026-12-07T10:00:00Z") + s * 1000).toISOString()));
        assert.strictEqual(new Set(frames.map((f) => f.frameId)).size, 6);
        assert.ok(frames.every((f) => f.stream === "lobby" && f.contentType === "image/jpeg"));
        const sizes = await Promise.all(frames.map(async (f) => { const m = await sharp(f.body).metadata(); return `${m.width}x${m.height}`; }));
        assert.deepStrictEqual(new Set(sizes), new Set(["1280x720"]));
        assert.deepStrictEqual([sender.stats.dropped, progress.length !== undefined && Math.abs(progress.length - 5.9) < 0.2], [0, true]);
    });

    it("a folder: capture times from the names (else modification times), one photo per --every, in capture order", () => {
        const folder = fs.mkdtempSync(path.join(dir, "photos-"));
        const names = ["cam_20261207_101500.jpg", "cam_20261207_101501.jpg", "cam_20261207_101503.jpg", "2026-12-07T10-15-02Z.png", "notes.txt"];
        names.forEach((name) => fs.writeFileSync(path.join(folder, name), "x"));
        fs.writeFileSync(path.join(folder, "untimed.jpg"), "x");
        fs.utimesSync(path.join(folder, "untimed.jpg"), new Date("2026-12-07T10:15:06Z"), new Date("2026-12-07T10:15:06Z"));
        const { photos, total } = photosOf(folder, 2);
        assert.strictEqual(total, 5);
        assert.deepStrictEqual(photos.map((p) => [path.basename(p.file), p.capturedAt.toISOString().slice(11, 19), p.timeFrom]), [
            ["cam_20261207_101500.jpg", "10:15:00", "name"],
            ["2026-12-07T10-15-02Z.png", "10:15:02", "name"],
            ["untimed.jpg", "10:15:06", "modification time"],
        ]);
        assert.strictEqual(timeOfName("IMG_20261307_101500.jpg"), undefined, "month 13 is no date");
    });

    it("a live camera that drops: reconnected with backoff, frames taken by arrival time", async () => {
        const camera = await startCamera(SAMPLES.slice(0, 2).map((f) => fs.readFileSync(f)), { fps: 10, dropAfter: 8 });
        try {
            const { sender, frames } = recordingSender();
            const stop = new AbortController();
            setTimeout(() => stop.abort(), 5_000);
            const began = Date.now();
            const progress = await runWatch({ source: { kind: "live", input: ["-i", camera.url], name: camera.url }, stream: "door", everySeconds: 0.25, ffmpeg, reconnectDelaysMs: [100, 200] },
                sender, stop.signal);
            assert.ok(progress.reconnects >= 2, `${progress.reconnects} reconnects`);
            assert.ok(camera.connections() >= 3);
            assert.ok(frames.length >= 6, `${frames.length} frames`);
            // Taken at least --every apart, by their arrival.
            const times = frames.map((f) => f.capturedAt.getTime());
            assert.ok(times.every((t, i) => i === 0 || t - times[i - 1] >= 250));
            assert.ok(times[0] >= began && times.at(-1)! <= Date.now());
        } finally {
            await camera.close();
        }
    });

    it("an endpoint that stalls: a live source's frames are dropped, never queued, and memory stays bounded", async () => {
        const camera = await startCamera(SAMPLES.slice(0, 2).map((f) => fs.readFileSync(f)), { fps: 20 });
        try {
            let posted = 0;
            const sender = new FrameSender(() => {
                posted++;
                return new Promise(() => undefined); // never answers
            }, 2);
            const stop = new AbortController();
            setTimeout(() => stop.abort(), 4_000);
            const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
            const running = runWatch({ source: { kind: "live", input: ["-i", camera.url], name: camera.url }, stream: "door", everySeconds: 0.05, ffmpeg }, sender, stop.signal);
            await new Promise((resolve) => setTimeout(resolve, 4_500));
            const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
            assert.strictEqual(posted, 2, "only --max-in-flight frames are ever posted to a stalled endpoint");
            assert.ok(sender.stats.dropped >= 20, `${sender.stats.dropped} dropped`);
            // 60+ frames of ~150 KB arrived; only the two in flight are held.
            assert.ok(heapAfter - heapBefore < 30 * 1024 * 1024, `${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB more`);
            void running;
        } finally {
            await camera.close();
        }
    });

    describe("bad sources: one clear line, exit 1", () => {
        const bad = async (argv: string[]) => {
            const result = await runMain([...argv, "--stream", "lobby", "--local"]);
            assert.strictEqual(result.code, 1, result.err);
            const lines = result.err.trim().split("\n");
            return lines.at(-1)!;
        };
        it("no such file", async () => assert.match(await bad([path.join(dir, "missing.mp4")]), /^No such file or folder: .*missing\.mp4$/));
        it("not a video", async () => {
            const fake = path.join(dir, "fake.mp4");
            fs.writeFileSync(fake, "this is no video");
            assert.match(await bad([fake]), /fake\.mp4 is not a video ffmpeg can read: .*Invalid data found when processing input/);
        });
        it("an unreachable camera", async () => {
            const port = await freePort();
            assert.match(await bad([`http://127.0.0.1:${port}/video.mjpg`]), new RegExp(`^Cannot read http://127\\.0\\.0\\.1:${port}/video\\.mjpg: .*Connection refused`));
        });
        it("no ffmpeg", async () => assert.match(await bad([clip, "--ffmpeg", path.join(dir, "no-ffmpeg")]), /^No ffmpeg at .*no-ffmpeg: --ffmpeg must name an ffmpeg binary that runs\.$/));
        it("an empty folder", async () => assert.match(await bad([fs.mkdtempSync(path.join(dir, "empty-"))]), /^No JPEG or PNG files in /));
        it("no endpoint listening", async () => {
            const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME;
            process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = `http://127.0.0.1:${await freePort()}`;
            try {
                assert.match(await bad([clip]), /^Nothing answers on http:\/\/127\.0\.0\.1:\d+: start the local endpoint with `npm start`/);
            } finally {
                process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = saved;
            }
        });
        it("SourceError is what the sources throw", () => assert.throws(() => parseSource(path.join(dir, "x")), SourceError));
    });

    describe("through the real SageMaker runtime client, to the local detector", () => {
        let s3: EmbeddedS3;
        let detector: DetectorProcess;
        const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME;
        before(async () => {
            s3 = await startEmbeddedS3({ directory: path.join(dir, "s3"), bucket: "face-crops" });
            detector = await startDetector({ port: await freePort(), env: { ...embeddedS3Env(s3), CROPS_BUCKET: "face-crops", CROP_OUTPUT: "sheets", SAGEMAKER_MODEL_SERVER_WORKERS: "1" } });
            process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = detector.url;
        });
        after(async () => {
            process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = saved;
            await detector?.stop();
            await s3?.close();
        });

        it("sends the video's frames with their stream and capture time, and the detector finds the faces of each sample", async () => {
            const { code, out, err } = await runMain([clip, "--stream", "lobby", "--local", "--every", "1s", "--json", "--page-port", "0"]);
            assert.strictEqual(code, 0, err);
            const summary = JSON.parse(out);
            assert.deepStrictEqual([summary.sent, summary.answered, summary.failed, summary.dropped, summary.stopped], [6, 6, 0, 0, false]);
            // The faces of the six samples (scaled to 720p, so the smallest may be lost), found again.
            const expected = SAMPLE_FACES.reduce((a, b) => a + b, 0);
            assert.ok(summary.faces >= expected - 2 && summary.faces <= expected, `${summary.faces} of ${expected} faces`);
            assert.match(err, /Crowd-mood page: http:\/\/127\.0\.0\.1:\d+\//);
            assert.match(err, /ffmpeg: @ffmpeg-installer/);
        });

        it("with npm start's page running, shows its frames there instead of serving a page of its own", async () => {
            const feed = new FrameFeed();
            const page = await startPage({ feed }, 0);
            const saved = process.env.PAGE_PORT;
            process.env.PAGE_PORT = new URL(page.url).port;
            try {
                const { code, out, err } = await runMain([clip, "--stream", "entrance", "--local", "--every", "1s", "--json"]);
                assert.strictEqual(code, 0, err);
                assert.strictEqual(JSON.parse(out).answered, 6);
                assert.ok(err.includes(`Crowd-mood page: ${page.url} (npm start's)`), err);
                assert.doesNotMatch(err, /could not be shown/);
                // The clip's last frame, as the endpoint answered it, is the stream's latest on that page.
                const latest = feed.latestOf("entrance");
                assert.ok(latest !== undefined && latest.result.faces.length > 0);
                assert.strictEqual(latest.result.frameId, latest.frameId);
            } finally {
                process.env.PAGE_PORT = saved;
                if (saved === undefined) {
                    delete process.env.PAGE_PORT;
                }
                await page.close();
            }
        });
    });
});
