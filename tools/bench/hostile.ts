/**
 * Hostile frames, built byte by byte: what the attack run (`npm run bench -- --attack`) sends and
 * what the tests decode. Each is small; each once cost the server seconds or hundreds of MB.
 */
import sharp from "sharp";
import * as zlib from "zlib";
import { Frame } from "./load";

/** A TIFF block whose IFD0 holds `entries` pointers (Exif and GPS IFDs) back at IFD0 itself. */
export function selfReferencingTiff(entries: number): Buffer {
    const tiff = Buffer.alloc(8 + 2 + entries * 12 + 4);
    tiff.write("II", 0, "latin1");
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(entries, 8);
    for (let i = 0; i < entries; i++) {
        const at = 10 + i * 12;
        tiff.writeUInt16LE(i % 2 ? 0x8769 : 0x8825, at);
        tiff.writeUInt16LE(4, at + 2);
        tiff.writeUInt32LE(1, at + 4);
        tiff.writeUInt32LE(8, at + 8);
    }
    tiff.writeUInt32LE(8, 10 + entries * 12);
    return tiff;
}

/** A JPEG with an APP1 EXIF segment holding `tiff`, right after SOI. */
export function jpegWithExif(jpeg: Buffer, tiff: Buffer): Buffer {
    const exif = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xffe1, 0);
    header.writeUInt16BE(exif.length + 2, 2);
    return Buffer.concat([jpeg.subarray(0, 2), header, exif, jpeg.subarray(2)]);
}

/** A PNG chunk with its CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
    const chunk = Buffer.alloc(8 + data.length + 4);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write(type, 4, "latin1");
    data.copy(chunk, 8);
    chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return chunk;
}

const grey = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#888" } });

/** A 60 KB JPEG whose EXIF points at itself 2000 times. */
export async function exifBomb(): Promise<Buffer> {
    return jpegWithExif(await grey(64, 64).jpeg().toBuffer(), selfReferencingTiff(2000));
}

/** A JPEG of a few hundred bytes whose frame header claims `side`×`side`. */
export async function jpegClaiming(side: number): Promise<Buffer> {
    const small = Buffer.from(await grey(16, 16).jpeg().toBuffer());
    const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
    small.writeUInt16BE(side, sof + 5);
    small.writeUInt16BE(side, sof + 7);
    return small;
}

/** A PNG whose header (CRC fixed) claims `side`×`side`. */
export async function pngClaiming(side: number): Promise<Buffer> {
    const png = Buffer.from(await grey(8, 8).png().toBuffer());
    png.writeUInt32BE(side, 16);
    png.writeUInt32BE(side, 20);
    png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)) >>> 0, 29);
    return png;
}

/** The attack run's hostile inputs: each must be answered 4xx, fast. */
export async function hostileFrames(): Promise<Frame[]> {
    const frame = (name: string, body: Buffer, contentType = "image/jpeg"): Frame => ({ name, body, contentType, good: false });
    return [
        frame("EXIF bomb (60 KB, IFD pointing at itself 2000 times)", await exifBomb()),
        frame("JPEG of 265 bytes claiming 7000×7000", await jpegClaiming(7000)),
        frame("PNG header claiming 20000×20000", await pngClaiming(20_000), "image/png"),
        frame("truncated JPEG", (await grey(1920, 1080).jpeg().toBuffer()).subarray(0, 2_000)),
        frame("text as image/jpeg", Buffer.from("not an image at all")),
    ];
}
