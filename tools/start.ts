/**
 * `npm start`: the pipeline on one machine. The detector server from container/, an embedded
 * S3-compatible store in .local/, a sample photo and two streams of composed crowd frames over a
 * minute of capture time sent through the endpoint; the emotion stage's handler reads them as the
 * queue would hand them (through a local DynamoDB and the Rekognition stand-in), and each stream's
 * mood is printed per interval as it closes, with the Rekognition calls spent; then it keeps
 * serving until Ctrl-C.
 */
import * as fs from "fs";
import * as path from "path";
import { CropOutput, DEFAULT_CROP_OUTPUT, formatFrameAttributes, isCropOutput } from "@crowd-emotions/face-detection-contract";
import { SheetOutcome } from "../emotions/src/handler";
import { composeCrowdFrame } from "./samples";
import { formatResult, InvocationResult } from "./local/format";
import { embeddedS3Env, LOCAL_CREDENTIALS, startEmbeddedS3 } from "./local/embeddedS3";
import { portIsFree } from "./local/freePort";
import { startDetector } from "./local/detectorProcess";
import { DETECT_FACES_PRICE, DYNAMODB_PORT, LocalEmotionStage, RESULTS_TABLE, stageSettings, startEmotionStage } from "./local/emotionStage";
import { formatInterval, querySeries } from "./local/series";
import { SAMPLE_DIR } from "./samples";
import { FrameFeed } from "./page/feed";
import { pagePort, startPage } from "./page/server";
import { REPO_ROOT } from "./paths";

const PORT = Number(process.env.PORT ?? 8080);
/** The embedded store's port: fixed, so the AWS CLI line below works run after run. */
const STORE_PORT = Number(process.env.LOCAL_S3_PORT ?? 4568);
const STORE_DIR = path.join(REPO_ROOT, ".local", "s3");
const REKOGNITION_PORT = Number(process.env.LOCAL_REKOGNITION_PORT ?? 4570);
const PAGE_PORT = pagePort();
const BUCKET = "face-crops";
const SAMPLE = path.join(SAMPLE_DIR, "sample1.jpg");

function progress(text: string): void {
    if (process.stdout.isTTY) {
        process.stdout.write(`\r${text}`);
    }
}

export const USAGE = `Usage: npm start
Runs the pipeline on this machine: the detector server (PORT, 8080), an S3-compatible store (LOCAL_S3_PORT, 4568),
the emotion stage with a local DynamoDB (LOCAL_DYNAMODB_PORT, 4569) and the Rekognition stand-in (LOCAL_REKOGNITION_PORT, 4570),
and the crowd-mood page (PAGE_PORT, 8090); sends a sample photo and two streams of crowd frames, prints the moods, and serves
until Ctrl-C. The detector's variables (MIN_FACE_SIZE, CROP_OUTPUT, DETECTOR_PRECISION, …) pass through; DEBUG=1 shows its log.`;

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
    if (argv.length > 0) {
        const help = argv.length === 1 && argv[0] === "--help";
        (help ? console.log : console.error)(help ? USAGE : `npm start takes no arguments (got ${argv.join(" ")}); set its environment instead.\n\n${USAGE}`);
        return help ? 0 : 2;
    }
    // Say at once, rather than have the detector's workers fail to bind (or a sample answered by
    // whatever else listens there).
    for (const [port, variable] of [[PORT, "PORT"], [STORE_PORT, "LOCAL_S3_PORT"], [DYNAMODB_PORT, "LOCAL_DYNAMODB_PORT"], [REKOGNITION_PORT, "LOCAL_REKOGNITION_PORT"], [PAGE_PORT, "PAGE_PORT"]] as const) {
        if (!await portIsFree(port)) {
            console.error(`Port ${port} is in use (another \`npm start\`?); stop it, or choose another port: ${variable}=<port> npm start`);
            return 1;
        }
    }
    const s3 = await startEmbeddedS3({ directory: STORE_DIR, bucket: BUCKET, port: STORE_PORT });
    console.log(`S3-compatible store: ${s3.endpoint}, bucket ${BUCKET}, access key ${LOCAL_CREDENTIALS.accessKeyId}, `
        + `secret ${LOCAL_CREDENTIALS.secretAccessKey} (data in ${path.relative(process.cwd(), STORE_DIR) || "."})`);
    console.log(`  AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} `
        + `aws s3 ls --recursive --endpoint-url ${s3.endpoint} s3://${BUCKET}/`);

    console.log("Starting the detector and loading the face model...");
    const detector = await startDetector({
        port: PORT,
        // What a deployment stores (the image alone, unset, stores crops: see UNSET_CROP_OUTPUT).
        env: { ...embeddedS3Env(s3), CROPS_BUCKET: BUCKET, CROP_OUTPUT: DEFAULT_CROP_OUTPUT, ...pick(process.env, /^(CROPS_PREFIX|MIN_CONFIDENCE|MAX_FACES|MIN_FACE_SIZE|CROP_OUTPUT|CROP_MARGIN|MIN_CROP_SIZE|JPEG_QUALITY|DETECTOR_ENGINE|DETECTOR_MODEL|DETECTOR_PRECISION|SAGEMAKER_MODEL_SERVER_WORKERS)$/) },
        onWait: (ms) => progress(`  loading the model... ${(ms / 1000).toFixed(1)} s`),
        output: (chunk) => { if (process.env.DEBUG) process.stdout.write(chunk); },
    });
    progress("");
    console.log(`Detector ready in ${(detector.coldStartMs / 1000).toFixed(1)} s on http://localhost:${PORT}\n`);

    const settings = { ...stageSettings(), cropOutput: parseCropOutput(process.env.CROP_OUTPUT) };
    console.log("Starting the emotion stage: its Lambda handler, a local DynamoDB (dynalite) and the Rekognition STAND-IN "
        + "(face-api's expression model, for development only)...");
    const intervals = new IntervalPrinter();
    const stage: LocalEmotionStage = await startEmotionStage(s3, { dynamo: DYNAMODB_PORT, rekognition: REKOGNITION_PORT }, settings, async (report) => {
        for (const failure of report.failures) {
            console.log(`The emotion stage could not read ${failure.key}: ${failure.error}${failure.retried ? " (handed to it again, as the queue would)" : " (given up, as the queue's dead-letter queue would take it)"}`);
        }
        await intervals.printClosed(stage, report.outcomes);
    });
    console.log(`Emotion stage ready: table ${RESULTS_TABLE} at ${stage.dynamo.endpoint}, Rekognition stand-in at ${stage.rekognition.url}; `
        + `one frame per stream read every ${settings.readIntervalSeconds} s (READ_INTERVAL_SECONDS), sheets gathered for ${settings.packWindowSeconds} s (PACK_WINDOW_SECONDS)\n`);
    // Every sheet the detector stores goes to the stage, as EventBridge and the queue would send it.
    s3.onObjectCreated((bucket, key) => stage.objectStored(bucket, key));
    s3.onObjectRemoved((bucket, key) => stage.objectRemoved(bucket, key));
    const feed = new FrameFeed();
    const page = await startPage({ feed, results: { client: stage.dynamo.client, table: RESULTS_TABLE }, rekognitionStats: `${stage.rekognition.url}/stats`, store: s3.client }, PAGE_PORT);
    console.log(`Crowd-mood page: ${page.url} (each stream's latest frame, crowd size and expressions over time; updates live)\n`);

    const store = { endpoint: s3.endpoint, directory: STORE_DIR };
    // Frame ids of their own each run: the store keeps the frames of earlier runs, and refuses (409)
    // a frame under an id it already holds for that stream and day, as S3 would.
    const run = Date.now().toString(36);
    await sendFrame(detector.url, path.basename(SAMPLE), fs.readFileSync(SAMPLE), { stream: "samples", frameId: `sample1-${run}` }, store, true, feed);

    // Two cameras over a minute of capture time: composed crowds of the sample faces, one frame
    // every 3 s each, sent as fast as the detector takes them.
    const minute = new Date(Math.floor((Date.now() - 120_000) / 60_000) * 60_000);
    console.log(`\nTwo streams of composed crowd frames (lobby, door), a frame every ${DEMO_STEP_SECONDS} s from ${minute.toISOString()}:`);
    for (let i = 0; i < DEMO_FRAMES; i++) {
        for (const [n, stream] of ["lobby", "door"].entries()) {
            const crowd = await composeCrowdFrame({ width: 1280, height: 720, faceHeight: 56, maxFaces: 12 + 4 * n, seed: 100 * (n + 1) + i });
            const capturedAt = new Date(minute.getTime() + i * DEMO_STEP_SECONDS * 1000);
            await sendFrame(detector.url, `${stream} frame ${i}`, crowd.body, { stream, capturedAt, frameId: `${stream}-${run}-${String(i).padStart(4, "0")}` }, store, false, feed);
        }
    }
    await stage.flush();
    await intervals.printAll(stage);
    console.log(`\nThe endpoint keeps serving on http://localhost:${PORT}; the emotion stage reads what it stores:`);
    console.log(`  ${PORT === 8080 ? "" : `PORT=${PORT} `}npm run invoke -- --local --stream <camera> <photo.jpg>`);
    console.log(`  curl -s -H 'Content-Type: image/jpeg' --data-binary @photo.jpg http://localhost:${PORT}/invocations`);
    console.log(`  ${DYNAMODB_PORT === 4569 ? "" : `LOCAL_DYNAMODB_PORT=${DYNAMODB_PORT} `}npm run moods -- --stream lobby --since 1h   # a stream's mood over time (--json, --streams)`);
    console.log("  npm run watch -- <video, camera URL or folder> --stream <camera> --local   # frames from a video or a camera");
    console.log(`  the page: ${page.url}`);
    console.log("Press Ctrl-C to stop.");

    let stopping = false;
    const stop = async () => {
        stopping = true;
        console.log("\nStopping...");
        await page.close();
        await detector.stop();
        await stage.close();
        await s3.close();
        process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    detector.child.once("exit", (code, signal) => {
        if (stopping) {
            return;
        }
        console.error(`The detector exited with ${code ?? signal}.`);
        s3.close().finally(() => process.exit(1));
    });
    // Serving until stopped: the handlers above exit.
    return new Promise<number>(() => undefined);
}

const DEMO_FRAMES = 20;
const DEMO_STEP_SECONDS = 3;

/**
 * Prints each stream's intervals once they close (a frame of a later interval has arrived), and
 * what the Rekognition calls cost so far.
 */
class IntervalPrinter {
    /** Per stream: the start of the first interval not printed yet, and the latest capture time seen. */
    private readonly streams = new Map<string, { next: Date; latest: Date }>();
    /** The calls last printed: the line is printed again only when they change. */
    private callsPrinted = -1;

    async printClosed(stage: LocalEmotionStage, outcomes: readonly SheetOutcome[]): Promise<void> {
        const step = (stage.settings.readIntervalSeconds || 10) * 1000;
        for (const outcome of outcomes) {
            if (outcome.stream === undefined || outcome.capturedAt === undefined) {
                continue;
            }
            const at = new Date(outcome.capturedAt);
            const known = this.streams.get(outcome.stream);
            const first = new Date(Math.floor(at.getTime() / step) * step);
            this.streams.set(outcome.stream, { next: known?.next ?? first, latest: known && known.latest > at ? known.latest : at });
        }
        for (const [stream, { next, latest }] of this.streams) {
            const open = new Date(Math.floor(latest.getTime() / step) * step);
            await this.print(stage, stream, next, open);
        }
    }

    async printAll(stage: LocalEmotionStage): Promise<void> {
        for (const [stream] of this.streams) {
            await this.print(stage, stream, this.streams.get(stream)!.next, new Date("9999-12-31T00:00:00Z"));
        }
    }

    private async print(stage: LocalEmotionStage, stream: string, from: Date, to: Date): Promise<void> {
        if (from >= to) {
            return;
        }
        const series = await querySeries(stage.dynamo.client, RESULTS_TABLE, stream, from, to);
        for (const summary of series) {
            console.log(`  ${stream.padEnd(7)} ${formatInterval(summary)}`);
        }
        if (series.length > 0) {
            this.streams.get(stream)!.next = new Date(series.at(-1)!.end);
            const calls = stage.rekognition.calls();
            if (calls === this.callsPrinted) {
                return;
            }
            this.callsPrinted = calls;
            console.log(`  Rekognition stand-in so far: ${calls} call${calls === 1 ? "" : "s"} ($${(calls * DETECT_FACES_PRICE).toFixed(3)} at $${DETECT_FACES_PRICE} per image), ${stage.rekognition.faces()} faces`);
        }
    }
}

async function sendFrame(
    url: string, name: string, image: Buffer, attributes: { stream: string; frameId: string; capturedAt?: Date },
    store: { endpoint: string; directory: string }, detailed: boolean, feed: FrameFeed,
): Promise<InvocationResult> {
    const response = await fetch(`${url}/invocations`, {
        method: "POST",
        headers: { "content-type": "image/jpeg", "x-amzn-sagemaker-custom-attributes": formatFrameAttributes(attributes) },
        body: image,
    });
    const result = await response.json() as InvocationResult;
    if (response.ok) {
        feed.add({ stream: attributes.stream, frameId: attributes.frameId, capturedAt: new Date(result.capturedAt ?? Date.now()), body: image, contentType: "image/jpeg", result });
    }
    if (detailed) {
        console.log(`\nSent ${name} (${(image.length / 1024).toFixed(0)} KB) to POST /invocations -> ${response.status}`);
        console.log(formatResult(result, store));
    } else {
        console.log(`  ${name}, captured ${result.capturedAt ?? "?"}: ${response.status}, ${result.faces?.length ?? 0} faces, ${result.sheets?.length ?? 0} sheet(s)`);
    }
    return result;
}

/** CROP_OUTPUT as the detector reads it (the detector itself refuses a wrong one at start). */
function parseCropOutput(value: string | undefined): CropOutput {
    return value !== undefined && isCropOutput(value) ? value : DEFAULT_CROP_OUTPUT;
}

function pick(env: NodeJS.ProcessEnv, names: RegExp): Record<string, string> {
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => names.test(e[0]) && e[1] !== undefined));
}

if (require.main === module) {
    main().then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
