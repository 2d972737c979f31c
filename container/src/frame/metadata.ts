/**
 * A frame's metadata, made harmless before libvips reads it. libvips parses EXIF with libexif,
 * which follows every IFD pointer it finds: a 60 KB JPEG whose IFD points at itself thousands of
 * times kept `sharp().metadata()` busy for 6.5 s and a decode for 13 s (tests/container/metadata.test.ts
 * builds one). The detector needs one thing from EXIF, the orientation; so the EXIF is read here
 * with a bounded parser (IFD0's entries only, no pointers followed) and replaced by a minimal block
 * holding only that tag, which libvips then applies as before. Other segments (the ICC profile)
 * are kept.
 */
import * as zlib from "zlib";

/** EXIF orientations run from 1 (upright) to 8. */
const ORIENTATION_TAG = 0x0112;
/** IFD0 entries read at most: real cameras write a few dozen. */
const MAX_IFD_ENTRIES = 512;
const JPEG_SOI = 0xffd8;
const APP1 = 0xffe1;
const SOS = 0xffda;
const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** EXIF tags whose value is the offset of another IFD: Exif, GPS, Interoperability. */
const IFD_POINTER_TAGS = new Set([0x8769, 0x8825, 0xa005]);

/** Thrown for EXIF that no camera writes: IFD pointers that loop back, or more entries than a real IFD has. */
export class HostileMetadataError extends Error {}

/**
 * The orientation tag of a TIFF-structured EXIF block, or undefined; never follows an offset out
 * of IFD0. Throws `HostileMetadataError` for an IFD0 built to make parsers loop.
 */
export function exifOrientation(tiff: Buffer): number | undefined {
    if (tiff.length < 8) {
        return undefined;
    }
    const order = tiff.toString("latin1", 0, 2);
    if (order !== "II" && order !== "MM") {
        return undefined;
    }
    const little = order === "II";
    const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
    const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
    const ifd = u32(4);
    if (ifd + 2 > tiff.length) {
        return undefined;
    }
    const count = u16(ifd);
    if (count > MAX_IFD_ENTRIES) {
        throw new HostileMetadataError(`its first IFD claims ${count} entries`);
    }
    const pointedAt = new Set<number>([ifd]);
    let orientation: number | undefined;
    for (let i = 0; i < count; i++) {
        const entry = ifd + 2 + i * 12;
        if (entry + 12 > tiff.length) {
            break;
        }
        const tag = u16(entry);
        if (IFD_POINTER_TAGS.has(tag)) {
            const offset = u32(entry + 8);
            if (pointedAt.has(offset)) {
                throw new HostileMetadataError("its IFD pointers loop");
            }
            pointedAt.add(offset);
        } else if (tag === ORIENTATION_TAG && orientation === undefined) {
            const value = u16(entry + 8);
            orientation = value >= 1 && value <= 8 ? value : undefined;
        }
    }
    return orientation;
}

/** A TIFF block with one IFD entry: the orientation. */
function minimalTiff(orientation: number): Buffer {
    const tiff = Buffer.alloc(8 + 2 + 12 + 4);
    tiff.write("MM", 0, "latin1");
    tiff.writeUInt16BE(42, 2);
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(1, 8);
    tiff.writeUInt16BE(ORIENTATION_TAG, 10);
    tiff.writeUInt16BE(3, 12); // SHORT
    tiff.writeUInt32BE(1, 14);
    tiff.writeUInt16BE(orientation, 18);
    return tiff;
}

/**
 * The image with its EXIF replaced by the orientation alone (or dropped when it has none). Bytes
 * that are neither JPEG nor PNG, or whose structure can't be walked, come back unchanged: the
 * decoder then refuses them as before.
 */
export function sanitizeMetadata(bytes: Buffer): Buffer {
    if (bytes.length >= 2 && bytes.readUInt16BE(0) === JPEG_SOI) {
        return sanitizeJpeg(bytes) ?? bytes;
    }
    if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
        return sanitizePng(bytes) ?? bytes;
    }
    return bytes;
}

function sanitizeJpeg(bytes: Buffer): Buffer | undefined {
    const kept: Buffer[] = [bytes.subarray(0, 2)];
    let orientation: number | undefined;
    let at = 2;
    while (at + 4 <= bytes.length) {
        const marker = bytes.readUInt16BE(at);
        if ((marker & 0xff00) !== 0xff00) {
            return undefined;
        }
        if (marker === SOS) {
            break;
        }
        const length = bytes.readUInt16BE(at + 2);
        const end = at + 2 + length;
        if (length < 2 || end > bytes.length) {
            return undefined;
        }
        const body = bytes.subarray(at + 4, end);
        if (marker === APP1 && body.subarray(0, 6).equals(EXIF_HEADER)) {
            orientation ??= exifOrientation(body.subarray(6));
        } else {
            kept.push(bytes.subarray(at, end));
        }
        at = end;
    }
    if (orientation !== undefined) {
        const exif = Buffer.concat([EXIF_HEADER, minimalTiff(orientation)]);
        const header = Buffer.alloc(4);
        header.writeUInt16BE(APP1, 0);
        header.writeUInt16BE(exif.length + 2, 2);
        kept.splice(1, 0, header, exif);
    }
    kept.push(bytes.subarray(at));
    return Buffer.concat(kept);
}

function sanitizePng(bytes: Buffer): Buffer | undefined {
    const kept: Buffer[] = [bytes.subarray(0, 8)];
    let orientation: number | undefined;
    let at = 8;
    while (at + 12 <= bytes.length) {
        const length = bytes.readUInt32BE(at);
        const type = bytes.toString("latin1", at + 4, at + 8);
        const end = at + 12 + length;
        if (end > bytes.length) {
            return undefined;
        }
        if (type === "eXIf") {
            orientation ??= exifOrientation(bytes.subarray(at + 8, at + 8 + length));
        } else {
            kept.push(bytes.subarray(at, end));
            if (type === "IHDR" && orientation === undefined) {
                kept.push(Buffer.alloc(0)); // where the minimal eXIf goes, after IHDR
            }
        }
        at = end;
        if (type === "IEND") {
            break;
        }
    }
    if (orientation !== undefined) {
        const placeholder = kept.findIndex((chunk, i) => i > 0 && chunk.length === 0);
        kept[placeholder] = pngChunk("eXIf", minimalTiff(orientation));
    }
    return Buffer.concat([...kept, bytes.subarray(at)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
}
