/**
 * Where in a frame the detector looks, and at what scale. SSD MobileNet v1 is fully convolutional,
 * but it finds faces reliably only in a narrow band of heights in its own input: of 182 faces
 * placed in composed crowd frames and shown to it at each height (`npm run bench -- --scales`),
 * it scores 0.5 or more on 88% at 42 px, 96% at 48 px, 99–100% from 54 to 72 px, then 80% at
 * 80 px, 60% at 88 px and 84% at 96 px (int8; fp32 alike). face-api shrinks
 * every frame into one 512×512 input, so a 1920×1080 frame's faces reach it 3.75 times smaller and
 * faces under about 150 px are lost. Crowd frames therefore get fine passes: the frame scaled so
 * that a face of `minFaceSize` reaches the model at `FINE_FACE_PX`, then smaller and smaller so
 * that every face height lands in the band in some pass, each pass cut into tiles that bound the
 * memory one run needs. The coarse pass (face-api's letterbox) keeps the large faces, with the
 * boxes face-api gives.
 */
import { MODEL_INPUT_SIZE, Tile } from "./modelInput";

/**
 * The finest pass brings a face of `minFaceSize` to this height in the model's input. Measured on
 * the bench's 1080p crowd frames at MIN_FACE_SIZE=40 (int8, recall at 40 / 48 / 64 px, detection
 * time on one core): 40 → 90% / 95% / 98%, 370 ms; 42 → 90% / 98% / 99%, 400 ms; 48 → 95% / 98% /
 * 95%, 650 ms. 42 meets the recall targets at two thirds of the cost of 48: pixels grow with the
 * square of the scale.
 */
export const FINE_FACE_PX = 42;
/**
 * Each fine pass is responsible for faces from `FINE_FACE_PX` up to this tall in its input; the
 * next pass shrinks the frame by their ratio (×0.54), so its smallest faces are the largest of this
 * one. Measured on the crowd set's frames, scored as the bench scores them, with the detector run
 * in-process and one constant changed at a time (recall of the weakest row the ≥ 95% target covers,
 * over 1080p, 720p and 4K): 66 → 93.8% (and 10% slower: more passes), 72 → 95.0%, 78 → 96.7%,
 * 84 → 92.2% (more faces land in the dip above 80 px). The old single octave (96, ×0.5) left
 * sample2's middle face at 50 and 101 px, where it scores 0.25–0.47, in 7 of 8 placements: 92%.
 */
export const FINE_WINDOW_PX = 78;
export const FINE_STEP = FINE_FACE_PX / FINE_WINDOW_PX;
/**
 * The coarse pass is trusted alone for faces at least this tall in its input (the band's lower
 * edge; at 48 px, 4% of faces score under 0.5). Below it, fine passes also look.
 */
export const COARSE_MIN_FACE_PX = 56;
/**
 * Neighbouring passes' windows overlap by this factor, so a face at a border is kept by one pass
 * or both (then merged), never by neither. 1.25 measured within a face of the same recall per row,
 * with larger tile overlaps.
 */
export const WINDOW_OVERLAP = 1.15;
/**
 * Tiles are at most this many pixels (1280×1280): a 1920×1080 frame at ×1.05 takes two tiles, and
 * one run's activations stay under about 500 MB in fp32 (less in int8).
 */
export const MAX_TILE_PIXELS = 1280 * 1280;
/** Enough for the largest frame decoded (50 MP) at twice its size. */
const MAX_TILES_PER_SIDE = 16;
/** Tile sides are multiples of this, the stride of the feature map the small faces come from. */
export const TILE_ALIGN = 32;

export interface FinePass {
    readonly kind: "fine";
    /** Model-input pixels per frame pixel. */
    readonly scale: number;
    /** The frame's size once scaled. */
    readonly width: number;
    readonly height: number;
    readonly tiles: readonly Tile[];
    /** The faces this pass keeps, by height in frame pixels: at least `minFace`, under `maxFace`. */
    readonly minFace: number;
    readonly maxFace: number;
}

export interface CoarsePass {
    readonly kind: "coarse";
    readonly scale: number;
    /** Faces this pass keeps: at least this tall, in frame pixels. */
    readonly minFace: number;
}

export type Pass = FinePass | CoarsePass;

/**
 * The passes for a frame, finest first: fine passes from the scale that brings a face of
 * `minFaceSize` to `FINE_FACE_PX`, each `FINE_STEP` of the one before, until the coarse pass
 * reaches the faces the last one leaves; then the coarse pass, alone for the faces it is trusted
 * for (at least `COARSE_MIN_FACE_PX` in its input). Only the coarse pass where it already shows a
 * face of `minFaceSize` at `FINE_FACE_PX` or more.
 */
export function planPasses(frame: { width: number; height: number }, minFaceSize: number): Pass[] {
    const coarseScale = MODEL_INPUT_SIZE / Math.max(frame.width, frame.height);
    const coarseMinFace = COARSE_MIN_FACE_PX / coarseScale;
    const passes: FinePass[] = [];
    // A pass at the coarse pass's scale or below would see nothing the coarse pass does not.
    for (let scale = FINE_FACE_PX / minFaceSize; scale > coarseScale; scale *= FINE_STEP) {
        const minFace = passes.length === 0 ? 0 : FINE_FACE_PX / scale / WINDOW_OVERLAP;
        // Faces the coarse pass is trusted for are its alone, so theirs are face-api's boxes.
        const maxFace = Math.min(FINE_WINDOW_PX * WINDOW_OVERLAP / scale, coarseMinFace);
        const width = Math.max(1, Math.round(frame.width * scale));
        const height = Math.max(1, Math.round(frame.height * scale));
        // A face the pass keeps (about as wide as tall, at most) fits whole, with room, in some tile.
        const overlap = align(Math.ceil(maxFace * scale * WINDOW_OVERLAP));
        passes.push({ kind: "fine", scale, width, height, tiles: tileGrid(width, height, overlap), minFace, maxFace });
        if (maxFace >= coarseMinFace) {
            break;
        }
    }
    const last = passes[passes.length - 1];
    const coarseMin = last ? Math.min(FINE_WINDOW_PX / last.scale / WINDOW_OVERLAP, coarseMinFace / WINDOW_OVERLAP) : 0;
    return [...passes, { kind: "coarse", scale: coarseScale, minFace: coarseMin }];
}

/**
 * The fewest pixels of tiles that cover a `width`×`height` image: a grid of equal tiles of at most
 * `MAX_TILE_PIXELS` each, neighbours overlapping by at least `overlap`, aligned to `TILE_ALIGN`.
 */
export function tileGrid(width: number, height: number, overlap: number): Tile[] {
    const spans = (length: number, count: number) => {
        const size = align(Math.ceil((length + (count - 1) * overlap) / count));
        const step = count > 1 ? (length - size) / (count - 1) : 0;
        return Array.from({ length: count }, (_, i) => ({ start: Math.max(0, Math.round(i * step)), size }));
    };
    let best: { columns: number; rows: number; pixels: number } | undefined;
    for (let columns = 1; columns <= MAX_TILES_PER_SIDE; columns++) {
        for (let rows = 1; rows <= MAX_TILES_PER_SIDE; rows++) {
            const [w, h] = [spans(width, columns)[0].size, spans(height, rows)[0].size];
            const pixels = columns * rows * w * h;
            if (w * h <= MAX_TILE_PIXELS && (!best || pixels < best.pixels)) {
                best = { columns, rows, pixels };
            }
        }
    }
    if (!best) {
        throw new Error(`A ${width}×${height} input needs more than ${MAX_TILES_PER_SIDE}×${MAX_TILES_PER_SIDE} tiles.`);
    }
    const columns = spans(width, best.columns);
    return spans(height, best.rows).flatMap((row) => columns.map((column) => ({ x: column.start, y: row.start, width: column.size, height: row.size })));
}

function align(value: number): number {
    return Math.ceil(value / TILE_ALIGN) * TILE_ALIGN;
}
