/**
 * The local page (`npm start`, `npm run watch -- … --local`): per stream, the latest frame with its
 * faces boxed and labelled, the crowd size and each expression's share over time, the Rekognition
 * calls spent. Served on loopback from this process: the page, its script, and uPlot (the charting
 * library, from node_modules); nothing is fetched from the internet, and the Content-Security-Policy
 * says so to the browser. Updates reach the page by server-sent events. Other local programs may
 * hand it frames (`frameUpload.ts`), so that `npm start`'s page shows what `npm run watch` sends.
 */
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { GetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { checkStream, frameSortKey } from "@crowd-emotions/face-detection-contract";
import { EXPRESSIONS_CAVEAT, listStreams, querySeries } from "../local/series";
import { FedFrame, FrameFeed } from "./feed";
import { checkUploadRequest, MAX_UPLOAD_BYTES, parseFrameUpload, UploadRefused, UPLOAD_PATH } from "./frameUpload";

export interface PageSources {
    readonly feed: FrameFeed;
    /** The emotion stage's table, where it runs. */
    readonly results?: { readonly client: DynamoDBClient; readonly table: string };
    /** The Rekognition stand-in's `/stats` URL, for the calls spent. */
    readonly rekognitionStats?: string;
    /** The store the sheets are in. */
    readonly store?: S3Client;
    /** Hours of series shown, back from the stream's latest interval. */
    readonly hours?: number;
}

export interface PageServer {
    readonly url: string;
    close(): Promise<void>;
}

/** The page's port: `npm start` serves it there, and `npm run watch -- … --local` looks for it there. */
export const pagePort = (): number => Number(process.env.PAGE_PORT ?? 8090);

const STATIC = path.join(__dirname, "static");
const UPLOT = path.dirname(require.resolve("uplot/package.json"));
const FILES: Record<string, { file: string; type: string }> = {
    "/": { file: path.join(STATIC, "index.html"), type: "text/html; charset=utf-8" },
    "/page.js": { file: path.join(STATIC, "page.js"), type: "text/javascript; charset=utf-8" },
    "/page.css": { file: path.join(STATIC, "page.css"), type: "text/css; charset=utf-8" },
    "/vendor/uPlot.iife.min.js": { file: path.join(UPLOT, "dist", "uPlot.iife.min.js"), type: "text/javascript; charset=utf-8" },
    "/vendor/uPlot.min.css": { file: path.join(UPLOT, "dist", "uPlot.min.css"), type: "text/css; charset=utf-8" },
};
const HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
};

/** The emotions read for a frame's faces, by face index, from its item (none where it was not read). */
async function emotionsOf(sources: PageSources, stream: string, capturedAt: Date, frameId: string): Promise<Map<number, string>> {
    const emotions = new Map<number, string>();
    if (sources.results === undefined) {
        return emotions;
    }
    const found = await sources.results.client.send(new GetItemCommand({
        TableName: sources.results.table, Key: marshall({ stream, at: frameSortKey(capturedAt, frameId) }), ConsistentRead: true,
    }));
    const item = found.Item === undefined ? {} : unmarshall(found.Item);
    for (const [name, part] of Object.entries(item)) {
        if (/^(sheet|face)\d+$/.test(name)) {
            for (const face of (part as { faces?: { face: number; emotion?: string }[] }).faces ?? []) {
                if (face.emotion !== undefined) {
                    emotions.set(face.face, face.emotion);
                }
            }
        }
    }
    return emotions;
}

async function streamView(sources: PageSources, stream: string) {
    const frame = sources.feed.latestOf(stream);
    const emotions = frame ? await emotionsOf(sources, stream, frame.capturedAt, frame.frameId) : new Map<number, string>();
    let series: unknown[] = [];
    if (sources.results !== undefined) {
        const to = frame ? new Date(frame.capturedAt.getTime() + 60_000) : new Date();
        series = await querySeries(sources.results.client, sources.results.table, stream, new Date(to.getTime() - (sources.hours ?? 1) * 3_600_000), to);
    }
    return {
        stream,
        frame: frame && {
            frameId: frame.frameId, capturedAt: frame.capturedAt.toISOString(), width: frame.result.image.width, height: frame.result.image.height,
            faces: frame.result.faces.map((face, index) => ({ box: face.box, score: face.score, emotion: emotions.get(index) })),
            sheets: (frame.result.sheets ?? []).map((sheet) => ({ key: sheet.key, faces: sheet.faces.length })),
        },
        series,
    };
}

async function streamsView(sources: PageSources) {
    const names = new Set(sources.feed.streams());
    if (sources.results !== undefined) {
        (await listStreams(sources.results.client, sources.results.table)).forEach((s) => names.add(s.stream));
    }
    let calls: number | undefined;
    if (sources.rekognitionStats !== undefined) {
        calls = await fetch(sources.rekognitionStats).then(async (r) => ((await r.json()) as { calls: number }).calls, () => undefined);
    }
    return { streams: [...names].sort(), calls, caveat: EXPRESSIONS_CAVEAT };
}

/** A frame another local process sent (`npm run watch -- … --local`), checked before and after it is read. */
async function readUpload(request: http.IncomingMessage, port: number): Promise<FedFrame> {
    checkUploadRequest(request.headers, port);
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of request) {
        bytes += (chunk as Buffer).length;
        if (bytes > MAX_UPLOAD_BYTES) {
            request.destroy();
            throw new UploadRefused(413, `A frame upload is at most ${MAX_UPLOAD_BYTES} bytes.`);
        }
        chunks.push(chunk as Buffer);
    }
    return parseFrameUpload(Buffer.concat(chunks).toString("utf8"));
}

export async function startPage(sources: PageSources, port = 0): Promise<PageServer> {
    const clients = new Set<http.ServerResponse>();
    const onFrame = (stream: string) => clients.forEach((client) => client.write(`event: frame\ndata: ${JSON.stringify({ stream })}\n\n`));
    sources.feed.on("frame", onFrame);
    const tick = setInterval(() => clients.forEach((client) => client.write("event: tick\ndata: {}\n\n")), 3_000);
    tick.unref();

    const server = http.createServer(async (request, response) => {
        const url = new URL(request.url ?? "/", "http://localhost");
        const send = (status: number, type: string, body: string | Buffer) => {
            response.writeHead(status, { ...HEADERS, "Content-Type": type });
            response.end(body);
        };
        const json = (body: unknown) => send(200, "application/json", JSON.stringify(body));
        try {
            if (request.method === "POST" && url.pathname === UPLOAD_PATH) {
                sources.feed.add(await readUpload(request, (server.address() as AddressInfo).port));
                response.writeHead(204, HEADERS);
                return response.end();
            }
            if (request.method !== "GET") {
                return send(405, "text/plain", "Only GET.");
            }
            const file = FILES[url.pathname];
            if (file !== undefined) {
                return send(200, file.type, fs.readFileSync(file.file));
            }
            if (url.pathname === "/api/events") {
                response.writeHead(200, { ...HEADERS, "Content-Type": "text/event-stream" });
                response.write("retry: 2000\n\n");
                clients.add(response);
                request.on("close", () => clients.delete(response));
                return;
            }
            if (url.pathname === "/api/streams") {
                return json(await streamsView(sources));
            }
            const stream = url.searchParams.get("stream") ?? "";
            try {
                checkStream(stream);
            } catch {
                return send(400, "text/plain", "Not a stream id.");
            }
            if (url.pathname === "/api/stream") {
                return json(await streamView(sources, stream));
            }
            const frame = sources.feed.latestOf(stream);
            if (url.pathname === "/api/frame" && frame !== undefined) {
                return send(200, frame.contentType, frame.body);
            }
            // Only the sheets of a frame shown: the page reads nothing else from the store.
            const sheet = frame?.result.sheets?.find((s) => s.key === url.searchParams.get("key"));
            if (url.pathname === "/api/sheet" && sheet !== undefined && sources.store !== undefined) {
                const object = await sources.store.send(new GetObjectCommand({ Bucket: sheet.bucket, Key: sheet.key }));
                return send(200, "image/jpeg", Buffer.from(await object.Body!.transformToByteArray()));
            }
            return send(404, "text/plain", "Not found.");
        } catch (error) {
            if (error instanceof UploadRefused) {
                return send(error.status, "text/plain", error.message);
            }
            return send(500, "text/plain", `The page's data could not be read: ${(error as Error).message}`);
        }
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
    });
    const address = server.address() as { port: number };
    return {
        url: `http://127.0.0.1:${address.port}/`,
        async close() {
            clearInterval(tick);
            sources.feed.off("frame", onFrame);
            clients.forEach((client) => client.end());
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
