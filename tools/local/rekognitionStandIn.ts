/**
 * A STAND-IN for Amazon Rekognition's `DetectFaces`, for development and tests only: it speaks
 * Rekognition's JSON protocol (`POST /`, `X-Amz-Target: RekognitionService.DetectFaces`,
 * `application/x-amz-json-1.1`), so the real `@aws-sdk/client-rekognition` reaches it through
 * `AWS_ENDPOINT_URL_REKOGNITION`. It is not Rekognition: faces are found by this project's detector
 * and their expressions read by the face-expression model that ships in `@vladmandic/face-api`.
 *
 * Expressions to Rekognition's emotion types: neutral → CALM, happy → HAPPY, sad → SAD,
 * angry → ANGRY, fearful → FEAR, disgusted → DISGUSTED, surprised → SURPRISED. Rekognition's
 * CONFUSED has no counterpart and is never reported; the stand-in reports no other attributes
 * (no landmarks, pose or quality), whatever `Attributes` asks for.
 */
import * as http from "http";
import { AddressInfo } from "net";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";
import { Detector, FACE_API_MODEL_DIR, loadDetector } from "../../container/src/detection";
import { decodeImage } from "../../container/src/frame";

/** face-api's expressions, as Rekognition names the emotions. */
export const EXPRESSION_TO_EMOTION = {
    neutral: "CALM", happy: "HAPPY", sad: "SAD", angry: "ANGRY", fearful: "FEAR", disgusted: "DISGUSTED", surprised: "SURPRISED",
} as const;

/** The side of the face crop the expression model reads. */
const EXPRESSION_INPUT = 112;

export interface StandInFace {
    BoundingBox: { Width: number; Height: number; Left: number; Top: number };
    Confidence: number;
    Emotions: { Type: string; Confidence: number }[];
}

export interface RekognitionStandIn {
    readonly url: string;
    /** `DetectFaces` calls answered so far (also `GET /stats` on its port: `{"calls": n, "faces": n}`). */
    readonly calls: () => number;
    /** Faces returned by those calls. */
    readonly faces: () => number;
    close(): Promise<void>;
}

/** Finds the faces of an image and reads each one's expression, as `DetectFaces` would answer. */
export async function detectFaces(detector: Detector, expressions: faceapi.FaceExpressionNet, bytes: Buffer): Promise<StandInFace[]> {
    const image = await decodeImage(bytes);
    // Faces on a sheet are about 90 px in 160-px cells; the fine passes reach them.
    const faces = await detector.detect(image, { minConfidence: 0.5, maxFaces: 100, minFaceSize: 40 });
    const results: StandInFace[] = [];
    for (const face of faces) {
        const crop = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
            .extract({ left: Math.round(face.x), top: Math.round(face.y), width: Math.max(1, Math.round(face.width)), height: Math.max(1, Math.round(face.height)) })
            .resize(EXPRESSION_INPUT, EXPRESSION_INPUT, { fit: "fill" })
            .raw()
            .toBuffer();
        const tensor = tf.tensor3d(crop, [EXPRESSION_INPUT, EXPRESSION_INPUT, 3], "int32");
        try {
            const probabilities = await expressions.predictExpressions(tensor as unknown as faceapi.TNetInput) as unknown as Record<string, number>;
            results.push({
                BoundingBox: { Width: face.width / image.width, Height: face.height / image.height, Left: face.x / image.width, Top: face.y / image.height },
                Confidence: Math.round(face.score * 100_000) / 1000,
                Emotions: Object.entries(EXPRESSION_TO_EMOTION)
                    .map(([expression, Type]) => ({ Type, Confidence: Math.round((probabilities[expression] ?? 0) * 100_000) / 1000 }))
                    .sort((a, b) => b.Confidence - a.Confidence),
            });
        } finally {
            tensor.dispose();
        }
    }
    return results;
}

/** An error in Rekognition's JSON protocol shape, which the SDK turns into a named exception. */
function fail(response: http.ServerResponse, status: number, type: string, message: string): void {
    response.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" });
    response.end(JSON.stringify({ __type: type, Message: message }));
}

/** Starts the stand-in on 127.0.0.1 (`port` 0: any free port). */
export async function startRekognitionStandIn(port = 0): Promise<RekognitionStandIn> {
    await tf.setBackend("wasm");
    await tf.ready();
    const expressions = new faceapi.FaceExpressionNet();
    await expressions.loadFromDisk(FACE_API_MODEL_DIR);
    const detector = await loadDetector({ precision: "fp32" });
    let calls = 0;
    let faces = 0;
    const server = http.createServer((request, response) => {
        // What the stage has spent so far: Rekognition bills per image.
        if (request.method === "GET" && request.url === "/stats") {
            response.writeHead(200, { "Content-Type": "application/json" });
            response.end(JSON.stringify({ calls, faces }));
            request.resume();
            return;
        }
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            void (async () => {
                if (request.method !== "POST" || request.headers["x-amz-target"] !== "RekognitionService.DetectFaces") {
                    return fail(response, 400, "InvalidParameterException", `This stand-in answers DetectFaces only, not ${String(request.headers["x-amz-target"])}.`);
                }
                let body: { Image?: { Bytes?: string; S3Object?: unknown } };
                try {
                    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
                } catch {
                    return fail(response, 400, "InvalidParameterException", "The request body is not JSON.");
                }
                if (typeof body.Image?.Bytes !== "string") {
                    return fail(response, 400, "InvalidParameterException", "Image.Bytes is required (this stand-in reads no S3Object).");
                }
                const bytes = Buffer.from(body.Image.Bytes, "base64");
                // Rekognition's own limits for image bytes.
                if (bytes.length > 5 * 1024 * 1024) {
                    return fail(response, 400, "ImageTooLargeException", "Image bytes over 5 MB.");
                }
                try {
                    calls++;
                    const FaceDetails = await detectFaces(detector, expressions, bytes);
                    faces += FaceDetails.length;
                    response.writeHead(200, { "Content-Type": "application/x-amz-json-1.1" });
                    response.end(JSON.stringify({ FaceDetails }));
                } catch (error) {
                    fail(response, 400, "InvalidImageFormatException", (error as Error).message);
                }
            })();
        });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const { port: bound } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${bound}`,
        calls: () => calls,
        faces: () => faces,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
