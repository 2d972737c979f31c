/**
 * The crowd part of `npm run bench`: a server storing crops and sheets, to compare what each
 * output mode sends on to Rekognition, measures the crowd set's recall; a server at the default
 * settings measures 1080p crowd throughput and the portraits, at concurrency 4.
 */
import { DetectorProcess } from "../local/detectorProcess";
import { table } from "../local/format";
import { crowdFrames, measureRecall, outputCost, OutputCost, recallTargets, RecallRow } from "./crowdSet";
import { FalseFaceResult, falseFaceVerdicts, measureFalseFaces, printFalseFaces } from "./falseFaces";
import { samplePhotos } from "./frames";
import { LevelStats, levelStats, runLoad, send } from "./load";
import { memoryOf, servingProcesses } from "./memory";
import { TARGETS } from "./targets";

export interface CrowdResult {
    readonly recall: RecallRow[];
    /** 1080p crowd frames (faces of 40 to 96 px) at concurrency 4. */
    readonly crowd1080: LevelStats;
    /** The six portraits at the default settings, concurrency 4. */
    readonly portraitsAtDefault: LevelStats;
    readonly cost: { portraits: OutputCost; crowds: OutputCost };
    readonly falseFaces: FalseFaceResult;
    readonly peakRssMb: number[];
}

const THROUGHPUT_FACE_HEIGHTS = [40, 48, 64, 96];

export interface CrowdServers {
    /** Stores crops and sheets. */
    readonly both: () => Promise<DetectorProcess>;
    readonly defaults: () => Promise<DetectorProcess>;
}

export async function measureCrowds(servers: CrowdServers, levelMs: number): Promise<CrowdResult> {
    const frames = await crowdFrames();
    const { recall, cost } = await withServer(servers.both, async (url) => {
        const found = await measureRecall(url, frames);
        const portraits = await Promise.all(samplePhotos().map((frame) => send(url, frame)));
        const crowds = await Promise.all(frames.filter((f) => f.width === 1920).map((frame) => send(url, frame)));
        console.log("  crowd: recall and output cost measured");
        return { recall: found, cost: { portraits: outputCost(portraits), crowds: outputCost(crowds) } };
    });
    return withServer(servers.defaults, async (url, detector) => {
        const busy = frames.filter((f) => f.width === 1920 && THROUGHPUT_FACE_HEIGHTS.includes(f.faceHeight));
        // Warm every worker (and its anchors for the frame size) up first.
        await Promise.all(busy.slice(0, 4).map((frame) => send(url, frame)));
        const crowdLoad = await runLoad(url, busy, 4, levelMs);
        console.log("  crowd: 1080p throughput measured");
        const portraitLoad = await runLoad(url, samplePhotos(), 4, levelMs);
        console.log("  crowd: portraits at the default settings measured");
        const falseFaces = await measureFalseFaces(url);
        console.log("  crowd: false faces measured");
        return {
            recall, cost, falseFaces,
            crowd1080: levelStats(crowdLoad),
            portraitsAtDefault: levelStats(portraitLoad),
            peakRssMb: memoryOf(servingProcesses(detector.child.pid!)).map((m) => m.peakRssMb),
        };
    });
}

async function withServer<T>(start: () => Promise<DetectorProcess>, work: (url: string, detector: DetectorProcess) => Promise<T>): Promise<T> {
    const detector = await start();
    try {
        return await work(detector.url, detector);
    } finally {
        await detector.stop();
    }
}

export function printCrowds(result: CrowdResult): void {
    const rows = [["frame", "face px", "faces", "recall", "found loosely", "false faces", "ms alone", "target"]];
    for (const row of result.recall) {
        const goal = recallTargets(row);
        rows.push([
            row.resolution, String(row.faceHeight), String(row.faces), percent(row.found / row.faces), percent(row.foundLoosely / row.faces),
            String(row.falseFaces), String(row.latencyMs), goal ? `>= ${percent(goal.target)} ${goal.met ? "met" : "MISSED"}` : "",
        ]);
    }
    console.log(`\nCrowd recall at the default settings (IoU >= 0.5; "found loosely": IoU >= 0.3):\n${table(rows, "right")}`);
    const c = result.crowd1080;
    const p = result.portraitsAtDefault;
    console.log(`1080p crowd frames at concurrency 4: ${c.imagesPerSecond.toFixed(2)} frames/s, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms, errors ${c.errors}; `
        + `per frame: decode ${c.stagesMs.decodeMs}, detect ${c.stagesMs.detectMs}, crop+sheet ${c.stagesMs.cropMs}, store ${c.stagesMs.storeMs} ms`);
    console.log(`portraits at the default settings, concurrency 4: ${p.imagesPerSecond.toFixed(2)} img/s, p99 ${p.p99Ms} ms; peak resident per worker ${result.peakRssMb.map((m) => `${m} MB`).join(", ")}`);
    const costRows = [["set", "frames", "crops: calls/frame", "KB/frame", "sheets: calls/frame", "KB/frame"]];
    for (const [name, cost] of Object.entries(result.cost)) {
        costRows.push([name, String(cost.frames), (cost.cropCalls / cost.frames).toFixed(2), (cost.cropBytes / cost.frames / 1024).toFixed(0),
            (cost.sheetCalls / cost.frames).toFixed(2), (cost.sheetBytes / cost.frames / 1024).toFixed(0)]);
    }
    console.log(`\nWhat goes on to Rekognition per frame with faces:\n${table(costRows, "right")}`);
    printFalseFaces(result.falseFaces);
}

export function crowdVerdicts(result: CrowdResult): [string, boolean][] {
    const missed = result.recall.filter((row) => recallTargets(row)?.met === false);
    const fps = result.crowd1080.imagesPerSecond;
    return [
        [`crowd recall targets: ${missed.length === 0 ? "all met" : `missed at ${missed.map((r) => `${r.resolution}/${r.faceHeight}px`).join(", ")}`}`, missed.length === 0],
        [`1080p crowd frames at concurrency 4: ${fps.toFixed(2)} frames/s (target >= ${TARGETS.crowdFramesPerSecond})`, fps >= TARGETS.crowdFramesPerSecond],
        [`crowd errors: ${result.crowd1080.errors} (target 0)`, result.crowd1080.errors === 0],
        ...falseFaceVerdicts(result.falseFaces),
    ];
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;
