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
} as const;

/** The results table's partition key: one item per frame. */
export const RESULTS_KEY = "frameId";
/** The attribute DynamoDB's time to live reads (epoch seconds). */
export const RESULTS_TTL_ATTRIBUTE = "expiresAt";
/** The CloudWatch namespace of the crowd mood metrics. */
export const DEFAULT_METRICS_NAMESPACE = "CrowdEmotions";

/** Rekognition's emotion types (`Emotion.Type` of `DetectFaces`). */
export const EMOTIONS = ["HAPPY", "SAD", "ANGRY", "CONFUSED", "DISGUSTED", "SURPRISED", "CALM", "FEAR"] as const;
export type EmotionType = (typeof EMOTIONS)[number];

/** The metric of an emotion's share of the faces read, e.g. `HappyShare`. */
export const shareMetricName = (emotion: string) => `${emotion[0]}${emotion.slice(1).toLowerCase()}Share`;
