/**
 * `npm run moods`: every frame's crowd mood from the emotion stage's table, newest first, as a
 * table or JSON. By default the table `npm start` writes (its local DynamoDB); `--table` reads a
 * deployed stack's (`pulumi stack output emotionsTableName`) with the usual AWS credentials.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LOCAL_CREDENTIALS } from "./local/embeddedS3";
import { DYNAMODB_PORT, FrameResult, moodLine, readFrameResults, RESULTS_TABLE } from "./local/emotionStage";

export interface MoodsArgs {
    readonly json: boolean;
    readonly table?: string;
    readonly region?: string;
    readonly frame?: string;
}

export const USAGE = "Usage: npm run moods -- [--json] [--frame <frame id>] [--table <name> [--region <region>]]";

export function parseMoodsArgs(argv: readonly string[]): MoodsArgs {
    const args: { json: boolean; table?: string; region?: string; frame?: string } = { json: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--json") {
            args.json = true;
        } else if (flag === "--table" || flag === "--region" || flag === "--frame") {
            const value = argv[++i];
            if (value === undefined || value.startsWith("--")) {
                throw new Error(`${flag} needs a value.\n${USAGE}`);
            }
            args[flag.slice(2) as "table" | "region" | "frame"] = value;
        } else {
            throw new Error(`Unknown argument ${flag}.\n${USAGE}`);
        }
    }
    if (args.region !== undefined && args.table === undefined) {
        throw new Error(`--region goes with --table.\n${USAGE}`);
    }
    return args;
}

export function formatMoods(results: readonly FrameResult[]): string {
    if (results.length === 0) {
        return "No frames recorded yet.";
    }
    const width = Math.max(5, ...results.map((r) => r.frameId.length));
    return [`${"frame".padEnd(width)}  recorded at               crowd mood`,
        ...results.map((r) => `${r.frameId.padEnd(width)}  ${r.updatedAt.padEnd(24)}  ${moodLine(r)}`)].join("\n");
}

async function main(): Promise<number> {
    const args = parseMoodsArgs(process.argv.slice(2));
    const client = args.table === undefined
        ? new DynamoDBClient({ endpoint: `http://127.0.0.1:${DYNAMODB_PORT}`, region: "us-east-1", credentials: LOCAL_CREDENTIALS })
        : new DynamoDBClient({ region: args.region });
    let results: FrameResult[];
    try {
        results = await readFrameResults({ client }, args.table ?? RESULTS_TABLE);
    } catch (error) {
        if (args.table === undefined && /ECONNREFUSED/.test(String((error as Error).message) + String((error as any).cause?.code ?? (error as any).code))) {
            console.error(`No local emotion stage on port ${DYNAMODB_PORT}: start it with \`npm start\` (or set LOCAL_DYNAMODB_PORT), or read a deployed table with --table.`);
            return 1;
        }
        throw error;
    }
    if (args.frame !== undefined) {
        results = results.filter((r) => r.frameId === args.frame);
    }
    console.log(args.json ? JSON.stringify(results, null, 2) : formatMoods(results));
    return 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code), (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
