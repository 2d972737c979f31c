/** The HTTP face of a worker: SageMaker's /ping and /invocations (and the runtime API's path), admission, errors. */
export { buildApp, frameAttributesFrom, IMAGE_CONTENT_TYPES, MODEL_WAIT_MS, REQUEST_DEADLINE_MS } from "./app";
export type { AppDeps } from "./app";
export { Admission, MAX_PROCESSING, MAX_WAITING } from "./admission";
export { errorResponse } from "./errorResponse";
export type { ErrorResponse } from "./errorResponse";
export { modelError, RUNTIME_ROUTE } from "./runtimeApi";
