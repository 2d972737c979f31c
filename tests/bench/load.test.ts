import * as assert from "assert";
import { composeCrowdFrame, matchFaces } from "../../tools/samples";
import { Frame, levelStats, percentile, Sample } from "../../tools/bench/load";

const good: Frame = { name: "good.jpg", body: Buffer.alloc(1), contentType: "image/jpeg", good: true };
const bad: Frame = { ...good, name: "bad.txt", good: false };
const sample = (frame: Frame, status: number, latencyMs: number, detectMs?: number): Sample => ({
    frame, status, latencyMs, faces: 0, cropBytes: 0, sheets: 0, sheetBytes: 0, boxes: [],
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

describe("composed crowd frames", () => {
    it("are the same on every run for a seed, with every true face inside the frame", async () => {
        const [a, b] = [await composeCrowdFrame({ width: 640, height: 360, faceHeight: 40, seed: 3 }), await composeCrowdFrame({ width: 640, height: 360, faceHeight: 40, seed: 3 })];
        assert.deepStrictEqual(a.truth, b.truth);
        assert.ok(a.body.equals(b.body));
        assert.ok(a.truth.length > 0);
        for (const face of a.truth) {
            assert.ok(face.x >= 0 && face.y >= 0 && face.x + face.width <= 640 && face.y + face.height <= 360);
            assert.ok(Math.abs(face.height - 40) <= 1);
        }
        const other = await composeCrowdFrame({ width: 640, height: 360, faceHeight: 40, seed: 4 });
        assert.notDeepStrictEqual(other.truth, a.truth);
    });

    const matches: [string, number[][], number[][], { found: number; missed: number; falseFaces: number }][] = [
        ["exact", [[0, 0, 10, 10]], [[0, 0, 10, 10]], { found: 1, missed: 0, falseFaces: 0 }],
        ["too loose", [[0, 0, 10, 10]], [[0, 0, 10, 21]], { found: 0, missed: 1, falseFaces: 1 }],
        ["one detection for two faces", [[0, 0, 10, 10], [1, 0, 10, 10]], [[0, 0, 10, 10]], { found: 1, missed: 1, falseFaces: 0 }],
        ["nothing found", [[0, 0, 10, 10]], [], { found: 0, missed: 1, falseFaces: 0 }],
    ];
    for (const [name, truth, detected, expected] of matches) {
        it(`matches detections to true faces: ${name}`, async () => {
            const box = ([x, y, width, height]: number[]) => ({ x, y, width, height });
            assert.deepStrictEqual(matchFaces(truth.map(box), detected.map(box)), expected);
        });
    }
});
