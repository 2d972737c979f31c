/**
 * A folder of photos as a stream: each photo's capture time from its name where the name holds
 * one (`2026-12-07T10-15-30Z.jpg`, `cam1_20261207_101530.jpg`, `IMG_20261207_101530123.jpg`; read
 * as UTC), else from its modification time; in capture order, one photo per `every` of capture time.
 */
import * as fs from "fs";
import * as path from "path";
import { SourceError } from "./ffmpeg";
import { PHOTO_EXTENSIONS } from "./sources";

export interface Photo {
    readonly file: string;
    readonly capturedAt: Date;
    /** Where the capture time came from. */
    readonly timeFrom: "name" | "modification time";
}

const NAME_TIME = /(\d{4})-?(\d{2})-?(\d{2})[T_ -]?(\d{2})[-:h]?(\d{2})[-:m]?(\d{2})(?:[.,_]?(\d{3}))?/;

/** The capture time a file name holds, if any. */
export function timeOfName(name: string): Date | undefined {
    const match = NAME_TIME.exec(name);
    if (!match) {
        return undefined;
    }
    const [, y, mo, d, h, mi, s, ms] = match.map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, Number.isNaN(ms) ? 0 : ms));
    // A date that rolled over (month 13, second 61) is no date.
    return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCSeconds() === s ? date : undefined;
}

/** The folder's photos in capture order, sampled one per `everySeconds` of capture time. */
export function photosOf(folder: string, everySeconds: number): { photos: Photo[]; total: number } {
    const all = fs.readdirSync(folder)
        .filter((name) => PHOTO_EXTENSIONS.includes(path.extname(name).toLowerCase()))
        .map((name): Photo => {
            const file = path.join(folder, name);
            const named = timeOfName(name);
            return named !== undefined ? { file, capturedAt: named, timeFrom: "name" } : { file, capturedAt: fs.statSync(file).mtime, timeFrom: "modification time" };
        })
        .sort((a, b) => a.capturedAt.getTime() - b.capturedAt.getTime() || a.file.localeCompare(b.file));
    if (all.length === 0) {
        throw new SourceError(`No JPEG or PNG files in ${folder}.`);
    }
    const photos: Photo[] = [];
    for (const photo of all) {
        const last = photos.at(-1);
        if (last === undefined || photo.capturedAt.getTime() - last.capturedAt.getTime() >= everySeconds * 1000) {
            photos.push(photo);
        }
    }
    return { photos, total: all.length };
}
