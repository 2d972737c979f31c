/**
 * `npm run bench -- --streams [--minutes N]`: what reading over time saves. Composed crowd video
 * (the same sample faces moving a little, one leaving and another arriving now and then) for four
 * streams at one frame per second of capture time goes through the detector once; its sheets then
 * go through the emotion stage's handler three ways, each against its own local table and its own
 * Rekognition stand-in, which counts its calls:
 *
 * (a) every frame read, one call per frame (as the stage read before it knew time);
 * (b) one frame per stream per 10-s interval, one call per frame read;
 * (c) as (b), with the faces of the frames read packed across frames and streams, the sheets
 *     gathered over the 20-s window as the queue would gather them.
 *
 * It reports calls per stream-hour and faces per call for two and four streams, and how far (c)'s
 * shares of each interval stand from (a)'s: inside (a)'s 95% interval or not.
 */
import { EMOTIONS, formatFrameAttributes, PACK_WINDOW } from "@crowd-emotions/face-detection-contract";
import { awsClients, createHandler } from "../../emotions/src/handler";
import { IntervalSummary, wilsonInterval } from "../../emotions/src/series";
import { startDetector } from "../local/detectorProcess";
import { EmbeddedS3, embeddedS3Env } from "../local/embeddedS3";
import { freePort } from "../local/freePort";
import { startLocalDynamo } from "../local/localDynamo";
import { startRekognitionStandIn } from "../local/rekognitionStandIn";
import { querySeries } from "../local/series";
import { composeFaces, Placement, seededRandom } from "../samples";
import { TARGETS } from "./targets";

const WIDTH = 1280;
const HEIGHT = 720;
const FACE_HEIGHT = 56;
const FACES = 20;
const READ_INTERVAL_SECONDS = 10;
/** The 40× the stage must save at 20-face crowds and a 10-s interval. */
export const TARGET_SAVING = TARGETS.streamsSaving;
const START = Date.parse("2026-12-07T10:00:00Z");

interface StoredSheet {
    readonly stream: string;
    readonly capturedAt: number;
    readonly bucket: string;
    readonly manifestKey: string;
}

/** A stream's scene: 20 faces on a grid, each drifting a little; every 15 s one leaves and another arrives. */
function scene(stream: number) {
    const random = seededRandom(1000 + stream);
    const cell = Math.ceil(FACE_HEIGHT * 2.6);
    const columns = Math.floor(WIDTH / cell);
    const rows = Math.floor(HEIGHT / cell);
    const slots = Array.from({ length: columns * rows }, (_, i) => i).sort(() => random() - 0.5).slice(0, FACES);
    const base = slots.map((slot, n) => ({ source: n + stream * 3, left: (slot % columns) * cell + 10, top: Math.floor(slot / columns) * cell + 10, phase: random() * 6.28 }));
    return (second: number): Placement[] => base.map((face, n) => ({
        // Someone leaves and someone else arrives: the face in slot n changes every 15 s, in turn.
        source: face.source + (Math.floor((second + n * 15 / FACES) / 15) % 2 === 1 && n % 4 === 0 ? 7 : 0),
        left: Math.round(face.left + 6 * Math.sin(second / 5 + face.phase)),
        top: Math.round(face.top + 4 * Math.cos(second / 7 + face.phase)),
    }));
}

/** Every frame of every stream through the detector, in capture order; the sheets it stored. */
async function storeVideo(s3: EmbeddedS3, bucket: string, streams: number, seconds: number): Promise<StoredSheet[]> {
    const detector = await startDetector({ port: await freePort(), env: { ...embeddedS3Env(s3), CROPS_BUCKET: bucket, CROP_OUTPUT: "sheets" } });
    const scenes = Array.from({ length: streams }, (_, i) => scene(i));
    const stored: StoredSheet[] = [];
    try {
        for (let second = 0; second < seconds; second++) {
            await Promise.all(scenes.map(async (placements, i) => {
                const stream = `camera-${i + 1}`;
                const { body } = await composeFaces({ width: WIDTH, height: HEIGHT, faceHeight: FACE_HEIGHT, placements: placements(second) });
                const capturedAt = START + second * 1000;
                const response = await fetch(`${detector.url}/invocations`, {
                    method: "POST", body,
                    headers: { "content-type": "image/jpeg", "x-amzn-sagemaker-custom-attributes": formatFrameAttributes({ stream, capturedAt: new Date(capturedAt), frameId: `${stream}-${second}` }) },
                });
                const answer = await response.json() as { sheets?: { bucket: string; manifestKey: string }[] };
                for (const sheet of answer.sheets ?? []) {
                    stored.push({ stream, capturedAt, bucket: sheet.bucket, manifestKey: sheet.manifestKey });
                }
            }));
            if (process.stdout.isTTY) {
                process.stdout.write(`\r  ${second + 1}/${seconds} s of ${streams} streams through the detector`);
            }
        }
    } finally {
        await detector.stop();
    }
    if (process.stdout.isTTY) {
        process.stdout.write("\n");
    }
    return stored.sort((a, b) => a.capturedAt - b.capturedAt || a.stream.localeCompare(b.stream));
}

interface WayResult {
    readonly way: string;
    readonly calls: number;
    readonly faces: number;
    readonly series: Map<string, IntervalSummary[]>;
}

/** The sheets through the handler one way: batches as given, against a fresh table and stand-in. */
async function runWay(
    s3: EmbeddedS3, way: string, sheets: readonly StoredSheet[], readIntervalSeconds: number, batches: readonly (readonly StoredSheet[])[],
): Promise<WayResult> {
    const table = `bench-${way}`;
    const dynamo = await startLocalDynamo({ table });
    const rekognition = await startRekognitionStandIn();
    // The handler's clients find the store, the table and the stand-in as the function's find AWS.
    const env = { ...embeddedS3Env(s3), AWS_ENDPOINT_URL_REKOGNITION: rekognition.url, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
        const errors: string[] = [];
        const handler = createHandler(awsClients(), { table, retentionDays: 1, pipeline: "bench", namespace: "bench", readIntervalSeconds }, (line) => {
            if (line.includes('"level":"error"')) {
                errors.push(line);
            }
        });
        for (const batch of batches) {
            const { batchItemFailures } = await handler({
                Records: batch.map((sheet) => ({
                    messageId: sheet.manifestKey,
                    body: JSON.stringify({ "source": "aws.s3", "detail-type": "Object Created", "detail": { bucket: { name: sheet.bucket }, object: { key: sheet.manifestKey } } }),
                })),
            });
            if (batchItemFailures.length > 0) {
                throw new Error(`${way}: ${batchItemFailures.length} messages failed: ${errors.slice(0, 3).join("; ")}`);
            }
        }
        const series = new Map<string, IntervalSummary[]>();
        for (const stream of new Set(sheets.map((sheet) => sheet.stream))) {
            series.set(stream, await querySeries(dynamo.client, table, stream, new Date(START), new Date(START + 86_400_000)));
        }
        return { way, calls: rekognition.calls(), faces: rekognition.faces(), series };
    } finally {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
        await rekognition.close();
        await dynamo.close();
    }
}

/** Sheets gathered as the queue would over the window: all that arrive within it, of every stream. */
function byWindow(sheets: readonly StoredSheet[], windowSeconds: number): StoredSheet[][] {
    const windows = new Map<number, StoredSheet[]>();
    for (const sheet of sheets) {
        const window = Math.floor((sheet.capturedAt - START) / (windowSeconds * 1000));
        windows.set(window, [...(windows.get(window) ?? []), sheet]);
    }
    return [...windows.values()];
}

export interface StreamsRow {
    readonly streams: number;
    readonly way: string;
    readonly callsPerStreamHour: number;
    readonly facesPerCall: number;
    readonly saving: number;
}

export interface StreamsReport {
    readonly minutes: number;
    readonly rows: StreamsRow[];
    /**
     * Of every interval and expression read in both (a) and (c), 4 streams: (c)'s share inside (a)'s
     * 95% interval, taken over the people (a) read, not its readings: (a) reads the same faces in
     * every frame, and repeat reads of the same people add little to what is known of them.
     */
    readonly sharesInside: { inside: number; total: number; worst: string };
    /** How far packing moves a share: (b) and (c) read the same frames, (c) through packs. Mean and largest difference, in points. */
    readonly packingShift: { mean: number; max: number };
    readonly passed: boolean;
}

export async function runStreams(s3: EmbeddedS3, bucket: string, minutes: number): Promise<StreamsReport> {
    const seconds = Math.round(minutes * 60);
    const all = await storeVideo(s3, bucket, 4, seconds);
    const rows: StreamsRow[] = [];
    let sharesInside = { inside: 0, total: 0, worst: "" };
    let packingShift = { mean: 0, max: 0 };
    for (const streams of [2, 4]) {
        const sheets = all.filter((sheet) => Number(sheet.stream.split("-")[1]) <= streams);
        const hours = (streams * seconds) / 3600;
        const ways = [
            await runWay(s3, `a${streams}`, sheets, 0, sheets.map((sheet) => [sheet])),
            await runWay(s3, `b${streams}`, sheets, READ_INTERVAL_SECONDS, sheets.map((sheet) => [sheet])),
            await runWay(s3, `c${streams}`, sheets, READ_INTERVAL_SECONDS, byWindow(sheets, PACK_WINDOW.default)),
        ];
        const [a, b, c] = ways;
        for (const [i, result] of ways.entries()) {
            rows.push({
                streams, way: ["(a) every frame", "(b) per interval", "(c) per interval, packed"][i],
                callsPerStreamHour: Math.round(result.calls / hours), facesPerCall: Math.round((result.faces / Math.max(1, result.calls)) * 10) / 10,
                saving: Math.round((a.calls / Math.max(1, result.calls)) * 10) / 10,
            });
        }
        if (streams === 4) {
            sharesInside = compareShares(a, c);
            packingShift = shift(b, c);
        }
    }
    const packed = rows.filter((row) => row.way.startsWith("(c)"));
    const passed = packed.every((row) => row.saving >= TARGET_SAVING) && sharesInside.inside === sharesInside.total;
    return { minutes, rows, sharesInside, packingShift, passed };
}

/** (c)'s share of each expression in each interval, against (a)'s 95% interval for it. */
function compareShares(a: WayResult, c: WayResult): StreamsReport["sharesInside"] {
    let inside = 0;
    let total = 0;
    let worst = "";
    let worstDistance = -1;
    for (const [stream, series] of a.series) {
        const byStart = new Map((c.series.get(stream) ?? []).map((summary) => [summary.start, summary]));
        for (const summary of series) {
            const other = byStart.get(summary.start);
            if (other === undefined || other.facesRead === 0 || summary.facesRead === 0) {
                continue;
            }
            // The people in the interval: the faces of one frame, read again in each of its frames.
            const people = Math.round(summary.facesRead / Math.max(1, summary.framesRead));
            for (const emotion of EMOTIONS) {
                const { low, high } = wilsonInterval(Math.round(summary.shares[emotion].share * people), people);
                const share = other.shares[emotion].share;
                total++;
                const distance = Math.max(low - share, share - high, 0);
                if (distance === 0) {
                    inside++;
                } else if (distance > worstDistance) {
                    worstDistance = distance;
                    worst = `${stream} ${summary.start.slice(11, 19)} ${emotion}: ${share} outside ${low.toFixed(3)}–${high.toFixed(3)}`;
                }
            }
        }
    }
    return { inside, total, worst };
}

/** The shares of the same intervals read with and without packs. */
function shift(b: WayResult, c: WayResult): StreamsReport["packingShift"] {
    const differences: number[] = [];
    for (const [stream, series] of b.series) {
        const byStart = new Map((c.series.get(stream) ?? []).map((summary) => [summary.start, summary]));
        for (const summary of series) {
            const other = byStart.get(summary.start);
            if (other !== undefined && other.facesRead > 0 && summary.facesRead > 0) {
                differences.push(...EMOTIONS.map((emotion) => Math.abs(summary.shares[emotion].share - other.shares[emotion].share) * 100));
            }
        }
    }
    const mean = differences.reduce((sum, d) => sum + d, 0) / Math.max(1, differences.length);
    return { mean: Math.round(mean * 10) / 10, max: Math.round(Math.max(0, ...differences) * 10) / 10 };
}
