/** One frame: its bytes decoded (metadata checked and stripped), its faces found, drawn and stored. */
export { decodeImage, MAX_PIXELS, minimumBytes } from "./decode";
export { exifOrientation, HostileMetadataError, sanitizeMetadata } from "./metadata";
export { processFrame } from "./processFrame";
export type { FaceResult, FrameDeps, FrameResult, SheetResult } from "./processFrame";
