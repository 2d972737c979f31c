/**
 * `npm run moods -- --stream <id> [--since 1h | --from T --to T] [--json]`: a stream's crowd mood
 * over time from the emotion stage's table (one Query, never a Scan), per interval: the crowd's
 * size, the faces read, the leading expression and each expression's share with its 95% interval,
 * low-sample intervals marked. `--streams` lists the streams seen. By default the table `npm start`
 * writes (its local DynamoDB); `--table` reads a deployed stack's (`pulumi stack output
 * emotionsTableName`) with the usual AWS credentials.
 */
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { checkStream } from "@crowd-emotions/face-detection-contract";
import { IntervalSummary } from "../emotions/src/series";
import { LOCAL_CREDENTIALS } from "./local/embeddedS3";
import { DYNAMODB_PORT, RESULTS_TABLE } from "./local/emotionStage";
import { EXPRESSIONS_CAVEAT, formatInterval, listStreams, querySeries } from "./local/series";

export const USAGE = "Usage: npm run moods -- (--stream <id> [--since <n>s|m|h|d | --from <time> --to <time>] | --streams) [--json] [--table <name> [--region <region>]]";

export interface MoodsArgs {
    readonly stream?: string;
    readonly streams: boolean;
    readonly from: Date;
    readonly to: Date;
    readonly json: boolean;
    readonly table?: string;
    readonly region?: string;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class UsageError extends Error {}

function time(flag: string, value: string): Date {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
        throw new UsageError(`${flag} must be a time (ISO 8601, e.g. 2026-12-07T10:00:00Z), got "${value}".\n${USAGE}`);
    }
    return date;
}

export function parseMoodsArgs(argv: readonly string[], now = new Date()): MoodsArgs {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stream: { type: "string" }, streams: { type: "boolean", default: false }, since: { type: "string" },
                from: { type: "string" }, to: { type: "string" }, json: { type: "boolean", default: false },
                table: { type: "string" }, region: { type: "string" },
            },
            strict: true, allowPositionals: false,
        }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    const stream = values.stream as string | undefined;
    if ((stream === undefined) === !values.streams) {
        throw new UsageError(`Name one --stream, or ask for --streams.\n${USAGE}`);
    }
    if (stream !== undefined) {
        try {
            checkStream(stream);
        } catch (error) {
            throw new UsageError(`--stream: ${(error as Error).message}`);
        }
    }
    if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) {
        throw new UsageError(`--since and --from/--to can't be used together.\n${USAGE}`);
    }
    let from: Date;
    let to: Date = now;
    if (values.from !== undefined || values.to !== undefined) {
        if (values.from === undefined) {
            throw new UsageError(`--to goes with --from.\n${USAGE}`);
        }
        from = time("--from", values.from as string);
        to = values.to === undefined ? now : time("--to", values.to as string);
    } else {
        const since = (values.since as string | undefined) ?? "1h";
        const match = /^(\d+)([smhd])$/.exec(since);
        if (!match || Number(match[1]) === 0) {
            throw new UsageError(`--since must be a duration like 90s, 15m, 1h or 7d, got "${since}".\n${USAGE}`);
        }
        from = new Date(now.getTime() - Number(match[1]) * UNITS[match[2]]);
    }
    if (from.getTime() >= to.getTime()) {
        throw new UsageError(`--from must be before --to.\n${USAGE}`);
    }
    if (values.region !== undefined && values.table === undefined) {
        throw new UsageError(`--region goes with --table.\n${USAGE}`);
    }
    return {
        stream, streams: values.streams as boolean, from, to, json: values.json as boolean,
        table: values.table as string | undefined, region: values.region as string | undefined,
    };
}

export function formatSeries(stream: string, series: readonly IntervalSummary[]): string {
    if (series.length === 0) {
        return `No intervals of stream ${stream} in that time.`;
    }
    return [`Stream ${stream}, ${series[0].start.slice(0, 10)} (UTC); ${EXPRESSIONS_CAVEAT}`, ...series.map(formatInterval)].join("\n");
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
    if (argv.includes("--help")) {
        console.log(USAGE);
        return 0;
    }
    let args: MoodsArgs;
    try {
        args = parseMoodsArgs(argv);
    } catch (error) {
        console.error((error as Error).message);
        return 2;
    }
    const client = args.table === undefined
        ? new DynamoDBClient({ endpoint: `http://127.0.0.1:${DYNAMODB_PORT}`, region: "us-east-1", credentials: LOCAL_CREDENTIALS })
        : new DynamoDBClient({ region: args.region });
    const table = args.table ?? RESULTS_TABLE;
    try {
        if (args.streams) {
            const streams = await listStreams(client, table);
            console.log(args.json ? JSON.stringify(streams, null, 2) : streams.map((s) => `${s.stream}  latest interval ${s.latest}`).join("\n") || "No streams seen yet.");
        } else {
            const series = await querySeries(client, table, args.stream!, args.from, args.to);
            console.log(args.json ? JSON.stringify({ stream: args.stream, caveat: EXPRESSIONS_CAVEAT, intervals: series }, null, 2) : formatSeries(args.stream!, series));
        }
    } catch (error) {
        if (args.table === undefined && /ECONNREFUSED/.test(String((error as Error).message) + String((error as any).cause?.code ?? (error as any).code))) {
            console.error(`No local emotion stage on port ${DYNAMODB_PORT}: start it with \`npm start\` (or set LOCAL_DYNAMODB_PORT), or read a deployed table with --table.`);
            return 1;
        }
        throw error;
    } finally {
        client.destroy();
    }
    return 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
