/** The load generator: closed-loop clients sending frames as fast as the server answers. */
import type { Frame } from "../samples";

export type { Frame };

export interface Sample {
    readonly frame: Frame;
    readonly status: number;
    readonly latencyMs: number;
    readonly faces: number;
    readonly cropBytes: number;
    /** Face sheets stored for the frame, and their bytes (manifests included). */
    readonly sheets: number;
    readonly sheetBytes: number;
    /** The faces' boxes, in frame pixels. */
    readonly boxes: readonly { x: number; y: number; width: number; height: number }[];
    /** The server's own time per stage of the frame, for answers that have them. */
    readonly timings?: StageTimings;
}

export interface StageTimings {
    readonly decodeMs: number;
    readonly detectMs: number;
    readonly cropMs: number;
    readonly storeMs: number;
}

export interface LoadResult {
    readonly concurrency: number;
    readonly elapsedMs: number;
    readonly samples: readonly Sample[];
}

/** One invocation; a connection failure is status 0. */
export async function send(url: string, frame: Frame): Promise<Sample> {
    const started = performance.now();
    try {
        const response = await fetch(`${url}/invocations`, {
            method: "POST", headers: { "content-type": frame.contentType }, body: frame.body,
        });
        const body = await response.json() as {
            faces?: { box: Sample["boxes"][number]; crop?: { bytes: number } }[]; sheets?: { bytes: number }[]; timings?: StageTimings;
        };
        const faces = body.faces ?? [];
        const sheets = body.sheets ?? [];
        return {
            frame, status: response.status, latencyMs: performance.now() - started,
            faces: faces.length, cropBytes: faces.reduce((sum, face) => sum + (face.crop?.bytes ?? 0), 0),
            sheets: sheets.length, sheetBytes: sheets.reduce((sum, sheet) => sum + sheet.bytes, 0),
            boxes: faces.map((face) => face.box), timings: body.timings,
        };
    } catch {
        return { frame, status: 0, latencyMs: performance.now() - started, faces: 0, cropBytes: 0, sheets: 0, sheetBytes: 0, boxes: [] };
    }
}

/** `concurrency` clients, each sending the next frame as soon as its last one is answered, for `durationMs`. */
export async function runLoad(url: string, frames: readonly Frame[], concurrency: number, durationMs: number): Promise<LoadResult> {
    const samples: Sample[] = [];
    let next = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    const client = async () => {
        while (performance.now() < deadline) {
            samples.push(await send(url, frames[next++ % frames.length]));
        }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return { concurrency, elapsedMs: performance.now() - started, samples };
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) {
        return NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LevelStats {
    readonly concurrency: number;
    readonly requests: number;
    readonly imagesPerSecond: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
    /** Good frames not answered 200, and bad frames answered 5xx or not at all. */
    readonly errors: number;
    /** Mean server time per stage: where a frame's time goes. */
    readonly stagesMs: StageTimings;
}

export function levelStats(result: LoadResult): LevelStats {
    const latencies = result.samples.map((s) => s.latencyMs);
    return {
        concurrency: result.concurrency,
        requests: result.samples.length,
        imagesPerSecond: Math.round((result.samples.filter((s) => s.status === 200).length / (result.elapsedMs / 1000)) * 100) / 100,
        p50Ms: Math.round(percentile(latencies, 50)),
        p95Ms: Math.round(percentile(latencies, 95)),
        p99Ms: Math.round(percentile(latencies, 99)),
        errors: result.samples.filter((s) => (s.frame.good ? s.status !== 200 : s.status >= 500 || s.status === 0)).length,
        stagesMs: meanStages(result.samples.flatMap((s) => (s.timings ? [s.timings] : []))),
    };
}

function meanStages(timings: readonly StageTimings[]): StageTimings {
    const mean = (stage: keyof StageTimings) => Math.round(timings.reduce((sum, t) => sum + t[stage], 0) / Math.max(timings.length, 1));
    return { decodeMs: mean("decodeMs"), detectMs: mean("detectMs"), cropMs: mean("cropMs"), storeMs: mean("storeMs") };
}
