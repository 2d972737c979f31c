import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../tools/paths";
import { listStacks } from "../../tools/stack";

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const load = (file: string) => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
const pulumiSteps = (job: any) => job.steps.filter((step: any) => String(step.uses ?? "").startsWith("pulumi/actions@"));

describe("GitHub workflows", () => {
    it("every workflow file parses and has jobs", () => {
        const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
        assert.deepStrictEqual(files.sort(), ["deploy.yml", "pull-request.yml"]);
        for (const file of files) {
            assert.ok(Object.keys(load(file).jobs).length > 0, file);
        }
    });

    it("pull requests preview every stack file with the policy pack and comment", () => {
        const workflow = load("pull-request.yml");
        assert.deepStrictEqual(Object.keys(workflow.on), ["pull_request"]);
        const preview = workflow.jobs.preview;
        assert.deepStrictEqual([...preview.strategy.matrix.stack].sort(), listStacks());
        const [step] = pulumiSteps(preview);
        assert.deepStrictEqual(
            { command: step.with.command, stack: step.with["stack-name"], comment: step.with["comment-on-pr"], packs: step.with.policyPacks },
            { command: "preview", stack: "${{ matrix.stack }}", comment: true, packs: "policy" },
        );
        assert.ok(fs.existsSync(path.join(REPO_ROOT, step.with.policyPackConfigs)), "the policy config file exists");
    });

    it("pull requests build the detector image once, as a deployment builds it, before the previews", () => {
        const workflow = load("pull-request.yml");
        const build = workflow.jobs.image.steps.find((step: any) => String(step.run ?? "").startsWith("docker buildx build"));
        assert.strictEqual(build.run, "docker buildx build --platform linux/amd64 --provenance=false --output type=image,oci-mediatypes=false -f container/Dockerfile .");
        assert.ok(workflow.jobs.preview.needs.includes("image"));
    });

    it("pull requests run the offline policy check for every stack file", () => {
        const job = load("pull-request.yml").jobs["policy-offline"];
        assert.deepStrictEqual([...job.strategy.matrix.stack].sort(), listStacks());
        assert.ok(job.steps.some((step: any) => step.run === "npm run policy:check -- --stack ${{ matrix.stack }}"));
    });

    it("main deploys dev, and prod only after dev through the protected environment", () => {
        const workflow = load("deploy.yml");
        assert.deepStrictEqual(workflow.on.push.branches, ["main"]);
        const { dev, prod } = workflow.jobs;
        assert.deepStrictEqual(pulumiSteps(dev).map((s: any) => [s.with.command, s.with["stack-name"], s.with.policyPacks]), [["up", "dev", "policy"]]);
        assert.deepStrictEqual(pulumiSteps(prod).map((s: any) => [s.with.command, s.with["stack-name"], s.with.policyPacks]), [["up", "prod", "policy"]]);
        assert.strictEqual(prod.needs, "dev");
        assert.strictEqual(prod.environment, "production");
        // Every stack file is deployed by exactly one job.
        const deployed = Object.values<any>(workflow.jobs).flatMap((job) => pulumiSteps(job).map((s: any) => s.with["stack-name"]));
        assert.deepStrictEqual(deployed.sort(), listStacks());
    });
});
