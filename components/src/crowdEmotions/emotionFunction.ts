import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EMOTION_ENV } from "@crowd-emotions/face-detection-contract";
import { documentWithInputs } from "../shared/documentInputs";
import { Placement } from "../shared/network";
import { Tags } from "../shared/tags";
import { EmotionRoleScope, emotionRolePolicy, lambdaTrustPolicy } from "./policyDocument";
import { ResolvedEmotionArgs } from "./settings";

/**
 * The handler, bundled with its dependencies by `components/scripts/bundle-handler.mjs` (run by
 * `npm ci`, `npm run build` and `npm test`) and published in the package.
 */
export const HANDLER_BUNDLE = path.resolve(__dirname, "..", "..", "bin", "crowdEmotions", "handler", "index.js");

export interface EmotionFunctionArgs {
    readonly settings: ResolvedEmotionArgs;
    readonly scope: { readonly [K in keyof Omit<EmotionRoleScope, "logGroupArn">]: pulumi.Input<EmotionRoleScope[K]> };
    readonly queueArn: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
    readonly metricsNamespace: string;
    /** The VPC the function's network interfaces go in, if any. */
    readonly placement?: Placement;
    readonly tags: Tags;
}

export interface EmotionFunction {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
}

/** The function's code: the bundle, or an error that says how to make it. */
export function handlerCode(bundle = HANDLER_BUNDLE): pulumi.asset.AssetArchive {
    if (!fs.existsSync(bundle)) {
        throw new Error(`The emotion stage's handler is not built (${bundle} is missing): run \`npm run build\` in the face-detection repository.`);
    }
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(bundle) });
}

/**
 * The Lambda function (Node.js 22 on arm64: Graviton costs about a fifth less per GB-second, and
 * nothing in the handler is native), its role, its log group, and the SQS event source that feeds
 * it sheets, reporting failures per message so that only those are retried.
 */
export function createEmotionFunction(name: string, args: EmotionFunctionArgs, parent: pulumi.Resource): EmotionFunction {
    const { settings } = args;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
        name: `/crowd-emotions/${name}`,
        retentionInDays: settings.logRetentionDays,
        tags: args.tags,
    }, { parent });
    const role = new aws.iam.Role(`${name}-role`, {
        description: `Lambda execution role of the ${name} emotion stage`,
        assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()),
        tags: args.tags,
    }, { parent });
    const policy = new aws.iam.RolePolicy(`${name}-role-policy`, {
        role: role.id,
        // A structure, not a JSON string: see documentInputs.ts.
        policy: documentWithInputs((scope: EmotionRoleScope) => emotionRolePolicy(scope, { inVpc: args.placement !== undefined }),
            { ...args.scope, logGroupArn: logGroup.arn }, ["kmsKeyArn"]) as aws.types.input.iam.PolicyDocument,
    }, { parent });
    const fn = new aws.lambda.Function(`${name}-function`, {
        description: `Reads the emotions of the faces on new face sheets (${name})`,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        code: handlerCode(),
        role: role.arn,
        memorySize: settings.memorySizeMb,
        timeout: settings.timeoutSeconds,
        environment: {
            variables: {
                [EMOTION_ENV.resultsTable]: args.tableName,
                [EMOTION_ENV.retentionDays]: String(settings.retentionDays),
                [EMOTION_ENV.pipeline]: settings.pipelineName,
                [EMOTION_ENV.metricsNamespace]: args.metricsNamespace,
                [EMOTION_ENV.readIntervalSeconds]: String(settings.readIntervalSeconds),
            },
        },
        // JSON: the handler's lines are JSON, and Lambda's own (start, end, report) become JSON too,
        // so one query language reads them all. The handler writes its lines to stdout directly,
        // not through console.log, which Lambda would wrap in a JSON envelope of its own and so
        // hide the embedded-format metrics from CloudWatch ("versions 4.1.1+ … are required for use
        // with the Lambda JSON log format. Using previous versions … will lead to metric loss",
        // CloudWatch User Guide, embedded metric format client libraries).
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        // In a VPC, the function reaches S3 and DynamoDB through gateway endpoints and Rekognition
        // through an interface endpoint; SQS is polled by the event source, outside the function.
        vpcConfig: args.placement && { subnetIds: args.placement.subnetIds, securityGroupIds: args.placement.securityGroupIds },
        tags: args.tags,
    }, { parent, dependsOn: [policy] });
    new aws.lambda.EventSourceMapping(`${name}-sheets-source`, {
        eventSourceArn: args.queueArn,
        functionName: fn.arn,
        // Sheets gathered over the window share Rekognition images (packing.ts): up to 100 messages
        // of about 2 KB each, well within the 6 MB an invocation takes. Over 10 messages needs a
        // window of 1 s or more (Lambda Developer Guide, SQS event source: "If you set BatchSize to
        // a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1").
        batchSize: settings.packWindowSeconds > 0 ? 100 : 10,
        maximumBatchingWindowInSeconds: settings.packWindowSeconds,
        functionResponseTypes: ["ReportBatchItemFailures"],
        // Bounds the concurrent reads: Rekognition's DetectFaces quota is per account and region.
        scalingConfig: { maximumConcurrency: settings.maxConcurrency },
    }, { parent, dependsOn: [policy] });
    return { function: fn, role, logGroup };
}
