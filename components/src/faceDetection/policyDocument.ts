import { endpointLogGroupName } from "./logGroup";
import { SAGEMAKER_VPC_ACTIONS } from "../shared/network";
import { PolicyDocument, PolicyStatement, serviceTrustPolicy, TrustPolicyDocument } from "../shared/policyDocument";

/** Everything the execution role's policy is scoped to, resolved to plain strings. */
export interface ExecutionRoleScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly endpointName: string;
    readonly bucketArn: string;
    readonly cropsPrefix: string;
    /** Set when data capture writes to the bucket too. */
    readonly dataCapturePrefix?: string;
    /** Set when the crops are encrypted with SSE-KMS. */
    readonly kmsKeyArn?: string;
    /** The ECR repository the model's image is pulled from. */
    readonly repositoryArn: string;
    /** The alarms that roll a blue/green update back (the endpoint's `autoRollbackConfiguration`). */
    readonly errorAlarmArn: string;
    readonly latencyAlarmArn: string;
}

/**
 * The execution role's inline policy: only what the endpoint needs. It writes (and, to undo a
 * half-stored frame, deletes) crops under their prefix and nothing else in the bucket; it pulls
 * its own image only; it logs to its own endpoint's log group only; it reads the state of its own
 * rollback alarms only.
 */
/** How the model runs, beside the scope's names. */
export interface ExecutionRoleOptions {
    /** The model runs in a VPC: SageMaker places its network interfaces with this role. */
    readonly inVpc?: boolean;
}

export function executionRolePolicy(scope: ExecutionRoleScope, options: ExecutionRoleOptions = {}): PolicyDocument {
    const statements: PolicyStatement[] = [{
        Sid: "WriteCrops",
        Effect: "Allow",
        // No s3:DeleteObjectVersion: it would let the endpoint erase any version under the prefix,
        // which is what a versioned bucket protects against. Undoing a half-stored frame adds delete
        // markers, and the lifecycle removes the hidden versions a day later (NONCURRENT_DAYS).
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: `${scope.bucketArn}/${scope.cropsPrefix}*`,
    }];
    if (scope.dataCapturePrefix !== undefined) {
        statements.push({
            Sid: "WriteDataCapture",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: `${scope.bucketArn}/${scope.dataCapturePrefix}*`,
        });
    }
    if (scope.kmsKeyArn !== undefined) {
        statements.push({
            Sid: "EncryptObjects",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: scope.kmsKeyArn,
            // Only through S3: the key can't be used directly with these credentials.
            Condition: { StringEquals: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } },
        });
    }
    const logGroup = `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${endpointLogGroupName(scope.endpointName)}`;
    statements.push(
        {
            Sid: "PullImage",
            Effect: "Allow",
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            Resource: scope.repositoryArn,
        },
        {
            // AWS grants registry tokens on "*" only.
            Sid: "AuthenticateToRegistry",
            Effect: "Allow",
            Action: ["ecr:GetAuthorizationToken"],
            Resource: "*",
        },
        {
            // SageMaker reads the auto-rollback alarms with the execution role during a deployment:
            // "Ensure that your IAM execution role has permission to perform the
            // cloudwatch:DescribeAlarms action on the auto-rollback alarms you specify" (SageMaker
            // Developer Guide, "Auto-Rollback Configuration and Monitoring"). Metric alarms can be
            // named as resources; only composite alarms need "*", and these are metric alarms.
            Sid: "ReadRollbackAlarms",
            Effect: "Allow",
            Action: ["cloudwatch:DescribeAlarms"],
            Resource: [scope.errorAlarmArn, scope.latencyAlarmArn],
        },
        {
            Sid: "WriteLogs",
            Effect: "Allow",
            // No logs:CreateLogGroup: the component creates the group, with its retention.
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup, `${logGroup}:*`],
        },
    );
    if (options.inVpc === true) {
        statements.push({
            // SageMaker creates the model's network interfaces in the VPC with the execution role:
            // the actions of "Add Permissions for Endpoint Access for Containers Running in a VPC to
            // Custom IAM Policies" (SageMaker Developer Guide), on "*" as documented there.
            Sid: "PlaceNetworkInterfaces",
            Effect: "Allow",
            Action: [...SAGEMAKER_VPC_ACTIONS],
            Resource: "*",
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy that lets SageMaker, and nothing else, assume the role. */
export function sageMakerTrustPolicy(): TrustPolicyDocument {
    return serviceTrustPolicy("SageMakerAssumesRole", "sagemaker.amazonaws.com");
}

const ECR_IMAGE_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+)(?:[:@].*)?$/;

/**
 * The ARN of the ECR repository an image URI points into, or `undefined` when the URI is not an
 * Amazon ECR image (SageMaker pulls from ECR only).
 */
export function ecrRepositoryArn(imageUri: string): string | undefined {
    const match = ECR_IMAGE_URI.exec(imageUri);
    if (!match) {
        return undefined;
    }
    const [, accountId, region, china, repository] = match;
    const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return `arn:${partition}:ecr:${region}:${accountId}:repository/${repository}`;
}
