/**
 * Private networking for both components: the `vpc` argument, its checks, and the VPC the
 * components create when asked to (`vpc: { create: true }`).
 *
 * A created VPC is built with awsx: isolated subnets in two Availability Zones (SageMaker asks for
 * "at least two subnets in different availability zones … even if you have only one hosting
 * instance", Developer Guide, "Give SageMaker AI Hosted Endpoints Access to Resources in Your
 * Amazon VPC"), **no NAT gateway** and no route to the internet; gateway endpoints for S3 and
 * DynamoDB (free, routed from the subnets' route tables); an interface endpoint only for a service
 * the workload itself calls and that has no gateway endpoint (Rekognition, for the emotion stage).
 * The detector's container calls S3 alone (KMS is called by S3 on its behalf), so its VPC has no
 * interface endpoint at all. Security groups allow exactly this traffic: the workload may reach
 * HTTPS on the interface endpoints and the gateway endpoints' prefix lists, nothing else; the
 * interface endpoints take HTTPS from the workload alone. Nothing takes traffic from anywhere.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./checks";
import { Tags } from "./tags";

/** The `vpc` argument of both components. */
export interface NetworkArgs {
    /**
     * Create a private VPC for the component: two isolated subnets in two Availability Zones, no
     * NAT gateway, gateway endpoints for S3 and DynamoDB, and the interface endpoints the workload
     * needs. Excludes `subnetIds` and `securityGroupIds`.
     */
    readonly create?: boolean;
    /** Existing subnets, two or more, in different Availability Zones, with routes to the services the workload calls (S3; and for the emotion stage DynamoDB and Rekognition). */
    readonly subnetIds?: pulumi.Input<string>[];
    /** Existing security groups of the workload's network interfaces, one or more; with `subnetIds`. */
    readonly securityGroupIds?: pulumi.Input<string>[];
    /** The created VPC's address range. Only with `create`. @default "10.0.0.0/16" */
    readonly cidrBlock?: string;
    /**
     * The crops bucket refuses `s3:PutObject` that does not come through the created VPC's S3
     * endpoint (`aws:SourceVpce`). Only `FaceDetectionEndpoint`, with `create` and a bucket it
     * creates. @default false
     */
    readonly requireVpcEndpointForWrites?: boolean;
}

export const DEFAULT_CIDR_BLOCK = "10.0.0.0/16";
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Records every problem of a `vpc` argument. */
export function checkNetworkArgs(vpc: NetworkArgs | undefined, problems: Problems, options: { endpointOption: boolean; createsBucket: boolean }): void {
    if (vpc === undefined) {
        return;
    }
    const subnets = vpc.subnetIds;
    const groups = vpc.securityGroupIds;
    if (vpc.create === true && (subnets !== undefined || groups !== undefined)) {
        problems.add("`vpc.create` and `vpc.subnetIds`/`vpc.securityGroupIds` can't be used together: create a VPC, or name an existing one's subnets and security groups.");
    } else if (vpc.create !== true) {
        if (subnets === undefined && groups === undefined) {
            problems.add("`vpc` needs `create: true`, or `subnetIds` and `securityGroupIds` of an existing VPC.");
        } else if (subnets === undefined) {
            problems.add("`vpc.securityGroupIds` needs `vpc.subnetIds`: the subnets the network interfaces go in.");
        } else if (groups === undefined) {
            problems.add("`vpc.subnetIds` needs `vpc.securityGroupIds`: the security groups of the network interfaces.");
        }
        if (subnets !== undefined && subnets.length < 2) {
            problems.add(`\`vpc.subnetIds\` must name at least two subnets, in different Availability Zones, got ${subnets.length}.`);
        }
        if (groups !== undefined && groups.length < 1) {
            problems.add("`vpc.securityGroupIds` must name at least one security group.");
        }
        if (vpc.cidrBlock !== undefined) {
            problems.add("`vpc.cidrBlock` only applies with `vpc.create`.");
        }
    }
    if (vpc.cidrBlock !== undefined) {
        const match = CIDR.exec(vpc.cidrBlock);
        const prefix = Number(match?.[5]);
        if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || prefix < 16 || prefix > 24) {
            problems.add(`\`vpc.cidrBlock\` must be an IPv4 range from /16 to /24 (e.g. 10.0.0.0/16), got "${vpc.cidrBlock}".`);
        }
    }
    if (vpc.requireVpcEndpointForWrites === true) {
        if (!options.endpointOption) {
            problems.add("`vpc.requireVpcEndpointForWrites` applies to the detector's crops bucket (FaceDetectionEndpoint) only.");
        } else if (vpc.create !== true || !options.createsBucket) {
            problems.add("`vpc.requireVpcEndpointForWrites` needs `vpc.create` and a bucket the component creates (no `bucketName`): the bucket policy names the created S3 endpoint.");
        }
    }
}

/** Services a created VPC reaches privately. */
export interface NetworkServices {
    /** Services with an interface endpoint (e.g. `rekognition`). */
    readonly interfaces: readonly string[];
}

/** Where a workload's network interfaces go. */
export interface Placement {
    readonly subnetIds: pulumi.Output<string[]>;
    readonly securityGroupIds: pulumi.Output<string[]>;
}

export interface PrivateNetwork extends Placement {
    readonly vpc: awsx.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    /** The S3 gateway endpoint, which `aws:SourceVpce` names. */
    readonly s3Endpoint: aws.ec2.VpcEndpoint;
    readonly workloadSecurityGroup: aws.ec2.SecurityGroup;
}

/** The service name of an endpoint in the region (`com.amazonaws.<region>.<service>`). */
export const serviceName = (region: pulumi.Input<string>, service: string) => pulumi.interpolate`com.amazonaws.${region}.${service}`;

/** The VPC a component creates, with its endpoints and security groups. */
export function createPrivateNetwork(
    name: string, args: { cidrBlock?: string; region: pulumi.Input<string>; services: NetworkServices; tags: Tags }, parent: pulumi.Resource,
): PrivateNetwork {
    const cidrBlock = args.cidrBlock ?? DEFAULT_CIDR_BLOCK;
    const vpc = new awsx.ec2.Vpc(`${name}-vpc`, {
        cidrBlock,
        numberOfAvailabilityZones: 2,
        natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
        subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
        subnetSpecs: [{ type: awsx.ec2.SubnetType.Isolated }],
        // Interface endpoints answer the services' own names only with private DNS, which needs both.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: args.tags,
    }, { parent });
    // Route tables as resources (a real engine) or their plain state (mocks): their ids either way.
    const routeTableIds = vpc.routeTables.apply((tables) => pulumi.all(tables.map((table) => table.id)));
    const gateway = (service: "s3" | "dynamodb") => new aws.ec2.VpcEndpoint(`${name}-${service}-endpoint`, {
        vpcId: vpc.vpcId,
        serviceName: serviceName(args.region, service),
        vpcEndpointType: "Gateway",
        routeTableIds,
        tags: args.tags,
    }, { parent });
    const s3Endpoint = gateway("s3");
    const dynamodbEndpoint = gateway("dynamodb");

    const workloadSecurityGroup = new aws.ec2.SecurityGroup(`${name}-workload`, {
        vpcId: vpc.vpcId,
        description: `Network interfaces of ${name}: HTTPS out to its VPC endpoints only`,
        // No ingress: SageMaker and Lambda hand requests to the workload through their own
        // networks; its interfaces in this VPC are for its own calls out.
        ingress: [],
        egress: [
            { description: "S3 through its gateway endpoint", protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [s3Endpoint.prefixListId] },
            { description: "DynamoDB through its gateway endpoint", protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [dynamodbEndpoint.prefixListId] },
            ...(args.services.interfaces.length > 0
                ? [{ description: "Interface endpoints in the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [cidrBlock] }]
                : []),
        ],
        tags: args.tags,
    }, { parent });
    if (args.services.interfaces.length > 0) {
        const endpointSecurityGroup = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
            vpcId: vpc.vpcId,
            description: `Interface endpoints of ${name}: HTTPS from its workload only`,
            ingress: [{ description: "HTTPS from the workload", protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [workloadSecurityGroup.id] }],
            egress: [],
            tags: args.tags,
        }, { parent });
        for (const service of args.services.interfaces) {
            new aws.ec2.VpcEndpoint(`${name}-${service}-endpoint`, {
                vpcId: vpc.vpcId,
                serviceName: serviceName(args.region, service),
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: vpc.isolatedSubnetIds,
                securityGroupIds: [endpointSecurityGroup.id],
                tags: args.tags,
            }, { parent });
        }
    }
    return {
        vpc, vpcId: vpc.vpcId, s3Endpoint, workloadSecurityGroup,
        subnetIds: vpc.isolatedSubnetIds,
        securityGroupIds: pulumi.all([workloadSecurityGroup.id]),
    };
}

/** Where the workload goes: the created network, the given subnets and groups, or nowhere (no `vpc`). */
export function placement(vpc: NetworkArgs | undefined, created: PrivateNetwork | undefined): Placement | undefined {
    if (created !== undefined) {
        return created;
    }
    if (vpc?.subnetIds === undefined || vpc.securityGroupIds === undefined) {
        return undefined;
    }
    return { subnetIds: pulumi.output(vpc.subnetIds), securityGroupIds: pulumi.output(vpc.securityGroupIds) };
}

/**
 * What a role needs to place network interfaces in the VPC. Describe* take no resource; SageMaker
 * and Lambda document these actions on `*` ("Add Permissions for Endpoint Access for Containers
 * Running in a VPC to Custom IAM Policies"; Lambda's AWSLambdaVPCAccessExecutionRole).
 */
export const SAGEMAKER_VPC_ACTIONS = [
    "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
] as const;
export const LAMBDA_VPC_ACTIONS = [
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
] as const;
