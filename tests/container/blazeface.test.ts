/**
 * BlazeFace (back camera), the candidate model the detector can run (DETECTOR_MODEL=blazeface):
 * its ONNX graph, written from the TensorFlow.js weights, against TensorFlow.js running the same
 * model.json on the same input, output for output and box for box; its anchors; the pyramid.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadConfig } from "../../container/src/config";
import { blazeface } from "../../container/src/detection";
import { iou } from "../../container/src/geometry";
import { SAMPLE_DIR } from "./fixtures";

const { BLAZEFACE_BOXES, BLAZEFACE_DIR, BLAZEFACE_IMAGE, BLAZEFACE_SCORES, blazefaceAnchors, buildBlazefaceModel, decodeBlazeface, planLevels } = blazeface;

/** TensorFlow.js running the model.json itself: the reference. */
async function referenceModel(): Promise<tf.GraphModel> {
    await tf.setBackend("wasm");
    await tf.ready();
    const json = JSON.parse(fs.readFileSync(path.join(BLAZEFACE_DIR, "model.json"), "utf8"));
    const weights = fs.readFileSync(path.join(BLAZEFACE_DIR, json.weightsManifest[0].paths[0]));
    return tf.loadGraphModel(tf.io.fromMemory({
        modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
}

describe("BlazeFace (back camera) as an ONNX graph", function () {
    this.timeout(120_000);

    it("gives TensorFlow.js's outputs on the same input, and the same boxes", async () => {
        const rgb = await sharp(fs.readFileSync(path.join(SAMPLE_DIR, "sample1.jpg"))).resize(256, 256, { fit: "contain", background: "#000" }).removeAlpha().raw().toBuffer();
        const reference = await referenceModel();
        const input = tf.tidy(() => tf.tensor4d(new Uint8Array(rgb), [1, 256, 256, 3], "int32").toFloat().div(127.5).sub(1));
        const outputs = reference.execute(input, ["Identity_2", "Identity_3", "Identity", "Identity_1"]) as tf.Tensor[];
        const [boxes16, boxes32, scores16, scores32] = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
        tf.dispose([input, ...outputs]);
        const expected = { boxes: Float32Array.from([...boxes16, ...boxes32]), scores: Float32Array.from([...scores16, ...scores32]) };

        const session = await ort.InferenceSession.create(buildBlazefaceModel(), { intraOpNumThreads: 1 });
        const answer = await session.run({ [BLAZEFACE_IMAGE]: new ort.Tensor("uint8", new Uint8Array(rgb), [1, 256, 256, 3]) });
        const actual = { boxes: answer[BLAZEFACE_BOXES].data as Float32Array, scores: answer[BLAZEFACE_SCORES].data as Float32Array };
        assert.deepStrictEqual([actual.boxes.length, actual.scores.length], [896 * 16, 896]);
        const worst = (a: Float32Array, b: Float32Array) => a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i])), 0);
        // Box offsets are in input pixels, logits in units: float32 round-off of a different kernel order.
        assert.ok(worst(actual.boxes, expected.boxes) < 0.05, `boxes differ by ${worst(actual.boxes, expected.boxes)} px`);
        const sigmoid = (v: number) => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, v))));
        assert.ok(worst(actual.scores.map(sigmoid), expected.scores.map(sigmoid)) < 1e-3);
        const anchors = blazefaceAnchors();
        const ours = decodeBlazeface(actual.boxes, actual.scores, anchors, 0, 0.5, 100);
        const theirs = decodeBlazeface(expected.boxes, expected.scores, anchors, 0, 0.5, 100);
        assert.strictEqual(ours.length, 3, "sample1's three faces");
        assert.deepStrictEqual(ours.map((box, i) => iou(box, theirs[i]) > 0.99), theirs.map(() => true));
    });

    it("lays out MediaPipe's 896 anchors at 256×256, and as many as the maps have at any size", () => {
        const anchors = blazefaceAnchors();
        assert.strictEqual(anchors.length / 2, 16 * 16 * 2 + 8 * 8 * 6);
        // The first two share the first 16-px cell's centre; the 16×16 map's last, then the 8×8 map's first.
        assert.deepStrictEqual([...anchors.subarray(0, 4)], [8, 8, 8, 8]);
        assert.deepStrictEqual([...anchors.subarray(511 * 2, 513 * 2)], [248, 248, 16, 16]);
        assert.strictEqual(blazefaceAnchors(288, 512).length / 2, 18 * 32 * 2 + 9 * 16 * 6);
    });

    it("plans a pyramid whose levels' bands join, the finest bringing minFaceSize to its target height", () => {
        const levels = planLevels({ width: 1920, height: 1080 }, 40);
        assert.ok(Math.abs(levels[0].scale * 40 - blazeface.TARGET_FACE_PX) < 1e-9);
        levels.forEach((level, i) => assert.strictEqual(level.minFace, i === 0 ? 0 : levels[i - 1].maxFace));
        assert.strictEqual(levels.at(-1)!.maxFace, Infinity);
        assert.ok(Math.max(levels.at(-1)!.width, levels.at(-1)!.height) <= 256);
        // A 1080p frame's finest level runs whole; a 4K frame's at 40 px, in tiles.
        assert.strictEqual(levels[0].tiles.length, 1);
        assert.ok(planLevels({ width: 3840, height: 2160 }, 40)[0].tiles.length > 1);
    });

    it("is chosen with DETECTOR_MODEL, validated like the other settings", () => {
        const env = { CROPS_BUCKET: "crops-bucket" };
        assert.strictEqual(loadConfig(env, 2).model, "ssd");
        assert.strictEqual(loadConfig({ ...env, DETECTOR_MODEL: "blazeface" }, 2).model, "blazeface");
        assert.throws(() => loadConfig({ ...env, DETECTOR_MODEL: "yolo" }, 2), /DETECTOR_MODEL must be one of ssd, blazeface, got "yolo"/);
        assert.throws(() => loadConfig({ ...env, DETECTOR_MODEL: "blazeface", DETECTOR_ENGINE: "tfjs" }, 2, () => true),
            /DETECTOR_MODEL=blazeface runs on the onnx engine only/);
    });
});
