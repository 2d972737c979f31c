import * as assert from "assert";
import { CROP_METADATA, formatCropMetadata, parseCropMetadata } from "@crowd-emotions/face-detection-contract";

describe("crop metadata (the contract's keys, written by the detector, read by the emotion stage)", () => {
    const crop = { frameId: "cam7-000123", stream: "lobby", capturedAt: new Date("2026-12-07T10:15:30.250Z"), frameFaces: 12, faceIndex: 3, score: 0.9731, box: { x: 10, y: 20, width: 40, height: 50 } };

    it("reads back what it writes, under S3-safe lowercase keys", () => {
        const metadata = formatCropMetadata(crop);
        assert.deepStrictEqual(Object.keys(metadata).sort(), Object.values(CROP_METADATA).sort());
        assert.ok(Object.keys(metadata).every((key) => /^[a-z-]+$/.test(key)));
        assert.strictEqual(metadata.box, "10,20,40,50");
        assert.deepStrictEqual(parseCropMetadata(metadata), crop);
    });

    for (const [what, change] of [
        ["a missing frame id", { "frame-id": undefined }],
        ["a box of three numbers", { box: "1,2,3" }],
        ["a face index that is no integer", { "face-index": "1.5" }],
        ["a capture time that is no time", { "captured-at": "yesterday" }],
        ["a score that is no number", { score: "high" }],
    ] as const) {
        it(`refuses ${what}`, () => assert.strictEqual(parseCropMetadata({ ...formatCropMetadata(crop), ...change }), undefined));
    }
});
