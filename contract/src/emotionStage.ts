/**
 * The contract between the emotion stage's component (which creates the table and the function)
 * and its handler (which writes the table): the function's environment and the table's keys.
 */

/** The emotion stage function's environment variables. */
export const EMOTION_ENV = {
    resultsTable: "RESULTS_TABLE",
    retentionDays: "RETENTION_DAYS",
    pipeline: "PIPELINE_NAME",
    metricsNamespace: "METRICS_NAMESPACE",
    readIntervalSeconds: "READ_INTERVAL_SECONDS",
} as const;

/**
 * How often the stage reads a stream's mood: at most one frame per stream per interval goes to
 * Rekognition; 0 reads every frame. The intervals are also the series' steps (10 s when 0).
 */
export const READ_INTERVAL = { min: 0, max: 3600, integer: true, default: 10 } as const;
/** Seconds the queue gathers sheets for one invocation, so that several frames share a Rekognition image. */
export const PACK_WINDOW = { min: 0, max: 300, integer: true, default: 20 } as const;

/**
 * The results table's keys: the stream (partition key) and a time-ordered sort key, so that "this
 * stream between t1 and t2" is one Query. Sort keys: `i#<interval start>` for an interval's
 * summary, `f#<capture time>#<frame id>` for a frame (ISO 8601 times in UTC, which sort as text).
 */
export const RESULTS_KEY = "stream";
export const RESULTS_SORT_KEY = "at";
export const INTERVAL_PREFIX = "i#";
export const FRAME_PREFIX = "f#";
/** The sort key of the interval starting at `start`. */
export const intervalSortKey = (start: Date) => `${INTERVAL_PREFIX}${start.toISOString()}`;
/**
 * The partition that lists the streams seen (sort key: the stream id): `#` is in no stream id, so
 * no stream's items share it. Listing streams is then a Query too.
 */
export const STREAMS_PARTITION = "#streams";
/** The sort key of a frame. */
export const frameSortKey = (capturedAt: Date, frameId: string) => `${FRAME_PREFIX}${capturedAt.toISOString()}#${frameId}`;
/** The attribute DynamoDB's time to live reads (epoch seconds). */
export const RESULTS_TTL_ATTRIBUTE = "expiresAt";
/** The CloudWatch namespace of the crowd mood metrics. */
export const DEFAULT_METRICS_NAMESPACE = "CrowdEmotions";

/** Rekognition's emotion types (`Emotion.Type` of `DetectFaces`). */
export const EMOTIONS = ["HAPPY", "SAD", "ANGRY", "CONFUSED", "DISGUSTED", "SURPRISED", "CALM", "FEAR"] as const;
export type EmotionType = (typeof EMOTIONS)[number];

/** The metric of an emotion's share of the faces read, e.g. `HappyShare`. */
export const shareMetricName = (emotion: string) => `${emotion[0]}${emotion.slice(1).toLowerCase()}Share`;
