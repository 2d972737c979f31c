/**
 * What `npm run watch` reads: a video file, a camera URL (RTSP over TCP, or MJPEG over HTTP(S)), a
 * webcam, or a folder of photos. Told apart before anything starts, with one clear line for a
 * source that can't be one.
 */
import * as fs from "fs";
import * as path from "path";
import { SourceError } from "./ffmpeg";

export const VIDEO_EXTENSIONS = [".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".mjpeg", ".mjpg"];
export const PHOTO_EXTENSIONS = [".jpg", ".jpeg", ".png"];

export type Source =
    | { readonly kind: "file"; readonly path: string }
    | { readonly kind: "folder"; readonly path: string }
    /** A live source: ffmpeg's input arguments, and a name for messages without credentials. */
    | { readonly kind: "live"; readonly input: string[]; readonly name: string };

/** A URL with its password hidden, for messages. */
export function redact(url: string): string {
    try {
        const parsed = new URL(url);
        if (parsed.password) {
            parsed.password = "***";
        }
        return parsed.toString();
    } catch {
        return url;
    }
}

/** The webcam's ffmpeg input on this platform: `device` is a /dev/video path, an index, or a DirectShow name. */
export function webcamInput(device: string | undefined, platform: NodeJS.Platform = process.platform): string[] {
    switch (platform) {
        case "linux":
            return ["-f", "v4l2", "-i", device ?? "/dev/video0"];
        case "darwin":
            return ["-f", "avfoundation", "-framerate", "30", "-i", device ?? "0"];
        case "win32":
            if (device === undefined) {
                throw new SourceError("On Windows, name the camera: webcam:<DirectShow name> (ffmpeg -list_devices true -f dshow -i dummy lists them).");
            }
            return ["-f", "dshow", "-i", `video=${device}`];
        default:
            throw new SourceError(`No webcam support on ${platform}: pass the camera's URL or a video file.`);
    }
}

export function parseSource(source: string, platform: NodeJS.Platform = process.platform): Source {
    if (/^rtsps?:\/\//i.test(source)) {
        // RTSP over TCP: over UDP, a lossy network drops packets and frames come out torn.
        return { kind: "live", input: ["-rtsp_transport", "tcp", "-i", source], name: redact(source) };
    }
    if (/^https?:\/\//i.test(source)) {
        return { kind: "live", input: ["-i", source], name: redact(source) };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
        throw new SourceError(`${redact(source)}: only rtsp://, rtsps://, http:// and https:// cameras are read.`);
    }
    if (source === "webcam" || source.startsWith("webcam:")) {
        const device = source === "webcam" ? undefined : source.slice("webcam:".length);
        return { kind: "live", input: webcamInput(device, platform), name: source };
    }
    if (source.startsWith("/dev/video")) {
        return { kind: "live", input: webcamInput(source, platform), name: source };
    }
    let stat: fs.Stats;
    try {
        stat = fs.statSync(source);
    } catch {
        throw new SourceError(`No such file or folder: ${source}`);
    }
    if (stat.isDirectory()) {
        return { kind: "folder", path: source };
    }
    if (PHOTO_EXTENSIONS.includes(path.extname(source).toLowerCase())) {
        throw new SourceError(`${source} is a photo: send it with npm run invoke, or give watch its folder.`);
    }
    return { kind: "file", path: source };
}
