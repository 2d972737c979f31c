import { ENV } from "./env";
import { CropOutput } from "./outputs";

/** The detector's settings, as the component passes them and the container reads them. */
export interface DetectorSettings {
    readonly cropsBucket: string;
    readonly cropsPrefix: string;
    /** SSE-KMS with this key; SSE-S3 when absent. */
    readonly kmsKeyId?: string;
    readonly minConfidence: number;
    readonly maxFaces: number;
    readonly cropMargin: number;
    readonly minCropSize: number;
    readonly jpegQuality: number;
    readonly minFaceSize: number;
    readonly cropOutput: CropOutput;
    /** Absent: the container runs one worker per CPU of whatever instance it lands on. */
    readonly workers?: number;
}

/** The container environment that carries `settings`. */
export function toEnvironment(settings: DetectorSettings): Record<string, string> {
    const env: Record<string, string> = {
        [ENV.cropsBucket]: settings.cropsBucket,
        [ENV.cropsPrefix]: settings.cropsPrefix,
        [ENV.minConfidence]: String(settings.minConfidence),
        [ENV.maxFaces]: String(settings.maxFaces),
        [ENV.cropMargin]: String(settings.cropMargin),
        [ENV.minCropSize]: String(settings.minCropSize),
        [ENV.jpegQuality]: String(settings.jpegQuality),
        [ENV.minFaceSize]: String(settings.minFaceSize),
        [ENV.cropOutput]: settings.cropOutput,
    };
    if (settings.kmsKeyId) {
        env[ENV.kmsKeyId] = settings.kmsKeyId;
    }
    if (settings.workers !== undefined) {
        env[ENV.workers] = String(settings.workers);
    }
    return env;
}
