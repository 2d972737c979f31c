import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DetectorSettings, toEnvironment } from "@crowd-emotions/face-detection-contract";
import { Placement } from "../shared/network";
import { Tags } from "../shared/tags";

export interface DetectorModelArgs {
    readonly imageUri: pulumi.Input<string>;
    readonly roleArn: pulumi.Input<string>;
    readonly settings: pulumi.Input<DetectorSettings>;
    /** The region the endpoint runs in, given to the container as `AWS_REGION`. */
    readonly region: pulumi.Input<string>;
    readonly tags: Tags;
    /** The VPC the container's network interfaces go in, if any. */
    readonly placement?: Placement;
    /** What must exist before SageMaker checks the role, e.g. the role's policy. */
    readonly dependsOn: pulumi.Resource[];
}

/**
 * The SageMaker model: the detector image and its settings. Auto-named, because a model can't be
 * changed in place: a new image digest or setting creates a new model and rolls the endpoint.
 */
export function createDetectorModel(name: string, args: DetectorModelArgs, parent: pulumi.Resource): aws.sagemaker.Model {
    return new aws.sagemaker.Model(`${name}-model`, {
        executionRoleArn: args.roleArn,
        primaryContainer: {
            image: args.imageUri,
            // The AWS SDK in the container finds its region only in the environment or config files;
            // SageMaker hosting is not documented to set it, so every store call would fail without.
            environment: pulumi.all([args.settings, args.region]).apply(([settings, region]) => ({
                ...toEnvironment(settings),
                AWS_REGION: region,
            })),
        },
        // A model can't change its VPC in place (CreateModel's VpcConfig; "Update requires:
        // Replacement" in CloudFormation's AWS::SageMaker::Model): turning it on makes a new model
        // and a new endpoint configuration, and the endpoint is updated blue/green to it.
        vpcConfig: args.placement && { subnets: args.placement.subnetIds, securityGroupIds: args.placement.securityGroupIds },
        tags: args.tags,
    }, { parent, dependsOn: args.dependsOn });
}
