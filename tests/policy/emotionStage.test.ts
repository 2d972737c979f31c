import * as assert from "assert";
import { UNKNOWN_STRING } from "../../policy/src/lib/known";
import { dynamodbEncrypted, dynamodbPointInTimeRecovery, iamNoWildcardResources, lambdaNotPublic } from "../../policy/src/policies";
import { findings, messages, resource } from "./helpers";

const rolePolicy = (...statements: Record<string, unknown>[]) =>
    resource("aws:iam/rolePolicy:RolePolicy", "emotions-role-policy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
const table = (inputs: Record<string, unknown>) => resource("aws:dynamodb/table:Table", "results", {
    serverSideEncryption: { enabled: true }, pointInTimeRecovery: { enabled: true }, ...inputs,
});

describe("the policies of the emotion stage", () => {
    describe("iam-no-wildcard-resources: Rekognition's DetectFaces, and nothing broader", () => {
        it("lets rekognition:DetectFaces on * through", async () => {
            assert.deepStrictEqual(await findings(iamNoWildcardResources, [rolePolicy({ Effect: "Allow", Action: ["rekognition:DetectFaces"], Resource: "*" })]), []);
        });
        it("reports other Rekognition actions on *, and other actions beside DetectFaces", async () => {
            assert.deepStrictEqual(await messages(findings(iamNoWildcardResources, [rolePolicy(
                { Effect: "Allow", Action: ["rekognition:DetectFaces", "rekognition:IndexFaces"], Resource: "*" },
                { Effect: "Allow", Action: ["rekognition:DetectFaces", "dynamodb:UpdateItem"], Resource: ["*"] },
            )])), [
                'IAM policies must scope resources: statement 1 of emotions-role-policy allows rekognition:IndexFaces on "*".',
                'IAM policies must scope resources: statement 2 of emotions-role-policy allows dynamodb:UpdateItem on "*".',
            ]);
        });
    });

    describe("lambda-not-public", () => {
        const permission = (inputs: Record<string, unknown>) => resource("aws:lambda/permission:Permission", "invoke", { action: "lambda:InvokeFunction", function: "f", ...inputs });
        it("passes a service principal, and * limited to a source", async () => {
            assert.deepStrictEqual(await findings(lambdaNotPublic, [
                permission({ principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:123456789012:rule/r" }),
                permission({ principal: "*", sourceAccount: "123456789012" }),
                permission({ principal: UNKNOWN_STRING }),
            ]), []);
        });
        it("reports a permission for anyone, and a function URL without IAM auth", async () => {
            assert.deepStrictEqual(await messages(findings(lambdaNotPublic, [
                permission({ principal: "*" }),
                resource("aws:lambda/functionUrl:FunctionUrl", "url", { functionName: "f", authorizationType: "NONE" }),
                resource("aws:lambda/functionUrl:FunctionUrl", "iam-url", { functionName: "f", authorizationType: "AWS_IAM" }),
            ])), [
                'Lambda functions must not be invocable by anyone: invoke grants principal "*" with no source condition.',
                "Lambda function URLs must require IAM auth: url has authorizationType NONE.",
            ]);
        });
    });

    describe("DynamoDB tables", () => {
        it("pass with a KMS key and point-in-time recovery", async () => {
            assert.deepStrictEqual(await findings(dynamodbEncrypted, [table({})]), []);
            assert.deepStrictEqual(await findings(dynamodbPointInTimeRecovery, [table({})]), []);
        });
        it("report DynamoDB's own encryption and recovery off, explicit or by default", async () => {
            assert.deepStrictEqual(await messages(findings(dynamodbEncrypted, [table({ serverSideEncryption: undefined })])), [
                "DynamoDB tables must be encrypted with a KMS key: set serverSideEncryption.enabled on results.",
            ]);
            assert.deepStrictEqual(await messages(findings(dynamodbPointInTimeRecovery, [table({ pointInTimeRecovery: { enabled: false } })])), [
                "DynamoDB tables must have point-in-time recovery: set pointInTimeRecovery.enabled on results.",
            ]);
        });
    });
});
