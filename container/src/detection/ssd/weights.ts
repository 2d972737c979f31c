/**
 * The SSD MobileNet v1 face model's weights as @vladmandic/face-api ships them: a TensorFlow.js
 * weights manifest and one binary file of uint8-quantised values. Read here without TensorFlow.js.
 */
import * as fs from "fs";
import * as path from "path";

export interface Weight {
    readonly shape: readonly number[];
    readonly values: Float32Array;
}

interface ManifestEntry {
    readonly name: string;
    readonly shape: number[];
    readonly dtype: "float32" | "int32";
    readonly quantization?: { readonly scale: number; readonly min: number; readonly dtype: "uint8" };
}

/** The model directory inside the face-api package: nothing is downloaded. */
export const FACE_API_MODEL_DIR = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model");
const MODEL_NAME = "ssd_mobilenetv1_model";

/** Every float weight by its TensorFlow name, dequantised (`q × scale + min`, as TensorFlow.js does). */
export function loadFaceApiWeights(directory = FACE_API_MODEL_DIR): Map<string, Weight> {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, `${MODEL_NAME}-weights_manifest.json`), "utf8")) as { paths: string[]; weights: ManifestEntry[] }[];
    const weights = new Map<string, Weight>();
    for (const group of manifest) {
        const data = Buffer.concat(group.paths.map((file) => fs.readFileSync(path.join(directory, file))));
        let offset = 0;
        for (const entry of group.weights) {
            const count = entry.shape.reduce((product, size) => product * size, 1);
            const bytes = count * bytesPerValue(entry);
            if (offset + bytes > data.length) {
                throw new Error(`${MODEL_NAME}: weight ${entry.name} runs past the end of the weights file.`);
            }
            if (entry.dtype === "float32") {
                weights.set(entry.name, { shape: entry.shape, values: dequantize(data.subarray(offset, offset + bytes), entry) });
            }
            offset += bytes;
        }
    }
    return weights;
}

function bytesPerValue(entry: ManifestEntry): number {
    if (entry.quantization && entry.quantization.dtype !== "uint8") {
        throw new Error(`${MODEL_NAME}: weight ${entry.name} is quantised as ${entry.quantization.dtype}; only uint8 is read.`);
    }
    return entry.quantization ? 1 : 4;
}

function dequantize(bytes: Buffer, entry: ManifestEntry): Float32Array {
    if (!entry.quantization) {
        return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
    const { scale, min } = entry.quantization;
    // A plain loop: Float32Array.from with a mapping function took 0.4 s of every worker's start.
    const values = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
        values[i] = bytes[i] * scale + min;
    }
    return values;
}
