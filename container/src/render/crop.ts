import sharp from "sharp";
import { SheetRegion } from "@crowd-emotions/face-detection-contract";
import { ScoredBox as Face } from "../geometry";
import { DecodedImage } from "../image";

export interface CropOptions {
    readonly margin: number;
    readonly minSize: number;
    readonly jpegQuality: number;
}

/**
 * A region of an image in whole pixels, by its `left` and `top`: the convention of libvips'
 * extract and of the sheet manifest's `source` and `placed` (the contract's wire format).
 */
export type Region = SheetRegion;

export interface Crop {
    readonly body: Buffer;
    readonly width: number;
    readonly height: number;
}

/** Amazon Rekognition takes images of at most 5 MB as bytes. */
export const MAX_CROP_BYTES = 5 * 1024 * 1024;

/**
 * The region to crop around a face: padded by `margin` times the face's larger side on every
 * edge (head and shoulders), clamped to the image.
 */
export function cropRegion(face: Face, imageWidth: number, imageHeight: number, margin: number): Region {
    const pad = Math.round(Math.max(face.width, face.height) * margin);
    const left = Math.max(0, face.x - pad);
    const top = Math.max(0, face.y - pad);
    const right = Math.min(imageWidth, face.x + face.width + pad);
    const bottom = Math.min(imageHeight, face.y + face.height + pad);
    return { left, top, width: right - left, height: bottom - top };
}

/** Output size: the region, upscaled so its shorter side is at least `minSize`. */
export function cropSize(region: Region, minSize: number): { width: number; height: number } {
    const scale = Math.max(1, minSize / Math.min(region.width, region.height));
    return { width: Math.round(region.width * scale), height: Math.round(region.height * scale) };
}

/** One JPEG crop of the oriented image, under Rekognition's 5 MB. */
export async function renderCrop(image: DecodedImage, face: Face, options: CropOptions): Promise<Crop> {
    const region = cropRegion(face, image.width, image.height, options.margin);
    const size = cropSize(region, options.minSize);
    let quality = options.jpegQuality;
    for (;;) {
        const body = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
            .extract(region)
            .resize(size.width, size.height, { kernel: "lanczos3" })
            .jpeg({ quality, mozjpeg: false })
            .toBuffer();
        if (body.length <= MAX_CROP_BYTES || quality <= 40) {
            return { body, ...size };
        }
        quality -= 15;
    }
}
