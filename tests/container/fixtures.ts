import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");

/** The six sample photos shipped with @vladmandic/face-api, and how many faces each shows. */
export const SAMPLE_DIR = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "demo");
export const SAMPLES: [string, number][] = [
    ["sample1.jpg", 3], ["sample2.jpg", 3], ["sample3.jpg", 3], ["sample4.jpg", 4], ["sample5.jpg", 5], ["sample6.jpg", 4],
];
export const sample = (file: string) => fs.readFileSync(path.join(SAMPLE_DIR, file));

export interface LocalS3 {
    readonly endpoint: string;
    readonly client: S3Client;
    readonly bucket: string;
    close(): Promise<void>;
}

/** A real S3-compatible server on a free port with one empty bucket. */
export async function startLocalS3(bucket = "crops-test"): Promise<LocalS3> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
    const address = await server.run();
    const endpoint = `http://127.0.0.1:${address.port}`;
    const client = new S3Client({
        endpoint, forcePathStyle: true, region: "us-east-1",
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return {
        endpoint, client, bucket,
        async close() {
            client.destroy();
            await server.close();
            fs.rmSync(directory, { recursive: true, force: true });
        },
    };
}

/** The environment that points the AWS SDK at a local store. */
export function localS3Env(s3: LocalS3): Record<string, string> {
    return {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
    };
}
