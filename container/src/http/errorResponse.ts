import { ClientError, StorageError } from "../errors";
import type { Logger } from "../log";

export interface ErrorResponse {
    readonly status: number;
    readonly body: { error: string; id?: string };
}

/**
 * The one mapping from an error to an answer: the client's mistakes get a 4xx that says what was
 * wrong; anything else a 5xx whose details stay in the log.
 */
export function errorResponse(
    error: Error & { statusCode?: number; code?: string },
    context: { requestId: string; contentType?: string; maxBodyBytes: number; acceptedTypes: readonly string[] },
    log: Pick<Logger, "error">,
): ErrorResponse {
    if (error instanceof ClientError) {
        return { status: error.statusCode, body: { error: error.message } };
    }
    switch (error.code) {
        case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
            return {
                status: 415,
                body: { error: `Content-Type "${context.contentType ?? "none"}" is not supported; send ${context.acceptedTypes.join(", ")}.` },
            };
        case "FST_ERR_CTP_BODY_TOO_LARGE":
            return { status: 413, body: { error: `The image is larger than SageMaker's ${context.maxBodyBytes / 1024 / 1024} MB request limit.` } };
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, body: { error: error.message } };
    }
    log.error({ requestId: context.requestId, error: error.message, cause: String((error as StorageError).cause ?? "") }, "request failed");
    const message = error instanceof StorageError ? error.message : "Internal error; see the endpoint's logs.";
    return { status: 500, body: { error: message, id: context.requestId } };
}
