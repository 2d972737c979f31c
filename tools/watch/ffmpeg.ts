/**
 * Finding ffmpeg and asking it for frames. ffmpeg is spawned directly (fluent-ffmpeg, the usual
 * wrapper, is archived). The binary comes, in order, from `--ffmpeg`, `FFMPEG_PATH`, or the
 * `@ffmpeg-installer` platform package that `npm ci` installs from the npm registry alone (the
 * binary is in its tarball; `ffmpeg-static` downloads at install instead). That binary is a static
 * build of December 2018 under the GPL v3 (`--enable-gpl --enable-version3`, with libx264); the
 * wrapper package is LGPL-2.1. For cameras or files from outside, prefer an up-to-date ffmpeg of
 * your own: `--ffmpeg $(which ffmpeg)`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";

/** A source that can't be read, or no ffmpeg to read it: one line for the user, exit 1. */
export class SourceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SourceError";
    }
}

export interface Ffmpeg {
    readonly path: string;
    /** Where it was found, for the start line. */
    readonly origin: string;
}

/** The ffmpeg to run, or a `SourceError` saying how to get one. */
export function findFfmpeg(option?: string, env: NodeJS.ProcessEnv = process.env): Ffmpeg {
    const chosen = option ?? env.FFMPEG_PATH;
    if (chosen !== undefined) {
        if (!works(chosen)) {
            throw new SourceError(`No ffmpeg at ${chosen}: ${option !== undefined ? "--ffmpeg" : "FFMPEG_PATH"} must name an ffmpeg binary that runs.`);
        }
        return { path: chosen, origin: option !== undefined ? "--ffmpeg" : "FFMPEG_PATH" };
    }
    let installed: string | undefined;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        installed = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
    } catch {
        installed = undefined; // no package for this platform
    }
    if (installed !== undefined) {
        // The package's install script only sets the executable bit; npm runs no install script here.
        if (!isExecutable(installed)) {
            fs.chmodSync(installed, 0o755);
        }
        if (works(installed)) {
            return { path: installed, origin: "@ffmpeg-installer (static build, GPL v3)" };
        }
    }
    if (works("ffmpeg")) {
        return { path: "ffmpeg", origin: "PATH" };
    }
    throw new SourceError("No ffmpeg: npm ci installs one (@ffmpeg-installer) on Linux, macOS and Windows; otherwise install ffmpeg on PATH or pass --ffmpeg <path>.");
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

function works(command: string): boolean {
    try {
        execFileSync(command, ["-hide_banner", "-version"], { stdio: "ignore", timeout: 10_000 });
        return true;
    } catch {
        return false;
    }
}

/** What ffmpeg said of its input on stderr: its duration and creation time, where it gives them. */
export interface InputFacts {
    durationSeconds?: number;
    creationTime?: Date;
}

/** Reads the input facts from ffmpeg's stderr lines ("Duration: 00:01:02.50, …", "creation_time   : …"). */
export function readInputFacts(line: string, facts: InputFacts): void {
    const duration = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
    if (duration) {
        facts.durationSeconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
    }
    const created = /creation_time\s*:\s*(\S+)/.exec(line);
    if (created && facts.creationTime === undefined && !Number.isNaN(Date.parse(created[1]))) {
        facts.creationTime = new Date(created[1]);
    }
}

/** JPEG frames on standard output, as good as ffmpeg's MJPEG encoder makes them. */
const JPEG_OUT = ["-an", "-sn", "-dn", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "2", "pipe:1"];

/** A file: one frame every `everySeconds` of the video's own time. */
export function fileArgs(file: string, everySeconds: number): string[] {
    return ["-hide_banner", "-nostdin", "-i", file, "-vf", `fps=fps=1/${everySeconds}`, ...JPEG_OUT];
}

/** A live source: every frame it sends (the sampling by arrival time is done as they come). */
export function liveArgs(input: string[]): string[] {
    return ["-hide_banner", "-nostdin", ...input, ...JPEG_OUT];
}
