import * as net from "net";

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer().once("error", reject).listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Whether `port` can be listened on (on every interface, as the detector listens), right now. */
export function portIsFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer()
            .once("error", () => resolve(false))
            .listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
    });
}
