/**
 * The component as another Pulumi project gets it: installed from packed tarballs, loaded
 * through its package entry, type-checked against its published declarations, and described by
 * the schema that `pulumi package add` asks the component provider for.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { findResource, resetRecorded, settled, useMocks } from "../../tools/mocks";

const REPO = path.resolve(__dirname, "..", "..");
const COMPONENTS = path.join(REPO, "components");

const CONSUMER_SOURCE = `
import * as pulumi from "@pulumi/pulumi";
import { FaceDetectionEndpoint, FaceDetectionEndpointArgs } from "@crowd-emotions/face-detection";

const args: FaceDetectionEndpointArgs = {
    serverless: true,
    imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces@sha256:${"0".repeat(64)}",
    tags: { team: "vision" },
};
export const detector = new FaceDetectionEndpoint("consumer", args);
export const endpointName: pulumi.Output<string> = detector.endpointName;
`;

/** The properties an exported interface of a source file declares, read by the TypeScript compiler. */
function interfaceMembers(file: string, name: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    assert.ok(found, `${name} in ${file}`);
    return found.members.filter(ts.isPropertySignature).map((member) => (member.name as ts.Identifier).text).sort();
}

function typeErrors(dir: string, source: string): string[] {
    const file = path.join(dir, "index.ts");
    fs.writeFileSync(file, source);
    const program = ts.createProgram([file], {
        strict: true, noEmit: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
        target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("the face-detection package, as a consumer installs it", function () {
    this.timeout(120_000);
    let consumer: string;

    let packed: string;
    before(() => {
        consumer = fs.mkdtempSync(path.join(os.tmpdir(), "face-detection-consumer-"));
        packed = fs.mkdtempSync(path.join(os.tmpdir(), "face-detection-packed-"));
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
        // Installed as the README says: packed tarballs, real copies in the consumer's node_modules.
        // Installed by path, npm links the checkout, whose own node_modules then holds a second
        // copy of the Pulumi SDK beside the consumer's.
        const tarballs = (JSON.parse(execFileSync("npm", ["pack", "--workspace", "contract", "--workspace", "components", "--pack-destination", packed, "--json"], {
            cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"],
        })) as { filename: string }[]).map((p) => path.join(packed, p.filename));
        execFileSync("npm", ["install", "--no-save", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs], {
            cwd: consumer, stdio: "pipe",
        });
        // Peers come from the consumer's own project; here, the ones this repository pins.
        fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(consumer, "node_modules", "@pulumi"));
    });

    after(() => {
        fs.rmSync(consumer, { recursive: true, force: true });
        fs.rmSync(packed, { recursive: true, force: true });
    });

    it("installs as real files that load the consumer's own Pulumi SDK: one copy in the program", () => {
        const entry = require.resolve("@crowd-emotions/face-detection", { paths: [consumer] });
        assert.strictEqual(fs.realpathSync(entry), fs.realpathSync(path.join(consumer, "node_modules", "@crowd-emotions", "face-detection", "bin", "index.js")));
        const sdkOf = (from: string) => fs.realpathSync(require.resolve("@pulumi/pulumi", { paths: [from] }));
        assert.strictEqual(sdkOf(path.dirname(entry)), sdkOf(consumer));
        assert.strictEqual(fs.realpathSync(require.resolve("@crowd-emotions/face-detection-contract", { paths: [path.dirname(entry)] })),
            fs.realpathSync(path.join(consumer, "node_modules", "@crowd-emotions", "face-detection-contract", "bin", "index.js")));
    });

    it("publishes the compiled entry, its declarations and PulumiPlugin.yaml, and no sources", () => {
        const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: COMPONENTS, encoding: "utf8" }));
        const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
        for (const file of ["package.json", "PulumiPlugin.yaml", "bin/index.js", "bin/index.d.ts", "bin/faceDetection/faceDetectionEndpoint.d.ts"]) {
            assert.ok(files.includes(file), `${file} is published`);
        }
        assert.deepStrictEqual(files.filter((f) => f.startsWith("src/")), []);
        const manifest = JSON.parse(fs.readFileSync(path.join(COMPONENTS, "package.json"), "utf8"));
        assert.deepStrictEqual(Object.keys(manifest.peerDependencies).sort(), ["@pulumi/aws", "@pulumi/awsx", "@pulumi/docker-build", "@pulumi/pulumi"]);
    });

    it("type-checks a consumer's program against the published declarations", () => {
        assert.deepStrictEqual(typeErrors(consumer, CONSUMER_SOURCE), []);
        const wrong = typeErrors(consumer, CONSUMER_SOURCE.replace("serverless: true", 'serverless: "yes"'));
        assert.strictEqual(wrong.length, 1);
        assert.match(wrong[0], /Type 'string' is not assignable to type 'boolean( \| undefined)?'/);
    });

    it("runs a consumer's program through the package entry", async () => {
        useMocks();
        resetRecorded();
        const entry = require.resolve("@crowd-emotions/face-detection", { paths: [consumer] });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { FaceDetectionEndpoint } = require(entry);
        new FaceDetectionEndpoint("consumer", { serverless: true, imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/faces@sha256:" + "0".repeat(64) });
        await settled();
        assert.ok(findResource("face-detection:index:FaceDetectionEndpoint", "consumer"));
        assert.strictEqual(findResource("aws:sagemaker/endpoint:Endpoint", "consumer-endpoint").inputs.name, "consumer");
    });

    it("yields the schema other languages get from `pulumi package add`", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { CrowdEmotions, FaceDetectionEndpoint } = require(require.resolve("@crowd-emotions/face-detection", { paths: [consumer] }));
        const provider = new ComponentProvider({ components: [FaceDetectionEndpoint, CrowdEmotions], name: "face-detection", dirname: COMPONENTS });
        const schema = JSON.parse(await provider.getSchema());
        const resource = schema.resources["face-detection:index:FaceDetectionEndpoint"];
        assert.ok(resource.isComponent);
        assert.strictEqual(resource.inputProperties.serverless.type, "boolean");
        assert.strictEqual(resource.inputProperties.minConfidence.type, "number");
        for (const output of ["endpointName", "endpointArn", "bucketName", "bucketArn", "roleArn", "imageUri", "modelName", "cropsKmsKeyArn", "cropOutput"]) {
            assert.ok(resource.properties[output], `${output} is an output`);
        }
        // The emotion stage, from a bucket and prefix in other languages (forDetector is TypeScript's).
        const stage = schema.resources["face-detection:index:CrowdEmotions"];
        assert.ok(stage.isComponent);
        assert.deepStrictEqual([stage.inputProperties.bucketName.type, stage.inputProperties.retentionDays.type], ["string", "number"]);
        for (const output of ["functionName", "tableName", "tableArn", "queueUrl", "deadLetterQueueUrl", "dashboardName"]) {
            assert.ok(stage.properties[output], `${output} is an output`);
        }
        // Every argument the TypeScript classes take, other languages take too.
        assert.deepStrictEqual(Object.keys(resource.inputProperties).sort(),
            interfaceMembers(path.join(COMPONENTS, "src", "faceDetection", "args.ts"), "FaceDetectionEndpointArgs"));
        assert.deepStrictEqual(Object.keys(stage.inputProperties).sort(),
            interfaceMembers(path.join(COMPONENTS, "src", "crowdEmotions", "args.ts"), "CrowdEmotionsArgs"));
    });
});
