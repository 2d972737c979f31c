import * as assert from "assert";
import { ecrRepositoryArn, executionRolePolicy } from "../../components/src/faceDetection/policyDocument";
import { PolicyStatement } from "../../components/src/shared/policyDocument";
import { findResource } from "../../tools/mocks";
import { build } from "./helpers";

const ALARMS = ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:faces-5xx-errors-1", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:faces-model-latency-2"];
const asList = (value: string | readonly string[]) => (typeof value === "string" ? [value] : value);

/** Every way a statement can reach objects, and which resources it reaches them on. */
function objectGrants(statements: readonly PolicyStatement[]): string[] {
    return statements
        .filter((s) => s.Effect === "Allow" && s.Action.some((a) => a.startsWith("s3:")))
        .flatMap((s) => asList(s.Resource));
}

describe("execution role policy", () => {
    it("grants no wildcard action and no s3:*, and reaches objects only under the crops prefix", async () => {
        for (const args of [{}, { createKmsKey: true }, { cropsPrefix: "a/b/" }]) {
            await build(args);
            const policy = findResource("aws:iam/rolePolicy:RolePolicy", "faces-role-policy").inputs.policy;
            const statements: PolicyStatement[] = policy.Statement;
            for (const statement of statements) {
                assert.strictEqual(statement.Effect, "Allow");
                for (const action of statement.Action) {
                    assert.notStrictEqual(action, "*");
                    assert.ok(!/^[a-z0-9]+:\*$/.test(action), `${action} is a service wildcard`);
                    assert.notStrictEqual(action, "s3:*");
                }
                // "*" only where AWS allows nothing narrower.
                if (asList(statement.Resource).includes("*")) {
                    assert.deepStrictEqual(statement.Action, ["ecr:GetAuthorizationToken"]);
                }
            }
            const prefix = (args as { cropsPrefix?: string }).cropsPrefix ?? "crops/";
            assert.deepStrictEqual(objectGrants(statements), [`arn:aws:s3:::faces-crops-a1b2c3d/${prefix}*`]);
        }
    });

    it("scopes logs to the endpoint's own log group", () => {
        const policy = executionRolePolicy({
            partition: "aws", region: "us-east-1", accountId: "123456789012", endpointName: "faces",
            bucketArn: "arn:aws:s3:::b", cropsPrefix: "crops/", repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/r",
            errorAlarmArn: ALARMS[0], latencyAlarmArn: ALARMS[1],
        });
        const logs = policy.Statement.find((s) => s.Sid === "WriteLogs")!;
        assert.deepStrictEqual(logs.Resource, [
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/faces",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/faces:*",
        ]);
        assert.deepStrictEqual(policy.Statement.map((s) => s.Sid), ["WriteCrops", "PullImage", "AuthenticateToRegistry", "ReadRollbackAlarms", "WriteLogs"]);
    });

    it("lets SageMaker read the endpoint's two rollback alarms with the role, and no other alarm", async () => {
        await build();
        const statements: PolicyStatement[] = findResource("aws:iam/rolePolicy:RolePolicy", "faces-role-policy").inputs.policy.Statement;
        const alarms = statements.find((s) => s.Sid === "ReadRollbackAlarms")!;
        assert.deepStrictEqual(alarms.Action, ["cloudwatch:DescribeAlarms"]);
        const endpoint = findResource("aws:sagemaker/endpoint:Endpoint", "faces-endpoint").inputs;
        const rollback: string[] = endpoint.deploymentConfig.autoRollbackConfiguration.alarms.map((a: { alarmName: string }) => a.alarmName);
        assert.deepStrictEqual(alarms.Resource, rollback.map((name) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`));
    });

    it("lets the detector write crops and undo a half-stored frame, and never erase a version", () => {
        const policy = executionRolePolicy({
            partition: "aws", region: "us-east-1", accountId: "123456789012", endpointName: "faces",
            bucketArn: "arn:aws:s3:::b", cropsPrefix: "crops/", repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/r",
            errorAlarmArn: ALARMS[0], latencyAlarmArn: ALARMS[1],
        });
        const crops = policy.Statement.find((s) => s.Sid === "WriteCrops")!;
        assert.deepStrictEqual(crops.Action, ["s3:PutObject", "s3:DeleteObject"]);
        assert.strictEqual(crops.Resource, "arn:aws:s3:::b/crops/*");
    });
});

describe("ecrRepositoryArn", () => {
    const cases: [string, string | undefined][] = [
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/faces:1", "arn:aws:ecr:us-east-1:123456789012:repository/faces"],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/team/faces@sha256:abc", "arn:aws:ecr:us-east-1:123456789012:repository/team/faces"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/faces", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/faces"],
        ["123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/faces:1", "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/faces"],
        ["docker.io/library/node:22", undefined],
        ["public.ecr.aws/acme/faces:1", undefined],
    ];
    for (const [uri, arn] of cases) {
        it(`${uri} → ${arn}`, () => assert.strictEqual(ecrRepositoryArn(uri), arn));
    }
});
