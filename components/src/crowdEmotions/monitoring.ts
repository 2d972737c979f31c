import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EMOTIONS, shareMetricName } from "@crowd-emotions/face-detection-contract";
import { Tags } from "../shared/tags";

export interface MonitoringArgs {
    readonly functionName: pulumi.Input<string>;
    readonly queueName: pulumi.Input<string>;
    readonly deadLetterQueueName: pulumi.Input<string>;
    /** The EventBridge rule that sends new sheets to the queue. */
    readonly ruleName: pulumi.Input<string>;
    readonly pipelineName: string;
    readonly metricsNamespace: string;
    readonly region: pulumi.Input<string>;
    readonly topicArn?: pulumi.Input<string | undefined>;
    /** Streams whose silence is an alarm. */
    readonly watchedStreams: readonly string[];
    readonly tags: Tags;
}

/**
 * Alarms on every way the stage can fall behind or drop sheets: the function fails or is throttled,
 * EventBridge can't deliver a sheet's event to the queue (FailedInvocations of the rule: the event
 * is lost, no dead-letter queue holds it), sheets wait long or are parked in the dead-letter queue,
 * and Rekognition throttles `DetectFaces` (its quota is per account and region, shared with every
 * other caller: "Monitoring Rekognition with Amazon CloudWatch", dimension `Operation`).
 */
export function createEmotionAlarms(name: string, args: MonitoringArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm[] {
    const actions = pulumi.output(args.topicArn).apply((topic) => (topic ? [topic] : []));
    const common = {
        period: 300, evaluationPeriods: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching", alarmActions: actions, okActions: actions, tags: args.tags,
    };
    return [
        new aws.cloudwatch.MetricAlarm(`${name}-errors`, {
            ...common, alarmDescription: `${name}: the emotion function fails`,
            namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: args.functionName }, statistic: "Sum", threshold: 1,
        }, { parent }),
        new aws.cloudwatch.MetricAlarm(`${name}-throttles`, {
            ...common, alarmDescription: `${name}: the emotion function is throttled (the account's Lambda concurrency is used up)`,
            namespace: "AWS/Lambda", metricName: "Throttles", dimensions: { FunctionName: args.functionName }, statistic: "Sum", threshold: 1,
        }, { parent }),
        new aws.cloudwatch.MetricAlarm(`${name}-undelivered-events`, {
            ...common, alarmDescription: `${name}: EventBridge failed to send new-sheet events to the queue; those sheets are never read`,
            namespace: "AWS/Events", metricName: "FailedInvocations", dimensions: { RuleName: args.ruleName }, statistic: "Sum", threshold: 1,
        }, { parent }),
        new aws.cloudwatch.MetricAlarm(`${name}-rekognition-throttled`, {
            ...common, alarmDescription: `${name}: Rekognition throttles DetectFaces in this account and region; sheets are retried and may be parked`,
            namespace: "AWS/Rekognition", metricName: "ThrottledCount", dimensions: { Operation: "DetectFaces" }, statistic: "Sum", threshold: 1,
        }, { parent }),
        new aws.cloudwatch.MetricAlarm(`${name}-refused`, {
            ...common, alarmDescription: `${name}: sheets refused as permanently bad (not a manifest, too large, lying about their key); see the function's log`,
            namespace: args.metricsNamespace, metricName: "RefusedSheets", dimensions: { Pipeline: args.pipelineName }, statistic: "Sum", threshold: 1,
        }, { parent }),
        new aws.cloudwatch.MetricAlarm(`${name}-dead-letters`, {
            ...common, alarmDescription: `${name}: sheets failed every attempt and wait in the dead-letter queue`,
            namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: args.deadLetterQueueName },
            statistic: "Maximum", threshold: 1,
        }, { parent }),
        ...args.watchedStreams.map((stream) => new aws.cloudwatch.MetricAlarm(`${name}-silent-${stream}`, {
            ...common, alarmDescription: `${name}: stream ${stream} sent no frame with faces for 15 minutes (a camera down, or pointed away)`,
            namespace: args.metricsNamespace, metricName: "CrowdSize", dimensions: { Pipeline: args.pipelineName, Stream: stream },
            statistic: "SampleCount", comparisonOperator: "LessThanThreshold", threshold: 1, period: 900,
            // Silence is the point: no data is what breaches.
            treatMissingData: "breaching",
        }, { parent })),
        new aws.cloudwatch.MetricAlarm(`${name}-backlog`, {
            ...common, alarmDescription: `${name}: sheets wait more than 15 minutes to be read`,
            namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: args.queueName },
            statistic: "Maximum", threshold: 900,
        }, { parent }),
    ];
}

/**
 * The "crowd mood" dashboard: per stream, each expression's share and the crowd's size; the
 * Rekognition calls per hour (the stage's cost) and faces per call; and the stage's health.
 */
export function createMoodDashboard(name: string, args: MonitoringArgs, parent: pulumi.Resource): aws.cloudwatch.Dashboard {
    const mood = (metric: string) => [args.metricsNamespace, metric, "Pipeline", args.pipelineName];
    // One line per stream, whichever streams appear (CloudWatch metric math SEARCH).
    const perStream = (metric: string, stat: string, label: string) => [{
        expression: `SEARCH('{${args.metricsNamespace},Pipeline,Stream} MetricName="${metric}" Pipeline="${args.pipelineName}"', '${stat}', 60)`,
        label, id: metric.toLowerCase(),
    }];
    const widget = (title: string, metrics: unknown[], x: number, y: number, stat: string, period = 60) => ({
        type: "metric", x, y, width: 12, height: 6,
        properties: { title, metrics, stat, period, region: args.region, view: "timeSeries" },
    });
    return new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
        dashboardName: `${name}-crowd-mood`,
        dashboardBody: pulumi.jsonStringify({
            widgets: [
                widget("Happy expressions per stream (% of faces read; expressions, not inner states)", perStream(shareMetricName("HAPPY"), "Average", ""), 0, 0, "Average"),
                widget("Crowd size per stream (faces per frame)", perStream("CrowdSize", "Average", ""), 12, 0, "Average"),
                widget("Expressions, all streams (% of faces read)", EMOTIONS.map((emotion) => mood(shareMetricName(emotion))), 0, 6, "Average"),
                widget("Rekognition calls per hour, and faces per call", [mood("RekognitionCalls"), [...mood("FacesPerCall"), { stat: "Average", yAxis: "right" }]], 12, 6, "Sum", 3600),
                widget("Function", [["AWS/Lambda", "Invocations", "FunctionName", args.functionName], ["AWS/Lambda", "Errors", "FunctionName", args.functionName]], 0, 12, "Sum"),
                widget("Sheets waiting and parked", [
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", args.queueName],
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", args.deadLetterQueueName],
                ], 12, 12, "Maximum"),
            ],
        }),
    }, { parent });
}
