export { FaceDetectionEndpoint, FACE_DETECTION_ENDPOINT_TYPE } from "./faceDetectionEndpoint";
export { FaceDetectionEndpointArgs } from "./args";
export { DEFAULTS, DATA_CAPTURE_PREFIX } from "./defaults";
export { RANGES, validateArgs } from "./validate";
export { executionRolePolicy, ecrRepositoryArn, ExecutionRoleScope, PolicyDocument } from "./policyDocument";
