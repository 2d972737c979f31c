import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildContextHash } from "./buildContext";
import { Tags } from "./tags";

export interface DetectorImageArgs {
    readonly buildContext: string;
    readonly dockerfile: string;
    readonly retentionCount: number;
    readonly forceDestroy: boolean;
    readonly tags: Tags;
}

export interface DetectorImage {
    readonly repository: aws.ecr.Repository;
    /** `<repository>@sha256:<digest>`: the model pins the exact build. */
    readonly imageUri: pulumi.Output<string>;
}

/** Throws unless the build context holds the Dockerfile, before anything is sent to Docker. */
export function checkBuildContext(buildContext: string, dockerfile: string): void {
    const dockerfilePath = path.resolve(buildContext, dockerfile);
    if (!fs.existsSync(dockerfilePath)) {
        throw new Error(
            `\`buildContext\` "${buildContext}" has no Dockerfile at "${dockerfile}": point \`buildContext\` ` +
            "at a checkout of the face-detection repository, or set `imageUri` to a prebuilt image.",
        );
    }
}

/**
 * The build's context and Dockerfile as the build provider gets them: relative to the directory
 * Pulumi runs the program in (where awsx resolves relative paths). The provider diffs on these
 * strings; absolute paths differ between checkouts (a laptop, CI), so every other checkout would
 * rebuild unchanged sources, and the new digest would be refused by the repository's immutable
 * tags. Relative to the project, every checkout gives the same strings.
 */
export function buildInputs(buildContext: string, dockerfile: string, cwd = process.cwd()): { context: string; dockerfile: string } {
    const relative = (to: string) => path.relative(cwd, to).split(path.sep).join("/") || ".";
    return { context: relative(path.resolve(buildContext)), dockerfile: relative(path.resolve(buildContext, dockerfile)) };
}

/** An ECR repository of immutable, scanned images, and the detector image built into it. */
export function createDetectorImage(name: string, args: DetectorImageArgs, parent: pulumi.Resource): DetectorImage {
    checkBuildContext(args.buildContext, args.dockerfile);

    const repository = new aws.ecr.Repository(`${name}-images`, {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: args.forceDestroy,
        tags: args.tags,
    }, { parent });

    new aws.ecr.LifecyclePolicy(`${name}-images-lifecycle`, {
        repository: repository.name,
        policy: JSON.stringify({
            rules: [{
                rulePriority: 1,
                description: `Keep the last ${args.retentionCount} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.retentionCount },
                action: { type: "expire" },
            }],
        }),
    }, { parent });

    const image = new awsx.ecr.Image(`${name}-image`, {
        repositoryUrl: repository.repositoryUrl,
        ...buildInputs(args.buildContext, args.dockerfile),
        platform: "linux/amd64",
        imageTag: buildContextHash(args.buildContext, args.dockerfile),
    }, { parent });

    return { repository, imageUri: image.imageUri };
}
