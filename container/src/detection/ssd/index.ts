/**
 * SSD MobileNet v1 (face-api's face model): its graph written as ONNX from the package's own
 * weights, its anchors, and the decoding of its outputs. Only detection/ imports this room.
 */
export { anchorLayers, anchorsFor, BOXES_PER_CELL, LAYER_STRIDES, SHIPPED_INPUT } from "./anchors";
export type { AnchorLayer } from "./anchors";
export { decodeDetections } from "./decode";
export { buildSsdModel, foldDepthwise, SSD_BOX_ENCODINGS, SSD_CLASS_LOGITS, SSD_INPUT, toOihw } from "./graph";
export type { SsdModel, SsdModelOptions } from "./graph";
export { FACE_API_MODEL_DIR, loadFaceApiWeights } from "./weights";
export type { Weight } from "./weights";
