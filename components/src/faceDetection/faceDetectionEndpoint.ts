import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarmTopic, createEndpointAlarms } from "./alarms";
import { FaceDetectionEndpointArgs } from "./args";
import { createEndpointAutoscaling } from "./autoscaling";
import { createCropsBucket } from "./bucket";
import { createDashboard } from "./dashboard";
import { DATA_CAPTURE_PREFIX, resolveArgs } from "./defaults";
import { subscribeToAlarms, unsubscribedTopicWarning } from "./subscriptions";
import { createDetectorEndpoint } from "./endpoint";
import { createDetectorImage } from "./image";
import { createCropsKey } from "./kms";
import { createEndpointLogGroup } from "./logGroup";
import { createDetectorModel } from "./model";
import { ecrRepositoryArn } from "./policyDocument";
import { createExecutionRole } from "./role";
import { createPrivateNetwork, placement, PrivateNetwork } from "../shared/network";
import { mergeTags } from "../shared/tags";
import { validateArgs, validateImageUri } from "./validate";

/** Type token; other languages address the component by it (`pulumi package add`). */
export const FACE_DETECTION_ENDPOINT_TYPE = "face-detection:index:FaceDetectionEndpoint";

/**
 * A face detector served from an Amazon SageMaker endpoint, secure by default: a least-privilege
 * execution role, an encrypted private bucket for the face crops, the detector image in a scanned
 * ECR repository, and the model, endpoint configuration and endpoint, with alarms, blue/green
 * rollback, optional autoscaling and a dashboard.
 */
export class FaceDetectionEndpoint extends pulumi.ComponentResource {
    /** Name clients pass to `InvokeEndpoint`. */
    public readonly endpointName: pulumi.Output<string>;
    /** ARN of the endpoint, for IAM policies that allow `sagemaker:InvokeEndpoint` on it. */
    public readonly endpointArn: pulumi.Output<string>;
    /** Bucket that receives the face crops. */
    public readonly bucketName: pulumi.Output<string>;
    /** ARN of that bucket, for the policies of the stage that reads the crops and sheets. */
    public readonly bucketArn: pulumi.Output<string>;
    /** Key prefix under which crops are stored. */
    public readonly cropsPrefix: pulumi.Output<string>;
    /** Execution role of the model. */
    public readonly roleArn: pulumi.Output<string>;
    /** Detector image, pinned by digest. */
    public readonly imageUri: pulumi.Output<string>;
    /** The SageMaker model now behind the endpoint (auto-named; a new image or setting makes a new one). */
    public readonly modelName: pulumi.Output<string>;
    /**
     * The endpoint configuration the endpoint serves (auto-named, replaced on change). `pulumi up`
     * fails, naming the cause, when it is not the one the update gave the endpoint (an alarm rolled
     * the update back).
     */
    public readonly endpointConfigName: pulumi.Output<string>;
    /** Topic the alarms notify, when there is one. */
    public readonly alarmTopicArn: pulumi.Output<string | undefined>;
    /** KMS key the crops and sheets are encrypted with, when SSE-KMS. */
    public readonly cropsKmsKeyArn: pulumi.Output<string | undefined>;
    /**
     * Whether the crops are SSE-KMS encrypted (`createKmsKey` or `kmsKeyArn`), known before
     * deployment: readers' policies hold a `kms:Decrypt` statement exactly then.
     */
    public readonly cropsKmsEncrypted: boolean;
    /** Whether the crops bucket sends its events to EventBridge (`eventBridgeNotifications`). */
    public readonly eventBridgeNotifications: boolean;
    /** What the detector stores per frame (`cropOutput`): `crops`, `sheets` or `both`. */
    public readonly cropOutput: pulumi.Output<string>;

    /** The VPC the component created (`vpc: { create: true }`); undefined otherwise. */
    public readonly vpcId: pulumi.Output<string | undefined>;

    /** The SageMaker endpoint. */
    public readonly endpoint: aws.sagemaker.Endpoint;
    /** The created VPC, its S3 endpoint and the model's security group; undefined unless `vpc.create`. */
    public readonly network?: PrivateNetwork;
    /** The SageMaker model behind the endpoint. */
    public readonly model: aws.sagemaker.Model;
    /** The created crops bucket; undefined with `bucketName`. */
    public readonly bucket?: aws.s3.Bucket;
    /** The created execution role; undefined with `roleArn`. */
    public readonly role?: aws.iam.Role;
    /** The created image repository; undefined with `imageUri`. */
    public readonly repository?: aws.ecr.Repository;
    /** The created KMS key of the crops; undefined unless `createKmsKey`. */
    public readonly kmsKey?: aws.kms.Key;

    constructor(name: string, args: FaceDetectionEndpointArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Before registering: a caught error leaves nothing half-registered behind.
        validateArgs(name, args);
        super(FACE_DETECTION_ENDPOINT_TYPE, name, {}, opts);
        const settings = resolveArgs(name, args);
        const tags = mergeTags(name, args.tags);
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // Private networking: the model's network interfaces in a VPC, created or given.
        this.network = settings.vpc?.create === true
            ? createPrivateNetwork(name, { cidrBlock: settings.vpc.cidrBlock, region, services: { interfaces: [] }, tags }, this)
            : undefined;
        const inVpc = placement(settings.vpc, this.network);
        this.vpcId = pulumi.output(this.network?.vpcId);

        // Crops bucket and its encryption key.
        const dataCapturePrefix = settings.dataCapture ? DATA_CAPTURE_PREFIX : undefined;
        this.kmsKey = settings.createKmsKey ? createCropsKey(name, settings.forceDestroy, tags, this) : undefined;
        const kmsKeyArn = settings.kmsKeyArn ?? this.kmsKey?.arn;
        this.bucket = settings.bucketName === undefined
            ? createCropsBucket(name, {
                cropsPrefix: settings.cropsPrefix,
                retentionDays: settings.cropRetentionDays,
                versioning: settings.bucketVersioning,
                dataCapturePrefix,
                forceDestroy: settings.forceDestroy,
                kmsKeyArn,
                eventBridge: settings.eventBridgeNotifications,
                requireVpcEndpointId: settings.vpc?.requireVpcEndpointForWrites === true ? this.network?.s3Endpoint.id : undefined,
                tags,
            }, this)
            : undefined;
        this.bucketName = this.bucket ? this.bucket.bucket : pulumi.output(settings.bucketName!);
        this.bucketArn = this.bucket ? this.bucket.arn : pulumi.interpolate`arn:${partition}:s3:::${this.bucketName}`;
        this.cropsPrefix = pulumi.output(settings.cropsPrefix);
        this.cropsKmsKeyArn = pulumi.output(kmsKeyArn);
        this.cropsKmsEncrypted = kmsKeyArn !== undefined;
        this.eventBridgeNotifications = settings.eventBridgeNotifications;
        this.cropOutput = pulumi.output(settings.cropOutput);

        // Detector image.
        const image = settings.imageUri === undefined
            ? createDetectorImage(name, {
                buildContext: settings.buildContext,
                dockerfile: settings.dockerfile,
                buildOnPreview: settings.buildImageOnPreview,
                retentionCount: settings.imageRetentionCount,
                forceDestroy: settings.forceDestroy,
                tags,
            }, this)
            : undefined;
        this.repository = image?.repository;
        this.imageUri = image ? image.imageUri : pulumi.output(settings.imageUri!);
        const repositoryArn = this.repository
            ? this.repository.arn
            : pulumi.all([this.imageUri, region]).apply(([uri, stackRegion]) => this.ecrRepository(uri, stackRegion));

        // Alarms first: the endpoint's blue/green rollback watches them, with the execution role.
        const topicArn = settings.alarmTopicArn
            ?? (settings.alarms && settings.createAlarmTopic ? createAlarmTopic(name, { partition, accountId }, tags, this).arn : undefined);
        this.alarmTopicArn = pulumi.output(topicArn);
        const subscribers = { emails: args.alarmEmails ?? [], httpsEndpoints: args.alarmHttpsEndpoints ?? [] };
        if (topicArn !== undefined) {
            subscribeToAlarms(name, topicArn, subscribers, this);
        }
        const unsubscribed = unsubscribedTopicWarning(settings.alarms && settings.createAlarmTopic, subscribers);
        if (unsubscribed !== undefined) {
            pulumi.log.warn(unsubscribed, this);
        }
        const alarms = createEndpointAlarms(name, {
            endpointName: settings.endpointName,
            errorThreshold: settings.errorAlarmThreshold,
            latencyThresholdMs: settings.latencyAlarmThresholdMs,
            notify: settings.alarms,
            topicArn,
            tags,
        }, this);

        // Execution role.
        const createdRole = settings.roleArn === undefined
            ? createExecutionRole(name, {
                scope: {
                    partition, region, accountId, bucketArn: this.bucketArn, repositoryArn, kmsKeyArn,
                    endpointName: settings.endpointName,
                    errorAlarmArn: alarms.errors.arn,
                    latencyAlarmArn: alarms.latency.arn,
                    cropsPrefix: settings.cropsPrefix,
                    dataCapturePrefix,
                },
                options: { inVpc: inVpc !== undefined },
                permissionsBoundaryArn: settings.rolePermissionsBoundaryArn,
                tags,
            }, this)
            : undefined;
        this.role = createdRole?.role;
        this.roleArn = this.role ? this.role.arn : pulumi.output(settings.roleArn!);

        // Model, endpoint configuration and endpoint.
        this.model = createDetectorModel(name, {
            imageUri: this.imageUri,
            roleArn: this.roleArn,
            region,
            settings: pulumi.all([this.bucketName, kmsKeyArn]).apply(([cropsBucket, kmsKeyId]) => ({
                cropsBucket,
                kmsKeyId,
                cropsPrefix: settings.cropsPrefix,
                ...settings.tuning,
                cropOutput: settings.cropOutput,
                workers: settings.workers,
            })),
            placement: inVpc,
            tags,
            // The role must hold its permissions before SageMaker pulls the image with it.
            dependsOn: createdRole ? [createdRole.policy] : [],
        }, this);
        const { endpoint, servedConfigName } = createDetectorEndpoint(name, {
            settings,
            modelName: this.model.name,
            dataCaptureUri: dataCapturePrefix === undefined
                ? undefined
                : pulumi.interpolate`s3://${this.bucketName}/${dataCapturePrefix}`,
            kmsKeyArn,
            rollbackAlarmNames: [alarms.errors.name, alarms.latency.name],
            tags,
            region,
            accountId,
            logGroup: createEndpointLogGroup(name, settings.endpointName, settings.logRetentionDays, tags, this),
        }, this);
        this.endpoint = endpoint;
        this.endpointName = endpoint.name;
        this.endpointArn = endpoint.arn;
        this.endpointConfigName = servedConfigName;
        this.modelName = this.model.name;

        if (settings.autoscaling) {
            createEndpointAutoscaling(name, {
                endpointName: endpoint.name,
                minInstanceCount: settings.minInstanceCount,
                maxInstanceCount: settings.maxInstanceCount,
                targetInvocationsPerInstance: settings.targetInvocationsPerInstance,
                instanceType: settings.instanceType,
                tags,
            }, this, [endpoint]);
        }
        if (settings.dashboard) {
            createDashboard(name, settings.endpointName, region, this);
        }

        this.registerOutputs({
            endpointName: this.endpointName,
            endpointArn: this.endpointArn,
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            cropsPrefix: this.cropsPrefix,
            roleArn: this.roleArn,
            imageUri: this.imageUri,
            modelName: this.modelName,
            endpointConfigName: this.endpointConfigName,
            alarmTopicArn: this.alarmTopicArn,
            cropsKmsKeyArn: this.cropsKmsKeyArn,
            eventBridgeNotifications: this.eventBridgeNotifications,
            cropOutput: this.cropOutput,
            vpcId: this.vpcId,
        });
    }

    /** The repository of a prebuilt image, checked again now that its value and the region are known. */
    private ecrRepository(imageUri: string, region: string): string {
        try {
            validateImageUri(imageUri, region);
        } catch (error) {
            throw new pulumi.ResourceError((error as Error).message, this);
        }
        return ecrRepositoryArn(imageUri)!;
    }
}
