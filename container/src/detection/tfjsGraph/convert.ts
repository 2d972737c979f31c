/**
 * A TensorFlow.js graph model written as an ONNX graph, for the convolutional detectors whose ops
 * it uses: (fused) convolutions, depthwise convolutions, additions, ReLU, max pooling, padding,
 * reshapes, concatenation. Tensors run in ONNX's NCHW; the input is the detector's uint8 NHWC image,
 * scaled to [-1, 1] as the model was trained; a tensor is turned back to NHWC before it is
 * flattened, so that outputs come out in TensorFlow's order. Any other op stops the conversion,
 * named.
 */
import { DataType, Graph, Node, Tensor } from "../onnx";
import { Constant, GraphModel, GraphNode, intsAttr, stringAttr, stringsAttr } from "./read";

export interface ConvertOptions {
    /** The graph's image input (a Placeholder). */
    readonly input: string;
    /** Graph nodes to expose, by the output names to give them. */
    readonly outputs: Readonly<Record<string, string>>;
    /** The ONNX input's name. */
    readonly inputName: string;
    /**
     * Reshapes flatten whatever size the input has (the batch kept, the anchors `-1`): a fully
     * convolutional graph exported at one size then runs at any.
     */
    readonly anySize?: boolean;
}

/** A value in the ONNX graph, and whether it is a 4-D tensor held in NCHW. */
interface Value {
    readonly name: string;
    readonly nchw: boolean;
}

export function convertGraphModel(model: GraphModel, options: ConvertOptions): Graph {
    const byName = new Map(model.nodes.map((node) => [node.name, node]));
    const nodes: Node[] = [];
    const initializers: Tensor[] = [];
    const values = new Map<string, Value>();
    let counter = 0;
    const emit = (opType: string, inputs: string[], attributes?: Node["attributes"]): string => {
        const output = `${opType.toLowerCase()}_${counter++}`;
        nodes.push({ opType, inputs, outputs: [output], attributes });
        return output;
    };
    const initializer = (tensor: Tensor): string => {
        if (!initializers.some((known) => known.name === tensor.name)) {
            initializers.push(tensor);
        }
        return tensor.name;
    };
    const constant = (name: string): Constant => {
        const found = model.constants.get(name.split(":")[0]);
        if (!found) {
            throw new Error(`The graph has no constant ${name}.`);
        }
        return found;
    };
    const int64s = (name: string, list: readonly number[]) => initializer({ name, dataType: DataType.Int64, dims: [list.length], data: BigInt64Array.from(list.map(BigInt)) });
    const scalar = (name: string, value: number) => initializer({ name, dataType: DataType.Float, dims: [], data: Float32Array.of(value) });


    // The input: uint8 NHWC pixels in [-1, 1], in NCHW.
    const pixels = emit("Cast", [options.inputName], { to: DataType.Float });
    const scaled = emit("Sub", [emit("Div", [pixels, scalar("half_range", 127.5)]), scalar("one", 1)]);
    values.set(options.input, { name: emit("Transpose", [scaled], { perm: [0, 3, 1, 2] }), nchw: true });

    const convolution = (node: GraphNode, x: Value, filter: Constant, depthwise: boolean): string => {
        const [height, width, inputs, multiplier] = filter.shape;
        const outputs = depthwise ? inputs * multiplier : multiplier;
        // TensorFlow's [height, width, in, out] (or [height, width, channels, multiplier]) to ONNX's [out, in / group, height, width].
        const values = new Float32Array(filter.values.length);
        for (let h = 0; h < height; h++) {
            for (let w = 0; w < width; w++) {
                for (let i = 0; i < inputs; i++) {
                    for (let m = 0; m < multiplier; m++) {
                        const source = ((h * width + w) * inputs + i) * multiplier + m;
                        const target = depthwise ? (((i * multiplier + m) * height + h) * width + w) : (((m * inputs + i) * height + h) * width + w);
                        values[target] = filter.values[source];
                    }
                }
            }
        }
        const strides = intsAttr(node, "strides");
        const dilations = intsAttr(node, "dilations");
        const padding = stringAttr(node, "padding");
        if (padding !== "SAME" && padding !== "VALID") {
            throw new Error(`${node.name}: padding ${padding} is not converted.`);
        }
        const dims = depthwise ? [outputs, 1, height, width] : [outputs, inputs, height, width];
        const biasValues = biasOf(node);
        const weight = initializer({ name: `${node.name}/filter`, dataType: DataType.Float, dims, data: values });
        const bias = biasValues ? [initializer({ name: `${node.name}/bias`, dataType: DataType.Float, dims: [outputs], data: Float32Array.from(biasValues) })] : [];
        return emit("Conv", [x.name, weight, ...bias], {
            kernel_shape: [height, width], strides: [strides[1] ?? 1, strides[2] ?? 1], dilations: [dilations[1] ?? 1, dilations[2] ?? 1],
            // TensorFlow's SAME puts the extra row and column at the end, as SAME_UPPER does.
            auto_pad: padding === "SAME" ? "SAME_UPPER" : "VALID", group: depthwise ? inputs : 1,
        });
    };
    /** The bias a fused convolution adds, if it adds one. */
    const biasOf = (node: GraphNode): Float32Array | Int32Array | undefined =>
        (node.op === "_FusedConv2D" || node.op === "FusedDepthwiseConv2dNative") && stringsAttr(node, "fused_ops").includes("BiasAdd")
            ? constant((node.input ?? [])[2]).values : undefined;
    const fused = (node: GraphNode, x: string): string => {
        let out = x;
        for (const op of stringsAttr(node, "fused_ops").filter((op) => op !== "BiasAdd")) {
            if (op === "Relu") {
                out = emit("Relu", [out]);
            } else if (op === "Relu6") {
                out = emit("Clip", [out, scalar("zero", 0), scalar("six", 6)]);
            } else {
                throw new Error(`${node.name}: fused op ${op} is not converted.`);
            }
        }
        return out;
    };

    const resolve = (name: string): Value => {
        const key = name.split(":")[0];
        const known = values.get(key);
        if (known) {
            return known;
        }
        const node = byName.get(key);
        if (!node) {
            throw new Error(`The graph has no node ${key}.`);
        }
        const inputs = node.input ?? [];
        const arg = (i: number) => resolve(inputs[i]);
        let value: Value;
        switch (node.op) {
            case "_FusedConv2D":
            case "FusedDepthwiseConv2dNative": {
                const depthwise = node.op === "FusedDepthwiseConv2dNative";
                value = { name: fused(node, convolution(node, arg(0), constant(inputs[1]), depthwise)), nchw: true };
                break;
            }
            case "Conv2D":
            case "DepthwiseConv2dNative":
                value = { name: convolution(node, arg(0), constant(inputs[1]), node.op === "DepthwiseConv2dNative"), nchw: true };
                break;
            case "Add":
            case "AddV2":
                value = { name: emit("Add", [arg(0).name, arg(1).name]), nchw: arg(0).nchw };
                break;
            case "Relu":
                value = { name: emit("Relu", [arg(0).name]), nchw: arg(0).nchw };
                break;
            case "MaxPool": {
                const size = intsAttr(node, "ksize");
                const strides = intsAttr(node, "strides");
                value = {
                    name: emit("MaxPool", [arg(0).name], {
                        kernel_shape: [size[1], size[2]], strides: [strides[1], strides[2]], auto_pad: stringAttr(node, "padding") === "SAME" ? "SAME_UPPER" : "VALID",
                    }),
                    nchw: true,
                };
                break;
            }
            case "Pad": {
                // NHWC paddings [[n0, n1], [h0, h1], [w0, w1], [c0, c1]] → ONNX's NCHW begins, then ends.
                const p = Array.from(constant(inputs[1]).values);
                const pads = int64s(`${node.name}/pads`, [p[0], p[6], p[2], p[4], p[1], p[7], p[3], p[5]]);
                value = { name: emit("Pad", [arg(0).name, pads], { mode: "constant" }), nchw: true };
                break;
            }
            case "Reshape": {
                const x = arg(0);
                const nhwc = x.nchw ? emit("Transpose", [x.name], { perm: [0, 2, 3, 1] }) : x.name;
                // The batch kept as it comes (0 copies the input's dimension): the graph was exported for one image.
                const shape = Array.from(constant(inputs[1]).values);
                const flexible = shape.map((size, i) => (i === 0 && size === 1 ? 0 : options.anySize && i === 1 && shape.length === 3 ? -1 : size));
                value = { name: emit("Reshape", [nhwc, int64s(`${node.name}/shape`, flexible)]), nchw: false };
                break;
            }
            case "ConcatV2": {
                const parts = inputs.slice(0, -1).map((input) => resolve(input));
                let axis = constant(inputs[inputs.length - 1]).values[0];
                if (parts[0].nchw) {
                    axis = [0, 2, 3, 1][axis < 0 ? axis + 4 : axis];
                }
                value = { name: emit("Concat", parts.map((part) => part.name), { axis }), nchw: parts[0].nchw };
                break;
            }
            case "Identity":
                value = arg(0);
                break;
            default:
                throw new Error(`${node.name}: op ${node.op} is not converted.`);
        }
        values.set(key, value);
        return value;
    };

    const outputs = Object.entries(options.outputs).map(([name, source]) => {
        const value = resolve(source);
        nodes.push({ opType: "Identity", inputs: [value.nchw ? emit("Transpose", [value.name], { perm: [0, 2, 3, 1] }) : value.name], outputs: [name] });
        return name;
    });
    return {
        name: "converted", nodes, initializers,
        inputs: [{ name: options.inputName, dataType: DataType.Uint8, dims: ["batch", "height", "width", 3] }],
        outputs: outputs.map((name) => ({ name, dataType: DataType.Float, dims: ["batch", "anchors", "values"] })),
    };
}
