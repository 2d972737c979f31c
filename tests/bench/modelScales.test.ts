import * as assert from "assert";
import { measureModelScales } from "../../tools/bench/modelScales";

describe("the model's scale sweep (npm run bench -- --scales)", () => {
    it("maps each face's boxes back to the frame: nearly all found inside the band, fewer far below it", async () => {
        const { rows } = await measureModelScales({
            precision: "fp32", heights: [24, 60], sources: [{ width: 1280, height: 720, faceHeight: 96 }], seeds: [1],
        });
        const [tiny, inBand] = rows;
        // The frame's 15 faces, at each height.
        assert.deepStrictEqual(rows.map((row) => [row.inputFaceHeight, row.faces]), [[24, 15], [60, 15]]);
        assert.ok(inBand.found / inBand.faces >= 0.9, `${inBand.found} of ${inBand.faces} at 60 px`);
        assert.ok(tiny.found < inBand.found, `${tiny.found} at 24 px, ${inBand.found} at 60 px`);
    });
});
