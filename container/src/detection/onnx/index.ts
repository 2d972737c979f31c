/**
 * Writing ONNX models: the graph's types and the protobuf encoding of a model, nothing specific to
 * any network. The SSD graph (../ssd) is built with it.
 */
export { DataType, encodeModel, OPSET } from "./model";
export type { Attribute, Graph, Node, Tensor, ValueInfo } from "./model";
export { encodeVarint, MessageWriter } from "./protobuf";
