import { ENV } from "./env";
import { CropOutput } from "./outputs";
import { DETECTOR_TUNING, DetectorTuning } from "./settings";

/** The detector's settings, as the component passes them and the container reads them. */
export interface DetectorSettings extends Readonly<Record<DetectorTuning, number>> {
    readonly cropsBucket: string;
    readonly cropsPrefix: string;
    /** SSE-KMS with this key; SSE-S3 when absent. */
    readonly kmsKeyId?: string;
    readonly cropOutput: CropOutput;
    /** Absent: the container runs one worker per CPU of whatever instance it lands on. */
    readonly workers?: number;
}

/** The container environment that carries `settings`. */
export function toEnvironment(settings: DetectorSettings): Record<string, string> {
    const env: Record<string, string> = {
        [ENV.cropsBucket]: settings.cropsBucket,
        [ENV.cropsPrefix]: settings.cropsPrefix,
        ...Object.fromEntries(DETECTOR_TUNING.map((name) => [ENV[name], String(settings[name])])),
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
