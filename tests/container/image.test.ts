/**
 * The image as far as it can be proven without a Docker engine: the Dockerfile's promises, and
 * its deps stage replayed (the same isolated production install and pruning) with the compiled
 * server started from it, so that a dependency the workspace only lends by hoisting fails here.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";
import { startDetector } from "../../tools/local/detectorProcess";
import { imageEnvironment } from "../../tools/local/imageEnvironment";
import { freePort } from "../../tools/local/freePort";
import { embeddedS3Env } from "../../tools/local/embeddedS3";
import { LocalS3, sample, startLocalS3 } from "./fixtures";

const DOCKERFILE = fs.readFileSync(path.join(REPO_ROOT, "container", "Dockerfile"), "utf8");
const instructions = (name: string) => DOCKERFILE.split("\n").filter((line) => line.startsWith(`${name} `));

/**
 * The deps stage's RUN, as its shell commands: the install (from the local npm cache) and every
 * pruning step. Cleaning the npm cache is the one step left out: here it is the developer's cache.
 */
function depsStageCommands(): string[] {
    const run = DOCKERFILE.replace(/\\\n\s*/g, " ").split("\n").find((line) => line.startsWith("RUN ") && line.includes("--omit=dev"))!;
    return run.replace(/^RUN\s+/, "").split("&&").map((command) => command.trim())
        .filter((command) => !command.startsWith("npm cache clean"))
        .map((command) => (command.startsWith("npm ci") ? `${command} --prefer-offline` : command));
}

describe("the detector image", function () {
    this.timeout(300_000);

    it("is multi-stage, linux/amd64, Node 22, non-root, with an exec-form entry point that takes `serve`", () => {
        const froms = instructions("FROM");
        assert.strictEqual(froms.length, 3);
        assert.ok(froms.every((from) => from.includes("--platform=linux/amd64")), froms.join("\n"));
        assert.match(DOCKERFILE, /^ARG NODE_IMAGE=node:22\.\d+\.\d+-bookworm-slim$/m);
        assert.deepStrictEqual(instructions("ENTRYPOINT"), ['ENTRYPOINT ["node", "/opt/detector/container/bin/main.js"]']);
        assert.deepStrictEqual(instructions("CMD"), ['CMD ["serve"]']);
        assert.deepStrictEqual(instructions("USER"), ["USER node"]);
        assert.match(DOCKERFILE, /com\.amazonaws\.sagemaker\.capabilities\.accept-bind-to-port=true/);
        assert.match(DOCKERFILE, /npm ci --workspace contract --workspace container --omit=dev/);
    });

    it("runs in production mode with two malloc arenas and no ONNX Runtime telemetry, which local servers take from the Dockerfile", () => {
        assert.deepStrictEqual(imageEnvironment(), { NODE_ENV: "production", MALLOC_ARENA_MAX: "2", ORT_DISABLE_TELEMETRY: "1" });
    });

    it("reads ENV from the runtime stage only, and names a line it can't read", () => {
        const dockerfile = "FROM a AS build\nENV BUILD_ONLY=1\nFROM b\nENV A=1 B=two\nRUN x\nENV C=3\n";
        assert.deepStrictEqual(imageEnvironment(dockerfile), { A: "1", B: "two", C: "3" });
        assert.throws(() => imageEnvironment("FROM b\nENV A 1\n"), { message: 'container/Dockerfile: "ENV A 1" is not ENV KEY=value.' });
    });

    describe("its production dependencies, installed as the deps stage installs them", () => {
        let root: string;
        let s3: LocalS3;
        before(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "image-deps-"));
            for (const file of ["package.json", "package-lock.json", "contract/package.json", "container/package.json"]) {
                fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
                fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
            }
            execFileSync("sh", ["-c", depsStageCommands().join(" && ")], { cwd: root, stdio: "pipe" });
            for (const pkg of ["contract", "container"]) {
                fs.cpSync(path.join(REPO_ROOT, pkg, "bin"), path.join(root, pkg, "bin"), { recursive: true });
            }
        });
        after(async () => {
            await s3?.close();
            fs.rmSync(root, { recursive: true, force: true });
        });

        it("leave out the infrastructure code and the reference engine's TensorFlow.js", () => {
            for (const name of ["@pulumi", "typescript", "@tensorflow"]) {
                assert.ok(!fs.existsSync(path.join(root, "node_modules", name)), name);
            }
        });

        it("keep of face-api only the SSD model's weights", () => {
            const faceApi = path.join(root, "node_modules", "@vladmandic", "face-api");
            assert.deepStrictEqual(fs.readdirSync(faceApi).sort(), ["model", "package.json"]);
            assert.deepStrictEqual(fs.readdirSync(path.join(faceApi, "model")).sort(), ["ssd_mobilenetv1_model-weights_manifest.json", "ssd_mobilenetv1_model.bin"]);
        });

        it("keep ONNX Runtime's linux/amd64 binaries and none for other platforms", () => {
            const binaries = path.join(root, "node_modules", "onnxruntime-node", "bin", "napi-v6");
            assert.deepStrictEqual(fs.readdirSync(binaries), ["linux"]);
            assert.deepStrictEqual(fs.readdirSync(path.join(binaries, "linux")), ["x64"]);
            assert.ok(fs.existsSync(path.join(binaries, "linux", "x64", "onnxruntime_binding.node")));
        });

        const start = async (engine: string) => {
            s3 ??= await startLocalS3();
            return startDetector({
                port: await freePort(),
                env: { ...embeddedS3Env(s3), CROPS_BUCKET: s3.bucket, SAGEMAKER_MODEL_SERVER_WORKERS: "1", DETECTOR_ENGINE: engine },
                main: path.join(root, "container", "bin", "main.js"),
            });
        };

        it("serve detections with nothing else installed", async () => {
            const detector = await start("onnx");
            try {
                const response = await fetch(`${detector.url}/invocations`, { method: "POST", headers: { "content-type": "image/jpeg" }, body: sample("sample1.jpg") });
                assert.strictEqual(response.status, 200);
                assert.strictEqual(((await response.json()) as { faces: unknown[] }).faces.length, 3);
            } finally {
                await detector.stop();
            }
        });

        it("refuse the reference engine at start, saying why", async () => {
            await assert.rejects(start("tfjs"), /exited with 78 before it was ready:\n.*DETECTOR_ENGINE=tfjs needs @tensorflow\/tfjs/s);
        });
    });
});
