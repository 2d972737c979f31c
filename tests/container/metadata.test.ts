import * as assert from "assert";
import sharp from "sharp";
import { decodeImage, exifOrientation, HostileMetadataError, MAX_PIXELS, minimumBytes, sanitizeMetadata } from "../../container/src/frame";
import { jpegClaiming, jpegWithExif, pngChunk, pngClaiming, selfReferencingTiff } from "../../tools/bench/hostile";
import { sample } from "./fixtures";

const grey = (width = 64, height = 64) => sharp({ create: { width, height, channels: 3, background: "#888" } });

describe("frame metadata made harmless before decoding", function () {
    this.timeout(60_000);

    it("refuses, with 400 and before libvips reads it, an EXIF block whose IFD points at itself 2000 times", async () => {
        // libexif follows every pointer: 6.5 s of metadata parsing and 13 s of decoding for these 60 KB.
        const bomb = jpegWithExif(await grey().jpeg().toBuffer(), selfReferencingTiff(2000));
        assert.throws(() => sanitizeMetadata(bomb), HostileMetadataError);
        await assert.rejects(decodeImage(bomb), { statusCode: 400, message: "The image's EXIF metadata is malformed: its first IFD claims 2000 entries." });
        // Fewer entries, still a loop: IFD0 pointing at itself.
        await assert.rejects(decodeImage(jpegWithExif(await grey().jpeg().toBuffer(), selfReferencingTiff(3))), {
            statusCode: 400, message: "The image's EXIF metadata is malformed: its IFD pointers loop.",
        });
    });

    it("drops EXIF without an orientation altogether", async () => {
        const tiff = selfReferencingTiff(1); // one pointer, to another IFD: harmless, no orientation
        tiff.writeUInt32LE(1000, 10 + 8);
        const withExif = jpegWithExif(await grey().jpeg().toBuffer(), tiff);
        const safe = sanitizeMetadata(withExif);
        assert.ok(!safe.includes(Buffer.from("Exif\0\0", "latin1")));
        assert.strictEqual(safe.length, withExif.length - tiff.length - 10);
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

    it("reads the orientation from IFD0 only, whatever its offsets claim", () => {
        const huge = selfReferencingTiff(1);
        huge.writeUInt16LE(400, 8); // more entries than the block holds: read up to its end
        huge.writeUInt32LE(1000, 18);
        assert.strictEqual(exifOrientation(huge), undefined);
        assert.strictEqual(exifOrientation(Buffer.from("II*\0\xff\xff\xff\xff", "latin1")), undefined);
        assert.strictEqual(exifOrientation(Buffer.alloc(3)), undefined);
    });

    it("reads a PNG's eXIf chunk the same way", async () => {
        const png = await grey().png().toBuffer();
        const withChunk = (tiff: Buffer) => Buffer.concat([png.subarray(0, 33), pngChunk("eXIf", tiff), png.subarray(33)]); // after IHDR
        await assert.rejects(decodeImage(withChunk(selfReferencingTiff(500))), { statusCode: 400 });
        const harmless = selfReferencingTiff(1);
        harmless.writeUInt32LE(1000, 18);
        assert.strictEqual(sanitizeMetadata(withChunk(harmless)).length, png.length);
    });

    it("refuses a JPEG whose header claims far more pixels than its bytes hold, before decoding it", async () => {
        const claimed = await jpegClaiming(7000);
        assert.ok(claimed.length < minimumBytes("jpeg", 7000, 7000));
        await assert.rejects(decodeImage(claimed), {
            statusCode: 400, message: `The JPEG image is truncated or corrupt: ${claimed.length} bytes can't hold 7000×7000 pixels.`,
        });
    });

    it("answers 413, naming the size, for an image past the pixel limit, even past libvips's own", async () => {
        const claimed = await pngClaiming(20_000);
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
