/**
 * The contract between the `FaceDetectionEndpoint` component and the detector container: the
 * environment variables the container reads, their defaults and their allowed ranges. Both sides
 * import this one module, so a renamed variable or a changed range can't drift between them.
 */
export { ENV, type EnvName } from "./env";
export { SETTINGS, type NumericSetting, type SettingName, describeRange, isInRange, DETECTOR_TUNING, type DetectorTuning, tuningWithDefaults } from "./settings";
export { cropKey, type FrameKey, type FrameLocation, parseFrameKey, sheetKeys, validatePrefix, MAX_PREFIX_LENGTH } from "./keys";
export {
    checkCapturedAt, checkFrameId, checkStream, DEFAULT_STREAM, FRAME_ATTRIBUTES, FRAME_ID, FrameAttributeError, type FrameAttributes,
    formatFrameAttributes, MAX_CAPTURE_AHEAD_MS, MAX_CUSTOM_ATTRIBUTES, parseFrameAttributes, STREAM_ID,
} from "./frameAttributes";
export { CROP_OUTPUTS, type CropOutput, DEFAULT_CROP_OUTPUT, isCropOutput, storesCrops, storesSheets, UNSET_CROP_OUTPUT } from "./outputs";
export { type DetectorSettings, toEnvironment } from "./detectorSettings";
export { MAX_REQUEST_BYTES, VARIANT_NAME } from "./limits";
export { type FractionBox, MANIFEST_VERSION, mapToFrame, MAX_FRAME_FACES, MAX_SHEET_CELLS, parseSheetManifest, type SheetCell, type SheetManifest, type SheetRegion } from "./sheetManifest";
export {
    DEFAULT_METRICS_NAMESPACE, EMOTION_ENV, EMOTIONS, type EmotionType, FRAME_PREFIX, frameSortKey, INTERVAL_PREFIX, intervalSortKey,
    PACK_WINDOW, READ_INTERVAL, RESULTS_KEY, RESULTS_SORT_KEY, RESULTS_TTL_ATTRIBUTE, shareMetricName, STREAMS_PARTITION,
} from "./emotionStage";
export { CROP_METADATA, type CropMetadata, formatCropMetadata, parseCropMetadata } from "./cropMetadata";
