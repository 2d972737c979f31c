/**
 * Face sheets: every face of a frame packed into one JPEG, so one Amazon Rekognition `DetectFaces`
 * call (billed per image, reading at most 100 faces) covers the frame. Each face sits in its own
 * cell with its head and shoulders, scaled so the face is well above Rekognition's minimum, on a
 * grey ground with gaps so that no two faces touch. A JSON manifest beside the sheet maps each cell
 * back to the face's box and score in the frame.
 */
import { SheetCell } from "@crowd-emotions/face-detection-contract";
import sharp from "sharp";
import { ScoredBox as Face } from "../geometry";
import { DecodedImage } from "../image";
import { cropRegion } from "./crop";
import { resampleInto } from "./resample";

/** Rekognition's `DetectFaces` reads at most 100 faces per image. */
export const FACES_PER_SHEET = 100;
/**
 * A cell's side in pixels. With the default margin (0.4) a face fills about 90 px of it: over
 * twice the 40 px Rekognition needs in a 1920×1080 image, and, on a full 10×10 sheet of
 * 1,760×1,760 px, still above the floor scaled to that size (about 49 px).
 * https://docs.aws.amazon.com/rekognition/latest/dg/limits.html
 */
export const SHEET_CELL = 160;
/** Grey between cells, so faces never touch and Rekognition sees each one apart. */
export const SHEET_GAP = 16;
const GROUND = { r: 128, g: 128, b: 128 };

export interface SheetLayout {
    readonly width: number;
    readonly height: number;
    readonly cells: readonly SheetCell[];
}

/** The sheets' layout: faces in order, 100 a sheet, on a square-ish grid each. */
export function layoutSheets(faces: readonly Face[], frame: { width: number; height: number }, margin: number): SheetLayout[] {
    const sheets: SheetLayout[] = [];
    for (let first = 0; first < faces.length; first += FACES_PER_SHEET) {
        const count = Math.min(FACES_PER_SHEET, faces.length - first);
        const columns = Math.ceil(Math.sqrt(count));
        const rows = Math.ceil(count / columns);
        const cells = Array.from({ length: count }, (_, i): SheetCell => {
            const face = faces[first + i];
            const source = cropRegion(face, frame.width, frame.height, margin);
            // The region scaled to fit the cell, centred in it.
            const scale = SHEET_CELL / Math.max(source.width, source.height);
            const width = Math.max(1, Math.round(source.width * scale));
            const height = Math.max(1, Math.round(source.height * scale));
            const cellLeft = SHEET_GAP + (i % columns) * (SHEET_CELL + SHEET_GAP);
            const cellTop = SHEET_GAP + Math.floor(i / columns) * (SHEET_CELL + SHEET_GAP);
            return {
                face: first + i,
                box: { x: face.x, y: face.y, width: face.width, height: face.height },
                score: face.score,
                source,
                placed: { left: cellLeft + Math.floor((SHEET_CELL - width) / 2), top: cellTop + Math.floor((SHEET_CELL - height) / 2), width, height },
            };
        });
        sheets.push({
            width: SHEET_GAP + columns * (SHEET_CELL + SHEET_GAP),
            height: SHEET_GAP + rows * (SHEET_CELL + SHEET_GAP),
            cells,
        });
    }
    return sheets;
}

/**
 * The sheet as a JPEG. The cells are resampled straight into one RGB buffer and encoded once:
 * a libvips pipeline per cell cost about 10 ms each, most of a crowd frame's sheet time.
 */
export async function renderSheet(image: DecodedImage, layout: SheetLayout, jpegQuality: number): Promise<Buffer> {
    const rgb = Buffer.alloc(layout.width * layout.height * 3, GROUND.r);
    for (const cell of layout.cells) {
        resampleInto(image, cell.source, rgb, layout.width, cell.placed);
    }
    return sharp(rgb, { raw: { width: layout.width, height: layout.height, channels: 3 } })
        .jpeg({ quality: jpegQuality, mozjpeg: false })
        .toBuffer();
}

/** The manifest stored beside a sheet. */
