/**
 * Posting frames to the endpoint with at most `maxInFlight` at once. A live source offers frames
 * (`offer`): when every slot is taken, the frame is dropped and counted, never queued, so a slow
 * endpoint costs frames, not memory. A file or folder waits for a slot (`submit`): its frames are
 * all sent, as fast as the endpoint takes them.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { formatFrameAttributes } from "@crowd-emotions/face-detection-contract";
import { InvocationResult } from "../local/format";

export interface Frame {
    readonly body: Buffer;
    readonly contentType: string;
    readonly stream: string;
    readonly frameId: string;
    readonly capturedAt: Date;
}

/** Sends one frame and returns the endpoint's answer. */
export type Post = (frame: Frame) => Promise<InvocationResult>;

/** A post through the real SageMaker runtime client (deployed, or the local server through its endpoint URL). */
export function endpointPost(client: SageMakerRuntimeClient, endpointName: string): Post {
    return async (frame) => {
        const response = await client.send(new InvokeEndpointCommand({
            EndpointName: endpointName, Body: frame.body, ContentType: frame.contentType, Accept: "application/json",
            CustomAttributes: formatFrameAttributes({ stream: frame.stream, capturedAt: frame.capturedAt, frameId: frame.frameId }),
        }));
        return JSON.parse(Buffer.from(response.Body!).toString("utf8")) as InvocationResult;
    };
}

export interface SenderStats {
    sent: number;
    answered: number;
    failed: number;
    dropped: number;
    faces: number;
    /** The endpoint's latency of the last answers, in ms (median of the last 20). */
    latencyMs?: number;
    inFlight: number;
}

export class FrameSender {
    private inFlight = 0;
    private readonly latencies: number[] = [];
    private readonly waiting: (() => void)[] = [];
    private readonly idle: (() => void)[] = [];
    readonly stats: SenderStats = { sent: 0, answered: 0, failed: 0, dropped: 0, faces: 0, inFlight: 0 };

    constructor(
        private readonly post: Post,
        private readonly maxInFlight: number,
        private readonly onAnswer: (frame: Frame, result: InvocationResult) => void = () => undefined,
        private readonly onError: (frame: Frame, error: unknown) => void = () => undefined,
    ) {}

    /** A live frame: sent if a slot is free, else dropped. Returns whether it was sent. */
    offer(frame: Frame): boolean {
        if (this.inFlight >= this.maxInFlight) {
            this.stats.dropped++;
            return false;
        }
        this.start(frame);
        return true;
    }

    /** A recorded frame: waits for a slot, then is sent (not awaited to its answer). */
    async submit(frame: Frame): Promise<void> {
        while (this.inFlight >= this.maxInFlight) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
        this.start(frame);
    }

    /** Resolves once no frame is in flight. */
    async drain(): Promise<void> {
        while (this.inFlight > 0) {
            await new Promise<void>((resolve) => this.idle.push(resolve));
        }
    }

    private start(frame: Frame): void {
        this.inFlight++;
        this.stats.inFlight = this.inFlight;
        this.stats.sent++;
        const started = performance.now();
        this.post(frame).then((result) => {
            this.record(performance.now() - started);
            this.stats.answered++;
            this.stats.faces += result.faces.length;
            this.onAnswer(frame, result);
        }, (error) => {
            this.stats.failed++;
            this.onError(frame, error);
        }).finally(() => {
            this.inFlight--;
            this.stats.inFlight = this.inFlight;
            this.waiting.shift()?.();
            if (this.inFlight === 0) {
                this.idle.splice(0).forEach((resolve) => resolve());
            }
        });
    }

    private record(ms: number): void {
        this.latencies.push(ms);
        if (this.latencies.length > 20) {
            this.latencies.shift();
        }
        const sorted = [...this.latencies].sort((a, b) => a - b);
        this.stats.latencyMs = Math.round(sorted[Math.floor(sorted.length / 2)]);
    }
}
