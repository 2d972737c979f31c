import sharp from "sharp";
import { ClientError } from "../errors";
import { DecodedImage } from "../image";
import { HostileMetadataError, sanitizeMetadata } from "./metadata";

/** Frames larger than this are refused before decoding: 50 megapixels is far beyond any camera frame. */
export const MAX_PIXELS = 50_000_000;

const SUPPORTED_FORMATS = new Set(["jpeg", "png"]);

/**
 * The fewest bytes an intact image of a given size can have. A baseline JPEG codes every 8×8 block
 * of every component with at least one bit (a DC difference and an end of block), so 1/8 byte per
 * block of luma is a floor; deflate (PNG) expands at most about 1032:1. A header that claims far
 * more pixels than the bytes can carry (265 bytes claiming 7000×7000) is corrupt: refused before
 * the decoder spends seconds and 150 MB filling it in.
 */
export function minimumBytes(format: string, width: number, height: number): number {
    return format === "jpeg" ? Math.ceil(width / 8) * Math.ceil(height / 8) / 8 : (width * height) / 1032;
}

/**
 * Decodes JPEG or PNG bytes into RGB, rotated as the EXIF orientation says, so face boxes are in the
 * coordinates a person looking at the photo sees. Bad bytes are the client's fault: 4xx.
 */
export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
    if (bytes.length === 0) {
        throw new ClientError(400, "The request body is empty: send the image bytes.");
    }
    // Only the orientation of the EXIF reaches libvips: see metadata.ts.
    let safe: Buffer;
    try {
        safe = sanitizeMetadata(bytes);
    } catch (error) {
        if (error instanceof HostileMetadataError) {
            throw new ClientError(400, `The image's EXIF metadata is malformed: ${error.message}.`);
        }
        throw error;
    }
    let header: sharp.Metadata;
    try {
        header = await sharp(safe, { limitInputPixels: false }).metadata();
    } catch {
        throw new ClientError(400, "The request body is not an image: send JPEG or PNG bytes.");
    }
    const format = header.format;
    if (!format || !SUPPORTED_FORMATS.has(format)) {
        throw new ClientError(415, `The image is ${format ?? "of an unknown format"}; send JPEG or PNG.`);
    }
    const [width, height] = [header.width ?? 0, header.height ?? 0];
    if (width * height > MAX_PIXELS) {
        throw new ClientError(413, `The image has ${width}×${height} pixels, more than the ${MAX_PIXELS} accepted.`);
    }
    if (bytes.length < minimumBytes(format, width, height)) {
        throw new ClientError(400, `The ${format.toUpperCase()} image is truncated or corrupt: ${bytes.length} bytes can't hold ${width}×${height} pixels.`);
    }
    try {
        const { data, info } = await sharp(safe, { failOn: "truncated", limitInputPixels: MAX_PIXELS })
            .rotate()
            .removeAlpha()
            .toColourspace("srgb")
            .raw()
            .toBuffer({ resolveWithObject: true });
        return { rgb: data, width: info.width, height: info.height };
    } catch (error) {
        const message = (error as Error).message;
        if (/pixel limit/i.test(message)) {
            throw new ClientError(413, `The image has more than ${MAX_PIXELS} pixels.`);
        }
        throw new ClientError(400, `The ${format.toUpperCase()} image is truncated or corrupt.`);
    }
}
