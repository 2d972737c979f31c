import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createLogger, type Logger } from "../../container/src/log";
import { EmbeddedS3, startEmbeddedS3 } from "../../tools/local/embeddedS3";
import { SAMPLE_DIR } from "../../tools/samples";

export { SAMPLE_DIR };

/** The six sample photos shipped with @vladmandic/face-api, and how many faces each shows. */
export const SAMPLES: [string, number][] = [
    ["sample1.jpg", 3], ["sample2.jpg", 3], ["sample3.jpg", 3], ["sample4.jpg", 4], ["sample5.jpg", 5], ["sample6.jpg", 4],
];
export const sample = (file: string) => fs.readFileSync(path.join(SAMPLE_DIR, file));

export type LocalS3 = EmbeddedS3;

/** A real S3-compatible server on a free port, in a temporary folder, with one empty bucket. */
export async function startLocalS3(bucket = "crops-test"): Promise<LocalS3> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
    const s3 = await startEmbeddedS3({ directory, bucket });
    return {
        ...s3,
        async close() {
            await s3.close();
            fs.rmSync(directory, { recursive: true, force: true });
        },
    };
}


/** A logger whose JSON lines are kept in `lines`, as standard output would get them. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
    const lines: string[] = [];
    return { lines, logger: createLogger({ write: (line: string) => { lines.push(line.trimEnd()); } }) };
}

/** A logger that writes nowhere. */
export const silentLogger = (): Logger => createLogger({ write: () => undefined });
