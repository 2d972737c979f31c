/**
 * A proxy in front of the local S3 store that misbehaves on demand, as a real store under trouble
 * does: `pass` forwards; `refuse` drops every connection; `slow` holds every request for
 * `slowMs` before forwarding; `die-after` forwards `allow` more PUTs, then refuses everything
 * (the clean-up's DELETEs too) until set back to `pass`.
 */
import * as http from "http";
import { AddressInfo } from "net";

export type FaultMode = { kind: "pass" } | { kind: "refuse" } | { kind: "slow"; slowMs: number } | { kind: "die-after"; allow: number };

export interface FaultProxy {
    readonly endpoint: string;
    set(mode: FaultMode): void;
    close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
    let mode: FaultMode = { kind: "pass" };
    let putsLeft = 0;
    const upstream = new URL(target);
    const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
        const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        out.on("error", () => res.destroy());
        req.pipe(out);
    };
    const server = http.createServer((req, res) => {
        const current = mode;
        if (current.kind === "refuse") {
            req.socket.destroy();
        } else if (current.kind === "slow") {
            setTimeout(() => forward(req, res), current.slowMs).unref();
        } else if (current.kind === "die-after") {
            if (req.method === "PUT" && putsLeft > 0) {
                putsLeft -= 1;
                forward(req, res);
            } else {
                req.socket.destroy();
            }
        } else {
            forward(req, res);
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        set(next) {
            mode = next;
            putsLeft = next.kind === "die-after" ? next.allow : 0;
        },
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
