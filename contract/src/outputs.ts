/**
 * What the detector stores for a frame with faces: `crops`, one JPEG per face; `sheets`, one JPEG
 * per frame (per 100 faces) packing every face in a grid with a JSON manifest beside it, so one
 * Rekognition `DetectFaces` call (billed per image, up to 100 faces) reads them all; or `both`.
 */
export const CROP_OUTPUTS = ["crops", "sheets", "both"] as const;
export type CropOutput = (typeof CROP_OUTPUTS)[number];

/**
 * Sheets: one Rekognition call and two S3 PUTs (sheet and manifest) per frame instead of one of
 * each per face, at about the same bytes (see the README's figures).
 */
export const DEFAULT_CROP_OUTPUT: CropOutput = "sheets";

export function isCropOutput(value: string): value is CropOutput {
    return (CROP_OUTPUTS as readonly string[]).includes(value);
}

/** Whether the output mode stores one crop per face. */
export const storesCrops = (output: CropOutput) => output !== "sheets";
/** Whether the output mode stores face sheets. */
export const storesSheets = (output: CropOutput) => output !== "crops";
