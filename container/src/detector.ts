import * as path from "path";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";
import { DecodedImage } from "./decode";
import { foldParams, forwardFused, NetInputLike } from "./fusedSsd";

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
}

export interface Detector {
    detect(image: DecodedImage, options: DetectOptions): Promise<Face[]>;
}

/**
 * SSD MobileNet v1 sees its input resized to 512×512 whatever the photo's size. Shrinking the
 * photo to that size with libvips first gives the model the same pixels for a fraction of the
 * WebAssembly work of resizing a full-size tensor.
 */
export const MODEL_INPUT_SIZE = 512;

/** The SSD MobileNet v1 face model shipped inside @vladmandic/face-api: nothing is downloaded. */
const MODEL_DIR = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model");

/**
 * Loads the SSD MobileNet v1 face detector on TensorFlow.js's WebAssembly backend (its binaries load
 * from the backend's own package, offline).
 */
export async function loadDetector(options: { fused?: boolean } = {}): Promise<Detector> {
    await tf.setBackend("wasm");
    await tf.ready();
    const net = new faceapi.SsdMobilenetv1();
    await net.loadFromDisk(MODEL_DIR);
    if (options.fused ?? true) {
        // face-api's locateFaces (non-max suppression, box scaling) runs on top of the fused pass.
        const fused = foldParams(net.params);
        (net as unknown as { forwardInput(input: NetInputLike): unknown }).forwardInput = (input) => forwardFused(input, fused);
    }
    return {
        async detect(image, options) {
            const input = await modelInput(image);
            const scale = image.width / input.width;
            const tensor = tf.tensor3d(input.rgb, [input.height, input.width, 3], "int32");
            try {
                const detections = await net.locateFaces(
                    tensor as unknown as faceapi.TNetInput,
                    new faceapi.SsdMobilenetv1Options({ minConfidence: options.minConfidence, maxResults: options.maxFaces }),
                );
                return detections
                    .map((d) => clampBox(scaleBox(d.box, scale), d.score, image.width, image.height))
                    .filter((face) => face.width > 0 && face.height > 0)
                    .sort((a, b) => b.score - a.score)
                    .slice(0, options.maxFaces);
            } finally {
                tensor.dispose();
            }
        },
    };
}

/** The image shrunk so that its longer side is at most the model's input size. */
async function modelInput(image: DecodedImage): Promise<DecodedImage> {
    if (Math.max(image.width, image.height) <= MODEL_INPUT_SIZE) {
        return image;
    }
    const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, { fit: "inside" })
        .raw()
        .toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height };
}

function scaleBox(box: { x: number; y: number; width: number; height: number }, scale: number) {
    return { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}

/** Rounds a box to whole pixels inside the image. */
export function clampBox(box: { x: number; y: number; width: number; height: number }, score: number, width: number, height: number): Face {
    const left = Math.max(0, Math.round(box.x));
    const top = Math.max(0, Math.round(box.y));
    const right = Math.min(width, Math.round(box.x + box.width));
    const bottom = Math.min(height, Math.round(box.y + box.height));
    return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top), score: Math.round(score * 10000) / 10000 };
}
