import { ENV } from "face-detection-contract";

/** Detector settings as the container reads them. */
export interface DetectorSettings {
    readonly bucketName: string;
    readonly cropsPrefix: string;
    readonly kmsKeyId?: string;
    readonly minConfidence: number;
    readonly maxFaces: number;
    readonly cropMargin: number;
    readonly minCropSize: number;
    readonly jpegQuality: number;
    readonly workers?: number;
}

/**
 * The model container's environment. Names come from the contract the container reads; an unset
 * worker count is left out so the container picks one per CPU of whatever instance it lands on.
 */
export function containerEnvironment(settings: DetectorSettings): Record<string, string> {
    const env: Record<string, string> = {
        [ENV.cropsBucket]: settings.bucketName,
        [ENV.cropsPrefix]: settings.cropsPrefix,
        [ENV.minConfidence]: String(settings.minConfidence),
        [ENV.maxFaces]: String(settings.maxFaces),
        [ENV.cropMargin]: String(settings.cropMargin),
        [ENV.minCropSize]: String(settings.minCropSize),
        [ENV.jpegQuality]: String(settings.jpegQuality),
    };
    if (settings.kmsKeyId) {
        env[ENV.kmsKeyId] = settings.kmsKeyId;
    }
    if (settings.workers !== undefined) {
        env[ENV.workers] = String(settings.workers);
    }
    return env;
}
