/**
 * Merging what the passes and tiles find into one list of faces: each pass keeps the faces of its
 * size window, a tile drops the faces its inner edges cut (a neighbour holds them whole), and
 * overlapping boxes found twice are suppressed, the coarse pass's boxes first.
 */
import { Face } from "./detector";
import { iou } from "./onnx/ssdDecode";
import { Tile } from "./modelInput";

/** A box in frame pixels that reaches this close (in model-input pixels) to a tile's inner edge is cut by it. */
export const EDGE_PX = 2;
/** face-api's overlap above which the lower of two boxes is dropped. */
export const MERGE_IOU = 0.5;
/**
 * A box from a finer pass that lies this much inside a face an earlier pass kept is part of that
 * face (an eye band of a large face, say), not a face of its own.
 */
export const CONTAINED = 0.5;

/** A box (fractions of a tile) in model-input pixels of the tile. */
export interface TileBox {
    readonly top: number;
    readonly left: number;
    readonly bottom: number;
    readonly right: number;
    readonly score: number;
}

/**
 * Whether a box lies clear of the tile's inner edges: the edges that are not the scaled frame's own
 * border. `frame` is the scaled frame's size.
 */
export function clearOfInnerEdges(box: TileBox, tile: Tile, frame: { width: number; height: number }): boolean {
    const inner = {
        left: tile.left > 0, top: tile.top > 0,
        right: tile.left + tile.width < frame.width, bottom: tile.top + tile.height < frame.height,
    };
    return !(inner.left && box.left < EDGE_PX)
        && !(inner.top && box.top < EDGE_PX)
        && !(inner.right && box.right > tile.width - EDGE_PX)
        && !(inner.bottom && box.bottom > tile.height - EDGE_PX);
}

/**
 * One list from several: `ranked` lists in order of precedence (the coarse pass first), each box
 * kept unless it overlaps a box already kept, or lies inside one an earlier list kept. Within a
 * list, higher scores come first.
 */
export function mergeFaces(ranked: readonly (readonly Face[])[]): Face[] {
    const kept: Face[] = [];
    for (const faces of ranked) {
        const earlier = kept.length;
        for (const face of [...faces].sort((a, b) => b.score - a.score)) {
            const clash = kept.some((other, i) => iou(corners(other), corners(face)) > MERGE_IOU
                || (i < earlier && overlapArea(other, face) > CONTAINED * face.width * face.height));
            if (!clash) {
                kept.push(face);
            }
        }
    }
    return kept;
}

function corners(face: Face) {
    return { top: face.y, left: face.x, bottom: face.y + face.height, right: face.x + face.width };
}

function overlapArea(a: Face, b: Face): number {
    return Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
        * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
}
