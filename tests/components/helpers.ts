import { resetRecorded, settled, useMocks } from "../../tools/mocks";

useMocks();

// Imported after the mocks are in place.
import { FaceDetectionEndpoint, FaceDetectionEndpointArgs } from "../../components/src";

export const PREBUILT_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces@sha256:" + "ab".repeat(32);

/** Constructs the component alone and waits for all its children to register. */
export async function build(args: FaceDetectionEndpointArgs = {}, name = "faces"): Promise<FaceDetectionEndpoint> {
    resetRecorded();
    const component = new FaceDetectionEndpoint(name, args);
    await settled();
    return component;
}
