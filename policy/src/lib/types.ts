/** Resource type tokens the policies look at. */
export const TYPES = {
    awsProvider: "pulumi:providers:aws",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    encryptionConfigs: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    ecrRepository: "aws:ecr/repository:Repository",
    iamRole: "aws:iam/role:Role",
    iamPolicyDocuments: {
        "aws:iam/rolePolicy:RolePolicy": "policy",
        "aws:iam/policy:Policy": "policy",
        "aws:iam/userPolicy:UserPolicy": "policy",
        "aws:iam/groupPolicy:GroupPolicy": "policy",
    } as Record<string, string>,
    policyAttachments: [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    ],
    sagemakerEndpointConfig: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    sagemakerModel: "aws:sagemaker/model:Model",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    lambdaPermission: "aws:lambda/permission:Permission",
    lambdaFunctionUrl: "aws:lambda/functionUrl:FunctionUrl",
    dynamodbTable: "aws:dynamodb/table:Table",
} as const;
