/**
 * The detector's one logger: pino, the logger Fastify is built on, so that the server, each
 * request and the clean-up write the same JSON lines to standard output (which SageMaker sends to
 * CloudWatch Logs): `time` (ISO 8601), `level` (`info`, `warn`, `error`), `message`, `pid`, and
 * for a request `requestId`, `frameId`, `stream`, `status`, `faces` and the stage times.
 */
import pino, { DestinationStream, Logger } from "pino";

export type { Logger };

export function createLogger(destination?: DestinationStream): Logger {
    const options: pino.LoggerOptions = {
        base: { pid: process.pid },
        messageKey: "message",
        timestamp: pino.stdTimeFunctions.isoTime,
        // Levels by name, as CloudWatch Logs Insights and the emotion stage's lines have them.
        formatters: { level: (label) => ({ level: label }) },
    };
    return destination === undefined ? pino(options) : pino(options, destination);
}

/** A structured entry (`level`, `message` and fields, as the clean-up reports) written to `logger`. */
export function entryWriter(logger: Logger): (entry: Record<string, unknown>) => void {
    return ({ level, message, ...fields }) => {
        const write = level === "error" ? logger.error : level === "warn" ? logger.warn : logger.info;
        write.call(logger, fields, String(message ?? ""));
    };
}
