import * as assert from "assert";
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CleanupRetry, createS3Store, CropStore, storeAll, StoredObject, WrittenObject } from "../../container/src/storage";

const object = (key: string): StoredObject => ({ key, body: Buffer.from(key), metadata: {} });

/** Answers every S3 request from `answer` instead of the network, recording what was sent. */
async function withS3(answer: (command: any) => unknown, work: (sent: any[]) => Promise<void>): Promise<void> {
    const original = S3Client.prototype.send;
    const sent: any[] = [];
    S3Client.prototype.send = async function (command: any) {
        sent.push(command);
        return answer(command);
    } as typeof original;
    try {
        await work(sent);
    } finally {
        S3Client.prototype.send = original;
    }
}

describe("storing a frame's objects in a versioned bucket", () => {
    it("undoes a half-stored frame by key (delete markers), never by version: the role may not erase versions", async () => {
        await withS3((command) => (command instanceof PutObjectCommand ? { VersionId: "3HL4kqtJlcpXroDTDmJ" } : {}), async (sent) => {
            const store = createS3Store({ bucket: "crops" });
            const written = await store.put(object("crops/a.jpg"));
            // Conditional: S3 refuses to overwrite an object another request stored.
            assert.strictEqual(sent[0].input.IfNoneMatch, "*");
            assert.deepStrictEqual(written, { key: "crops/a.jpg" });
            await store.remove([written, { key: "crops/b.jpg" }]);
            const deletion: any = sent.find((command) => command instanceof DeleteObjectsCommand);
            assert.deepStrictEqual(deletion.input.Delete.Objects, [{ Key: "crops/a.jpg" }, { Key: "crops/b.jpg" }]);
        });
    });
});

describe("a frame id that is already stored", () => {
    it("is refused with 409; the first frame's objects stay, this request's own are removed", async () => {
        const removed: WrittenObject[][] = [];
        const store: CropStore = {
            bucket: "crops",
            async put(stored) {
                if (stored.key === "sheet-0.jpg") {
                    throw Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
                        name: "PreconditionFailed", $metadata: { httpStatusCode: 412 },
                    });
                }
                return { key: stored.key };
            },
            async remove(objects) {
                removed.push([...objects]);
            },
        };
        await assert.rejects(storeAll(store, ["sheet-0.jpg", "sheet-0.json"].map(object)), {
            statusCode: 409,
            message: "Objects of this frame id are already stored, and are kept; send each frame with a frame id of its own (the 1 objects this request wrote were removed).",
        });
        assert.deepStrictEqual(removed, [[{ key: "sheet-0.json" }]]);
    });
});

describe("removing a failed frame's objects when the store is down", () => {
    /** A store that is down for the first `downFor` removals, then back. */
    function flakyStore(downFor: number) {
        const objects = new Set(["a", "b"]);
        let removals = 0;
        const store: CropStore = {
            bucket: "crops",
            async put(stored) {
                if (stored.key === "c") {
                    throw new Error("store died");
                }
                return { key: stored.key };
            },
            async remove(written) {
                removals += 1;
                if (removals <= downFor) {
                    throw new Error("store still down");
                }
                written.forEach(({ key }) => objects.delete(key));
            },
        };
        return { store, objects };
    }

    it("retries later until the store is back, and says so in the answer", async () => {
        const { store, objects } = flakyStore(3);
        const logs: Record<string, unknown>[] = [];
        const cleanup = new CleanupRetry(store, (entry) => logs.push(entry), [5, 5, 5, 5]);
        await assert.rejects(storeAll(store, ["a", "b", "c"].map(object), undefined, (written) => cleanup.schedule(written)), {
            message: "Storing the frame's objects failed, and removing the 2 already written failed too; their removal will be retried.",
        });
        assert.strictEqual(cleanup.pending, 2);
        for (let i = 0; i < 50 && cleanup.pending > 0; i++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.strictEqual(cleanup.pending, 0);
        assert.deepStrictEqual([...objects], []);
        assert.deepStrictEqual(logs.map((entry) => entry.message), ["removed the objects of a failed frame on a later try"]);
    });

    it("tries once more when the worker stops, and logs the keys it still can't remove", async () => {
        const { store } = flakyStore(100);
        const logs: Record<string, unknown>[] = [];
        const cleanup = new CleanupRetry(store, (entry) => logs.push(entry), [60_000]);
        cleanup.schedule([{ key: "a" }, { key: "b" }]);
        assert.deepStrictEqual(await cleanup.flush(), [{ key: "a" }, { key: "b" }]);
        assert.deepStrictEqual(logs, [{ level: "error", message: "objects of failed frames could not be removed; delete them by hand", keys: ["a", "b"] }]);
    });
});

describe("a sheet's manifest, whose event tells the emotion stage the sheet is there", () => {
    /** A store that records when each put starts and ends, each taking `ms`. */
    function timedStore(fail?: string) {
        const log: string[] = [];
        const removed: WrittenObject[][] = [];
        const store: CropStore = {
            bucket: "crops",
            async put(stored) {
                log.push(`start ${stored.key}`);
                await new Promise((resolve) => setTimeout(resolve, 5));
                if (stored.key === fail) {
                    throw new Error("simulated outage");
                }
                log.push(`end ${stored.key}`);
                return { key: stored.key };
            },
            async remove(objects) {
                removed.push([...objects]);
            },
        };
        return { store, log, removed };
    }
    const frame = [object("sheet-0.jpg"), { ...object("sheet-0.json"), announces: true }, object("sheet-1.jpg"), { ...object("sheet-1.json"), announces: true }];

    it("is written only after every sheet of the frame is stored", async () => {
        const { store, log } = timedStore();
        await storeAll(store, frame);
        const firstManifest = Math.min(log.indexOf("start sheet-0.json"), log.indexOf("start sheet-1.json"));
        assert.ok(firstManifest > log.indexOf("end sheet-0.jpg") && firstManifest > log.indexOf("end sheet-1.jpg"), log.join(", "));
    });

    it("is never written when a sheet fails: no event announces a frame that is withdrawn", async () => {
        const { store, log, removed } = timedStore("sheet-1.jpg");
        await assert.rejects(storeAll(store, frame), /the 1 already written were removed/);
        assert.ok(!log.some((line) => line.includes(".json")), log.join(", "));
        assert.deepStrictEqual(removed, [[{ key: "sheet-0.jpg" }]]);
    });

    it("failing itself, takes the frame's sheets and other manifests with it", async () => {
        const { store, removed } = timedStore("sheet-1.json");
        await assert.rejects(storeAll(store, frame), /the 3 already written were removed/);
        assert.deepStrictEqual(removed[0].map((o) => o.key).sort(), ["sheet-0.jpg", "sheet-0.json", "sheet-1.jpg"]);
    });
});
