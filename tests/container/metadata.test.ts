import * as assert from "assert";
import sharp from "sharp";
import * as zlib from "zlib";
import { decodeImage, MAX_PIXELS, minimumBytes } from "../../container/src/decode";
import { exifOrientation, sanitizeMetadata } from "../../container/src/metadata";
import { sample } from "./fixtures";

/** A TIFF block whose IFD0 holds `entries` pointers (Exif and GPS IFDs) back at IFD0 itself. */
function selfReferencingTiff(entries: number): Buffer {
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
function jpegWithExif(jpeg: Buffer, tiff: Buffer): Buffer {
    const exif = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xffe1, 0);
    header.writeUInt16BE(exif.length + 2, 2);
    return Buffer.concat([jpeg.subarray(0, 2), header, exif, jpeg.subarray(2)]);
}

const grey = (width = 64, height = 64) => sharp({ create: { width, height, channels: 3, background: "#888" } });

describe("frame metadata made harmless before decoding", function () {
    this.timeout(60_000);

    it("replaces an EXIF block whose IFD points at itself 2000 times (seconds of libexif's time) with nothing", async () => {
        const bomb = jpegWithExif(await grey().jpeg().toBuffer(), selfReferencingTiff(2000));
        const safe = sanitizeMetadata(bomb);
        assert.ok(bomb.length > 24_000 && safe.length < 1_000, `${bomb.length} → ${safe.length} bytes`);
        assert.ok(!safe.includes(Buffer.from("Exif\0\0", "latin1")), "no orientation, so no EXIF at all");
        const image = await decodeImage(bomb);
        assert.deepStrictEqual([image.width, image.height], [64, 64]);
    });

    it("keeps the orientation, alone, so the image is still turned upright", async () => {
        const sideways = await sharp(sample("sample1.jpg")).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
        const safe = sanitizeMetadata(sideways);
        const meta = await sharp(safe).metadata();
        assert.strictEqual(meta.orientation, 6);
        assert.ok(meta.exif && meta.exif.length < 64, `EXIF of ${meta.exif?.length} bytes`);
        assert.ok(meta.icc === undefined || meta.icc.length > 0);
        const image = await decodeImage(sideways);
        const upright = await sharp(sample("sample1.jpg")).metadata();
        assert.deepStrictEqual([image.width, image.height], [upright.width, upright.height]);
    });

    it("reads the orientation from IFD0 only, whatever the entry count or offsets claim", () => {
        assert.strictEqual(exifOrientation(selfReferencingTiff(2000)), undefined);
        const huge = selfReferencingTiff(4);
        huge.writeUInt16LE(65535, 8);
        assert.strictEqual(exifOrientation(huge), undefined);
        assert.strictEqual(exifOrientation(Buffer.from("II*\0\xff\xff\xff\xff", "latin1")), undefined);
        assert.strictEqual(exifOrientation(Buffer.alloc(3)), undefined);
    });

    it("replaces a PNG's eXIf chunk the same way", async () => {
        const png = await grey().png().toBuffer();
        const data = selfReferencingTiff(500);
        const chunk = Buffer.alloc(8 + data.length + 4);
        chunk.writeUInt32BE(data.length, 0);
        chunk.write("eXIf", 4, "latin1");
        data.copy(chunk, 8);
        chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
        const bomb = Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]); // after the signature and IHDR
        const safe = sanitizeMetadata(bomb);
        assert.strictEqual(safe.length, png.length);
        assert.deepStrictEqual([(await decodeImage(bomb)).width], [64]);
    });

    it("refuses a JPEG whose header claims far more pixels than its bytes hold, before decoding it", async () => {
        const small = await grey(16, 16).jpeg().toBuffer();
        // Patch the frame header (SOF0) to claim 7000×7000.
        const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
        const claimed = Buffer.from(small);
        claimed.writeUInt16BE(7000, sof + 5);
        claimed.writeUInt16BE(7000, sof + 7);
        assert.ok(claimed.length < minimumBytes("jpeg", 7000, 7000));
        await assert.rejects(decodeImage(claimed), {
            statusCode: 400, message: `The JPEG image is truncated or corrupt: ${claimed.length} bytes can't hold 7000×7000 pixels.`,
        });
    });

    it("answers 413, naming the size, for an image past the pixel limit, even past libvips's own", async () => {
        const png = await grey(8, 8).png().toBuffer();
        const claimed = Buffer.from(png);
        claimed.writeUInt32BE(20_000, 16);
        claimed.writeUInt32BE(20_000, 20);
        claimed.writeUInt32BE(zlib.crc32(claimed.subarray(12, 29)) >>> 0, 29);
        await assert.rejects(decodeImage(claimed), {
            statusCode: 413, message: `The image has 20000×20000 pixels, more than the ${MAX_PIXELS} accepted.`,
        });
    });

    it("leaves bytes that are neither JPEG nor PNG, or can't be walked, as they are", () => {
        const text = Buffer.from("not an image at all");
        assert.strictEqual(sanitizeMetadata(text), text);
        const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00]);
        assert.strictEqual(sanitizeMetadata(broken), broken);
    });
});
