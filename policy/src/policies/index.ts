import { Policies } from "@pulumi/policy";
import { bucketEncryption } from "./bucketEncryption";
import { bucketPublicAccess } from "./bucketPublicAccess";
import { bucketTlsOnly } from "./bucketTlsOnly";
import { ecrImmutableTags, ecrScanOnPush } from "./ecr";
import { iamNoManagedAdminPolicies, iamNoWildcardActions, iamNoWildcardResources, iamRoleTrustNotPublic } from "./iam";
import { dynamodbEncrypted, dynamodbPointInTimeRecovery } from "./dynamodb";
import { lambdaNotPublic } from "./lambda";
import { awsRegion } from "./region";
import { sagemakerModelInVpc, securityGroupNotOpen } from "./network";
import { sagemakerVolumeKms } from "./sagemaker";

export { awsRegion, bucketEncryption, bucketPublicAccess, bucketTlsOnly, ecrImmutableTags, ecrScanOnPush };
export { iamNoManagedAdminPolicies, iamNoWildcardActions, iamNoWildcardResources, iamRoleTrustNotPublic, sagemakerVolumeKms };
export { dynamodbEncrypted, dynamodbPointInTimeRecovery, lambdaNotPublic, sagemakerModelInVpc, securityGroupNotOpen };

/** Every policy of the pack, in the order reports list them. */
export const POLICIES: Policies = [
    awsRegion,
    bucketEncryption,
    bucketPublicAccess,
    bucketTlsOnly,
    ecrScanOnPush,
    ecrImmutableTags,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoManagedAdminPolicies,
    iamRoleTrustNotPublic,
    sagemakerVolumeKms,
    lambdaNotPublic,
    dynamodbEncrypted,
    dynamodbPointInTimeRecovery,
    sagemakerModelInVpc,
    securityGroupNotOpen,
];
