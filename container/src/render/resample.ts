import { DecodedImage } from "../image";
import type { Region } from "./crop";

/**
 * `source` of `image` drawn into `target` (a `targetWidth`-wide RGB buffer) at `placed`: each
 * target pixel averages the source pixels under it when shrinking, and interpolates bilinearly
 * between the nearest four when enlarging.
 */
export function resampleInto(image: DecodedImage, source: Region, target: Buffer, targetWidth: number, placed: Region): void {
    // One mode for both axes, as when the region is shrunk along one and enlarged along the other.
    const shrinking = source.width > placed.width || source.height > placed.height;
    const columns = sourceSpans(source.left, source.width / placed.width, placed.width, image.width, shrinking);
    const rows = sourceSpans(source.top, source.height / placed.height, placed.height, image.height, shrinking);
    const { rgb, width } = image;
    for (let ty = 0; ty < placed.height; ty++) {
        const out = ((placed.top + ty) * targetWidth + placed.left) * 3;
        if (shrinking) {
            shrinkRow(rgb, width, columns, rows.first[ty], rows.end[ty], target, out, placed.width);
        } else {
            enlargeRow(rgb, columns, rows.first[ty] * width * 3, rows.next[ty] * width * 3, rows.fraction[ty], target, out, placed.width);
        }
    }
}

type Spans = ReturnType<typeof sourceSpans>;

/** One target row, each pixel the mean of the whole source pixels it covers (rows `top` to `bottom`). */
function shrinkRow(rgb: Uint8Array, width: number, columns: Spans, top: number, bottom: number, target: Buffer, out: number, count: number): void {
    for (let tx = 0; tx < count; tx++, out += 3) {
        const left = columns.first[tx];
        const right = columns.end[tx];
        let r = 0;
        let g = 0;
        let b = 0;
        for (let y = top; y < bottom; y++) {
            for (let i = (y * width + left) * 3, end = (y * width + right) * 3; i < end; i += 3) {
                r += rgb[i];
                g += rgb[i + 1];
                b += rgb[i + 2];
            }
        }
        const n = (right - left) * (bottom - top);
        target[out] = r / n + 0.5;
        target[out + 1] = g / n + 0.5;
        target[out + 2] = b / n + 0.5;
    }
}

/** One target row, bilinear between two source rows (byte offsets `upper`, `lower`; `fy` the weight of `lower`). */
function enlargeRow(rgb: Uint8Array, columns: Spans, upper: number, lower: number, fy: number, target: Buffer, out: number, count: number): void {
    for (let tx = 0; tx < count; tx++, out += 3) {
        const fx = columns.fraction[tx];
        const a = columns.first[tx] * 3;
        const c = columns.next[tx] * 3;
        for (let k = 0; k < 3; k++) {
            const top = rgb[upper + a + k] + (rgb[upper + c + k] - rgb[upper + a + k]) * fx;
            const bottom = rgb[lower + a + k] + (rgb[lower + c + k] - rgb[lower + a + k]) * fx;
            // A typed array truncates: adding 0.5 rounds (the values are never negative).
            target[out + k] = top + (bottom - top) * fy + 0.5;
        }
    }
}

/**
 * Per target pixel along one axis: when shrinking, the source pixels it covers (`first` to `end`);
 * when enlarging, the two source pixels around its centre (`first`, `next`) and the weight of `next`.
 */
function sourceSpans(origin: number, scale: number, count: number, limit: number, shrinking: boolean) {
    const [first, end, next] = [new Int32Array(count), new Int32Array(count), new Int32Array(count)];
    const fraction = new Float32Array(count);
    for (let t = 0; t < count; t++) {
        const [from, to] = [origin + t * scale, origin + (t + 1) * scale];
        if (shrinking) {
            first[t] = Math.floor(from);
            end[t] = Math.max(first[t] + 1, Math.min(Math.ceil(to), limit));
        } else {
            const centre = Math.min(Math.max((from + to) / 2 - 0.5, 0), limit - 1);
            first[t] = Math.floor(centre);
            next[t] = Math.min(first[t] + 1, limit - 1);
            fraction[t] = centre - first[t];
        }
    }
    return { first, end, next, fraction };
}
