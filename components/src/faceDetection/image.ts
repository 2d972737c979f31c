import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildContextHash } from "./buildContext";
import { stageBuildContext } from "./stagedContext";
import { Tags } from "../shared/tags";

export interface DetectorImageArgs {
    readonly buildContext: string;
    readonly dockerfile: string;
    readonly retentionCount: number;
    readonly forceDestroy: boolean;
    /** Build during `pulumi preview` too (slow; catches a broken build before it merges). */
    readonly buildOnPreview: boolean;
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
 * The tags the component pushes: `src-<digest of the sources>`. They are the one exception to the
 * repository's immutable tags. An `up` interrupted after the push but before Pulumi saved the image
 * in its state builds again on the next `up`, and a build is not byte-for-byte reproducible, so it
 * pushes the same tag with another digest, which an immutable tag refuses for good. The model pins
 * the image by digest, so moving such a tag changes nothing that runs; every other tag stays
 * immutable.
 */
export const SOURCE_TAG_PREFIX = "src-";

/** Host architectures that build linux/amd64 images natively, and emulators that run them elsewhere. */
const AMD64_HOSTS = ["x64"];
const AMD64_EMULATORS = ["/proc/sys/fs/binfmt_misc/qemu-x86_64", "/proc/sys/fs/binfmt_misc/rosetta"];

/**
 * Throws, before anything is built, where the image can't be: every stage of the Dockerfile is
 * linux/amd64 (SageMaker's ml.* instances, and the detector's int8 kernels, are x86), and a Linux
 * arm64 machine without an amd64 emulator registered with the kernel fails the build half-way with
 * "exec format error". Docker Desktop on a Mac emulates amd64 itself.
 */
export function checkBuildPlatform(
    arch: string = process.arch, platform: string = process.platform, hasEmulator: () => boolean = () => AMD64_EMULATORS.some((file) => fs.existsSync(file)),
): void {
    if (AMD64_HOSTS.includes(arch) || platform !== "linux" || hasEmulator()) {
        return;
    }
    throw new Error(
        `The detector image is built for linux/amd64, and this ${platform}/${arch} machine has no amd64 emulation registered ` +
        "(the build would fail with \"exec format error\"): register QEMU's (`docker run --privileged --rm tonistiigi/binfmt --install amd64`), " +
        "deploy from an amd64 machine, or set `imageUri` to an image built elsewhere.",
    );
}

/** An ECR repository of immutable, scanned images, and the detector image built into it. */
export function createDetectorImage(name: string, args: DetectorImageArgs, parent: pulumi.Resource): DetectorImage {
    checkBuildContext(args.buildContext, args.dockerfile);
    checkBuildPlatform();

    const repository = new aws.ecr.Repository(`${name}-images`, {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filter: `${SOURCE_TAG_PREFIX}*`, filterType: "WILDCARD" }],
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

    // The tag is a digest of the sources (paths, bytes, executable bits); the build gets a normalised
    // copy of them, so every checkout of the same sources gives the provider the same inputs and the
    // same context hash: nothing rebuilds, and no push meets an immutable tag it would change.
    const digest = buildContextHash(args.buildContext, args.dockerfile);
    const staged = stageBuildContext(args.buildContext, args.dockerfile, digest);
    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const image = new dockerBuild.Image(`${name}-image`, {
        context: { location: staged.context },
        dockerfile: { location: staged.dockerfile },
        platforms: ["linux/amd64"],
        tags: [pulumi.interpolate`${repository.repositoryUrl}:${SOURCE_TAG_PREFIX}${digest}`],
        // Docker v2 schema 2 manifests: SageMaker refuses OCI manifests, which BuildKit writes when
        // asked or when the builder uses the containerd image store. The provider turns off
        // provenance attestations, so a one-platform build pushes one manifest, not an index.
        exports: [{ registry: { ociMediaTypes: false, push: true } }],
        push: false, // the export above pushes; `push: true` would add a second export with OCI defaults
        registries: [{
            address: repository.repositoryUrl.apply((url) => url.split("/")[0]),
            username: token.userName,
            password: token.password,
        }],
        // docker-build builds on every preview by default; pull requests preview every stack.
        buildOnPreview: args.buildOnPreview,
    }, {
        parent,
        // A model that a rolled-back endpoint configuration still names may need this image to
        // launch instances; the repository's lifecycle policy expires old images instead.
        retainOnDelete: true,
    });

    return { repository, imageUri: pulumi.interpolate`${repository.repositoryUrl}@${image.digest}` };
}
