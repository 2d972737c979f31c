import * as os from "os";
import { cpuInt8Support, Engine, engineInstalled, ENGINES, FaceModel, MODELS, Precision, PrecisionSetting, precisionSettingProblem, resolvePrecision } from "./detection";
import {
    CROP_OUTPUTS, describeRange, DETECTOR_TUNING, DetectorTuning, DetectorSettings, ENV, isCropOutput, isInRange, NumericSetting, SETTINGS, UNSET_CROP_OUTPUT, validatePrefix,
} from "@crowd-emotions/face-detection-contract";

/** The server's configuration, read from the environment once at start. */
export interface Config extends DetectorSettings {
    readonly engine: Engine;
    readonly model: FaceModel;
    /** The ONNX engine's arithmetic, `auto` resolved for this CPU. */
    readonly precision: Precision;
    readonly workers: number;
    /** Threads each worker's inference may use: the CPUs shared out among the workers. */
    readonly inferenceThreads: number;
    readonly port: number;
}

/** Thrown with every bad variable at once, so one restart fixes them all. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
        this.name = "ConfigError";
    }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function loadConfig(env: NodeJS.ProcessEnv, cpuCount = os.availableParallelism(), installed = engineInstalled, int8Support = cpuInt8Support): Config {
    const problems: string[] = [];
    const number = (name: string, setting: NumericSetting, fallback: number): number => {
        const raw = env[name];
        if (raw === undefined) {
            return fallback;
        }
        const value = raw.trim() === "" ? NaN : Number(raw);
        if (!isInRange(value, setting)) {
            problems.push(`${name} must be ${describeRange(setting)}, got "${raw}".`);
        }
        return value;
    };

    const cropsBucket = env[ENV.cropsBucket] ?? "";
    if (cropsBucket === "") {
        problems.push(`${ENV.cropsBucket} is required: the S3 bucket that receives the face crops.`);
    } else if (!BUCKET_NAME.test(cropsBucket)) {
        problems.push(`${ENV.cropsBucket} must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got "${cropsBucket}".`);
    }
    const cropsPrefix = env[ENV.cropsPrefix] ?? "crops/";
    const prefixProblem = validatePrefix(cropsPrefix);
    if (prefixProblem) {
        problems.push(`${ENV.cropsPrefix} ${prefixProblem}, got "${cropsPrefix}".`);
    }
    const kmsKeyId = env[ENV.kmsKeyId]?.trim() || undefined;
    const engine = env[ENV.engine] ?? "onnx";
    if (!isEngine(engine)) {
        problems.push(`${ENV.engine} must be one of ${ENGINES.join(", ")}, got "${engine}".`);
    } else if (!installed(engine)) {
        problems.push(`${ENV.engine}=${engine} needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm, development dependencies that the image leaves out; use onnx.`);
    }
    const model = env[ENV.model] ?? "ssd";
    if (!(MODELS as readonly string[]).includes(model)) {
        problems.push(`${ENV.model} must be one of ${MODELS.join(", ")}, got "${model}".`);
    } else if (model !== "ssd" && engine === "tfjs") {
        problems.push(`${ENV.model}=${model} runs on the onnx engine only; the reference engine (${ENV.engine}=tfjs) runs ssd.`);
    }
    const precision = env[ENV.precision] ?? "auto";
    const precisionProblem = precisionSettingProblem(precision);
    if (precisionProblem) {
        problems.push(precisionProblem);
    }
    const cropOutput = env[ENV.cropOutput] ?? UNSET_CROP_OUTPUT;
    if (!isCropOutput(cropOutput)) {
        problems.push(`${ENV.cropOutput} must be one of ${CROP_OUTPUTS.join(", ")}, got "${cropOutput}".`);
    }
    const tuning = Object.fromEntries(DETECTOR_TUNING.map((name) => [name, number(ENV[name], SETTINGS[name], SETTINGS[name].default)])) as Record<DetectorTuning, number>;
    const cpus = Math.max(cpuCount, 1);
    const workers = number(ENV.workers, SETTINGS.workers, Math.min(cpus, SETTINGS.workers.max));

    const config: Config = {
        cropsBucket,
        cropsPrefix,
        kmsKeyId,
        ...tuning,
        cropOutput: cropOutput as Config["cropOutput"],
        engine: engine as Engine,
        model: model as FaceModel,
        precision: resolvePrecision(precision as PrecisionSetting, int8Support),
        workers,
        inferenceThreads: Math.max(1, Math.floor(cpus / workers)),
        port: number(ENV.port, SETTINGS.port, SETTINGS.port.default),
    };
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return config;
}

function isEngine(value: string): value is Engine {
    return (ENGINES as readonly string[]).includes(value);
}
