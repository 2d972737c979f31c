import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allResources, findResource, resetRecorded, resourcesOfType, settled, valueOf } from "../../tools/mocks";
import { build, PREBUILT_IMAGE } from "./helpers";
import { CrowdEmotions, CrowdEmotionsArgs, FaceDetectionEndpoint } from "../../components/src";
import { handlerCode, HANDLER_BUNDLE } from "../../components/src/crowdEmotions/emotionFunction";
import { validateEmotionArgs } from "../../components/src/crowdEmotions/settings";

const T = {
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    table: "aws:dynamodb/table:Table",
    fn: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    notification: "aws:s3/bucketNotification:BucketNotification",
};

/** A detector with EventBridge notifications and the emotion stage beside it. */
async function pipeline(stage: Parameters<typeof CrowdEmotions.forDetector>[2] = {}, detector: Record<string, unknown> = {}) {
    resetRecorded();
    const endpoint = new FaceDetectionEndpoint("faces", { imageUri: PREBUILT_IMAGE, eventBridgeNotifications: true, ...detector });
    const emotions = CrowdEmotions.forDetector("mood", endpoint, stage);
    await settled();
    return { endpoint, emotions };
}

describe("CrowdEmotions", () => {
    it("turns the detector's bucket's EventBridge notifications on, when asked, and only then", async () => {
        await pipeline();
        assert.deepStrictEqual(findResource(T.notification, "faces-crops-events").inputs, { bucket: "faces-crops-id", eventbridge: true });
        await build();
        assert.strictEqual(resourcesOfType(T.notification).length, 0);
    });

    it("routes new sheet manifests under the detector's prefix through EventBridge into an encrypted queue", async () => {
        await pipeline();
        const pattern = JSON.parse(findResource(T.rule, "mood-new-sheets").inputs.eventPattern);
        assert.deepStrictEqual(pattern, {
            "source": ["aws.s3"],
            "detail-type": ["Object Created", "Object Deleted"],
            // Deletes by the detector withdraw a frame's results; the lifecycle's keep them.
            "detail": {
                bucket: { name: ["faces-crops-a1b2c3d"] }, reason: [{ "anything-but": ["Lifecycle Expiration"] }], object: { key: [{ wildcard: "crops/*sheet-*.json" }] },
            },
        });
        const sheets = findResource(T.queue, "mood-sheets").inputs;
        assert.strictEqual(sheets.sqsManagedSseEnabled, true);
        // Six times the function's timeout, plus the batching window the messages wait in.
        assert.strictEqual(sheets.visibilityTimeoutSeconds, 380);
        assert.deepStrictEqual(JSON.parse(sheets.redrivePolicy), { deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:mood-dead-letters-a1b2c3d", maxReceiveCount: 5 });
        assert.strictEqual(findResource(T.queue, "mood-dead-letters").inputs.sqsManagedSseEnabled, true);
        assert.strictEqual(findResource(T.target, "mood-new-sheets-to-queue").inputs.arn, "arn:aws:sqs:us-east-1:123456789012:mood-sheets-a1b2c3d");
        // Only this rule may send to the queue.
        const statement = JSON.parse(findResource(T.queuePolicy, "mood-sheets-policy").inputs.policy).Statement[0];
        assert.deepStrictEqual([statement.Principal, statement.Action, statement.Condition], [
            { Service: "events.amazonaws.com" }, "sqs:SendMessage", { ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/mood-new-sheets-a1b2c3d" } },
        ]);
    });

    it("reads face crops instead where the detector stores crops only, and sheets wherever it stores them", async () => {
        const wildcard = () => JSON.parse(findResource(T.rule, "mood-new-sheets").inputs.eventPattern).detail.object.key[0].wildcard;
        await pipeline({}, { cropOutput: "crops" });
        assert.strictEqual(wildcard(), "crops/*face-*.jpg");
        await pipeline({}, { cropOutput: "both" });
        assert.strictEqual(wildcard(), "crops/*sheet-*.json");
    });

    it("keeps each stream's series by stream and time in an on-demand, KMS-encrypted table with recovery and expiry", async () => {
        await pipeline({ retentionDays: 90 });
        assert.deepStrictEqual(findResource(T.table, "mood-results").inputs, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "stream",
            rangeKey: "at",
            attributes: [{ name: "stream", type: "S" }, { name: "at", type: "S" }],
            serverSideEncryption: { enabled: true },
            pointInTimeRecovery: { enabled: true },
            ttl: { attributeName: "expiresAt", enabled: true },
            deletionProtectionEnabled: true,
            tags: { "app": "face-detection", "component": "mood", "managed-by": "pulumi" },
        });
        assert.strictEqual(findResource(T.fn, "mood-function").inputs.environment.variables.RETENTION_DAYS, "90");
    });

    it("runs the bundled handler on Node.js 22, arm64, fed by the queue with per-message failures", async () => {
        await pipeline();
        const fn = findResource(T.fn, "mood-function").inputs;
        assert.deepStrictEqual([fn.runtime, fn.architectures, fn.handler, fn.memorySize, fn.timeout], ["nodejs22.x", ["arm64"], "index.handler", 512, 60]);
        assert.deepStrictEqual(fn.environment.variables, {
            RESULTS_TABLE: "mood-results-a1b2c3d", RETENTION_DAYS: "30", PIPELINE_NAME: "mood", METRICS_NAMESPACE: "CrowdEmotions", READ_INTERVAL_SECONDS: "10",
        });
        assert.deepStrictEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: "/crowd-emotions/mood" });
        const mapping = findResource(T.mapping, "mood-sheets-source").inputs;
        // Gathered for 20 s, up to 100 sheets, so that frames share Rekognition images.
        assert.deepStrictEqual([mapping.batchSize, mapping.maximumBatchingWindowInSeconds, mapping.functionResponseTypes, mapping.scalingConfig],
            [100, 20, ["ReportBatchItemFailures"], { maximumConcurrency: 10 }]);
    });

    it("reads a stream once per readIntervalSeconds, and without a window hands sheets over at once in tens", async () => {
        await pipeline({ readIntervalSeconds: 60, packWindowSeconds: 0 });
        assert.strictEqual(findResource(T.fn, "mood-function").inputs.environment.variables.READ_INTERVAL_SECONDS, "60");
        const mapping = findResource(T.mapping, "mood-sheets-source").inputs;
        assert.deepStrictEqual([mapping.batchSize, mapping.maximumBatchingWindowInSeconds], [10, 0]);
    });

    it("alarms when a watched stream goes silent, one alarm per stream", async () => {
        await pipeline({ watchedStreams: ["lobby-1", "door", "lobby-1"] });
        const silent = resourcesOfType(T.alarm).filter((alarm) => alarm.name.startsWith("mood-silent-"));
        assert.deepStrictEqual(silent.map((a) => [a.name, a.inputs.metricName, a.inputs.dimensions, a.inputs.treatMissingData, a.inputs.comparisonOperator]), [
            ["mood-silent-lobby-1", "CrowdSize", { Pipeline: "mood", Stream: "lobby-1" }, "breaching", "LessThanThreshold"],
            ["mood-silent-door", "CrowdSize", { Pipeline: "mood", Stream: "door" }, "breaching", "LessThanThreshold"],
        ]);
    });

    it("gives the function least privilege: the sheets' prefix, its table, its queue, its logs, and DetectFaces", async () => {
        await pipeline({}, { createKmsKey: true });
        const role = findResource(T.role, "mood-role").inputs;
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, { Service: "lambda.amazonaws.com" });
        const statements = findResource(T.rolePolicy, "mood-role-policy").inputs.policy.Statement;
        assert.deepStrictEqual(statements.map((s: { Sid: string; Action: string[]; Resource: string }) => [s.Sid, s.Action, s.Resource]), [
            ["ReadSheets", ["s3:GetObject"], "arn:aws:s3:::faces-crops-a1b2c3d/crops/*"],
            ["TellMissingSheets", ["s3:ListBucket"], "arn:aws:s3:::faces-crops-a1b2c3d"],
            ["DecryptSheets", ["kms:Decrypt"], "arn:aws:kms:us-east-1:123456789012:key/faces-key-a1b2c3d"],
            ["ReadEmotions", ["rekognition:DetectFaces"], "*"],
            ["RecordFrames", ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"], "arn:aws:dynamodb:us-east-1:123456789012:table/mood-results-a1b2c3d"],
            ["TakeSheetEvents", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], "arn:aws:sqs:us-east-1:123456789012:mood-sheets-a1b2c3d"],
            ["WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:us-east-1:123456789012:log-group:/crowd-emotions/mood:*"],
        ]);
        // Listing only under the prefix: S3 evaluates a missing key's GetObject with the key as `s3:prefix`.
        assert.deepStrictEqual(statements[1].Condition, { StringLike: { "s3:prefix": "crops/*" } });
        assert.deepStrictEqual(statements[2].Condition, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    });

    it("leaves the KMS statement out where the detector's crops have no key, already at the first preview", async () => {
        await pipeline();
        const statements: { Sid: string }[] = findResource(T.rolePolicy, "mood-role-policy").inputs.policy.Statement;
        assert.deepStrictEqual(statements.map((s) => s.Sid), ["ReadSheets", "TellMissingSheets", "ReadEmotions", "RecordFrames", "TakeSheetEvents", "WriteLogs"]);
        assert.ok(!JSON.stringify(statements).includes("undefined"));
    });

    it("alarms on errors, throttles, undelivered events, Rekognition throttling, parked sheets and a backlog, to the detector's topic, and shows the crowd mood", async () => {
        await pipeline({}, { createAlarmTopic: true });
        const alarms = resourcesOfType(T.alarm).filter((alarm) => alarm.name.startsWith("mood-"));
        assert.deepStrictEqual(alarms.map((a) => [a.name, a.inputs.metricName, a.inputs.threshold]).sort(), [
            ["mood-backlog", "ApproximateAgeOfOldestMessage", 900], ["mood-dead-letters", "ApproximateNumberOfMessagesVisible", 1], ["mood-errors", "Errors", 1],
            ["mood-refused", "RefusedSheets", 1], ["mood-rekognition-throttled", "ThrottledCount", 1], ["mood-throttles", "Throttles", 1],
            ["mood-undelivered-events", "FailedInvocations", 1],
        ]);
        const dimensions = (alarm: string) => alarms.find((a) => a.name === alarm)!.inputs.dimensions;
        assert.deepStrictEqual(dimensions("mood-undelivered-events"), { RuleName: "mood-new-sheets-a1b2c3d" });
        assert.deepStrictEqual(dimensions("mood-rekognition-throttled"), { Operation: "DetectFaces" });
        assert.ok(alarms.every((a) => a.inputs.alarmActions[0] === "arn:aws:sns:us-east-1:123456789012:faces-alarms-a1b2c3d"));
        const dashboard = findResource(T.dashboard, "mood-dashboard").inputs;
        assert.strictEqual(dashboard.dashboardName, "mood-crowd-mood");
        const [happy, crowd, moods, calls] = JSON.parse(dashboard.dashboardBody).widgets;
        // Per stream, whichever streams appear.
        assert.strictEqual(happy.properties.metrics[0].expression, `SEARCH('{CrowdEmotions,Pipeline,Stream} MetricName="HappyShare" Pipeline="mood"', 'Average', 60)`);
        assert.match(happy.properties.title, /expressions, not inner states/);
        assert.match(crowd.properties.metrics[0].expression, /MetricName="CrowdSize"/);
        assert.deepStrictEqual(moods.properties.metrics.map((m: string[]) => m[1]),
            ["HappyShare", "SadShare", "AngryShare", "ConfusedShare", "DisgustedShare", "SurprisedShare", "CalmShare", "FearShare"]);
        assert.deepStrictEqual([calls.properties.metrics.map((m: string[]) => m[1]), calls.properties.period], [["RekognitionCalls", "FacesPerCall"], 3600]);
    });

    it("reads a bucket it does not own from a name and prefix, and changes nothing on it", async () => {
        resetRecorded();
        const emotions = new CrowdEmotions("mood", { bucketName: "team-crops", sheetsPrefix: "frames/", alarms: false, forceDestroy: true });
        await settled();
        assert.strictEqual(resourcesOfType(T.notification).length, 0);
        assert.strictEqual(resourcesOfType(T.alarm).length, 0);
        assert.match(JSON.parse(findResource(T.rule, "mood-new-sheets").inputs.eventPattern).detail.object.key[0].wildcard, /^frames\/\*sheet-\*\.json$/);
        assert.strictEqual(findResource(T.table, "mood-results").inputs.deletionProtectionEnabled, false);
        assert.strictEqual(await valueOf(emotions.tableName), "mood-results-a1b2c3d");
        assert.ok(allResources().every((r) => !r.type.startsWith("aws:s3/")));
    });

    describe("arguments", () => {
        const cases: [string, CrowdEmotionsArgs, string][] = [
            ["no source of sheets", {}, "2 arguments are wrong:\n- `bucketName` is required: where the face sheets are (CrowdEmotions.forDetector takes them from a FaceDetectionEndpoint).\n- `sheetsPrefix` is required: where the face sheets are (CrowdEmotions.forDetector takes them from a FaceDetectionEndpoint)."],
            ["a bucket without its prefix", { bucketName: "b" }, "`sheetsPrefix` is required: where the face sheets are (CrowdEmotions.forDetector takes them from a FaceDetectionEndpoint)."],
            ["a bad prefix", { bucketName: "b", sheetsPrefix: "/crops" }, "`sheetsPrefix` must be empty or segments of letters, digits and !_.*'()- each ending in '/', with no leading '/', got \"/crops\"."],
            ["ranges, all at once", { bucketName: "b", sheetsPrefix: "", retentionDays: 0, memorySizeMb: 128, maxConcurrency: 1 },
                "3 arguments are wrong:\n- `retentionDays` must be an integer from 1 to 3650, got 0.\n- `memorySizeMb` must be an integer from 256 to 10240, got 128.\n- `maxConcurrency` must be an integer from 2 to 1000, got 1."],
            ["a read interval over an hour, a window over 5 minutes, and a stream id with a slash",
                { bucketName: "b", sheetsPrefix: "", readIntervalSeconds: 3601, packWindowSeconds: 301, watchedStreams: ["lobby/1"] },
                "3 arguments are wrong:\n- `readIntervalSeconds` must be an integer from 0 to 3600, got 3601.\n- `packWindowSeconds` must be an integer from 0 to 300, got 301.\n"
                + "- `watchedStreams` must hold stream ids (1-64 letters, digits, '.', '_' or '-'), got \"lobby/1\"."],
            ["a log retention CloudWatch Logs doesn't take", { bucketName: "b", sheetsPrefix: "", logRetentionDays: 45 },
                "`logRetentionDays` must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days), got 45."],
            ["an unknown input", { bucketName: "b", sheetsPrefix: "", input: "frames" }, '`input` must be one of "sheets", "crops", got "frames".'],
            ["a topic with alarms off", { bucketName: "b", sheetsPrefix: "", alarms: false, alarmTopicArn: "arn:aws:sns:us-east-1:1:t" }, "`alarmTopicArn` only applies with `alarms`; set `alarms` or remove `alarmTopicArn`."],
        ];
        for (const [title, args, message] of cases) {
            it(`rejects ${title}`, () => assert.throws(() => validateEmotionArgs(args), { message }));
        }

        it("rejects a detector whose bucket sends no events to EventBridge, before registering anything", async () => {
            resetRecorded();
            const detector = new FaceDetectionEndpoint("faces", { imageUri: PREBUILT_IMAGE });
            await settled();
            const before = allResources().length;
            assert.throws(() => CrowdEmotions.forDetector("mood", detector),
                { message: "The detector's bucket must send its events to EventBridge: set `eventBridgeNotifications: true` on the FaceDetectionEndpoint." });
            await settled();
            assert.strictEqual(allResources().length, before);
        });
    });

    it("deploys the bundle, and says how to build it when it is missing", () => {
        assert.ok(fs.existsSync(HANDLER_BUNDLE), "npm run build bundled the handler");
        const missing = path.join(os.tmpdir(), "no-such-bundle", "index.js");
        assert.throws(() => handlerCode(missing), { message: `The emotion stage's handler is not built (${missing} is missing): run \`npm run build\` in the face-detection repository.` });
    });
});
