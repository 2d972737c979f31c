/**
 * The default engine: face-api's SSD MobileNet v1, same weights, as an ONNX graph on ONNX Runtime's
 * native CPU kernels. Measured with one thread: 52 ms per frame, letterbox included, against 280 ms
 * for face-api's own pipeline on TensorFlow.js WebAssembly, with the same faces found
 * (tests/container/detector.test.ts).
 */
import * as ort from "onnxruntime-node";
import { Detector, toFaces } from "./detector";
import { letterbox, MODEL_INPUT_SIZE } from "./modelInput";
import { loadFaceApiWeights } from "./onnx/faceApiWeights";
import { decodeDetections } from "./onnx/ssdDecode";
import { buildSsdModel, SSD_BOX_ENCODINGS, SSD_CLASS_LOGITS, SSD_INPUT } from "./onnx/ssdGraph";

export interface OnnxDetectorOptions {
    /** Threads one inference may use: the cores this worker has to itself. */
    readonly threads: number;
}

export async function loadOnnxDetector(options: OnnxDetectorOptions): Promise<Detector> {
    const model = buildSsdModel(loadFaceApiWeights());
    const session = await ort.InferenceSession.create(model.onnx, {
        graphOptimizationLevel: "all",
        executionMode: "sequential",
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
    });
    return {
        engine: "onnx",
        async detect(image, detectOptions) {
            const input = await letterbox(image);
            const feeds = { [SSD_INPUT]: new ort.Tensor("uint8", input.rgb, [1, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3]) };
            const outputs = await session.run(feeds);
            try {
                const boxes = decodeDetections(
                    outputs[SSD_BOX_ENCODINGS].data as Float32Array, outputs[SSD_CLASS_LOGITS].data as Float32Array,
                    model.anchors, detectOptions.minConfidence, detectOptions.maxFaces,
                );
                // Fractions of the square input, clipped to it as face-api does, to the image's pixels.
                const toPixels = (fraction: number) => Math.min(Math.max(fraction, 0), 1) * MODEL_INPUT_SIZE * input.scale;
                return toFaces(boxes.map((box) => {
                    const [top, left, bottom, right] = [box.top, box.left, box.bottom, box.right].map(toPixels);
                    return { x: left, y: top, width: right - left, height: bottom - top, score: box.score };
                }), image, detectOptions);
            } finally {
                Object.values(outputs).forEach((tensor) => tensor.dispose());
            }
        },
    };
}
