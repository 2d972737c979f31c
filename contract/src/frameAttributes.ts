/**
 * What a frame says about itself in SageMaker's custom attributes header
 * (`X-Amzn-SageMaker-Custom-Attributes: stream=lobby-1,captured-at=2026-12-07T10:15:30.250Z,frame-id=…`):
 * the camera it comes from, when it was captured, and its id. Clients write the header with
 * `formatFrameAttributes`, the detector reads it with `parseFrameAttributes`; both check the same
 * rules.
 */

/** The stream of a frame that names none. */
export const DEFAULT_STREAM = "default";

/** SageMaker passes at most this many characters of custom attributes (visible ASCII only). */
export const MAX_CUSTOM_ATTRIBUTES = 1024;

/** How far in the future a capture time may lie: clocks drift, but not by a day. */
export const MAX_CAPTURE_AHEAD_MS = 86_400_000;

/**
 * A stream id or frame id is one S3 key segment of letters, digits, `.`, `_` and `-`; never `.` or
 * `..` alone, which some S3-compatible stores resolve as dot segments.
 */
const segment = (max: number) => new RegExp(`^(?!\\.{1,2}$)[A-Za-z0-9._-]{1,${max}}$`);
export const STREAM_ID = segment(64);
export const FRAME_ID = segment(128);

/** ISO 8601 date and time with a zone (`Z` or `±hh:mm`), seconds and fractions optional. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Whether the fields are a real date and time (JavaScript's Date rolls 30 February over into March). */
function realDateAndTime(match: RegExpExecArray): boolean {
    const [, year, month, day, hour, minute, second = "0", zoneHour = "0", zoneMinute = "0"] = match.map((part) => part ?? undefined);
    const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    return Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth
        && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60 && Number(zoneHour) < 24 && Number(zoneMinute) < 60;
}

/** The attributes the detector reads; a missing one takes its default. */
export const FRAME_ATTRIBUTES = { stream: "stream", capturedAt: "captured-at", frameId: "frame-id" } as const;

export interface FrameAttributes {
    /** The frame's id, when the client gave one (the detector otherwise uses the request's id). */
    readonly frameId?: string;
    readonly stream: string;
    readonly capturedAt: Date;
}

/** A custom attribute the detector can't use; the message names it and the rule. */
export class FrameAttributeError extends Error {
    constructor(readonly attribute: string, message: string) {
        super(message);
        this.name = "FrameAttributeError";
    }
}

const fail = (attribute: string, rule: string, value: string) =>
    new FrameAttributeError(attribute, `${attribute} in X-Amzn-SageMaker-Custom-Attributes must be ${rule}, got ${JSON.stringify(value.slice(0, 80))}.`);

/** Checks a stream id, throwing the error the detector answers with. */
export function checkStream(value: string): string {
    if (!STREAM_ID.test(value)) {
        throw fail(FRAME_ATTRIBUTES.stream, "1-64 letters, digits, '.', '_' or '-', and not '.' or '..'", value);
    }
    return value;
}

/** Checks a frame id, throwing the error the detector answers with. */
export function checkFrameId(value: string): string {
    if (!FRAME_ID.test(value)) {
        throw fail(FRAME_ATTRIBUTES.frameId, "1-128 letters, digits, '.', '_' or '-', and not '.' or '..'", value);
    }
    return value;
}

/** Reads a capture time: ISO 8601 with a zone, a real instant, at most a day after `now`. */
export function checkCapturedAt(value: string, now: Date): Date {
    const time = new Date(value);
    const match = ISO_WITH_ZONE.exec(value);
    if (!match || !realDateAndTime(match) || Number.isNaN(time.getTime())) {
        throw fail(FRAME_ATTRIBUTES.capturedAt, "an ISO 8601 time with a zone (e.g. 2026-12-07T10:15:30.250Z)", value);
    }
    if (time.getTime() > now.getTime() + MAX_CAPTURE_AHEAD_MS) {
        throw fail(FRAME_ATTRIBUTES.capturedAt, "at most a day after the detector's clock", value);
    }
    return time;
}

/**
 * The frame's attributes from the header (`k=v` pairs separated by `,` or `;`; other keys are
 * left to whoever set them). Defaults: stream `default`, capture time `now` (its arrival).
 */
export function parseFrameAttributes(header: string | undefined, now: Date): FrameAttributes {
    const given = new Map<string, string>();
    for (const pair of (header ?? "").split(/[,;]/)) {
        const [key, ...rest] = pair.split("=");
        const name = key.trim().toLowerCase();
        if (Object.values(FRAME_ATTRIBUTES).includes(name as never) && !given.has(name)) {
            given.set(name, rest.join("=").trim());
        }
    }
    const frameId = given.get(FRAME_ATTRIBUTES.frameId);
    const stream = given.get(FRAME_ATTRIBUTES.stream);
    const capturedAt = given.get(FRAME_ATTRIBUTES.capturedAt);
    return {
        ...(frameId !== undefined && { frameId: checkFrameId(frameId) }),
        stream: stream === undefined ? DEFAULT_STREAM : checkStream(stream),
        capturedAt: capturedAt === undefined ? now : checkCapturedAt(capturedAt, now),
    };
}

/**
 * The header a client sends: stream, capture time (to the millisecond, in UTC) and frame id, each
 * checked. The rules bound it well within SageMaker's 1,024 characters: at most 7 + 64, 12 + 24
 * and 9 + 128 characters and two commas.
 */
export function formatFrameAttributes(attributes: { stream?: string; capturedAt?: Date; frameId?: string }, now = new Date()): string {
    const pairs: string[] = [];
    if (attributes.stream !== undefined) {
        pairs.push(`${FRAME_ATTRIBUTES.stream}=${checkStream(attributes.stream)}`);
    }
    if (attributes.capturedAt !== undefined) {
        pairs.push(`${FRAME_ATTRIBUTES.capturedAt}=${checkCapturedAt(attributes.capturedAt.toISOString(), now).toISOString()}`);
    }
    if (attributes.frameId !== undefined) {
        pairs.push(`${FRAME_ATTRIBUTES.frameId}=${checkFrameId(attributes.frameId)}`);
    }
    return pairs.join(",");
}
