/**
 * Private networking (`vpc`) of both components, under Pulumi's mocks: the VPC awsx builds (two
 * AZs, isolated subnets, no NAT), its gateway and interface endpoints, security groups that allow
 * exactly the workload's HTTPS to them, the model's and the function's `vpcConfig`, and the IAM
 * that placing network interfaces needs, and nothing of it without `vpc`.
 */
import * as assert from "assert";
import { allResources, findResource, resetRecorded, resourcesOfType, settled } from "../../tools/mocks";
import { build, PREBUILT_IMAGE } from "./helpers";
import { CrowdEmotions, FaceDetectionEndpoint, validateArgs } from "../../components/src";
import { validateEmotionArgs } from "../../components/src/crowdEmotions/settings";
import { LAMBDA_VPC_ACTIONS, SAGEMAKER_VPC_ACTIONS } from "../../components/src/shared/network";

const T = {
    vpc: "awsx:ec2:Vpc",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    group: "aws:ec2/securityGroup:SecurityGroup",
    model: "aws:sagemaker/model:Model",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
};

const statement = (policy: string, sid: string) => findResource(T.rolePolicy, policy).inputs.policy.Statement.find((s: { Sid: string }) => s.Sid === sid);

describe("vpc: the endpoint and the emotion stage in a VPC", () => {
    it("without `vpc`: no VPC, no vpcConfig, no network-interface permissions", async () => {
        await build({ imageUri: PREBUILT_IMAGE });
        assert.deepStrictEqual([resourcesOfType(T.vpc).length, resourcesOfType(T.endpoint).length, resourcesOfType(T.group).length], [0, 0, 0]);
        assert.strictEqual(resourcesOfType(T.model)[0].inputs.vpcConfig, undefined);
        assert.strictEqual(statement("faces-role-policy", "PlaceNetworkInterfaces"), undefined);
    });

    it("vpc.create: awsx builds two AZs of isolated subnets with no NAT; S3 and DynamoDB through gateway endpoints on its route tables; no interface endpoint for the detector", async () => {
        const detector = await build({ imageUri: PREBUILT_IMAGE, vpc: { create: true } });
        const vpc = findResource(T.vpc, "faces-vpc").inputs;
        assert.deepStrictEqual([vpc.cidrBlock, vpc.numberOfAvailabilityZones, vpc.natGateways, vpc.subnetStrategy, vpc.subnetSpecs, vpc.enableDnsHostnames],
            ["10.0.0.0/16", 2, { strategy: "None" }, "Auto", [{ type: "Isolated" }], true]);
        for (const service of ["s3", "dynamodb"]) {
            const endpoint = findResource(T.endpoint, `faces-${service}-endpoint`).inputs;
            assert.deepStrictEqual([endpoint.serviceName, endpoint.vpcEndpointType, endpoint.vpcId, endpoint.routeTableIds],
                [`com.amazonaws.us-east-1.${service}`, "Gateway", "vpc-faces-vpc", ["rtb-faces-vpc-a", "rtb-faces-vpc-b"]]);
        }
        assert.strictEqual(resourcesOfType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface").length, 0);
        // The container's interfaces: HTTPS out to the gateway endpoints' prefix lists, nothing in.
        const workload = findResource(T.group, "faces-workload").inputs;
        assert.deepStrictEqual(workload.ingress, []);
        assert.deepStrictEqual(workload.egress.map((rule: any) => [rule.protocol, rule.fromPort, rule.toPort, rule.prefixListIds, rule.cidrBlocks]), [
            ["tcp", 443, 443, ["pl-faces-s3-endpoint"], undefined],
            ["tcp", 443, 443, ["pl-faces-dynamodb-endpoint"], undefined],
        ]);
        assert.deepStrictEqual(resourcesOfType(T.model)[0].inputs.vpcConfig, { subnets: ["subnet-faces-vpc-a", "subnet-faces-vpc-b"], securityGroupIds: ["faces-workload-id"] });
        assert.deepStrictEqual(statement("faces-role-policy", "PlaceNetworkInterfaces"), { Sid: "PlaceNetworkInterfaces", Effect: "Allow", Action: [...SAGEMAKER_VPC_ACTIONS], Resource: "*" });
        assert.ok(detector.network !== undefined);
        // Writes from anywhere stay allowed unless asked otherwise.
        assert.strictEqual(findResource(T.bucketPolicy, "faces-crops-tls-only").inputs.policy.Statement.length, 1);
    });

    it("vpc.requireVpcEndpointForWrites: the bucket refuses crops not written through the created S3 endpoint", async () => {
        await build({ imageUri: PREBUILT_IMAGE, vpc: { create: true, requireVpcEndpointForWrites: true, cidrBlock: "10.20.0.0/20" } });
        assert.strictEqual(findResource(T.vpc, "faces-vpc").inputs.cidrBlock, "10.20.0.0/20");
        const deny = findResource(T.bucketPolicy, "faces-crops-tls-only").inputs.policy.Statement[1];
        assert.deepStrictEqual(deny, {
            Sid: "DenyCropWritesOutsideTheVpc", Effect: "Deny", Principal: "*", Action: "s3:PutObject",
            Resource: "arn:aws:s3:::faces-crops-a1b2c3d/crops/*", Condition: { StringNotEquals: { "aws:SourceVpce": "faces-s3-endpoint-id" } },
        });
    });

    it("existing subnets and security groups: the model goes in them, and nothing is created", async () => {
        await build({ imageUri: PREBUILT_IMAGE, vpc: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] } });
        assert.deepStrictEqual([resourcesOfType(T.vpc).length, resourcesOfType(T.endpoint).length, resourcesOfType(T.group).length], [0, 0, 0]);
        assert.deepStrictEqual(resourcesOfType(T.model)[0].inputs.vpcConfig, { subnets: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] });
        assert.ok(statement("faces-role-policy", "PlaceNetworkInterfaces") !== undefined);
    });

    it("CrowdEmotions, vpc.create: Rekognition through an interface endpoint that takes HTTPS from the function alone; the function in the subnets", async () => {
        resetRecorded();
        const detector = new FaceDetectionEndpoint("faces", { imageUri: PREBUILT_IMAGE, eventBridgeNotifications: true });
        CrowdEmotions.forDetector("mood", detector, { vpc: { create: true } });
        await settled();
        const rekognition = findResource(T.endpoint, "mood-rekognition-endpoint").inputs;
        assert.deepStrictEqual([rekognition.serviceName, rekognition.vpcEndpointType, rekognition.privateDnsEnabled, rekognition.subnetIds, rekognition.securityGroupIds],
            ["com.amazonaws.us-east-1.rekognition", "Interface", true, ["subnet-mood-vpc-a", "subnet-mood-vpc-b"], ["mood-endpoints-id"]]);
        const endpoints = findResource(T.group, "mood-endpoints").inputs;
        assert.deepStrictEqual(endpoints.ingress.map((rule: any) => [rule.protocol, rule.fromPort, rule.toPort, rule.securityGroups, rule.cidrBlocks]),
            [["tcp", 443, 443, ["mood-workload-id"], undefined]]);
        assert.deepStrictEqual(endpoints.egress, []);
        const workload = findResource(T.group, "mood-workload").inputs;
        assert.deepStrictEqual(workload.egress.at(-1).cidrBlocks, ["10.0.0.0/16"]);
        assert.deepStrictEqual(findResource(T.fn, "mood-function").inputs.vpcConfig, { subnetIds: ["subnet-mood-vpc-a", "subnet-mood-vpc-b"], securityGroupIds: ["mood-workload-id"] });
        assert.deepStrictEqual(statement("mood-role-policy", "PlaceNetworkInterfaces").Action, [...LAMBDA_VPC_ACTIONS]);
        // Nothing in either VPC is open to the world.
        for (const group of resourcesOfType(T.group)) {
            for (const rule of [...group.inputs.ingress, ...group.inputs.egress]) {
                assert.ok(!(rule.cidrBlocks ?? []).includes("0.0.0.0/0"), `${group.name} is open to 0.0.0.0/0`);
            }
        }
        // The detector is not in a VPC here: only the stage's resources were made.
        assert.deepStrictEqual(allResources().filter((r) => r.type === T.vpc).map((r) => r.name), ["mood-vpc"]);
    });

    describe("bad `vpc` arguments, each named, all at once", () => {
        const cases: [string, object, RegExp][] = [
            ["create with existing ids", { create: true, subnetIds: ["a", "b"], securityGroupIds: ["sg"] }, /`vpc.create` and `vpc.subnetIds`\/`vpc.securityGroupIds` can't be used together/],
            ["subnets without security groups", { subnetIds: ["a", "b"] }, /`vpc.subnetIds` needs `vpc.securityGroupIds`/],
            ["security groups without subnets", { securityGroupIds: ["sg"] }, /`vpc.securityGroupIds` needs `vpc.subnetIds`/],
            ["one subnet", { subnetIds: ["a"], securityGroupIds: ["sg"] }, /`vpc.subnetIds` must name at least two subnets, in different Availability Zones, got 1/],
            ["nothing", {}, /`vpc` needs `create: true`, or `subnetIds` and `securityGroupIds`/],
            ["a bad range", { create: true, cidrBlock: "10.0.0.0/8" }, /`vpc.cidrBlock` must be an IPv4 range from \/16 to \/24/],
            ["writes through the endpoint without create", { subnetIds: ["a", "b"], securityGroupIds: ["sg"], requireVpcEndpointForWrites: true }, /`vpc.requireVpcEndpointForWrites` needs `vpc.create`/],
        ];
        for (const [what, vpc, message] of cases) {
            it(what, () => assert.throws(() => validateArgs("faces", { vpc }), message));
        }
        it("serverless, which SageMaker runs in no VPC", () => assert.throws(() => validateArgs("faces", { serverless: true, vpc: { create: true } }), /`serverless` and `vpc` can't be used together/));
        it("several at once, beside other arguments' problems", () => {
            assert.throws(() => validateArgs("faces", { vpc: { subnetIds: ["a"] }, maxFaces: 0 }), (error: Error) =>
                /`vpc.subnetIds` needs `vpc.securityGroupIds`/.test(error.message) && /at least two subnets/.test(error.message) && /`maxFaces`/.test(error.message));
        });
        it("the stage: no bucket policy to require its endpoint in", () => {
            assert.throws(() => validateEmotionArgs({ bucketName: "b", sheetsPrefix: "crops/", vpc: { create: true, requireVpcEndpointForWrites: true } }),
                /applies to the detector's crops bucket \(FaceDetectionEndpoint\) only/);
        });
    });
});
