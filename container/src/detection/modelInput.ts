import sharp from "sharp";
import { Box } from "../geometry";
import { DecodedImage } from "../image";

/**
 * SSD MobileNet v1 sees a 512×512 input whatever the photo's size. Resizing the photo to that size
 * with libvips first gives the model the same pixels for a fraction of the work of resizing a
 * full-size tensor.
 */
export const MODEL_INPUT_SIZE = 512;

/** A region of a scaled frame that the model runs on (whole pixels); past the frame's edge it is padded black. */
export type Tile = Box;

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

/** The image scaled to `width`×`height` (libvips, as the letterbox). */
export async function resizeTo(image: DecodedImage, width: number, height: number): Promise<DecodedImage> {
    if (width === image.width && height === image.height) {
        return image;
    }
    const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize(width, height, { fit: "fill" })
        .raw()
        .toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height };
}

/** One tile of an image as the model's RGB input; what lies past the image's edge is black. */
export function cutTile(image: DecodedImage, tile: Tile): Uint8Array {
    const rgb = new Uint8Array(tile.width * tile.height * 3);
    const columns = Math.min(tile.width, image.width - tile.x);
    const rows = Math.min(tile.height, image.height - tile.y);
    for (let y = 0; y < rows; y++) {
        const start = ((tile.y + y) * image.width + tile.x) * 3;
        rgb.set(image.rgb.subarray(start, start + columns * 3), y * tile.width * 3);
    }
    return rgb;
}

/**
 * A square region of the image (frame pixels; it may reach past the image's edges, which are
 * black) scaled to `size`×`size`, as the model's RGB input. Only the region is resized.
 */
export async function cutRegion(image: DecodedImage, region: Box, size: number): Promise<Uint8Array> {
    const scale = size / region.width;
    const left = Math.max(0, Math.floor(region.x));
    const top = Math.max(0, Math.floor(region.y));
    const right = Math.min(image.width, Math.ceil(region.x + region.width));
    const bottom = Math.min(image.height, Math.ceil(region.y + region.height));
    const rgb = new Uint8Array(size * size * 3);
    if (right <= left || bottom <= top) {
        return rgb;
    }
    const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
        .extract({ left, top, width: right - left, height: bottom - top })
        .resize(Math.max(1, Math.round((right - left) * scale)), Math.max(1, Math.round((bottom - top) * scale)), { fit: "fill" })
        .raw()
        .toBuffer({ resolveWithObject: true });
    // `left` and `top` are floored, so they may lie a fraction of a pixel before the region's edge:
    // scaled up, that rounds to -1, which would write before the buffer. Clamp into the square.
    const [offsetX, offsetY] = [Math.max(0, Math.round((left - region.x) * scale)), Math.max(0, Math.round((top - region.y) * scale))];
    const columns = Math.min(info.width, size - offsetX);
    for (let y = 0; y < Math.min(info.height, size - offsetY); y++) {
        rgb.set(data.subarray(y * info.width * 3, (y * info.width + columns) * 3), ((offsetY + y) * size + offsetX) * 3);
    }
    return rgb;
}
