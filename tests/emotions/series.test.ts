import * as assert from "assert";
import * as jpeg from "jpeg-js";
import { mapToFrame } from "@crowd-emotions/face-detection-contract";
import {
    cellPixels, layoutPacks, PACK_CAPACITY, PACK_CELL, PACK_MAX_HEIGHT, PACK_MAX_WIDTH, PackItem, renderPack,
} from "../../emotions/src/packing";
import { intervalOf, LOW_SAMPLE_FACES, summarize, wilsonInterval } from "../../emotions/src/series";

/** A face of a given grey, 100×100 px, as a pack item. */
function item(ref: number, grey = 200): PackItem<number> {
    const data = new Uint8Array(100 * 100 * 4).fill(grey);
    const image = { width: 100, height: 100, data };
    const region = { left: 0, top: 0, width: 100, height: 100 };
    return { ...cellPixels(image, region), source: { left: 100 * ref, top: 0, width: 100, height: 100 }, cell: { face: ref, box: { x: 100 * ref + 30, y: 25, width: 40, height: 50 }, score: 0.9 }, ref };
}

describe("a stream's mood over time", () => {
    describe("the 95% interval of a share (Wilson score)", () => {
        // Reference values: Wilson (1927), as tabulated by Newcombe (1998), "Two-sided confidence
        // intervals for the single proportion", method 3: 81/263 → 0.2553–0.3662, 0/20 → 0–0.1611.
        const cases: [number, number, number, number][] = [
            [81, 263, 0.2553, 0.3662],
            [15, 148, 0.0624, 0.1605],
            [0, 20, 0, 0.1611],
            [1, 29, 0.0061, 0.1718],
            [5, 10, 0.2366, 0.7634],
            [10, 10, 0.7225, 1],
        ];
        for (const [successes, n, low, high] of cases) {
            it(`${successes} of ${n}: ${low}–${high}`, () => {
                const interval = wilsonInterval(successes, n);
                assert.ok(Math.abs(interval.low - low) < 0.00005 && Math.abs(interval.high - high) < 0.00005, JSON.stringify(interval));
            });
        }

        it("knows nothing of no faces, and needs 385 faces for ±5 points whatever the share", () => {
            assert.deepStrictEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
            assert.strictEqual(LOW_SAMPLE_FACES, 385);
            const at385 = wilsonInterval(192, 385);
            assert.ok(at385.high - at385.low <= 0.1, JSON.stringify(at385));
            const at300 = wilsonInterval(150, 300);
            assert.ok(at300.high - at300.low > 0.1, JSON.stringify(at300));
        });
    });

    it("aligns intervals to the epoch: to the minute and the hour", () => {
        assert.deepStrictEqual(intervalOf(new Date("2026-12-07T10:15:39.999Z"), 10), { start: new Date("2026-12-07T10:15:30Z"), end: new Date("2026-12-07T10:15:40Z") });
        assert.deepStrictEqual(intervalOf(new Date("2026-12-07T10:59:59Z"), 3600).start, new Date("2026-12-07T10:00:00Z"));
    });

    it("sums an interval up: crowd size of every frame, shares of the faces read, low samples marked", () => {
        const face = (emotion?: "HAPPY" | "SAD") => ({ face: 0, box: { x: 0, y: 0, width: 1, height: 1 }, score: 1, found: emotion !== undefined, ...(emotion && { emotion }) });
        const summary = summarize({ start: new Date("2026-12-07T10:15:30Z"), end: new Date("2026-12-07T10:15:40Z") }, [
            { frameId: "a", capturedAt: "2026-12-07T10:15:31Z", faces: 4, parts: 1, partsRead: 1, readings: [face("HAPPY"), face("HAPPY"), face("SAD"), face()] },
            { frameId: "b", capturedAt: "2026-12-07T10:15:32Z", faces: 6, parts: 1, partsRead: 0, readings: [] },
        ]);
        assert.deepStrictEqual([summary.frames, summary.framesRead, summary.facesSeen, summary.facesRead, summary.leading, summary.lowSample],
            [2, 1, { mean: 5, max: 6, total: 10 }, 3, "HAPPY", true]);
        assert.deepStrictEqual(summary.shares.HAPPY, { share: 0.6667, low: 0.2077, high: 0.9385 });
        assert.deepStrictEqual(summary.shares.CALM, { share: 0, low: 0, high: 0.5615 });
    });
});

describe("packing faces from several frames into Rekognition images", () => {
    it("fills packs of at most 100 faces, no larger than 1920×1080, each face in a cell of its own", () => {
        const items = Array.from({ length: 250 }, (_, i) => item(i));
        const packs = layoutPacks(items);
        assert.deepStrictEqual(packs.map((p) => p.cells.length), [100, 100, 50]);
        assert.strictEqual(PACK_CAPACITY, 100);
        for (const pack of packs) {
            assert.ok(pack.width <= PACK_MAX_WIDTH && pack.height <= PACK_MAX_HEIGHT, `${pack.width}×${pack.height}`);
            for (const [i, cell] of pack.cells.entries()) {
                assert.ok(cell.placed.left + cell.placed.width <= pack.width && cell.placed.top + cell.placed.height <= pack.height);
                for (const other of pack.cells.slice(i + 1)) {
                    const apart = cell.placed.left + cell.placed.width <= other.placed.left || other.placed.left + other.placed.width <= cell.placed.left
                        || cell.placed.top + cell.placed.height <= other.placed.top || other.placed.top + other.placed.height <= cell.placed.top;
                    assert.ok(apart, `cells ${cell.face} and ${other.face} overlap`);
                }
            }
        }
        // Faces stay above Rekognition's floor: 40 px relative to 1920×1080, and a pack is never larger.
        assert.ok(PACK_CELL / 1.8 >= 40);
    });

    it("keeps a single face's pack at least 80 px a side, as Rekognition requires", () => {
        const [pack] = layoutPacks([item(0)]);
        assert.ok(pack.width >= 80 && pack.height >= 80);
    });

    it("draws each face in its cell and maps a box found there back to that face", () => {
        const items = [item(0, 30), item(1, 220), item(2, 30)];
        const [pack] = layoutPacks(items);
        const decoded = jpeg.decode(renderPack(pack), { useTArray: true });
        assert.deepStrictEqual([decoded.width, decoded.height], [pack.width, pack.height]);
        const centre = (i: number) => {
            const { left, top, width, height } = pack.cells[i].placed;
            return decoded.data[((top + height / 2) * decoded.width + left + width / 2) * 4];
        };
        assert.ok(Math.abs(centre(0) - 30) < 12 && Math.abs(centre(1) - 220) < 12, `${centre(0)}, ${centre(1)}`);
        const { placed } = pack.cells[1];
        const found = mapToFrame({ sheetSize: { width: pack.width, height: pack.height }, cells: pack.cells },
            { Left: (placed.left + 30) / pack.width, Top: (placed.top + 20) / pack.height, Width: 60 / pack.width, Height: 70 / pack.height });
        assert.strictEqual(pack.items[found!.face].ref, 1);
    });
});
