/**
 * Runs `work` for every item with at most `limit` running at once, in order of the items. A batch
 * of 100 sheets would otherwise open 100 reads and writes at once (and hold 100 decoded sheets).
 * Hand-written rather than p-limit: p-limit's maintained releases are ECMAScript modules only,
 * which the tests' CommonJS loader on Node 20 can't require; this is its one use.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            await work(items[next++]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
