import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildContextHash } from "../../components/src/faceDetection/buildContext";
import { STAGE_DIRECTORY, stageBuildContext } from "../../components/src/faceDetection/stagedContext";

/**
 * The build provider's rebuild test, as docker-build computes it (`hashBuildContext` and `hashFile`
 * in pulumi-docker-build's provider/internal/context.go): the Dockerfile's bytes, then for every
 * file of the context, in walk order, its bytes, its relative path and Go's `FileMode.String()`.
 * The ignore file is not applied here: a raw checkout is hashed whole (its included files differ in
 * mode between the checkouts all the same), and a staged copy holds only the files it lets through.
 */
function dockerBuildContextHash(context: string, dockerfile: string): string {
    const hash = crypto.createHash("sha256");
    hash.update(fs.readFileSync(path.resolve(context, dockerfile)));
    const walk = (relative: string) => {
        for (const entry of fs.readdirSync(path.join(context, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const file = relative ? `${relative}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                walk(file);
            } else {
                hash.update(fs.readFileSync(path.join(context, file)));
                hash.update(file);
                hash.update(goFileMode(fs.statSync(path.join(context, file)).mode));
            }
        }
    };
    walk("");
    return hash.digest("hex");
}

/** Go's `FileMode.String()` for a regular file: "-" and the nine permission letters. */
function goFileMode(mode: number): string {
    const letters = "rwxrwxrwx";
    return "-" + [...letters].map((letter, i) => (mode & (1 << (8 - i)) ? letter : "-")).join("");
}

/** A checkout of a small project: the Dockerfile, its ignore file, sources and something ignored. */
function checkout(root: string, fileMode: number): string {
    const files: Record<string, string> = {
        "package.json": "{}\n",
        "container/Dockerfile": "FROM scratch\nCOPY container/src /src\n",
        "container/Dockerfile.dockerignore": "*\n!package.json\n!container\n**/node_modules\n",
        "container/src/main.js": "console.log('serve');\n",
        "container/node_modules/left-out.js": "ignored\n",
        "README.md": "not in the context\n",
    };
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
        fs.chmodSync(path.join(root, file), fileMode);
    }
    return root;
}

describe("the staged build context", () => {
    let work: string;
    beforeEach(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "staged-context-"));
    });
    afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

    it("gives the build provider the same inputs and context hash from checkouts that differ in path and umask", () => {
        // CI checks out with umask 0022, many desktops with 0002.
        const ci = checkout(path.join(work, "runner/work/repo"), 0o644);
        const laptop = checkout(path.join(work, "home/dev/repo"), 0o664);
        // What the provider saw before: the checkouts themselves hash differently, so it rebuilt.
        assert.notStrictEqual(dockerBuildContextHash(ci, "container/Dockerfile"), dockerBuildContextHash(laptop, "container/Dockerfile"));

        const digest = buildContextHash(ci, "container/Dockerfile");
        assert.strictEqual(buildContextHash(laptop, "container/Dockerfile"), digest);
        const fromCi = stageBuildContext(ci, "container/Dockerfile", digest, ci);
        const fromLaptop = stageBuildContext(laptop, "container/Dockerfile", digest, laptop);
        assert.deepStrictEqual(fromCi, { context: `${STAGE_DIRECTORY}/${digest}`, dockerfile: `${STAGE_DIRECTORY}/${digest}/container/Dockerfile` });
        assert.deepStrictEqual(fromLaptop, fromCi);
        assert.strictEqual(
            dockerBuildContextHash(path.join(laptop, fromLaptop.context), "container/Dockerfile"),
            dockerBuildContextHash(path.join(ci, fromCi.context), "container/Dockerfile"),
        );
    });

    it("holds exactly what Docker would send, with normalised modes and times", () => {
        const repo = checkout(path.join(work, "repo"), 0o664);
        fs.chmodSync(path.join(repo, "container/src/main.js"), 0o775);
        const staged = stageBuildContext(repo, "container/Dockerfile", buildContextHash(repo, "container/Dockerfile"), repo);
        const root = path.join(repo, staged.context);
        const listed: string[] = [];
        const walk = (relative: string) => {
            for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
                const file = relative ? `${relative}/${entry.name}` : entry.name;
                if (entry.isDirectory()) {
                    walk(file);
                } else {
                    listed.push(`${file} ${(fs.statSync(path.join(root, file)).mode & 0o777).toString(8)}`);
                }
            }
        };
        walk("");
        assert.deepStrictEqual(listed.sort(), [
            "container/Dockerfile 644",
            "container/Dockerfile.dockerignore 644",
            "container/src/main.js 755",
            "package.json 644",
        ]);
        assert.strictEqual(fs.statSync(path.join(root, "package.json")).mtime.toISOString(), "2000-01-01T00:00:00.000Z");
    });

    it("gets a new digest, and a new copy, when a source changes, and removes the old copy", () => {
        const repo = checkout(path.join(work, "repo"), 0o644);
        const first = buildContextHash(repo, "container/Dockerfile");
        stageBuildContext(repo, "container/Dockerfile", first, repo);
        fs.writeFileSync(path.join(repo, "container/src/main.js"), "console.log('serve v2');\n");
        const second = buildContextHash(repo, "container/Dockerfile");
        assert.notStrictEqual(second, first);
        stageBuildContext(repo, "container/Dockerfile", second, repo);
        assert.deepStrictEqual(fs.readdirSync(path.join(repo, STAGE_DIRECTORY)), [second]);
        // A change of the ignored folder or of a file outside the context changes nothing.
        fs.writeFileSync(path.join(repo, "README.md"), "edited\n");
        fs.writeFileSync(path.join(repo, "container/node_modules/left-out.js"), "edited\n");
        assert.strictEqual(buildContextHash(repo, "container/Dockerfile"), second);
    });
});
