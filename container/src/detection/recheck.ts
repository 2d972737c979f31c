/**
 * The second look at a face the coarse pass found very large. SSD MobileNet v1 is reliable for
 * faces about 40 to 250 px tall in its input; far above that range it calls face-like objects
 * faces (a cat's face filling a 451×300 photo scores 0.92). A real face keeps being found when its
 * surroundings are shown to the model again at the scale it knows best; those objects are not.
 * Measured (`npm run bench -- --false-faces` and the large-face cases in tests): real faces from
 * close-ups of the sample photos re-score 0.17 or more, the cat 0.00.
 */
import { iou, ScoredBox } from "../geometry";
import { DecodedImage } from "../image";
import { DetectOptions, Face } from "./detector";
import { cutRegion } from "./modelInput";

/** Faces taller than this in the coarse pass's input (512 px) get the second look. */
export const RECHECK_ABOVE_PX = 160;
/** The second look shows the face this tall, in a square this many face heights wide. */
export const RECHECK_FACE_PX = 96;
export const RECHECK_CONTEXT = 3;
/** A face is kept when the second look finds it (IoU ≥ 0.4 with where it was) at this score or more. */
export const RECHECK_MIN_SCORE = 0.1;
export const RECHECK_IOU = 0.4;

/** Runs the model on an RGB input of `size`×`size` and returns its boxes as fractions of it. */
export type SquareRun = (rgb: Uint8Array, size: number, options: DetectOptions) => Promise<ScoredBox[]>;

/** Whether a face the coarse pass found at `coarseScale` (input pixels per frame pixel) needs the second look. */
export function needsRecheck(face: Face, coarseScale: number): boolean {
    return face.height * coarseScale > RECHECK_ABOVE_PX;
}

/** The score the second look gives the face (0 when it finds no face where this one is). */
export async function recheckScore(run: SquareRun, image: DecodedImage, face: Face, options: DetectOptions): Promise<number> {
    const side = face.height * RECHECK_CONTEXT;
    const region = { x: face.x + face.width / 2 - side / 2, y: face.y + face.height / 2 - side / 2, width: side, height: side };
    const size = Math.round(RECHECK_FACE_PX * RECHECK_CONTEXT);
    const rgb = await cutRegion(image, region, size);
    // Where the face is, as a fraction of the region shown.
    const expected = { x: (face.x - region.x) / side, y: (face.y - region.y) / side, width: face.width / side, height: face.height / side };
    const boxes = await run(rgb, size, { ...options, minConfidence: RECHECK_MIN_SCORE });
    return Math.max(0, ...boxes.filter((box) => iou(box, expected) >= RECHECK_IOU).map((box) => box.score));
}
