/**
 * Removing a failed frame's objects again, later, when the first removal failed too (the store
 * died mid-frame). All-or-nothing holds once the store is back: the removal is retried with
 * growing pauses, and once more when the worker stops; what still can't be removed then is logged
 * with its keys, so an operator can delete it. The bucket's lifecycle is no substitute: it keeps
 * half a frame for days.
 */
import { CropStore, WrittenObject } from "./s3Store";

/** Pauses before each retry: about 6.5 minutes in all. */
export const CLEANUP_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 60_000, 300_000];

export class CleanupRetry {
    private readonly waiting = new Set<WrittenObject[]>();
    private readonly timers = new Set<NodeJS.Timeout>();

    constructor(
        private readonly store: CropStore,
        private readonly log: (entry: Record<string, unknown>) => void,
        private readonly delaysMs: readonly number[] = CLEANUP_RETRY_DELAYS_MS,
    ) {}

    /** Objects whose removal failed: retried in the background until it succeeds or the delays run out. */
    schedule(objects: readonly WrittenObject[]): void {
        const batch = [...objects];
        this.waiting.add(batch);
        this.attempt(batch, 0);
    }

    /** How many objects wait for removal. */
    get pending(): number {
        return [...this.waiting].reduce((sum, batch) => sum + batch.length, 0);
    }

    /** One last try for everything waiting (the worker is stopping); returns what is left. */
    async flush(): Promise<WrittenObject[]> {
        this.timers.forEach((timer) => clearTimeout(timer));
        this.timers.clear();
        const left: WrittenObject[] = [];
        for (const batch of [...this.waiting]) {
            if (!await this.tryRemove(batch)) {
                left.push(...batch);
            }
        }
        if (left.length > 0) {
            this.log({ level: "error", message: "objects of failed frames could not be removed; delete them by hand", keys: left.map((o) => o.key) });
        }
        return left;
    }

    private attempt(batch: WrittenObject[], tries: number): void {
        if (tries >= this.delaysMs.length) {
            this.log({ level: "error", message: "gave up removing the objects of a failed frame until the worker stops", keys: batch.map((o) => o.key) });
            return;
        }
        const timer = setTimeout(async () => {
            this.timers.delete(timer);
            if (!await this.tryRemove(batch)) {
                this.attempt(batch, tries + 1);
            }
        }, this.delaysMs[tries]);
        timer.unref();
        this.timers.add(timer);
    }

    private async tryRemove(batch: WrittenObject[]): Promise<boolean> {
        try {
            await this.store.remove(batch);
        } catch {
            return false;
        }
        this.waiting.delete(batch);
        this.log({ level: "info", message: "removed the objects of a failed frame on a later try", keys: batch.map((o) => o.key) });
        return true;
    }
}
