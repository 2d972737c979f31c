import * as assert from "assert";
import { forEachLimited } from "../../emotions/src/limit";

describe("work with a bound on what runs at once", () => {
    it("runs every item, never more than the limit at once", async () => {
        let running = 0;
        let most = 0;
        const done: number[] = [];
        await forEachLimited(Array.from({ length: 25 }, (_, i) => i), 4, async (item) => {
            running++;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
            done.push(item);
            running--;
        });
        assert.deepStrictEqual(done.sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
        assert.strictEqual(most, 4);
    });

    it("does nothing for no items", async () => {
        await forEachLimited([], 4, async () => assert.fail("called"));
    });
});
