/**
 * Splits ffmpeg's image2pipe output (JPEGs one after another) into whole JPEGs: each starts with
 * SOI (FF D8) and ends with EOI (FF D9). Inside a JPEG's entropy-coded data every FF is followed by
 * 00 or a restart marker, so FF D9 is the end; ffmpeg's MJPEG encoder writes no thumbnail, whose
 * own EOI could end a frame early. A frame larger than `maxBytes` is skipped, never buffered whole.
 */
import { Transform, TransformCallback } from "stream";

export class JpegFrames extends Transform {
    private chunks: Buffer[] = [];
    private length = 0;
    private oversized = false;
    /** Frames skipped for their size. */
    skipped = 0;

    constructor(private readonly maxBytes: number) {
        super({ readableObjectMode: true });
    }

    _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
        let start = 0;
        for (let i = 0; i < chunk.length; i++) {
            // EOI: FF D9, possibly split across chunks.
            const previous = i > 0 ? chunk[i - 1] : this.lastByte();
            if (previous === 0xff && chunk[i] === 0xd9) {
                this.append(chunk.subarray(start, i + 1));
                this.emitFrame();
                start = i + 1;
            }
        }
        this.append(chunk.subarray(start));
        done();
    }

    private lastByte(): number | undefined {
        const last = this.chunks.at(-1);
        return last === undefined || last.length === 0 ? undefined : last[last.length - 1];
    }

    private append(part: Buffer): void {
        if (part.length === 0) {
            return;
        }
        this.length += part.length;
        if (this.length > this.maxBytes) {
            this.oversized = true;
            // Keep the last byte only, to find an EOI split across chunks.
            this.chunks = [part.subarray(part.length - 1)];
            return;
        }
        this.chunks.push(part);
    }

    private emitFrame(): void {
        if (this.oversized) {
            this.skipped++;
        } else {
            const frame = Buffer.concat(this.chunks);
            const soi = frame.indexOf(Buffer.from([0xff, 0xd8]));
            if (soi >= 0) {
                this.push(frame.subarray(soi));
            }
        }
        this.chunks = [];
        this.length = 0;
        this.oversized = false;
    }
}
