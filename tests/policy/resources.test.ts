import * as assert from "assert";
import { UNKNOWN_STRING } from "../../policy/src/lib/known";
import {
    ecrImmutableTags, ecrScanOnPush, iamNoManagedAdminPolicies, iamNoWildcardActions, iamNoWildcardResources,
    iamRoleTrustNotPublic, sagemakerVolumeKms, bucketTlsOnly,
} from "../../policy/src/policies";
import { VOLUME_KEY_ARG } from "../../policy/src/policies/sagemaker";
import { CONFIG_KEYS } from "../../stacks/config";
import { readStackConfig, runProgram, runStack } from "../../tools/stack";
import { findings, messages, resource } from "./helpers";

const repository = (inputs: Record<string, unknown> = {}) => resource("aws:ecr/repository:Repository", "images", {
    imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, ...inputs,
});
const document = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const rolePolicy = (...statements: Record<string, unknown>[]) => resource("aws:iam/rolePolicy:RolePolicy", "role-policy", { policy: document(...statements) });
const allow = (Action: unknown, Resource: unknown = "arn:aws:s3:::crops/crops/*") => ({ Effect: "Allow", Action, Resource });
const role = (trust: Record<string, unknown>, inputs: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", "role", { assumeRolePolicy: document({ Effect: "Allow", Action: "sts:AssumeRole", ...trust }), ...inputs });

describe("policies on ECR repositories", () => {
    it("pass a scanned repository of immutable tags", async () => {
        assert.deepStrictEqual(await findings(ecrScanOnPush, [repository()]), []);
        assert.deepStrictEqual(await findings(ecrImmutableTags, [repository()]), []);
        assert.deepStrictEqual(await findings(ecrImmutableTags, [repository({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })]), []);
    });
    it("report scanning off or missing", async () => {
        const expected = ["ECR repositories must scan images on push: set imageScanningConfiguration.scanOnPush to true."];
        assert.deepStrictEqual(await messages(findings(ecrScanOnPush, [repository({ imageScanningConfiguration: { scanOnPush: false } })])), expected);
        assert.deepStrictEqual(await messages(findings(ecrScanOnPush, [repository({ imageScanningConfiguration: undefined })])), expected);
    });
    it("report mutable tags, explicit or by default", async () => {
        assert.deepStrictEqual(await messages(findings(ecrImmutableTags, [repository({ imageTagMutability: "MUTABLE" })])), [
            "ECR repositories must have immutable tags: set imageTagMutability to IMMUTABLE (is MUTABLE).",
        ]);
        assert.deepStrictEqual(await messages(findings(ecrImmutableTags, [repository({ imageTagMutability: undefined })])), [
            "ECR repositories must have immutable tags: set imageTagMutability to IMMUTABLE (is MUTABLE).",
        ]);
    });
});

describe("policy iam-no-wildcard-actions", () => {
    it("passes scoped actions", async () => {
        assert.deepStrictEqual(await findings(iamNoWildcardActions, [rolePolicy(allow(["s3:PutObject", "s3:DeleteObject"]))]), []);
    });
    it("ignores Deny statements", async () => {
        assert.deepStrictEqual(await findings(iamNoWildcardActions, [rolePolicy({ Effect: "Deny", Action: "*", Resource: "*" })]), []);
    });
    const cases: [string, Record<string, unknown>, string][] = [
        ["*", allow("*"), "IAM policies must not allow wildcard actions: statement 1 of role-policy allows *."],
        ["s3:*", allow(["s3:*"]), "IAM policies must not allow wildcard actions: statement 1 of role-policy allows s3:*."],
        ["NotAction", { Effect: "Allow", NotAction: "iam:*", Resource: "*", Sid: "Broad" }, 'IAM policies must not allow NotAction: statement "Broad" of role-policy allows everything but iam:*.'],
    ];
    for (const [title, statement, message] of cases) {
        it(`reports ${title}`, async () => assert.deepStrictEqual(await messages(findings(iamNoWildcardActions, [rolePolicy(statement)])), [message]));
    }
    it("checks a role's inline policies too", async () => {
        const withInline = role({ Principal: { Service: "sagemaker.amazonaws.com" } }, { inlinePolicies: [{ name: "x", policy: document(allow("*")) }] });
        assert.deepStrictEqual(await messages(findings(iamNoWildcardActions, [withInline])), ["IAM policies must not allow wildcard actions: statement 1 of role allows *."]);
    });
    it("reports a document that is not JSON", async () => {
        assert.deepStrictEqual(await messages(findings(iamNoWildcardActions, [resource("aws:iam/policy:Policy", "p", { policy: "{" })])), [
            "The policy of p is not a valid IAM policy document.",
        ]);
    });
    it("defers an unknown document to deployment", async () => {
        const found = await findings(iamNoWildcardActions, [resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: UNKNOWN_STRING })]);
        assert.deepStrictEqual(found.map((f) => f.enforcementLevel), ["advisory"]);
    });
});

describe("policy iam-no-wildcard-resources", () => {
    it("passes the actions AWS grants on * only", async () => {
        assert.deepStrictEqual(await findings(iamNoWildcardResources, [rolePolicy(allow(["ecr:GetAuthorizationToken"], "*"))]), []);
    });
    it("reports a scopable action on *", async () => {
        assert.deepStrictEqual(await messages(findings(iamNoWildcardResources, [rolePolicy(allow(["ecr:GetAuthorizationToken", "s3:PutObject"], ["*"]))])), [
            'IAM policies must scope resources: statement 1 of role-policy allows s3:PutObject on "*".',
        ]);
    });
});

describe("policy iam-no-managed-admin-policies", () => {
    const attachment = (policyArn: unknown) => resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "r", policyArn });
    it("passes a customer-managed policy", async () => {
        assert.deepStrictEqual(await findings(iamNoManagedAdminPolicies, [attachment("arn:aws:iam::123456789012:policy/crops-writer")]), []);
    });
    it("passes a narrow AWS-managed policy", async () => {
        assert.deepStrictEqual(await findings(iamNoManagedAdminPolicies, [attachment("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")]), []);
    });
    it("reports AmazonS3FullAccess, as the workshop attaches it", async () => {
        assert.deepStrictEqual(await messages(findings(iamNoManagedAdminPolicies, [attachment("arn:aws:iam::aws:policy/AmazonS3FullAccess")])), [
            "AWS-managed broad policies must not be attached: attach attaches arn:aws:iam::aws:policy/AmazonS3FullAccess.",
        ]);
    });
    it("reports AdministratorAccess in a role's managedPolicyArns", async () => {
        const admin = role({ Principal: { Service: "sagemaker.amazonaws.com" } }, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
        assert.deepStrictEqual(await messages(findings(iamNoManagedAdminPolicies, [admin])), [
            "AWS-managed broad policies must not be attached: role attaches arn:aws:iam::aws:policy/AdministratorAccess.",
        ]);
    });
    it("passes an attachment whose ARN is unknown (a policy of this stack)", async () => {
        assert.deepStrictEqual(await findings(iamNoManagedAdminPolicies, [attachment(UNKNOWN_STRING)]), []);
    });
});

describe("policy iam-role-trust-not-public", () => {
    it("passes a service principal", async () => {
        assert.deepStrictEqual(await findings(iamRoleTrustNotPublic, [role({ Principal: { Service: "sagemaker.amazonaws.com" } })]), []);
    });
    it("passes * restricted by a condition", async () => {
        const conditioned = role({ Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } });
        assert.deepStrictEqual(await findings(iamRoleTrustNotPublic, [conditioned]), []);
    });
    for (const principal of ["*", { AWS: "*" }, { AWS: ["arn:aws:iam::1:root", "*"] }]) {
        it(`reports Principal ${JSON.stringify(principal)}`, async () => {
            assert.deepStrictEqual(await messages(findings(iamRoleTrustNotPublic, [role({ Principal: principal })])), [
                'IAM roles must not be assumable by everyone: statement 1 of role trusts "*".',
            ]);
        });
    }
});

describe("policy sagemaker-endpoint-volume-kms (advisory)", () => {
    const config = (inputs: Record<string, unknown>) => resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "config", inputs);
    it("passes a volume key", async () => {
        assert.deepStrictEqual(await findings(sagemakerVolumeKms, [config({ kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k", productionVariants: [{ instanceType: "ml.c5.large" }] })]), []);
    });
    it("passes serverless variants, which have no volume", async () => {
        assert.deepStrictEqual(await findings(sagemakerVolumeKms, [config({ productionVariants: [{ serverlessConfig: { memorySizeInMb: 2048 } }] })]), []);
    });
    it("advises a key for instance variants", async () => {
        const found = await findings(sagemakerVolumeKms, [config({ productionVariants: [{ instanceType: "ml.c5.large" }] })]);
        assert.deepStrictEqual(found.map((f) => [f.enforcementLevel, f.message]), [
            ["advisory", "SageMaker endpoint configurations should encrypt their storage volume with a customer-managed key: set the component's volumeKmsKeyArn (stack key face-detection:volumeKmsKeyArn)."],
        ]);
    });
    it("names an argument the component and the stacks really take, and the one that clears it", async () => {
        assert.ok(VOLUME_KEY_ARG in CONFIG_KEYS);
        const run = await runProgram("prod", { ...readStackConfig("prod"), [`face-detection:${VOLUME_KEY_ARG}`]: "arn:aws:kms:us-east-1:123456789012:key/volume" });
        const configs = run.resources.filter((r) => r.type === "aws:sagemaker/endpointConfiguration:EndpointConfiguration");
        assert.deepStrictEqual(await findings(sagemakerVolumeKms, configs.map((c) => resource(c.type, c.name, c.inputs))), []);
    });
});

describe("IAM and TLS policies on a first preview, where ARNs are unknown", () => {
    // As the component now registers them: the documents are structures, and the engine sends
    // the unknown sentinel at the leaves that hold ARNs of resources not yet created.
    const rolePolicy = (statement: Record<string, unknown>) => resource("aws:iam/rolePolicy:RolePolicy", "faces-role-policy", {
        role: UNKNOWN_STRING, policy: { Version: "2012-10-17", Statement: [statement] },
    });

    it("still refuses a wildcard action next to an unknown resource", async () => {
        const found = await findings(iamNoWildcardActions, [rolePolicy({ Sid: "WriteCrops", Effect: "Allow", Action: ["s3:*"], Resource: UNKNOWN_STRING })]);
        assert.deepStrictEqual(found.map((f) => [f.enforcementLevel, f.message]), [
            ["mandatory", 'IAM policies must not allow wildcard actions: statement "WriteCrops" of faces-role-policy allows s3:*.'],
        ]);
    });

    it("still refuses Resource \"*\" beside unknown ARNs, and passes the unknown ARNs themselves", async () => {
        const wildcard = await findings(iamNoWildcardResources, [rolePolicy({ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: [UNKNOWN_STRING, "*"] })]);
        assert.strictEqual(wildcard.length, 1);
        assert.strictEqual(wildcard[0].enforcementLevel, "mandatory");
        const scoped = await findings(iamNoWildcardResources, [rolePolicy({ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: [UNKNOWN_STRING] })]);
        assert.deepStrictEqual(scoped, []);
    });

    it("passes the component's own role policy and TLS-only bucket policy with their ARNs unknown", async () => {
        const run = await runStack("prod");
        const withUnknownArns = (node: unknown): unknown => typeof node === "string" && node.startsWith("arn:aws:s3:::") ? UNKNOWN_STRING
            : Array.isArray(node) ? node.map(withUnknownArns)
                : node !== null && typeof node === "object" ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withUnknownArns(v)])) : node;
        const resources = run.resources.map((r) => (r.type === "aws:iam/rolePolicy:RolePolicy" || r.type === "aws:s3/bucketPolicy:BucketPolicy"
            ? resource(r.type, r.name, withUnknownArns(r.inputs) as Record<string, unknown>, { propertyDependencies: r.propertyDependencies, dependencies: r.dependencies, urn: r.urn })
            : r));
        const found = await findings(iamNoWildcardActions, resources);
        assert.deepStrictEqual(found, []);
        const tls = await findings(bucketTlsOnly, resources);
        assert.deepStrictEqual(tls.map((f) => f.message), []);
    });
});
