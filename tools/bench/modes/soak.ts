/** The soak: ten minutes (or `--minutes`) at concurrency 4 with bad and hostile inputs mixed in. */
import * as os from "os";
import { countStoredObjects, EmbeddedS3 } from "../../local/embeddedS3";
import { BenchMode, startServer } from "../context";
import { badFrames, samplePhotos } from "../frames";
import { hostileFrames } from "../hostile";
import { Frame, runLoad, Sample } from "../load";
import { memoryOf, servingProcesses } from "../memory";
import { TARGETS } from "../targets";

/** Resident memory is compared from here: the allocator and WebAssembly memory settle first. */
const SOAK_WARMUP_MS = 60_000;
const SOAK_SEGMENT_MS = 30_000;

/** Ten minutes (or `minutes`) at concurrency 4 with bad and hostile inputs mixed in. */
async function runSoak(s3: EmbeddedS3, minutes: number): Promise<{ report: object; passed: boolean }> {
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
            && growth.every((g) => g < TARGETS.soakRssGrowth) && stored === objectsReported;
        return { report, passed };
    } finally {
        await detector.stop();
    }
}

export const soak: BenchMode = {
    summary: "at concurrency 4 with bad and hostile inputs mixed in, memory and objects checked",
    defaultMinutes: 10,
    async run(context, options) {
        const minutes = options.minutes ?? 10;
        console.log(`Soak: ${minutes} min at concurrency 4 with bad inputs mixed in...`);
        const { report, passed } = await runSoak(context.s3, minutes);
        console.log(JSON.stringify(report, null, 2));
        context.writeResult("soak", { ...report, passed });
        console.log(passed ? "PASS" : "FAIL");
        return passed;
    },
};
