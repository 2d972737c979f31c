/**
 * SSD MobileNet v1's outputs to face boxes, as face-api's outputLayer.ts and nonMaxSuppression.ts
 * do it, but only for the anchors whose face score passes the threshold (a handful of 5,118).
 */

import { Box, iou, ScoredBox } from "../../geometry";

/** face-api's overlap above which the lower-scoring of two boxes is dropped. */
const IOU_THRESHOLD = 0.5;

/**
 * Faces among the anchors: scores from the face logit, boxes decoded against their anchors (as
 * fractions of the input), overlaps suppressed greedily from the highest score, at most `maxResults`.
 */
export function decodeDetections(
    encodings: Float32Array, logits: Float32Array, anchors: Float32Array, minConfidence: number, maxResults: number,
): ScoredBox[] {
    const candidates: ScoredBox[] = [];
    for (let i = 0; i < anchors.length / 4; i++) {
        const score = 1 / (1 + Math.exp(-logits[i * 3 + 1]));
        if (score > minConfidence) {
            candidates.push({ ...decodeBox(encodings, anchors, i), score });
        }
    }
    candidates.sort((a, b) => b.score - a.score);
    const selected: ScoredBox[] = [];
    for (const candidate of candidates) {
        if (selected.length >= maxResults) {
            break;
        }
        if (selected.every((kept) => iou(kept, candidate) <= IOU_THRESHOLD)) {
            selected.push(candidate);
        }
    }
    return selected;
}

/** Anchor-relative encoding (ty/10, tx/10, log h/5, log w/5) to a box; anchors are (top, left, bottom, right). */
function decodeBox(encodings: Float32Array, anchors: Float32Array, i: number): Box {
    const [a0, a1, a2, a3] = anchors.subarray(i * 4, i * 4 + 4);
    const [e0, e1, e2, e3] = encodings.subarray(i * 4, i * 4 + 4);
    const anchorHeight = a2 - a0;
    const anchorWidth = a3 - a1;
    const centerY = (e0 / 10) * anchorHeight + a0 + anchorHeight / 2;
    const centerX = (e1 / 10) * anchorWidth + a1 + anchorWidth / 2;
    const halfHeight = (Math.exp(e2 / 5) * anchorHeight) / 2;
    const halfWidth = (Math.exp(e3 / 5) * anchorWidth) / 2;
    const [top, left] = [centerY - halfHeight, centerX - halfWidth];
    return { x: left, y: top, width: centerX + halfWidth - left, height: centerY + halfHeight - top };
}
