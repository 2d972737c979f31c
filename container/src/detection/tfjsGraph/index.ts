/** TensorFlow.js graph models read without TensorFlow.js, and written as ONNX graphs. */
export { intsAttr, readGraphModel, stringAttr, stringsAttr } from "./read";
export type { Constant, GraphModel, GraphNode } from "./read";
export { convertGraphModel } from "./convert";
export type { ConvertOptions } from "./convert";
