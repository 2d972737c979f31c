import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../../tools/paths";

describe("the TypeScript build", function () {
    this.timeout(60_000);

    // `npm start`, `npm test` and `npm run bench` begin with `tsc -b`: right after a build, the
    // root project (type-checked only, never emitted) must count as up to date, not be checked
    // again from scratch (about 8 s on every run).
    it("counts the root project as up to date right after a build", () => {
        const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
        spawnSync(process.execPath, [tsc, "-b"], { cwd: REPO_ROOT, encoding: "utf8" });
        const dry = spawnSync(process.execPath, [tsc, "-b", "--dry", "--verbose"], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.match(dry.stdout, /Project 'tsconfig\.json' is up to date/, dry.stdout);
        assert.doesNotMatch(dry.stdout, /would build project/i, dry.stdout);
    });
});
