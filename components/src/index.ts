export { FaceDetectionEndpoint, FACE_DETECTION_ENDPOINT_TYPE } from "./faceDetection/faceDetectionEndpoint";
export { FaceDetectionEndpointArgs } from "./faceDetection/args";
export { DEFAULTS, DATA_CAPTURE_PREFIX } from "./faceDetection/defaults";
export { RANGES, validateArgs } from "./faceDetection/validate";
export { executionRolePolicy, ecrRepositoryArn, ExecutionRoleScope, PolicyDocument } from "./faceDetection/policyDocument";
