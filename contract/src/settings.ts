/** A numeric detector setting: its default and its inclusive range. */
export interface NumericSetting {
    /** Absent where the default depends on the machine (workers: one per CPU). */
    readonly default?: number;
    readonly min: number;
    readonly max: number;
    readonly integer: boolean;
}

/**
 * The detector's numeric settings. The component validates its arguments against these ranges and
 * the container validates its environment against the same ones.
 */
export const SETTINGS = {
    /** Lowest detection score (0–1) that counts as a face. */
    minConfidence: { default: 0.5, min: 0.05, max: 1, integer: false },
    /**
     * Most faces reported (and cropped) per frame, highest scores first. A crowd frame holds
     * hundreds; the default fills one face sheet, as one Rekognition `DetectFaces` call reads at
     * most 100 faces.
     */
    maxFaces: { default: 100, min: 1, max: 1000, integer: true },
    /**
     * Height in pixels, in the frame as sent, of the smallest face to find. Rekognition reads faces
     * from 40 px in a 1920×1080 image; the detector scales each frame so that faces this small
     * reach its model large enough (the smaller, the more work per frame: see the README).
     */
    minFaceSize: { default: 40, min: 20, max: 4096, integer: true },
    /**
     * Padding around each face box, as a fraction of the box's larger side on every edge: Amazon
     * Rekognition analyses head and shoulders better than a tight box.
     */
    cropMargin: { default: 0.4, min: 0, max: 2, integer: false },
    /**
     * Smallest side of a stored crop in pixels; smaller crops are upscaled. Amazon Rekognition
     * needs faces of at least 80×80 px, so that is also the lower bound.
     */
    minCropSize: { default: 80, min: 80, max: 1024, integer: true },
    /** JPEG quality of the stored crops. */
    jpegQuality: { default: 90, min: 50, max: 100, integer: true },
    /** Model server processes; the container defaults to one per CPU. */
    workers: { min: 1, max: 64, integer: true },
    /** TCP port the server listens on. */
    port: { default: 8080, min: 1, max: 65535, integer: true },
} as const satisfies Record<string, NumericSetting>;

export type SettingName = keyof typeof SETTINGS;

/**
 * The detector's tuning settings: each is a component argument and a stack key of the same name,
 * and a container variable (`ENV`), checked against its row in `SETTINGS` on both sides. A new
 * setting is a row in `SETTINGS`, its name here and in `ENV`, its argument's TSDoc, and its use.
 */
export const DETECTOR_TUNING = ["minConfidence", "maxFaces", "minFaceSize", "cropMargin", "minCropSize", "jpegQuality"] as const;
export type DetectorTuning = (typeof DETECTOR_TUNING)[number];

/** The tuning settings given (`undefined` for the unset), each with its default where it is unset. */
export function tuningWithDefaults(given: Partial<Record<DetectorTuning, number | undefined>>): Record<DetectorTuning, number> {
    return Object.fromEntries(DETECTOR_TUNING.map((name) => [name, given[name] ?? SETTINGS[name].default])) as Record<DetectorTuning, number>;
}

/** Human-readable range of a setting, e.g. "an integer from 1 to 200". */
export function describeRange(setting: NumericSetting): string {
    return `${setting.integer ? "an integer" : "a number"} from ${setting.min} to ${setting.max}`;
}

export function isInRange(value: number, setting: NumericSetting): boolean {
    return Number.isFinite(value)
        && value >= setting.min
        && value <= setting.max
        && (!setting.integer || Number.isInteger(value));
}
