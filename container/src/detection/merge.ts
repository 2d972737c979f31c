/**
 * Merging what the passes and tiles find into one list of faces: each pass keeps the faces of its
 * size window, a tile drops the faces its inner edges cut (a neighbour holds them whole), and
 * overlapping boxes found twice are suppressed, the coarse pass's boxes first.
 */
import { bottom, iou, overlapArea, right, ScoredBox } from "../geometry";
import { Face } from "./detector";
import { Tile } from "./modelInput";

/** A box in frame pixels that reaches this close (in model-input pixels) to a tile's inner edge is cut by it. */
export const EDGE_PX = 2;
/** face-api's overlap above which the lower of two boxes is dropped. */
export const MERGE_IOU = 0.5;
/**
 * A box from a finer pass that lies this much inside a face an earlier pass kept is that face:
 * a part of it (an eye band of a large face, say) where that face is `PART_OF` times as tall or
 * more, which is dropped; else the face boxed again.
 */
export const CONTAINED = 0.5;
export const PART_OF = 2;

/**
 * Whether a box lies clear of the tile's inner edges: the edges that are not the scaled frame's own
 * border. `frame` is the scaled frame's size.
 */
export function clearOfInnerEdges(box: ScoredBox, tile: Tile, frame: { width: number; height: number }): boolean {
    const inner = {
        left: tile.x > 0, top: tile.y > 0,
        right: right(tile) < frame.width, bottom: bottom(tile) < frame.height,
    };
    return !(inner.left && box.x < EDGE_PX)
        && !(inner.top && box.y < EDGE_PX)
        && !(inner.right && right(box) > tile.width - EDGE_PX)
        && !(inner.bottom && bottom(box) > tile.height - EDGE_PX);
}

/**
 * One list from several: `ranked` lists in order of precedence (the coarse pass first). Within a
 * list, boxes that overlap a higher-scoring one are suppressed, as face-api does; a box that
 * overlaps or lies inside a box of an earlier list is the same face, and the higher score's box
 * stands, unless it is only a part of that face.
 */
export function mergeFaces(ranked: readonly (readonly Face[])[]): Face[] {
    const kept: Face[] = [];
    for (const faces of ranked) {
        const earlier = kept.length;
        for (const face of [...faces].sort((a, b) => b.score - a.score)) {
            const overlaps = (other: Face) => iou(other, face) > MERGE_IOU;
            if (kept.slice(earlier).some(overlaps)) {
                continue;
            }
            const same = kept.findIndex((other, i) => i < earlier
                && (overlaps(other) || overlapArea(other, face) > CONTAINED * face.width * face.height));
            if (same < 0) {
                kept.push(face);
            } else if (kept[same].height < PART_OF * face.height && face.score > kept[same].score) {
                kept[same] = face;
            }
        }
    }
    return kept;
}
