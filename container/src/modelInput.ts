import sharp from "sharp";
import { DecodedImage } from "./decode";

/**
 * SSD MobileNet v1 sees a 512×512 input whatever the photo's size. Resizing the photo to that size
 * with libvips first gives the model the same pixels for a fraction of the work of resizing a
 * full-size tensor.
 */
export const MODEL_INPUT_SIZE = 512;

/** The image shrunk so that its longer side is at most the model's input size. */
export async function shrinkToModel(image: DecodedImage): Promise<DecodedImage> {
    if (Math.max(image.width, image.height) <= MODEL_INPUT_SIZE) {
        return image;
    }
    return resizeInside(image);
}

/**
 * The model's square input as face-api builds it: the image scaled so that its longer side fills
 * the square, at the top left, the rest black. `scale` maps input pixels back to the image's.
 */
export async function letterbox(image: DecodedImage): Promise<{ rgb: Uint8Array; scale: number }> {
    const resized = await resizeInside(image);
    const rgb = new Uint8Array(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3);
    const rowBytes = resized.width * 3;
    for (let y = 0; y < resized.height; y++) {
        rgb.set(resized.rgb.subarray(y * rowBytes, (y + 1) * rowBytes), y * MODEL_INPUT_SIZE * 3);
    }
    return { rgb, scale: image.width / resized.width };
}

async function resizeInside(image: DecodedImage): Promise<DecodedImage> {
    const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, { fit: "inside" })
        .raw()
        .toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height };
}
