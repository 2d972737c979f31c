/**
 * Faces from several frames, and streams, packed into one image for one Rekognition call.
 *
 * `DetectFaces` bills per image and returns the 100 largest faces, each at least 40×40 px relative
 * to a 1920×1080 image (larger in proportion for larger images; an image at least 80 px a side and
 * at most 5 MB as bytes: Amazon Rekognition Developer Guide, "Guidelines and quotas"). So a pack is
 * at most 1920×1080 px, holds at most 100 faces, each in a 120-px cell (the face, drawn with the
 * detector's margin around it, is then about 65 px), on grey, 8 px apart. Packs live in the
 * function's memory only; they are never stored.
 *
 * JPEG is decoded and encoded by jpeg-js, plain JavaScript: the function runs on arm64, where a
 * native image library would need its linux-arm64 build in the bundle; resampling is bilinear.
 */
import * as jpeg from "jpeg-js";
import { SheetCell, SheetRegion } from "@crowd-emotions/face-detection-contract";

export const PACK_MAX_WIDTH = 1920;
export const PACK_MAX_HEIGHT = 1080;
export const PACK_MAX_FACES = 100;
export const PACK_CELL = 120;
export const PACK_GAP = 8;
const PACK_JPEG_QUALITY = 90;
const GREY = 128;
/** Sheets are at most 1,600 px a side (100 cells of 160 px); anything much larger is not a sheet. */
const MAX_DECODED_MEGAPIXELS = 16;

const STEP = PACK_CELL + PACK_GAP;
export const PACK_COLUMNS = Math.floor((PACK_MAX_WIDTH - PACK_GAP) / STEP);
export const PACK_ROWS = Math.floor((PACK_MAX_HEIGHT - PACK_GAP) / STEP);
/** Faces one pack holds: what fits, and no more than Rekognition returns. */
export const PACK_CAPACITY = Math.min(PACK_MAX_FACES, PACK_COLUMNS * PACK_ROWS);

/** An image decoded to RGBA. */
export interface Pixels {
    readonly width: number;
    readonly height: number;
    readonly data: Uint8Array;
}

/** One face to pack: its cell, already drawn at the pack's cell size (`cellPixels`), and who it belongs to. */
export interface PackItem<R> {
    /** PACK_CELL × PACK_CELL pixels: a few tens of KB a face, whatever the size of the sheet it came from. */
    readonly pixels: Pixels;
    /** Where in those pixels the face's region is drawn (the rest is grey). */
    readonly drawn: SheetRegion;
    /** The frame region drawn (the face and its margin), in frame pixels. */
    readonly source: SheetRegion;
    /** The detector's face, as its sheet's manifest gives it. */
    readonly cell: Pick<SheetCell, "face" | "box" | "score">;
    /** Whose face it is (the caller's reference: message, frame, part). */
    readonly ref: R;
}

/** A pack laid out: its size, and per face where it is placed, as a sheet manifest lays out cells. */
export interface PackLayout<R> {
    readonly width: number;
    readonly height: number;
    /** `face` is the index into `items`; `placed` is where it lies in the pack. */
    readonly cells: readonly SheetCell[];
    readonly items: readonly PackItem<R>[];
}

/** Splits the faces into packs of at most PACK_CAPACITY, in the order given, and lays each out row by row. */
export function layoutPacks<R>(items: readonly PackItem<R>[]): PackLayout<R>[] {
    const packs: PackLayout<R>[] = [];
    for (let first = 0; first < items.length; first += PACK_CAPACITY) {
        const members = items.slice(first, first + PACK_CAPACITY);
        const columns = Math.min(PACK_COLUMNS, members.length);
        const rows = Math.ceil(members.length / columns);
        const cells = members.map((item, index) => ({
            face: index,
            box: item.cell.box,
            score: item.cell.score,
            source: item.source,
            // Where the frame region lies in the pack: as a sheet manifest's cells say it.
            placed: {
                left: PACK_GAP + (index % columns) * STEP + item.drawn.left, top: PACK_GAP + Math.floor(index / columns) * STEP + item.drawn.top,
                width: item.drawn.width, height: item.drawn.height,
            },
        }));
        packs.push({ width: PACK_GAP + columns * STEP, height: PACK_GAP + rows * STEP, cells, items: members });
    }
    return packs;
}

/** Decodes a sheet or crop JPEG, refusing one too large to be either before it takes the memory. */
export function decodeJpeg(bytes: Uint8Array): Pixels {
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODED_MEGAPIXELS, maxMemoryUsageInMB: 256 });
}

/** Grey RGBA pixels. */
function greyPixels(width: number, height: number): Uint8Array {
    const data = new Uint8Array(width * height * 4).fill(GREY);
    for (let i = 3; i < data.length; i += 4) {
        data[i] = 255;
    }
    return data;
}

/**
 * A face's region of its decoded sheet (or crop), scaled to fit a pack cell (centred, bilinear, on
 * grey). Taken once per face, so the decoded sheet can go at once.
 */
export function cellPixels(image: Pixels, region: SheetRegion): { pixels: Pixels; drawn: SheetRegion } {
    const data = greyPixels(PACK_CELL, PACK_CELL);
    const drawn = drawScaled(image, region, { data, width: PACK_CELL }, { left: 0, top: 0, width: PACK_CELL, height: PACK_CELL });
    return { pixels: { width: PACK_CELL, height: PACK_CELL, data }, drawn };
}

/** Copies each face's cell into its place, on grey, and encodes the pack. */
export function renderPack<R>(layout: PackLayout<R>): Buffer {
    const { width, height } = layout;
    const data = greyPixels(width, height);
    layout.cells.forEach((cell, index) => {
        const { pixels, drawn } = layout.items[index];
        const [cellLeft, cellTop] = [cell.placed.left - drawn.left, cell.placed.top - drawn.top];
        for (let y = 0; y < PACK_CELL; y++) {
            const from = y * PACK_CELL * 4;
            data.set(pixels.data.subarray(from, from + PACK_CELL * 4), ((cellTop + y) * width + cellLeft) * 4);
        }
    });
    return jpeg.encode({ width, height, data }, PACK_JPEG_QUALITY).data;
}

/** Bilinear resampling of `region` of `source` into `cell` of `target`, keeping the aspect ratio; where it was drawn. */
function drawScaled(source: Pixels, region: SheetRegion, target: { data: Uint8Array; width: number }, cell: SheetRegion): SheetRegion {
    const scale = Math.min(cell.width / region.width, cell.height / region.height);
    const drawnWidth = Math.max(1, Math.round(region.width * scale));
    const drawnHeight = Math.max(1, Math.round(region.height * scale));
    const left = cell.left + Math.floor((cell.width - drawnWidth) / 2);
    const top = cell.top + Math.floor((cell.height - drawnHeight) / 2);
    const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
    for (let y = 0; y < drawnHeight; y++) {
        const sy = clamp(region.top + (y + 0.5) / scale - 0.5, source.height - 1);
        const y0 = Math.floor(sy);
        const y1 = Math.min(y0 + 1, source.height - 1);
        const fy = sy - y0;
        for (let x = 0; x < drawnWidth; x++) {
            const sx = clamp(region.left + (x + 0.5) / scale - 0.5, source.width - 1);
            const x0 = Math.floor(sx);
            const x1 = Math.min(x0 + 1, source.width - 1);
            const fx = sx - x0;
            const out = ((top + y) * target.width + (left + x)) * 4;
            for (let c = 0; c < 3; c++) {
                const at = (px: number, py: number) => source.data[(py * source.width + px) * 4 + c];
                const value = (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
                target.data[out + c] = Math.round(value);
            }
        }
    }
    return { left, top, width: drawnWidth, height: drawnHeight };
}
