import * as assert from "assert";
import { ENV } from "@crowd-emotions/face-detection-contract";
import { allResources, findResource, resourcesOfType, valueOf } from "../../tools/mocks";
import { useEndpointUpdateApi } from "../../components/src/faceDetection/endpointUpdateApi";
import { EndpointUpdateApi } from "../../components/src/faceDetection/endpointUpdates";
import { LiveFleet } from "../../components/src/faceDetection/fleetSize";
import { build, PREBUILT_IMAGE } from "./helpers";
import { checkLiveServerlessSwitch, liveApiOf, liveFleetSize } from "../../components/src/faceDetection/endpoint";
import { resolveArgs } from "../../components/src/faceDetection/defaults";
import { checkBuildPlatform } from "../../components/src/faceDetection/image";

/** A deployed endpoint as the update API reads it; only the fleet is asked for under mocks. */
const liveEndpoint = (fleet: LiveFleet, account = "123456789012"): EndpointUpdateApi => ({
    callerAccount: async () => account,
    currentInstanceType: async () => ({ exists: true, instanceType: "ml.c5.large" }),
    isScalableTarget: async () => true,
    deregisterScalableTarget: async () => undefined,
    registerAutoscaling: async () => undefined,
    liveFleet: async () => fleet,
});

const T = {
    bucket: "aws:s3/bucket:Bucket",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    repository: "aws:ecr/repository:Repository",
    repositoryLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    image: "docker-build:index:Image",
    model: "aws:sagemaker/model:Model",
    config: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    endpoint: "aws:sagemaker/endpoint:Endpoint",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    key: "aws:kms/key:Key",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
};

describe("FaceDetectionEndpoint", () => {
    describe("with defaults", () => {
        it("registers under its type token with every child parented to it", async () => {
            await build();
            const component = findResource("face-detection:index:FaceDetectionEndpoint", "faces");
            assert.ok(component);
            const names = allResources().filter((r) => r.type !== "face-detection:index:FaceDetectionEndpoint").map((r) => r.name);
            for (const name of names) {
                assert.ok(name.startsWith("faces-"), `${name} derives from the component name`);
            }
        });

        it("creates a private, encrypted, TLS-only crops bucket with expiring crops", async () => {
            await build();
            const bucket = findResource(T.bucket, "faces-crops");
            assert.strictEqual(bucket.inputs.forceDestroy, false);
            assert.deepStrictEqual(findResource(T.publicAccess, "faces-crops-public-access").inputs, {
                bucket: "faces-crops-id",
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.deepStrictEqual(findResource(T.ownership, "faces-crops-ownership").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
            assert.deepStrictEqual(findResource(T.encryption, "faces-crops-encryption").inputs.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
            const policy = findResource(T.bucketPolicy, "faces-crops-tls-only").inputs.policy;
            assert.deepStrictEqual(policy.Statement, [{
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: ["arn:aws:s3:::faces-crops-a1b2c3d", "arn:aws:s3:::faces-crops-a1b2c3d/*"],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }]);
            const rules = findResource(T.lifecycle, "faces-crops-lifecycle").inputs.rules;
            assert.deepStrictEqual(rules.map((rule: any) => rule.id), ["expire-crops", "abort-incomplete-uploads"]);
            assert.deepStrictEqual(rules[0], { id: "expire-crops", status: "Enabled", filter: { prefix: "crops/" }, expiration: { days: 30 } });
            assert.deepStrictEqual(rules[1].abortIncompleteMultipartUpload, { daysAfterInitiation: 1 });
            assert.strictEqual(resourcesOfType(T.versioning).length, 0);
        });

        it("creates a role that only SageMaker may assume, with no managed policies", async () => {
            await build();
            const role = findResource(T.role, "faces-role");
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [{ Sid: "SageMakerAssumesRole", Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "sagemaker.amazonaws.com" } }],
            });
            assert.strictEqual(role.inputs.managedPolicyArns, undefined);
            assert.strictEqual(resourcesOfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
            assert.strictEqual(resourcesOfType(T.rolePolicy).length, 1);
        });

        it("builds the image for linux/amd64 into a scanned repository of immutable tags, but for its own source tags", async () => {
            await build();
            const repository = findResource(T.repository, "faces-images");
            // A retried push of the same sources (an `up` interrupted before its state was saved)
            // moves its src- tag; every other tag is immutable.
            assert.strictEqual(repository.inputs.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
            assert.deepStrictEqual(repository.inputs.imageTagMutabilityExclusionFilters, [{ filter: "src-*", filterType: "WILDCARD" }]);
            assert.deepStrictEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
            assert.strictEqual(repository.inputs.forceDelete, false);
            const lifecycle = JSON.parse(findResource(T.repositoryLifecycle, "faces-images-lifecycle").inputs.policy);
            assert.deepStrictEqual(lifecycle.rules[0].selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
            const image = findResource(T.image, "faces-image");
            assert.deepStrictEqual(image.inputs.platforms, ["linux/amd64"]);
            const [tag] = image.inputs.tags as string[];
            assert.match(tag, /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/faces-images-a1b2c3d:src-[0-9a-f]{64}$/);
            // The build gets the staged copy of the context, named by the same digest, relative to
            // the directory the program runs in (the tests run from the repository's root).
            const digest = tag.split(":src-").pop();
            assert.deepStrictEqual([image.inputs.context, image.inputs.dockerfile], [
                { location: `.face-detection/image-context/${digest}` },
                { location: `.face-detection/image-context/${digest}/container/Dockerfile` },
            ]);
            // Docker v2 schema 2 manifests, pushed by the one export; ECR credentials from the account.
            assert.deepStrictEqual(image.inputs.exports, [{ registry: { ociMediaTypes: false, push: true } }]);
            assert.strictEqual(image.inputs.push, false);
            assert.strictEqual(image.inputs.registries[0].address, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
            assert.strictEqual(image.inputs.registries[0].username, "AWS");
            // Not built on previews unless asked; never deleted from the registry by Pulumi.
            assert.strictEqual(image.inputs.buildOnPreview, false);
            assert.strictEqual(image.options?.retainOnDelete, true);
        });

        it("says before building that an arm64 Linux machine needs amd64 emulation, and lets every other host build", () => {
            assert.throws(() => checkBuildPlatform("arm64", "linux", () => false),
                /^Error: The detector image is built for linux\/amd64, and this linux\/arm64 machine has no amd64 emulation registered .*exec format error.*set `imageUri`/);
            assert.doesNotThrow(() => checkBuildPlatform("arm64", "linux", () => true));
            assert.doesNotThrow(() => checkBuildPlatform("arm64", "darwin", () => false));
            assert.doesNotThrow(() => checkBuildPlatform("x64", "linux", () => false));
        });

        it("builds on previews when buildImageOnPreview is set", async () => {
            await build({ buildImageOnPreview: true });
            assert.strictEqual(findResource(T.image, "faces-image").inputs.buildOnPreview, true);
        });

        it("points the model at the image by digest, with the detector settings and the region in its environment", async () => {
            const component = await build();
            const model = findResource(T.model, "faces-model");
            assert.strictEqual(model.inputs.primaryContainer.image, await valueOf(component.imageUri));
            assert.match(model.inputs.primaryContainer.image, /@sha256:[0-9a-f]{64}$/);
            assert.deepStrictEqual(model.inputs.primaryContainer.environment, {
                [ENV.cropsBucket]: "faces-crops-a1b2c3d",
                [ENV.cropsPrefix]: "crops/",
                [ENV.minConfidence]: "0.5",
                [ENV.maxFaces]: "100",
                [ENV.minFaceSize]: "40",
                [ENV.cropOutput]: "sheets",
                [ENV.cropMargin]: "0.4",
                [ENV.minCropSize]: "80",
                [ENV.jpegQuality]: "90",
                // The region the provider deploys to (the mocks answer getRegion with us-east-1).
                AWS_REGION: "us-east-1",
            });
            assert.strictEqual(model.inputs.executionRoleArn, `arn:aws:iam::123456789012:role/faces-role-a1b2c3d`);
            assert.strictEqual(model.inputs.name, undefined, "the model is auto-named");
        });

        it("serves one ml.c5.large instance from an auto-named configuration", async () => {
            await build();
            const config = findResource(T.config, "faces-config");
            assert.strictEqual(config.inputs.name, undefined);
            assert.deepStrictEqual(config.inputs.productionVariants, [{
                variantName: "AllTraffic",
                modelName: "faces-model-a1b2c3d",
                initialVariantWeight: 1,
                instanceType: "ml.c5.large",
                initialInstanceCount: 1,
                containerStartupHealthCheckTimeoutInSeconds: 600,
            }]);
            assert.strictEqual(config.inputs.dataCaptureConfig, undefined);
        });

        it("names the endpoint after the component and rolls blue/green back on its alarms", async () => {
            const component = await build();
            const endpoint = findResource(T.endpoint, "faces-endpoint");
            assert.strictEqual(endpoint.inputs.name, "faces");
            assert.strictEqual(endpoint.inputs.endpointConfigName, "faces-config-a1b2c3d");
            assert.deepStrictEqual(endpoint.inputs.deploymentConfig, {
                blueGreenUpdatePolicy: {
                    trafficRoutingConfiguration: { type: "ALL_AT_ONCE", waitIntervalInSeconds: 0 },
                    terminationWaitInSeconds: 600,
                },
                autoRollbackConfiguration: { alarms: [{ alarmName: "faces-5xx-errors-a1b2c3d" }, { alarmName: "faces-model-latency-a1b2c3d" }] },
            });
            assert.strictEqual(await valueOf(component.endpointName), "faces");
            assert.strictEqual(await valueOf(component.endpointConfigName), "faces-config-a1b2c3d");
        });

        it("keeps every endpoint configuration an update leaves behind, and hooks the endpoint's updates", async () => {
            useEndpointUpdateApi(() => liveEndpoint({ fingerprint: "another", initialInstanceCount: 1, currentInstanceCount: 1 }));
            await build({ autoscaling: true });
            useEndpointUpdateApi(undefined);
            assert.strictEqual(findResource(T.config, "faces-config").options?.retainOnDelete, true);
            assert.deepStrictEqual(findResource(T.endpoint, "faces-endpoint").options?.hooks, { beforeUpdate: [`${T.endpoint}_faces-endpoint_beforeUpdate_0`] });
            for (const scaling of [findResource(T.scalingTarget, "faces-scaling-target"), findResource(T.scalingPolicy, "faces-scaling-policy")]) {
                assert.strictEqual(scaling.options?.replacementTrigger, "ml.c5.large");
                assert.strictEqual(scaling.options?.deleteBeforeReplace, true);
            }
        });

        it("alarms on 5XX errors and p99 latency without notifications, and adds a dashboard", async () => {
            await build();
            const errors = findResource(T.alarm, "faces-5xx-errors").inputs;
            assert.strictEqual(errors.metricName, "Invocation5XXErrors");
            assert.strictEqual(errors.namespace, "AWS/SageMaker");
            assert.deepStrictEqual(errors.dimensions, { EndpointName: "faces", VariantName: "AllTraffic" });
            assert.strictEqual(errors.threshold, 1);
            assert.deepStrictEqual(errors.alarmActions, []);
            const latency = findResource(T.alarm, "faces-model-latency").inputs;
            assert.strictEqual(latency.extendedStatistic, "p99");
            assert.strictEqual(latency.threshold, 3_000_000);
            const dashboard = findResource(T.dashboard, "faces-dashboard").inputs;
            assert.strictEqual(dashboard.dashboardName, "faces-face-detection");
            const titles = JSON.parse(dashboard.dashboardBody).widgets.map((w: any) => w.properties.title);
            assert.deepStrictEqual(titles, ["Invocations", "Model latency (µs)", "Errors", "Instances"]);
            assert.strictEqual(resourcesOfType(T.scalingTarget).length, 0);
            assert.strictEqual(resourcesOfType(T.topic).length, 0);
        });

        it("tags every taggable child with the defaults", async () => {
            await build({ tags: { team: "vision", app: "crowd-emotions" } });
            // The image's `tags` are its registry tags, not AWS tags.
            const taggable = allResources().filter((r) => r.inputs.tags !== undefined && r.type !== T.image);
            assert.strictEqual(taggable.length, 9, "bucket, role, repository, model, configuration, endpoint, its log group and two alarms");
            for (const resource of taggable) {
                assert.deepStrictEqual(resource.inputs.tags, {
                    "app": "crowd-emotions",
                    "component": "faces",
                    "managed-by": "pulumi",
                    "team": "vision",
                }, `${resource.type} ${resource.name}`);
            }
            for (const type of [T.bucket, T.role, T.repository, T.model, T.config, T.endpoint, T.alarm]) {
                assert.ok(resourcesOfType(type).every((r) => r.inputs.tags), `${type} is tagged`);
            }
        });

        it("exposes the outputs consumers need", async () => {
            const component = await build();
            assert.deepStrictEqual(
                {
                    endpointName: await valueOf(component.endpointName),
                    endpointArn: await valueOf(component.endpointArn),
                    bucketName: await valueOf(component.bucketName),
                    bucketArn: await valueOf(component.bucketArn),
                    roleArn: await valueOf(component.roleArn),
                    modelName: await valueOf(component.modelName),
                    cropsPrefix: await valueOf(component.cropsPrefix),
                },
                {
                    endpointName: "faces",
                    endpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/faces",
                    bucketName: "faces-crops-a1b2c3d",
                    bucketArn: "arn:aws:s3:::faces-crops-a1b2c3d",
                    roleArn: "arn:aws:iam::123456789012:role/faces-role-a1b2c3d",
                    modelName: "faces-model-a1b2c3d",
                    cropsPrefix: "crops/",
                },
            );
            assert.match(await valueOf(component.imageUri), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/faces-images-a1b2c3d@sha256:/);
            assert.ok(component.bucket && component.role && component.repository && component.endpoint && component.model);
        });
    });

    describe("options", () => {
        it("serverless: a serverless variant, no instance settings, blue/green without a bake", async () => {
            await build({ serverless: true, serverlessMemorySizeMb: 4096, serverlessMaxConcurrency: 20 });
            assert.deepStrictEqual(findResource(T.config, "faces-config").inputs.productionVariants, [{
                variantName: "AllTraffic",
                modelName: "faces-model-a1b2c3d",
                initialVariantWeight: 1,
                serverlessConfig: { memorySizeInMb: 4096, maxConcurrency: 20 },
            }]);
            // The same deployment configuration as on instances, so switching never replaces the endpoint.
            assert.deepStrictEqual(findResource(T.endpoint, "faces-endpoint").inputs.deploymentConfig, {
                blueGreenUpdatePolicy: { trafficRoutingConfiguration: { type: "ALL_AT_ONCE", waitIntervalInSeconds: 0 }, terminationWaitInSeconds: 0 },
                autoRollbackConfiguration: { alarms: [{ alarmName: "faces-5xx-errors-a1b2c3d" }, { alarmName: "faces-model-latency-a1b2c3d" }] },
            });
            assert.strictEqual(resourcesOfType(T.scalingTarget).length, 0);
        });

        it("existing role: no role is created and the model uses the given one", async () => {
            const component = await build({ roleArn: "arn:aws:iam::123456789012:role/existing" });
            assert.strictEqual(resourcesOfType(T.role).length, 0);
            assert.strictEqual(resourcesOfType(T.rolePolicy).length, 0);
            assert.strictEqual(findResource(T.model, "faces-model").inputs.executionRoleArn, "arn:aws:iam::123456789012:role/existing");
            assert.strictEqual(component.role, undefined);
        });

        it("existing bucket: no bucket resources, crops and role scoped to the given bucket", async () => {
            const component = await build({ bucketName: "team-crops", cropsPrefix: "faces/" });
            assert.strictEqual(allResources().filter((r) => r.type.startsWith("aws:s3/")).length, 0);
            assert.strictEqual(findResource(T.model, "faces-model").inputs.primaryContainer.environment[ENV.cropsBucket], "team-crops");
            const policy = findResource(T.rolePolicy, "faces-role-policy").inputs.policy;
            assert.strictEqual(policy.Statement[0].Resource, "arn:aws:s3:::team-crops/faces/*");
            assert.strictEqual(await valueOf(component.bucketArn), "arn:aws:s3:::team-crops");
        });

        it("prebuilt image: no repository or build, pulls scoped to the image's repository", async () => {
            const component = await build({ imageUri: PREBUILT_IMAGE });
            assert.strictEqual(resourcesOfType(T.repository).length, 0);
            assert.strictEqual(resourcesOfType(T.image).length, 0);
            assert.strictEqual(findResource(T.model, "faces-model").inputs.primaryContainer.image, PREBUILT_IMAGE);
            const policy = findResource(T.rolePolicy, "faces-role-policy").inputs.policy;
            const pull = policy.Statement.find((s: any) => s.Sid === "PullImage");
            assert.strictEqual(pull.Resource, "arn:aws:ecr:us-east-1:123456789012:repository/faces");
            assert.strictEqual(await valueOf(component.imageUri), PREBUILT_IMAGE);
        });

        it("createKmsKey: SSE-KMS with bucket keys, a rotating key, and the key id in the container", async () => {
            await build({ createKmsKey: true });
            const key = findResource(T.key, "faces-key").inputs;
            assert.strictEqual(key.enableKeyRotation, true);
            assert.strictEqual(key.deletionWindowInDays, 30);
            const keyArn = "arn:aws:kms:us-east-1:123456789012:key/faces-key-a1b2c3d";
            assert.deepStrictEqual(findResource(T.encryption, "faces-crops-encryption").inputs.rules, [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
                bucketKeyEnabled: true,
            }]);
            assert.strictEqual(findResource(T.model, "faces-model").inputs.primaryContainer.environment[ENV.kmsKeyId], keyArn);
            const policy = findResource(T.rolePolicy, "faces-role-policy").inputs.policy;
            assert.deepStrictEqual(policy.Statement.find((s: any) => s.Sid === "EncryptObjects"), {
                Sid: "EncryptObjects",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: keyArn,
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            });
        });

        it("kmsKeyArn: uses the given key and creates none", async () => {
            const keyArn = "arn:aws:kms:us-east-1:123456789012:key/given";
            await build({ kmsKeyArn: keyArn });
            assert.strictEqual(resourcesOfType(T.key).length, 0);
            assert.strictEqual(findResource(T.encryption, "faces-crops-encryption").inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, keyArn);
        });

        it("autoscaling: a new configuration starts at the size the live fleet has reached", async () => {
            useEndpointUpdateApi(() => liveEndpoint({ fingerprint: "from-an-older-image", initialInstanceCount: 2, currentInstanceCount: 5 }));
            await build({ initialInstanceCount: 2, autoscaling: true, maxInstanceCount: 6 });
            useEndpointUpdateApi(undefined);
            const config = findResource(T.config, "faces-config").inputs;
            assert.strictEqual(config.productionVariants[0].initialInstanceCount, 5);
            assert.match(config.tags["face-detection:fleet"], /^[0-9a-f]{32}$/);
        });

        it("autoscaling: an unchanged configuration keeps its count, so autoscaling's moves alone roll nothing", async () => {
            await build({ initialInstanceCount: 2, autoscaling: true, maxInstanceCount: 6 });
            const fingerprint = findResource(T.config, "faces-config").inputs.tags["face-detection:fleet"];
            useEndpointUpdateApi(() => liveEndpoint({ fingerprint, initialInstanceCount: 3, currentInstanceCount: 6 }));
            await build({ initialInstanceCount: 2, autoscaling: true, maxInstanceCount: 6 });
            useEndpointUpdateApi(undefined);
            assert.strictEqual(findResource(T.config, "faces-config").inputs.productionVariants[0].initialInstanceCount, 3);
        });

        // A check that fails inside an Output never completes a registration under Pulumi's mocks,
        // so the live checks are called directly here; the wiring is what the tests around show.
        it("autoscaling: refuses to read the live fleet with credentials of another account than the stack's", async () => {
            const settings = resolveArgs("faces", { autoscaling: true, initialInstanceCount: 2 });
            const where = { region: "us-east-1", accountId: "123456789012" };
            const fleet = { fingerprint: "x", initialInstanceCount: 2, currentInstanceCount: 5 };
            assert.strictEqual(await liveFleetSize(liveApiOf(() => liveEndpoint(fleet)), where, "y", settings), 4);
            await assert.rejects(liveFleetSize(liveApiOf(() => liveEndpoint(fleet, "111111111111")), where, "y", settings),
                /The stack deploys to AWS account 123456789012, but the credentials .* are of account 111111111111/);
        });

        it("serverless: refuses to turn an endpoint on instances into a serverless one, saying how; passes where it can't tell", async () => {
            const where = { region: "us-east-1", accountId: "123456789012" };
            await assert.rejects(checkLiveServerlessSwitch(liveApiOf(() => liveEndpoint({})), where, "faces"),
                /Endpoint faces runs on ml\.c5\.large instances, and SageMaker can't update an instance endpoint to serverless/);
            const notices: string[] = [];
            await checkLiveServerlessSwitch(liveApiOf(() => liveEndpoint({}, "111111111111")), where, "faces", (m) => notices.push(m));
            assert.match(notices[0], /^Not checked whether faces runs on instances: The stack deploys to AWS account 123456789012/);
        });

        it("hooks the endpoint's updates only where autoscaling needs them (so older CLIs deploy the rest)", async () => {
            useEndpointUpdateApi(() => liveEndpoint({}));
            try {
                await build({});
                assert.deepStrictEqual(findResource(T.endpoint, "faces-endpoint").options?.hooks ?? {}, {});
            } finally {
                useEndpointUpdateApi(undefined);
            }
        });

        it("autoscaling: a target on the variant and a target-tracking policy", async () => {
            await build({ initialInstanceCount: 2, autoscaling: true, maxInstanceCount: 6, targetInvocationsPerInstance: 500 });
            assert.deepStrictEqual(findResource(T.scalingTarget, "faces-scaling-target").inputs, {
                serviceNamespace: "sagemaker",
                scalableDimension: "sagemaker:variant:DesiredInstanceCount",
                resourceId: "endpoint/faces/variant/AllTraffic",
                minCapacity: 2,
                maxCapacity: 6,
                tags: { "app": "face-detection", "component": "faces", "managed-by": "pulumi" },
            });
            const policy = findResource(T.scalingPolicy, "faces-scaling-policy").inputs;
            assert.strictEqual(policy.policyType, "TargetTrackingScaling");
            assert.deepStrictEqual(policy.targetTrackingScalingPolicyConfiguration, {
                targetValue: 500,
                predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            });
        });

        it("alarms off: the alarms stay as the update's rollback alarms, with their actions off", async () => {
            await build({ alarms: false, dashboard: false });
            const alarms = resourcesOfType(T.alarm);
            assert.deepStrictEqual(alarms.map((alarm) => [alarm.name, alarm.inputs.actionsEnabled]),
                [["faces-5xx-errors", false], ["faces-model-latency", false]]);
            assert.strictEqual(resourcesOfType(T.dashboard).length, 0);
            assert.deepStrictEqual(findResource(T.endpoint, "faces-endpoint").inputs.deploymentConfig.autoRollbackConfiguration,
                { alarms: [{ alarmName: "faces-5xx-errors-a1b2c3d" }, { alarmName: "faces-model-latency-a1b2c3d" }] });
        });

        it("createAlarmTopic: alarms notify an SNS topic encrypted with a key CloudWatch may use", async () => {
            const component = await build({ createAlarmTopic: true });
            const topic = findResource(T.topic, "faces-alarms");
            const keyArn = "arn:aws:kms:us-east-1:123456789012:key/faces-alarms-key-a1b2c3d";
            assert.strictEqual(topic.inputs.kmsMasterKeyId, keyArn);
            const keyPolicy = JSON.parse(findResource(T.key, "faces-alarms-key").inputs.policy);
            assert.deepStrictEqual(keyPolicy.Statement[1].Principal, { Service: "cloudwatch.amazonaws.com" });
            const topicArn = "arn:aws:sns:us-east-1:123456789012:faces-alarms-a1b2c3d";
            assert.deepStrictEqual(findResource(T.alarm, "faces-5xx-errors").inputs.alarmActions, [topicArn]);
            assert.strictEqual(await valueOf(component.alarmTopicArn), topicArn);
        });

        it("alarmEmails and alarmHttpsEndpoints subscribe to the alarm topic, each named by its address", async () => {
            await build({ createAlarmTopic: true, alarmEmails: ["Oncall@Example.com"], alarmHttpsEndpoints: ["https://hooks.example.com/alarms"] });
            const topicArn = "arn:aws:sns:us-east-1:123456789012:faces-alarms-a1b2c3d";
            const subscriptions = resourcesOfType(T.subscription).map((r) => r.inputs);
            assert.deepStrictEqual(subscriptions.map((s) => [s.topic, s.protocol, s.endpoint]), [
                [topicArn, "email", "oncall@example.com"],
                [topicArn, "https", "https://hooks.example.com/alarms"],
            ]);
            // Removing one address must not rename (and so re-create, unconfirmed) another's subscription.
            const names = resourcesOfType(T.subscription).map((r) => r.name);
            await build({ createAlarmTopic: true, alarmEmails: ["oncall@example.com"] });
            assert.deepStrictEqual(resourcesOfType(T.subscription).map((r) => r.name), [names[0]]);
            // A topic of the user's own is subscribed to alike.
            const own = "arn:aws:sns:us-east-1:123456789012:team-alarms";
            await build({ alarmTopicArn: own, alarmEmails: ["oncall@example.com"] });
            assert.deepStrictEqual(resourcesOfType(T.subscription).map((r) => r.inputs.topic), [own]);
        });

        it("registers nothing, not even itself, when its arguments are wrong", async () => {
            await assert.rejects(build({ minConfidence: 2 }), { message: "`minConfidence` must be a number from 0.05 to 1, got 2." });
            assert.deepStrictEqual(allResources(), []);
        });

        it("overrides reach the children", async () => {
            await build({
                endpointName: "crowd-faces",
                instanceType: "ml.m5.xlarge",
                initialInstanceCount: 3,
                containerStartupTimeoutSeconds: 900,
                cropsPrefix: "frames/faces/",
                cropRetentionDays: 7,
                bucketVersioning: true,
                forceDestroy: true,
                imageRetentionCount: 3,
                minConfidence: 0.7,
                maxFaces: 10,
                minFaceSize: 64,
                cropOutput: "both",
                cropMargin: 0.2,
                minCropSize: 112,
                jpegQuality: 85,
                workers: 4,
                blueGreenBakeSeconds: 120,
                volumeKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/volume",
                dataCapture: true,
                dataCapturePercentage: 10,
                latencyAlarmThresholdMs: 1500,
            });
            assert.strictEqual(findResource(T.endpoint, "faces-endpoint").inputs.name, "crowd-faces");
            assert.strictEqual(findResource(T.bucket, "faces-crops").inputs.forceDestroy, true);
            assert.strictEqual(findResource(T.repository, "faces-images").inputs.forceDelete, true);
            assert.deepStrictEqual(findResource(T.versioning, "faces-crops-versioning").inputs.versioningConfiguration, { status: "Enabled" });
            // "Kept 7 days" holds with versioning: a crop's old version is gone a day after it stops
            // being current, captured data expires alike, lone delete markers are removed.
            const rules = findResource(T.lifecycle, "faces-crops-lifecycle").inputs.rules;
            assert.deepStrictEqual(rules.slice(0, 3), [
                {
                    id: "expire-crops", status: "Enabled", filter: { prefix: "frames/faces/" },
                    expiration: { days: 7 }, noncurrentVersionExpiration: { noncurrentDays: 1 },
                },
                {
                    id: "expire-data-capture", status: "Enabled", filter: { prefix: "data-capture/" },
                    expiration: { days: 7 }, noncurrentVersionExpiration: { noncurrentDays: 1 },
                },
                { id: "remove-expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
            ]);
            const config = findResource(T.config, "faces-config").inputs;
            assert.strictEqual(config.productionVariants[0].instanceType, "ml.m5.xlarge");
            assert.strictEqual(config.productionVariants[0].initialInstanceCount, 3);
            assert.strictEqual(config.productionVariants[0].containerStartupHealthCheckTimeoutInSeconds, 900);
            assert.strictEqual(config.kmsKeyArn, "arn:aws:kms:us-east-1:123456789012:key/volume");
            assert.deepStrictEqual(config.dataCaptureConfig, {
                enableCapture: true,
                initialSamplingPercentage: 10,
                destinationS3Uri: "s3://faces-crops-a1b2c3d/data-capture/",
                captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
                captureContentTypeHeader: { jsonContentTypes: ["application/json"] },
            });
            assert.deepStrictEqual(findResource(T.model, "faces-model").inputs.primaryContainer.environment, {
                [ENV.cropsBucket]: "faces-crops-a1b2c3d",
                [ENV.cropsPrefix]: "frames/faces/",
                [ENV.minConfidence]: "0.7",
                [ENV.maxFaces]: "10",
                [ENV.minFaceSize]: "64",
                [ENV.cropOutput]: "both",
                [ENV.cropMargin]: "0.2",
                [ENV.minCropSize]: "112",
                [ENV.jpegQuality]: "85",
                [ENV.workers]: "4",
                AWS_REGION: "us-east-1",
            });
            const policy = findResource(T.rolePolicy, "faces-role-policy").inputs.policy;
            assert.strictEqual(policy.Statement.find((s: any) => s.Sid === "WriteDataCapture").Resource, "arn:aws:s3:::faces-crops-a1b2c3d/data-capture/*");
            assert.strictEqual(findResource(T.alarm, "faces-model-latency").inputs.threshold, 1_500_000);
            assert.strictEqual(findResource(T.endpoint, "faces-endpoint").inputs.deploymentConfig.blueGreenUpdatePolicy.terminationWaitInSeconds, 120);
        });

        it("does not change the caller's args", async () => {
            const args = Object.freeze({ serverless: true, tags: Object.freeze({ team: "vision" }) });
            await build(args);
            assert.deepStrictEqual(args, { serverless: true, tags: { team: "vision" } });
        });

        it("rejects a prebuilt image outside Amazon ECR", async () => {
            await assert.rejects(() => build({ imageUri: "docker.io/library/faces:1" }), {
                message: '`imageUri` must be an Amazon ECR image (<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>; a public image through an ECR pull-through cache rule), got "docker.io/library/faces:1".',
            });
        });
    });
});
