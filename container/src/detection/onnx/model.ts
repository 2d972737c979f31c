/**
 * An ONNX model as plain data, and its encoding into the `ModelProto` bytes that ONNX Runtime
 * loads. Field numbers are those of onnx/onnx.proto; only what the detector's graph uses is here.
 */
import { MessageWriter } from "./protobuf";

/** `TensorProto.DataType` values. */
export const enum DataType {
    Float = 1,
    Uint8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
}

export interface Tensor {
    readonly name: string;
    readonly dataType: DataType;
    readonly dims: readonly number[];
    readonly data: Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;
}

/** Integer, integer list or string attributes: all the detector's operators take. */
export type Attribute = number | readonly number[] | string;

export interface Node {
    readonly opType: string;
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    readonly attributes?: Readonly<Record<string, Attribute>>;
}

/** A graph input or output: fixed sizes, or a named symbolic dimension. */
export interface ValueInfo {
    readonly name: string;
    readonly dataType: DataType;
    readonly dims: readonly (number | string)[];
}

export interface Graph {
    readonly name: string;
    readonly nodes: readonly Node[];
    readonly initializers: readonly Tensor[];
    readonly inputs: readonly ValueInfo[];
    readonly outputs: readonly ValueInfo[];
}

/** IR version 7 is the one that goes with opset 13. */
const IR_VERSION = 7;
export const OPSET = 13;

const enum AttributeType {
    Int = 2,
    String = 3,
    Ints = 7,
}

export function encodeModel(graph: Graph, producer: string): Uint8Array {
    return new MessageWriter()
        .varint(1, IR_VERSION)
        .string(2, producer)
        .message(7, encodeGraph(graph))
        .message(8, new MessageWriter().string(1, "").varint(2, OPSET))
        .encode();
}

function encodeGraph(graph: Graph): MessageWriter {
    const writer = new MessageWriter();
    graph.nodes.forEach((node, i) => writer.message(1, encodeNode(node, `${node.opType}_${i}`)));
    writer.string(2, graph.name);
    graph.initializers.forEach((tensor) => writer.message(5, encodeTensor(tensor)));
    graph.inputs.forEach((value) => writer.message(11, encodeValueInfo(value)));
    graph.outputs.forEach((value) => writer.message(12, encodeValueInfo(value)));
    return writer;
}

function encodeNode(node: Node, name: string): MessageWriter {
    const writer = new MessageWriter();
    node.inputs.forEach((input) => writer.string(1, input));
    node.outputs.forEach((output) => writer.string(2, output));
    writer.string(3, name).string(4, node.opType);
    for (const [key, value] of Object.entries(node.attributes ?? {})) {
        writer.message(5, encodeAttribute(key, value));
    }
    return writer;
}

function encodeAttribute(name: string, value: Attribute): MessageWriter {
    const writer = new MessageWriter().string(1, name);
    if (typeof value === "string") {
        return writer.string(4, value).varint(20, AttributeType.String);
    }
    if (typeof value === "number") {
        return writer.varint(3, value).varint(20, AttributeType.Int);
    }
    return writer.packedVarints(8, value).varint(20, AttributeType.Ints);
}

/** `raw_data` is little-endian, as typed arrays are on every platform the image and Node run on. */
function encodeTensor(tensor: Tensor): MessageWriter {
    const raw = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    return new MessageWriter()
        .packedVarints(1, tensor.dims)
        .varint(2, tensor.dataType)
        .string(8, tensor.name)
        .bytes(9, raw);
}

function encodeValueInfo(value: ValueInfo): MessageWriter {
    const shape = new MessageWriter();
    for (const dim of value.dims) {
        shape.message(1, typeof dim === "number" ? new MessageWriter().varint(1, dim) : new MessageWriter().string(2, dim));
    }
    const tensorType = new MessageWriter().varint(1, value.dataType).message(2, shape);
    return new MessageWriter().string(1, value.name).message(2, new MessageWriter().message(1, tensorType));
}
