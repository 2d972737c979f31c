import * as fs from "fs";
import * as path from "path";
import sharp from "sharp";
import { SAMPLE_DIR } from "../samples";
import { Frame } from "./load";


/** The six 1920-px sample photos of @vladmandic/face-api: 22 faces in all. */
export const SAMPLE_FACES = 22;
export function samplePhotos(): Frame[] {
    return [1, 2, 3, 4, 5, 6].map((n) => ({
        name: `sample${n}.jpg`, body: fs.readFileSync(path.join(SAMPLE_DIR, `sample${n}.jpg`)), contentType: "image/jpeg", good: true,
    }));
}

/** Frames without faces, as a crowd camera also sends: a room below the people's heads, and shapes. */
export async function noFaceFrames(): Promise<Frame[]> {
    const photo = fs.readFileSync(path.join(SAMPLE_DIR, "sample1.jpg"));
    const floor = await sharp(photo).extract({ left: 0, top: 780, width: 1920, height: 500 }).jpeg({ quality: 90 }).toBuffer();
    const shapes = await sharp({ create: { width: 1920, height: 1080, channels: 3, background: "#6a8caf" } })
        .composite([{ input: Buffer.from('<svg width="1920" height="1080"><circle cx="600" cy="500" r="260" fill="#d8b26e"/><rect x="1100" y="300" width="500" height="380" fill="#3b5b3b"/></svg>') }])
        .jpeg({ quality: 90 }).toBuffer();
    return [
        { name: "floor.jpg", body: floor, contentType: "image/jpeg", good: true },
        { name: "shapes.jpg", body: shapes, contentType: "image/jpeg", good: true },
    ];
}

/** Inputs the server must refuse with a 4xx and survive. */
export function badFrames(): Frame[] {
    const photo = fs.readFileSync(path.join(SAMPLE_DIR, "sample2.jpg"));
    return [
        { name: "empty", body: Buffer.alloc(0), contentType: "image/jpeg", good: false },
        { name: "text", body: Buffer.from("not an image at all"), contentType: "image/jpeg", good: false },
        { name: "truncated", body: photo.subarray(0, photo.length / 3), contentType: "image/jpeg", good: false },
        { name: "json", body: Buffer.from("{}"), contentType: "application/json", good: false },
    ];
}
