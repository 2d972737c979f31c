import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmSubscribers {
    readonly emails: readonly string[];
    readonly httpsEndpoints: readonly string[];
}

/**
 * Subscribes each address to the alarm topic. A subscription's name comes from its address, not
 * its place in the list, so removing one address leaves the others' subscriptions (and their
 * confirmations) alone. SNS asks every address to confirm; until then it receives nothing.
 */
export function subscribeToAlarms(
    name: string, topicArn: pulumi.Input<string>, subscribers: AlarmSubscribers, parent: pulumi.Resource,
): aws.sns.TopicSubscription[] {
    const subscribe = (protocol: "email" | "https", endpoint: string) =>
        new aws.sns.TopicSubscription(`${name}-alarms-${protocol}-${shortHash(endpoint)}`, {
            topic: topicArn,
            protocol,
            endpoint,
        }, { parent });
    return [
        ...subscribers.emails.map((email) => subscribe("email", email.toLowerCase())),
        ...subscribers.httpsEndpoints.map((url) => subscribe("https", url)),
    ];
}

/**
 * A topic the component creates for the alarms reaches nobody until someone subscribes: said at
 * every preview and update, with how to fix it, rather than found out during an outage.
 */
export function unsubscribedTopicWarning(createdTopic: boolean, subscribers: AlarmSubscribers): string | undefined {
    if (!createdTopic || subscribers.emails.length > 0 || subscribers.httpsEndpoints.length > 0) {
        return undefined;
    }
    return "The alarm topic has no subscribers, so the alarms reach nobody: set `alarmEmails` or `alarmHttpsEndpoints` " +
        "(stack: `pulumi config set --path 'face-detection:alarmEmails[0]' oncall@example.com`), or subscribe your paging " +
        "service to the `alarmTopicArn` output.";
}

function shortHash(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, 12);
}
