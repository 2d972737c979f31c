import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RESULTS_KEY, RESULTS_TTL_ATTRIBUTE } from "@crowd-emotions/face-detection-contract";
import { Tags } from "../shared/tags";

/**
 * One item per frame: on demand (frames come in bursts), encrypted with a KMS key, point-in-time
 * recovery on, items expiring through DynamoDB's time to live, and protected from deletion unless
 * `forceDestroy`.
 */
export function createResultsTable(name: string, forceDestroy: boolean, tags: Tags, parent: pulumi.Resource): aws.dynamodb.Table {
    return new aws.dynamodb.Table(`${name}-results`, {
        billingMode: "PAY_PER_REQUEST",
        hashKey: RESULTS_KEY,
        attributes: [{ name: RESULTS_KEY, type: "S" }],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: RESULTS_TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: !forceDestroy,
        tags,
    }, { parent });
}
