import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../lib/known";
import { TYPES } from "../lib/types";

/** The FaceDetectionEndpoint argument that sets an endpoint configuration's volume key. */
export const VOLUME_KEY_ARG = "volumeKmsKeyArn";

/** Checkov CKV_AWS_98; AWS Config sagemaker-endpoint-configuration-kms-key-configured. */
export const sagemakerVolumeKms: ResourceValidationPolicy = {
    name: "sagemaker-endpoint-volume-kms",
    description: "SageMaker endpoint configurations should encrypt the ML storage volume with a customer-managed KMS key "
        + "(Checkov CKV_AWS_98; AWS Config sagemaker-endpoint-configuration-kms-key-configured).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.sagemakerEndpointConfig) {
            return;
        }
        // Serverless variants have no volume to encrypt.
        const variants = read(() => (args.props.productionVariants ?? []) as { serverlessConfig?: unknown }[]);
        if (variants.known && variants.value.length > 0 && variants.value.every((v) => v.serverlessConfig)) {
            return;
        }
        const key = read(() => args.props.kmsKeyArn);
        if (key.known && !key.value) {
            // The resource's input is kmsKeyArn; the component's argument (and stack key) that sets it
            // is volumeKmsKeyArn: its own kmsKeyArn is the crops bucket's key.
            reportViolation(`SageMaker endpoint configurations should encrypt their storage volume with a customer-managed key: set the component's ${VOLUME_KEY_ARG} (stack key face-detection:${VOLUME_KEY_ARG}).`);
        }
    },
};
