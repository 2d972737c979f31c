/**
 * `npm run bench -- --attack`: the server under attack and store faults, through the real HTTP
 * surface, with a fault-injecting proxy (faultProxy.ts) between it and the local store. Each row
 * is one target of the hardening work; the run fails when one is missed.
 */
import { DEFAULT_CROP_OUTPUT } from "@crowd-emotions/face-detection-contract";
import { countStoredObjects, EmbeddedS3 } from "../local/embeddedS3";
import { startDetector } from "../local/detectorProcess";
import { freePort } from "../local/freePort";
import { startFaultProxy } from "./faultProxy";
import { runStageAttack } from "./stageAttack";
import { samplePhotos } from "./frames";
import { exifBomb, hostileFrames } from "./hostile";
import { Sample, send } from "./load";
import { memoryOf, servingProcesses } from "./memory";

/** The stated bound on a worker's resident memory (the ceiling: 900 MB). */
export const WORKER_MEMORY_BOUND_MB = 900;
const OVERLOAD_REQUESTS = 200;
/**
 * A shed request is answered within this: the refusal comes before the body is read, but waits
 * for the worker's event loop between stages of the frames it is processing.
 */
export const SHED_WITHIN_MS = 5_000;

export interface AttackRow {
    readonly check: string;
    readonly measured: string;
    readonly passed: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function runAttack(s3: EmbeddedS3, bucket: string): Promise<AttackRow[]> {
    const proxy = await startFaultProxy(s3.endpoint);
    const detector = await startDetector({
        port: await freePort(),
        env: {
            AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1",
            CROPS_BUCKET: bucket, SAGEMAKER_MODEL_SERVER_WORKERS: "2", CROP_OUTPUT: DEFAULT_CROP_OUTPUT,
        },
    });
    const rows: AttackRow[] = [];
    const pids = servingProcesses(detector.child.pid!);
    const peak = () => Math.max(...memoryOf(pids).map((m) => m.peakRssMb));
    // Every request answered within SageMaker's 60 s, whatever happens below.
    const within = (answer: Sample) => answer.latencyMs < 60_000;
    const good = samplePhotos()[0];
    try {
        // Hostile input: each answered 4xx, fast.
        for (const frame of await hostileFrames()) {
            const answer = await send(detector.url, frame);
            rows.push({ check: `hostile: ${frame.name}`, measured: `${answer.status} in ${seconds(answer.latencyMs)}`, passed: answer.status >= 400 && answer.status < 500 && answer.latencyMs < 2_000 });
        }
        // Eight EXIF bombs at once, and a good frame among them.
        const bomb = { name: "bomb", body: await exifBomb(), contentType: "image/jpeg", good: false };
        const [goodDuring] = await Promise.all([send(detector.url, good), ...Array.from({ length: 8 }, () => send(detector.url, bomb))]);
        rows.push({ check: "a good frame during 8 EXIF bombs", measured: `${goodDuring.status} in ${seconds(goodDuring.latencyMs)}`, passed: goodDuring.status === 200 && goodDuring.latencyMs < 5_000 });

        // Overload: every answer a 200 or a fast 503; memory bounded; serving normally after.
        const overload = await Promise.all(Array.from({ length: OVERLOAD_REQUESTS }, () => send(detector.url, good)));
        const statuses = count(overload.map((s) => s.status));
        const slowestShed = Math.max(0, ...overload.filter((s) => s.status === 503).map((s) => s.latencyMs));
        const slowest = Math.max(...overload.map((s) => s.latencyMs));
        rows.push({
            check: `${OVERLOAD_REQUESTS} concurrent frames`, measured: `${statuses}; slowest ${seconds(slowest)}, slowest 503 ${seconds(slowestShed)}`,
            passed: overload.every((s) => (s.status === 200 || s.status === 503) && within(s)) && slowestShed < SHED_WITHIN_MS,
        });
        rows.push({ check: `peak resident memory per worker (bound ${WORKER_MEMORY_BOUND_MB} MB)`, measured: `${peak()} MB`, passed: peak() <= WORKER_MEMORY_BOUND_MB });
        const after = await send(detector.url, good);
        rows.push({ check: "serving normally right after", measured: `${after.status} in ${seconds(after.latencyMs)}`, passed: after.status === 200 });

        // Store faults: nothing of a failed or abandoned frame remains once the store is back.
        const before = countStoredObjects(s3);
        proxy.set({ kind: "refuse" });
        const refused = await send(detector.url, good);
        rows.push({ check: "store refusing connections", measured: `${refused.status} in ${seconds(refused.latencyMs)}`, passed: refused.status === 500 && within(refused) });
        proxy.set({ kind: "slow", slowMs: 70_000 });
        const slow = await send(detector.url, good);
        rows.push({ check: "store answering after 70 s", measured: `${slow.status} in ${seconds(slow.latencyMs)}`, passed: slow.status >= 500 && within(slow) });
        proxy.set({ kind: "die-after", allow: 1 });
        const died = await send(detector.url, good);
        proxy.set({ kind: "pass" });
        // The removal is retried after 1 s and 5 s (cleanup.ts).
        await new Promise((resolve) => setTimeout(resolve, 8_000));
        const left = countStoredObjects(s3) - before;
        rows.push({ check: "store dying mid-frame, clean-up failing, then back", measured: `${died.status}; ${left} objects of failed frames left after 8 s`, passed: died.status === 500 && left === 0 });
        const back: Sample = await send(detector.url, good);
        rows.push({ check: "store back: frames stored again", measured: `${back.status}, ${back.sheets} sheet(s)`, passed: back.status === 200 && countStoredObjects(s3) - before === 2 * back.sheets });
    } finally {
        proxy.set({ kind: "pass" });
        const code = await detector.stop();
        rows.push({ check: "SIGTERM drain exit status", measured: String(code), passed: code === 0 });
        await proxy.close();
    }
    // The emotion stage: poisoned, oversized, slow and reused input.
    rows.push(...await runStageAttack());
    return rows;
}

function count(values: readonly number[]): string {
    const counts = new Map<number, number>();
    values.forEach((value) => counts.set(value, (counts.get(value) ?? 0) + 1));
    return [...counts].sort(([a], [b]) => a - b).map(([value, n]) => `${n}× ${value}`).join(", ");
}
