import * as assert from "assert";
import { cropKey } from "@crowd-emotions/face-detection-contract";
import { clampBox } from "../../container/src/geometry";
import { cropRegion, cropSize } from "../../container/src/render";

describe("crop geometry", () => {
    const regions: [string, Parameters<typeof cropRegion>, ReturnType<typeof cropRegion>][] = [
        ["pads by the margin times the larger side", [{ x: 100, y: 100, width: 50, height: 100, score: 1 }, 1000, 1000, 0.5], { left: 50, top: 50, width: 150, height: 200 }],
        ["clamps at the top-left corner", [{ x: 10, y: 5, width: 100, height: 100, score: 1 }, 1000, 1000, 0.4], { left: 0, top: 0, width: 150, height: 145 }],
        ["clamps at the bottom-right corner", [{ x: 950, y: 960, width: 50, height: 40, score: 1 }, 1000, 1000, 0.4], { left: 930, top: 940, width: 70, height: 60 }],
        ["no margin keeps the box", [{ x: 1, y: 2, width: 3, height: 4, score: 1 }, 10, 10, 0], { left: 1, top: 2, width: 3, height: 4 }],
    ];
    for (const [title, args, expected] of regions) {
        it(title, () => assert.deepStrictEqual(cropRegion(...args), expected));
    }

    const sizes: [Parameters<typeof cropSize>, ReturnType<typeof cropSize>][] = [
        [[{ left: 0, top: 0, width: 40, height: 60 }, 80], { width: 80, height: 120 }],
        [[{ left: 0, top: 0, width: 300, height: 200 }, 80], { width: 300, height: 200 }],
        [[{ left: 0, top: 0, width: 80, height: 80 }, 80], { width: 80, height: 80 }],
    ];
    for (const [args, expected] of sizes) {
        it(`sizes ${args[0].width}x${args[0].height} to at least ${args[1]} px: ${expected.width}x${expected.height}`, () => {
            assert.deepStrictEqual(cropSize(...args), expected);
        });
    }

    it("rounds and clamps detector boxes to the image", () => {
        assert.deepStrictEqual(clampBox({ x: -3.4, y: 10.6, width: 50.2, height: 2000 }, 0.987654, 100, 100), {
            x: 0, y: 11, width: 47, height: 89, score: 0.9877,
        });
    });

    it("lays keys out as prefix/yyyy/mm/dd/stream/frame/face-n.jpg, dated by the capture time in UTC", () => {
        assert.strictEqual(cropKey("crops/", { capturedAt: new Date("2026-01-02T23:59:59-05:00"), stream: "lobby-1", frameId: "cam1-0001" }, 2),
            "crops/2026/01/03/lobby-1/cam1-0001/face-2.jpg");
        assert.strictEqual(cropKey("", { capturedAt: new Date("2026-11-25T00:00:00Z"), stream: "default", frameId: "f" }, 0), "2026/11/25/default/f/face-0.jpg");
    });
});
