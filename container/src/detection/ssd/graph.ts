/**
 * face-api's SSD MobileNet v1 face detector written out as an ONNX graph, so that a native runtime
 * runs it. The same layers, weights and strides as face-api's TensorFlow.js code (mobileNetV1.ts,
 * predictionLayer.ts): each batch norm is folded into its convolution and each ReLU6 is a Clip,
 * which ONNX Runtime fuses into the convolution. Box decoding and non-max suppression stay in
 * JavaScript (see ssdDecode.ts): they only look at the few boxes that pass the score threshold.
 */
import { DataType, encodeModel, Graph, Node, Tensor } from "../onnx";
import { AnchorLayer, anchorLayers } from "./anchors";
import { Weight } from "./weights";

/**
 * The network's input: RGB images of any height and width (a batch of them), uint8, NHWC. face-api
 * feeds it a 512×512 letterbox; the crowd passes feed it larger tiles (see ssdAnchors.ts).
 */
export const SSD_INPUT = "image";
/** Per anchor: the box encoding (ty, tx, th, tw) and the logits of (background, face, unused). */
export const SSD_BOX_ENCODINGS = "box_encodings";
export const SSD_CLASS_LOGITS = "class_logits";

/** face-api's batch-norm epsilon (mobileNetV1.ts). */
const EPSILON = 0.0010000000474974513;
/** Layers of the MobileNet whose depthwise convolution has stride 2. */
const STRIDE_2_LAYERS = [2, 4, 6, 12];

export interface SsdModel {
    /** The ONNX `ModelProto`, ready for `InferenceSession.create`. */
    readonly onnx: Uint8Array;
    /** The anchor boxes on each feature map, to lay out for an input's size with `anchorsFor`. */
    readonly anchorLayers: readonly AnchorLayer[];
}

export interface SsdModelOptions {
    /**
     * 8-bit integer convolutions (QDQ form, which ONNX Runtime fuses into QLinearConv): weights
     * per output channel, activations with ReLU6's fixed range, so no calibration is needed.
     * Faster on CPUs with AVX2 or VNNI (see cpuInt8Support in config.ts). @default false
     */
    readonly int8?: boolean;
    /**
     * Only the first feature map's predictions (conv11, stride 16, anchors of 51 px and 72×145 px):
     * the network stops after conv11, without conv12–13, the extra layers and the five other
     * predictors. The fine passes keep faces of 36–90 px of their input, which the larger anchors
     * (from 179 px) don't predict; a 1088×1152 tile runs a fifth (fp32) to a quarter (int8) faster.
     * @default false
     */
    readonly firstFeatureMapOnly?: boolean;
}

/** Builds the ONNX model from face-api's weights (see faceApiWeights.ts). */
export function buildSsdModel(weights: ReadonlyMap<string, Weight>, options: SsdModelOptions = {}): SsdModel {
    const get = (name: string): Weight => {
        const weight = weights.get(name);
        if (!weight) {
            throw new Error(`SSD MobileNet v1 weights have no ${name}.`);
        }
        return weight;
    };
    const graph = new GraphBuilder(options.int8 ?? false);

    const pixels = graph.node("Cast", [SSD_INPUT], { to: DataType.Float });
    const scaled = graph.node("Sub", [graph.node("Div", [pixels, graph.scalar("half_range", 127.5)]), graph.scalar("one", 1)]);
    // Pixels in [-1, 1]: 8 bits hold them exactly as face-api's uint8 input gives them.
    let out = graph.quantized(graph.node("Transpose", [scaled], { perm: [0, 3, 1, 2] }), 2 / 255, 128);

    const pointwise = (x: string, prefix: string, strides: number) =>
        graph.relu6(graph.conv(x, prefix, toOihw(get(`${prefix}/weights`)), get(`${prefix}/convolution_bn_offset`).values, strides, 1));

    out = pointwise(out, "MobilenetV1/Conv2d_0_pointwise", 2);
    let conv11 = out;
    const lastLayer = options.firstFeatureMapOnly ? 11 : 13;
    for (let layer = 1; layer <= lastLayer; layer++) {
        const prefix = `MobilenetV1/Conv2d_${layer}_depthwise`;
        const folded = foldDepthwise(
            get(`${prefix}/depthwise_weights`), get(`${prefix}/BatchNorm/gamma`), get(`${prefix}/BatchNorm/beta`),
            get(`${prefix}/BatchNorm/moving_mean`), get(`${prefix}/BatchNorm/moving_variance`),
        );
        const channels = folded.filter.shape[0];
        out = graph.relu6(graph.conv(out, prefix, folded.filter, folded.bias, STRIDE_2_LAYERS.includes(layer) ? 2 : 1, channels));
        out = pointwise(out, `MobilenetV1/Conv2d_${layer}_pointwise`, 1);
        if (layer === 11) {
            conv11 = out;
        }
    }

    // The feature maps the box predictors read, in face-api's order: conv11, conv13, then every
    // second of the extra feature layers, each of which halves the map.
    const sources = [conv11];
    if (!options.firstFeatureMapOnly) {
        const extra: string[] = [];
        for (let layer = 0; layer < 8; layer++) {
            extra.push(pointwise(extra[layer - 1] ?? out, `Prediction/Conv2d_${layer}_pointwise`, layer % 2 === 1 ? 2 : 1));
        }
        sources.push(out, extra[1], extra[3], extra[5], extra[7]);
    }
    const predict = (kind: "BoxEncodingPredictor" | "ClassPredictor", perAnchor: number) => graph.node("Concat", sources.map((source, i) => {
        const prefix = `Prediction/BoxPredictor_${i}/${kind}`;
        const conv = graph.conv(source, prefix, toOihw(get(`${prefix}/weights`)), get(`${prefix}/biases`).values, 1, 1);
        // NCHW back to TensorFlow's NHWC before flattening, so anchors come out in face-api's order.
        return graph.node("Reshape", [graph.node("Transpose", [conv], { perm: [0, 2, 3, 1] }), graph.int64s(`${prefix}/shape`, [0, -1, perAnchor])]);
    }), { axis: 1 });
    graph.alias(predict("BoxEncodingPredictor", 4), SSD_BOX_ENCODINGS);
    graph.alias(predict("ClassPredictor", 3), SSD_CLASS_LOGITS);

    const anchors = get("Output/extra_dim");
    const onnx = encodeModel(graph.build({
        inputs: [{ name: SSD_INPUT, dataType: DataType.Uint8, dims: ["batch", "height", "width", 3] }],
        outputs: [
            { name: SSD_BOX_ENCODINGS, dataType: DataType.Float, dims: ["batch", "anchors", 4] },
            { name: SSD_CLASS_LOGITS, dataType: DataType.Float, dims: ["batch", "anchors", 3] },
        ],
    }), "face-detector");
    return { onnx, anchorLayers: anchorLayers(anchors.values).slice(0, sources.length) };
}

interface Filter {
    /** [out, in / group, height, width], ONNX's layout. */
    readonly shape: readonly [number, number, number, number];
    readonly values: Float32Array;
}

/** TensorFlow's [height, width, in, out] filter in ONNX's [out, in, height, width]. */
export function toOihw(weight: Weight): Filter {
    const [height, width, inputs, outputs] = weight.shape;
    const values = new Float32Array(weight.values.length);
    for (let h = 0; h < height; h++) {
        for (let w = 0; w < width; w++) {
            for (let i = 0; i < inputs; i++) {
                for (let o = 0; o < outputs; o++) {
                    values[((o * inputs + i) * height + h) * width + w] = weight.values[((h * width + w) * inputs + i) * outputs + o];
                }
            }
        }
    }
    return { shape: [outputs, inputs, height, width], values };
}

/**
 * A depthwise filter ([height, width, channels, 1]) with its batch norm folded in:
 * (x − mean) · γ / √(var + ε) + β becomes a filter scaled per channel and a bias.
 */
export function foldDepthwise(filter: Weight, gamma: Weight, beta: Weight, mean: Weight, variance: Weight): { filter: Filter; bias: Float32Array } {
    const [height, width, channels] = filter.shape;
    const scale = gamma.values.map((g, c) => g / Math.sqrt(variance.values[c] + EPSILON));
    const values = new Float32Array(filter.values.length);
    for (let c = 0; c < channels; c++) {
        for (let h = 0; h < height; h++) {
            for (let w = 0; w < width; w++) {
                values[(c * height + h) * width + w] = filter.values[(h * width + w) * channels + c] * scale[c];
            }
        }
    }
    const bias = beta.values.map((b, c) => b - mean.values[c] * scale[c]);
    return { filter: { shape: [channels, 1, height, width], values }, bias };
}

/** Collects nodes and initializers, naming intermediate values. */
class GraphBuilder {
    private readonly nodes: Node[] = [];
    private readonly initializers: Tensor[] = [];
    /** int8: the scale of each value that comes out of a DequantizeLinear. */
    private readonly scales = new Map<string, number>();

    constructor(private readonly int8: boolean) {}

    node(opType: string, inputs: readonly string[], attributes?: Node["attributes"]): string {
        const output = `${opType.toLowerCase()}_${this.nodes.length}`;
        this.nodes.push({ opType, inputs, outputs: [output], attributes });
        return output;
    }

    /** Convolution with TensorFlow's "same" padding (the extra row and column at the end). */
    conv(x: string, name: string, filter: Filter, bias: Float32Array, strides: number, group: number): string {
        const [, , height, width] = filter.shape;
        const inputScale = this.scales.get(x);
        const [filterValue, biasValue] = this.int8 && inputScale !== undefined
            ? this.int8Weights(name, filter, bias, inputScale)
            : [this.tensor({ name: `${name}/filter`, dataType: DataType.Float, dims: filter.shape, data: filter.values }),
                this.tensor({ name: `${name}/bias`, dataType: DataType.Float, dims: [bias.length], data: bias })];
        return this.node("Conv", [x, filterValue, biasValue], {
            kernel_shape: [height, width], strides: [strides, strides], auto_pad: "SAME_UPPER", group,
        });
    }

    relu6(x: string): string {
        // ReLU6's output fits 8 bits over [0, 6] with no calibration; ONNX Runtime then drops the Clip.
        return this.quantized(this.node("Clip", [x, this.scalar("zero", 0), this.scalar("six", 6)]), 6 / 255, 0);
    }

    /** int8: `x` through QuantizeLinear and DequantizeLinear at `scale`; unchanged otherwise. */
    quantized(x: string, scale: number, zeroPoint: number): string {
        if (!this.int8) {
            return x;
        }
        const scaleName = this.scalar(`scale_${scale}`, scale);
        const zeroName = this.tensor({ name: `zero_point_${zeroPoint}`, dataType: DataType.Uint8, dims: [], data: Uint8Array.of(zeroPoint) });
        const out = this.node("DequantizeLinear", [this.node("QuantizeLinear", [x, scaleName, zeroName]), scaleName, zeroName]);
        this.scales.set(out, scale);
        return out;
    }

    /** Weights symmetric per output channel in int8, the bias in int32 at input scale × weight scale. */
    private int8Weights(name: string, filter: Filter, bias: Float32Array, inputScale: number): [string, string] {
        const outputs = filter.shape[0];
        const perChannel = filter.values.length / outputs;
        const weightScales = new Float32Array(outputs);
        const weights = new Int8Array(filter.values.length);
        const biases = new Int32Array(outputs);
        for (let o = 0; o < outputs; o++) {
            const values = filter.values.subarray(o * perChannel, (o + 1) * perChannel);
            const scale = Math.max(...values.map(Math.abs)) / 127 || 1;
            weightScales[o] = scale;
            values.forEach((v, i) => { weights[o * perChannel + i] = Math.round(v / scale); });
            biases[o] = Math.round(bias[o] / (inputScale * weightScales[o]));
        }
        const dequantize = (tensor: string, scales: Float32Array, zeroPoint: Tensor) => this.node("DequantizeLinear", [
            tensor, this.tensor({ name: `${tensor}_scale`, dataType: DataType.Float, dims: [outputs], data: scales }), this.tensor(zeroPoint),
        ], { axis: 0 });
        const filterValue = dequantize(
            this.tensor({ name: `${name}/filter_int8`, dataType: DataType.Int8, dims: filter.shape, data: weights }),
            weightScales, { name: `${name}/filter_zero`, dataType: DataType.Int8, dims: [outputs], data: new Int8Array(outputs) },
        );
        const biasValue = dequantize(
            this.tensor({ name: `${name}/bias_int32`, dataType: DataType.Int32, dims: [outputs], data: biases }),
            weightScales.map((s) => s * inputScale), { name: `${name}/bias_zero`, dataType: DataType.Int32, dims: [outputs], data: new Int32Array(outputs) },
        );
        return [filterValue, biasValue];
    }

    tensor(tensor: Tensor): string {
        if (!this.initializers.some((t) => t.name === tensor.name)) {
            this.initializers.push(tensor);
        }
        return tensor.name;
    }

    scalar(name: string, value: number): string {
        return this.tensor({ name, dataType: DataType.Float, dims: [], data: Float32Array.of(value) });
    }

    int64s(name: string, values: readonly number[]): string {
        this.initializers.push({ name, dataType: DataType.Int64, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
        return name;
    }

    /** Names a value as a graph output. */
    alias(value: string, name: string): void {
        this.nodes.push({ opType: "Identity", inputs: [value], outputs: [name] });
    }

    build(io: Pick<Graph, "inputs" | "outputs">): Graph {
        return { name: "ssd_mobilenetv1_face", nodes: this.nodes, initializers: this.initializers, ...io };
    }
}
