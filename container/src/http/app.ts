import { randomUUID } from "crypto";
import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, LogController } from "fastify";
import {
    FrameAttributeError, FrameAttributes, formatFrameAttributes, MAX_REQUEST_BYTES, parseFrameAttributes, VARIANT_NAME,
} from "@crowd-emotions/face-detection-contract";
import { Config } from "../config";
import { Detector } from "../detection";
import { ClientError } from "../errors";
import { createLogger, Logger } from "../log";
import { FrameResult, processFrame } from "../frame";
import { CleanupRetry, CropStore } from "../storage";
import { Admission } from "./admission";
import { errorResponse } from "./errorResponse";
import { modelError, RUNTIME_ROUTE } from "./runtimeApi";

export const IMAGE_CONTENT_TYPES = ["image/jpeg", "image/png", "application/x-image"];
const CUSTOM_ATTRIBUTES = "x-amzn-sagemaker-custom-attributes";
/** Workers load their model side by side; a request routed to one still loading waits this long. */
export const MODEL_WAIT_MS = 30_000;
/**
 * Every invocation is answered within this: SageMaker gives up at 60 s, and work past that point
 * stores objects nobody receives. What is stored by then is removed.
 */
export const REQUEST_DEADLINE_MS = 55_000;

export interface AppDeps {
    readonly config: Config;
    readonly store: CropStore;
    /** Resolves when the model is loaded; `/ping` answers 503 until then. */
    readonly detector: Promise<Detector>;
    /** How long an invocation that arrives during loading waits for the model. */
    readonly modelWaitMs?: number;
    /** Where the request lines go (one per request, and warnings); standard output by default. */
    readonly logger?: Logger;
    /** How much work the worker takes on (see admission.ts). */
    readonly admission?: Admission;
    /** Where failed removals are retried (see cleanup.ts). */
    readonly cleanup?: CleanupRetry;
    /** @default REQUEST_DEADLINE_MS */
    readonly deadlineMs?: number;
    /**
     * Aborted when the worker must stop now: every frame still in work is given up (nothing of it
     * stays stored) and answered with 503, so that no caller is left without an answer.
     */
    readonly shutdown?: AbortSignal;
}

type InvocationRequest = FastifyRequest & {
    faces?: number; admitted?: boolean; abandoned?: string; frame?: { frameId: string; stream: string }; stages?: FrameResult["timings"];
};

/**
 * The frame's stream, capture time and id from SageMaker's custom attributes (the contract's
 * rules); a bad one is a 400 that names it. A frame id is one key segment: `.` and `..` alone are
 * dot segments, which some S3-compatible stores resolve (`…/../sheet-0.jpg` lands elsewhere).
 */
export function frameAttributesFrom(customAttributes: string | undefined, now = new Date()): FrameAttributes {
    try {
        return parseFrameAttributes(customAttributes, now);
    } catch (error) {
        if (error instanceof FrameAttributeError) {
            throw new ClientError(400, error.message);
        }
        throw error;
    }
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
        const [type, ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
        // RFC 9110, 12.4.2: a quality of 0 means "not acceptable".
        const quality = params.find((param) => param.startsWith("q="));
        if (quality !== undefined && Number(quality.slice(2)) === 0) {
            return false;
        }
        return type === "application/json" || type === "*/*" || type === "application/*";
    });
}

/** Every object a frame's answer names: crops, sheets and manifests. */
function storedKeys(result: FrameResult): string[] {
    return [
        ...result.faces.flatMap((face) => (face.crop ? [face.crop.key] : [])),
        ...result.sheets.flatMap((sheet) => [sheet.key, sheet.manifestKey]),
    ];
}

/**
 * The HTTP app of the SageMaker container contract: `GET /ping` and `POST /invocations`, plus the
 * runtime API's `POST /endpoints/{name}/invocations` so the real SDK client can call a local server.
 * Builds the app and never listens; `server.ts` does.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
    const logger = deps.logger ?? createLogger();
    const app = Fastify({
        // Fastify's own logger type, which pino's satisfies.
        loggerInstance: logger as FastifyBaseLogger,
        // One line per request, written below with what the frame was; not Fastify's two. Through
        // a LogController: Fastify 5.12 deprecates the top-level options (FSTDEP023, FSTDEP024).
        logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
        bodyLimit: MAX_REQUEST_BYTES,
        genReqId: () => randomUUID(),
    });
    // Cluster workers share the port by connection, not by request: a kept-alive connection would
    // pin its traffic to one worker while another idles. With several workers, each answer closes
    // its connection, which spreads the load (measured: 4.1-4.8 -> 5.2-5.6 images/s at concurrency
    // 4 on two cores). Not with maxRequestsPerSocket: Node answers a pipelined second request on
    // the connection with a 503 of its own; closing instead leaves it to the client to resend.
    if (deps.config.workers > 1) {
        app.addHook("onSend", async (_request, reply) => {
            reply.header("Connection", "close");
        });
    }
    let detector: Detector | undefined;
    deps.detector.then((loaded) => { detector = loaded; }, () => undefined);

    // Only image bodies: JSON, text and the rest are refused with 415 instead of being parsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(IMAGE_CONTENT_TYPES, { parseAs: "buffer", bodyLimit: MAX_REQUEST_BYTES }, (_req, body, done) => done(null, body));

    app.get("/ping", async (_request, reply) => {
        reply.code(detector ? 200 : 503).send(detector ? { status: "ready" } : { status: "loading" });
    });

    const admission = deps.admission ?? new Admission();
    const isInvocation = (request: FastifyRequest) => request.method === "POST"
        && (request.routeOptions.url === "/invocations" || request.routeOptions.url === RUNTIME_ROUTE);
    // Before the body is read: a shed request costs the worker nothing.
    app.addHook("onRequest", async (request: InvocationRequest, reply) => {
        if (!isInvocation(request)) {
            return;
        }
        if (!admission.admit()) {
            reply.header("Retry-After", "1");
            throw new ClientError(503, "The detector is busy; retry shortly.");
        }
        request.admitted = true;
    });
    const release = (request: InvocationRequest) => {
        if (request.admitted) {
            request.admitted = false;
            admission.release();
        }
    };

    const invoke = async (request: InvocationRequest, reply: FastifyReply): Promise<FrameResult> => {
        if (!acceptsJson(request.headers.accept)) {
            throw new ClientError(406, `Accept "${request.headers.accept}" can't be served: the response is application/json.`);
        }
        // Another worker may already have answered /ping; wait for this one's model instead of failing.
        const loaded = detector ?? await waitForModel(deps.detector, deps.modelWaitMs ?? MODEL_WAIT_MS);
        const header = request.headers[CUSTOM_ATTRIBUTES] as string | undefined;
        const attributes = frameAttributesFrom(header);
        const frameId = attributes.frameId ?? request.id;
        request.frame = { frameId, stream: attributes.stream };
        if (header !== undefined) {
            // What the detector took the frame to be, as the caller may echo it on.
            reply.header("X-Amzn-SageMaker-Custom-Attributes", formatFrameAttributes({ ...attributes, frameId }, new Date(attributes.capturedAt.getTime())));
        }
        const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
        // The caller gone, or the deadline passed: the frame's work stops and nothing stays stored.
        // A timer of our own rather than AbortSignal.timeout: combined with AbortSignal.any, Node 20
        // may collect the timeout signal, and the deadline would never come.
        const stop = new AbortController();
        const signal = stop.signal;
        const deadline = setTimeout(() => {
            request.abandoned = "the deadline passed";
            stop.abort(new Error(request.abandoned));
        }, deps.deadlineMs ?? REQUEST_DEADLINE_MS);
        const onShutdown = () => {
            request.abandoned = "the server is shutting down";
            stop.abort(new Error(request.abandoned));
        };
        deps.shutdown?.addEventListener("abort", onShutdown, { once: true });
        reply.raw.once("close", () => {
            if (!reply.raw.writableFinished && !signal.aborted) {
                request.abandoned = "the caller closed the connection";
                stop.abort(new Error(request.abandoned));
            }
        });
        try {
            const result = await admission.process(() => {
                signal.throwIfAborted();
                return processFrame(body, { ...attributes, frameId }, { config: deps.config, detector: loaded, store: deps.store, signal, cleanup: deps.cleanup });
            });
            if (signal.aborted) {
                // Given up between the last upload and the answer: nobody will read these.
                await deps.store.remove(storedKeys(result).map((key) => ({ key })));
                signal.throwIfAborted();
            }
            request.faces = result.faces.length;
            request.stages = result.timings;
            return result;
        } catch (error) {
            if (signal.aborted) {
                request.log.warn({ frameId, stream: attributes.stream }, `frame abandoned: ${request.abandoned}; nothing stored`);
                throw new ClientError(503, `The frame was not processed in time (${request.abandoned}); nothing was stored.`);
            }
            throw error;
        } finally {
            clearTimeout(deadline);
            deps.shutdown?.removeEventListener("abort", onShutdown);
        }
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
        }, request.log);
        if (request.routeOptions.url === RUNTIME_ROUTE) {
            const wrapped = modelError(status, body);
            return reply.code(wrapped.status).headers(wrapped.headers).send(wrapped.body);
        }
        return reply.code(status).send(body);
    });

    app.addHook("onRequestAbort", async (request: InvocationRequest) => {
        release(request);
    });
    app.addHook("onResponse", async (request: InvocationRequest, reply) => {
        release(request);
        if (request.url === "/ping") {
            return;
        }
        request.log.info({
            method: request.method,
            path: request.url,
            status: reply.statusCode,
            ...request.frame,
            faces: request.faces ?? 0,
            ...(request.stages && { stages: request.stages }),
            ...(request.abandoned && { abandoned: request.abandoned }),
            bytes: Number(request.headers["content-length"] ?? 0),
            latencyMs: Math.round(reply.elapsedTime * 10) / 10,
        }, "request answered");
    });

    return app;
}
