import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildContextHash, isIgnored, parseIgnoreLine } from "../../components/src/faceDetection/buildContext";

describe("build context", () => {
    const rules = ["*", "!package.json", "!container", "**/node_modules", "container/test"]
        .map(parseIgnoreLine).filter((rule) => rule !== undefined);
    const cases: [string, boolean][] = [
        ["package.json", false],
        ["README.md", true],
        ["container/src/server.ts", false],
        ["container/node_modules/x/index.js", true],
        ["container/test/server.test.ts", true],
        ["stacks/index.ts", true],
    ];
    for (const [file, ignored] of cases) {
        it(`${ignored ? "ignores" : "keeps"} ${file}`, () => assert.strictEqual(isIgnored(file, rules), ignored));
    }

    it("skips comments and blank lines", () => {
        assert.strictEqual(parseIgnoreLine("# a comment"), undefined);
        assert.strictEqual(parseIgnoreLine("   "), undefined);
    });

    it("hashes only what Docker would send: ignored files change nothing, kept files change the tag", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "context-"));
        try {
            fs.mkdirSync(path.join(dir, "app"));
            fs.writeFileSync(path.join(dir, "app", "Dockerfile"), "FROM scratch\n");
            fs.writeFileSync(path.join(dir, "app", "Dockerfile.dockerignore"), "*\n!app\n");
            fs.writeFileSync(path.join(dir, "app", "server.js"), "1");
            fs.writeFileSync(path.join(dir, "notes.md"), "a");
            const first = buildContextHash(dir, "app/Dockerfile");
            assert.match(first, /^[0-9a-f]{64}$/);
            fs.writeFileSync(path.join(dir, "notes.md"), "b");
            assert.strictEqual(buildContextHash(dir, "app/Dockerfile"), first);
            fs.writeFileSync(path.join(dir, "app", "server.js"), "2");
            assert.notStrictEqual(buildContextHash(dir, "app/Dockerfile"), first);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
