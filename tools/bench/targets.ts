/**
 * What the benchmark holds the detector and the emotion stage to, in one place: each mode checks
 * its run against these and exits 1 when one is missed.
 */
export const TARGETS = {
    /** Portraits at concurrency 4: the tuned server this many times the naive server's images/s. */
    portraitSpeedup: 4,
    /** p99 latency at concurrency 4, ms. */
    p99Ms: 1500,
    /** First /ping 200 after start, ms. */
    coldStartMs: 5000,
    /** Peak resident memory per worker, MB. */
    peakRssMb: 700,
    /** 1080p crowd frames per second at concurrency 4. */
    crowdFramesPerSecond: 3,
    /** Recall relative to a 1920-wide frame: ≥ 95% from 48-px faces, ≥ 85% at 40 px (in proportion for other widths). */
    recall: { fromPx: 48, atLeast: 0.95, floorPx: 40, floorAtLeast: 0.85 },
    /** False faces per face-free photo. */
    falseFaceRate: 1 / 40,
    /** Soak: resident memory may grow this fraction at most after warm-up. */
    soakRssGrowth: 0.1,
    /** Streams: the stage's packed, interval reads make at least this many times fewer calls than reading every frame. */
    streamsSaving: 40,
} as const;
