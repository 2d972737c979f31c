/**
 * What the detector stores for a frame with faces: `crops`, one JPEG per face; `sheets`, one JPEG
 * per frame (per 100 faces) packing every face in a grid with a JSON manifest beside it, so one
 * Rekognition `DetectFaces` call (billed per image, up to 100 faces) reads them all; or `both`.
 */
export const CROP_OUTPUTS = ["crops", "sheets", "both"] as const;
export type CropOutput = (typeof CROP_OUTPUTS)[number];

/**
 * What a deployment stores unless told otherwise: the component's `cropOutput`, the stacks and
 * `npm start` all set it. Sheets: one Rekognition call and two S3 PUTs (sheet and manifest) per
 * frame instead of one of each per face, at about the same bytes (see the README's figures).
 */
export const DEFAULT_CROP_OUTPUT: CropOutput = "sheets";

/**
 * What the image stores when CROP_OUTPUT is not set at all: one crop per face, as it did before
 * sheets. Whoever runs the image without this project's component (the workshop's notebook
 * deploying it by its own model definition, `docker run`) keeps getting the objects their readers
 * look for; every deployment this project makes sets CROP_OUTPUT explicitly.
 */
export const UNSET_CROP_OUTPUT: CropOutput = "crops";

export function isCropOutput(value: string): value is CropOutput {
    return (CROP_OUTPUTS as readonly string[]).includes(value);
}

/** Whether the output mode stores one crop per face. */
export const storesCrops = (output: CropOutput) => output !== "sheets";
/** Whether the output mode stores face sheets. */
export const storesSheets = (output: CropOutput) => output !== "crops";
