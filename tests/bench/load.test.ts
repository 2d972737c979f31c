import * as assert from "assert";
import { Frame, levelStats, percentile, Sample } from "../../tools/bench/load";

const good: Frame = { name: "good.jpg", body: Buffer.alloc(1), contentType: "image/jpeg", good: true };
const bad: Frame = { ...good, name: "bad.txt", good: false };
const sample = (frame: Frame, status: number, latencyMs: number, detectMs?: number): Sample => ({
    frame, status, latencyMs, faces: 0, cropBytes: 0,
    timings: detectMs === undefined ? undefined : { decodeMs: 10, detectMs, cropMs: 4, storeMs: 2 },
});

describe("benchmark statistics", () => {
    const percentiles: [number[], number, number][] = [
        [[5, 1, 4, 2, 3], 50, 3], [[5, 1, 4, 2, 3], 99, 5], [[5, 1, 4, 2, 3], 0, 1], [[7], 95, 7], [[], 50, NaN],
    ];
    for (const [values, p, expected] of percentiles) {
        it(`p${p} of [${values}] is ${expected}`, () => {
            assert.deepStrictEqual(percentile(values, p), expected);
        });
    }

    it("counts throughput from good answers, errors from both kinds of frame, and means the server's stage times", () => {
        const stats = levelStats({
            concurrency: 2, elapsedMs: 2000, samples: [
                sample(good, 200, 100, 40), sample(good, 200, 300, 60), sample(good, 500, 50),
                sample(bad, 400, 10), sample(bad, 500, 20), sample(bad, 0, 30),
            ],
        });
        assert.deepStrictEqual(stats, {
            concurrency: 2, requests: 6, imagesPerSecond: 1, p50Ms: 30, p95Ms: 300, p99Ms: 300, errors: 3,
            stagesMs: { decodeMs: 10, detectMs: 50, cropMs: 4, storeMs: 2 },
        });
    });
});
