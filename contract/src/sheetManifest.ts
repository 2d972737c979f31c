/**
 * The face sheet's manifest: the JSON object the detector stores beside each sheet
 * (`sheet-<n>.json`), and what the emotion stage reads to map Rekognition's faces on the sheet back
 * to the frame. Both sides import this one definition.
 */

/** A rectangle in pixels. */
export interface SheetRegion {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
}

/** Where one face sits on a sheet, and where it came from in the frame. */
export interface SheetCell {
    /** Index of the face in the frame's `faces`. */
    readonly face: number;
    /** The face's box and score in the frame. */
    readonly box: { x: number; y: number; width: number; height: number };
    readonly score: number;
    /** The frame region (face and margin) drawn in the cell. */
    readonly source: SheetRegion;
    /** Where that region lies on the sheet, in sheet pixels. */
    readonly placed: SheetRegion;
}

export const MANIFEST_VERSION = 2;

export interface SheetManifest {
    /** 2: with the frame's stream, capture time, face count and sheet count. */
    readonly version: typeof MANIFEST_VERSION;
    readonly frameId: string;
    /** The camera the frame came from (`stream` custom attribute). */
    readonly stream: string;
    /** When the frame was captured, ISO 8601 in UTC (`captured-at`; its arrival when not given). */
    readonly capturedAt: string;
    /** Faces in the whole frame, over all its sheets: the crowd's size needs no other read. */
    readonly frameFaces: number;
    /** Sheets of the frame (one per 100 faces). */
    readonly sheets: number;
    readonly sheet: number;
    readonly frame: { width: number; height: number };
    readonly sheetSize: { width: number; height: number };
    readonly cells: readonly SheetCell[];
}

/** A box as Rekognition gives it: fractions of the image's width and height. */
export interface FractionBox {
    readonly Left: number;
    readonly Top: number;
    readonly Width: number;
    readonly Height: number;
}

/**
 * A box found on the sheet (e.g. a Rekognition `BoundingBox`, as fractions of the sheet) back to
 * the frame: the cell that holds its centre, and the box in frame pixels. Undefined when the
 * centre falls on no cell (the grey between cells).
 */
export function mapToFrame(
    manifest: Pick<SheetManifest, "sheetSize" | "cells">,
    box: FractionBox,
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

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isRegion = (value: unknown): boolean => {
    const r = value as Record<string, unknown> | null;
    return r !== null && typeof r === "object" && [r.left, r.top, r.width, r.height].every(isNumber);
};

/**
 * Reads a manifest's JSON, refusing anything that is not a version-1 manifest with a message that
 * names what is wrong (the emotion stage reads these from a bucket others may write to).
 */
/** The most faces a frame holds (the detector's `maxFaces` range), and so the most sheets and cells. */
export const MAX_FRAME_FACES = 1000;
export const MAX_SHEET_CELLS = 100;
/** Sheets are at most 1,600 px a side; frames, at most 16,384 (the detector's decoding bound). */
const MAX_SHEET_SIDE = 4096;
const MAX_FRAME_SIDE = 16_384;

/**
 * Reads a manifest's JSON, refusing anything that is not a version-2 manifest within the
 * contract's own limits, with a message that names what is wrong: the emotion stage reads these
 * from a bucket others may write to, so every number is checked (finite, in range, cells on the
 * sheet and in the frame) before anything is asked of Rekognition.
 */
export function parseSheetManifest(text: string, source: string): SheetManifest {
    let value: Record<string, any>;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error(`${source} is not JSON.`);
    }
    const fail = (what: string) => new Error(`${source} is not a face sheet manifest: ${what}.`);
    if (value === null || typeof value !== "object") {
        throw fail("not an object");
    }
    if (value.version !== MANIFEST_VERSION) {
        throw fail(`version ${JSON.stringify(value.version)}, expected ${MANIFEST_VERSION}`);
    }
    if (typeof value.frameId !== "string" || value.frameId === "") {
        throw fail("no frameId");
    }
    if (typeof value.stream !== "string" || value.stream === "") {
        throw fail("no stream");
    }
    if (typeof value.capturedAt !== "string" || Number.isNaN(new Date(value.capturedAt).getTime())) {
        throw fail("no capturedAt time");
    }
    if (!Number.isInteger(value.frameFaces) || value.frameFaces < 1 || value.frameFaces > MAX_FRAME_FACES
        || !Number.isInteger(value.sheets) || value.sheets !== Math.ceil(value.frameFaces / MAX_SHEET_CELLS)) {
        throw fail(`no frameFaces (1-${MAX_FRAME_FACES}) with its count of sheets (one per ${MAX_SHEET_CELLS} faces)`);
    }
    if (!Number.isInteger(value.sheet) || value.sheet < 0 || value.sheet >= value.sheets) {
        throw fail("no sheet index within the frame's sheets");
    }
    for (const [key, max] of [["frame", MAX_FRAME_SIDE], ["sheetSize", MAX_SHEET_SIDE]] as const) {
        if (!isNumber(value[key]?.width) || !isNumber(value[key]?.height) || value[key].width < 1 || value[key].height < 1
            || value[key].width > max || value[key].height > max) {
            throw fail(`no ${key} size of 1-${max} px`);
        }
    }
    if (!Array.isArray(value.cells) || value.cells.length === 0 || value.cells.length > MAX_SHEET_CELLS) {
        throw fail(`no cells (1-${MAX_SHEET_CELLS})`);
    }
    const within = (r: { left: number; top: number; width: number; height: number }, size: { width: number; height: number }) =>
        r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.left + r.width <= size.width + 0.5 && r.top + r.height <= size.height + 0.5;
    value.cells.forEach((cell: Record<string, any>, i: number) => {
        const box = cell?.box;
        if (!Number.isInteger(cell?.face) || cell.face < 0 || cell.face >= value.frameFaces || !isNumber(cell?.score)
            || !isRegion(cell?.source) || !isRegion(cell?.placed) || ![box?.x, box?.y, box?.width, box?.height].every(isNumber)) {
            throw fail(`cell ${i} is malformed`);
        }
        if (!within(cell.placed, value.sheetSize) || !within(cell.source, value.frame)
            || !within({ left: box.x, top: box.y, width: box.width, height: box.height }, value.frame)) {
            throw fail(`cell ${i} lies outside its sheet or frame`);
        }
    });
    return value as SheetManifest;
}
