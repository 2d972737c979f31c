/**
 * The reference engine: face-api's own SSD MobileNet v1 pipeline on TensorFlow.js's WebAssembly
 * backend, as the model ships. The ONNX engine is tested against it, and the benchmark's naive
 * configuration runs it.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";
import { Detector, toFaces } from "./detector";
import { shrinkToModel } from "./modelInput";
import { FACE_API_MODEL_DIR } from "./ssd";

/** Loads the model (its WebAssembly binaries load from the backend's own package, offline). */
export async function loadTfjsDetector(): Promise<Detector> {
    await tf.setBackend("wasm");
    await tf.ready();
    const net = new faceapi.SsdMobilenetv1();
    await net.loadFromDisk(FACE_API_MODEL_DIR);
    return {
        engine: "tfjs",
        async detect(image, options) {
            const input = await shrinkToModel(image);
            const scale = image.width / input.width;
            const tensor = tf.tensor3d(input.rgb, [input.height, input.width, 3], "int32");
            try {
                const detections = await net.locateFaces(
                    tensor as unknown as faceapi.TNetInput,
                    new faceapi.SsdMobilenetv1Options({ minConfidence: options.minConfidence, maxResults: options.maxFaces }),
                );
                return toFaces(detections.map((d) => ({
                    x: d.box.x * scale, y: d.box.y * scale, width: d.box.width * scale, height: d.box.height * scale, score: d.score,
                })), image, options);
            } finally {
                tensor.dispose();
            }
        },
    };
}
