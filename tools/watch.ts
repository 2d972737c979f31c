/**
 * `npm run watch -- <source> --stream <id> [--every 2s] [--speed <x>] [--max-in-flight 2]
 *  [--local | --endpoint <name> [--region <r>] | --stack <name>] [--ffmpeg <path>] [--start <ISO time>] [--json]`:
 * frames from a video file, a camera (RTSP, MJPEG over HTTP), a webcam or a folder of photos,
 * sampled one every `--every` of capture time, stamped with the stream and their capture time,
 * and posted to the endpoint with the real SageMaker runtime client. With `--local`, the frames
 * show on the crowd-mood page: `npm start`'s, where it runs, or one this tool serves. Progress on
 * stderr; the summary on stdout (`--json` for a machine).
 */
import { parseArgs as parseArgv } from "node:util";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { checkCapturedAt, checkStream, FrameAttributeError } from "@crowd-emotions/face-detection-contract";
import { describeError, endpointOfStack, localEndpoint, UsageError } from "./invoke";
import { LOCAL_CREDENTIALS } from "./local/embeddedS3";
import { DYNAMODB_PORT, RESULTS_TABLE } from "./local/emotionStage";
import { FrameFeed } from "./page/feed";
import { FramePusher, findRunningPage } from "./page/frameUpload";
import { pagePort, startPage } from "./page/server";
import { findFfmpeg, SourceError } from "./watch/ffmpeg";
import { Progress, runWatch } from "./watch/run";
import { endpointPost, FrameSender, Post, SenderStats } from "./watch/sender";
import { parseSource, Source } from "./watch/sources";

export const USAGE = `Usage: npm run watch -- <source> --stream <id> [options]

<source>: a video file (mp4, mov, avi, mkv, webm), rtsp://… or http(s)://… (an MJPEG camera),
          webcam (or webcam:<device>, /dev/videoN), or a folder of JPEG/PNG photos
Target (one): --local (npm start's endpoint, and the crowd-mood page) | --endpoint <name> [--region <r>] | --stack <name>
  --stream <id>          the camera's stream id (required)
  --every <duration>     one frame per this much capture time: 500ms, 2s, 1m (default 2s)
  --speed <x>            files and folders: times real time (default: as fast as the endpoint takes them)
  --max-in-flight <n>    frames posted at once, 1-16 (default 2); live frames beyond are dropped
  --start <ISO time>     a file's capture time at its start (default: its creation time)
  --ffmpeg <path>        the ffmpeg to use (default: FFMPEG_PATH, the one npm installs, or PATH)
  --page-port <port>     with --local: serve a page of its own on this port (default: show the frames
                         on npm start's page where it runs, PAGE_PORT (8090), else on a free port)
  --json                 the summary as JSON
  --help`;

export interface WatchArgs {
    readonly source: string;
    readonly stream: string;
    readonly everySeconds: number;
    readonly speed?: number;
    readonly maxInFlight: number;
    readonly start?: Date;
    readonly ffmpeg?: string;
    readonly local: boolean;
    readonly endpoint?: string;
    readonly stack?: string;
    readonly region?: string;
    readonly pagePort?: number;
    readonly json: boolean;
    readonly help: boolean;
}

/** "2s", "500ms", "1.5m", "1h" as seconds. */
export function parseDuration(text: string): number | undefined {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
    if (!match) {
        return undefined;
    }
    const seconds = Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as "ms" | "s" | "m" | "h"];
    return seconds > 0 ? seconds : undefined;
}

export function parseWatchArgs(argv: readonly string[]): WatchArgs {
    let parsed;
    try {
        parsed = parseArgv({
            args: [...argv], allowPositionals: true, strict: true,
            options: {
                "stream": { type: "string" }, "every": { type: "string" }, "speed": { type: "string" }, "max-in-flight": { type: "string" },
                "start": { type: "string" }, "ffmpeg": { type: "string" }, "local": { type: "boolean" }, "endpoint": { type: "string" },
                "stack": { type: "string" }, "region": { type: "string" }, "page-port": { type: "string" }, "json": { type: "boolean" }, "help": { type: "boolean" },
            },
        });
    } catch (error) {
        throw new UsageError((error as Error).message.split("\n")[0]);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        return { source: "", stream: "", everySeconds: 2, maxInFlight: 2, local: false, json: false, help: true };
    }
    if (positionals.length !== 1) {
        throw new UsageError(positionals.length === 0 ? "Name one source: a video file, a camera URL, webcam, or a folder." : `One source at a time, got ${positionals.length}.`);
    }
    if (values.stream === undefined) {
        throw new UsageError("--stream <id> is required: the camera's stream id.");
    }
    const check = <T>(read: () => T): T => {
        try {
            return read();
        } catch (error) {
            throw new UsageError(error instanceof FrameAttributeError ? `--${error.attribute}: ${error.message}` : (error as Error).message);
        }
    };
    const stream = check(() => checkStream(values.stream!));
    const everySeconds = values.every === undefined ? 2 : parseDuration(values.every);
    if (everySeconds === undefined) {
        throw new UsageError(`--every must be a duration such as 500ms, 2s or 1m, got "${values.every}".`);
    }
    const speed = values.speed === undefined || values.speed === "max" ? undefined : Number(values.speed);
    if (speed !== undefined && !(speed > 0 && speed <= 1000)) {
        throw new UsageError(`--speed must be a number of times real time above 0 (at most 1000) or "max", got "${values.speed}".`);
    }
    const maxInFlight = values["max-in-flight"] === undefined ? 2 : Number(values["max-in-flight"]);
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 16) {
        throw new UsageError(`--max-in-flight must be a whole number from 1 to 16, got "${values["max-in-flight"]}".`);
    }
    const pagePort = values["page-port"] === undefined ? undefined : Number(values["page-port"]);
    if (pagePort !== undefined && !(Number.isInteger(pagePort) && pagePort >= 0 && pagePort < 65536)) {
        throw new UsageError(`--page-port must be a port number, got "${values["page-port"]}".`);
    }
    let start: Date | undefined;
    try {
        start = values.start === undefined ? undefined : checkCapturedAt(values.start, new Date());
    } catch {
        throw new UsageError(`--start must be an ISO 8601 time with a zone, at most a day ahead, such as 2026-12-07T10:15:30Z, got "${values.start}".`);
    }
    const targets = [values.endpoint, values.stack, values.local ? "local" : undefined].filter((t) => t !== undefined);
    if (targets.length !== 1) {
        throw new UsageError("Choose one target: --local, --endpoint <name> or --stack <name>.");
    }
    return {
        source: positionals[0], stream, everySeconds, speed, maxInFlight, start,
        ffmpeg: values.ffmpeg, local: values.local ?? false, endpoint: values.endpoint, stack: values.stack, region: values.region,
        pagePort, json: values.json ?? false, help: false,
    };
}

/** The progress line: frames sent, faces, drops, the endpoint's latency, and for files the position and ETA. */
export function progressLine(stats: SenderStats, progress: Progress, elapsedSeconds: number): string {
    const parts = [`${stats.sent} frames sent`, `${stats.faces} faces`, `${stats.dropped} dropped`, `${stats.failed} failed`];
    parts.push(stats.latencyMs === undefined ? "latency –" : `latency ${stats.latencyMs} ms`);
    if (progress.reconnects > 0) {
        parts.push(`${progress.reconnects} reconnects`);
    }
    if (progress.position !== undefined && progress.length !== undefined && progress.length > 0) {
        const done = Math.min(1, progress.position / progress.length);
        const eta = done > 0 ? Math.round(elapsedSeconds * (1 - done) / done) : undefined;
        parts.push(`at ${formatClock(progress.position)} of ${formatClock(progress.length)}${eta === undefined ? "" : `, ETA ${formatClock(eta)}`}`);
    }
    return parts.join(", ");
}

const formatClock = (seconds: number) => {
    const s = Math.round(seconds);
    return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

function target(args: WatchArgs): { client: SageMakerRuntimeClient; endpointName: string } {
    // SageMaker's own limit per invocation is 60 s: an answer later than that will not come.
    const requestHandler = { requestTimeout: 65_000, connectionTimeout: 5_000 };
    if (args.local) {
        return { client: new SageMakerRuntimeClient({ region: "us-east-1", endpoint: localEndpoint(), credentials: LOCAL_CREDENTIALS, requestHandler, maxAttempts: 1 }), endpointName: "local" };
    }
    const stack = args.stack === undefined ? undefined : endpointOfStack(args.stack);
    return { client: new SageMakerRuntimeClient({ region: args.region ?? stack?.region, requestHandler, maxAttempts: 2 }), endpointName: args.endpoint ?? stack!.endpointName };
}

/** Where the tool writes: data on `out`, messages on `err`. */
export interface Output {
    readonly out: NodeJS.WritableStream;
    readonly err: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function main(argv: string[], io: Output = { out: process.stdout, err: process.stderr }): Promise<number> {
    let args: WatchArgs;
    let source: Source;
    try {
        args = parseWatchArgs(argv);
        if (args.help) {
            io.out.write(`${USAGE}\n`);
            return 0;
        }
        source = parseSource(args.source);
    } catch (error) {
        const usage = error instanceof UsageError;
        io.err.write(`${(error as Error).message}${usage ? `\n\n${USAGE}` : ""}\n`);
        return usage ? 2 : 1;
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    let page: Awaited<ReturnType<typeof startPage>> | undefined;
    let pusher: FramePusher | undefined;
    try {
        const ffmpeg = source.kind === "folder" ? undefined : findFfmpeg(args.ffmpeg);
        const { client, endpointName } = target(args);
        const feed = new FrameFeed();
        const npmStartPage = `http://127.0.0.1:${pagePort()}/`;
        if (args.local && args.pagePort === undefined && await findRunningPage(npmStartPage)) {
            // One page for everything local: npm start's shows the watched stream's frames beside its own.
            pusher = new FramePusher(npmStartPage);
            const to = pusher;
            feed.on("frame", (stream: string) => to.push(feed.latestOf(stream)!));
            io.err.write(`Crowd-mood page: ${npmStartPage} (npm start's)\n`);
        } else if (args.local) {
            // npm start's stand-ins, on their fixed ports: what it records is what the page shows.
            page = await startPage({
                feed, results: { client: new DynamoDBClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${DYNAMODB_PORT}`, credentials: LOCAL_CREDENTIALS }), table: RESULTS_TABLE },
                rekognitionStats: `http://127.0.0.1:${Number(process.env.LOCAL_REKOGNITION_PORT ?? 4570)}/stats`,
                store: new S3Client({ region: "us-east-1", endpoint: `http://127.0.0.1:${Number(process.env.LOCAL_S3_PORT ?? 4568)}`, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }),
            }, args.pagePort ?? 0);
            io.err.write(`Crowd-mood page: ${page.url}\n`);
        }
        let fatal: string | undefined;
        const post: Post = endpointPost(client, endpointName);
        const sender = new FrameSender(post, args.maxInFlight, (frame, result) => feed.add({ ...frame, result }), (_frame, error) => {
            const message = describeError(error, endpointName, args.region ?? process.env.AWS_REGION ?? "your region");
            // An endpoint that is not there, or refuses every frame, ends the run: the rest would fail alike.
            if ((error as { name?: string })?.name !== "ModelError" || sender.stats.answered === 0) {
                fatal ??= message;
                controller.abort();
            } else {
                io.err.write(`\n${message}\n`);
            }
        });
        io.err.write(`Watching ${source.kind === "live" ? source.name : args.source} as stream ${args.stream}, a frame every ${args.everySeconds} s, `
            + `to ${args.local ? localEndpoint() : endpointName}${ffmpeg ? ` (ffmpeg: ${ffmpeg.origin})` : ""}; Ctrl-C stops.\n`);
        const progress: Progress = { reconnects: 0, oversized: 0 };
        const began = Date.now();
        const tty = io.err.isTTY === true;
        const ticker = setInterval(() => {
            const line = progressLine(sender.stats, progress, (Date.now() - began) / 1000);
            io.err.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
        }, tty ? 500 : 5_000);
        try {
            await runWatch({ source, stream: args.stream, everySeconds: args.everySeconds, speed: args.speed, start: args.start, ffmpeg }, sender, controller.signal, progress);
        } finally {
            clearInterval(ticker);
        }
        await pusher?.flush();
        if (pusher?.failures) {
            io.err.write(`${pusher.failures} frame(s) could not be shown on the page: ${pusher.lastError}\n`);
        }
        const summary = { ...sender.stats, ...progress, seconds: Math.round((Date.now() - began) / 100) / 10, stopped: controller.signal.aborted && fatal === undefined };
        io.err.write(`${tty ? "\r\x1b[K" : ""}`);
        if (fatal !== undefined) {
            io.err.write(`${fatal}\n`);
            return 1;
        }
        io.out.write(args.json ? `${JSON.stringify(summary)}\n` : `${progressLine(sender.stats, progress, summary.seconds)}; ${summary.stopped ? "stopped" : "the source ended"} after ${summary.seconds} s.\n`);
        return 0;
    } catch (error) {
        io.err.write(`${error instanceof SourceError || error instanceof UsageError ? (error as Error).message : describeError(error, args.endpoint ?? "local", args.region ?? "your region")}\n`);
        return error instanceof UsageError ? 2 : 1;
    } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        await page?.close();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
