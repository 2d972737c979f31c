import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VARIANT_NAME } from "@crowd-emotions/face-detection-contract";
import { Tags } from "../shared/tags";

export interface EndpointAlarmsArgs {
    readonly endpointName: string;
    readonly errorThreshold: number;
    readonly latencyThresholdMs: number;
    /** Whether the alarms act (notify the topic); they are evaluated either way. */
    readonly notify: boolean;
    readonly topicArn?: pulumi.Input<string>;
    readonly tags: Tags;
}

export interface EndpointAlarms {
    readonly errors: aws.cloudwatch.MetricAlarm;
    readonly latency: aws.cloudwatch.MetricAlarm;
}

/**
 * Alarms on 5XX errors and p99 model latency of the endpoint's variant. They are created before the
 * endpoint (they only need its name), so a blue/green update can roll back on them, and they exist
 * as long as the endpoint does: the endpoint's rollback alarms can't change without replacing it.
 * `notify` only turns their actions on or off, in place.
 */
export function createEndpointAlarms(name: string, args: EndpointAlarmsArgs, parent: pulumi.Resource): EndpointAlarms {
    const common = {
        namespace: "AWS/SageMaker",
        dimensions: { EndpointName: args.endpointName, VariantName: VARIANT_NAME },
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // No traffic is not an outage.
        treatMissingData: "notBreaching",
        actionsEnabled: args.notify,
        alarmActions: args.topicArn ? [args.topicArn] : [],
        okActions: args.topicArn ? [args.topicArn] : [],
        tags: args.tags,
    };
    const errors = new aws.cloudwatch.MetricAlarm(`${name}-5xx-errors`, {
        ...common,
        alarmDescription: `${args.endpointName}: invocations fail with 5XX errors`,
        metricName: "Invocation5XXErrors",
        statistic: "Sum",
        threshold: args.errorThreshold,
    }, { parent });
    const latency = new aws.cloudwatch.MetricAlarm(`${name}-model-latency`, {
        ...common,
        alarmDescription: `${args.endpointName}: p99 model latency at or over ${args.latencyThresholdMs} ms`,
        metricName: "ModelLatency",
        extendedStatistic: "p99",
        // ModelLatency is reported in microseconds.
        threshold: args.latencyThresholdMs * 1000,
    }, { parent });
    return { errors, latency };
}

/**
 * An SNS topic for the alarms, encrypted with its own key: CloudWatch can't publish to a topic
 * encrypted with the AWS-managed `aws/sns` key, so the key policy must let CloudWatch use it.
 */
export function createAlarmTopic(
    name: string, account: { partition: pulumi.Input<string>; accountId: pulumi.Input<string> }, tags: Tags, parent: pulumi.Resource,
): aws.sns.Topic {
    const key = new aws.kms.Key(`${name}-alarms-key`, {
        description: `Encrypts the alarm notifications of ${name}`,
        enableKeyRotation: true,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersKey",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${account.partition}:iam::${account.accountId}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchPublishesAlarms",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
                },
            ],
        }),
        tags,
    }, { parent });
    return new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn, tags }, { parent });
}
