/**
 * The user metadata the detector stores with each face crop (S3 `x-amz-meta-*`): which frame and
 * face it is, and the face's box and score, so that a reader of crops alone (the emotion stage
 * where the detector stores no sheets) knows what each crop shows without another object.
 */
export const CROP_METADATA = {
    frameId: "frame-id",
    stream: "stream",
    capturedAt: "captured-at",
    /** Faces in the whole frame. */
    frameFaces: "frame-faces",
    /** The face's index in the frame's answer. */
    faceIndex: "face-index",
    score: "score",
    /** `x,y,width,height` in pixels of the oriented frame. */
    box: "box",
} as const;

/** What a crop's metadata says. */
export interface CropMetadata {
    readonly frameId: string;
    readonly stream: string;
    readonly capturedAt: Date;
    readonly frameFaces: number;
    readonly faceIndex: number;
    readonly score: number;
    readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export function formatCropMetadata(crop: CropMetadata): Record<string, string> {
    return {
        [CROP_METADATA.frameId]: crop.frameId,
        [CROP_METADATA.stream]: crop.stream,
        [CROP_METADATA.capturedAt]: crop.capturedAt.toISOString(),
        [CROP_METADATA.frameFaces]: String(crop.frameFaces),
        [CROP_METADATA.faceIndex]: String(crop.faceIndex),
        [CROP_METADATA.score]: String(crop.score),
        [CROP_METADATA.box]: `${crop.box.x},${crop.box.y},${crop.box.width},${crop.box.height}`,
    };
}

/** A crop's metadata read back, or `undefined` where a key is missing or not what the detector writes. */
export function parseCropMetadata(metadata: Readonly<Record<string, string | undefined>>): CropMetadata | undefined {
    const box = (metadata[CROP_METADATA.box] ?? "").split(",").map(Number);
    const faceIndex = Number(metadata[CROP_METADATA.faceIndex]);
    const score = Number(metadata[CROP_METADATA.score]);
    const frameFaces = Number(metadata[CROP_METADATA.frameFaces] ?? faceIndex + 1);
    const capturedAt = new Date(metadata[CROP_METADATA.capturedAt] ?? "");
    const frameId = metadata[CROP_METADATA.frameId];
    const stream = metadata[CROP_METADATA.stream];
    if (!frameId || !stream || !Number.isInteger(faceIndex) || !Number.isFinite(score) || box.length !== 4 || !box.every(Number.isFinite)
        || Number.isNaN(capturedAt.getTime()) || !Number.isInteger(frameFaces)) {
        return undefined;
    }
    return { frameId, stream, capturedAt, frameFaces, faceIndex, score, box: { x: box[0], y: box[1], width: box[2], height: box[3] } };
}
