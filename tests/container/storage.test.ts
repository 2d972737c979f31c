import * as assert from "assert";
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CropStore, createS3Store, storeAll, StoredObject, WrittenObject } from "../../container/src/storage";

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
    it("undoes a half-stored frame by deleting the versions it wrote, not by adding delete markers", async () => {
        const removed: WrittenObject[][] = [];
        const store: CropStore = {
            bucket: "crops",
            async put(stored) {
                if (stored.key === "b") {
                    throw new Error("simulated outage");
                }
                return { key: stored.key, versionId: `v-${stored.key}` };
            },
            async remove(objects) {
                removed.push([...objects]);
            },
        };
        await assert.rejects(storeAll(store, ["a", "b", "c"].map(object)), /the 2 already written were removed/);
        assert.deepStrictEqual(removed, [[{ key: "a", versionId: "v-a" }, { key: "c", versionId: "v-c" }]]);
    });

    it("reads each object's version from S3's answer and deletes by version", async () => {
        await withS3((command) => (command instanceof PutObjectCommand ? { VersionId: "3HL4kqtJlcpXroDTDmJ" } : {}), async (sent) => {
            const store = createS3Store({ bucket: "crops" });
            const written = await store.put(object("crops/a.jpg"));
            assert.deepStrictEqual(written, { key: "crops/a.jpg", versionId: "3HL4kqtJlcpXroDTDmJ" });
            await store.remove([written, { key: "crops/unversioned.jpg" }]);
            const deletion: any = sent.find((command) => command instanceof DeleteObjectsCommand);
            assert.deepStrictEqual(deletion.input.Delete.Objects, [
                { Key: "crops/a.jpg", VersionId: "3HL4kqtJlcpXroDTDmJ" },
                { Key: "crops/unversioned.jpg" },
            ]);
        });
    });

    it("leaves the version out where the bucket keeps none", async () => {
        await withS3(() => ({}), async () => {
            assert.deepStrictEqual(await createS3Store({ bucket: "crops" }).put(object("crops/b.jpg")), { key: "crops/b.jpg" });
        });
    });
});
