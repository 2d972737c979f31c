import * as fs from "fs";
import * as path from "path";
import { isExecutable, listContextFiles, readIgnoreRules } from "./buildContext";

/** Where staged build contexts live, relative to the directory Pulumi runs the program in. */
export const STAGE_DIRECTORY = ".face-detection/image-context";

/** Every staged file's time: fixed, so that nothing about a copy depends on when it was made. */
const STAGED_TIME = new Date("2000-01-01T00:00:00Z");

export interface StagedContext {
    /** The copy's directory, relative to the program's directory, `/`-separated. */
    readonly context: string;
    /** The Dockerfile inside the copy, relative to the program's directory. */
    readonly dockerfile: string;
}

const toPosix = (relative: string) => relative.split(path.sep).join("/") || ".";

/**
 * Copies what Docker would build from (the files the ignore file lets through, and the Dockerfile)
 * to `<cwd>/.face-detection/image-context/<digest>/`, with modes 0644 or 0755 and one fixed time,
 * and gives the copy's location relative to `cwd`.
 *
 * Why a copy: the build provider (docker-build) decides whether to rebuild by hashing the context's
 * files together with their full mode strings (`hashFile` in its provider/internal/context.go), and
 * its `context.location` and `dockerfile.location` inputs by string. Two checkouts of one commit
 * differ in both: their paths, and their modes wherever the umask differs (0022 in CI, 0002 on many
 * desktops). Either difference rebuilds unchanged sources; builds are not byte-reproducible, so the
 * same tag would get a new digest, which a repository of immutable tags refuses. The copy is the
 * same, byte for byte and mode for mode, from every checkout of the same sources, and sits at the
 * same relative path.
 *
 * Written once per digest, atomically (a temporary directory renamed into place); copies of other
 * digests are removed, as nothing builds from them any more.
 */
export function stageBuildContext(buildContext: string, dockerfile: string, digest: string, cwd = process.cwd()): StagedContext {
    const root = path.join(cwd, STAGE_DIRECTORY);
    const target = path.join(root, digest);
    const source = path.resolve(buildContext);
    const dockerfileInContext = toPosix(path.relative(source, path.resolve(source, dockerfile)));
    if (!fs.existsSync(target)) {
        const temporary = `${target}.${process.pid}.tmp`;
        fs.rmSync(temporary, { recursive: true, force: true });
        const files = new Set(listContextFiles(source, readIgnoreRules(source, path.resolve(source, dockerfile))));
        files.add(dockerfileInContext);
        for (const file of files) {
            copyNormalised(path.join(source, file), path.join(temporary, file));
        }
        normaliseDirectories(temporary);
        fs.renameSync(temporary, target);
    }
    for (const entry of fs.readdirSync(root)) {
        if (entry !== digest && !entry.endsWith(".tmp")) {
            fs.rmSync(path.join(root, entry), { recursive: true, force: true });
        }
    }
    return {
        context: toPosix(path.relative(cwd, target)),
        dockerfile: toPosix(path.relative(cwd, path.join(target, dockerfileInContext))),
    };
}

function copyNormalised(from: string, to: string): void {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, isExecutable(from) ? 0o755 : 0o644);
    fs.utimesSync(to, STAGED_TIME, STAGED_TIME);
}

/** Directories get 0755 and the fixed time too, deepest first (writing into one changes its time). */
function normaliseDirectories(directory: string): void {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            normaliseDirectories(path.join(directory, entry.name));
        }
    }
    fs.chmodSync(directory, 0o755);
    fs.utimesSync(directory, STAGED_TIME, STAGED_TIME);
}
