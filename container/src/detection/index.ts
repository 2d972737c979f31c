/**
 * Finding faces: the Detector and its options, the engines that run it (and their arithmetic on
 * this CPU), and what the bench and tests look into: the passes over a frame, the model run on
 * one input, the second look. The SSD network itself (./ssd) stays inside this room.
 */
export { ENGINES, MODELS, PRECISIONS, toFaces } from "./detector";
export type { Detector, DetectOptions, Engine, Face, FaceModel, Precision } from "./detector";
export {
    cpuInt8Support, engineInstalled, loadDetector, loadModelRun, PRECISION_SETTINGS, precisionSettingProblem, resolvePrecision,
} from "./engines";
export type { Int8Support, LoadDetectorOptions, PrecisionSetting } from "./engines";
export { COARSE_MIN_FACE_PX, FINE_FACE_PX, FINE_STEP, FINE_WINDOW_PX, MAX_TILE_PIXELS, planPasses, tileGrid, TILE_ALIGN, WINDOW_OVERLAP } from "./passes";
export type { CoarsePass, FinePass, Pass } from "./passes";
export { CONTAINED, EDGE_PX, clearOfInnerEdges, mergeFaces, MERGE_IOU, PART_OF } from "./merge";
export { cutRegion, cutTile, letterbox, MODEL_INPUT_SIZE, resizeTo, shrinkToModel } from "./modelInput";
export type { Tile } from "./modelInput";
export { needsRecheck, RECHECK_ABOVE_PX, RECHECK_CONTEXT, RECHECK_FACE_PX, RECHECK_IOU, RECHECK_MIN_SCORE, recheckScore } from "./recheck";
export type { SquareRun } from "./recheck";
export type { ModelRun, OnnxDetectorOptions } from "./onnxDetector";
export { FACE_API_MODEL_DIR } from "./ssd";
/** The SSD network and the ONNX writer, for the tests that check them against face-api's reference. */
export * as ssd from "./ssd";
export * as onnx from "./onnx";
/** BlazeFace (back camera), for the calibration tool and the tests that check it against TensorFlow.js. */
export * as blazeface from "./blazeface";
