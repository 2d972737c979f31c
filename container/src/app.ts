import { randomUUID } from "crypto";
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MAX_REQUEST_BYTES, VARIANT_NAME } from "face-detection-contract";
import { Config } from "./config";
import { Detector } from "./detector";
import { errorResponse } from "./errorResponse";
import { ClientError } from "./errors";
import { FrameResult, processFrame } from "./frame";
import { modelError, RUNTIME_ROUTE } from "./runtimeApi";
import { CropStore } from "./storage";

export const IMAGE_CONTENT_TYPES = ["image/jpeg", "image/png", "application/x-image"];
const CUSTOM_ATTRIBUTES = "x-amzn-sagemaker-custom-attributes";
/**
 * A frame id is one key segment: `.` and `..` alone are dot segments, which some S3-compatible
 * stores resolve (`crops/2026/11/25/../sheet-0.jpg` lands in another day's folder).
 */
const FRAME_ID = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;
/** Workers load their model side by side; a request routed to one still loading waits this long. */
export const MODEL_WAIT_MS = 30_000;

export interface AppDeps {
    readonly config: Config;
    readonly store: CropStore;
    /** Resolves when the model is loaded; `/ping` answers 503 until then. */
    readonly detector: Promise<Detector>;
    /** How long an invocation that arrives during loading waits for the model. */
    readonly modelWaitMs?: number;
    /** Where the one log line per request goes. */
    readonly log?: (line: string) => void;
}

/** `frame-id=<id>` from SageMaker's custom attributes (`k=v` pairs separated by `,` or `;`). */
export function frameIdFrom(customAttributes: string | undefined): string | undefined {
    for (const pair of (customAttributes ?? "").split(/[,;]/)) {
        const [key, ...rest] = pair.split("=");
        if (key.trim().toLowerCase() === "frame-id") {
            const value = rest.join("=").trim();
            if (!FRAME_ID.test(value)) {
                throw new ClientError(400, "frame-id in X-Amzn-SageMaker-Custom-Attributes must be 1-128 letters, digits, '.', '_' or '-', and not '.' or '..'.");
            }
            return value;
        }
    }
    return undefined;
}

async function waitForModel(loading: Promise<Detector>, waitMs: number): Promise<Detector> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ClientError(503, "The model is still loading; retry shortly.")), waitMs);
    });
    try {
        return await Promise.race([loading, timeout]);
    } catch (error) {
        throw error instanceof ClientError ? error : new ClientError(503, "The model failed to load; see the endpoint's logs.");
    } finally {
        clearTimeout(timer);
    }
}

function acceptsJson(accept: string | undefined): boolean {
    if (!accept) {
        return true;
    }
    return accept.split(",").some((part) => {
        const type = part.split(";")[0].trim().toLowerCase();
        return type === "application/json" || type === "*/*" || type === "application/*";
    });
}

/**
 * The HTTP app of the SageMaker container contract: `GET /ping` and `POST /invocations`, plus the
 * runtime API's `POST /endpoints/{name}/invocations` so the real SDK client can call a local server.
 * Builds the app and never listens; `server.ts` does.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
    const app = Fastify({
        logger: false,
        bodyLimit: MAX_REQUEST_BYTES,
        genReqId: () => randomUUID(),
        // Cluster workers share the port by connection, not by request: a kept-alive connection
        // would pin its traffic to one worker while another idles. With several workers, one
        // request per connection spreads the load (measured: 4.1-4.8 -> 5.2-5.6 images/s at
        // concurrency 4 on two cores).
        maxRequestsPerSocket: deps.config.workers > 1 ? 1 : 0,
    });
    const log = deps.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    let detector: Detector | undefined;
    deps.detector.then((loaded) => { detector = loaded; }, () => undefined);

    // Only image bodies: JSON, text and the rest are refused with 415 instead of being parsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(IMAGE_CONTENT_TYPES, { parseAs: "buffer", bodyLimit: MAX_REQUEST_BYTES }, (_req, body, done) => done(null, body));

    app.get("/ping", async (_request, reply) => {
        reply.code(detector ? 200 : 503).send(detector ? { status: "ready" } : { status: "loading" });
    });

    const invoke = async (request: FastifyRequest, reply: FastifyReply): Promise<FrameResult> => {
        if (!acceptsJson(request.headers.accept)) {
            throw new ClientError(406, `Accept "${request.headers.accept}" can't be served: the response is application/json.`);
        }
        // Another worker may already have answered /ping; wait for this one's model instead of failing.
        const loaded = detector ?? await waitForModel(deps.detector, deps.modelWaitMs ?? MODEL_WAIT_MS);
        const given = frameIdFrom(request.headers[CUSTOM_ATTRIBUTES] as string | undefined);
        const frameId = given ?? request.id;
        if (given) {
            reply.header("X-Amzn-SageMaker-Custom-Attributes", `frame-id=${frameId}`);
        }
        const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
        const result = await processFrame(body, frameId, { config: deps.config, detector: loaded, store: deps.store });
        (request as FastifyRequest & { faces?: number }).faces = result.faces.length;
        return result;
    };
    app.post("/invocations", invoke);
    app.post(RUNTIME_ROUTE, async (request, reply) => {
        reply.header("x-amzn-invoked-production-variant", VARIANT_NAME);
        return invoke(request, reply);
    });

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
        const { status, body } = errorResponse(error, {
            requestId: request.id,
            contentType: request.headers["content-type"],
            maxBodyBytes: MAX_REQUEST_BYTES,
            acceptedTypes: IMAGE_CONTENT_TYPES,
        }, log);
        if (request.routeOptions.url === RUNTIME_ROUTE) {
            const wrapped = modelError(status, body);
            return reply.code(wrapped.status).headers(wrapped.headers).send(wrapped.body);
        }
        return reply.code(status).send(body);
    });

    app.addHook("onResponse", async (request, reply) => {
        if (request.url === "/ping") {
            return;
        }
        log(JSON.stringify({
            id: request.id,
            method: request.method,
            path: request.url,
            status: reply.statusCode,
            faces: (request as FastifyRequest & { faces?: number }).faces ?? 0,
            bytes: Number(request.headers["content-length"] ?? 0),
            latencyMs: Math.round(reply.elapsedTime * 10) / 10,
        }));
    });

    return app;
}
