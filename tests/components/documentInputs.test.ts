import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { documentWithInputs } from "../../components/src/shared/documentInputs";
import { executionRolePolicy, ExecutionRoleScope } from "../../components/src/faceDetection/policyDocument";
import { valueOf } from "../../tools/mocks";

describe("policy documents built from values known only after deployment", () => {
    const scope = {
        partition: "aws", region: "us-east-1", accountId: "123456789012", endpointName: "faces", cropsPrefix: "crops/",
        bucketArn: pulumi.output("arn:aws:s3:::faces-crops-a1b2c3d"),
        repositoryArn: pulumi.output("arn:aws:ecr:us-east-1:123456789012:repository/faces"),
        kmsKeyArn: undefined, dataCapturePrefix: undefined,
        errorAlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:e", latencyAlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:l",
    };

    it("keeps the structure: only the leaves that hold such values are Outputs", () => {
        const document = documentWithInputs<ExecutionRoleScope, ReturnType<typeof executionRolePolicy>>(executionRolePolicy, scope) as ReturnType<typeof executionRolePolicy>;
        const crops = document.Statement.find((s) => s.Sid === "WriteCrops")!;
        assert.deepStrictEqual(crops.Action, ["s3:PutObject", "s3:DeleteObject"]);
        assert.strictEqual(crops.Effect, "Allow");
        assert.ok(pulumi.Output.isInstance(crops.Resource), "the bucket's ARN");
        const token = document.Statement.find((s) => s.Sid === "AuthenticateToRegistry")!;
        assert.strictEqual(token.Resource, "*");
        const logs = document.Statement.find((s) => s.Sid === "WriteLogs")!;
        assert.ok((logs.Resource as unknown[]).every((r) => typeof r === "string"), "log group ARNs from known values stay strings");
    });

    it("resolves to the same document as the plain values give", async () => {
        const document = documentWithInputs<ExecutionRoleScope, ReturnType<typeof executionRolePolicy>>(executionRolePolicy, scope);
        const resolved = await valueOf(pulumi.output(document));
        assert.deepStrictEqual(resolved, executionRolePolicy({
            ...scope, bucketArn: "arn:aws:s3:::faces-crops-a1b2c3d", repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/faces",
        }));
    });
});
