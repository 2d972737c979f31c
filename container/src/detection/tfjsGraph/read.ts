/**
 * A TensorFlow.js graph model (`model.json` and its weight files) read without TensorFlow.js: its
 * nodes, and its constants (float weights dequantised as TensorFlow.js does, int32 shapes).
 */
import * as fs from "fs";
import * as path from "path";

export interface GraphNode {
    readonly name: string;
    readonly op: string;
    readonly input?: readonly string[];
    readonly attr?: Readonly<Record<string, { s?: string; i?: string; f?: number; b?: boolean; list?: { i?: string[]; s?: string[] } }>>;
}

export interface Constant {
    readonly shape: readonly number[];
    readonly dtype: "float32" | "int32";
    readonly values: Float32Array | Int32Array;
}

interface ManifestEntry {
    readonly name: string;
    readonly shape: number[];
    readonly dtype: "float32" | "int32";
    readonly quantization?: { readonly scale: number; readonly min: number; readonly dtype: "uint8" };
}

export interface GraphModel {
    readonly nodes: readonly GraphNode[];
    readonly constants: ReadonlyMap<string, Constant>;
}

export function readGraphModel(modelJson: string): GraphModel {
    const json = JSON.parse(fs.readFileSync(modelJson, "utf8")) as {
        modelTopology: { node: GraphNode[] }; weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
    };
    const constants = new Map<string, Constant>();
    for (const group of json.weightsManifest) {
        const data = Buffer.concat(group.paths.map((file) => fs.readFileSync(path.join(path.dirname(modelJson), file))));
        let offset = 0;
        for (const entry of group.weights) {
            const count = entry.shape.reduce((product, size) => product * size, 1);
            if (entry.quantization && entry.quantization.dtype !== "uint8") {
                throw new Error(`${modelJson}: weight ${entry.name} is quantised as ${entry.quantization.dtype}; only uint8 is read.`);
            }
            const bytes = count * (entry.quantization ? 1 : 4);
            if (offset + bytes > data.length) {
                throw new Error(`${modelJson}: weight ${entry.name} runs past the end of its weights file.`);
            }
            const raw = data.subarray(offset, offset + bytes);
            const copy = new Uint8Array(raw).buffer;
            let values: Float32Array | Int32Array;
            if (entry.quantization) {
                const { scale, min } = entry.quantization;
                const floats = new Float32Array(count);
                for (let i = 0; i < count; i++) {
                    floats[i] = raw[i] * scale + min;
                }
                values = entry.dtype === "int32" ? Int32Array.from(floats, Math.round) : floats;
            } else {
                values = entry.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy);
            }
            constants.set(entry.name, { shape: entry.shape, dtype: entry.dtype, values });
            offset += bytes;
        }
    }
    return { nodes: json.modelTopology.node, constants };
}

/** A node's string attribute (base64 in the graph), e.g. `padding` → "SAME". */
export function stringAttr(node: GraphNode, name: string): string | undefined {
    const value = node.attr?.[name]?.s;
    return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
}

/** A node's integer-list attribute, e.g. `strides` → [1, 2, 2, 1]. */
export function intsAttr(node: GraphNode, name: string): number[] {
    return (node.attr?.[name]?.list?.i ?? []).map(Number);
}

/** A node's string-list attribute, e.g. `fused_ops` → ["BiasAdd", "Relu"]. */
export function stringsAttr(node: GraphNode, name: string): string[] {
    return (node.attr?.[name]?.list?.s ?? []).map((value) => Buffer.from(value, "base64").toString("utf8"));
}
