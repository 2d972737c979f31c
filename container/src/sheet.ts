/**
 * Face sheets: every face of a frame packed into one JPEG, so one Amazon Rekognition `DetectFaces`
 * call (billed per image, reading at most 100 faces) covers the frame. Each face sits in its own
 * cell with its head and shoulders, scaled so the face is well above Rekognition's minimum, on a
 * grey ground with gaps so that no two faces touch. A JSON manifest beside the sheet maps each cell
 * back to the face's box and score in the frame.
 */
import sharp from "sharp";
import { cropRegion, Region } from "./crop";
import { DecodedImage } from "./decode";
import { Face } from "./detector";
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

/** Where one face sits on a sheet, and where it came from in the frame. */
export interface SheetCell {
    /** Index of the face in the frame's `faces`. */
    readonly face: number;
    /** The face's box and score in the frame. */
    readonly box: { x: number; y: number; width: number; height: number };
    readonly score: number;
    /** The frame region (face and margin) drawn in the cell. */
    readonly source: Region;
    /** Where that region lies on the sheet, in sheet pixels. */
    readonly placed: Region;
}

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
export interface SheetManifest {
    readonly version: 1;
    readonly frameId: string;
    readonly sheet: number;
    readonly frame: { width: number; height: number };
    readonly sheetSize: { width: number; height: number };
    readonly cells: readonly SheetCell[];
}

/**
 * A box found on the sheet (e.g. a Rekognition `BoundingBox`, as fractions of the sheet) back to
 * the frame: the cell that holds its centre, and the box in frame pixels. Undefined when the
 * centre falls on no cell (the grey between cells).
 */
export function mapToFrame(
    manifest: Pick<SheetManifest, "sheetSize" | "cells">,
    box: { Left: number; Top: number; Width: number; Height: number },
): { face: number; box: { x: number; y: number; width: number; height: number } } | undefined {
    const { width, height } = manifest.sheetSize;
    const [left, top, boxWidth, boxHeight] = [box.Left * width, box.Top * height, box.Width * width, box.Height * height];
    const [cx, cy] = [left + boxWidth / 2, top + boxHeight / 2];
    const cell = manifest.cells.find(({ placed }) =>
        cx >= placed.left && cx < placed.left + placed.width && cy >= placed.top && cy < placed.top + placed.height);
    if (!cell) {
        return undefined;
    }
    const [scaleX, scaleY] = [cell.source.width / cell.placed.width, cell.source.height / cell.placed.height];
    return {
        face: cell.face,
        box: {
            x: cell.source.left + (left - cell.placed.left) * scaleX,
            y: cell.source.top + (top - cell.placed.top) * scaleY,
            width: boxWidth * scaleX,
            height: boxHeight * scaleY,
        },
    };
}
