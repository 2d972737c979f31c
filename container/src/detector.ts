import { DecodedImage } from "./decode";

/** A face box in pixels of the oriented image, and the detector's score for it. */
export interface Face {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly score: number;
}

export interface DetectOptions {
    readonly minConfidence: number;
    readonly maxFaces: number;
    /**
     * Height in frame pixels of the smallest face to find: the ONNX engine adds a fine pass where
     * the coarse pass would miss faces this small. Absent: the coarse pass alone, as face-api runs.
     * The reference engine always runs face-api's single pass.
     */
    readonly minFaceSize?: number;
}

/**
 * What runs the model: `onnx`, ONNX Runtime's native kernels (the default), or `tfjs`, face-api's
 * own pipeline on TensorFlow.js WebAssembly, the reference the ONNX graph is checked against.
 */
export const ENGINES = ["onnx", "tfjs"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * `fp32`, the model as it ships; `int8`, its convolutions in 8-bit integers, about 3× faster on
 * CPUs with VNNI (AVX-512 VNNI or AVX-VNNI) and 1.8× with AVX2 alone, with recall checked by
 * `npm run bench` (see cpuInt8Support in config.ts).
 */
export const PRECISIONS = ["fp32", "int8"] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface Detector {
    readonly engine: Engine;
    detect(image: DecodedImage, options: DetectOptions): Promise<Face[]>;
}

export interface LoadDetectorOptions {
    /** @default "onnx" */
    readonly engine?: Engine;
    /** Threads for one inference (ONNX only). @default 1 */
    readonly threads?: number;
    /** Arithmetic of the ONNX engine's convolutions. @default "fp32" */
    readonly precision?: Precision;
}

/** Loads the SSD MobileNet v1 face model shipped inside @vladmandic/face-api: nothing is downloaded. */
export async function loadDetector(options: LoadDetectorOptions = {}): Promise<Detector> {
    // Required on demand, so that a worker loads one runtime, not both.
    if (options.engine === "tfjs") {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
        const { loadTfjsDetector } = require("./tfjsDetector") as typeof import("./tfjsDetector");
        return loadTfjsDetector();
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
    const { loadOnnxDetector } = require("./onnxDetector") as typeof import("./onnxDetector");
    return loadOnnxDetector({ threads: options.threads ?? 1, int8: options.precision === "int8" });
}

/** Boxes in image pixels to faces: whole pixels inside the image, highest score first, capped. */
export function toFaces(boxes: readonly Face[], image: { width: number; height: number }, options: DetectOptions): Face[] {
    return boxes
        .map((box) => clampBox(box, box.score, image.width, image.height))
        .filter((face) => face.width > 0 && face.height > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, options.maxFaces);
}

/** Rounds a box to whole pixels inside the image. */
export function clampBox(box: { x: number; y: number; width: number; height: number }, score: number, width: number, height: number): Face {
    const left = Math.max(0, Math.round(box.x));
    const top = Math.max(0, Math.round(box.y));
    const right = Math.min(width, Math.round(box.x + box.width));
    const bottom = Math.min(height, Math.round(box.y + box.height));
    return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top), score: Math.round(score * 10000) / 10000 };
}
