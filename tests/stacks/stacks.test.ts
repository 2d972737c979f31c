import * as assert from "assert";
import { listStacks, readStackConfig, runProgram, runStack, StackRun } from "../../tools/stack";

const find = (run: StackRun, type: string) => run.resources.filter((r) => r.type === type);
const one = (run: StackRun, type: string) => {
    const found = find(run, type);
    assert.strictEqual(found.length, 1, `one ${type}`);
    return found[0].inputs;
};

/** What every stack must have, whatever its environment. */
function assertCommon(run: StackRun): void {
    assert.strictEqual(run.outputs.region, "us-east-1");
    for (const output of ["endpointName", "bucketName", "roleArn", "imageUri", "region", "endpointArn"]) {
        assert.ok(run.outputs[output], `${run.stack} exports ${output}`);
    }
    assert.strictEqual(run.outputs.endpointName, `face-detection-${run.stack}`);
    assert.match(String(run.outputs.imageUri), /@sha256:/);
    const endpoint = one(run, "aws:sagemaker/endpoint:Endpoint");
    assert.strictEqual(endpoint.tags.environment, run.stack);
    assert.ok(find(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").length === 1);
    assert.ok(find(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").length === 1);
}

describe("stacks", function () {
    this.timeout(60_000);
    let prodRun: StackRun | undefined;

    it("finds the stack files", () => {
        assert.deepStrictEqual(listStacks().filter((s) => ["dev", "prod"].includes(s)), ["dev", "prod"]);
    });

    // Every stack file, including ones added later, must load and deploy the essentials.
    for (const stack of listStacks()) {
        it(`${stack}: the program runs with Pulumi.${stack}.yaml and exports the endpoint`, async () => {
            assertCommon(await runStack(stack));
        });
    }

    it("dev: cheap and disposable", async () => {
        const run = await runStack("dev");
        const variant = one(run, "aws:sagemaker/endpointConfiguration:EndpointConfiguration").productionVariants[0];
        assert.deepStrictEqual(variant.serverlessConfig, { memorySizeInMb: 3072, maxConcurrency: 2 });
        assert.strictEqual(one(run, "aws:s3/bucket:Bucket").forceDestroy, true);
        assert.strictEqual(one(run, "aws:ecr/repository:Repository").forceDelete, true);
        assert.deepStrictEqual(one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules[0].expiration, { days: 3 });
        assert.strictEqual(find(run, "aws:appautoscaling/target:Target").length, 0);
    });

    it("prod: production-shaped", async () => {
        const run = await runStack("prod");
        const variant = one(run, "aws:sagemaker/endpointConfiguration:EndpointConfiguration").productionVariants[0];
        assert.ok(variant.initialInstanceCount >= 2);
        const target = one(run, "aws:appautoscaling/target:Target");
        assert.ok(target.minCapacity >= 2 && target.maxCapacity > target.minCapacity);
        const endpoint = one(run, "aws:sagemaker/endpoint:Endpoint");
        assert.strictEqual(endpoint.deploymentConfig.autoRollbackConfiguration.alarms.length, 2);
        const alarms = find(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => alarm.name);
        assert.deepStrictEqual(alarms.filter((alarm) => !alarm.includes("-emotions-")), ["face-detection-prod-5xx-errors", "face-detection-prod-model-latency"]);
        assert.ok(run.outputs.alarmTopicArn);
        const encryption = one(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        assert.strictEqual(encryption.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.deepStrictEqual(one(run, "aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, { status: "Enabled" });
        assert.strictEqual(one(run, "aws:s3/bucket:Bucket").forceDestroy, false);
        assert.ok(one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules[0].expiration.days >= 30);
    });

    it("prod: the endpoint and the emotion function in VPCs of their own, without NAT; dev in none", async () => {
        const run = await runStack("prod");
        assert.deepStrictEqual(find(run, "awsx:ec2:Vpc").map((vpc) => [vpc.inputs.natGateways, vpc.inputs.numberOfAvailabilityZones]), [[{ strategy: "None" }, 2], [{ strategy: "None" }, 2]]);
        assert.deepStrictEqual(one(run, "aws:sagemaker/model:Model").vpcConfig.subnets.length, 2);
        assert.deepStrictEqual(one(run, "aws:lambda/function:Function").vpcConfig.subnetIds.length, 2);
        assert.deepStrictEqual(find(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface").map((e) => e.inputs.serviceName),
            ["com.amazonaws.us-east-1.rekognition"]);
        const dev = await runStack("dev");
        assert.deepStrictEqual([find(dev, "awsx:ec2:Vpc").length, one(dev, "aws:sagemaker/model:Model").vpcConfig], [0, undefined]);
        // An existing VPC's subnets and groups, from the stack file.
        const existing = await runProgram("prod", { ...readStackConfig("prod"), "face-detection:vpc": JSON.stringify({ subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] }) });
        assert.deepStrictEqual([find(existing, "awsx:ec2:Vpc").length, one(existing, "aws:lambda/function:Function").vpcConfig],
            [0, { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] }]);
    });

    it("prod: the emotion stage reads the detector's sheets from EventBridge, results kept 90 days", async () => {
        const run = await runStack("prod");
        assert.strictEqual(one(run, "aws:s3/bucketNotification:BucketNotification").eventbridge, true);
        const stage = run.resources.find((r) => r.type === "face-detection:index:CrowdEmotions")!;
        assert.strictEqual(stage.name, "face-detection-prod-emotions");
        const fn = one(run, "aws:lambda/function:Function");
        assert.strictEqual(fn.environment.variables.RETENTION_DAYS, "90");
        assert.strictEqual(fn.tags.environment, "prod");
        // The stage's alarms notify the detector's alarm topic.
        const stageAlarms = find(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => alarm.name.includes("-emotions-"));
        assert.deepStrictEqual(stageAlarms.map((alarm) => alarm.inputs.alarmActions), stageAlarms.map(() => [run.outputs.alarmTopicArn]));
        assert.ok(run.outputs.emotionsTableName && run.outputs.emotionsDashboardName);
    });

    it("dev: no emotion stage unless the stack file asks for one", async () => {
        const run = await runStack("dev");
        assert.strictEqual(find(run, "aws:lambda/function:Function").length, 0);
        assert.strictEqual(find(run, "aws:s3/bucketNotification:BucketNotification").length, 0);
        const withStage = await runProgram("dev", { ...readStackConfig("dev"), "face-detection:emotions": "true" });
        assert.strictEqual(find(withStage, "aws:lambda/function:Function").length, 1);
    });

    it("dev with the emotion stage: a role IAM takes (no KMS statement, nothing undefined), and `pulumi destroy` deletes the table", async () => {
        const run = await runProgram("dev", { ...readStackConfig("dev"), "face-detection:emotions": "true" });
        const stageRole = find(run, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "face-detection-dev-emotions-role-policy")!;
        const statements: { Sid: string; Resource: unknown }[] = stageRole.inputs.policy.Statement;
        assert.ok(!statements.some((s) => s.Sid === "DecryptSheets"), "dev's crops have no KMS key");
        for (const role of find(run, "aws:iam/rolePolicy:RolePolicy")) {
            assert.ok(!JSON.stringify(role.inputs.policy).includes("undefined"), `${role.name}: ${JSON.stringify(role.inputs.policy)}`);
        }
        // Dev's file promises everything deleted by `pulumi destroy`: the results table too.
        assert.strictEqual(one(run, "aws:dynamodb/table:Table").deletionProtectionEnabled, false);
        assert.strictEqual(one(prodRun ??= await runStack("prod"), "aws:dynamodb/table:Table").deletionProtectionEnabled, true);
    });

    it("prod: reads each camera every 10 s, gathers sheets for 20 s; a watched camera's silence alarms; the stage's keys need the stage", async () => {
        const prod = prodRun ??= await runStack("prod");
        assert.strictEqual(one(prod, "aws:lambda/function:Function").environment.variables.READ_INTERVAL_SECONDS, "10");
        assert.strictEqual(one(prod, "aws:lambda/eventSourceMapping:EventSourceMapping").maximumBatchingWindowInSeconds, 20);
        const watched = await runProgram("prod", { ...readStackConfig("prod"), "face-detection:emotionsWatchedStreams": '["lobby-1"]' });
        assert.deepStrictEqual(find(watched, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.includes("-silent-")).map((a) => a.name),
            ["face-detection-prod-emotions-silent-lobby-1"]);
        await assert.rejects(() => runProgram("dev", { ...readStackConfig("dev"), "face-detection:emotionsReadIntervalSeconds": "30" }), {
            message: "Pulumi.dev.yaml: face-detection:emotionsReadIntervalSeconds only applies with face-detection:emotions; set face-detection:emotions or remove face-detection:emotionsReadIntervalSeconds.",
        });
        await assert.rejects(() => runProgram("prod", { ...readStackConfig("prod"), "face-detection:emotionsReadIntervalSeconds": "7200" }), {
            message: "Pulumi.prod.yaml: face-detection:emotionsReadIntervalSeconds must be an integer from 0 to 3600, got 7200.",
        });
    });

    it("every log group has a retention: 30 days in dev, a year in prod; the function logs JSON", async () => {
        const dev = await runProgram("dev", { ...readStackConfig("dev"), "face-detection:emotions": "true" });
        const prod = prodRun ??= await runStack("prod");
        for (const [run, days] of [[dev, 30], [prod, 365]] as const) {
            const groups = find(run, "aws:cloudwatch/logGroup:LogGroup").map((r) => [r.inputs.name, r.inputs.retentionInDays]);
            assert.deepStrictEqual(groups.sort(), [
                [`/aws/sagemaker/Endpoints/face-detection-${run.stack}`, days],
                [`/crowd-emotions/face-detection-${run.stack}-emotions`, days],
            ]);
            assert.strictEqual(one(run, "aws:lambda/function:Function").loggingConfig.logFormat, "JSON");
        }
    });

    it("prod: alarm e-mails from the stack file subscribe to the alarm topic", async () => {
        const config = { ...readStackConfig("prod"), "face-detection:alarmEmails": '["oncall@example.com","vision@example.com"]' };
        const run = await runProgram("prod", config);
        const subscriptions = find(run, "aws:sns/topicSubscription:TopicSubscription").map((r) => r.inputs);
        assert.deepStrictEqual(subscriptions.map((s) => [s.protocol, s.endpoint]), [["email", "oncall@example.com"], ["email", "vision@example.com"]]);
        assert.ok(subscriptions.every((s) => s.topic === run.outputs.alarmTopicArn));
    });

    describe("a bad stack file fails with the key, the value and the file", () => {
        const dev = () => readStackConfig("dev");
        const cases: [string, () => Record<string, string>, string][] = [
            ["unknown key, with the key it most likely meant", () => ({ ...dev(), "face-detection:minConfidance": "0.5" }),
                "Unknown config key face-detection:minConfidance in Pulumi.dev.yaml; did you mean face-detection:minConfidence?"],
            ["unknown key like none", () => ({ ...dev(), "face-detection:colour": "blue" }),
                "Unknown config key face-detection:colour in Pulumi.dev.yaml; the known keys are listed in docs/components.md (e.g. face-detection:instanceType)."],
            ["every bad key and value at once", () => ({ ...dev(), "face-detection:serverless": "yes", "face-detection:maxFace": "10" }),
                'face-detection:serverless in Pulumi.dev.yaml must be true or false, got "yes".\n'
                + "Unknown config key face-detection:maxFace in Pulumi.dev.yaml; did you mean face-detection:maxFaces?"],
            ["every bad argument at once", () => ({ ...dev(), "face-detection:minConfidence": "1.5", "face-detection:jpegQuality": "10" }),
                "Pulumi.dev.yaml: 2 arguments are wrong:\n- face-detection:minConfidence must be a number from 0.05 to 1, got 1.5.\n"
                + "- face-detection:jpegQuality must be an integer from 50 to 100, got 10."],
            ["missing region", () => { const c = dev(); delete c["aws:region"]; return c; },
                "aws:region is not set in Pulumi.dev.yaml: run `pulumi config set aws:region us-east-1`."],
            ["wrong type", () => ({ ...dev(), "face-detection:serverless": "yes" }),
                'face-detection:serverless in Pulumi.dev.yaml must be true or false, got "yes".'],
            ["not a number", () => ({ ...dev(), "face-detection:minConfidence": "high" }),
                'face-detection:minConfidence in Pulumi.dev.yaml must be a number, got "high".'],
            ["out of range", () => ({ ...dev(), "face-detection:minConfidence": "1.5" }),
                "Pulumi.dev.yaml: face-detection:minConfidence must be a number from 0.05 to 1, got 1.5."],
            ["exclusive options", () => ({ ...dev(), "face-detection:instanceType": "ml.c5.large" }),
                "Pulumi.dev.yaml: face-detection:serverless and face-detection:instanceType can't be used together: choose one."],
            ["tags not a map", () => ({ ...dev(), "face-detection:tags": "[1]" }),
                'face-detection:tags in Pulumi.dev.yaml must be a map of strings, got "[1]".'],
            ["alarm e-mails not a list", () => ({ ...dev(), "face-detection:alarmEmails": "oncall@example.com" }),
                'face-detection:alarmEmails in Pulumi.dev.yaml must be a list of strings, got "oncall@example.com".'],
            ["vpc neither create, off nor ids", () => ({ ...dev(), "face-detection:vpc": "yes" }),
                'face-detection:vpc in Pulumi.dev.yaml must be "create", "off", or {"subnetIds": [...], "securityGroupIds": [...]}, got "yes".'],
            ["vpc with serverless, which SageMaker runs in no VPC", () => ({ ...dev(), "face-detection:vpc": "create" }),
                "Pulumi.dev.yaml: face-detection:serverless and face-detection:vpc can't be used together: choose one."],
        ];
        for (const [title, config, message] of cases) {
            it(title, async () => {
                await assert.rejects(() => runProgram("dev", config()), { name: "StackConfigError", message });
            });
        }
    });
});
