/**
 * One watch run: frames from the source, stamped with the stream and their capture time, handed to
 * the sender, until the source ends or the run is stopped.
 *
 * - A file is read at its own pace (`fps=1/every` on the video's timestamps): capture time = the
 *   video's start + the frame's time, so a recorded hour can be sent faster than real time
 *   (`speed`: times real time; unset, as fast as the endpoint takes frames). No frame is dropped.
 * - A live source is real time: a frame is taken when `every` has passed since the last one taken,
 *   stamped with its arrival, and dropped when the endpoint is busy. A camera that drops or stalls
 *   is reconnected with growing pauses; one never read at all is an error.
 * - A folder is sent in capture order, one photo per `every` of capture time.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MAX_REQUEST_BYTES } from "@crowd-emotions/face-detection-contract";
import { fileArgs, Ffmpeg, InputFacts, liveArgs, readInputFacts, SourceError } from "./ffmpeg";
import { photosOf } from "./folder";
import { JpegFrames } from "./jpegFrames";
import { Frame, FrameSender } from "./sender";
import { Source } from "./sources";

export interface WatchOptions {
    readonly source: Source;
    readonly stream: string;
    readonly everySeconds: number;
    /** Times real time for files and folders; undefined: as fast as the endpoint takes them. */
    readonly speed?: number;
    /** The capture time of a file's first frame; else the video's creation time, else its modification time less its duration. */
    readonly start?: Date;
    readonly ffmpeg?: Ffmpeg;
    /** A live source silent this long is reconnected. */
    readonly stallSeconds?: number;
    /** Pauses before each reconnection, the last repeated. */
    readonly reconnectDelaysMs?: readonly number[];
}

export interface Progress {
    /** Seconds of the source's own time sent, and its length (files and folders). */
    position?: number;
    length?: number;
    reconnects: number;
    /** The source's frames ffmpeg made that were over the endpoint's request size, skipped. */
    oversized: number;
}

export const RECONNECT_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
    if (signal.aborted) {
        return resolve();
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
    }, { once: true });
});

/** A run id: frame ids are unique across runs of the same source, which the endpoint asks of them. */
const runId = () => Date.now().toString(36);

export async function runWatch(options: WatchOptions, sender: FrameSender, signal: AbortSignal, progress: Progress = { reconnects: 0, oversized: 0 }): Promise<Progress> {
    switch (options.source.kind) {
        case "folder":
            await sendFolder(options, options.source.path, sender, signal, progress);
            break;
        case "file":
            await sendFile(options, options.source.path, sender, signal, progress);
            break;
        case "live":
            await sendLive(options, options.source.input, options.source.name, sender, signal, progress);
            break;
    }
    await sender.drain();
    return progress;
}

/** Waits until a recorded frame is due at `speed` times real time. */
function pace(options: WatchOptions, startedAt: number, sourceSeconds: number, signal: AbortSignal): Promise<void> {
    if (options.speed === undefined) {
        return Promise.resolve();
    }
    const due = startedAt + (sourceSeconds * 1000) / options.speed;
    return sleep(Math.max(0, due - Date.now()), signal);
}

async function sendFolder(options: WatchOptions, folder: string, sender: FrameSender, signal: AbortSignal, progress: Progress): Promise<void> {
    const { photos } = photosOf(folder, options.everySeconds);
    const first = photos[0].capturedAt.getTime();
    progress.length = (photos.at(-1)!.capturedAt.getTime() - first) / 1000;
    const run = runId();
    const startedAt = Date.now();
    for (const [index, photo] of photos.entries()) {
        if (signal.aborted) {
            return;
        }
        const position = (photo.capturedAt.getTime() - first) / 1000;
        await pace(options, startedAt, position, signal);
        const body = fs.readFileSync(photo.file);
        if (body.length > MAX_REQUEST_BYTES) {
            progress.oversized++;
            continue;
        }
        const contentType = path.extname(photo.file).toLowerCase() === ".png" ? "image/png" : "image/jpeg";
        await sender.submit({ body, contentType, stream: options.stream, capturedAt: photo.capturedAt, frameId: `w${run}-${String(index).padStart(6, "0")}` });
        progress.position = position;
    }
}

/** ffmpeg running on one input, its frames as an async iterable, and what it said. */
function startFfmpeg(ffmpeg: Ffmpeg, args: string[], signal: AbortSignal) {
    const child = spawn(ffmpeg.path, args, { stdio: ["ignore", "pipe", "pipe"] });
    const facts: InputFacts = {};
    const said: string[] = [];
    let pending = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
        const lines = (pending + text).split(/\r?\n|\r/);
        pending = lines.pop() ?? "";
        for (const line of lines.filter((l) => l.trim() !== "")) {
            readInputFacts(line, facts);
            said.push(line.trim());
            if (said.length > 20) {
                said.shift();
            }
        }
    });
    const frames = new JpegFrames(MAX_REQUEST_BYTES);
    child.stdout.pipe(frames);
    const exited = new Promise<number | null>((resolve) => {
        child.on("error", () => resolve(-1));
        child.on("close", (code) => resolve(code));
    });
    const stop = () => child.kill("SIGTERM");
    signal.addEventListener("abort", stop, { once: true });
    void exited.then(() => signal.removeEventListener("abort", stop));
    /** ffmpeg's own last words: the line that says what was wrong. */
    const lastWords = () => [...said].reverse().find((line) => !/^(Input|Output|Stream|Duration|Metadata|\s*\w+\s*:)/.test(line)) ?? said.at(-1) ?? "no output";
    return { child, frames, facts, exited, lastWords };
}

async function sendFile(options: WatchOptions, file: string, sender: FrameSender, signal: AbortSignal, progress: Progress): Promise<void> {
    const ffmpeg = options.ffmpeg!;
    const run = startFfmpeg(ffmpeg, fileArgs(file, options.everySeconds), signal);
    const id = runId();
    const startedAt = Date.now();
    let index = 0;
    let start: number | undefined;
    for await (const body of run.frames as AsyncIterable<Buffer>) {
        if (signal.aborted) {
            break;
        }
        progress.length = run.facts.durationSeconds;
        start ??= (options.start ?? run.facts.creationTime ?? new Date(fs.statSync(file).mtime.getTime() - (run.facts.durationSeconds ?? 0) * 1000)).getTime();
        const position = index * options.everySeconds;
        await pace(options, startedAt, position, signal);
        await sender.submit({ body, contentType: "image/jpeg", stream: options.stream, capturedAt: new Date(start + position * 1000), frameId: `w${id}-${String(index).padStart(6, "0")}` });
        progress.position = position;
        index++;
    }
    progress.oversized += run.frames.skipped;
    const code = await run.exited;
    if (!signal.aborted && index === 0) {
        throw new SourceError(code === -1 ? `Could not run ffmpeg (${ffmpeg.path}).` : `${file} is not a video ffmpeg can read: ${run.lastWords()}`);
    }
}

async function sendLive(options: WatchOptions, input: string[], name: string, sender: FrameSender, signal: AbortSignal, progress: Progress): Promise<void> {
    const ffmpeg = options.ffmpeg!;
    const delays = options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
    const stallMs = (options.stallSeconds ?? 10) * 1000;
    const id = runId();
    let everRead = false;
    let attempt = 0;
    let index = 0;
    let lastTaken = 0;
    while (!signal.aborted) {
        const run = startFfmpeg(ffmpeg, liveArgs(input), signal);
        let readNow = false;
        // A camera that keeps the connection but sends nothing is dropped and read again.
        let watchdog = setTimeout(() => run.child.kill("SIGKILL"), stallMs + 5_000);
        for await (const body of run.frames as AsyncIterable<Buffer>) {
            clearTimeout(watchdog);
            watchdog = setTimeout(() => run.child.kill("SIGKILL"), stallMs);
            readNow = everRead = true;
            attempt = 0;
            const now = Date.now();
            if (now - lastTaken < options.everySeconds * 1000) {
                continue;
            }
            lastTaken = now;
            const frame: Frame = { body, contentType: "image/jpeg", stream: options.stream, capturedAt: new Date(now), frameId: `w${id}-${String(index++).padStart(6, "0")}` };
            sender.offer(frame);
        }
        clearTimeout(watchdog);
        progress.oversized += run.frames.skipped;
        const code = await run.exited;
        if (signal.aborted) {
            return;
        }
        if (!everRead) {
            throw new SourceError(code === -1 ? `Could not run ffmpeg (${ffmpeg.path}).` : `Cannot read ${name}: ${run.lastWords()}`);
        }
        // Dropped: read again after a pause that grows while it keeps failing.
        progress.reconnects++;
        await sleep(delays[Math.min(readNow ? 0 : attempt, delays.length - 1)], signal);
        attempt++;
    }
}
