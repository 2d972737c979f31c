/**
 * The network policies: SageMaker models outside a VPC (advisory), security groups that let anyone
 * in (mandatory), and the VPC statements of the components' roles let through by the IAM policy.
 */
import * as assert from "assert";
import { iamNoWildcardResources, sagemakerModelInVpc, securityGroupNotOpen } from "../../policy/src/policies";
import { executionRolePolicy } from "../../components/src/faceDetection/policyDocument";
import { emotionRolePolicy } from "../../components/src/crowdEmotions/policyDocument";
import { findings, messages, resource } from "./helpers";

describe("network policies", () => {
    it("sagemaker-model-in-vpc: advises a model without subnets, passes one in a VPC and one whose VPC is not known yet", async () => {
        const outside = resource("aws:sagemaker/model:Model", "outside", { primaryContainer: { image: "x" } });
        const inside = resource("aws:sagemaker/model:Model", "inside", { vpcConfig: { subnets: ["subnet-a", "subnet-b"], securityGroupIds: ["sg"] } });
        const found = await findings(sagemakerModelInVpc, [outside, inside]);
        assert.deepStrictEqual(found.map((f) => [f.resource.split("::").at(-1), f.enforcementLevel]), [["outside", "advisory"]]);
        assert.match(found[0].message, /runs outside a VPC: set the component's vpc \(stack key face-detection:vpc/);
    });

    it("security-group-no-open-ingress: refuses ingress from 0.0.0.0/0 or ::/0 in groups and standalone rules; egress and groups of groups pass", async () => {
        const open = resource("aws:ec2/securityGroup:SecurityGroup", "open", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }], egress: [] });
        const open6 = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "open6", { cidrIpv6: "::/0", fromPort: 443, toPort: 443 });
        const rule = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "rule", { type: "ingress", cidrBlocks: ["0.0.0.0/0"], fromPort: 80, toPort: 80 });
        const closed = resource("aws:ec2/securityGroup:SecurityGroup", "closed", {
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-workload"] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        });
        const egressRule = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "egress", { type: "egress", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 });
        const found = await findings(securityGroupNotOpen, [open, open6, rule, closed, egressRule]);
        assert.deepStrictEqual(found.map((f) => [f.resource.split("::").at(-1), f.enforcementLevel]), [["open", "mandatory"], ["open6", "mandatory"], ["rule", "mandatory"]]);
        assert.match(found[0].message, /open lets anyone in \(0\.0\.0\.0\/0 or ::\/0, ports 22-22\)/);
    });

    it("iam-no-wildcard-resources lets the roles' network-interface statements through, and nothing else on *", async () => {
        const scope = {
            partition: "aws", region: "us-east-1", accountId: "123456789012", endpointName: "faces", bucketArn: "arn:aws:s3:::b", cropsPrefix: "crops/",
            repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/r", errorAlarmArn: "arn:e", latencyAlarmArn: "arn:l",
        };
        const sagemaker = resource("aws:iam/rolePolicy:RolePolicy", "sagemaker", { policy: executionRolePolicy(scope, { inVpc: true }) });
        const lambda = resource("aws:iam/rolePolicy:RolePolicy", "lambda", {
            policy: emotionRolePolicy({ region: "us-east-1", bucketArn: "arn:aws:s3:::b", sheetsPrefix: "crops/", tableArn: "arn:t", queueArn: "arn:q", logGroupArn: "arn:g", kmsKeyArn: undefined }, { inVpc: true }),
        });
        const broader = resource("aws:iam/rolePolicy:RolePolicy", "broader", { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*" }] } });
        assert.deepStrictEqual(await messages(findings(iamNoWildcardResources, [sagemaker, lambda])), []);
        assert.strictEqual((await findings(iamNoWildcardResources, [broader])).length, 1);
    });
});
