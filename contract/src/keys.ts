/** Longest crops prefix accepted; S3 keys are limited to 1024 bytes and the rest of the key needs room. */
export const MAX_PREFIX_LENGTH = 256;

const PREFIX_PATTERN = /^(?:[A-Za-z0-9!_.*'()-]+\/)*$/;

/**
 * Returns why `prefix` is not a usable crops prefix, or `undefined` when it is. A prefix is empty or
 * a sequence of path segments each ending in `/` (`crops/`, `env/dev/crops/`), so that the role's
 * `prefix*` permission covers exactly the crops and nothing beside them.
 */
export function validatePrefix(prefix: string): string | undefined {
    if (prefix.length > MAX_PREFIX_LENGTH) {
        return `must be at most ${MAX_PREFIX_LENGTH} characters`;
    }
    if (!PREFIX_PATTERN.test(prefix)) {
        return "must be empty or segments of letters, digits and !_.*'()- each ending in '/', with no leading '/'";
    }
    return undefined;
}

/** Where a frame's objects go: its stream, id, and capture time (UTC dates). */
export interface FrameLocation {
    readonly stream: string;
    readonly frameId: string;
    readonly capturedAt: Date;
}

/**
 * The S3 key of one face crop: `<prefix><yyyy>/<mm>/<dd>/<stream>/<frameId>/face-<index>.jpg`, dated
 * by the capture time in UTC. Dates first, so lifecycle rules and listings work by day; then the
 * stream, so a camera's day is one prefix; the frame id groups a frame's objects.
 */
export function cropKey(prefix: string, frame: FrameLocation, index: number): string {
    return `${frameFolder(prefix, frame)}face-${index}.jpg`;
}

/**
 * The S3 keys of one face sheet and its manifest, beside the frame's crops:
 * `<prefix><yyyy>/<mm>/<dd>/<stream>/<frameId>/sheet-<index>.jpg` and `….json`.
 */
export function sheetKeys(prefix: string, frame: FrameLocation, index: number): { image: string; manifest: string } {
    const base = `${frameFolder(prefix, frame)}sheet-${index}`;
    return { image: `${base}.jpg`, manifest: `${base}.json` };
}

function frameFolder(prefix: string, frame: FrameLocation): string {
    const date = frame.capturedAt;
    const yyyy = date.getUTCFullYear().toString().padStart(4, "0");
    const mm = (date.getUTCMonth() + 1).toString().padStart(2, "0");
    const dd = date.getUTCDate().toString().padStart(2, "0");
    return `${prefix}${yyyy}/${mm}/${dd}/${frame.stream}/${frame.frameId}/`;
}

/** What a key of the layout above says: the day, stream and frame, and which object it is. */
export interface FrameKey {
    readonly day: string;
    readonly stream: string;
    readonly frameId: string;
    readonly kind: "sheet" | "manifest" | "crop";
    readonly index: number;
}

const FRAME_KEY = /(?:^|\/)(\d{4}\/\d{2}\/\d{2})\/([A-Za-z0-9._-]{1,64})\/([A-Za-z0-9._-]{1,128})\/(sheet|face)-(0|[1-9]\d{0,3})\.(jpg|json)$/;

/**
 * Reads a key of the layout above, or `undefined` for any other key (the emotion stage takes only
 * these). The stream and frame id follow the attribute rules; an index has at most four digits.
 */
export function parseFrameKey(key: string): FrameKey | undefined {
    const match = FRAME_KEY.exec(key);
    if (!match) {
        return undefined;
    }
    const [, day, stream, frameId, object, index, extension] = match;
    if ([stream, frameId].some((part) => part === "." || part === "..")) {
        return undefined;
    }
    const kind = object === "face" ? (extension === "jpg" ? "crop" : undefined) : extension === "jpg" ? "sheet" : "manifest";
    return kind === undefined ? undefined : { day, stream, frameId, kind, index: Number(index) };
}
