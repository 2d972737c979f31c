/**
 * A camera for the tests: MJPEG over HTTP (multipart/x-mixed-replace, as IP cameras serve it) at
 * `fps`, which drops the connection after `dropAfter` frames, as a flaky camera does.
 */
import * as http from "http";

export interface TestCamera {
    readonly url: string;
    /** Connections served so far. */
    connections(): number;
    close(): Promise<void>;
}

export async function startCamera(frames: readonly Buffer[], options: { fps: number; dropAfter?: number }): Promise<TestCamera> {
    let connections = 0;
    const server = http.createServer((_request, response) => {
        connections++;
        response.writeHead(200, { "Content-Type": "multipart/x-mixed-replace; boundary=frame" });
        let sent = 0;
        const timer = setInterval(() => {
            const frame = frames[sent % frames.length];
            response.write(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
            response.write(frame);
            response.write("\r\n");
            sent++;
            if (options.dropAfter !== undefined && sent >= options.dropAfter) {
                clearInterval(timer);
                response.socket?.destroy();
            }
        }, 1000 / options.fps);
        response.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/video.mjpg`,
        connections: () => connections,
        async close() {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
