/** Storing a frame's objects in S3 all or nothing, and removing a failed frame's objects again later. */
export { createS3Store, S3_CONNECT_TIMEOUT_MS, S3_MAX_ATTEMPTS, S3_REQUEST_TIMEOUT_MS, storeAll } from "./s3Store";
export type { CropStore, S3StoreOptions, StoredObject, WrittenObject } from "./s3Store";
export { CLEANUP_RETRY_DELAYS_MS, CleanupRetry } from "./cleanup";
