import * as assert from "assert";
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { FACE_API_MODEL_DIR, letterbox, MODEL_INPUT_SIZE, onnx, ssd } from "../../container/src/detection";
import { iou, type ScoredBox } from "../../container/src/geometry";

const { DataType, encodeModel, encodeVarint } = onnx;
const { anchorLayers, anchorsFor, BOXES_PER_CELL, buildSsdModel, decodeDetections, foldDepthwise, LAYER_STRIDES, loadFaceApiWeights, SHIPPED_INPUT, SSD_BOX_ENCODINGS, SSD_CLASS_LOGITS, SSD_INPUT, toOihw } = ssd;

describe("ONNX model writing", () => {
    const varints: [number | bigint, number[]][] = [
        [0, [0]], [1, [1]], [127, [0x7f]], [128, [0x80, 0x01]], [300, [0xac, 0x02]],
        [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
        [2n ** 40n, [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]],
    ];
    for (const [value, bytes] of varints) {
        it(`encodes the varint ${value}`, () => {
            assert.deepStrictEqual(Array.from(encodeVarint(value)), bytes);
        });
    }

    it("writes a model ONNX Runtime loads and runs", async () => {
        // y = flatten(transpose(float(x) + bias)): an int attribute (to), an ints attribute (perm), float and int64 initializers.
        const onnx = encodeModel({
            name: "tiny",
            nodes: [
                { opType: "Cast", inputs: ["x"], outputs: ["xf"], attributes: { to: DataType.Float } },
                { opType: "Add", inputs: ["xf", "bias"], outputs: ["sum"] },
                { opType: "Transpose", inputs: ["sum"], outputs: ["t"], attributes: { perm: [1, 0] } },
                { opType: "Reshape", inputs: ["t", "shape"], outputs: ["y"] },
            ],
            initializers: [
                { name: "bias", dataType: DataType.Float, dims: [2, 3], data: Float32Array.of(0.5, 1, 1.5, 2, 2.5, 3) },
                { name: "shape", dataType: DataType.Int64, dims: [1], data: BigInt64Array.of(-1n) },
            ],
            inputs: [{ name: "x", dataType: DataType.Uint8, dims: [2, 3] }],
            outputs: [{ name: "y", dataType: DataType.Float, dims: ["n"] }],
        }, "test");
        const session = await ort.InferenceSession.create(onnx);
        const { y } = await session.run({ x: new ort.Tensor("uint8", Uint8Array.of(1, 2, 3, 4, 5, 6), [2, 3]) });
        assert.deepStrictEqual(Array.from(y.data as Float32Array), [1.5, 6, 3, 7.5, 4.5, 9]);
    });

    it("fails to load in ONNX Runtime when the graph is wrong, so a broken writer can't pass", async () => {
        const onnx = encodeModel({
            name: "broken", nodes: [{ opType: "Add", inputs: ["x", "missing"], outputs: ["y"] }], initializers: [],
            inputs: [{ name: "x", dataType: DataType.Float, dims: [1] }], outputs: [{ name: "y", dataType: DataType.Float, dims: [1] }],
        }, "test");
        await assert.rejects(ort.InferenceSession.create(onnx), /missing/);
    });
});

describe("face-api's weights, read without TensorFlow.js", () => {
    const weights = loadFaceApiWeights();

    it("match TensorFlow.js's own decoding of the same files, value for value", async () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(FACE_API_MODEL_DIR, "ssd_mobilenetv1_model-weights_manifest.json"), "utf8"));
        const data = fs.readFileSync(path.join(FACE_API_MODEL_DIR, manifest[0].paths[0]));
        const decoded = tf.io.decodeWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.length), manifest[0].weights);
        const floats = Object.entries(decoded).filter(([, t]) => t.dtype === "float32");
        assert.strictEqual(weights.size, floats.length);
        for (const [name, tensor] of floats) {
            assert.deepStrictEqual(weights.get(name)?.shape, tensor.shape, name);
            assert.deepStrictEqual(weights.get(name)?.values, tensor.dataSync(), name);
        }
        tf.dispose(Object.values(decoded));
    });

    it("name what is missing when a weights file is cut short", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weights-"));
        try {
            for (const file of fs.readdirSync(FACE_API_MODEL_DIR).filter((f) => f.startsWith("ssd_mobilenetv1_model"))) {
                const bytes = fs.readFileSync(path.join(FACE_API_MODEL_DIR, file));
                fs.writeFileSync(path.join(dir, file), file.endsWith(".bin") ? bytes.subarray(0, 1000) : bytes);
            }
            assert.throws(() => loadFaceApiWeights(dir), /ssd_mobilenetv1_model: weight .+ runs past the end of the weights file\./);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the SSD graph's weight layouts", () => {
    it("moves TensorFlow's [h, w, in, out] filters to ONNX's [out, in, h, w]", () => {
        // h=1, w=2, in=2, out=3; each value is its own TensorFlow index, so where it lands shows.
        const tfValues = Float32Array.from({ length: 12 }, (_, i) => i);
        const { shape, values } = toOihw({ shape: [1, 2, 2, 3], values: tfValues });
        assert.deepStrictEqual(shape, [3, 2, 1, 2]);
        // ONNX [o][i][0][w] = TF [0][w][i][o] = (w·2 + i)·3 + o
        const expected: number[] = [];
        for (let o = 0; o < 3; o++) {
            for (let i = 0; i < 2; i++) {
                for (let w = 0; w < 2; w++) {
                    expected.push((w * 2 + i) * 3 + o);
                }
            }
        }
        assert.deepStrictEqual(Array.from(values), expected);
    });

    it("folds a batch norm into a depthwise filter and bias", () => {
        const w = (values: number[], shape = [values.length]) => ({ shape, values: Float32Array.from(values) });
        // 1×1 filter, two channels: x·f → (x·f − mean)·γ/√(var+ε) + β
        const { filter, bias } = foldDepthwise(w([2, 3], [1, 1, 2, 1]), w([1, 2]), w([0.5, -1]), w([1, 4]), w([0.999, 3.999]));
        assert.deepStrictEqual(filter.shape, [2, 1, 1, 1]);
        const scale = [1 / Math.sqrt(0.999 + 0.0010000000474974513), 2 / Math.sqrt(3.999 + 0.0010000000474974513)];
        assert.deepStrictEqual(Array.from(filter.values), [Math.fround(2 * scale[0]), Math.fround(3 * scale[1])]);
        assert.deepStrictEqual(Array.from(bias), [Math.fround(0.5 - 1 * scale[0]), Math.fround(-1 - 4 * scale[1])]);
    });

    it("names a weight that is not there", () => {
        const weights = new Map(loadFaceApiWeights());
        weights.delete("MobilenetV1/Conv2d_7_depthwise/BatchNorm/gamma");
        assert.throws(() => buildSsdModel(weights), { message: "SSD MobileNet v1 weights have no MobilenetV1/Conv2d_7_depthwise/BatchNorm/gamma." });
    });
});

describe("SSD decoding and non-max suppression", () => {
    // Two anchors at the same place and one elsewhere; encodings of zero leave an anchor as it is.
    const anchors = Float32Array.of(0.1, 0.1, 0.3, 0.3, 0.1, 0.1, 0.3, 0.3, 0.6, 0.6, 0.8, 0.9);
    const zero = new Float32Array(12);
    const logit = (p: number) => Math.log(p / (1 - p));
    const logits = (...scores: number[]) => Float32Array.from(scores.flatMap((s) => [0, logit(s), 0]));

    it("keeps the higher of two overlapping boxes and a box elsewhere", () => {
        const boxes = decodeDetections(zero, logits(0.7, 0.9, 0.6), anchors, 0.5, 10);
        assert.deepStrictEqual(boxes.map((b) => Math.round(b.score * 100)), [90, 60]);
        const [first, second] = boxes;
        const corners = (b: ScoredBox) => [b.y, b.x, b.y + b.height, b.x + b.width];
        assert.deepStrictEqual(corners(first).map((v) => Math.round(v * 100)), [10, 10, 30, 30]);
        assert.deepStrictEqual(corners(second).map((v) => Math.round(v * 100)), [60, 60, 80, 90]);
    });

    it("drops scores at or below the threshold, as face-api does", () => {
        assert.deepStrictEqual(decodeDetections(zero, logits(0.5, 0.4, 0.3), anchors, 0.5, 10), []);
    });

    it("stops at the most results asked for, best first", () => {
        assert.deepStrictEqual(decodeDetections(zero, logits(0.95, 0.1, 0.99), anchors, 0.5, 1).map((b) => Math.round(b.score * 100)), [99]);
    });

    it("moves and scales an anchor by its encoding", () => {
        // ty = 10 shifts the centre by one anchor height; tw = 5·ln 2 doubles the width.
        const encodings = Float32Array.of(10, 0, 0, 5 * Math.LN2, 0, 0, 0, 0, 0, 0, 0, 0);
        const [box] = decodeDetections(encodings, logits(0.9, 0.1, 0.1), anchors, 0.5, 10);
        assert.deepStrictEqual([box.y, box.x, box.y + box.height, box.x + box.width].map((v) => Math.round(v * 100) || 0), [30, 0, 50, 40]);
    });

    const overlaps: [string, number[], number[], number][] = [
        ["identical", [0, 0, 1, 1], [0, 0, 1, 1], 1],
        ["half over", [0, 0, 1, 1], [0, 0.5, 1, 1.5], 1 / 3],
        ["apart", [0, 0, 1, 1], [2, 2, 3, 3], 0],
        ["degenerate", [0, 0, 0, 1], [0, 0, 1, 1], 0],
    ];
    for (const [name, a, b, expected] of overlaps) {
        it(`intersection over union: ${name}`, () => {
            const box = ([top, left, bottom, right]: number[]) => ({ x: left, y: top, width: right - left, height: bottom - top });
            assert.strictEqual(iou(box(a), box(b)), expected);
        });
    }
});

describe("the model's letterboxed input", () => {
    it("puts the image, longer side 512, at the top left and the rest black", async () => {
        // 1024×256 white: 512×128 of white on top, black below.
        const white = { rgb: Buffer.alloc(1024 * 256 * 3, 255), width: 1024, height: 256 };
        const { rgb, scale } = await letterbox(white);
        assert.strictEqual(rgb.length, MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3);
        assert.strictEqual(scale, 2);
        const at = (x: number, y: number) => rgb[(y * MODEL_INPUT_SIZE + x) * 3];
        assert.deepStrictEqual([at(0, 0), at(511, 127), at(0, 128), at(511, 511)], [255, 255, 0, 0]);
    });

    it("enlarges a small image to fill the square's width or height", async () => {
        const png = await sharp({ create: { width: 100, height: 200, channels: 3, background: "#fff" } }).raw().toBuffer();
        const { rgb, scale } = await letterbox({ rgb: png, width: 100, height: 200 });
        assert.strictEqual(scale, 100 / 256);
        const at = (x: number, y: number) => rgb[(y * MODEL_INPUT_SIZE + x) * 3];
        assert.deepStrictEqual([at(255, 511), at(256, 0)], [255, 0]);
    });
});

describe("SSD anchors for any input size", () => {
    const shipped = loadFaceApiWeights().get("Output/extra_dim")!.values;
    const layers = anchorLayers(shipped);

    it("reproduce face-api's shipped anchors for its 512×512 input", () => {
        const laid = anchorsFor(layers, SHIPPED_INPUT, SHIPPED_INPUT);
        assert.strictEqual(laid.length, shipped.length);
        const worst = laid.reduce((max, value, i) => Math.max(max, Math.abs(value - shipped[i])), 0);
        assert.ok(worst < 1e-6, `largest difference ${worst}`);
    });

    it("lay the same boxes on every cell of a larger, non-square input, layer by layer, row by row", () => {
        const [height, width] = [640, 1088];
        const laid = anchorsFor(layers, height, width);
        const cells = LAYER_STRIDES.map((stride) => Math.ceil(height / stride) * Math.ceil(width / stride));
        assert.strictEqual(laid.length, 4 * cells.reduce((sum, count, i) => sum + count * BOXES_PER_CELL[i], 0));
        // The first layer's 51-px box on the last cell of its first row and on the first cell of its second row.
        const box = (index: number) => Array.from(laid.subarray(4 * index, 4 * index + 4));
        const columns = Math.ceil(width / 16);
        const centred = (cy: number, cx: number, side: number) => [(cy - side / 2) / height, (cx - side / 2) / width, (cy + side / 2) / height, (cx + side / 2) / width];
        const side = layers[0].boxes[0][2] - layers[0].boxes[0][0];
        for (const [actual, expected] of [[box(3 * (columns - 1)), centred(8, width - 8, side)], [box(3 * columns), centred(24, 8, side)]]) {
            actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-6, `${actual} vs ${expected}`));
        }
    });
});

describe("the first feature map's model (the fine passes')", () => {
    const weights = loadFaceApiWeights();
    const outputs = async (firstFeatureMapOnly: boolean, rgb: Uint8Array, height: number, width: number) => {
        const model = buildSsdModel(weights, { firstFeatureMapOnly });
        const session = await ort.InferenceSession.create(model.onnx);
        const result = await session.run({ [SSD_INPUT]: new ort.Tensor("uint8", rgb, [1, height, width, 3]) });
        return { model, boxes: result[SSD_BOX_ENCODINGS].data as Float32Array, logits: result[SSD_CLASS_LOGITS].data as Float32Array };
    };

    it("predicts exactly the full model's first-map anchors, and only those", async () => {
        const [height, width] = [256, 384];
        const rgb = Uint8Array.from({ length: height * width * 3 }, (_, i) => (i * 7919) % 251);
        const [full, first] = [await outputs(false, rgb, height, width), await outputs(true, rgb, height, width)];
        assert.deepStrictEqual(first.model.anchorLayers, full.model.anchorLayers.slice(0, 1));
        const anchors = (height / 16) * (width / 16) * BOXES_PER_CELL[0];
        assert.strictEqual(first.boxes.length, anchors * 4);
        assert.strictEqual(first.logits.length, anchors * 3);
        assert.ok(full.boxes.length > first.boxes.length);
        const worst = (a: Float32Array, b: Float32Array) => a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i])), 0);
        assert.ok(worst(first.boxes, full.boxes.subarray(0, anchors * 4)) < 1e-4);
        assert.ok(worst(first.logits, full.logits.subarray(0, anchors * 3)) < 1e-4);
    });
});
