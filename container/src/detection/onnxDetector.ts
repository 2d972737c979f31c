/**
 * The default engine: face-api's SSD MobileNet v1, same weights, as an ONNX graph on ONNX Runtime's
 * native CPU kernels. The coarse pass is face-api's own (the frame letterboxed into 512×512) and
 * finds the same boxes and scores as face-api's pipeline (tests/container/detector.test.ts); crowd
 * frames get fine passes over tiles at the scales `minFaceSize` asks for (see passes.ts), run on
 * the network up to its first feature map, the only one that predicts the small faces they keep.
 */
import "../noTelemetry";
import * as ort from "onnxruntime-node";
import { bottom, right, ScoredBox } from "../geometry";
import { DecodedImage } from "../image";
import { Detector, DetectOptions, Face, toFaces } from "./detector";
import { clearOfInnerEdges, mergeFaces } from "./merge";
import { cutTile, letterbox, MODEL_INPUT_SIZE, resizeTo } from "./modelInput";
import { anchorsFor, buildSsdModel, decodeDetections, loadFaceApiWeights, SSD_BOX_ENCODINGS, SSD_CLASS_LOGITS, SSD_INPUT, SsdModel, SsdModelOptions } from "./ssd";
import { CoarsePass, FinePass, planPasses } from "./passes";
import { needsRecheck, recheckScore } from "./recheck";

export interface OnnxDetectorOptions {
    /** Threads one inference may use: the cores this worker has to itself. */
    readonly threads: number;
    /** 8-bit convolutions (see ssdGraph.ts). */
    readonly int8: boolean;
}

/** Anchor layouts kept for this many input sizes: a camera sends one size, an attacker many. */
const ANCHOR_CACHE_SIZE = 16;

export async function loadOnnxDetector(options: OnnxDetectorOptions): Promise<Detector> {
    const weights = loadFaceApiWeights();
    const run = await loadModelRun(options, weights);
    // The fine passes keep only small faces, which the first feature map alone predicts.
    const fineRun = await loadModelRun({ ...options, firstFeatureMapOnly: true }, weights);
    return {
        engine: "onnx",
        async detect(image, detectOptions) {
            const passes = planPasses(image, detectOptions.minFaceSize ?? Infinity);
            const found: Face[][] = [];
            // Coarse first: where both passes find a face, the coarse box (face-api's) is kept.
            for (const pass of [...passes].reverse()) {
                found.push(pass.kind === "coarse"
                    ? await coarsePass(run, image, pass, detectOptions)
                    : await finePass(fineRun, image, pass, detectOptions));
            }
            const coarseScale = passes[passes.length - 1].scale;
            const checked: Face[] = [];
            for (const face of mergeFaces(found)) {
                if (!needsRecheck(face, coarseScale)
                    || await recheckScore((rgb, size, options) => run(rgb, size, size, options), image, face, detectOptions) > 0) {
                    checked.push(face);
                }
            }
            return toFaces(checked, image, detectOptions);
        },
    };
}

/** Runs the network on one RGB input of any size and decodes its boxes, as fractions of that input. */
export type ModelRun = (rgb: Uint8Array, height: number, width: number, options: DetectOptions) => Promise<ScoredBox[]>;

/** The model alone, without the passes: what the detector and the bench's scale sweep run. */
export async function loadModelRun(
    options: OnnxDetectorOptions & Pick<SsdModelOptions, "firstFeatureMapOnly">, weights = loadFaceApiWeights(),
): Promise<ModelRun> {
    const model = buildSsdModel(weights, { int8: options.int8, firstFeatureMapOnly: options.firstFeatureMapOnly });
    const session = await ort.InferenceSession.create(model.onnx, {
        graphOptimizationLevel: "all",
        executionMode: "sequential",
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
    });
    return modelRunner(session, model);
}

function modelRunner(session: ort.InferenceSession, model: SsdModel): ModelRun {
    const anchors = new Map<string, Float32Array>();
    const anchorsOf = (height: number, width: number) => {
        const key = `${height}x${width}`;
        let layout = anchors.get(key);
        if (!layout) {
            if (anchors.size >= ANCHOR_CACHE_SIZE) {
                anchors.clear();
            }
            layout = anchorsFor(model.anchorLayers, height, width);
            anchors.set(key, layout);
        }
        return layout;
    };
    return async (rgb, height, width, options) => {
        const outputs = await session.run({ [SSD_INPUT]: new ort.Tensor("uint8", rgb, [1, height, width, 3]) });
        try {
            return decodeDetections(
                outputs[SSD_BOX_ENCODINGS].data as Float32Array, outputs[SSD_CLASS_LOGITS].data as Float32Array,
                anchorsOf(height, width), options.minConfidence, options.maxFaces,
            );
        } finally {
            Object.values(outputs).forEach((tensor) => tensor.dispose());
        }
    };
}

/** face-api's pass: the frame letterboxed into 512×512, boxes clipped to the square as face-api does. */
async function coarsePass(run: ModelRun, image: DecodedImage, pass: CoarsePass, options: DetectOptions): Promise<Face[]> {
    const input = await letterbox(image);
    const boxes = await run(input.rgb, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, options);
    const toPixels = (fraction: number) => Math.min(Math.max(fraction, 0), 1) * MODEL_INPUT_SIZE * input.scale;
    return boxes.map((box) => {
        const [top, left, lower, rightEdge] = [box.y, box.x, bottom(box), right(box)].map(toPixels);
        return { x: left, y: top, width: rightEdge - left, height: lower - top, score: box.score };
    }).filter((face) => face.height >= pass.minFace);
}

/** The frame scaled, tile by tile; each tile keeps the small faces it holds whole. */
async function finePass(run: ModelRun, image: DecodedImage, pass: FinePass, options: DetectOptions): Promise<Face[]> {
    const scaled = await resizeTo(image, pass.width, pass.height);
    const faces: Face[] = [];
    for (const tile of pass.tiles) {
        const boxes = await run(cutTile(scaled, tile), tile.height, tile.width, options);
        for (const fraction of boxes) {
            // In the tile's pixels, then in the frame's.
            const box = { x: fraction.x * tile.width, y: fraction.y * tile.height, width: fraction.width * tile.width, height: fraction.height * tile.height, score: fraction.score };
            const face = {
                x: (tile.x + box.x) / pass.scale, y: (tile.y + box.y) / pass.scale,
                width: box.width / pass.scale, height: box.height / pass.scale, score: box.score,
            };
            if (face.height >= pass.minFace && face.height < pass.maxFace && clearOfInnerEdges(box, tile, scaled)) {
                faces.push(face);
            }
        }
    }
    return faces;
}
