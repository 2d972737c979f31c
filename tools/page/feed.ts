/**
 * The frames this process sent, per stream: the latest frame's bytes and what the endpoint found,
 * kept in memory only (the page shows them; nothing is written), and an event for every new one.
 */
import { EventEmitter } from "events";
import { InvocationResult } from "../local/format";

export interface FedFrame {
    readonly stream: string;
    readonly frameId: string;
    readonly capturedAt: Date;
    readonly body: Buffer;
    readonly contentType: string;
    readonly result: InvocationResult;
}

export class FrameFeed extends EventEmitter {
    private readonly latest = new Map<string, FedFrame>();

    /** Records a frame the endpoint answered, as its stream's latest if it is newer. */
    add(frame: FedFrame): void {
        const known = this.latest.get(frame.stream);
        if (known === undefined || known.capturedAt.getTime() <= frame.capturedAt.getTime()) {
            this.latest.set(frame.stream, frame);
            this.emit("frame", frame.stream);
        }
    }

    latestOf(stream: string): FedFrame | undefined {
        return this.latest.get(stream);
    }

    streams(): string[] {
        return [...this.latest.keys()];
    }
}
