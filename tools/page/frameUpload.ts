/**
 * Frames handed from one local process to another's page: `npm run watch -- … --local` sends each
 * frame it sent, with what the endpoint found, to the page `npm start` already serves, so that one
 * page shows the composed streams and the watched ones, each with its latest frame. Only the
 * sender has the frame itself: the detector stores faces, never frames.
 *
 * The upload is for programs on this machine, not for web pages: the page server takes it only as
 * `application/json` (which a page of another origin can send only after a CORS preflight the
 * server never grants), only without an `Origin` header (browsers send one on every POST), and
 * only addressed to a loopback host name (a rebound DNS name is refused).
 */
import { checkCapturedAt, checkFrameId, checkStream, MAX_REQUEST_BYTES, parseFrameKey } from "@crowd-emotions/face-detection-contract";
import { InvocationResult } from "../local/format";
import { FedFrame } from "./feed";

export const UPLOAD_PATH = "/api/frames";
/** A frame the endpoint took (6 MB at most) in base64, with its answer. */
export const MAX_UPLOAD_BYTES = Math.ceil(MAX_REQUEST_BYTES * 4 / 3) + 2 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png"]);

/** Why an upload is refused, with the HTTP status that says so. */
export class UploadRefused extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
        this.name = "UploadRefused";
    }
}

/** The request's own checks, before its body is read: who may upload, and how. */
export function checkUploadRequest(headers: Record<string, string | string[] | undefined>, port: number): void {
    if (headers.origin !== undefined) {
        throw new UploadRefused(403, "Frames are taken from local programs, not from web pages.");
    }
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(String(headers.host ?? ""))) {
        throw new UploadRefused(403, `Frames are taken only on the loopback address (Host ${String(headers.host)}).`);
    }
    if (String(headers["content-type"] ?? "").split(";")[0].trim() !== "application/json") {
        throw new UploadRefused(415, "A frame is sent as application/json.");
    }
    const length = Number(headers["content-length"]);
    if (Number.isFinite(length) && length > MAX_UPLOAD_BYTES) {
        throw new UploadRefused(413, `A frame upload is at most ${MAX_UPLOAD_BYTES} bytes.`);
    }
}

const isBox = (box: any) => box !== null && typeof box === "object" && ["x", "y", "width", "height"].every((k) => Number.isFinite(box[k]));

/** A frame as `encodeFrame` wrote it, checked field by field; throws, naming the field, otherwise. */
export function parseFrameUpload(text: string, now = new Date()): FedFrame {
    let value: any;
    try {
        value = JSON.parse(text);
    } catch {
        throw new UploadRefused(400, "The upload is not JSON.");
    }
    const field = <T>(name: string, check: (v: any) => T): T => {
        try {
            return check(value?.[name]);
        } catch (error) {
            throw new UploadRefused(400, `${name}: ${(error as Error).message}`);
        }
    };
    const asString = (v: any) => {
        if (typeof v !== "string") {
            throw new Error("must be a string");
        }
        return v;
    };
    const stream = field("stream", (v) => checkStream(asString(v)));
    const frameId = field("frameId", (v) => checkFrameId(asString(v)));
    const capturedAt = field("capturedAt", (v) => checkCapturedAt(asString(v), now));
    const contentType = field("contentType", (v) => {
        if (!IMAGE_TYPES.has(v)) {
            throw new Error(`must be one of ${[...IMAGE_TYPES].join(", ")}`);
        }
        return v as string;
    });
    const body = field("body", (v) => Buffer.from(asString(v), "base64"));
    const result = field("result", (v): InvocationResult => {
        if (!(v?.image && Number.isInteger(v.image.width) && Number.isInteger(v.image.height) && Array.isArray(v.faces))) {
            throw new Error("must be the endpoint's answer: image size and faces");
        }
        if (!v.faces.every((face: any) => isBox(face?.box) && Number.isFinite(face.score))) {
            throw new Error("each face needs a box and a score");
        }
        // The page reads a sheet from the store when asked: only this frame's own sheets.
        const sheets = v.sheets ?? [];
        if (!Array.isArray(sheets) || !sheets.every((sheet: any) => {
            const key = typeof sheet?.key === "string" ? parseFrameKey(sheet.key) : undefined;
            return typeof sheet.bucket === "string" && key?.kind === "sheet" && key.stream === stream && key.frameId === frameId && Array.isArray(sheet.faces);
        })) {
            throw new Error(`sheets must be this frame's own (stream ${stream}, frame ${frameId})`);
        }
        return v as InvocationResult;
    });
    return { stream, frameId, capturedAt, contentType, body, result };
}

export function encodeFrame(frame: FedFrame): string {
    return JSON.stringify({ ...frame, capturedAt: frame.capturedAt.toISOString(), body: frame.body.toString("base64") });
}

/** Whether a crowd-mood page answers at `url` (and it is one: its streams carry the caveat). */
export async function findRunningPage(url: string, timeoutMs = 1_000): Promise<boolean> {
    try {
        const response = await fetch(new URL("api/streams", url), { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await response.json()) as { caveat?: unknown };
        return response.ok && typeof body.caveat === "string";
    } catch {
        return false;
    }
}

/**
 * Sends frames to a running page, one at a time: the page shows a stream's latest frame only, so
 * a frame still waiting when a newer one comes is replaced, and a slow page never holds more than
 * one frame per stream here. A page that went away costs a line, not the run.
 */
export class FramePusher {
    private readonly waiting = new Map<string, FedFrame>();
    private sending: Promise<void> | undefined;
    failures = 0;
    lastError: string | undefined;

    constructor(private readonly pageUrl: string, private readonly timeoutMs = 5_000) {}

    push(frame: FedFrame): void {
        this.waiting.set(frame.stream, frame);
        this.sending ??= this.drain();
    }

    /** Resolves once every frame pushed so far has been sent or given up. */
    async flush(): Promise<void> {
        while (this.sending !== undefined) {
            await this.sending;
        }
    }

    /** Sends until nothing waits; it marks itself done in the same step that finds nothing waiting. */
    private async drain(): Promise<void> {
        for (let next = this.take(); next !== undefined; next = this.take()) {
            try {
                const response = await fetch(new URL(UPLOAD_PATH.slice(1), this.pageUrl), {
                    method: "POST", headers: { "content-type": "application/json" }, body: encodeFrame(next), signal: AbortSignal.timeout(this.timeoutMs),
                });
                if (!response.ok) {
                    throw new Error(`${response.status} ${await response.text()}`);
                }
            } catch (error) {
                this.failures += 1;
                this.lastError = (error as Error).message;
            }
        }
        this.sending = undefined;
    }

    private take(): FedFrame | undefined {
        const [first] = this.waiting.values();
        if (first !== undefined) {
            this.waiting.delete(first.stream);
        }
        return first;
    }
}
