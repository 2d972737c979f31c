/**
 * A DynamoDB-compatible store on loopback (dynalite, in memory) with the emotion stage's results
 * table, for `npm start` and the tests: the real `@aws-sdk/client-dynamodb` reaches it through
 * `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { AddressInfo } from "net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RESULTS_KEY, RESULTS_SORT_KEY } from "@crowd-emotions/face-detection-contract";
import { LOCAL_CREDENTIALS } from "./embeddedS3";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, number>) => import("http").Server;

export interface LocalDynamo {
    readonly endpoint: string;
    readonly table: string;
    readonly client: DynamoDBClient;
    close(): Promise<void>;
}

export async function startLocalDynamo(options: { table: string; port?: number }): Promise<LocalDynamo> {
    // Tables become ACTIVE at once: a local store has nothing to provision.
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS });
    await client.send(new CreateTableCommand({
        TableName: options.table,
        KeySchema: [{ AttributeName: RESULTS_KEY, KeyType: "HASH" }, { AttributeName: RESULTS_SORT_KEY, KeyType: "RANGE" }],
        AttributeDefinitions: [{ AttributeName: RESULTS_KEY, AttributeType: "S" }, { AttributeName: RESULTS_SORT_KEY, AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
    }));
    return {
        endpoint, table: options.table, client,
        async close() {
            client.destroy();
            await new Promise((resolve) => server.close(resolve));
        },
    };
}
