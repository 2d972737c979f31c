/**
 * Frames to test and measure with: the six sample photos that ship with the model, crowd frames
 * composed from their faces with known boxes, and the face-free photos of the false-face set.
 */
export { SAMPLE_DIR } from "./photos";
export type { Frame } from "./frame";
export { composeCrowdFrame, composeFaces, MATCH_IOU, matchFaces, sampleFaceBoxes, seededRandom } from "./crowd";
export type { Box, CrowdFrame, CrowdOptions, Match, Placement } from "./crowd";
export { cachedPath, FACE_FREE_DIR, faceFreeFrames, faceFreeList } from "./faceFree";
export type { FaceFreePhoto } from "./faceFree";
