import { DeleteObjectsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ClientError, StorageError } from "../errors";

export interface StoredObject {
    readonly key: string;
    readonly body: Buffer;
    /** @default "image/jpeg" */
    readonly contentType?: string;
    readonly metadata: Record<string, string>;
    /**
     * Written only once every other object of the frame is: its "Object Created" event tells a
     * reader that the rest is there (a sheet's manifest, which the emotion stage reacts to).
     */
    readonly announces?: boolean;
}

/** An object as written. */
export interface WrittenObject {
    readonly key: string;
}

/** Where crops go. The S3 implementation is the real one; tests substitute failing stores. */
export interface CropStore {
    readonly bucket: string;
    put(object: StoredObject, signal?: AbortSignal): Promise<WrittenObject>;
    /**
     * Deletes the objects by key. In a versioned bucket that adds a delete marker: the detector may
     * not delete versions (its role has no s3:DeleteObjectVersion, which would let it erase what
     * versioning protects), and the bucket's lifecycle removes noncurrent versions a day later.
     */
    remove(objects: readonly WrittenObject[]): Promise<void>;
}

export const S3_MAX_ATTEMPTS = 3;
export const S3_CONNECT_TIMEOUT_MS = 2_000;
export const S3_REQUEST_TIMEOUT_MS = 10_000;

export interface S3StoreOptions {
    readonly bucket: string;
    readonly kmsKeyId?: string;
}

/**
 * The crops bucket through the AWS SDK's standard configuration (region, credentials,
 * `AWS_ENDPOINT_URL_S3`). With a custom endpoint, path-style addressing, which S3-compatible
 * stores expect.
 */
export function createS3Store(options: S3StoreOptions): CropStore {
    // The SDK reads the endpoint from the environment itself; only the addressing style is ours.
    const customEndpoint = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
    const client = new S3Client({
        forcePathStyle: customEndpoint,
        // Every call ends well inside SageMaker's 60-s invocation limit: three attempts of at most
        // 10 s. The SDK's requestTimeout only logs a warning unless throwOnRequestTimeout is set
        // (@smithy/types, NodeHttpHandlerOptions).
        maxAttempts: S3_MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, requestTimeout: S3_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    });
    const encryption = options.kmsKeyId
        ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: options.kmsKeyId, BucketKeyEnabled: true }
        : { ServerSideEncryption: "AES256" as const };
    return {
        bucket: options.bucket,
        async put(object, signal) {
            await client.send(new PutObjectCommand({
                Bucket: options.bucket,
                Key: object.key,
                Body: object.body,
                ContentType: object.contentType ?? "image/jpeg",
                Metadata: object.metadata,
                // Never overwrite: a second request with a frame id already stored must not replace
                // (or, failing, delete) the first one's objects. S3 answers 412 instead.
                IfNoneMatch: "*",
                ...encryption,
            }), { abortSignal: signal });
            return { key: object.key };
        },
        async remove(objects) {
            if (objects.length > 0) {
                await client.send(new DeleteObjectsCommand({
                    Bucket: options.bucket,
                    Delete: { Objects: objects.map(({ key }) => ({ Key: key })), Quiet: true },
                }));
            }
        },
    };
}

/**
 * Stores all objects of a frame, or none: when one upload fails, or the request is abandoned
 * (`signal`) while they upload, the ones that succeeded are deleted before the error is raised, so
 * no frame is left half-stored and nobody's abandoned frame is kept. Objects that announce the
 * others (`announces`) are written after all of those succeeded, never before or beside them.
 */
export async function storeAll(
    store: CropStore, objects: readonly StoredObject[], signal?: AbortSignal, retryCleanup?: (written: readonly WrittenObject[]) => void,
): Promise<void> {
    const putAll = (batch: readonly StoredObject[]) => Promise.allSettled(batch.map((object) => store.put(object, signal)));
    const results: PromiseSettledResult<WrittenObject>[] = await putAll(objects.filter((object) => !object.announces));
    if (!results.some((result) => result.status === "rejected") && !signal?.aborted) {
        results.push(...await putAll(objects.filter((object) => object.announces)));
    }
    const rejected = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    const failed = rejected ?? (signal?.aborted ? { reason: signal.reason } : undefined);
    if (!failed) {
        return;
    }
    const written = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const taken = results.some((result) => result.status === "rejected" && isTaken(result.reason));
    try {
        await store.remove(written);
    } catch (cleanupError) {
        retryCleanup?.(written);
        const later = retryCleanup ? "; their removal will be retried" : "";
        throw new StorageError(`Storing the frame's objects failed, and removing the ${written.length} already written failed too${later}.`, cleanupError);
    }
    if (taken) {
        throw new ClientError(409, `Objects of this frame id are already stored, and are kept; send each frame with a frame id of its own (the ${written.length} objects this request wrote were removed).`);
    }
    throw new StorageError(`Storing the frame's objects failed; the ${written.length} already written were removed.`, failed.reason);
}

/** S3's refusal of a conditional write: the key exists (412), or another write to it is in flight (409). */
function isTaken(error: unknown): boolean {
    const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    const name = (error as { name?: string })?.name;
    return status === 412 || name === "PreconditionFailed" || name === "ConditionalRequestConflict";
}
