import { cropKey } from "face-detection-contract";
import { Config } from "./config";
import { renderCrop } from "./crop";
import { decodeImage } from "./decode";
import { Detector } from "./detector";
import { CropStore, StoredObject, storeAll } from "./storage";

export interface FaceResult {
    readonly box: { x: number; y: number; width: number; height: number };
    readonly score: number;
    readonly crop: { bucket: string; key: string; width: number; height: number; bytes: number };
}

export interface FrameResult {
    readonly frameId: string;
    readonly faces: FaceResult[];
    readonly image: { width: number; height: number };
    readonly timings: { decodeMs: number; detectMs: number; cropMs: number; storeMs: number; totalMs: number };
}

export interface FrameDeps {
    readonly config: Config;
    readonly detector: Detector;
    readonly store: CropStore;
    readonly now?: () => Date;
}

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/** One frame: decode, detect, crop every face and store all crops or none. */
export async function processFrame(bytes: Buffer, frameId: string, deps: FrameDeps): Promise<FrameResult> {
    const { config, detector, store } = deps;
    const start = performance.now();
    const image = await decodeImage(bytes);
    const decodeMs = elapsed(start);

    const detectStart = performance.now();
    const faces = await detector.detect(image, { minConfidence: config.minConfidence, maxFaces: config.maxFaces });
    const detectMs = elapsed(detectStart);

    const cropStart = performance.now();
    const date = (deps.now ?? (() => new Date()))();
    const crops = await Promise.all(faces.map((face) => renderCrop(image, face, {
        margin: config.cropMargin, minSize: config.minCropSize, jpegQuality: config.jpegQuality,
    })));
    const objects: StoredObject[] = crops.map((crop, index) => ({
        key: cropKey(config.cropsPrefix, date, frameId, index),
        body: crop.body,
        metadata: {
            "frame-id": frameId,
            "face-index": String(index),
            "score": String(faces[index].score),
            "box": `${faces[index].x},${faces[index].y},${faces[index].width},${faces[index].height}`,
        },
    }));
    const cropMs = elapsed(cropStart);

    const storeStart = performance.now();
    await storeAll(store, objects);
    const storeMs = elapsed(storeStart);

    return {
        frameId,
        faces: faces.map((face, index) => ({
            box: { x: face.x, y: face.y, width: face.width, height: face.height },
            score: face.score,
            crop: {
                bucket: store.bucket,
                key: objects[index].key,
                width: crops[index].width,
                height: crops[index].height,
                bytes: crops[index].body.length,
            },
        })),
        image: { width: image.width, height: image.height },
        timings: { decodeMs, detectMs, cropMs, storeMs, totalMs: elapsed(start) },
    };
}
