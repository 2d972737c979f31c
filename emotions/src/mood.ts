/**
 * A sheet's crowd mood as CloudWatch metrics, in the embedded metric format: one JSON log line that
 * CloudWatch Logs turns into metrics, with no API call from the function.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { EMOTIONS, shareMetricName } from "@crowd-emotions/face-detection-contract";
import { FaceMood } from "./sheetFaces";

/** Each emotion's share, in percent, of the faces whose emotion Rekognition read. */
export function emotionShares(faces: readonly FaceMood[]): Record<string, number> {
    const read = faces.filter((face) => face.emotion !== undefined);
    return Object.fromEntries(EMOTIONS.map((emotion) => [
        emotion,
        read.length === 0 ? 0 : Math.round((read.filter((face) => face.emotion === emotion).length / read.length) * 1000) / 10,
    ]));
}

/**
 * A part's faces as metrics, per pipeline and per stream: faces, faces read and each emotion's share
 * (of faces whose expression Rekognition read: expressions, not inner states).
 */
export function moodMetrics(pipeline: string, namespace: string, stream: string, faces: readonly FaceMood[], time: Date): Record<string, unknown> {
    const shares = emotionShares(faces);
    const read = faces.filter((face) => face.found).length;
    const values: Record<string, number> = { Faces: faces.length, FacesRead: read };
    const metrics = [{ Name: "Faces", Unit: "Count" }, { Name: "FacesRead", Unit: "Count" }];
    if (read > 0) {
        // Shares only where there is a mood to share; a sheet of unreadable faces would drag the averages to 0.
        for (const [emotion, share] of Object.entries(shares)) {
            values[shareMetricName(emotion)] = share;
            metrics.push({ Name: shareMetricName(emotion), Unit: "Percent" });
        }
    }
    return {
        _aws: {
            Timestamp: time.getTime(),
            CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["Pipeline"], ["Pipeline", "Stream"]], Metrics: metrics }],
        },
        Pipeline: pipeline,
        Stream: stream,
        ...values,
    };
}

/** One Rekognition call as metrics: its cost (calls) and how well the pack used it (faces per call). */
export function callMetrics(pipeline: string, namespace: string, faces: number, strays: number, time: Date): Record<string, unknown> {
    return {
        _aws: {
            Timestamp: time.getTime(),
            CloudWatchMetrics: [{
                Namespace: namespace, Dimensions: [["Pipeline"]],
                Metrics: [{ Name: "RekognitionCalls", Unit: "Count" }, { Name: "FacesPerCall", Unit: "Count" }, { Name: "StrayFaces", Unit: "Count" }],
            }],
        },
        Pipeline: pipeline,
        RekognitionCalls: 1,
        FacesPerCall: faces,
        StrayFaces: strays,
    };
}

/** A frame's crowd size, per stream: every frame with faces gives one, read or not (no Rekognition call needed). */
export function crowdMetrics(pipeline: string, namespace: string, stream: string, faces: number, time: Date): Record<string, unknown> {
    return {
        _aws: {
            Timestamp: time.getTime(),
            CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["Pipeline"], ["Pipeline", "Stream"]], Metrics: [{ Name: "CrowdSize", Unit: "Count" }] }],
        },
        Pipeline: pipeline,
        Stream: stream,
        CrowdSize: faces,
    };
}

/** Messages refused as permanently bad: an alarm watches these, since their sheets are never read. */
export function refusedMetrics(pipeline: string, namespace: string, refused: number, time: Date): Record<string, unknown> {
    return {
        _aws: { Timestamp: time.getTime(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["Pipeline"]], Metrics: [{ Name: "RefusedSheets", Unit: "Count" }] }] },
        Pipeline: pipeline,
        RefusedSheets: refused,
    };
}
