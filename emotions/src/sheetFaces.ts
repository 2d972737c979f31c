/**
 * Rekognition's answer for one face sheet, mapped back to the frame's faces through the sheet's
 * manifest: every cell gets the face Rekognition found over the cell's face (its emotions), or is
 * recorded as not found; faces Rekognition finds over no cell's face (the grey between cells, a
 * neighbour cut by a margin) are counted apart.
 */
import { EMOTIONS, EmotionType, FractionBox, SheetCell, SheetManifest, SheetRegion } from "@crowd-emotions/face-detection-contract";

/** The part of a Rekognition `FaceDetail` this stage reads. */
export interface RekognitionFace {
    readonly BoundingBox?: Partial<FractionBox>;
    readonly Confidence?: number;
    readonly Emotions?: readonly { readonly Type?: string; readonly Confidence?: number }[];
}

export interface FaceMood {
    /** Index of the face in the detector's answer for the frame. */
    readonly face: number;
    /** The detector's box and score, in frame pixels. */
    readonly box: { x: number; y: number; width: number; height: number };
    readonly score: number;
    /** Whether Rekognition found a face in the face's cell. */
    readonly found: boolean;
    /** Rekognition's confidence that the cell holds a face, 0–100. */
    readonly confidence?: number;
    /** The emotion Rekognition is most confident of. */
    readonly emotion?: EmotionType;
    /** Rekognition's confidence in each emotion, 0–100, rounded to 0.1. */
    readonly emotions?: Partial<Record<EmotionType, number>>;
}

export interface SheetReading {
    readonly faces: FaceMood[];
    /** Faces Rekognition found whose centre lies in no cell. */
    readonly strays: number;
}

const isEmotion = (type: string | undefined): type is EmotionType => EMOTIONS.includes(type as EmotionType);
const round1 = (value: number) => Math.round(value * 10) / 10;

/** A box's overlap with another, over their union (0–1). */
function iou(a: SheetRegion, b: SheetRegion): number {
    const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
    const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
    const inter = w > 0 && h > 0 ? w * h : 0;
    return inter === 0 ? 0 : inter / (a.width * a.height + b.width * b.height - inter);
}

/** The share of `box` inside `region`. */
function inside(box: SheetRegion, region: SheetRegion): number {
    const w = Math.min(box.left + box.width, region.left + region.width) - Math.max(box.left, region.left);
    const h = Math.min(box.top + box.height, region.top + region.height) - Math.max(box.top, region.top);
    return w > 0 && h > 0 ? (w * h) / (box.width * box.height) : 0;
}

/** Where a cell's own face is drawn on the sheet: its frame box, through the cell's source-to-placed mapping. */
export function faceOnSheet(cell: Pick<SheetCell, "box" | "source" | "placed">): SheetRegion {
    const [sx, sy] = [cell.placed.width / cell.source.width, cell.placed.height / cell.source.height];
    return {
        left: cell.placed.left + (cell.box.x - cell.source.left) * sx, top: cell.placed.top + (cell.box.y - cell.source.top) * sy,
        width: cell.box.width * sx, height: cell.box.height * sy,
    };
}

/** A Rekognition box counts for a cell only if it overlaps the cell's own face this much (IoU)… */
export const MIN_FACE_OVERLAP = 0.3;
/** …and lies mostly within the cell: a neighbour's face cut by the cell's margin does not. */
export const MIN_INSIDE_CELL = 0.6;

/**
 * Each cell gets the face Rekognition found over the cell's own face: the box that overlaps the
 * face's drawn box most (and enough), lying mostly inside the cell. The most confident box whose
 * centre falls in a cell could be a neighbour's partial face in the cell's margin; overlap with the
 * face itself can't be. Boxes that match no cell are counted as strays.
 */
export function readSheet(manifest: Pick<SheetManifest, "sheetSize" | "cells">, details: readonly RekognitionFace[]): SheetReading {
    const { width, height } = manifest.sheetSize;
    const faces = manifest.cells.map((cell) => ({ cell, face: faceOnSheet(cell) }));
    const best = new Map<number, { detail: RekognitionFace; overlap: number }>();
    let strays = 0;
    for (const detail of details) {
        const box = detail.BoundingBox;
        if (!box || ![box.Left, box.Top, box.Width, box.Height].every((v) => typeof v === "number" && Number.isFinite(v))) {
            strays++;
            continue;
        }
        const onSheet = { left: box.Left! * width, top: box.Top! * height, width: box.Width! * width, height: box.Height! * height };
        let match: { face: number; overlap: number } | undefined;
        for (const { cell, face } of faces) {
            const overlap = iou(onSheet, face);
            if (overlap >= MIN_FACE_OVERLAP && inside(onSheet, cell.placed) >= MIN_INSIDE_CELL && overlap > (match?.overlap ?? 0)) {
                match = { face: cell.face, overlap };
            }
        }
        if (match === undefined) {
            strays++;
            continue;
        }
        const current = best.get(match.face);
        if (current === undefined || match.overlap > current.overlap) {
            best.set(match.face, { detail, overlap: match.overlap });
        }
    }
    return { faces: manifest.cells.map((cell) => faceMood({ face: cell.face, box: cell.box, score: cell.score }, best.get(cell.face)?.detail)), strays };
}

/** The detector's face with what Rekognition read of it, or recorded as not found. */
export function faceMood(face: Pick<FaceMood, "face" | "box" | "score">, detail: RekognitionFace | undefined): FaceMood {
    if (detail === undefined) {
        return { ...face, found: false };
    }
    const emotions: Partial<Record<EmotionType, number>> = {};
    for (const { Type, Confidence } of detail.Emotions ?? []) {
        if (isEmotion(Type) && typeof Confidence === "number") {
            emotions[Type] = round1(Confidence);
        }
    }
    const ranked = (Object.entries(emotions) as [EmotionType, number][]).sort((a, b) => b[1] - a[1]);
    return { ...face, found: true, confidence: round1(detail.Confidence ?? 0), emotion: ranked[0]?.[0], emotions };
}

/**
 * Rekognition's answer for one face crop: the face the crop was cut around is the largest one in
 * it (the crop is the face with a margin; a neighbour shows at most in part).
 */
export function readCrop(face: Pick<FaceMood, "face" | "box" | "score">, details: readonly RekognitionFace[]): FaceMood {
    const area = (detail: RekognitionFace) => (detail.BoundingBox?.Width ?? 0) * (detail.BoundingBox?.Height ?? 0);
    const largest = [...details].sort((a, b) => area(b) - area(a))[0];
    return faceMood(face, largest);
}
