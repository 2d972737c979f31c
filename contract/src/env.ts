/** Names of the environment variables that configure the detector container. */
export const ENV = {
    /** Bucket that receives the face crops. Required. */
    cropsBucket: "CROPS_BUCKET",
    /** Key prefix of every crop, e.g. `crops/`. */
    cropsPrefix: "CROPS_PREFIX",
    /** KMS key id or ARN: crops are then stored with SSE-KMS instead of SSE-S3. */
    kmsKeyId: "CROPS_KMS_KEY_ID",
    minConfidence: "MIN_CONFIDENCE",
    maxFaces: "MAX_FACES",
    cropMargin: "CROP_MARGIN",
    minCropSize: "MIN_CROP_SIZE",
    jpegQuality: "JPEG_QUALITY",
    minFaceSize: "MIN_FACE_SIZE",
    /** What is stored per frame: `crops`, `sheets` or `both` (see outputs.ts). */
    cropOutput: "CROP_OUTPUT",
    /** The ONNX engine's arithmetic: `auto` (int8 on CPUs with AVX2 or VNNI, else fp32), `int8` or `fp32`. */
    precision: "DETECTOR_PRECISION",
    /** What runs the model: `onnx` (ONNX Runtime, the default) or `tfjs` (the reference engine). */
    engine: "DETECTOR_ENGINE",
    /** Which face model: `ssd` (SSD MobileNet v1 with its passes) or `blazeface` (BlazeFace, back camera, tiled). */
    model: "DETECTOR_MODEL",
    /** SageMaker's own variable for the number of model server workers. */
    workers: "SAGEMAKER_MODEL_SERVER_WORKERS",
    /** SageMaker sets this when the image declares it accepts a bind-to port. */
    port: "SAGEMAKER_BIND_TO_PORT",
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
