/**
 * Which engine runs the model, in what arithmetic: the engines installed, the CPU's 8-bit kernels,
 * and loading the detector they make. The server's configuration and the bench both ask here.
 */
import * as fs from "fs";
import { ENV } from "@crowd-emotions/face-detection-contract";
import { Detector, Engine, FaceModel, Precision } from "./detector";

/**
 * Whether an engine's runtime is installed. The reference engine's TensorFlow.js packages are
 * development dependencies: the image leaves them out (88 MB) and runs ONNX only.
 */
export function engineInstalled(engine: Engine): boolean {
    if (engine === "onnx") {
        return true;
    }
    try {
        require.resolve("@tensorflow/tfjs");
        require.resolve("@tensorflow/tfjs-backend-wasm");
        return true;
    } catch {
        return false;
    }
}

/** `DETECTOR_PRECISION`'s values: `auto` picks int8 where the CPU has fast 8-bit kernels. */
export const PRECISION_SETTINGS = ["auto", "int8", "fp32"] as const;
export type PrecisionSetting = (typeof PRECISION_SETTINGS)[number];

/** What is wrong with a `DETECTOR_PRECISION` value, if anything. */
export function precisionSettingProblem(value: string): string | undefined {
    return (PRECISION_SETTINGS as readonly string[]).includes(value)
        ? undefined
        : `${ENV.precision} must be one of ${PRECISION_SETTINGS.join(", ")}, got "${value}".`;
}

/**
 * The CPU's 8-bit dot products, which ONNX Runtime's int8 convolutions use: `vnni` (AVX-512 VNNI
 * or AVX-VNNI, 32-bit sums), `avx2` (AVX2 or AVX-512 without VNNI: pairs of products summed in 16
 * bits by VPMADDUBSW, which can saturate), or `none`. Measured on one thread (a tile of about 1.2
 * MP, fp32 → int8): VNNI 379 → 111 ms; AVX2 without VNNI 432 → 239 ms, with the crowd set's recall
 * within a face of fp32's in every row and a worker's peak memory 974 → 526 MB. So `auto` runs
 * int8 on both and fp32 only where neither shows (a CPU before AVX2, or no /proc/cpuinfo).
 */
export type Int8Support = "vnni" | "avx2" | "none";

export function cpuInt8Support(cpuinfo = readCpuinfo()): Int8Support {
    const flags = new Set(/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1].trim().split(/\s+/) ?? []);
    if (flags.has("avx512_vnni") || flags.has("avx_vnni")) {
        return "vnni";
    }
    return flags.has("avx2") ? "avx2" : "none";
}

/** What `DETECTOR_PRECISION` (already validated) runs on this CPU. */
export function resolvePrecision(setting: PrecisionSetting, int8Support = cpuInt8Support): Precision {
    if (setting !== "auto") {
        return setting;
    }
    return int8Support() === "none" ? "fp32" : "int8";
}

function readCpuinfo(): string {
    try {
        return fs.readFileSync("/proc/cpuinfo", "utf8");
    } catch {
        return "";
    }
}

/**
 * The ONNX model alone, without the passes (the bench's scale sweep runs it): loaded on demand, as
 * the detector is, so that importing this room loads no runtime.
 */
export async function loadModelRun(...args: Parameters<typeof import("./onnxDetector").loadModelRun>): ReturnType<typeof import("./onnxDetector").loadModelRun> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
    const { loadModelRun: load } = require("./onnxDetector") as typeof import("./onnxDetector");
    return load(...args);
}

export interface LoadDetectorOptions {
    /** @default "onnx" */
    readonly engine?: Engine;
    /** @default "ssd" */
    readonly model?: FaceModel;
    /** Threads for one inference (ONNX only). @default 1 */
    readonly threads?: number;
    /** Arithmetic of the ONNX engine's convolutions. @default "fp32" */
    readonly precision?: Precision;
}

/** Loads the SSD MobileNet v1 face model shipped inside @vladmandic/face-api: nothing is downloaded. */
export async function loadDetector(options: LoadDetectorOptions = {}): Promise<Detector> {
    // Required on demand, so that a worker loads one runtime, not both.
    if (options.engine === "tfjs") {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
        const { loadTfjsDetector } = require("./tfjsDetector") as typeof import("./tfjsDetector");
        return loadTfjsDetector();
    }
    if (options.model === "blazeface") {
        // fp32 always: its ReLU activations have no fixed range, and a graph quantised per tensor
        // to calibrated ranges was slower and less accurate (docs/benchmarks.md, faster detector).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
        const { loadBlazefaceDetector } = require("./blazeface") as typeof import("./blazeface");
        return loadBlazefaceDetector({ threads: options.threads ?? 1 });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
    const { loadOnnxDetector } = require("./onnxDetector") as typeof import("./onnxDetector");
    return loadOnnxDetector({ threads: options.threads ?? 1, int8: options.precision === "int8" });
}
