/**
 * `npm run bench [-- --quick | --soak | --crowd | --attack | --scales | --streams] [--minutes N]`: the detector server driven over HTTP with
 * the embedded S3 store, in the same run: the naive configuration (one worker running face-api's
 * own pipeline on TensorFlow.js, as the model ships), the ONNX engine on one worker, and the tuned
 * default (the ONNX engine, a worker per core). Prints a table and writes bench-results/<time>.json.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cpuInt8Support, type Engine } from "../../container/src/detection";
import { DEFAULT_CROP_OUTPUT } from "@crowd-emotions/face-detection-contract";
import { countStoredObjects, EmbeddedS3, embeddedS3Env, startEmbeddedS3 } from "../local/embeddedS3";
import { startDetector } from "../local/detectorProcess";
import { table } from "../local/format";
import { freePort } from "../local/freePort";
import { REPO_ROOT } from "../stack";
import { runAttack } from "./attack";
import { crowdVerdicts, measureCrowds, printCrowds } from "./crowdRun";
import { badFrames, noFaceFrames, SAMPLE_FACES, samplePhotos } from "./frames";
import { hostileFrames } from "./hostile";
import { Frame, levelStats, LevelStats, runLoad, Sample, send } from "./load";
import { memoryOf, ProcessMemory, servingProcesses } from "./memory";
import { measureModelScales } from "./modelScales";
import { runStreams, TARGET_SAVING } from "./streams";

const LEVELS = [1, 2, 4, 8];
const BUCKET = "bench-crops";

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

/** The compiled server on a free port, writing crops to the embedded store. */
async function startServer(s3: EmbeddedS3, workers: number, engine: Engine, env: Record<string, string> = {}) {
    return startDetector({
        port: await freePort(),
        env: {
            ...embeddedS3Env(s3), CROPS_BUCKET: BUCKET, SAGEMAKER_MODEL_SERVER_WORKERS: String(workers), DETECTOR_ENGINE: engine,
            CROP_OUTPUT: DEFAULT_CROP_OUTPUT, ...env,
        },
    });
}

/** The crowd set's settings: the defaults, or what the bench's own environment sets. */
function crowdSettings(): Record<string, string> {
    return Object.fromEntries(["MIN_FACE_SIZE", "DETECTOR_PRECISION"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

function runCrowds(s3: EmbeddedS3, workers: number, levelMs: number) {
    return measureCrowds({
        both: () => startServer(s3, workers, "onnx", { ...crowdSettings(), CROP_OUTPUT: "both" }),
        defaults: () => startServer(s3, workers, "onnx", crowdSettings()),
    }, levelMs);
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
        [`portraits (MIN_FACE_SIZE=${PORTRAIT_MIN_FACE}) at concurrency 4: ${ratio.toFixed(2)}x the naive server (target >= 4x)`, ratio >= 4],
        [`p99 at concurrency 4: ${at4(tuned).p99Ms} ms (target <= 1500 ms)`, at4(tuned).p99Ms <= 1500],
        [`cold start: ${tuned.coldStartMs} ms (target <= 5000 ms)`, tuned.coldStartMs <= 5000],
        [`peak resident memory per worker: ${Math.max(...tuned.memory.map((m) => m.peakRssMb))} MB (target <= 700 MB)`, tuned.memory.every((m) => m.peakRssMb <= 700)],
        [`errors: ${tuned.levels.reduce((sum, l) => sum + l.errors, 0)} (target 0)`, tuned.levels.every((l) => l.errors === 0)],
        [`faces found in the six samples: ${tuned.facesInSamples} (target ${SAMPLE_FACES})`, tuned.facesInSamples === SAMPLE_FACES],
    ];
}

/** Resident memory is compared from here: the allocator and WebAssembly memory settle first. */
const SOAK_WARMUP_MS = 60_000;
const SOAK_SEGMENT_MS = 30_000;

/** Ten minutes (or `minutes`) at concurrency 4 with bad and hostile inputs mixed in. */
async function soak(s3: EmbeddedS3, minutes: number): Promise<{ report: object; passed: boolean }> {
    const workers = os.availableParallelism();
    const detector = await startServer(s3, workers, "onnx");
    try {
        const pids = servingProcesses(detector.child.pid!);
        const storedBefore = countStoredObjects(s3);
        // Two good frames, then a bad one, over and over: every third frame is bad.
        const good = samplePhotos();
        // The attack run's hostile inputs too: all of them must stay 4xx, with no growth in memory.
        const bad = [...badFrames(), ...await hostileFrames()];
        const mix: Frame[] = good.flatMap((frame, i) => [frame, good[(i + 1) % good.length], bad[i % bad.length]]);
        const samples: Sample[] = [];
        const rssTimeline: { minute: number; rssMb: number[] }[] = [];
        const deadline = performance.now() + minutes * 60_000;
        const started = performance.now();
        while (performance.now() < deadline) {
            const result = await runLoad(detector.url, mix, 4, Math.min(SOAK_SEGMENT_MS, deadline - performance.now()));
            samples.push(...result.samples);
            rssTimeline.push({ minute: Math.round((performance.now() - started) / 6000) / 10, rssMb: memoryOf(pids).map((m) => m.rssMb) });
        }
        const baseline = rssTimeline.find((point) => point.minute * 60_000 >= SOAK_WARMUP_MS) ?? rssTimeline[0];
        const final = rssTimeline[rssTimeline.length - 1];
        const growth = final.rssMb.map((rss, i) => (rss - baseline.rssMb[i]) / baseline.rssMb[i]);
        const stored = countStoredObjects(s3) - storedBefore;
        const answered = samples.filter((s) => s.status === 200);
        const facesReported = answered.reduce((sum, s) => sum + s.faces, 0);
        // Every object an answer reports must be in the store: its crops, and each sheet with its manifest.
        const objectsReported = answered.reduce((sum, s) => sum + (s.cropBytes > 0 ? s.faces : 0) + 2 * s.sheets, 0);
        const goodFailures = samples.filter((s) => s.frame.good && s.status !== 200).length;
        const badAnswers = samples.filter((s) => !s.frame.good);
        const report = {
            minutes, requests: samples.length, goodFailures,
            badInputs: badAnswers.length, badAnswered4xx: badAnswers.filter((s) => s.status >= 400 && s.status < 500).length,
            rssBaselineMb: baseline.rssMb, rssFinalMb: final.rssMb,
            rssGrowthPercent: growth.map((g) => Math.round(g * 1000) / 10),
            rssTimeline, facesReported, objectsReported, objectsStored: stored,
        };
        const passed = goodFailures === 0 && badAnswers.every((s) => s.status >= 400 && s.status < 500)
            && growth.every((g) => g < 0.1) && stored === objectsReported;
        return { report, passed };
    } finally {
        await detector.stop();
    }
}

async function main(args: string[]): Promise<number> {
    const quick = args.includes("--quick");
    const minutesArg = args.indexOf("--minutes");
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "bench-s3-"));
    const s3 = await startEmbeddedS3({ directory, bucket: BUCKET });
    const outDir = path.join(REPO_ROOT, "bench-results");
    fs.mkdirSync(outDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const machine = {
        cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, int8Support: cpuInt8Support(),
        memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    };
    // Speeds differ most with the CPU's 8-bit kernels, which also decide what DETECTOR_PRECISION=auto runs.
    console.log(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), 8-bit kernels: ${machine.int8Support}, ${machine.memoryGb} GiB, Node ${machine.node}`);
    try {
        if (args.includes("--soak")) {
            const minutes = minutesArg >= 0 ? Number(args[minutesArg + 1]) : 10;
            console.log(`Soak: ${minutes} min at concurrency 4 with bad inputs mixed in...`);
            const { report, passed } = await soak(s3, minutes);
            console.log(JSON.stringify(report, null, 2));
            fs.writeFileSync(path.join(outDir, `soak-${stamp}.json`), JSON.stringify({ machine, ...report, passed }, null, 2));
            console.log(passed ? "PASS" : "FAIL");
            return passed ? 0 : 1;
        }
        if (args.includes("--streams")) {
            const minutes = minutesArg >= 0 ? Number(args[minutesArg + 1]) : 2;
            if (!Number.isFinite(minutes) || minutes <= 0) {
                console.error(`--minutes must be a positive number, got "${args[minutesArg + 1]}".`);
                return 2;
            }
            console.log(`Streams: ${minutes} min of composed crowd video (20 faces a frame, 1 frame/s) for 4 streams, read three ways...`);
            const report = await runStreams(s3, BUCKET, minutes);
            console.log(table([["streams", "way", "Rekognition calls per stream-hour", "faces per call", "fewer calls than (a)"],
                ...report.rows.map((r) => [String(r.streams), r.way, String(r.callsPerStreamHour), String(r.facesPerCall), `${r.saving}×`])], "right"));
            const { inside, total, worst } = report.sharesInside;
            console.log(`(c)'s shares inside (a)'s 95% interval (over the people (a) read), 4 streams: ${inside} of ${total} interval × expression pairs${worst ? `; furthest: ${worst}` : ""}`);
            console.log(`Packing moves a share by ${report.packingShift.mean} points on average, ${report.packingShift.max} at most ((b) against (c): the same frames, read without and with packs)`);
            console.log(`${report.rows.filter((r) => r.way.startsWith("(c)")).every((r) => r.saving >= TARGET_SAVING) ? "PASS" : "FAIL"}  (c) makes at least ${TARGET_SAVING}× fewer calls than (a)`);
            console.log(`${inside === total ? "PASS" : "FAIL"}  every interval's shares of (c) within (a)'s 95% interval`);
            fs.writeFileSync(path.join(outDir, `streams-${stamp}.json`), JSON.stringify({ machine, ...report }, null, 2));
            return report.passed ? 0 : 1;
        }
        if (args.includes("--attack")) {
            console.log("Attack: hostile input, overload and store faults against the server (about 2 minutes)...");
            const rows = await runAttack(s3, BUCKET);
            console.log(table([["check", "measured", "result"], ...rows.map((r) => [r.check, r.measured, r.passed ? "PASS" : "FAIL"])], "left"));
            fs.writeFileSync(path.join(outDir, `attack-${stamp}.json`), JSON.stringify({ machine, rows }, null, 2));
            return rows.every((r) => r.passed) ? 0 : 1;
        }
        if (args.includes("--scales")) {
            console.log("Scales: the model alone, on the crowd set's faces shown at each height in its input...");
            const { precision, rows } = await measureModelScales();
            console.log(table([["face px in the model's input", "faces", "found (score >= MIN_CONFIDENCE)", "5th percentile score"],
                ...rows.map((r) => [String(r.inputFaceHeight), String(r.faces), `${(100 * r.found / r.faces).toFixed(1)}%`, r.p5Score.toFixed(2)])], "right"));
            console.log(`(${precision})`);
            fs.writeFileSync(path.join(outDir, `scales-${stamp}.json`), JSON.stringify({ machine, precision, rows }, null, 2));
            return 0;
        }
        const levelMs = quick ? 6_000 : 20_000;
        if (args.includes("--crowd")) {
            // The crowd set alone, e.g. to compare MIN_FACE_SIZE values.
            const crowd = await runCrowds(s3, machine.cpus, levelMs);
            printCrowds(crowd);
            const file = path.join(outDir, `crowd-${stamp}.json`);
            fs.writeFileSync(file, JSON.stringify({ machine, levelMs, settings: crowdSettings(), crowd }, null, 2));
            console.log(`Results: ${path.relative(process.cwd(), file)}`);
            return 0;
        }
        console.log(`Benchmark (${quick ? "quick" : "full"}): ${levelMs / 1000} s per concurrency level, ${machine.cpus} CPUs`);
        // --quick leaves out the middle configuration, which only splits the gain between engine and workers.
        // Portraits: the seed's workload, with MIN_FACE_SIZE for large faces only (one pass).
        const portrait = { MIN_FACE_SIZE: PORTRAIT_MIN_FACE };
        const configs: BenchConfig[] = [
            { name: "naive", workers: 1, engine: "tfjs", env: { CROP_OUTPUT: "crops" } },
            ...(quick ? [] : [{ name: "onnx-1", workers: 1, engine: "onnx", env: portrait } as const]),
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
        for (const [text, ok] of checks) {
            console.log(`${ok ? "PASS" : "FAIL"}  ${text}`);
        }
        const file = path.join(outDir, `bench-${stamp}.json`);
        fs.writeFileSync(file, JSON.stringify({ machine, quick, levelMs, results, crowd, checks: checks.map(([text, ok]) => ({ text, ok })) }, null, 2));
        console.log(`Results: ${path.relative(process.cwd(), file)}`);
        return 0;
    } finally {
        await s3.close();
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
});
