/**
 * False faces: the face-free set (faceFree.ts) through a server at the default settings. A photo
 * with any face in the answer is a false-face photo; the issue's target is at most 1 in 40, with
 * the six samples' 22 faces still found by the same server.
 */
import { faceFreeFrames } from "../samples";
import { SAMPLE_FACES, samplePhotos } from "./frames";
import { send } from "./load";
import { TARGETS } from "./targets";

export interface FalseFaceResult {
    readonly photos: number;
    /** The photos where the server found a face, with how many. */
    readonly withFaces: { name: string; faces: number }[];
    readonly sampleFacesFound: number;
    /** Why the set could not be measured (no apt-get, no mirror). */
    readonly skipped?: string;
}

export const FALSE_FACE_TARGET = TARGETS.falseFaceRate;

export async function measureFalseFaces(url: string): Promise<FalseFaceResult> {
    const samples = await Promise.all(samplePhotos().map((frame) => send(url, frame)));
    const sampleFacesFound = samples.reduce((sum, answer) => sum + answer.faces, 0);
    let frames;
    try {
        frames = faceFreeFrames();
    } catch (error) {
        return { photos: 0, withFaces: [], sampleFacesFound, skipped: (error as Error).message };
    }
    const withFaces: FalseFaceResult["withFaces"] = [];
    for (const frame of frames) {
        const answer = await send(url, frame);
        if (answer.status !== 200) {
            throw new Error(`The server answered ${answer.status} to face-free photo ${frame.name}.`);
        }
        if (answer.faces > 0) {
            withFaces.push({ name: frame.name, faces: answer.faces });
        }
    }
    return { photos: frames.length, withFaces, sampleFacesFound };
}

export function printFalseFaces(result: FalseFaceResult): void {
    if (result.skipped) {
        console.log(`\nFalse faces: not measured (${result.skipped})`);
        return;
    }
    const names = result.withFaces.map((photo) => `${photo.name} (${photo.faces})`).join(", ");
    console.log(`\nFalse faces at the default settings: ${result.withFaces.length} of ${result.photos} face-free photos${names ? `: ${names}` : ""}; `
        + `sample faces found by the same server ${result.sampleFacesFound}/${SAMPLE_FACES}`);
}

export function falseFaceVerdicts(result: FalseFaceResult): [string, boolean][] {
    if (result.skipped) {
        return [[`false faces: not measured (${result.skipped})`, false]];
    }
    const rate = result.withFaces.length / result.photos;
    return [
        [`false faces: ${result.withFaces.length} of ${result.photos} face-free photos (target <= 1 in 40)`, rate <= FALSE_FACE_TARGET],
        [`sample faces at the default settings: ${result.sampleFacesFound} (target ${SAMPLE_FACES})`, result.sampleFacesFound === SAMPLE_FACES],
    ];
}
