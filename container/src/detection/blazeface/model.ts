/**
 * BlazeFace for the back camera (MediaPipe's short-range model for smaller, farther faces):
 * 256×256 input, 896 anchors on two feature maps (16×16 at stride 16 with 2 anchors a cell, 8×8 at
 * stride 32 with 6), each predicting a box (centre offset and size in input pixels) and a score.
 * Its ONNX graph is written at start from the TensorFlow.js weights kept in container/models.
 */
import * as path from "path";
import { encodeModel } from "../onnx";
import { convertGraphModel, readGraphModel } from "../tfjsGraph";

export const BLAZEFACE_DIR = path.resolve(__dirname, "..", "..", "..", "models", "blazeface-back");
export const BLAZEFACE_INPUT = 256;
export const BLAZEFACE_IMAGE = "image";
export const BLAZEFACE_BOXES = "boxes";
export const BLAZEFACE_SCORES = "scores";
/** Feature maps: stride and anchors per cell, in the order of the outputs. */
export const BLAZEFACE_LAYERS: readonly { stride: number; perCell: number }[] = [{ stride: 16, perCell: 2 }, { stride: 32, perCell: 6 }];

/** The model as ONNX: uint8 NHWC `image` in, `boxes` [n, anchors, 16] and `scores` [n, anchors, 1] out. */
export function buildBlazefaceModel(directory = BLAZEFACE_DIR): Uint8Array {
    const graph = convertGraphModel(readGraphModel(path.join(directory, "model.json")), {
        // Fully convolutional: it runs on a whole scaled frame (sides multiples of 32), not only on 256×256.
        input: "input", inputName: BLAZEFACE_IMAGE, anySize: true,
        outputs: { boxes16: "Identity_2", boxes32: "Identity_3", scores16: "Identity", scores32: "Identity_1" },
    });
    // One list of anchors: the 16×16 map's, then the 8×8 map's.
    const concat = (name: string, parts: string[]) => ({ opType: "Concat", inputs: parts, outputs: [name], attributes: { axis: 1 } });
    const nodes = [...graph.nodes, concat(BLAZEFACE_BOXES, ["boxes16", "boxes32"]), concat(BLAZEFACE_SCORES, ["scores16", "scores32"])];
    const outputs = [BLAZEFACE_BOXES, BLAZEFACE_SCORES].map((name) => ({ name, dataType: graph.outputs[0].dataType, dims: ["batch", "anchors", "values"] }));
    return encodeModel({ ...graph, nodes, outputs }, "face-detector");
}

/**
 * Anchor centres (x, y in input pixels), in the outputs' order, for an input of `height`×`width`;
 * the anchors have no size (MediaPipe's fixed_anchor_size). At 256×256: the 896 of MediaPipe's
 * SsdAnchorsCalculator for this model, centres ((col + 0.5) / cols, (row + 0.5) / rows) × 256.
 */
export function blazefaceAnchors(height = BLAZEFACE_INPUT, width = height): Float32Array {
    const centres: number[] = [];
    for (const { stride, perCell } of BLAZEFACE_LAYERS) {
        const [rows, cols] = [Math.ceil(height / stride), Math.ceil(width / stride)];
        for (let y = 0; y < rows; y++) {
            for (let x = 0; x < cols; x++) {
                for (let k = 0; k < perCell; k++) {
                    centres.push((x + 0.5) * stride, (y + 0.5) * stride);
                }
            }
        }
    }
    return Float32Array.from(centres);
}
