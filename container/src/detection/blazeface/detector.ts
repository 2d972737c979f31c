/**
 * The BlazeFace engine: the frame run through BlazeFace (back camera) at a pyramid of scales, each
 * level's scaled frame as one input (the network is fully convolutional; very large ones in tiles). The first level brings a face of `minFaceSize`
 * to `TARGET_FACE_PX` of the model's input, where it finds crowd faces reliably (measured:
 * `npm run bench -- --crowd` with DETECTOR_MODEL=blazeface); each level keeps the faces of its
 * band and the next one shrinks the frame `LEVEL_STEP` times, until the whole frame fits one input.
 * Tiles overlap by the largest face a level keeps, and a tile leaves the faces its inner edges cut
 * to its neighbour; what the levels find is merged as the SSD's passes are.
 */
import "../../noTelemetry";
import * as ort from "onnxruntime-node";
import { ScoredBox } from "../../geometry";
import { DecodedImage } from "../../image";
import { Detector, DetectOptions, Face, toFaces } from "../detector";
import { clearOfInnerEdges, mergeFaces } from "../merge";
import { cutTile, resizeTo, Tile } from "../modelInput";
import { decodeBlazeface } from "./decode";
import { DEFAULT_MIN_FACE_SHARE, planLevels } from "./levels";
import { BLAZEFACE_BOXES, BLAZEFACE_IMAGE, BLAZEFACE_SCORES, blazefaceAnchors, buildBlazefaceModel } from "./model";

export interface BlazefaceOptions {
    readonly threads: number;
}

export async function loadBlazefaceDetector(options: BlazefaceOptions): Promise<Detector> {
    const session = await ort.InferenceSession.create(buildBlazefaceModel(), {
        graphOptimizationLevel: "all", executionMode: "sequential", intraOpNumThreads: options.threads, interOpNumThreads: 1,
    });
    const anchorCache = new Map<string, Float32Array>();
    const anchorsOf = (height: number, width: number) => {
        const key = `${height}x${width}`;
        if (!anchorCache.has(key)) {
            if (anchorCache.size >= 16) {
                anchorCache.clear();
            }
            anchorCache.set(key, blazefaceAnchors(height, width));
        }
        return anchorCache.get(key)!;
    };
    /** The model on one input of `tile`'s size, its boxes in the input's pixels. */
    const run = async (rgb: Uint8Array, tile: Tile, detectOptions: DetectOptions): Promise<ScoredBox[]> => {
        const outputs = await session.run({ [BLAZEFACE_IMAGE]: new ort.Tensor("uint8", rgb, [1, tile.height, tile.width, 3]) });
        try {
            return decodeBlazeface(outputs[BLAZEFACE_BOXES].data as Float32Array, outputs[BLAZEFACE_SCORES].data as Float32Array,
                anchorsOf(tile.height, tile.width), 0, detectOptions.minConfidence, detectOptions.maxFaces);
        } finally {
            Object.values(outputs).forEach((tensor) => tensor.dispose());
        }
    };
    return {
        engine: "onnx",
        async detect(image: DecodedImage, detectOptions: DetectOptions): Promise<Face[]> {
            const minFace = detectOptions.minFaceSize ?? Math.max(image.width, image.height) * DEFAULT_MIN_FACE_SHARE;
            const found: Face[][] = [];
            // The whole frame first: where levels overlap, the coarser box stands, as in the SSD's merge.
            for (const level of planLevels(image, minFace).reverse()) {
                const scaled = await resizeTo(image, level.width, level.height);
                const faces: Face[] = [];
                for (const tile of level.tiles) {
                    for (const box of await run(cutTile(scaled, tile), tile, detectOptions)) {
                        const face = { x: (tile.x + box.x) / level.scale, y: (tile.y + box.y) / level.scale, width: box.width / level.scale, height: box.height / level.scale, score: box.score };
                        if (face.height >= level.minFace && face.height < level.maxFace && clearOfInnerEdges(box, tile, scaled)) {
                            faces.push(face);
                        }
                    }
                }
                found.push(faces);
            }
            return toFaces(mergeFaces(found), image, detectOptions);
        },
    };
}
