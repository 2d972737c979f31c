/** An error the client caused: answered with its status and message. */
export class ClientError extends Error {
    constructor(readonly statusCode: number, message: string) {
        super(message);
        this.name = "ClientError";
    }
}

/** The crops of a frame could not all be stored; the ones written were removed. */
export class StorageError extends Error {
    constructor(message: string, readonly cause?: unknown) {
        super(message);
        this.name = "StorageError";
    }
}
