/**
 * `npm start`: the seed's last step on one machine. The detector server from container/, an
 * embedded S3-compatible store in .local/, a sample photo and a composed crowd frame sent through
 * the endpoint, and the detections, face sheets and crops printed; then the emotion stage's handler
 * reads each new sheet (through a local DynamoDB and the Rekognition stand-in) and the crowd mood is
 * printed; then it keeps serving until Ctrl-C.
 */
import * as fs from "fs";
import * as path from "path";
import { CropOutput, DEFAULT_CROP_OUTPUT, isCropOutput } from "@crowd-emotions/face-detection-contract";
import { composeCrowdFrame } from "./bench/crowd";
import { formatResult, InvocationResult } from "./local/format";
import { embeddedS3Env, LOCAL_CREDENTIALS, startEmbeddedS3 } from "./local/embeddedS3";
import { portIsFree } from "./local/freePort";
import { startDetector } from "./local/detectorProcess";
import { DYNAMODB_PORT, LocalEmotionStage, moodLine, readFrameResult, RESULTS_TABLE, startEmotionStage } from "./local/emotionStage";
import { SAMPLE_DIR } from "./local/samples";
import { REPO_ROOT } from "./stack";

const PORT = Number(process.env.PORT ?? 8080);
/** The embedded store's port: fixed, so the AWS CLI line below works run after run. */
const STORE_PORT = Number(process.env.LOCAL_S3_PORT ?? 4568);
const STORE_DIR = path.join(REPO_ROOT, ".local", "s3");
const REKOGNITION_PORT = Number(process.env.LOCAL_REKOGNITION_PORT ?? 4570);
const BUCKET = "face-crops";
const SAMPLE = path.join(SAMPLE_DIR, "sample1.jpg");

function progress(text: string): void {
    if (process.stdout.isTTY) {
        process.stdout.write(`\r${text}`);
    }
}

async function main(): Promise<number> {
    // Say at once, rather than have the detector's workers fail to bind (or a sample answered by
    // whatever else listens there).
    for (const [port, variable] of [[PORT, "PORT"], [STORE_PORT, "LOCAL_S3_PORT"], [DYNAMODB_PORT, "LOCAL_DYNAMODB_PORT"], [REKOGNITION_PORT, "LOCAL_REKOGNITION_PORT"]] as const) {
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
        env: { ...embeddedS3Env(s3), CROPS_BUCKET: BUCKET, CROP_OUTPUT: DEFAULT_CROP_OUTPUT, ...pick(process.env, /^(CROPS_PREFIX|MIN_CONFIDENCE|MAX_FACES|MIN_FACE_SIZE|CROP_OUTPUT|CROP_MARGIN|MIN_CROP_SIZE|JPEG_QUALITY|DETECTOR_ENGINE|DETECTOR_PRECISION|SAGEMAKER_MODEL_SERVER_WORKERS)$/) },
        onWait: (ms) => progress(`  loading the model... ${(ms / 1000).toFixed(1)} s`),
        output: (chunk) => { if (process.env.DEBUG) process.stdout.write(chunk); },
    });
    progress("");
    console.log(`Detector ready in ${(detector.coldStartMs / 1000).toFixed(1)} s on http://localhost:${PORT}\n`);

    console.log("Starting the emotion stage: its Lambda handler, a local DynamoDB (dynalite) and the Rekognition STAND-IN "
        + "(face-api's expression model, for development only)...");
    const stage = await startEmotionStage(s3, { dynamo: DYNAMODB_PORT, rekognition: REKOGNITION_PORT }, parseCropOutput(process.env.CROP_OUTPUT));
    console.log(`Emotion stage ready: table ${RESULTS_TABLE} at ${stage.dynamo.endpoint}, Rekognition stand-in at ${stage.rekognition.url}\n`);
    const shown = new Set<string>();
    // Every sheet the detector stores goes to the handler, as EventBridge would send it.
    s3.onObjectCreated((bucket, key) => {
        void stage.objectStored(bucket, key).then(async (outcome) => {
            const frameId = key.split("/").at(-2)!;
            if (outcome?.result === "recorded" && !shown.has(frameId)) {
                shown.add(frameId);
                await printMood(stage, frameId);
            }
        });
    });

    const store = { endpoint: s3.endpoint, directory: STORE_DIR };
    for (const frame of [
        { name: path.basename(SAMPLE), body: fs.readFileSync(SAMPLE), frameId: "sample1" },
        // A crowd: 48 of the sample faces, 48 px tall, in a 1920×1080 frame.
        await composeCrowdFrame({ width: 1920, height: 1080, faceHeight: 48, maxFaces: 48 })
            .then((crowd) => ({ name: `a composed crowd frame (${crowd.truth.length} faces of ${crowd.faceHeight} px)`, body: crowd.body, frameId: "crowd1" })),
    ]) {
        shown.add(frame.frameId);
        const result = await sendFrame(detector.url, frame.name, frame.body, frame.frameId, store);
        await Promise.all([
            ...(result.sheets ?? []).map((sheet) => stage.objectStored(sheet.bucket, sheet.manifestKey)),
            ...result.faces.filter((face) => face.crop).map((face) => stage.objectStored(face.crop!.bucket, face.crop!.key)),
        ]);
        await printMood(stage, frame.frameId);
    }
    console.log(`\nThe endpoint keeps serving on http://localhost:${PORT}; the emotion stage reads every frame's sheets:`);
    console.log(`  ${PORT === 8080 ? "" : `PORT=${PORT} `}npm run invoke -- --local <photo.jpg>`);
    console.log(`  curl -s -H 'Content-Type: image/jpeg' --data-binary @photo.jpg http://localhost:${PORT}/invocations`);
    console.log(`  ${DYNAMODB_PORT === 4569 ? "" : `LOCAL_DYNAMODB_PORT=${DYNAMODB_PORT} `}npm run moods   # every frame's crowd mood (--json for JSON)`);
    console.log("Press Ctrl-C to stop.");

    let stopping = false;
    const stop = async () => {
        stopping = true;
        console.log("\nStopping...");
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

/** The crowd mood of a frame, as the emotion stage recorded it. */
async function printMood(stage: LocalEmotionStage, frameId: string): Promise<void> {
    const result = await readFrameResult(stage.dynamo, RESULTS_TABLE, frameId);
    if (result === undefined) {
        return;
    }
    console.log(`Crowd mood of frame ${frameId} (emotion stage, Rekognition stand-in): ${moodLine(result)}`);
    for (const face of result.faces.slice(0, 8)) {
        const top = Object.entries(face.emotions ?? {}).slice(0, 3).map(([emotion, confidence]) => `${emotion} ${confidence.toFixed(0)}%`).join(", ");
        console.log(`  face ${String(face.face).padEnd(3)} ${face.found ? top : "not found by Rekognition in its cell"}`);
    }
    if (result.faces.length > 8) {
        console.log(`  … ${result.faces.length - 8} more: npm run moods -- --frame ${frameId}`);
    }
}

async function sendFrame(url: string, name: string, image: Buffer, frameId: string, store: { endpoint: string; directory: string }): Promise<InvocationResult> {
    const response = await fetch(`${url}/invocations`, {
        method: "POST",
        headers: { "content-type": "image/jpeg", "x-amzn-sagemaker-custom-attributes": `frame-id=${frameId}` },
        body: image,
    });
    const result = await response.json() as InvocationResult;
    console.log(`\nSent ${name} (${(image.length / 1024).toFixed(0)} KB) to POST /invocations -> ${response.status}`);
    console.log(formatResult(result, store));
    return result;
}

/** CROP_OUTPUT as the detector reads it (the detector itself refuses a wrong one at start). */
function parseCropOutput(value: string | undefined): CropOutput {
    return value !== undefined && isCropOutput(value) ? value : DEFAULT_CROP_OUTPUT;
}

function pick(env: NodeJS.ProcessEnv, names: RegExp): Record<string, string> {
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => names.test(e[0]) && e[1] !== undefined));
}

main().then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
