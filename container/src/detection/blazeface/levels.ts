/**
 * The BlazeFace engine's pyramid: the scales a frame is run at, each level's band of face heights,
 * and the inputs (whole scaled frames, or tiles of very large ones). No runtime is loaded here.
 */
import { Tile } from "../modelInput";
import { tileGrid, TILE_ALIGN } from "../passes";
import { BLAZEFACE_INPUT } from "./model";

/** A face of `minFaceSize` is brought to this height in the model's input. */
export const TARGET_FACE_PX = 36;
/** Each level keeps faces up to this many times `TARGET_FACE_PX`; the next shrinks the frame as much. */
export const LEVEL_STEP = 3;
/** Tiles of a level overlap by the largest face it keeps, and a little. */
const OVERLAP_PX = TARGET_FACE_PX * LEVEL_STEP + 8;
/** A scaled frame up to this size runs whole; larger ones in tiles (memory: the first maps are 24 channels at half size). */
const MAX_TILE_PIXELS = 1600 * 1600;
/** Without `minFaceSize`, faces down to this share of the frame's longer side. */
export const DEFAULT_MIN_FACE_SHARE = 1 / 16;

export interface Level {
    /** Model-input pixels per frame pixel. */
    readonly scale: number;
    readonly width: number;
    readonly height: number;
    /** Inputs the scaled frame is cut into: one, unless it is larger than `MAX_TILE_PIXELS`. */
    readonly tiles: readonly Tile[];
    /** Heights of the faces it keeps, in frame pixels: [minFace, maxFace). */
    readonly minFace: number;
    readonly maxFace: number;
}

/** The pyramid for a frame: levels from the finest (faces of `minFaceSize`) to the whole frame in one 256×256 input. */
export function planLevels(frame: { width: number; height: number }, minFaceSize: number): Level[] {
    const levels: Level[] = [];
    const fits = BLAZEFACE_INPUT / Math.max(frame.width, frame.height);
    let scale = Math.min(TARGET_FACE_PX / minFaceSize, 4);
    let minFace = 0;
    for (;;) {
        const last = scale <= fits;
        const used = last ? fits : scale;
        const [width, height] = [Math.max(1, Math.round(frame.width * used)), Math.max(1, Math.round(frame.height * used))];
        const maxFace = last ? Infinity : (TARGET_FACE_PX * LEVEL_STEP) / used;
        // The whole scaled frame in one input, its sides rounded up to the model's stride; very
        // large ones in the fewest tiles of at most MAX_TILE_PIXELS, overlapping by the largest face kept.
        const tiles = width * height <= MAX_TILE_PIXELS
            ? [{ x: 0, y: 0, width: align(width), height: align(height) }]
            : tileGrid(width, height, OVERLAP_PX);
        levels.push({ scale: used, width, height, tiles, minFace, maxFace });
        if (last) {
            return levels;
        }
        minFace = maxFace;
        scale /= LEVEL_STEP;
    }
}

const align = (value: number) => Math.ceil(value / TILE_ALIGN) * TILE_ALIGN;
