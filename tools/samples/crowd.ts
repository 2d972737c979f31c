/**
 * Crowd frames composed from the 22 faces of face-api's sample photos: each face, with the head and
 * shoulders around it, shrunk to a chosen height and laid out on a grid with seeded jitter, so the
 * frames are the same on every run and every face's true box is known.
 */
import * as fs from "fs";
import * as path from "path";
import sharp from "sharp";
import { type Box, iou } from "../../container/src/geometry";
import { Frame } from "./frame";
import { SAMPLE_DIR } from "./photos";

/** A box in pixels of the frame. */
export type { Box };

export interface CrowdFrame extends Frame {
    readonly width: number;
    readonly height: number;
    /** Height of every face in the frame, in pixels. */
    readonly faceHeight: number;
    /** Where each face is. */
    readonly truth: readonly Box[];
}

export interface CrowdOptions {
    readonly width: number;
    readonly height: number;
    readonly faceHeight: number;
    /** At most this many faces (cells are picked by the seed). @default 60 */
    readonly maxFaces?: number;
    /** @default 1 */
    readonly seed?: number;
    /** @default 90 */
    readonly jpegQuality?: number;
}

interface SourceFace {
    readonly photo: string;
    readonly box: Box;
}

interface SampleFaces {
    readonly photos: Record<string, { readonly width: number; readonly height: number; readonly faces: readonly [number, number, number, number][] }>;
}

/** The sample faces' boxes, found at full resolution and checked by eye (sample-faces.json). */
export function sampleFaceBoxes(): SourceFace[] {
    const data = JSON.parse(fs.readFileSync(path.join(__dirname, "sample-faces.json"), "utf8")) as SampleFaces;
    return Object.entries(data.photos).flatMap(([photo, { faces }]) =>
        faces.map(([x, y, width, height]) => ({ photo, box: { x, y, width, height } })));
}

/** Head and shoulders around a face: this many face heights on every side. */
const CONTEXT = 0.5;
/** A grid cell is this many face heights square, so neighbours' contexts never overlap a face. */
const CELL = 2.4;

/** mulberry32: a small seeded generator, so a frame is the same on every run. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const decoded = new Map<string, Promise<{ data: Buffer; width: number; height: number }>>();
function decodeSample(photo: string) {
    let pending = decoded.get(photo);
    if (!pending) {
        pending = sharp(path.join(SAMPLE_DIR, photo)).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true })
            .then(({ data, info }) => ({ data, width: info.width, height: info.height }));
        decoded.set(photo, pending);
    }
    return pending;
}

/** One face with its surroundings, shrunk so that the face is `faceHeight` tall. */
async function facePatch(source: SourceFace, faceHeight: number) {
    const photo = await decodeSample(source.photo);
    const { box } = source;
    const pad = Math.round(box.height * CONTEXT);
    const left = Math.max(0, box.x - pad);
    const top = Math.max(0, box.y - pad);
    const right = Math.min(photo.width, box.x + box.width + pad);
    const bottom = Math.min(photo.height, box.y + box.height + pad);
    const scale = faceHeight / box.height;
    const width = Math.max(1, Math.round((right - left) * scale));
    const height = Math.max(1, Math.round((bottom - top) * scale));
    const input = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 3 } })
        .extract({ left, top, width: right - left, height: bottom - top })
        .resize(width, height, { kernel: "lanczos3" })
        .png()
        .toBuffer();
    const face = {
        x: (box.x - left) * scale, y: (box.y - top) * scale, width: box.width * scale, height: box.height * scale,
    };
    return { input, width, height, face };
}

/** A faceless backdrop: the floor of the first sample photo, below its people, stretched to the frame. */
async function backdrop(width: number, height: number): Promise<Buffer> {
    const photo = await decodeSample("sample1.jpg");
    return sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 3 } })
        .extract({ left: 0, top: 880, width: photo.width, height: photo.height - 880 })
        .resize(width, height, { fit: "fill" })
        .raw()
        .toBuffer();
}

/** One face of a composed frame: which sample face, and where its patch's top-left corner goes. */
export interface Placement {
    readonly source: number;
    readonly left: number;
    readonly top: number;
}

/** The sample faces placed on the faceless backdrop at `faceHeight` px, with where each face is. */
export async function composeFaces(options: {
    width: number; height: number; faceHeight: number; placements: readonly Placement[]; jpegQuality?: number;
}): Promise<{ body: Buffer; truth: Box[] }> {
    const { width, height, faceHeight } = options;
    const sources = sampleFaceBoxes();
    const truth: Box[] = [];
    const composites: sharp.OverlayOptions[] = [];
    for (const placement of options.placements) {
        const patch = await facePatch(sources[placement.source % sources.length], faceHeight);
        const left = Math.max(0, Math.min(placement.left, width - patch.width));
        const top = Math.max(0, Math.min(placement.top, height - patch.height));
        composites.push({ input: patch.input, left, top });
        truth.push({ x: Math.round(left + patch.face.x), y: Math.round(top + patch.face.y), width: Math.round(patch.face.width), height: Math.round(patch.face.height) });
    }
    const body = await sharp(await backdrop(width, height), { raw: { width, height, channels: 3 } })
        .composite(composites)
        .jpeg({ quality: options.jpegQuality ?? 90 })
        .toBuffer();
    return { body, truth };
}

export async function composeCrowdFrame(options: CrowdOptions): Promise<CrowdFrame> {
    const { width, height, faceHeight } = options;
    const random = seededRandom(options.seed ?? 1);
    const sources = sampleFaceBoxes();
    const cell = Math.ceil(faceHeight * CELL);
    const columns = Math.floor(width / cell);
    const rows = Math.floor(height / cell);
    if (columns < 1 || rows < 1) {
        throw new Error(`A ${faceHeight}-px face needs a frame of at least ${cell}×${cell} px, got ${width}×${height}.`);
    }
    // Every cell, shuffled by the seed, then the first maxFaces of them.
    const cells = Array.from({ length: columns * rows }, (_, i) => i);
    for (let i = cells.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [cells[i], cells[j]] = [cells[j], cells[i]];
    }
    const chosen = cells.slice(0, options.maxFaces ?? 60);
    // Spread the grid's slack evenly, so the faces cover the whole frame, edges included.
    const [gapX, gapY] = [(width - columns * cell) / columns, (height - rows * cell) / rows];
    const placements: Placement[] = [];
    for (const [n, index] of chosen.entries()) {
        const patch = await facePatch(sources[n % sources.length], faceHeight);
        const cellLeft = (index % columns) * (cell + gapX);
        const cellTop = Math.floor(index / columns) * (cell + gapY);
        placements.push({
            source: n,
            left: Math.round(cellLeft + random() * Math.max(0, cell + gapX - patch.width)),
            top: Math.round(cellTop + random() * Math.max(0, cell + gapY - patch.height)),
        });
    }
    const { body, truth } = await composeFaces({ width, height, faceHeight, placements, jpegQuality: options.jpegQuality });
    return {
        name: `crowd-${width}x${height}-${faceHeight}px.jpg`, body, contentType: "image/jpeg", good: true,
        width, height, faceHeight, truth,
    };
}

/** Intersection over union of two boxes. */

/** A detection counts as a true face when it overlaps one this much (the PASCAL VOC rule). */
export const MATCH_IOU = 0.5;

export interface Match {
    /** True faces that a detection matched. */
    readonly found: number;
    readonly missed: number;
    /** Detections that matched no true face. */
    readonly falseFaces: number;
}

/** Detections against the true faces, each detection matching at most one face, best overlap first. */
export function matchFaces(truth: readonly Box[], detected: readonly Box[], minIou = MATCH_IOU): Match {
    const pairs: [number, number, number][] = [];
    truth.forEach((t, i) => detected.forEach((d, j) => {
        const overlap = iou(t, d);
        if (overlap >= minIou) {
            pairs.push([overlap, i, j]);
        }
    }));
    pairs.sort((a, b) => b[0] - a[0]);
    const [usedTruth, usedDetected] = [new Set<number>(), new Set<number>()];
    for (const [, i, j] of pairs) {
        if (!usedTruth.has(i) && !usedDetected.has(j)) {
            usedTruth.add(i);
            usedDetected.add(j);
        }
    }
    return { found: usedTruth.size, missed: truth.length - usedTruth.size, falseFaces: detected.length - usedDetected.size };
}
