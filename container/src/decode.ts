import sharp from "sharp";
import { ClientError } from "./errors";

/** Decoded, EXIF-oriented RGB pixels of one frame. */
export interface DecodedImage {
    readonly rgb: Buffer;
    readonly width: number;
    readonly height: number;
}

/** Frames larger than this are refused before decoding: 50 megapixels is far beyond any camera frame. */
export const MAX_PIXELS = 50_000_000;

const SUPPORTED_FORMATS = new Set(["jpeg", "png"]);

/**
 * Decodes JPEG or PNG bytes into RGB, rotated as the EXIF orientation says, so face boxes are in the
 * coordinates a person looking at the photo sees. Bad bytes are the client's fault: 4xx.
 */
export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
    if (bytes.length === 0) {
        throw new ClientError(400, "The request body is empty: send the image bytes.");
    }
    let format: string | undefined;
    try {
        format = (await sharp(bytes).metadata()).format;
    } catch {
        throw new ClientError(400, "The request body is not an image: send JPEG or PNG bytes.");
    }
    if (!format || !SUPPORTED_FORMATS.has(format)) {
        throw new ClientError(415, `The image is ${format ?? "of an unknown format"}; send JPEG or PNG.`);
    }
    try {
        const { data, info } = await sharp(bytes, { failOn: "truncated", limitInputPixels: MAX_PIXELS })
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
