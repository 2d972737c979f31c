import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../paths";
import { imageEnvironment } from "./imageEnvironment";

/** The compiled server, started exactly as the image starts it. */
export const SERVER_MAIN = path.join(REPO_ROOT, "container", "bin", "main.js");

export interface DetectorProcess {
    readonly url: string;
    readonly child: ChildProcess;
    /** Milliseconds from spawn to the first `/ping` 200. */
    readonly coldStartMs: number;
    stop(): Promise<number | null>;
}

export interface StartOptions {
    readonly port: number;
    readonly env: Record<string, string>;
    /** Called while the model loads, with the milliseconds waited so far. */
    readonly onWait?: (elapsedMs: number) => void;
    readonly timeoutMs?: number;
    /** Where the server's own output goes; it is kept otherwise, for the error message. */
    readonly output?: (chunk: string) => void;
    /** Another build of the server's entry point. */
    readonly main?: string;
}

async function ping(url: string): Promise<number> {
    try {
        return (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2_000) })).status;
    } catch {
        return 0;
    }
}

/**
 * Starts `node container/bin/main.js serve` with the image's environment and resolves once `/ping`
 * answers 200.
 */
export async function startDetector(options: StartOptions): Promise<DetectorProcess> {
    const started = performance.now();
    const url = `http://127.0.0.1:${options.port}`;
    const child = spawn(process.execPath, [options.main ?? SERVER_MAIN, "serve"], {
        env: { PATH: process.env.PATH ?? "", ...imageEnvironment(), SAGEMAKER_BIND_TO_PORT: String(options.port), ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
        output += chunk.toString();
        options.output?.(chunk.toString());
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let exitCode: number | null | undefined;
    exited.then((code) => { exitCode = code; });

    const deadline = started + (options.timeoutMs ?? 60_000);
    while (await ping(url) !== 200) {
        if (exitCode !== undefined) {
            throw new Error(`The detector exited with ${exitCode} before it was ready:\n${output}`);
        }
        if (performance.now() > deadline) {
            child.kill("SIGKILL");
            throw new Error(`The detector was not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`);
        }
        options.onWait?.(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
        url, child, coldStartMs: performance.now() - started,
        async stop() {
            if (exitCode === undefined) {
                child.kill("SIGTERM");
            }
            return exited;
        },
    };
}
