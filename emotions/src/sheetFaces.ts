/**
 * Rekognition's answer for one face sheet, mapped back to the frame's faces through the sheet's
 * manifest: every cell gets the face Rekognition found in it (its emotions), or is recorded as not
 * found; faces Rekognition finds outside every cell (on the grey between cells) are counted apart.
 */
import { EMOTIONS, EmotionType, FractionBox, mapToFrame, SheetManifest } from "@crowd-emotions/face-detection-contract";

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

export function readSheet(manifest: Pick<SheetManifest, "sheetSize" | "cells">, details: readonly RekognitionFace[]): SheetReading {
    // The face Rekognition is most confident of in each cell (a cell holds one face; a second box
    // there is a part of it or a neighbour's edge).
    const best = new Map<number, RekognitionFace>();
    let strays = 0;
    for (const detail of details) {
        const box = detail.BoundingBox;
        const mapped = box && [box.Left, box.Top, box.Width, box.Height].every((v) => typeof v === "number")
            ? mapToFrame(manifest, box as FractionBox)
            : undefined;
        if (mapped === undefined) {
            strays++;
            continue;
        }
        const current = best.get(mapped.face);
        if (current === undefined || (detail.Confidence ?? 0) > (current.Confidence ?? 0)) {
            best.set(mapped.face, detail);
        }
    }
    const faces = manifest.cells.map((cell) => faceMood({ face: cell.face, box: cell.box, score: cell.score }, best.get(cell.face)));
    return { faces, strays };
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
