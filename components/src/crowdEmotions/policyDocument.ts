import { LAMBDA_VPC_ACTIONS } from "../shared/network";
import { PolicyDocument, serviceTrustPolicy, TrustPolicyDocument } from "../shared/policyDocument";

/** Everything the emotion function's policy is scoped to, resolved to plain strings. */
export interface EmotionRoleScope {
    readonly region: string;
    readonly bucketArn: string;
    readonly sheetsPrefix: string;
    readonly tableArn: string;
    readonly queueArn: string;
    readonly logGroupArn: string;
    /** The bucket's KMS key, when its objects are SSE-KMS. */
    readonly kmsKeyArn: string | undefined;
}

/**
 * The emotion function's permissions, each scoped as far as AWS allows: read the sheets (only
 * under their prefix), decrypt them through S3 only, read and write its own table's items, take
 * messages from its own queue, write its own log group. `rekognition:DetectFaces` is on `*`: the
 * action has no resource type to scope it to (Service Authorization Reference, Amazon Rekognition:
 * DetectFaces lists no resource types), and it reads only the image bytes sent with the call.
 */
export function emotionRolePolicy(scope: EmotionRoleScope, options: { inVpc?: boolean } = {}): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadSheets", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${scope.bucketArn}/${scope.sheetsPrefix}*` },
            {
                // Without s3:ListBucket, S3 answers a missing key with 403 AccessDenied, not 404
                // NoSuchKey ("If you don't have the s3:ListBucket permission, Amazon S3 returns an
                // HTTP status code 403", GetObject API reference), and a frame the detector withdrew
                // would be retried into the dead-letter queue. For that check S3 takes the requested
                // key as `s3:prefix`, so listing is allowed under the sheets' prefix only (Ceph
                // matches AWS in ceph/ceph#68577: "add the requested object name to the iam
                // environment as s3:prefix to match aws behavior").
                Sid: "TellMissingSheets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: scope.bucketArn,
                Condition: { StringLike: { "s3:prefix": `${scope.sheetsPrefix}*` } },
            },
            ...(scope.kmsKeyArn === undefined ? [] : [{
                Sid: "DecryptSheets", Effect: "Allow" as const, Action: ["kms:Decrypt"], Resource: scope.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } },
            }]),
            { Sid: "ReadEmotions", Effect: "Allow", Action: ["rekognition:DetectFaces"], Resource: "*" },
            // Query: an interval's frames, to sum up its summary.
            { Sid: "RecordFrames", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"], Resource: scope.tableArn },
            {
                Sid: "TakeSheetEvents", Effect: "Allow",
                Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
                Resource: scope.queueArn,
            },
            { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${scope.logGroupArn}:*` },
            // In a VPC, Lambda creates the function's network interfaces with its role: the actions
            // of AWSLambdaVPCAccessExecutionRole, on "*" as that managed policy grants them.
            ...(options.inVpc === true ? [{ Sid: "PlaceNetworkInterfaces", Effect: "Allow" as const, Action: [...LAMBDA_VPC_ACTIONS], Resource: "*" }] : []),
        ],
    };
}

/** Lambda alone may assume the role. */
export function lambdaTrustPolicy(): TrustPolicyDocument {
    return serviceTrustPolicy("LambdaAssumesRole", "lambda.amazonaws.com");
}
