/** SageMaker real-time inference takes at most 6 MB per request (InvokeEndpoint's `Body`). */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/**
 * The endpoint's one production variant. Blue/green updates need it to keep its name, and the
 * runtime API reports it in `x-Amzn-Invoked-Production-Variant`.
 */
export const VARIANT_NAME = "AllTraffic";
