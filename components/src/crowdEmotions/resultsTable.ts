import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RESULTS_KEY, RESULTS_SORT_KEY, RESULTS_TTL_ATTRIBUTE } from "@crowd-emotions/face-detection-contract";
import { Tags } from "../shared/tags";

/**
 * The mood series: keyed by stream (partition key) and time (sort key), so that a stream's
 * intervals or frames between two times are one Query; on demand (frames come in bursts),
 * encrypted with a KMS key, point-in-time recovery on, items expiring through DynamoDB's time to
 * live, and protected from deletion unless `forceDestroy`. A key change replaces the table: the
 * results of a table keyed by frame alone (before streams) are not carried over.
 */
export function createResultsTable(name: string, forceDestroy: boolean, tags: Tags, parent: pulumi.Resource): aws.dynamodb.Table {
    return new aws.dynamodb.Table(`${name}-results`, {
        billingMode: "PAY_PER_REQUEST",
        hashKey: RESULTS_KEY,
        rangeKey: RESULTS_SORT_KEY,
        attributes: [{ name: RESULTS_KEY, type: "S" }, { name: RESULTS_SORT_KEY, type: "S" }],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
        ttl: { attributeName: RESULTS_TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: !forceDestroy,
        tags,
    }, { parent });
}
