/**
 * The full bench: the naive configuration (one worker running face-api's own pipeline on
 * TensorFlow.js, as the model ships), the ONNX engine on one worker, and the tuned default (a
 * worker per core), on the portrait samples at each concurrency level; then the crowd set.
 */
import { Engine } from "../../../container/src/detection";
import { EmbeddedS3 } from "../../local/embeddedS3";
import { table } from "../../local/format";
import { BenchMode, printChecks, startServer } from "../context";
import { crowdVerdicts, printCrowds } from "../crowdRun";
import { noFaceFrames, SAMPLE_FACES, samplePhotos } from "../frames";
import { levelStats, LevelStats, runLoad, send } from "../load";
import { memoryOf, ProcessMemory, servingProcesses } from "../memory";
import { TARGETS } from "../targets";
import { runCrowds } from "./crowd";

const LEVELS = [1, 2, 4, 8];

/** A server configuration to measure: its name, workers, engine and other settings. */
interface BenchConfig {
    readonly name: string;
    readonly workers: number;
    readonly engine: Engine;
    readonly env?: Record<string, string>;
}

interface ConfigResult extends BenchConfig {
    readonly coldStartMs: number;
    readonly levels: LevelStats[];
    readonly memory: ProcessMemory[];
    readonly facesInSamples: number;
    readonly payload: { framesReceived: number; framesForwarded: number; bytesReceived: number; cropBytesStored: number };
}

/** Portraits need no fine pass: faces this tall and up are the coarse pass's alone. */
const PORTRAIT_MIN_FACE = "192";

async function measure(config: BenchConfig, s3: EmbeddedS3, levelMs: number): Promise<ConfigResult> {
    const { name, workers } = config;
    const detector = await startServer(s3, workers, config.engine, config.env);
    try {
        const samples = samplePhotos();
        // Warm every worker up, and count the faces while at it.
        const warm = await Promise.all(Array.from({ length: workers }, () => Promise.all(samples.map((frame) => send(detector.url, frame)))));
        const facesInSamples = warm[0].reduce((sum, s) => sum + s.faces, 0);

        // What the seed is about: frames and bytes received versus what goes on to Rekognition.
        const mixed = [...samples, ...await noFaceFrames()];
        const answers = await Promise.all(mixed.map((frame) => send(detector.url, frame)));
        const payload = {
            framesReceived: mixed.length,
            framesForwarded: answers.filter((a) => a.faces > 0).length,
            bytesReceived: mixed.reduce((sum, f) => sum + f.body.length, 0),
            cropBytesStored: answers.reduce((sum, a) => sum + a.cropBytes, 0),
        };

        const levels: LevelStats[] = [];
        for (const concurrency of LEVELS) {
            levels.push(levelStats(await runLoad(detector.url, samples, concurrency, levelMs)));
            console.log(`  ${name}: concurrency ${concurrency} done`);
        }
        const memory = memoryOf(servingProcesses(detector.child.pid!));
        return { ...config, coldStartMs: Math.round(detector.coldStartMs), levels, memory, facesInSamples, payload };
    } finally {
        await detector.stop();
    }
}

function printTable(results: readonly ConfigResult[]): void {
    const rows = [["config", "engine", "workers", "conc.", "img/s", "p50 ms", "p95 ms", "p99 ms", "errors"]];
    for (const r of results) {
        for (const l of r.levels) {
            rows.push([r.name, r.engine, String(r.workers), String(l.concurrency), l.imagesPerSecond.toFixed(2), String(l.p50Ms), String(l.p95Ms), String(l.p99Ms), String(l.errors)]);
        }
    }
    console.log(table(rows, "right"));
    for (const r of results) {
        const peak = r.memory.map((m) => `${m.peakRssMb} MB`).join(", ");
        const stages = r.levels[0].stagesMs;
        console.log(`${r.name}: cold start ${r.coldStartMs} ms; peak resident per worker ${peak}; faces in the six samples ${r.facesInSamples}/${SAMPLE_FACES}; `
            + `per frame at concurrency ${r.levels[0].concurrency}: decode ${stages.decodeMs}, detect ${stages.detectMs}, crop ${stages.cropMs}, store ${stages.storeMs} ms`);
    }
    const p = results[0].payload;
    console.log(`payload: ${p.framesForwarded}/${p.framesReceived} frames have faces; `
        + `${(p.cropBytesStored / 1024).toFixed(0)} KB of crops stored for ${(p.bytesReceived / 1024).toFixed(0)} KB of frames received `
        + `(${((1 - p.cropBytesStored / p.bytesReceived) * 100).toFixed(0)}% fewer bytes to Rekognition)`);
}

/** The targets of the benchmark issue, checked against this run. */
function verdicts(naive: ConfigResult, tuned: ConfigResult): [string, boolean][] {
    const at4 = (r: ConfigResult) => r.levels.find((l) => l.concurrency === 4)!;
    const ratio = at4(tuned).imagesPerSecond / at4(naive).imagesPerSecond;
    return [
        [`portraits (MIN_FACE_SIZE=${PORTRAIT_MIN_FACE}) at concurrency 4: ${ratio.toFixed(2)}x the naive server (target >= ${TARGETS.portraitSpeedup}x)`, ratio >= TARGETS.portraitSpeedup],
        [`p99 at concurrency 4: ${at4(tuned).p99Ms} ms (target <= ${TARGETS.p99Ms} ms)`, at4(tuned).p99Ms <= TARGETS.p99Ms],
        [`cold start: ${tuned.coldStartMs} ms (target <= ${TARGETS.coldStartMs} ms)`, tuned.coldStartMs <= TARGETS.coldStartMs],
        [`peak resident memory per worker: ${Math.max(...tuned.memory.map((m) => m.peakRssMb))} MB (target <= ${TARGETS.peakRssMb} MB)`, tuned.memory.every((m) => m.peakRssMb <= TARGETS.peakRssMb)],
        [`errors: ${tuned.levels.reduce((sum, l) => sum + l.errors, 0)} (target 0)`, tuned.levels.every((l) => l.errors === 0)],
        [`faces found in the six samples: ${tuned.facesInSamples} (target ${SAMPLE_FACES})`, tuned.facesInSamples === SAMPLE_FACES],
    ];
}

export const full: BenchMode = {
    summary: "portraits: naive vs ONNX vs tuned at concurrency 1-8, then the crowd set",
    async run(context, options) {
        const { s3, machine } = context;
        const levelMs = options.quick ? 6_000 : 20_000;
        console.log(`Benchmark (${options.quick ? "quick" : "full"}): ${levelMs / 1000} s per concurrency level, ${machine.cpus} CPUs`);
        // --quick leaves out the middle configuration, which only splits the gain between engine and workers.
        // Portraits: the seed's workload, with MIN_FACE_SIZE for large faces only (one pass).
        const portrait = { MIN_FACE_SIZE: PORTRAIT_MIN_FACE };
        const configs: BenchConfig[] = [
            { name: "naive", workers: 1, engine: "tfjs", env: { CROP_OUTPUT: "crops" } },
            ...(options.quick ? [] : [{ name: "onnx-1", workers: 1, engine: "onnx", env: portrait } as const]),
            { name: "tuned", workers: machine.cpus, engine: "onnx", env: portrait },
        ];
        const results: ConfigResult[] = [];
        for (const config of configs) {
            results.push(await measure(config, s3, levelMs));
        }
        printTable(results);
        const crowd = await runCrowds(s3, machine.cpus, levelMs);
        printCrowds(crowd);
        const [naive, tuned] = [results[0], results[results.length - 1]];
        const checks = [...verdicts(naive, tuned), ...crowdVerdicts(crowd)];
        const passed = printChecks(checks);
        const file = context.writeResult("bench", { quick: options.quick, levelMs, results, crowd, checks: checks.map(([text, ok]) => ({ text, ok })) });
        console.log(`Results: ${file}`);
        return passed;
    },
};
