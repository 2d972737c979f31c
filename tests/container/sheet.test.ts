import * as assert from "assert";
import sharp from "sharp";
import { Face } from "../../container/src/detection";
import { FACES_PER_SHEET, layoutSheets, renderSheet, resampleInto, SHEET_GAP } from "../../container/src/render";
import { mapToFrame } from "@crowd-emotions/face-detection-contract";

/** `count` faces of `size` px on a grid over a 1920×1080 frame. */
function gridFaces(count: number, size = 48): Face[] {
    return Array.from({ length: count }, (_, i) => ({
        x: (i % 30) * 64, y: Math.floor(i / 30) * 64 % 1000, width: Math.round(size * 0.8), height: size, score: 0.9 - i / 10_000,
    }));
}
const frame = { width: 1920, height: 1080 };
const overlaps = (a: { left: number; top: number; width: number; height: number }, b: typeof a, gap: number) =>
    a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;

describe("face sheets", () => {
    const counts: [number, number[]][] = [[1, [1]], [4, [4]], [100, [100]], [101, [100, 1]], [250, [100, 100, 50]]];
    for (const [count, perSheet] of counts) {
        it(`${count} face(s) make ${perSheet.length} sheet(s) of ${perSheet.join(", ")}, every face in exactly one`, () => {
            const sheets = layoutSheets(gridFaces(count), frame, 0.4);
            assert.deepStrictEqual(sheets.map((s) => s.cells.length), perSheet);
            assert.deepStrictEqual(sheets.flatMap((s) => s.cells.map((c) => c.face)), Array.from({ length: count }, (_, i) => i));
            assert.ok(perSheet.every((n) => n <= FACES_PER_SHEET));
        });
    }

    it("keeps faces apart, inside the sheet, and large enough for Rekognition", () => {
        const faces = gridFaces(100, 40);
        const [sheet] = layoutSheets(faces, frame, 0.4);
        // Rekognition reads faces from 40 px in a 1920×1080 image, more in proportion in a larger one.
        const floor = 40 * Math.max(1, Math.sqrt((sheet.width * sheet.height) / (1920 * 1080)));
        sheet.cells.forEach((cell, i) => {
            const { placed } = cell;
            assert.ok(placed.left >= SHEET_GAP && placed.top >= SHEET_GAP);
            assert.ok(placed.left + placed.width <= sheet.width - SHEET_GAP && placed.top + placed.height <= sheet.height - SHEET_GAP);
            const faceOnSheet = faces[i].height * (placed.height / cell.source.height);
            assert.ok(faceOnSheet >= floor, `face ${i} is ${faceOnSheet.toFixed(0)} px on the sheet, floor ${floor.toFixed(0)}`);
            for (const other of sheet.cells.slice(i + 1)) {
                assert.ok(!overlaps(placed, other.placed, SHEET_GAP - 1), `cells ${i} and ${other.face} are at least ${SHEET_GAP} px apart`);
            }
        });
        assert.ok(sheet.width >= 80 && sheet.height >= 80);
    });

    it("maps a box found on the sheet back to its face and the frame", () => {
        const faces = gridFaces(37);
        const [sheet] = layoutSheets(faces, frame, 0.4);
        for (const cell of sheet.cells) {
            const face = faces[cell.face];
            // The face's own box, drawn on the sheet, as Rekognition reports boxes: fractions of the image.
            const [sx, sy] = [cell.placed.width / cell.source.width, cell.placed.height / cell.source.height];
            const onSheet = {
                Left: (cell.placed.left + (face.x - cell.source.left) * sx) / sheet.width,
                Top: (cell.placed.top + (face.y - cell.source.top) * sy) / sheet.height,
                Width: (face.width * sx) / sheet.width,
                Height: (face.height * sy) / sheet.height,
            };
            const mapped = mapToFrame({ sheetSize: sheet, cells: sheet.cells }, onSheet)!;
            assert.strictEqual(mapped.face, cell.face);
            for (const key of ["x", "y", "width", "height"] as const) {
                assert.ok(Math.abs(mapped.box[key] - face[key]) < 0.01, `${key}: ${mapped.box[key]} vs ${face[key]}`);
            }
        }
        // A box centred on the grey between cells belongs to no face.
        assert.strictEqual(mapToFrame({ sheetSize: sheet, cells: sheet.cells }, { Left: 0, Top: 0, Width: 4 / sheet.width, Height: 4 / sheet.height }), undefined);
    });

    it("renders the face regions of the frame on grey, and a full sheet stays far below Rekognition's 5 MB", async () => {
        // A frame of noise, so that JPEG can't shrink it: the worst case for the sheet's size.
        const rgb = Buffer.alloc(1920 * 1080 * 3);
        for (let i = 0; i < rgb.length; i++) {
            rgb[i] = (i * 2654435761) >>> 24;
        }
        const [sheet] = layoutSheets(gridFaces(100), frame, 0.4);
        const jpeg = await renderSheet({ rgb, width: 1920, height: 1080 }, sheet, 90);
        const decoded = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
        assert.deepStrictEqual([decoded.info.width, decoded.info.height], [sheet.width, sheet.height]);
        assert.ok(jpeg.length < 5 * 1024 * 1024, `${jpeg.length} bytes`);
        const at = (x: number, y: number) => [...decoded.data.subarray((y * sheet.width + x) * 3, (y * sheet.width + x) * 3 + 3)];
        for (const value of at(SHEET_GAP / 2, SHEET_GAP / 2)) {
            assert.ok(Math.abs(value - 128) <= 3, `the gap is grey: ${at(SHEET_GAP / 2, SHEET_GAP / 2)}`);
        }
    });
});

describe("resampling a face region into a sheet cell", () => {
    // A 4×2 image: left half black, right half white; one row of greys below.
    const rgb = Buffer.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]);
    const image = { rgb, width: 4, height: 2 };
    const draw = (source: { left: number; top: number; width: number; height: number }, width: number, height: number) => {
        const target = Buffer.alloc(width * height * 3, 7);
        resampleInto(image, source, target, width, { left: 0, top: 0, width, height });
        return [...target].filter((_, i) => i % 3 === 0);
    };

    it("copies a region at the same size", () => {
        assert.deepStrictEqual(draw({ left: 1, top: 0, width: 2, height: 2 }, 2, 2), [0, 255, 20, 30]);
    });

    it("averages the pixels under each target pixel when shrinking", () => {
        assert.deepStrictEqual(draw({ left: 0, top: 0, width: 4, height: 2 }, 2, 1), [Math.round((0 + 0 + 10 + 20) / 4), Math.round((255 + 255 + 30 + 40) / 4)]);
    });

    it("interpolates between pixel centres when enlarging", () => {
        // Two pixels, 0 and 255, drawn four wide: the centres fall at 1/4 and 3/4 of the way.
        assert.deepStrictEqual(draw({ left: 1, top: 0, width: 2, height: 1 }, 4, 1), [0, 64, 191, 255]);
    });
});
