import * as fs from "fs";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { conditionalWrites } from "./conditionalWrites";
import { deleteEvents, RemovedEvent } from "./deleteEvents";
import { guardedInput } from "./guardedInput";
import { serveDesFromTripleDes } from "./s3rverCiphers";

// Listings past one page need this (see s3rverCiphers.ts).
serveDesFromTripleDes();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");

/** Credentials the embedded store accepts (s3rver's fixed pair); never real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface EmbeddedS3 {
    readonly endpoint: string;
    readonly bucket: string;
    readonly directory: string;
    readonly client: S3Client;
    /** Calls `listener` for every object written (S3's "Object Created" events, as the store emits them). */
    onObjectCreated(listener: (bucket: string, key: string) => void): void;
    /** Calls `listener` for every object deleted by a client (S3's "Object Deleted" events with reason DeleteObject). */
    onObjectRemoved(listener: (bucket: string, key: string) => void): void;
    close(): Promise<void>;
}

/** Calls `listener` with the bucket and key of each of the server's events whose name starts with `kind`. */
function onEvents(server: { on(name: "event", handler: (event: RemovedEvent) => void): void }, kind: string, listener: (bucket: string, key: string) => void): void {
    server.on("event", (event) => {
        for (const record of event.Records) {
            if (record.eventName.startsWith(kind)) {
                listener(record.s3.bucket.name, record.s3.object.key);
            }
        }
    });
}

/**
 * An S3-compatible store on loopback whose objects live in `directory`, with `bucket` created if
 * it isn't there yet. Port 0 picks a free one.
 */
export async function startEmbeddedS3(options: { directory: string; bucket: string; port?: number }): Promise<EmbeddedS3> {
    fs.mkdirSync(options.directory, { recursive: true });
    const server = new S3rver({ port: options.port ?? 0, address: "127.0.0.1", silent: true, directory: options.directory });
    // Before s3rver's own middleware: its dependencies' advisories kept from untrusted input; the
    // If-None-Match on PUT it ignores, which S3 honours; the delete events it does not emit.
    server.middleware.unshift(guardedInput(), conditionalWrites(options.directory), deleteEvents((event) => server.emit("event", event)));
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ endpoint, forcePathStyle: true, region: "us-east-1", credentials: LOCAL_CREDENTIALS });
    try {
        await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch {
        await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
    }
    return {
        endpoint, bucket: options.bucket, directory: options.directory, client,
        onObjectCreated(listener) {
            onEvents(server, "ObjectCreated:", listener);
        },
        onObjectRemoved(listener) {
            onEvents(server, "ObjectRemoved:", listener);
        },
        async close() {
            client.destroy();
            await server.close();
        },
    };
}

/**
 * How many objects the store holds in `bucket`, counted on disk: a soak stores tens of thousands,
 * and a walk of the folder is faster than tens of listing pages.
 */
export function countStoredObjects(s3: Pick<EmbeddedS3, "directory" | "bucket">): number {
    const walk = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((count, entry) =>
        count + (entry.isDirectory() ? walk(`${dir}/${entry.name}`) : entry.name.endsWith("._S3rver_object") ? 1 : 0), 0);
    const root = `${s3.directory}/${s3.bucket}`;
    return fs.existsSync(root) ? walk(root) : 0;
}

/** The environment that points the AWS SDK (and so the detector) at the embedded store. */
export function embeddedS3Env(s3: Pick<EmbeddedS3, "endpoint">): Record<string, string> {
    return {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    };
}
