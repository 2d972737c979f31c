import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../shared/tags";

export interface CropsBucketArgs {
    readonly cropsPrefix: string;
    readonly retentionDays: number;
    readonly versioning: boolean;
    /** Where SageMaker writes captured requests, when it does: kept as long as the crops. */
    readonly dataCapturePrefix?: string;
    readonly forceDestroy: boolean;
    /** SSE-KMS with this key; SSE-S3 when absent. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Send the bucket's events to EventBridge (the emotion stage reads new sheets from there). */
    readonly eventBridge: boolean;
    /** Refuse crops written other than through this S3 VPC endpoint (`aws:SourceVpce`). */
    readonly requireVpcEndpointId?: pulumi.Input<string>;
    readonly tags: Tags;
}

/**
 * With versioning, an overwritten or deleted crop's old version is kept this long, a window to
 * undo a mistake; a crop is then gone at most `retentionDays` + this after it was written.
 */
export const NONCURRENT_DAYS = 1;

/**
 * The crops bucket with the v7 resource family: encrypted, private, owner-enforced, TLS-only,
 * crops (and captured data) expiring after `retentionDays`.
 */
export function createCropsBucket(name: string, args: CropsBucketArgs, parent: pulumi.Resource): aws.s3.Bucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-crops`, {
        forceDestroy: args.forceDestroy,
        tags: args.tags,
    }, opts);

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-crops-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);

    new aws.s3.BucketOwnershipControls(`${name}-crops-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);

    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-crops-encryption`, {
        bucket: bucket.id,
        rules: [args.kmsKeyArn === undefined
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
            : {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                // One data key per bucket instead of one KMS request per crop.
                bucketKeyEnabled: true,
            }],
    }, opts);

    new aws.s3.BucketPolicy(`${name}-crops-tls-only`, {
        bucket: bucket.id,
        // A structure, not a JSON string: only the bucket's ARN is unknown on a first preview, so
        // the policy pack still sees the Deny (see documentInputs.ts).
        policy: {
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }, ...(args.requireVpcEndpointId === undefined ? [] : [{
                // Crops come from the detector in the VPC, through its S3 endpoint, or not at all.
                // PutObject only: deletes from outside stay possible (a stack's forceDestroy
                // empties the bucket from where `pulumi destroy` runs).
                Sid: "DenyCropWritesOutsideTheVpc",
                Effect: "Deny" as const,
                Principal: "*",
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucket.arn}/${args.cropsPrefix}*`,
                Condition: { StringNotEquals: { "aws:SourceVpce": args.requireVpcEndpointId } },
            }])],
        },
    }, { parent, dependsOn: [publicAccessBlock] });

    let versioning: aws.s3.BucketVersioning | undefined;
    if (args.versioning) {
        versioning = new aws.s3.BucketVersioning(`${name}-crops-versioning`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, opts);
    }

    new aws.s3.BucketLifecycleConfiguration(`${name}-crops-lifecycle`, {
        bucket: bucket.id,
        rules: lifecycleRules(args),
    }, { parent, dependsOn: versioning ? [versioning] : [] });

    if (args.eventBridge) {
        // The bucket's one notification configuration, owned here because the bucket is: EventBridge
        // receives every event and rules pick theirs, so no other notification needs this resource.
        new aws.s3.BucketNotification(`${name}-crops-events`, { bucket: bucket.id, eventbridge: true }, opts);
    }
    return bucket;
}

/**
 * What the bucket keeps, and for how long. S3 refuses `expiredObjectDeleteMarker` beside `days`
 * in one rule (API reference, LifecycleExpiration), hence the rule of its own that removes a
 * delete marker as soon as it is the only version left, instead of letting them pile up.
 */
export function lifecycleRules(args: Pick<CropsBucketArgs, "cropsPrefix" | "retentionDays" | "versioning" | "dataCapturePrefix">) {
    const expire = (id: string, prefix: string) => ({
        id,
        status: "Enabled",
        filter: { prefix },
        expiration: { days: args.retentionDays },
        ...(args.versioning ? { noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS } } : {}),
    });
    return [
        expire("expire-crops", args.cropsPrefix),
        ...(args.dataCapturePrefix === undefined ? [] : [expire("expire-data-capture", args.dataCapturePrefix)]),
        ...(args.versioning ? [{
            id: "remove-expired-delete-markers",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { expiredObjectDeleteMarker: true },
        }] : []),
        {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
    ];
}
