/**
 * SSD anchors for an input of any size. face-api ships the anchors of its 512×512 input only
 * (`Output/extra_dim`, made by TensorFlow's multiple-grid anchor generator): on each of the six
 * feature maps, a few boxes of fixed pixel size centred on every cell, at `(cell + 0.5) × stride`.
 * The network is fully convolutional, so on a larger or non-square input every feature map simply
 * has more cells; laying the same boxes on those cells gives the anchors the network's outputs
 * refer to there. `anchorsFor(512, 512)` reproduces the shipped anchors (tests/container/onnx.test.ts).
 */

/** Per feature map: its stride in input pixels and the boxes on each cell, in face-api's order. */
export interface AnchorLayer {
    readonly stride: number;
    /** Per box on a cell: (y0, x0, y1, x1) in pixels relative to the cell's centre. */
    readonly boxes: readonly (readonly [number, number, number, number])[];
}

/** The feature maps the six box predictors read: conv11 (/16), conv13 (/32), then four extra layers. */
export const LAYER_STRIDES = [16, 32, 64, 128, 256, 512] as const;
/** Boxes per cell on each feature map (one scale on the first, two scales and four aspect ratios on the rest). */
export const BOXES_PER_CELL = [3, 6, 6, 6, 6, 6] as const;
/** The input the shipped anchors were made for. */
export const SHIPPED_INPUT = 512;

/** The per-cell boxes of each layer, read off the shipped anchors' first cell. */
export function anchorLayers(shipped: Float32Array): AnchorLayer[] {
    const expected = LAYER_STRIDES.reduce((sum, stride, i) => sum + (SHIPPED_INPUT / stride) ** 2 * BOXES_PER_CELL[i], 0);
    if (shipped.length !== expected * 4) {
        throw new Error(`SSD MobileNet v1 has ${shipped.length / 4} anchors; expected ${expected} for its 512×512 input.`);
    }
    let offset = 0;
    return LAYER_STRIDES.map((stride, i) => {
        const centre = stride / 2;
        const boxes = Array.from({ length: BOXES_PER_CELL[i] }, (_, k) => {
            const [y0, x0, y1, x1] = shipped.subarray((offset + k) * 4, (offset + k) * 4 + 4);
            return [y0 * SHIPPED_INPUT - centre, x0 * SHIPPED_INPUT - centre, y1 * SHIPPED_INPUT - centre, x1 * SHIPPED_INPUT - centre] as const;
        });
        offset += (SHIPPED_INPUT / stride) ** 2 * BOXES_PER_CELL[i];
        return { stride, boxes };
    });
}

/**
 * The anchors of a `height`×`width` input, as fractions of its height (y) and width (x), in the
 * order the network's outputs come: layer by layer, row by row, cell by cell, box by box. A
 * feature map has ⌈size / stride⌉ cells along each side, as TensorFlow's "same" padding gives.
 */
export function anchorsFor(layers: readonly AnchorLayer[], height: number, width: number): Float32Array {
    const count = layers.reduce((sum, layer) => sum + Math.ceil(height / layer.stride) * Math.ceil(width / layer.stride) * layer.boxes.length, 0);
    const anchors = new Float32Array(count * 4);
    let i = 0;
    for (const { stride, boxes } of layers) {
        const [rows, columns] = [Math.ceil(height / stride), Math.ceil(width / stride)];
        for (let row = 0; row < rows; row++) {
            const cy = (row + 0.5) * stride;
            for (let column = 0; column < columns; column++) {
                const cx = (column + 0.5) * stride;
                for (const [y0, x0, y1, x1] of boxes) {
                    anchors[i++] = (cy + y0) / height;
                    anchors[i++] = (cx + x0) / width;
                    anchors[i++] = (cy + y1) / height;
                    anchors[i++] = (cx + x1) / width;
                }
            }
        }
    }
    return anchors;
}
