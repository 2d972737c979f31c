/** What a detector is: the faces it finds in an image, and the options it takes. */
import { clampBox, ScoredBox } from "../geometry";
import { DecodedImage } from "../image";

/** A face: its box in pixels of the oriented image, and the detector's score for it. */
export type Face = ScoredBox;

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
 * Which face model the ONNX engine runs: `ssd`, face-api's SSD MobileNet v1 with the passes for
 * crowds; `blazeface`, MediaPipe's BlazeFace for the back camera, tiled at a pyramid of scales.
 * The reference engine runs `ssd` only.
 */
export const MODELS = ["ssd", "blazeface"] as const;
export type FaceModel = (typeof MODELS)[number];

/**
 * `fp32`, the model as it ships; `int8`, its convolutions in 8-bit integers, about 3× faster on
 * CPUs with VNNI (AVX-512 VNNI or AVX-VNNI) and 1.8× with AVX2 alone, with recall checked by
 * `npm run bench` (see cpuInt8Support in engines.ts).
 */
export const PRECISIONS = ["fp32", "int8"] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface Detector {
    readonly engine: Engine;
    detect(image: DecodedImage, options: DetectOptions): Promise<Face[]>;
}

/** Boxes in image pixels to faces: whole pixels inside the image, highest score first, capped. */
export function toFaces(boxes: readonly Face[], image: { width: number; height: number }, options: DetectOptions): Face[] {
    return boxes
        .map((box) => clampBox(box, box.score, image.width, image.height))
        .filter((face) => face.width > 0 && face.height > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, options.maxFaces);
}
