/**
 * The crowd set: frames composed from the sample faces at several face heights and resolutions,
 * sent through the server; recall per face height, and what goes on to Rekognition per frame.
 */
import { iou } from "../../container/src/geometry";
import { composeCrowdFrame, CrowdFrame, matchFaces } from "../samples";
import { Sample, send } from "./load";
import { TARGETS } from "./targets";

/** Face heights per resolution: the table at 1920×1080, scaled with the frame elsewhere. */
export const CROWD_SIZES: readonly { width: number; height: number; faceHeights: number[] }[] = [
    { width: 1920, height: 1080, faceHeights: [32, 40, 48, 64, 96, 128, 192] },
    { width: 3840, height: 2160, faceHeights: [64, 80, 96, 128, 192, 256] },
    { width: 1280, height: 720, faceHeights: [32, 40, 48, 64, 96] },
];
/**
 * Faces per row at least: frames (each with its own seed, so its own layout and mix of faces) are
 * added until a face height has this many, so one hard face moves a large face's recall by under 2%.
 */
const FACES_PER_ROW = 60;
/** Frames per face height at least: two layouts, even where one frame holds enough faces. */
const MIN_FRAMES = 2;
/** A loosely boxed face: found, but under the IoU that `matchFaces` asks for. */
const LOOSE_IOU = 0.3;

export interface RecallRow {
    readonly resolution: string;
    readonly faceHeight: number;
    readonly faces: number;
    /** Faces matched at IoU ≥ 0.5, and at ≥ 0.3 (found, boxed loosely). */
    readonly found: number;
    readonly foundLoosely: number;
    /** Detections on no face at all (IoU < 0.3 with every true face). */
    readonly falseFaces: number;
    readonly latencyMs: number;
}

export async function crowdFrames(sizes = CROWD_SIZES): Promise<CrowdFrame[]> {
    const frames: CrowdFrame[] = [];
    for (const { width, height, faceHeights } of sizes) {
        for (const faceHeight of faceHeights) {
            let faces = 0;
            for (let seed = 1; seed <= MIN_FRAMES || faces < FACES_PER_ROW; seed++) {
                const frame = await composeCrowdFrame({ width, height, faceHeight, seed });
                frames.push(frame);
                faces += frame.truth.length;
            }
        }
    }
    return frames;
}

/** Recall per resolution and face height, one frame at a time (latency is one frame alone). */
export async function measureRecall(url: string, frames: readonly CrowdFrame[]): Promise<RecallRow[]> {
    const rows = new Map<string, RecallRow & { frames: number }>();
    for (const frame of frames) {
        const answer = await send(url, frame);
        const row = scoreFrame(frame, answer);
        const key = `${row.resolution}/${row.faceHeight}`;
        const sum = rows.get(key);
        rows.set(key, sum ? {
            ...sum, faces: sum.faces + row.faces, found: sum.found + row.found, foundLoosely: sum.foundLoosely + row.foundLoosely,
            falseFaces: sum.falseFaces + row.falseFaces, latencyMs: sum.latencyMs + row.latencyMs, frames: sum.frames + 1,
        } : { ...row, frames: 1 });
    }
    return [...rows.values()].map(({ frames, ...row }) => ({ ...row, latencyMs: Math.round(row.latencyMs / frames) }));
}

/** One answer against the frame's true faces. */
export function scoreFrame(frame: CrowdFrame, answer: Pick<Sample, "boxes" | "latencyMs">): RecallRow {
    const strict = matchFaces(frame.truth, answer.boxes);
    const loose = matchFaces(frame.truth, answer.boxes, LOOSE_IOU);
    const falseFaces = answer.boxes.filter((box) => frame.truth.every((face) => iou(face, box) < LOOSE_IOU)).length;
    return {
        resolution: `${frame.width}x${frame.height}`, faceHeight: frame.faceHeight, faces: frame.truth.length,
        found: strict.found, foundLoosely: loose.found, falseFaces, latencyMs: answer.latencyMs,
    };
}

/** The recall targets, relative to the frame: ≥ 95% from 48 px (1080p) and ≥ 85% at 40 px, in proportion. */
export function recallTargets(row: RecallRow): { target: number; met: boolean } | undefined {
    const [width] = row.resolution.split("x").map(Number);
    const unit = Math.max(1, width / 1920);
    const { fromPx, atLeast, floorPx, floorAtLeast } = TARGETS.recall;
    const target = row.faceHeight >= fromPx * unit ? atLeast : row.faceHeight >= floorPx * unit ? floorAtLeast : undefined;
    return target === undefined ? undefined : { target, met: row.found / row.faces >= target };
}

/** What one output mode sends on to Rekognition, per frame with faces. */
export interface OutputCost {
    readonly frames: number;
    /** `DetectFaces` calls: one per crop, or one per sheet. */
    readonly cropCalls: number;
    readonly sheetCalls: number;
    readonly cropBytes: number;
    readonly sheetBytes: number;
}

/** Crops against sheets, from answers of a server storing both. */
export function outputCost(answers: readonly Pick<Sample, "faces" | "sheets" | "cropBytes" | "sheetBytes">[]): OutputCost {
    const withFaces = answers.filter((a) => a.faces > 0);
    const sum = (pick: (a: (typeof withFaces)[number]) => number) => withFaces.reduce((total, a) => total + pick(a), 0);
    return {
        frames: withFaces.length,
        cropCalls: sum((a) => a.faces), sheetCalls: sum((a) => a.sheets),
        cropBytes: sum((a) => a.cropBytes), sheetBytes: sum((a) => a.sheetBytes),
    };
}
