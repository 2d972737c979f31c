import { cropKey, formatCropMetadata, FrameLocation, MANIFEST_VERSION, SheetManifest, sheetKeys, storesCrops, storesSheets } from "@crowd-emotions/face-detection-contract";
import { Config } from "../config";
import { Detector, Face } from "../detection";
import { layoutSheets, renderCrop, renderSheet } from "../render";
import { CleanupRetry, CropStore, StoredObject, storeAll } from "../storage";
import { decodeImage } from "./decode";

export interface FaceResult {
    readonly box: { x: number; y: number; width: number; height: number };
    readonly score: number;
    /** The face's own crop, where the output mode stores crops. */
    readonly crop?: { bucket: string; key: string; width: number; height: number; bytes: number };
}

/** One face sheet: where it and its manifest are, and which of the frame's faces it holds. */
export interface SheetResult {
    readonly bucket: string;
    readonly key: string;
    readonly manifestKey: string;
    readonly width: number;
    readonly height: number;
    readonly bytes: number;
    /** Indexes into the frame's `faces`, in the order of the sheet's cells. */
    readonly faces: number[];
}

export interface FrameResult {
    readonly frameId: string;
    /** The camera the frame came from. */
    readonly stream: string;
    /** When it was captured, ISO 8601 in UTC. */
    readonly capturedAt: string;
    readonly faces: FaceResult[];
    readonly sheets: SheetResult[];
    readonly image: { width: number; height: number };
    readonly timings: { decodeMs: number; detectMs: number; cropMs: number; storeMs: number; totalMs: number };
}

export interface FrameDeps {
    readonly config: Config;
    readonly detector: Detector;
    readonly store: CropStore;
    /** Aborted when the caller has gone or the request's deadline has passed: stop, store nothing. */
    readonly signal?: AbortSignal;
    /** Retries the removal of a failed frame's objects when the first removal fails too. */
    readonly cleanup?: CleanupRetry;
}

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/**
 * One frame of a stream: decode, detect, render crops and/or sheets, and store all of them or none,
 * under the frame's capture day, stream and id.
 */
export async function processFrame(bytes: Buffer, frame: FrameLocation, deps: FrameDeps): Promise<FrameResult> {
    const { frameId, stream } = frame;
    const capturedAt = frame.capturedAt.toISOString();
    const { config, detector, store } = deps;
    const stillWanted = () => deps.signal?.throwIfAborted();
    const start = performance.now();
    const image = await decodeImage(bytes);
    const decodeMs = elapsed(start);
    stillWanted();

    const detectStart = performance.now();
    const faces = await detector.detect(image, { minConfidence: config.minConfidence, maxFaces: config.maxFaces, minFaceSize: config.minFaceSize });
    const detectMs = elapsed(detectStart);
    stillWanted();

    const cropStart = performance.now();
    const crops = storesCrops(config.cropOutput)
        ? await Promise.all(faces.map((face) => renderCrop(image, face, {
            margin: config.cropMargin, minSize: config.minCropSize, jpegQuality: config.jpegQuality,
        })))
        : [];
    const cropObjects: StoredObject[] = crops.map((crop, index) => ({
        key: cropKey(config.cropsPrefix, frame, index),
        body: crop.body,
        metadata: formatCropMetadata({
            frameId, stream, capturedAt: frame.capturedAt, frameFaces: faces.length, faceIndex: index, score: faces[index].score, box: faces[index],
        }),
    }));
    const sheets = storesSheets(config.cropOutput) ? await renderSheets(image, faces, frame, config) : [];
    const cropMs = elapsed(cropStart);
    stillWanted();

    const storeStart = performance.now();
    await storeAll(store, [...cropObjects, ...sheets.flatMap((sheet) => sheet.objects)], deps.signal,
        deps.cleanup && ((written) => deps.cleanup!.schedule(written)));
    const storeMs = elapsed(storeStart);

    return {
        frameId,
        stream,
        capturedAt,
        faces: faces.map((face, index) => ({
            box: { x: face.x, y: face.y, width: face.width, height: face.height },
            score: face.score,
            ...(crops[index] && {
                crop: {
                    bucket: store.bucket, key: cropObjects[index].key,
                    width: crops[index].width, height: crops[index].height, bytes: crops[index].body.length,
                },
            }),
        })),
        sheets: sheets.map((sheet) => ({ bucket: store.bucket, ...sheet.result })),
        image: { width: image.width, height: image.height },
        timings: { decodeMs, detectMs, cropMs, storeMs, totalMs: elapsed(start) },
    };
}

/** The frame's sheets, each as its JPEG and manifest objects and the result that describes them. */
async function renderSheets(image: Parameters<typeof renderSheet>[0], faces: readonly Face[], frame: FrameLocation, config: Config) {
    const layouts = layoutSheets(faces, image, config.cropMargin);
    const { frameId, stream } = frame;
    const capturedAt = frame.capturedAt.toISOString();
    return Promise.all(layouts.map(async (layout, index) => {
        const keys = sheetKeys(config.cropsPrefix, frame, index);
        const body = await renderSheet(image, layout, config.jpegQuality);
        const manifest: SheetManifest = {
            version: MANIFEST_VERSION, frameId, stream, capturedAt, frameFaces: faces.length, sheets: layouts.length,
            sheet: index, frame: { width: image.width, height: image.height },
            sheetSize: { width: layout.width, height: layout.height }, cells: layout.cells,
        };
        const metadata = { "frame-id": frameId, "stream": stream, "captured-at": capturedAt, "sheet-index": String(index), "faces": String(layout.cells.length) };
        const objects: StoredObject[] = [
            { key: keys.image, body, metadata: { ...metadata, "manifest-key": keys.manifest } },
            // Last: the emotion stage reads a sheet when its manifest's event arrives.
            { key: keys.manifest, body: Buffer.from(JSON.stringify(manifest)), contentType: "application/json", metadata, announces: true },
        ];
        const result: Omit<SheetResult, "bucket"> = {
            key: keys.image, manifestKey: keys.manifest, width: layout.width, height: layout.height,
            bytes: body.length, faces: layout.cells.map((cell) => cell.face),
        };
        return { objects, result };
    }));
}
