/**
 * How much work one worker takes on. Every request admitted holds its body (up to 6 MB) and, once
 * processing, a decoded frame and the model's activations (hundreds of MB for a large frame), so a
 * worker admits a bounded number and sheds the rest at once with 503, before reading their bodies:
 * callers (SageMaker's runtime, the SDKs) retry 503s, and a fast refusal beats a 60-s timeout.
 */

/** Frames one worker processes at the same time: one on the CPU, one in decode or storage. */
export const MAX_PROCESSING = 2;
/** Requests admitted beyond those, waiting their turn. */
export const MAX_WAITING = 6;

export class Admission {
    private admitted = 0;
    private processing = 0;
    private readonly turns: (() => void)[] = [];

    constructor(private readonly maxProcessing = MAX_PROCESSING, private readonly maxWaiting = MAX_WAITING) {}

    /** Takes the request on, or refuses it (false) when the worker already holds all it may. */
    admit(): boolean {
        if (this.admitted >= this.maxProcessing + this.maxWaiting) {
            return false;
        }
        this.admitted += 1;
        return true;
    }

    /** An admitted request is done (answered or abandoned). */
    release(): void {
        this.admitted = Math.max(0, this.admitted - 1);
    }

    /** Runs `work` when fewer than `maxProcessing` frames are being processed. */
    async process<T>(work: () => Promise<T>): Promise<T> {
        if (this.processing >= this.maxProcessing) {
            await new Promise<void>((resolve) => this.turns.push(resolve));
        } else {
            this.processing += 1;
        }
        try {
            return await work();
        } finally {
            const next = this.turns.shift();
            if (next) {
                next();
            } else {
                this.processing -= 1;
            }
        }
    }

    get load(): { admitted: number; processing: number } {
        return { admitted: this.admitted, processing: this.processing };
    }
}
