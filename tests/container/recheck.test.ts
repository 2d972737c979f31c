import * as assert from "assert";
import { cutRegion, DetectOptions, needsRecheck, RECHECK_ABOVE_PX, RECHECK_CONTEXT, RECHECK_FACE_PX, RECHECK_MIN_SCORE, recheckScore, SquareRun } from "../../container/src/detection";
import { ScoredBox } from "../../container/src/geometry";

const options: DetectOptions = { minConfidence: 0.5, maxFaces: 100 };

/** A grey 400×300 image with a white 60×80 block where the face is, near the top edge. */
function imageWithBlock() {
    const [width, height] = [400, 300];
    const rgb = Buffer.alloc(width * height * 3, 60);
    for (let y = 10; y < 90; y++) {
        rgb.fill(255, (y * width + 200) * 3, (y * width + 260) * 3);
    }
    return { image: { rgb, width, height }, face: { x: 200, y: 10, width: 60, height: 80, score: 0.9 } };
}

describe("the second look at very large faces", () => {
    it("is only for faces taller than RECHECK_ABOVE_PX in the coarse pass's input", () => {
        const face = { x: 0, y: 0, width: 100, height: 400, score: 0.9 };
        assert.strictEqual(needsRecheck(face, RECHECK_ABOVE_PX / 400 + 0.001), true);
        assert.strictEqual(needsRecheck(face, RECHECK_ABOVE_PX / 400), false);
    });

    it("shows the model the face at RECHECK_FACE_PX, centred, with its surroundings (black past the edges)", async () => {
        const { image, face } = imageWithBlock();
        const size = RECHECK_FACE_PX * RECHECK_CONTEXT;
        let seen: { rgb: Uint8Array; size: number; minConfidence: number } | undefined;
        const run: SquareRun = async (rgb, inputSize, runOptions) => {
            seen = { rgb, size: inputSize, minConfidence: runOptions.minConfidence };
            return [];
        };
        await recheckScore(run, image, face, options);
        assert.ok(seen);
        assert.strictEqual(seen.size, size);
        assert.strictEqual(seen.minConfidence, RECHECK_MIN_SCORE);
        const pixel = (x: number, y: number) => seen!.rgb[(y * size + x) * 3];
        // The face's block fills the middle RECHECK_FACE_PX rows, grey around it; the region starts
        // 70 frame px (84 input px) above the image's top, which is black.
        assert.strictEqual(pixel(size / 2, size / 2), 255);
        assert.strictEqual(pixel(size / 2, size / 2 - RECHECK_FACE_PX / 2 - 4), 60);
        assert.strictEqual(pixel(size / 2, 2), 0);
    });

    it("scores the face by the best box the model finds where the face is, and 0 elsewhere", async () => {
        const { image, face } = imageWithBlock();
        // Where the face lies in the second look's input, as fractions of it.
        const third = 1 / RECHECK_CONTEXT;
        const [left, right] = [0.5 - third * (60 / 80) / 2, 0.5 + third * (60 / 80) / 2];
        const onFace: ScoredBox = { x: left, y: third, width: right - left, height: third, score: 0.3 };
        const elsewhere: ScoredBox = { x: 0, y: 0, width: third, height: third, score: 0.95 };
        const answer = (boxes: ScoredBox[]): SquareRun => async () => boxes;
        assert.strictEqual(await recheckScore(answer([onFace, elsewhere]), image, face, options), 0.3);
        assert.strictEqual(await recheckScore(answer([elsewhere]), image, face, options), 0);
        assert.strictEqual(await recheckScore(answer([]), image, face, options), 0);
    });
});

describe("a region cut for the model", () => {
    // A 300×300 red image.
    const red = { rgb: Buffer.from(Buffer.alloc(300 * 300 * 3).map((_, i) => (i % 3 === 0 ? 255 : 0))), width: 300, height: 300 };
    const pixel = (rgb: Uint8Array, size: number, x: number, y: number) => [...rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];

    it("enlarges a region whose edges fall inside a pixel without writing outside the square (a small photo's large face)", async () => {
        // Floored, the region's left and top lie 0.6 px before it; doubled, that rounded to -1.
        const rgb = await cutRegion(red, { x: 10.6, y: 10.6, width: 200, height: 200 }, 400);
        assert.strictEqual(rgb.length, 400 * 400 * 3);
        assert.deepStrictEqual([pixel(rgb, 400, 0, 0), pixel(rgb, 400, 399, 399)], [[255, 0, 0], [255, 0, 0]]);
    });

    it("leaves black what lies past the image's edges", async () => {
        const rgb = await cutRegion(red, { x: -100, y: -100, width: 200, height: 200 }, 200);
        assert.deepStrictEqual([pixel(rgb, 200, 50, 50), pixel(rgb, 200, 150, 150)], [[0, 0, 0], [255, 0, 0]]);
    });
});
