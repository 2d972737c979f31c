import * as assert from "assert";
import { loadConfig } from "../../container/src/config";
import { cpuInt8Support, engineInstalled, Int8Support } from "../../container/src/detection";

describe("container configuration", () => {
    it("applies the contract's defaults, one worker per CPU, and one crop per face where CROP_OUTPUT is not set", () => {
        // Deployments set CROP_OUTPUT (DEFAULT_CROP_OUTPUT, sheets); the image run bare keeps its crops.
        assert.deepStrictEqual(loadConfig({ CROPS_BUCKET: "crops-bucket" }, 2, engineInstalled, () => "none"), {
            cropsBucket: "crops-bucket", cropsPrefix: "crops/", kmsKeyId: undefined,
            minConfidence: 0.5, maxFaces: 100, minFaceSize: 40, cropOutput: "crops", cropMargin: 0.4, minCropSize: 80, jpegQuality: 90,
            engine: "onnx", model: "ssd", precision: "fp32", workers: 2, inferenceThreads: 1, port: 8080,
        });
    });

    it("shares the CPUs out among the workers as inference threads", () => {
        const threads = (cpus: number, workers?: string) =>
            loadConfig({ CROPS_BUCKET: "b-1", ...(workers ? { SAGEMAKER_MODEL_SERVER_WORKERS: workers } : {}) }, cpus).inferenceThreads;
        assert.deepStrictEqual([threads(2), threads(2, "1"), threads(8, "2"), threads(8, "3"), threads(2, "4"), threads(0)], [1, 2, 4, 2, 1, 1]);
    });

    it("reads every variable", () => {
        const config = loadConfig({
            CROPS_BUCKET: "b-1", CROPS_PREFIX: "x/", CROPS_KMS_KEY_ID: "alias/k", MIN_CONFIDENCE: "0.7", MAX_FACES: "3",
            CROP_MARGIN: "0", MIN_CROP_SIZE: "100", JPEG_QUALITY: "75", DETECTOR_ENGINE: "tfjs", SAGEMAKER_MODEL_SERVER_WORKERS: "4",
            SAGEMAKER_BIND_TO_PORT: "9000", MIN_FACE_SIZE: "160", CROP_OUTPUT: "both", DETECTOR_PRECISION: "int8",
        }, 2);
        assert.deepStrictEqual(config, {
            cropsBucket: "b-1", cropsPrefix: "x/", kmsKeyId: "alias/k", minConfidence: 0.7, maxFaces: 3, minFaceSize: 160, cropOutput: "both",
            cropMargin: 0, minCropSize: 100, jpegQuality: 75, engine: "tfjs", model: "ssd", precision: "int8", workers: 4, inferenceThreads: 1, port: 9000,
        });
    });

    it("picks int8 where the CPU has 8-bit kernels, unless told", () => {
        const precision = (support: Int8Support, setting?: string) =>
            loadConfig({ CROPS_BUCKET: "b-1", ...(setting ? { DETECTOR_PRECISION: setting } : {}) }, 2, engineInstalled, () => support).precision;
        assert.deepStrictEqual(
            [precision("vnni"), precision("avx2"), precision("none"), precision("vnni", "fp32"), precision("none", "int8")],
            ["int8", "int8", "fp32", "fp32", "int8"],
        );
    });

    const cpus: [string, string, Int8Support][] = [
        ["AVX-512 VNNI (Cascade Lake and later, AMD Zen 4)", "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni sha_ni\nbugs\t\t: spectre_v1", "vnni"],
        ["AVX-VNNI (Alder Lake)", "flags\t\t: fpu avx2 avx_vnni", "vnni"],
        ["AVX-512 without VNNI (Skylake, some ml.c5)", "flags\t\t: fpu avx2 avx512f avx512bw", "avx2"],
        ["AVX2 (AMD Zen 2 and 3)", "flags\t\t: fpu sse4_2 avx avx2 fma", "avx2"],
        ["AVX only", "flags\t\t: fpu sse4_2 avx\nbugs\t\t: avx2_erratum", "none"],
        ["no /proc/cpuinfo", "", "none"],
    ];
    for (const [name, cpuinfo, expected] of cpus) {
        it(`reads the CPU's 8-bit kernels from /proc/cpuinfo: ${name}`, () => {
            assert.strictEqual(cpuInt8Support(cpuinfo), expected);
        });
    }

    const bad: [Record<string, string>, string][] = [
        [{}, "CROPS_BUCKET is required: the S3 bucket that receives the face crops."],
        [{ CROPS_BUCKET: "Bad_Bucket" }, 'CROPS_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got "Bad_Bucket".'],
        [{ CROPS_BUCKET: "b-1", CROPS_PREFIX: "/x" }, "CROPS_PREFIX must be empty or segments of letters, digits and !_.*'()- each ending in '/', with no leading '/', got \"/x\"."],
        [{ CROPS_BUCKET: "b-1", MIN_CONFIDENCE: "high" }, 'MIN_CONFIDENCE must be a number from 0.05 to 1, got "high".'],
        [{ CROPS_BUCKET: "b-1", MAX_FACES: "" }, 'MAX_FACES must be an integer from 1 to 1000, got "".'],
        [{ CROPS_BUCKET: "b-1", MAX_FACES: "1001" }, 'MAX_FACES must be an integer from 1 to 1000, got "1001".'],
        [{ CROPS_BUCKET: "b-1", MIN_FACE_SIZE: "12" }, 'MIN_FACE_SIZE must be an integer from 20 to 4096, got "12".'],
        [{ CROPS_BUCKET: "b-1", CROP_OUTPUT: "sheet" }, 'CROP_OUTPUT must be one of crops, sheets, both, got "sheet".'],
        [{ CROPS_BUCKET: "b-1", DETECTOR_PRECISION: "int4" }, 'DETECTOR_PRECISION must be one of auto, int8, fp32, got "int4".'],
        [{ CROPS_BUCKET: "b-1", CROP_MARGIN: "3" }, 'CROP_MARGIN must be a number from 0 to 2, got "3".'],
        [{ CROPS_BUCKET: "b-1", MIN_CROP_SIZE: "40" }, 'MIN_CROP_SIZE must be an integer from 80 to 1024, got "40".'],
        [{ CROPS_BUCKET: "b-1", JPEG_QUALITY: "99.5" }, 'JPEG_QUALITY must be an integer from 50 to 100, got "99.5".'],
        [{ CROPS_BUCKET: "b-1", DETECTOR_ENGINE: "tensorflow" }, 'DETECTOR_ENGINE must be one of onnx, tfjs, got "tensorflow".'],
        [{ CROPS_BUCKET: "b-1", SAGEMAKER_MODEL_SERVER_WORKERS: "0" }, 'SAGEMAKER_MODEL_SERVER_WORKERS must be an integer from 1 to 64, got "0".'],
        [{ CROPS_BUCKET: "b-1", SAGEMAKER_BIND_TO_PORT: "70000" }, 'SAGEMAKER_BIND_TO_PORT must be an integer from 1 to 65535, got "70000".'],
    ];
    it("refuses the reference engine where TensorFlow.js is not installed, as in the image", () => {
        const asInImage = (engine: string) => engine === "onnx";
        assert.throws(() => loadConfig({ CROPS_BUCKET: "b-1", DETECTOR_ENGINE: "tfjs" }, 2, asInImage), {
            name: "ConfigError",
            message: "Invalid configuration:\n  DETECTOR_ENGINE=tfjs needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm, development dependencies that the image leaves out; use onnx.",
        });
        assert.strictEqual(loadConfig({ CROPS_BUCKET: "b-1" }, 2, asInImage).engine, "onnx");
    });

    it("finds both engines installed in the workspace", () => {
        assert.deepStrictEqual([engineInstalled("onnx"), engineInstalled("tfjs")], [true, true]);
    });

    for (const [env, message] of bad) {
        it(`rejects ${JSON.stringify(env)}`, () => {
            assert.throws(() => loadConfig(env, 2), { name: "ConfigError", message: `Invalid configuration:\n  ${message}` });
        });
    }

    it("reports every bad variable at once", () => {
        assert.throws(() => loadConfig({ MAX_FACES: "0", JPEG_QUALITY: "x" }, 2), (error: Error & { problems: string[] }) => {
            assert.deepStrictEqual(error.problems.map((p) => p.split(" ")[0]), ["CROPS_BUCKET", "MAX_FACES", "JPEG_QUALITY"]);
            return true;
        });
    });
});
