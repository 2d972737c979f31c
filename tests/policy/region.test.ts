import * as assert from "assert";
import { UNKNOWN_STRING } from "../../policy/src/lib/known";
import { awsRegion } from "../../policy/src/policies";
import { findings, messages, resource } from "./helpers";

const bucket = (inputs: Record<string, unknown> = {}) => resource("aws:s3/bucket:Bucket", "crops", inputs);
const provider = (inputs: Record<string, unknown>) => resource("pulumi:providers:aws", "east", inputs);

describe("policy aws-region-us-east-1", () => {
    it("passes a resource on the default provider in us-east-1", async () => {
        assert.deepStrictEqual(await findings(awsRegion, [bucket()]), []);
    });

    it("passes an explicit provider and a resource region in us-east-1", async () => {
        assert.deepStrictEqual(await findings(awsRegion, [provider({ region: "us-east-1" }), bucket({ region: "us-east-1" })]), []);
    });

    it("reports the default provider of a stack in another region", async () => {
        assert.deepStrictEqual(await messages(findings(awsRegion, [bucket()], "eu-west-1")), [
            "AWS provider default is in eu-west-1; AWS resources must be in us-east-1.",
        ]);
    });

    it("reports a default provider without a region", async () => {
        assert.deepStrictEqual(await messages(findings(awsRegion, [bucket()], null)), [
            "AWS provider default has no region; set it to us-east-1 (for the default provider: `pulumi config set aws:region us-east-1`).",
        ]);
    });

    it("reports an explicit provider in another region", async () => {
        assert.deepStrictEqual(await messages(findings(awsRegion, [provider({ region: "us-west-2" })])), [
            "AWS provider east is in us-west-2; AWS resources must be in us-east-1.",
        ]);
    });

    it("reports a resource that overrides its provider's region (v7 `region` input)", async () => {
        const found = await findings(awsRegion, [bucket({ region: "ap-south-1" })]);
        assert.deepStrictEqual(found.map((f) => [f.message, f.enforcementLevel]), [
            ["Resource crops is in ap-south-1; AWS resources must be in us-east-1.", "mandatory"],
        ]);
    });

    it("reports a region that can't be known before deployment, rather than passing it", async () => {
        assert.deepStrictEqual(await messages(findings(awsRegion, [bucket({ region: UNKNOWN_STRING })])), [
            "The region of crops can't be known before deployment; AWS resources must be in us-east-1.",
        ]);
    });

    it("ignores non-AWS resources", async () => {
        assert.deepStrictEqual(await findings(awsRegion, [resource("random:index/randomId:RandomId", "id", { region: "mars" })]), []);
    });

    it("takes the allowed regions from the policy config", async () => {
        const config = { "aws-region-us-east-1": { allowedRegions: ["us-east-1", "us-east-2"] } };
        assert.deepStrictEqual(await findings(awsRegion, [bucket({ region: "us-east-2" })], "us-east-1", config), []);
    });
});
