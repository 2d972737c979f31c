import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../../policy/src/policies";
import { checkPolicies, formatReport } from "../../tools/policy";
import { REPO_ROOT } from "../../tools/paths";
import { listStacks, runStack } from "../../tools/stack";

const FIXTURES = path.join(__dirname, "fixtures");
const ENFORCEMENT = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "enforcement.json"), "utf8"));

function policyCheck(...args: string[]) {
    const result = spawnSync("npm", ["run", "-s", "policy:check", "--", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
    return { status: result.status, output: result.stdout + result.stderr };
}

describe("offline policy check", function () {
    this.timeout(120_000);

    for (const stack of listStacks()) {
        it(`${stack}: no mandatory violation`, async () => {
            const findings = await checkPolicies(await runStack(stack), POLICIES, ENFORCEMENT);
            assert.deepStrictEqual(findings.filter((f) => f.enforcementLevel === "mandatory"), []);
        });
    }

    it("sees the whole program: providers, buckets, roles, repositories", async () => {
        // A check that looked at nothing would pass everything; make sure it looks.
        const run = await runStack("dev");
        const types = new Set(run.resources.map((r) => r.type));
        for (const type of ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:ecr/repository:Repository"]) {
            assert.ok(types.has(type), type);
        }
        const wrongRegion = await checkPolicies({ ...run, config: { ...run.config, "aws:region": "eu-west-1" } }, POLICIES, ENFORCEMENT);
        assert.ok(wrongRegion.length > 0);
    });

    it("fails a stack in eu-west-1 and names the region policy", () => {
        const { status, output } = policyCheck("--stack", "ireland", "--project-dir", path.join(FIXTURES, "eu-west-1"));
        assert.strictEqual(status, 1, output);
        assert.match(output, /Stack ireland: 1 mandatory/);
        assert.match(output, /\[mandatory\] aws-region-us-east-1\n {4}resource: urn:pulumi:ireland::face-detection::pulumi:providers:aws::default\n {4}AWS provider default is in eu-west-1; AWS resources must be in us-east-1\./);
    });

    it("fails a program with an unencrypted bucket and names the encryption policy", () => {
        const { status, output } = policyCheck("--stack", "test", "--project-dir", path.join(FIXTURES, "unencrypted"));
        assert.strictEqual(status, 1, output);
        assert.match(output, /\[mandatory\] s3-bucket-encryption\n {4}resource: urn:pulumi:test::unencrypted::aws:s3\/bucket:Bucket::crops\n {4}S3 buckets must be encrypted at rest/);
        assert.match(output, /\[mandatory\] s3-bucket-public-access-block/);
        assert.match(output, /\[mandatory\] s3-bucket-tls-only/);
    });

    it("passes dev from the command line and exits 0, advising only that its model runs outside a VPC (dev's choice)", () => {
        const { status, output } = policyCheck("--stack", "dev");
        assert.strictEqual(status, 0, output);
        assert.match(output, /^Stack dev: 0 mandatory, 1 other finding\(s\)\n {2}\[advisory\] sagemaker-model-in-vpc\n/);
    });

    it("rejects an unknown stack, saying its file doesn't exist and which stacks do", () => {
        const { status, output } = policyCheck("--stack", "nope");
        assert.strictEqual(status, 2);
        // Every stack file counts, a Pulumi.staging.yaml added later included.
        const stacks = listStacks();
        assert.ok(output.includes(`Pulumi.nope.yaml does not exist in ${REPO_ROOT}; the stacks are: ${stacks.join(", ")}.`), output);
        assert.ok(output.includes(`Usage: npm run policy:check -- --stack <${stacks.join("|")}>`), output);
    });

    it("turns a policy off or down with the config file", async () => {
        const run = await runStack("dev");
        const wrong = { ...run, config: { ...run.config, "aws:region": "eu-west-1" } };
        // Dev runs outside a VPC by choice: that advice is turned off here too.
        const dev = { ...ENFORCEMENT, "sagemaker-model-in-vpc": "disabled" } as const;
        assert.deepStrictEqual(await checkPolicies(wrong, POLICIES, { ...dev, "aws-region-us-east-1": "disabled" }), []);
        const advisory = await checkPolicies(wrong, POLICIES, { ...dev, "aws-region-us-east-1": "advisory" });
        assert.deepStrictEqual(advisory.map((f) => f.enforcementLevel), ["advisory"]);
        assert.match(formatReport("dev", advisory), /^Stack dev: 0 mandatory, 1 other finding\(s\)/);
    });
});
