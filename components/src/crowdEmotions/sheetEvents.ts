import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../shared/tags";

export interface SheetEventsArgs {
    readonly bucketName: pulumi.Input<string>;
    readonly sheetsPrefix: pulumi.Input<string>;
    /** `sheets` (their manifests), or `crops` (a detector that stores crops only). */
    readonly input: pulumi.Input<string>;
    /** The function's timeout: a message stays hidden six times as long while it is worked on. */
    readonly timeoutSeconds: number;
    /** The event source's batching window: messages wait that long too before the function takes them. */
    readonly packWindowSeconds: number;
    readonly maxAttempts: number;
    readonly tags: Tags;
}

export interface SheetEvents {
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly rule: aws.cloudwatch.EventRule;
}

/**
 * The way new sheets reach the function: an EventBridge rule on the bucket's "Object Created"
 * events for sheet manifests (the sheet's JPEG is written in the same all-or-nothing store), and
 * its "Object Deleted" events by the S3 API (a detector withdrawing a failed frame, whose results
 * the function then removes) but not by the lifecycle (reason "Lifecycle Expiration": the
 * sheets expire, their results stay; S3 User Guide, "Using EventBridge"), into
 * an encrypted SQS queue whose messages go to an encrypted dead-letter queue after `maxAttempts`.
 * EventBridge, unlike S3 notifications, needs no change to the bucket's notification configuration
 * beyond sending events to EventBridge at all.
 */
export function createSheetEvents(name: string, args: SheetEventsArgs, parent: pulumi.Resource): SheetEvents {
    const deadLetterQueue = new aws.sqs.Queue(`${name}-dead-letters`, {
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 86_400,
        tags: args.tags,
    }, { parent });
    const queue = new aws.sqs.Queue(`${name}-sheets`, {
        sqsManagedSseEnabled: true,
        // At least six times the function's timeout plus the batching window, so a batch in work is
        // not handed out again (Lambda's advice for SQS event sources).
        visibilityTimeoutSeconds: args.timeoutSeconds * 6 + args.packWindowSeconds,
        messageRetentionSeconds: 4 * 86_400,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: args.maxAttempts }),
        tags: args.tags,
    }, { parent });
    const rule = new aws.cloudwatch.EventRule(`${name}-new-sheets`, {
        description: `New face sheets (or crops) for the ${name} emotion stage`,
        eventPattern: pulumi.jsonStringify({
            "source": ["aws.s3"],
            "detail-type": ["Object Created", "Object Deleted"],
            "detail": {
                bucket: { name: [args.bucketName] },
                reason: [{ "anything-but": ["Lifecycle Expiration"] }],
                object: { key: [{ wildcard: pulumi.all([args.sheetsPrefix, args.input]).apply(([prefix, input]) => `${prefix}*${input === "sheets" ? "sheet-*.json" : "face-*.jpg"}`) }] },
            },
        }),
        tags: args.tags,
    }, { parent });
    new aws.cloudwatch.EventTarget(`${name}-new-sheets-to-queue`, { rule: rule.name, arn: queue.arn }, { parent });
    new aws.sqs.QueuePolicy(`${name}-sheets-policy`, {
        queueUrl: queue.url,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "EventBridgeSendsSheetEvents",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queue.arn,
                Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
            }],
        }),
    }, { parent });
    return { queue, deadLetterQueue, rule };
}
