/**
 * A stream's mood as a time series: the frames of each interval summed up into one summary, each
 * emotion's share of the faces read with its 95% confidence interval. Shares are of faces whose
 * expression Rekognition read: expressions, not inner states.
 */
import { EMOTIONS, EmotionType } from "@crowd-emotions/face-detection-contract";
import { FaceMood } from "./sheetFaces";

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Faces an interval needs so that one emotion's share is known to ±5 points at 95% whatever the
 * share (the worst case, p = 0.5: n = z² · 0.25 / 0.05² = 384.1).
 */
export const LOW_SAMPLE_FACES = Math.ceil((Z95 * Z95 * 0.25) / (0.05 * 0.05));

/**
 * The Wilson score interval of a proportion (Wilson 1927): unlike the normal approximation it stays
 * within [0, 1] and is honest for small samples and shares near 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): { low: number; high: number } {
    if (n === 0) {
        return { low: 0, high: 1 };
    }
    const p = successes / n;
    const z2 = z * z;
    const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
    return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The interval a capture time falls in: `seconds` long, aligned to the epoch (so to the minute and hour). */
export function intervalOf(capturedAt: Date, seconds: number): { start: Date; end: Date } {
    const ms = seconds * 1000;
    const start = Math.floor(capturedAt.getTime() / ms) * ms;
    return { start: new Date(start), end: new Date(start + ms) };
}

/** A frame as the table holds it: its size, and what was read of it. */
export interface FrameEntry {
    readonly frameId: string;
    readonly capturedAt: string;
    /** Faces the detector found in the frame. */
    readonly faces: number;
    /** Parts the frame was stored in (sheets, or crops), and how many of them were read. */
    readonly parts: number;
    readonly partsRead: number;
    /** The faces read, over every part read. */
    readonly readings: readonly FaceMood[];
    /** The detector withdrew the frame (its client got an error): it counts in no summary. */
    readonly withdrawn?: boolean;
}

export interface EmotionShare {
    /** Fraction of the faces read whose leading expression this is, 0–1. */
    readonly share: number;
    /** Its 95% Wilson interval. */
    readonly low: number;
    readonly high: number;
}

/** One interval of a stream's series: what the `npm run moods --json` answer holds per interval. */
export interface IntervalSummary {
    readonly start: string;
    readonly end: string;
    /** Frames with faces seen, and those read by Rekognition. */
    readonly frames: number;
    readonly framesRead: number;
    /** The crowd's size: faces per frame seen. */
    readonly facesSeen: { readonly mean: number; readonly max: number; readonly total: number };
    /** Faces whose expression was read. */
    readonly facesRead: number;
    readonly shares: Readonly<Record<EmotionType, EmotionShare>>;
    /** Under LOW_SAMPLE_FACES faces read: a share is not known to ±5 points. */
    readonly lowSample: boolean;
    /** The expression most faces showed, if any face was read. */
    readonly leading?: EmotionType;
    /** Parts read in all: with `frames` and `withdrawnFrames`, what tells a newer summary from an older one. */
    readonly partsRead: number;
    /** Frames the detector withdrew after the stage saw them: counted in nothing above. */
    readonly withdrawnFrames: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function summarize(interval: { start: Date; end: Date }, entries: readonly FrameEntry[]): IntervalSummary {
    const frames = entries.filter((frame) => !frame.withdrawn);
    const read = frames.flatMap((frame) => frame.readings).filter((face) => face.emotion !== undefined);
    const counts = new Map<EmotionType, number>(EMOTIONS.map((emotion) => [emotion, 0]));
    for (const face of read) {
        counts.set(face.emotion!, counts.get(face.emotion!)! + 1);
    }
    const shares = Object.fromEntries(EMOTIONS.map((emotion) => {
        const n = counts.get(emotion)!;
        const { low, high } = wilsonInterval(n, read.length);
        return [emotion, { share: read.length === 0 ? 0 : round4(n / read.length), low: round4(low), high: round4(high) }];
    })) as Record<EmotionType, EmotionShare>;
    const ranked = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const total = frames.reduce((sum, frame) => sum + frame.faces, 0);
    return {
        start: interval.start.toISOString(),
        end: interval.end.toISOString(),
        frames: frames.length,
        framesRead: frames.filter((frame) => frame.partsRead > 0).length,
        facesSeen: {
            mean: frames.length === 0 ? 0 : Math.round((total / frames.length) * 10) / 10,
            max: frames.reduce((max, frame) => Math.max(max, frame.faces), 0),
            total,
        },
        facesRead: read.length,
        shares,
        lowSample: read.length < LOW_SAMPLE_FACES,
        ...(ranked.length > 0 && { leading: ranked[0][0] }),
        partsRead: frames.reduce((sum, frame) => sum + frame.partsRead, 0),
        withdrawnFrames: entries.length - frames.length,
    };
}
