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

/**
 * The S3 key of one face crop: `<prefix><yyyy>/<mm>/<dd>/<frameId>/face-<index>.jpg`, dated in UTC.
 * Dates first, so lifecycle rules and listings work by day; the frame id groups a frame's crops.
 */
export function cropKey(prefix: string, date: Date, frameId: string, index: number): string {
    return `${frameFolder(prefix, date, frameId)}face-${index}.jpg`;
}

/**
 * The S3 keys of one face sheet and its manifest, beside the frame's crops:
 * `<prefix><yyyy>/<mm>/<dd>/<frameId>/sheet-<index>.jpg` and `….json`.
 */
export function sheetKeys(prefix: string, date: Date, frameId: string, index: number): { image: string; manifest: string } {
    const base = `${frameFolder(prefix, date, frameId)}sheet-${index}`;
    return { image: `${base}.jpg`, manifest: `${base}.json` };
}

function frameFolder(prefix: string, date: Date, frameId: string): string {
    const yyyy = date.getUTCFullYear().toString().padStart(4, "0");
    const mm = (date.getUTCMonth() + 1).toString().padStart(2, "0");
    const dd = date.getUTCDate().toString().padStart(2, "0");
    return `${prefix}${yyyy}/${mm}/${dd}/${frameId}/`;
}
