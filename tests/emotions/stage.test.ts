import * as assert from "assert";
import { SheetManifest } from "@crowd-emotions/face-detection-contract";
import { emotionShares, moodMetrics } from "../../emotions/src/mood";
import { readSheet, RekognitionFace } from "../../emotions/src/sheetFaces";

/** Two cells of 100×100 px side by side on a 232×116 sheet, 16 px apart. */
const MANIFEST: SheetManifest = {
    version: 2, frameId: "frame-7", stream: "lobby-1", capturedAt: "2026-12-07T10:15:30.250Z", frameFaces: 2, sheets: 1, sheet: 0, frame: { width: 1920, height: 1080 }, sheetSize: { width: 232, height: 116 },
    cells: [
        { face: 0, box: { x: 100, y: 100, width: 40, height: 50 }, score: 0.98, source: { left: 80, top: 80, width: 80, height: 80 }, placed: { left: 8, top: 8, width: 100, height: 100 } },
        { face: 1, box: { x: 900, y: 500, width: 42, height: 52 }, score: 0.71, source: { left: 880, top: 480, width: 80, height: 80 }, placed: { left: 124, top: 8, width: 100, height: 100 } },
    ],
};
/** A Rekognition face centred at (x, y) sheet pixels, 40 px wide. */
const faceAt = (x: number, y: number, confidence: number, emotions: Record<string, number> = {}): RekognitionFace => ({
    BoundingBox: { Left: (x - 20) / 232, Top: (y - 20) / 116, Width: 40 / 232, Height: 40 / 116 },
    Confidence: confidence,
    Emotions: Object.entries(emotions).map(([Type, Confidence]) => ({ Type, Confidence })),
});

describe("the emotion stage", () => {
    describe("a sheet read back to the frame", () => {
        it("gives each cell the face Rekognition found in it, records the others as not found, and counts strays", () => {
            const reading = readSheet(MANIFEST, [
                faceAt(58, 58, 99.91, { HAPPY: 91.234, CALM: 6.5, SAD: 0.2 }),
                faceAt(60, 96, 40.0, { ANGRY: 99 }),          // in the cell, but mostly below its face: a stray
                faceAt(116, 58, 88, { FEAR: 50 }),            // in the grey between the cells
            ]);
            assert.deepStrictEqual(reading.faces, [
                { face: 0, box: MANIFEST.cells[0].box, score: 0.98, found: true, confidence: 99.9, emotion: "HAPPY", emotions: { HAPPY: 91.2, CALM: 6.5, SAD: 0.2 } },
                { face: 1, box: MANIFEST.cells[1].box, score: 0.71, found: false },
            ]);
            assert.strictEqual(reading.strays, 2);
        });

        it("gives a cell the box over its own face, not a more confident one whose centre lies in the cell but which is mostly outside it", () => {
            // Cell 1 spans 124–224 × 8–108 on the sheet; its face is drawn at 149–199 × 33–95.5.
            const neighbour: RekognitionFace = {
                // 99.9%: centred at (130, 58), inside the cell's left margin, but 80 px wide: mostly over the grey and cell 0.
                BoundingBox: { Left: 90 / 232, Top: 18 / 116, Width: 80 / 232, Height: 80 / 116 }, Confidence: 99.9, Emotions: [{ Type: "ANGRY", Confidence: 99 }],
            };
            const reading = readSheet(MANIFEST, [neighbour, faceAt(174, 64, 95, { HAPPY: 88 })]);
            assert.deepStrictEqual([reading.faces[1].found, reading.faces[1].emotion, reading.faces[1].confidence], [true, "HAPPY", 95]);
            assert.strictEqual(reading.faces[0].found, false);
            assert.strictEqual(reading.strays, 1);
        });

        it("ignores emotion types Rekognition may add later, and boxes without coordinates", () => {
            const reading = readSheet(MANIFEST, [faceAt(174, 58, 97, { SURPRISED: 70, UNKNOWN: 90 }), { Confidence: 99 }]);
            assert.deepStrictEqual(reading.faces[1].emotions, { SURPRISED: 70 });
            assert.strictEqual(reading.faces[1].emotion, "SURPRISED");
            assert.strictEqual(reading.strays, 1);
        });

        it("shares each emotion among the faces read, and puts the mood into embedded metric format", () => {
            const { faces } = readSheet(MANIFEST, [faceAt(58, 58, 99, { HAPPY: 90 }), faceAt(174, 58, 99, { SAD: 80, HAPPY: 10 })]);
            assert.deepStrictEqual(emotionShares(faces), { HAPPY: 50, SAD: 50, ANGRY: 0, CONFUSED: 0, DISGUSTED: 0, SURPRISED: 0, CALM: 0, FEAR: 0 });
            const line = moodMetrics("face-detection-prod", "CrowdEmotions", "lobby-1", faces, new Date("2026-12-02T10:00:00Z")) as any;
            assert.deepStrictEqual(line._aws.CloudWatchMetrics[0].Dimensions, [["Pipeline"], ["Pipeline", "Stream"]]);
            assert.strictEqual(line._aws.Timestamp, Date.parse("2026-12-02T10:00:00Z"));
            assert.deepStrictEqual([line.Pipeline, line.Stream, line.Faces, line.FacesRead, line.HappyShare, line.SadShare], ["face-detection-prod", "lobby-1", 2, 2, 50, 50]);
            // Every value the line carries is declared as a metric, and the other way round.
            const declared = line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort();
            assert.deepStrictEqual(declared, Object.keys(line).filter((k) => !["_aws", "Pipeline", "Stream"].includes(k)).sort());
        });

        it("declares no shares for a sheet with no face read", () => {
            const line = moodMetrics("p", "n", "s", readSheet(MANIFEST, []).faces, new Date()) as any;
            assert.deepStrictEqual(line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name), ["Faces", "FacesRead"]);
        });
    });
});
