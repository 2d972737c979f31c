/** Decoded, EXIF-oriented RGB pixels of one frame: what decoding gives and detection and rendering take. */
export interface DecodedImage {
    readonly rgb: Buffer;
    readonly width: number;
    readonly height: number;
}
