import * as assert from "assert";
import { UNKNOWN_STRING } from "../../policy/src/lib/known";
import { bucketEncryption, bucketPublicAccess, bucketTlsOnly } from "../../policy/src/policies";
import { RecordedResource } from "../../tools/mocks";
import { findings, messages, resource } from "./helpers";

const BUCKET_URN = "urn:pulumi:test::face-detection::aws:s3/bucket:Bucket::crops";
/** A companion pointing to the bucket the way the engine records it: by property dependency. */
const companion = (type: string, name: string, inputs: Record<string, unknown>) =>
    resource(type, name, { bucket: UNKNOWN_STRING, ...inputs }, { propertyDependencies: { bucket: [BUCKET_URN] } });

const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const bucket = (inputs: Record<string, unknown> = {}) => resource("aws:s3/bucket:Bucket", "crops", inputs);
const encryption = (sseAlgorithm: unknown = "AES256") =>
    companion(ENCRYPTION, "crops-encryption", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] });
const publicAccess = (overrides: Record<string, unknown> = {}) => companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "crops-pab", {
    blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...overrides,
});
const tlsPolicy = (statement: Record<string, unknown> = {}) => companion("aws:s3/bucketPolicy:BucketPolicy", "crops-tls", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{
        Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::crops", "arn:aws:s3:::crops/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } }, ...statement,
    }] }),
});

describe("policy s3-bucket-encryption", () => {
    const cases: [string, RecordedResource[], string[]][] = [
        ["a bucket with an SSE-S3 configuration resource", [bucket(), encryption()], []],
        ["a bucket with an SSE-KMS configuration resource", [bucket(), encryption("aws:kms")], []],
        ["a bucket with DSSE-KMS", [bucket(), encryption("aws:kms:dsse")], []],
        ["a bucket encrypted inline (deprecated form)", [bucket({ serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } })], []],
        ["a configuration matched by bucket name when both are known",
            [bucket({ bucket: "my-crops" }), resource(ENCRYPTION, "enc", { bucket: "my-crops", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })], []],
        ["the deprecated BucketV2 without encryption", [resource("aws:s3/bucketV2:BucketV2", "crops", {})],
            ["S3 buckets must be encrypted at rest: add a BucketServerSideEncryptionConfiguration for this bucket."]],
        ["a bucket without encryption", [bucket()], ["S3 buckets must be encrypted at rest: add a BucketServerSideEncryptionConfiguration for this bucket."]],
        ["a configuration for another bucket", [bucket({ bucket: "mine" }), resource(ENCRYPTION, "enc", { bucket: "theirs", rules: [] })],
            ["S3 buckets must be encrypted at rest: add a BucketServerSideEncryptionConfiguration for this bucket."]],
        ["an unsupported algorithm", [bucket(), encryption("ROT13")], ['S3 buckets must be encrypted with AES256, aws:kms, aws:kms:dsse; found "ROT13".']],
        ["a configuration without rules", [bucket(), companion(ENCRYPTION, "enc", {})],
            ["S3 buckets must be encrypted at rest: add a BucketServerSideEncryptionConfiguration for this bucket."]],
    ];
    for (const [title, resources, expected] of cases) {
        it(title, async () => assert.deepStrictEqual(await messages(findings(bucketEncryption, resources)), expected));
    }

    it("defers an algorithm unknown during preview to deployment, visibly", async () => {
        const found = await findings(bucketEncryption, [bucket(), encryption(UNKNOWN_STRING)]);
        assert.deepStrictEqual(found.map((f) => [f.enforcementLevel, f.message]), [
            ["advisory", "can't run during preview: string value at .serverSideEncryptionConfiguration can't be known during preview"],
        ]);
    });
});

describe("policy s3-bucket-public-access-block", () => {
    it("passes all four blocks", async () => assert.deepStrictEqual(await findings(bucketPublicAccess, [bucket(), publicAccess()]), []));
    it("reports a bucket without a block", async () => {
        assert.deepStrictEqual(await messages(findings(bucketPublicAccess, [bucket()])), [
            "S3 buckets must block public access: add a BucketPublicAccessBlock with all four blocks on.",
        ]);
    });
    for (const block of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
        it(`reports ${block} off`, async () => {
            assert.deepStrictEqual(await messages(findings(bucketPublicAccess, [bucket(), publicAccess({ [block]: false })])), [
                `S3 buckets must block public access: ${block} must be true.`,
            ]);
        });
    }
    it("reports a missing block property", async () => {
        const block = publicAccess();
        delete (block.inputs as Record<string, unknown>).ignorePublicAcls;
        assert.deepStrictEqual(await messages(findings(bucketPublicAccess, [bucket(), block])), [
            "S3 buckets must block public access: ignorePublicAcls must be true.",
        ]);
    });
});

describe("policy s3-bucket-tls-only", () => {
    it("passes a deny on insecure transport", async () => assert.deepStrictEqual(await findings(bucketTlsOnly, [bucket(), tlsPolicy()]), []));
    const bad: [string, RecordedResource[]][] = [
        ["no bucket policy", [bucket()]],
        ["an Allow instead of a Deny", [bucket(), tlsPolicy({ Effect: "Allow" })]],
        ["a condition on something else", [bucket(), tlsPolicy({ Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } })]],
        ["a deny of one action only", [bucket(), tlsPolicy({ Action: "s3:GetObject" })]],
        ["a policy that is not JSON", [bucket(), companion("aws:s3/bucketPolicy:BucketPolicy", "p", { policy: "{not json" })]],
    ];
    for (const [title, resources] of bad) {
        it(`reports ${title}`, async () => {
            assert.deepStrictEqual(await messages(findings(bucketTlsOnly, resources)), [
                "S3 buckets must deny requests without TLS: add a bucket policy that denies s3:* when aws:SecureTransport is false.",
            ]);
        });
    }
    it("defers a policy document unknown during preview to deployment", async () => {
        const found = await findings(bucketTlsOnly, [bucket(), companion("aws:s3/bucketPolicy:BucketPolicy", "p", { policy: UNKNOWN_STRING })]);
        assert.deepStrictEqual(found.map((f) => f.enforcementLevel), ["advisory"]);
        assert.match(found[0].message, /^can't run during preview/);
    });
});
