/**
 * The one rectangle of the detector: a box by its top-left corner and size, in whatever pixels (or
 * fractions of an input) the code at hand works in; the sheet manifest's regions (`left`, `top`)
 * are the contract's wire format and are converted at the manifest alone.
 */

/** A rectangle: `x`, `y` of its top-left corner, and its size. */
export interface Box {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}

/** A box with a detection score (0–1). */
export interface ScoredBox extends Box {
    readonly score: number;
}

export const right = (box: Box) => box.x + box.width;
export const bottom = (box: Box) => box.y + box.height;

/** The area two boxes share. */
export function overlapArea(a: Box, b: Box): number {
    return Math.max(0, Math.min(right(a), right(b)) - Math.max(a.x, b.x))
        * Math.max(0, Math.min(bottom(a), bottom(b)) - Math.max(a.y, b.y));
}

/** Intersection over union; 0 for a degenerate box, as face-api's IOU. */
export function iou(a: Box, b: Box): number {
    const areaA = a.width * a.height;
    const areaB = b.width * b.height;
    if (areaA <= 0 || areaB <= 0) {
        return 0;
    }
    const overlap = overlapArea(a, b);
    return overlap / (areaA + areaB - overlap);
}

/** A box rounded to whole pixels inside a `width`×`height` image, with its score to four decimals. */
export function clampBox(box: Box, score: number, width: number, height: number): ScoredBox {
    const left = Math.max(0, Math.round(box.x));
    const top = Math.max(0, Math.round(box.y));
    const rightEdge = Math.min(width, Math.round(right(box)));
    const bottomEdge = Math.min(height, Math.round(bottom(box)));
    return { x: left, y: top, width: Math.max(0, rightEdge - left), height: Math.max(0, bottomEdge - top), score: Math.round(score * 10000) / 10000 };
}
