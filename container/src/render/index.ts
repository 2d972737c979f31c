/** Drawing the faces for Rekognition: one crop per face, or face sheets of up to 100, and their manifests. */
export { cropRegion, cropSize, MAX_CROP_BYTES, renderCrop } from "./crop";
export type { Crop, CropOptions, Region } from "./crop";
export { FACES_PER_SHEET, layoutSheets, renderSheet, SHEET_CELL, SHEET_GAP } from "./sheet";
export type { SheetLayout } from "./sheet";
export { resampleInto } from "./resample";
