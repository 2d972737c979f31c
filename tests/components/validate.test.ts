import * as assert from "assert";
import { FaceDetectionEndpointArgs } from "../../components/src/faceDetection/args";
import { validateArgs, validateImageUri } from "../../components/src/faceDetection/validate";
import { unsubscribedTopicWarning } from "../../components/src/faceDetection/subscriptions";

const DIGEST_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/x@sha256:" + "1".repeat(64);

/** Every bad argument and the exact message it must produce. */
const invalid: [string, FaceDetectionEndpointArgs, string][] = [
    ["instance type without ml.", { instanceType: "c5.large" }, '`instanceType` must look like ml.<family>.<size> (e.g. ml.c5.large), got "c5.large".'],
    ["instance type with too many parts", { instanceType: "ml.c5.large.x" }, '`instanceType` must look like ml.<family>.<size> (e.g. ml.c5.large), got "ml.c5.large.x".'],
    ["Graviton instance type", { instanceType: "ml.c6g.large" }, '`instanceType` "ml.c6g.large" is an Arm (Graviton) type; the detector image is built for linux/amd64.'],
    ["a log retention CloudWatch Logs doesn't take", { logRetentionDays: 31 },
        "`logRetentionDays` must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days), got 31."],
    ["zero instances", { initialInstanceCount: 0 }, "`initialInstanceCount` must be an integer from 1 to 100, got 0."],
    ["fractional instances", { initialInstanceCount: 1.5 }, "`initialInstanceCount` must be an integer from 1 to 100, got 1.5."],
    ["start-up timeout too short", { containerStartupTimeoutSeconds: 30 }, "`containerStartupTimeoutSeconds` must be an integer from 60 to 3600, got 30."],
    ["serverless memory too small", { serverless: true, serverlessMemorySizeMb: 512 }, "`serverlessMemorySizeMb` must be an integer from 1024 to 6144, got 512."],
    ["serverless memory off-step", { serverless: true, serverlessMemorySizeMb: 2000 }, "`serverlessMemorySizeMb` must be a multiple of 1024 from 1024 to 6144, got 2000."],
    ["serverless concurrency too high", { serverless: true, serverlessMaxConcurrency: 201 }, "`serverlessMaxConcurrency` must be an integer from 1 to 200, got 201."],
    ["min confidence above 1", { minConfidence: 1.5 }, "`minConfidence` must be a number from 0.05 to 1, got 1.5."],
    ["min confidence NaN", { minConfidence: NaN }, "`minConfidence` must be a number from 0.05 to 1, got NaN."],
    ["max faces zero", { maxFaces: 0 }, "`maxFaces` must be an integer from 1 to 1000, got 0."],
    ["min face size too small", { minFaceSize: 10 }, "`minFaceSize` must be an integer from 20 to 4096, got 10."],
    ["unknown crop output", { cropOutput: "sheet" }, '`cropOutput` must be one of "crops", "sheets", "both", got "sheet".'],
    ["crop margin negative", { cropMargin: -0.1 }, "`cropMargin` must be a number from 0 to 2, got -0.1."],
    ["crop size under Rekognition's minimum", { minCropSize: 64 }, "`minCropSize` must be an integer from 80 to 1024, got 64."],
    ["JPEG quality too low", { jpegQuality: 10 }, "`jpegQuality` must be an integer from 50 to 100, got 10."],
    ["workers zero", { workers: 0 }, "`workers` must be an integer from 1 to 64, got 0."],
    ["retention zero days", { cropRetentionDays: 0 }, "`cropRetentionDays` must be an integer from 1 to 3650, got 0."],
    ["image retention zero", { imageRetentionCount: 0 }, "`imageRetentionCount` must be an integer from 1 to 1000, got 0."],
    ["capture percentage zero", { dataCapture: true, dataCapturePercentage: 0 }, "`dataCapturePercentage` must be an integer from 1 to 100, got 0."],
    ["latency threshold too low", { latencyAlarmThresholdMs: 10 }, "`latencyAlarmThresholdMs` must be an integer from 100 to 60000, got 10."],
    ["prefix with leading slash", { cropsPrefix: "/crops/" }, "`cropsPrefix` must be empty or segments of letters, digits and !_.*'()- each ending in '/', with no leading '/', got \"/crops/\"."],
    ["prefix without trailing slash", { cropsPrefix: "crops" }, "`cropsPrefix` must be empty or segments of letters, digits and !_.*'()- each ending in '/', with no leading '/', got \"crops\"."],
    ["endpoint name with underscore", { endpointName: "face_detector" }, '`endpointName` "face_detector" is not a valid SageMaker endpoint name: use 1-63 letters, digits and hyphens, starting and ending with a letter or digit.'],
    ["endpoint name too long", { endpointName: "a".repeat(64) }, `\`endpointName\` "${"a".repeat(64)}" is not a valid SageMaker endpoint name: use 1-63 letters, digits and hyphens, starting and ending with a letter or digit.`],
    ["prebuilt image outside ECR", { imageUri: "ghcr.io/acme/faces:1" },
        '`imageUri` must be an Amazon ECR image (<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>; a public image through an ECR pull-through cache rule), got "ghcr.io/acme/faces:1".'],
    ["prebuilt image by tag", { imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces:1" },
        '`imageUri` must name the image by digest (…@sha256:<64 hex digits>, as `docker buildx imagetools inspect` or `aws ecr describe-images` show it), not by tag, got "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces:1".'],
    ["alarm e-mail that is not an address", { createAlarmTopic: true, alarmEmails: ["oncall"] }, '`alarmEmails` must hold e-mail addresses, got "oncall".'],
    ["alarm endpoint over plain HTTP", { createAlarmTopic: true, alarmHttpsEndpoints: ["http://hooks.example.com"] }, '`alarmHttpsEndpoints` must hold https:// URLs, got "http://hooks.example.com".'],
    ["alarm e-mails without a topic", { alarmEmails: ["oncall@example.com"] }, "`alarmEmails` only applies with `alarmTopicArn` or `createAlarmTopic`; set `alarmTopicArn` or `createAlarmTopic` or remove `alarmEmails`."],
    // Mutually exclusive options name both.
    ["serverless with instance type", { serverless: true, instanceType: "ml.c5.large" }, "`serverless` and `instanceType` can't be used together: choose one."],
    ["serverless with instance count", { serverless: true, initialInstanceCount: 2 }, "`serverless` and `initialInstanceCount` can't be used together: choose one."],
    ["serverless with autoscaling", { serverless: true, autoscaling: true }, "`serverless` and `autoscaling` can't be used together: choose one."],
    ["serverless with volume key", { serverless: true, volumeKmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" }, "`serverless` and `volumeKmsKeyArn` can't be used together: choose one."],
    ["serverless with data capture", { serverless: true, dataCapture: true }, "`serverless` and `dataCapture` can't be used together: choose one."],
    ["existing bucket with retention", { bucketName: "b", cropRetentionDays: 7 }, "`bucketName` and `cropRetentionDays` can't be used together: choose one."],
    ["existing bucket with versioning", { bucketName: "b", bucketVersioning: true }, "`bucketName` and `bucketVersioning` can't be used together: choose one."],
    ["existing bucket with created key", { bucketName: "b", createKmsKey: true }, "`bucketName` and `createKmsKey` can't be used together: choose one."],
    ["existing bucket with EventBridge notifications", { bucketName: "b", eventBridgeNotifications: true }, "`bucketName` and `eventBridgeNotifications` can't be used together: choose one."],
    ["given and created key", { kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k", createKmsKey: true }, "`kmsKeyArn` and `createKmsKey` can't be used together: choose one."],
    ["prebuilt image with build context", { imageUri: DIGEST_IMAGE, buildContext: "." }, "`imageUri` and `buildContext` can't be used together: choose one."],
    ["prebuilt image with dockerfile", { imageUri: DIGEST_IMAGE, dockerfile: "Dockerfile" }, "`imageUri` and `dockerfile` can't be used together: choose one."],
    ["existing role with boundary", { roleArn: "arn:aws:iam::1:role/r", rolePermissionsBoundaryArn: "arn:aws:iam::1:policy/b" }, "`roleArn` and `rolePermissionsBoundaryArn` can't be used together: choose one."],
    ["topic given and created", { alarmTopicArn: "arn:aws:sns:us-east-1:1:t", createAlarmTopic: true }, "`alarmTopicArn` and `createAlarmTopic` can't be used together: choose one."],
    // Options that only make sense with another.
    ["serverless memory without serverless", { serverlessMemorySizeMb: 2048 }, "`serverlessMemorySizeMb` only applies with `serverless`; set `serverless` or remove `serverlessMemorySizeMb`."],
    ["scaling bounds without autoscaling", { maxInstanceCount: 4 }, "`maxInstanceCount` only applies with `autoscaling`; set `autoscaling` or remove `maxInstanceCount`."],
    ["capture percentage without capture", { dataCapturePercentage: 5 }, "`dataCapturePercentage` only applies with `dataCapture`; set `dataCapture` or remove `dataCapturePercentage`."],
    ["alarm topic with alarms off", { alarms: false, createAlarmTopic: true }, "`createAlarmTopic` only applies with `alarms`; set `alarms` or remove `createAlarmTopic`."],
    ["bake time on serverless without blue/green", { serverless: true, blueGreenBakeSeconds: 60 }, "`blueGreenBakeSeconds` only applies with `blueGreenDeployment`; set `blueGreenDeployment` or remove `blueGreenBakeSeconds`."],
    ["build on preview with a prebuilt image", { imageUri: DIGEST_IMAGE, buildImageOnPreview: true }, "`imageUri` and `buildImageOnPreview` can't be used together: choose one."],
    ["bake time without blue/green", { blueGreenDeployment: false, blueGreenBakeSeconds: 60 }, "`blueGreenBakeSeconds` only applies with `blueGreenDeployment`; set `blueGreenDeployment` or remove `blueGreenBakeSeconds`."],
    // Scaling bounds must be consistent.
    ["min over max", { autoscaling: true, minInstanceCount: 5, maxInstanceCount: 3, initialInstanceCount: 5 }, "`minInstanceCount` (5) must not exceed `maxInstanceCount` (3)."],
    ["initial outside bounds", { autoscaling: true, initialInstanceCount: 1, minInstanceCount: 2, maxInstanceCount: 4 }, "`initialInstanceCount` (1) must lie between `minInstanceCount` (2) and `maxInstanceCount` (4)."],
];

const valid: [string, FaceDetectionEndpointArgs][] = [
    ["no arguments", {}],
    ["serverless at the limits", { serverless: true, serverlessMemorySizeMb: 6144, serverlessMaxConcurrency: 200 }],
    ["GPU instance type", { instanceType: "ml.g4dn.xlarge" }],
    ["autoscaling with defaults", { autoscaling: true }],
    ["empty crops prefix", { cropsPrefix: "" }],
    ["nested crops prefix", { cropsPrefix: "env/dev/crops/" }],
    ["63-character endpoint name", { endpointName: "a".repeat(63) }],
    ["prebuilt image by digest", { imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces@sha256:" + "0".repeat(64) }],
    ["alarms off, explicitly no topic", { alarms: false, createAlarmTopic: false }],
    // The alarms exist with `alarms` off (they guard updates), so their thresholds still apply.
    ["alarm threshold with alarms off", { alarms: false, errorAlarmThreshold: 5 }],
    ["serverless with a baked blue/green update", { serverless: true, blueGreenDeployment: true, blueGreenBakeSeconds: 60 }],
];

describe("validateArgs", () => {
    for (const [title, args, message] of invalid) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateArgs("faces", args), { message });
        });
    }
    for (const [title, args] of valid) {
        it(`accepts ${title}`, () => {
            assert.doesNotThrow(() => validateArgs("faces", args));
        });
    }
    it("rejects a component name that can't be an endpoint name when none is given", () => {
        assert.throws(() => validateArgs("faces_prod", {}), {
            message: 'The component name (the default `endpointName`) "faces_prod" is not a valid SageMaker endpoint name: use 1-63 letters, digits and hyphens, starting and ending with a letter or digit.',
        });
        assert.doesNotThrow(() => validateArgs("faces_prod", { endpointName: "faces-prod" }));
    });
    it("names every bad argument at once", () => {
        assert.throws(() => validateArgs("faces", { minConfidence: 1.5, maxFaces: 5000, jpegQuality: 10 }), {
            message: "3 arguments are wrong:\n"
                + "- `minConfidence` must be a number from 0.05 to 1, got 1.5.\n"
                + "- `maxFaces` must be an integer from 1 to 1000, got 5000.\n"
                + "- `jpegQuality` must be an integer from 50 to 100, got 10.",
        });
    });
});

describe("an alarm topic nobody reads", () => {
    it("is warned about, with how to subscribe, only where the component creates the topic and nobody subscribes", () => {
        const none = { emails: [], httpsEndpoints: [] };
        assert.match(unsubscribedTopicWarning(true, none)!, /^The alarm topic has no subscribers, so the alarms reach nobody: set `alarmEmails`/);
        assert.strictEqual(unsubscribedTopicWarning(true, { ...none, emails: ["oncall@example.com"] }), undefined);
        assert.strictEqual(unsubscribedTopicWarning(true, { ...none, httpsEndpoints: ["https://pager.example.com/hook"] }), undefined);
        assert.strictEqual(unsubscribedTopicWarning(false, none), undefined);
    });
});

describe("a prebuilt image, once the stack's region is known", () => {
    it("must be in that region: SageMaker pulls from its own", () => {
        assert.doesNotThrow(() => validateImageUri(DIGEST_IMAGE, "us-east-1"));
        assert.throws(() => validateImageUri(DIGEST_IMAGE, "eu-west-1"), {
            message: `\`imageUri\` is in us-east-1, but the endpoint is deployed to eu-west-1: SageMaker pulls images from its own region; replicate the repository there (ECR replication) or push the image to eu-west-1, got "${DIGEST_IMAGE}".`,
        });
    });

    it("may come through an ECR pull-through cache (a repository of the account under the rule's prefix)", () => {
        assert.doesNotThrow(() => validateImageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/acme/faces@sha256:" + "2".repeat(64), "us-east-1"));
    });
});
