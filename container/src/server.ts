import cluster from "cluster";
import { Config, ConfigError, loadConfig } from "./config";
import { loadDetector } from "./detection";
import { buildApp } from "./http";
import { createLogger, entryWriter } from "./log";
import { CleanupRetry, createS3Store } from "./storage";

/** The server's log: the same JSON lines as each request's (see log.ts). */
const logger = createLogger();

/** SageMaker gives a container 30 s after SIGTERM; finish in-flight requests well before. */
export const SHUTDOWN_GRACE_MS = 25_000;
/**
 * Frames still in work this long after SIGTERM (a store that stalls, say) are given up and answered
 * with 503, so that every caller gets an answer before the grace ends.
 */
export const ABANDON_AFTER_MS = 18_000;

/** One worker: serves on the shared port while the model loads, drains on SIGTERM. */
export async function runWorker(config: Config): Promise<void> {
    const started = performance.now();
    const detector = loadDetector({ engine: config.engine, model: config.model, threads: config.inferenceThreads, precision: config.precision });
    // What an operator looks for in the endpoint's logs when it is slow to turn healthy.
    detector.then(
        () => logger.info({ engine: config.engine, model: config.model, precision: config.model === "ssd" ? config.precision : "fp32", ms: Math.round(performance.now() - started) }, "model loaded"),
        (error) => logger.error(`model failed to load: ${(error as Error).message}`),
    );
    const store = createS3Store({ bucket: config.cropsBucket, kmsKeyId: config.kmsKeyId });
    const cleanup = new CleanupRetry(store, entryWriter(logger));
    const stopping = new AbortController();
    const app = buildApp({ config, store, detector, cleanup, shutdown: stopping.signal, logger });
    // SageMaker invocations time out after 60 s; a stuck connection should not outlive them.
    app.server.requestTimeout = 65_000;
    app.server.keepAliveTimeout = 65_000;
    const shutdown = () => {
        setTimeout(() => stopping.abort(), ABANDON_AFTER_MS).unref();
        const force = setTimeout(() => {
            logger.error(`requests still in flight after ${SHUTDOWN_GRACE_MS / 1000} s were dropped`);
            process.exit(1);
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        // In-flight frames first, then one last try at removing failed frames' objects.
        app.close().then(() => cleanup.flush()).then(() => process.exit(0), () => process.exit(1));
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    // A worker whose primary is gone has no one to answer to.
    process.once("disconnect", shutdown);
    await app.listen({ port: config.port, host: "0.0.0.0" });
    logger.info(`listening on port ${config.port}`);
}

/** Workers replaced at most this many times each within the window before the server gives up. */
const CRASH_LIMIT_PER_WORKER = 3;
const CRASH_WINDOW_MS = 60_000;

/** The primary: forks one worker per configured core and passes SIGTERM on to them. */
function runPrimary(config: Config): void {
    let stopping = false;
    const recentExits: number[] = [];
    // The primary's exit status says whether every worker drained cleanly.
    let dropped = false;
    for (let i = 0; i < config.workers; i++) {
        cluster.fork();
    }
    cluster.on("exit", (worker, code) => {
        if (!stopping) {
            // A worker that dies at once (its port taken, say) would be replaced forever: give up
            // when they keep dying, so the container exits and says why.
            const now = Date.now();
            recentExits.push(now);
            while (recentExits[0] < now - CRASH_WINDOW_MS) {
                recentExits.shift();
            }
            if (recentExits.length > CRASH_LIMIT_PER_WORKER * config.workers) {
                logger.error(`workers exited ${recentExits.length} times in ${CRASH_WINDOW_MS / 1000} s (last with ${code}); stopping`);
                process.exit(1);
            }
            logger.error(`worker ${worker.process.pid} exited with ${code}; replacing it`);
            cluster.fork();
        } else {
            dropped ||= code !== 0;
            if (Object.keys(cluster.workers ?? {}).length === 0) {
                process.exit(dropped ? 1 : 0);
            }
        }
    });
    const stop = () => {
        stopping = true;
        for (const worker of Object.values(cluster.workers ?? {})) {
            worker?.process.kill("SIGTERM");
        }
        setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 2_000).unref();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    logger.info(`serving on port ${config.port} with ${config.workers} workers`);
}

/** Starts the server as the image does: configuration from the environment, validated once. */
export function serve(env: NodeJS.ProcessEnv = process.env): void {
    let config: Config;
    try {
        config = loadConfig(env);
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : error);
        process.exit(78); // EX_CONFIG
    }
    if (cluster.isPrimary && config.workers > 1) {
        runPrimary(config);
    } else {
        runWorker(config).catch((error) => {
            logger.error(`cannot serve: ${(error as Error).message}`);
            process.exit(1);
        });
    }
}
