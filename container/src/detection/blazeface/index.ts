/**
 * BlazeFace (back camera): its ONNX graph from the TensorFlow.js weights, anchors, decoding, the
 * pyramid, and the engine, loaded on demand (importing this room loads no runtime). Imported by
 * detection/ only.
 */
import type { Detector } from "../detector";
import type { BlazefaceOptions } from "./detector";

export { BLAZEFACE_BOXES, BLAZEFACE_DIR, BLAZEFACE_IMAGE, BLAZEFACE_INPUT, BLAZEFACE_SCORES, blazefaceAnchors, buildBlazefaceModel } from "./model";
export { BLAZEFACE_NMS_IOU, decodeBlazeface } from "./decode";
export { LEVEL_STEP, planLevels, TARGET_FACE_PX } from "./levels";
export type { Level } from "./levels";
export type { BlazefaceOptions };

export async function loadBlazefaceDetector(options: BlazefaceOptions): Promise<Detector> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand: ONNX Runtime comes with it
    const { loadBlazefaceDetector: load } = require("./detector") as typeof import("./detector");
    return load(options);
}
