/**
 * The SageMaker runtime API's view of a container's answer, for `POST /endpoints/{name}/invocations`
 * on a local server: what `InvokeEndpoint` gets from the real service, so the real SDK client
 * behaves the same against both.
 */
export const RUNTIME_ROUTE = "/endpoints/:endpointName/invocations";

/**
 * SageMaker answers a container's 4xx/5xx with 424 and a `ModelError` carrying the container's
 * status and body (`OriginalStatusCode`, `OriginalMessage`).
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
export function modelError(status: number, body: unknown): { status: number; headers: Record<string, string>; body: object } {
    const original = JSON.stringify(body);
    const kind = status < 500 ? "client" : "server";
    return {
        status: 424,
        headers: { "x-amzn-errortype": "ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/" },
        body: {
            ErrorCode: `${kind.toUpperCase()}_ERROR_FROM_MODEL`,
            OriginalStatusCode: status,
            OriginalMessage: original,
            Message: `Received ${kind} error (${status}) from primary with message "${original}".`,
        },
    };
}
