/**
 * `npm run bench -- --scales`: how reliably the model alone finds a face, by the face's height in
 * the model's own input. The crowd set's larger faces are shown to it at each height (the whole
 * frame scaled, as a fine pass does); a face counts as found at a height when a box scoring the
 * default MIN_CONFIDENCE or more overlaps it at IoU ≥ 0.5. The band where nearly every face is
 * found sets the detector's passes (container/src/passes.ts).
 */
import { iou } from "../../container/src/geometry";
import { cutTile, loadModelRun, ModelRun, PrecisionSetting, precisionSettingProblem, resizeTo, resolvePrecision, TILE_ALIGN } from "../../container/src/detection";
import { decodeImage } from "../../container/src/frame";
import { SETTINGS } from "@crowd-emotions/face-detection-contract";
import { composeCrowdFrame, CrowdFrame } from "../samples";
import { percentile } from "./load";

/** Heights in the model's input, in pixels. */
export const INPUT_FACE_HEIGHTS = [36, 42, 48, 54, 60, 66, 72, 80, 88, 96, 104, 112, 120];
/** Frames whose faces are at least as tall as the tallest input height, so every height is a shrink. */
const SOURCES = [
    { width: 1920, height: 1080, faceHeight: 192 }, { width: 1920, height: 1080, faceHeight: 128 },
    { width: 1920, height: 1080, faceHeight: 96 }, { width: 1280, height: 720, faceHeight: 96 },
    { width: 3840, height: 2160, faceHeight: 256 },
];
const SEEDS = [1, 2];

export interface ScaleRow {
    readonly inputFaceHeight: number;
    readonly faces: number;
    /** Faces scoring at least the default MIN_CONFIDENCE. */
    readonly found: number;
    /** The 5th percentile of the faces' best scores. */
    readonly p5Score: number;
}

export interface ScaleSweep {
    /** `auto`, `int8` or `fp32`, as DETECTOR_PRECISION. */
    readonly precision?: string;
    readonly heights?: readonly number[];
    readonly sources?: readonly { width: number; height: number; faceHeight: number }[];
    readonly seeds?: readonly number[];
}

export async function measureModelScales(sweep: ScaleSweep = {}): Promise<{ precision: string; rows: ScaleRow[] }> {
    const setting = sweep.precision ?? process.env.DETECTOR_PRECISION ?? "auto";
    const problem = precisionSettingProblem(setting);
    if (problem) {
        throw new Error(problem);
    }
    const precision = resolvePrecision(setting as PrecisionSetting);
    const run = await loadModelRun({ threads: 1, int8: precision === "int8" });
    const heights = sweep.heights ?? INPUT_FACE_HEIGHTS;
    const scores = new Map<number, number[]>(heights.map((height) => [height, []]));
    for (const source of sweep.sources ?? SOURCES) {
        for (const seed of sweep.seeds ?? SEEDS) {
            const frame = await composeCrowdFrame({ ...source, seed });
            for (const inputFaceHeight of heights) {
                scores.get(inputFaceHeight)!.push(...await bestScores(run, frame, inputFaceHeight / source.faceHeight));
            }
        }
    }
    const minConfidence = SETTINGS.minConfidence.default;
    return {
        precision,
        rows: [...scores].map(([inputFaceHeight, best]) => ({
            inputFaceHeight, faces: best.length, found: best.filter((score) => score >= minConfidence).length,
            p5Score: Math.round(percentile(best, 5) * 100) / 100,
        })),
    };
}

/** Each true face's best score with the whole frame scaled by `scale` and run at once. */
async function bestScores(run: ModelRun, frame: CrowdFrame, scale: number): Promise<number[]> {
    const image = await resizeTo(await decodeImage(frame.body), Math.round(frame.width * scale), Math.round(frame.height * scale));
    const [width, height] = [image.width, image.height].map((side) => Math.ceil(side / TILE_ALIGN) * TILE_ALIGN);
    const boxes = await run(cutTile(image, { x: 0, y: 0, width, height }), height, width, { minConfidence: 0.05, maxFaces: 1000 });
    const inFrame = boxes.map((box) => ({
        x: box.x * width / scale, y: box.y * height / scale, width: box.width * width / scale, height: box.height * height / scale, score: box.score,
    }));
    return frame.truth.map((face) => Math.max(0, ...inFrame.filter((box) => iou(face, box) >= 0.5).map((box) => box.score)));
}
