/**
 * BlazeFace's outputs to boxes, as MediaPipe's TensorsToDetections decodes them (x/y/w/h scales
 * of 256, anchors of no size): a box's centre is its anchor's plus the offset, its size the
 * predicted one, both in input pixels; the score the sigmoid of the clipped logit. Overlaps are
 * suppressed greedily from the highest score.
 */
import { iou, ScoredBox } from "../../geometry";

/** Above this overlap the lower of two boxes is dropped (MediaPipe's min_suppression_threshold). */
export const BLAZEFACE_NMS_IOU = 0.3;

/** Boxes of one input (`index` in a batch), in its pixels; `anchors` are centres in its pixels. */
export function decodeBlazeface(
    boxes: Float32Array, scores: Float32Array, anchors: Float32Array, index: number, minScore: number, maxResults: number,
): ScoredBox[] {
    const count = anchors.length / 2;
    const candidates: ScoredBox[] = [];
    for (let i = 0; i < count; i++) {
        const logit = Math.min(100, Math.max(-100, scores[index * count + i]));
        const score = 1 / (1 + Math.exp(-logit));
        if (score < minScore) {
            continue;
        }
        const r = (index * count + i) * 16;
        const [cx, cy] = [boxes[r] + anchors[i * 2], boxes[r + 1] + anchors[i * 2 + 1]];
        const [width, height] = [boxes[r + 2], boxes[r + 3]];
        if (width > 0 && height > 0) {
            candidates.push({ x: cx - width / 2, y: cy - height / 2, width, height, score });
        }
    }
    candidates.sort((a, b) => b.score - a.score);
    const kept: ScoredBox[] = [];
    for (const candidate of candidates) {
        if (kept.length >= maxResults) {
            break;
        }
        if (kept.every((box) => iou(box, candidate) <= BLAZEFACE_NMS_IOU)) {
            kept.push(candidate);
        }
    }
    return kept;
}
