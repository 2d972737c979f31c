/**
 * What every bench mode runs with: the embedded store, the machine's description, the results
 * folder, and the detector server started the way each mode needs it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CROP_OUTPUT } from "@crowd-emotions/face-detection-contract";
import { cpuInt8Support, type Engine } from "../../container/src/detection";
import { startDetector } from "../local/detectorProcess";
import { EmbeddedS3, embeddedS3Env } from "../local/embeddedS3";
import { freePort } from "../local/freePort";
import { REPO_ROOT } from "../paths";

export const BUCKET = "bench-crops";

export interface Machine {
    readonly cpus: number;
    readonly cpuModel?: string;
    readonly int8Support: string;
    readonly memoryGb: number;
    readonly node: string;
}

export interface BenchContext {
    readonly s3: EmbeddedS3;
    readonly machine: Machine;
    /** Writes `data` (with the machine) to bench-results/<name>-<time>.json and returns its path. */
    writeResult(name: string, data: object): string;
}

export interface BenchOptions {
    /** Shorter levels; the full bench leaves out the middle configuration. */
    readonly quick: boolean;
    /** How long the soak or the streams run. */
    readonly minutes?: number;
}

/** A bench mode: what it measures and checks; `run` says whether every target was met. */
export interface BenchMode {
    readonly summary: string;
    /** The minutes it runs when `--minutes` is not given; absent: it takes no `--minutes`. */
    readonly defaultMinutes?: number;
    run(context: BenchContext, options: BenchOptions): Promise<boolean>;
}

export function describeMachine(): Machine {
    return {
        cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, int8Support: cpuInt8Support(),
        memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    };
}

export function createContext(s3: EmbeddedS3, machine: Machine): BenchContext {
    const outDir = path.join(REPO_ROOT, "bench-results");
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return {
        s3, machine,
        writeResult(name, data) {
            fs.mkdirSync(outDir, { recursive: true });
            const file = path.join(outDir, `${name}-${stamp}.json`);
            fs.writeFileSync(file, JSON.stringify({ machine, ...data }, null, 2));
            return file;
        },
    };
}

/** The compiled server on a free port, writing crops to the embedded store. */
export async function startServer(s3: EmbeddedS3, workers: number, engine: Engine, env: Record<string, string> = {}) {
    return startDetector({
        port: await freePort(),
        env: {
            ...embeddedS3Env(s3), CROPS_BUCKET: BUCKET, SAGEMAKER_MODEL_SERVER_WORKERS: String(workers), DETECTOR_ENGINE: engine,
            CROP_OUTPUT: DEFAULT_CROP_OUTPUT, ...env,
        },
    });
}

/** The crowd set's settings: the defaults, or what the bench's own environment sets. */
export function crowdSettings(): Record<string, string> {
    return Object.fromEntries(["MIN_FACE_SIZE", "DETECTOR_PRECISION", "DETECTOR_MODEL"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

/** Prints each check as PASS or FAIL and says whether all passed. */
export function printChecks(checks: readonly (readonly [string, boolean])[]): boolean {
    for (const [text, ok] of checks) {
        console.log(`${ok ? "PASS" : "FAIL"}  ${text}`);
    }
    return checks.every(([, ok]) => ok);
}
