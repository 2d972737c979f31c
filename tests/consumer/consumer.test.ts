// A consumer's unit test of a program that uses FaceDetectionEndpoint: the README shows this file.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FaceDetectionEndpoint } from "@crowd-emotions/face-detection";
import { useMocks } from "../../tools/mocks";

/** What the program registered, by type and name. */
const registered = new Map<string, Record<string, any>>();

const consumerMocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
        registered.set(`${args.type}::${args.name}`, args.inputs);
        // Outputs AWS would compute: an ARN, and a name for auto-named resources.
        return { id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:aws:mock:us-east-1:123456789012:${args.name}`, name: args.inputs.name ?? args.name } };
    },
    // The three calls the component makes for the account's ARNs.
    call: (args) => {
        switch (args.token) {
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com" };
            case "aws:index/getRegion:getRegion":
                return { name: "us-east-1", region: "us-east-1" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/test", userId: "test" };
            default:
                return args.inputs;
        }
    },
};

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("a consumer's program, unit-tested with Pulumi's mocks", () => {
    before(() => pulumi.runtime.setMocks(consumerMocks, "my-project", "test", false));
    // This repository's own tests use their own mocks.
    after(() => useMocks());

    it("serves faces from a serverless endpoint named after the program", async () => {
        const detector = new FaceDetectionEndpoint("crowd-faces", {
            serverless: true,
            imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces@sha256:" + "0".repeat(64),
        });
        assert.strictEqual(await valueOf(detector.endpointName), "crowd-faces");
        const config = registered.get("aws:sagemaker/endpointConfiguration:EndpointConfiguration::crowd-faces-config")!;
        assert.deepStrictEqual(config.productionVariants[0].serverlessConfig, { memorySizeInMb: 3072, maxConcurrency: 5 });
    });
});
